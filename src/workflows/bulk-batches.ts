/**
 * The shape of a bulk action over many workflows (the billing run today): ids in batches of BATCH_SIZE per
 * activity, BATCHES_IN_FLIGHT batches at once, so one batch's last slow update does not idle the run. Its own
 * module, so the bench's platform floor sends its updates in the same shape without bundling the billing run.
 */
export const BATCH_SIZE = 100;
export const BATCHES_IN_FLIGHT = 2;
