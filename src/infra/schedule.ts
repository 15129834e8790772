/**
 * The `monthly-billing` schedule (D-11): 00:05 Asia/Tokyo on the 1st starts a billing run for the month
 * before. Created or updated idempotently at every start, so a changed spec reaches the cluster.
 */
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';

export const BILLING_SCHEDULE_ID = 'monthly-billing';

export function billingScheduleOptions(taskQueue: string, concurrency: number): ScheduleOptions {
  return {
    scheduleId: BILLING_SCHEDULE_ID,
    spec: { calendars: [{ dayOfMonth: 1, hour: 0, minute: 5, comment: '00:05 JST on the 1st (D-11)' }], timezone: 'Asia/Tokyo' },
    action: {
      type: 'startWorkflow',
      workflowType: 'billingRun',
      taskQueue,
      args: [{ concurrency }],
      workflowId: 'billing-run',
      staticSummary: 'Monthly billing run (D-11): closes the previous month on every contract',
    },
    policies: {
      // A run still going when the next is due waits for it (never two runs of the same month at once).
      overlap: ScheduleOverlapPolicy.BUFFER_ONE,
      // If the cluster was down over the 1st, the missed run still happens within 3 days; later, ops backfill.
      catchupWindow: '3 days',
      pauseOnFailure: false,
    },
  };
}

export async function ensureBillingSchedule(client: Client, taskQueue: string, concurrency: number): Promise<'created' | 'updated'> {
  const options = billingScheduleOptions(taskQueue, concurrency);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(BILLING_SCHEDULE_ID)
      .update((prev) => ({ ...prev, spec: options.spec, action: options.action, policies: options.policies }));
    return 'updated';
  }
}
