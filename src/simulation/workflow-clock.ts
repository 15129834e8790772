/**
 * The simulator's workflow clock, bundled in place of src/workflows/clock.ts by the simulator's and the
 * tests' workers only (`bundleWorkflows({ simulatedClock: true })`): Temporal's clock shifted by the offset
 * the simulator put in the workflow's memo, so a scenario can start on any date.
 */
import { workflowInfo } from '@temporalio/workflow';

/** The memo key the simulator sets when it starts a contract or a billing run. */
export const SIMULATED_CLOCK_OFFSET_MEMO = 'simulatedClockOffsetMs';

export function workflowNow(): number {
  const offset = workflowInfo().memo?.[SIMULATED_CLOCK_OFFSET_MEMO];
  return Date.now() + (typeof offset === 'number' && Number.isFinite(offset) ? offset : 0);
}

export function workflowStartedAt(): number {
  const offset = workflowInfo().memo?.[SIMULATED_CLOCK_OFFSET_MEMO];
  return workflowInfo().startTime.getTime() + (typeof offset === 'number' && Number.isFinite(offset) ? offset : 0);
}
