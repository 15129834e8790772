/** When a contract's history is too big to keep growing: it then continues as new at its next safe point. */
import type { WorkflowInfo } from '@temporalio/workflow';

export interface HistoryLimits {
  events: number;
  bytes: number;
}

/**
 * The server terminates a run at 51,200 events or 50 MB and warns at 10,240 / 10 MB; it suggests continuing
 * as new at 4,096 / 4 MB by default, but that is its setting, not ours. A contract-year is about 200 events,
 * so 5,000 is never reached by commands and timers; 5 MiB leaves 45 MB for what piles up before the next
 * workflow task (signals from a raw client are recorded whether or not the contract reads them).
 */
export const HISTORY_LIMITS: HistoryLimits = { events: 5_000, bytes: 5 * 1024 * 1024 };

/** True when the server suggests continuing as new, or the run's history has passed either limit. */
export function historyTooBig(info: Pick<WorkflowInfo, 'historyLength' | 'historySize' | 'continueAsNewSuggested'>, limits: HistoryLimits): boolean {
  return info.continueAsNewSuggested || info.historyLength >= limits.events || info.historySize >= limits.bytes;
}
