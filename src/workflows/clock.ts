/**
 * The workflow's clock: Temporal's deterministic `Date.now()`. The scenario simulator's worker bundles its
 * own clock in this module's place (src/simulation/workflow-clock.ts), so a production bundle has no way
 * to shift a contract's calendar: nothing a starter sends can move it.
 */
export function workflowNow(): number {
  return Date.now();
}
