/**
 * Every change of a contract's status, in one table: from, to, by what (a command or an automatic step),
 * and the article or decision that allows it. Commands and steps move the status only through `moveTo`,
 * and end a contract only through `endContract`, so a move the table lacks is a bug that fails loudly.
 */
import { RULE } from '../rules';
import type { ContractStatus, IsoDate } from '../types';
import type { ContractState } from './state';

export type Mover =
  | 'approve'
  | 'usageStart'
  | 'reject'
  | 'deemedRejection'
  | 'discontinueService'
  | 'suspend'
  | 'overdueSuspension'
  | 'resume'
  | 'paidInFull'
  | 'terminateForCause'
  | 'overdueTermination'
  | 'contractEnd';

export interface Transition {
  from: readonly ContractStatus[];
  to: ContractStatus;
  by: Mover;
  rule: string;
}

export const TRANSITIONS: readonly Transition[] = [
  { from: ['pending'], to: 'approved', by: 'approve', rule: `${RULE.approvalWindow} ${RULE.usageStart}` },
  // Art. 9 (D-34): the contract is established on S, at 00:00 (or at the approval, when S is its day).
  { from: ['approved'], to: 'active', by: 'usageStart', rule: RULE.usageStart },
  { from: ['pending'], to: 'rejected', by: 'reject', rule: `${RULE.approvalWindow} ${RULE.rejectionUndisclosed}` },
  { from: ['pending'], to: 'rejected', by: 'deemedRejection', rule: RULE.approvalWindow },
  { from: ['pending'], to: 'rejected', by: 'discontinueService', rule: RULE.serviceDiscontinuation },
  { from: ['active'], to: 'suspended', by: 'suspend', rule: RULE.suspension },
  { from: ['active'], to: 'suspended', by: 'overdueSuspension', rule: RULE.suspension },
  { from: ['suspended'], to: 'active', by: 'resume', rule: RULE.suspension },
  { from: ['suspended'], to: 'active', by: 'paidInFull', rule: RULE.suspension },
  { from: ['approved', 'active', 'suspended'], to: 'ended', by: 'terminateForCause', rule: RULE.terminationForCause },
  { from: ['suspended'], to: 'ended', by: 'overdueTermination', rule: RULE.overdueTermination },
  { from: ['active', 'suspended'], to: 'ended', by: 'contractEnd', rule: RULE.minimumTerm },
];

/** The table's row for a move, or undefined when the move is not allowed. */
export function transitionFor(from: ContractStatus, by: Mover): Transition | undefined {
  return TRANSITIONS.find((t) => t.by === by && t.from.includes(from));
}

/** Move the status by the table; a move it lacks throws (the checks before it should have refused). */
export function moveTo(s: ContractState, by: Mover, today: IsoDate): Transition {
  const t = transitionFor(s.status, by);
  if (!t) throw new Error(`no transition from ${s.status} by ${by} (contract ${s.contractId})`);
  s.status = t.to;
  if (t.to === 'ended' || t.to === 'rejected') s.endedOn = today;
  if (t.to !== 'suspended') s.suspension = null;
  return t;
}

/** The one way a contract ends: by the table, on `today`, its suspension lifted (the last day is in `s.end`). */
export function endContract(s: ContractState, by: Extract<Mover, 'terminateForCause' | 'overdueTermination' | 'contractEnd'>, today: IsoDate): void {
  moveTo(s, by, today);
}
