/**
 * Four eyes (operations): a step on money or an irreversible one is asked for by one supervisor and
 * carried out when a second, not the one who asked, approves it within FOUR_EYES_REQUEST_DAYS. The request
 * waits in the contract, visible; it lapses, or is withdrawn. The action's own rules are checked when it is
 * asked for and again when it is approved (the contract may have moved on in between).
 */
import { addDays } from '../calendar';
import { actorText, FOUR_EYES, FOUR_EYES_REQUEST_DAYS, type Actor, type FourEyesAction } from '../actor';
import type { IsoDate } from '../types';
import type { Command } from '../validation';
import { handlers } from './commands';
import type { Handler } from './handler';
import { done } from './said';
import { byActor, refuse, type Refusal } from './refusals';
import type { ContractState, PendingApproval } from './state';

/** The action as a command of its own, asked by `actor` under the request's id. */
function inner(p: Pick<PendingApproval, 'id' | 'action' | 'input'>, actor: Actor): Command<FourEyesAction> {
  return { ...p.input, requestId: p.id, actor } as Command<FourEyesAction>;
}
const actionHandler = (a: FourEyesAction) => handlers[a] as unknown as Handler<FourEyesAction>;

function waiting(s: ContractState, id: string, today: IsoDate): PendingApproval | Refusal {
  const p = s.pendingApprovals.find((x) => x.id === id);
  if (!p) return refuse(FOUR_EYES, 'noSuchRequest', { id });
  if (today > p.expiresOn) return refuse(FOUR_EYES, 'requestLapsed', { id, action: p.action, expiresOn: p.expiresOn, days: FOUR_EYES_REQUEST_DAYS });
  return p;
}
const isRefusal = (x: PendingApproval | Refusal): x is Refusal => 'rule' in x;

const LAPSED_KEPT = 20;

/** Requests past their last day are retired (the day after it, a due step), each kept on the record as lapsed. */
export function retireLapsed(s: ContractState, today: IsoDate): void {
  const lapsed = s.pendingApprovals.filter((p) => today > p.expiresOn);
  if (!lapsed.length) return;
  s.pendingApprovals = s.pendingApprovals.filter((p) => today <= p.expiresOn);
  const record = lapsed.map(({ input: _input, ...p }) => ({ ...p, lapsedOn: today }));
  s.lapsedApprovals = [...(s.lapsedApprovals ?? []), ...record].slice(-LAPSED_KEPT);
}

export const approvalHandlers: { [N in 'requestApproval' | 'approveRequest' | 'withdrawRequest']: Handler<N> } = {
  requestApproval: {
    check: (s, c, today) => {
      const open = s.pendingApprovals.find((p) => p.action === c.action && today <= p.expiresOn);
      if (open) return refuse(FOUR_EYES, 'requestAlreadyWaiting', { action: c.action, id: open.id, ...byActor(open.requestedBy), expiresOn: open.expiresOn });
      return actionHandler(c.action).check(s, inner({ id: c.requestId, action: c.action, input: c.input }, c.actor), today);
    },
    apply: (s, c, today) => {
      const expiresOn = addDays(today, FOUR_EYES_REQUEST_DAYS);
      // Art. 27: a payment keyed today was received by today; its damages stop then, not on the approval day.
      const input = c.action === 'pay' && c.input.paidOn === undefined ? { ...c.input, paidOn: today } : c.input;
      s.pendingApprovals.push({ id: c.requestId, action: c.action, input, reason: c.reason, requestedBy: c.actor, requestedOn: today, expiresOn });
      return {
        result: { ...done('approvalAsked', { action: c.action, expiresOn, rule: FOUR_EYES }), approvalOf: c.requestId, expiresOn },
        effects: [],
      };
    },
  },
  approveRequest: {
    check: (s, c, today) => {
      const p = waiting(s, c.approvalOf, today);
      if (isRefusal(p)) return p;
      if (p.requestedBy.id === c.actor.id) return refuse(FOUR_EYES, 'ownRequest', { ...byActor(c.actor), action: p.action, id: p.id });
      return actionHandler(p.action).check(s, inner(p, c.actor), today);
    },
    apply: (s, c, today) => {
      const p = waiting(s, c.approvalOf, today) as PendingApproval;
      s.pendingApprovals = s.pendingApprovals.filter((x) => x.id !== p.id);
      const { result, effects } = actionHandler(p.action).apply(s, inner(p, c.actor), today);
      return {
        result: {
          ...result,
          summary: `${result.summary} — asked by ${actorText(p.requestedBy)} (${p.reason}), approved by ${actorText(c.actor)}`,
          action: p.action,
          approvalOf: p.id,
        },
        effects,
      };
    },
  },
  withdrawRequest: {
    check: (s, c, today) => {
      const p = waiting(s, c.approvalOf, today);
      return isRefusal(p) ? p : null;
    },
    apply: (s, c) => {
      const p = s.pendingApprovals.find((x) => x.id === c.approvalOf)!;
      s.pendingApprovals = s.pendingApprovals.filter((x) => x.id !== p.id);
      return {
        result: { ...done('requestWithdrawn', { action: p.action, id: p.id, ...byActor(c.actor), reason: c.reason }), action: p.action, approvalOf: p.id },
        effects: [],
      };
    },
  },
};
