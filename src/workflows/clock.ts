/**
 * The workflow's clock: Temporal's deterministic `Date.now()`. The scenario simulator's worker bundles its
 * own clock in this module's place (src/simulation/workflow-clock.ts), so a production bundle has no way
 * to shift a contract's calendar: nothing a starter sends can move it.
 */
import { workflowInfo } from '@temporalio/workflow';

export function workflowNow(): number {
  return Date.now();
}

/** When the workflow was started (the application was recorded): a start is judged by it, not by when its first task ran. */
export function workflowStartedAt(): number {
  return workflowInfo().startTime.getTime();
}
