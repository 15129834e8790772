/**
 * What the ops list flags on a contract (the NeedsAttention and AllowanceExceeded search attributes): worked
 * out here from the state, so the workflow only publishes it.
 */
import type { YearMonth } from '../types';
import { allowanceRows } from './allowances';
import type { ContractState } from './state';
import type { WaitingEffects } from './view';

/** A person must look: an effect failed for good, or effects wait on an outage past the attention time. */
export function needsAttention(s: ContractState, waiting: WaitingEffects | null): boolean {
  return s.failedEffects.length > 0 || waiting !== null;
}

/**
 * The latest month whose incidents or ops hours went past what the terms in force that month include
 * (別表2, D-19, D-24), or null. Flagged only: the excess is billed by a `charge`.
 */
export function allowanceExceededMonth(s: ContractState): YearMonth | null {
  return (
    allowanceRows(s)
      .filter((r) => r.exceeded)
      .at(-1)?.month ?? null
  );
}
