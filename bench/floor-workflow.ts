/**
 * The platform floor's workflows (bench/floor-worker.ts runs them): `floorTarget` accepts an update and
 * returns at once — no validation, no activity, no timer, no search attribute — and stays open (cached) for
 * the next; `floorRun` sends one update to each of N targets the way the billing run closes N contracts:
 * batches of 100 ids per activity, two batches in flight, `concurrency` updates in flight in all. What the
 * billing run costs beyond this is the contract's own work (visibility listing, ledger, mail, history).
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { pingUpdate } from './floor-messages';

export async function floorTarget(): Promise<void> {
  setHandler(pingUpdate, (requestId) => requestId);
  await condition(() => false); // no timeout: no timer; the bench's server is thrown away with it
}

export interface FloorActivities {
  /** Send `ping` to each target, `concurrency` at a time; the number accepted and answered. */
  sendFloorUpdates(args: { ids: string[]; concurrency: number; round: string }): Promise<number>;
}

// The billing run's batch shape, from its own module, so this bundle holds none of the contract code.
import { BATCH_SIZE, BATCHES_IN_FLIGHT } from '../src/workflows/bulk';

const { sendFloorUpdates } = proxyActivities<FloorActivities>({ startToCloseTimeout: '15 minutes', retry: { maximumAttempts: 1 } });

export async function floorRun(input: { ids: string[]; concurrency: number; round: string }): Promise<number> {
  const batches: string[][] = [];
  for (let i = 0; i < input.ids.length; i += BATCH_SIZE) batches.push(input.ids.slice(i, i + BATCH_SIZE));
  const perBatch = Math.max(1, Math.ceil(input.concurrency / BATCHES_IN_FLIGHT));
  let next = 0;
  let answered = 0;
  const lane = async () => {
    while (next < batches.length) {
      const ids = batches[next++]!;
      const n = await sendFloorUpdates({ ids, concurrency: perBatch, round: input.round });
      answered += n; // not `answered += await …`: that reads `answered` before the await, and two lanes would lose a count
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, batches.length) }, lane));
  return answered;
}
