/**
 * The tests' history limits, bundled in place of src/workflows/contract/history-limits.ts by the simulator's
 * and the tests' workers only (`bundleWorkflows({ simulatedClock: true })`): a test lowers them through the
 * workflow's memo to see a contract continue as new without writing megabytes. Lower only, never higher.
 */
import { workflowInfo } from '@temporalio/workflow';
import { HISTORY_LIMITS, type HistoryLimits } from '../workflows/contract/history';

/** The memo key a test sets when it starts a contract: `{ events?, bytes? }`. */
export const TEST_HISTORY_LIMITS_MEMO = 'testHistoryLimits';

export function historyLimits(): HistoryLimits {
  const set = workflowInfo().memo?.[TEST_HISTORY_LIMITS_MEMO] as Partial<HistoryLimits> | undefined;
  const lower = (v: unknown, d: number) => (typeof v === 'number' && v > 0 ? Math.min(v, d) : d);
  return { events: lower(set?.events, HISTORY_LIMITS.events), bytes: lower(set?.bytes, HISTORY_LIMITS.bytes) };
}
