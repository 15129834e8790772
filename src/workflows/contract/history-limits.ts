/**
 * The history limits a contract runs with. The simulator's and the tests' bundles put
 * src/simulation/workflow-history-limits.ts in this module's place, so a test can lower them; a
 * production bundle has no way to move them.
 */
import { HISTORY_LIMITS, type HistoryLimits } from './history';

export function historyLimits(): HistoryLimits {
  return HISTORY_LIMITS;
}
