/**
 * D-31: how a contract learns the dunning ladder — from the worker's settings, by a local activity (one
 * marker in the history, so a replay sees the ladder the run saw), at the start of each run and whenever a
 * step's timer wakes it, before the due steps run. A wake by a command reads nothing: a contract that pays on
 * time never pays a marker for it (docs/decisions.md#d-31).
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import { adoptDunningLadder, type ContractState } from '../../domain/contract';
import type { ContractActivities } from './activities';

const { dunningLadder } = proxyLocalActivities<ContractActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 5 },
});

/** The ladder the settings say now, as a change to the state then current (null: the same ladder). */
export async function readDunningLadder(current: () => ContractState): Promise<ContractState | null> {
  const ladder = await dunningLadder();
  const s = current(); // a handler may have changed the state while the activity ran
  const next = adoptDunningLadder(s, ladder);
  return next === s ? null : next;
}
