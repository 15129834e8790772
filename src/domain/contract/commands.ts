/**
 * The back-office commands on the contract's life: `check` answers whether a command is accepted on a day
 * (pure; the update validator), `apply` changes the state and lists the effects (the update handler).
 * Billing and payments are in money.ts, credits and charges in adjustments.ts. Every number and date comes from the domain; every refusal names its rule.
 */
import { firstDayOf } from '../calendar';
import {
  approvalDeadline,
  approvalVerdict,
  cancellationVerdict,
  changeEffectiveMonthVerdict,
  convenienceTerminationVerdict,
  currentTermEnd,
  defaultChangeEffectiveMonth,
  endAfterRenewalDecline,
  minimumTermEnd,
  renewalDeclineDeadline,
} from '../lifecycle';
import { RULE } from '../rules';
import type { IsoDate } from '../types';
import type { CommandName } from '../validation';
import { adjustments } from './adjustments';
import { allowances } from './allowances';
import { provider } from './provider';
import { dropped, fixEnd, terminateForCauseToday } from './ending';
import { notice } from './notices';
import { checkCloseBillingPeriod, checkPay, checkReversePayment, closeBillingPeriod, pay, reversePayment } from './money';
import { fromVerdict, inService, live, refuse, requireStatus } from './refusals';
import { done } from './said';
import type { Handler } from './handler';
import type { ContractState } from './state';
import { resumeIfNoGround, suspendByBackOffice, suspensionGrounds } from './suspension';
import { changeEffects, feesOn } from './terms';
import { moveTo } from './transitions';

const noChangeRequest = (s: ContractState) => (s.pendingChange ? null : refuse(RULE.changeRequest, 'noChangeRequest', {}));
/** Art. 12-2 with D-2: a change request is decided within 60 days of its receipt, like an application. */
const changeWindowClosed = (s: ContractState, today: IsoDate) =>
  s.pendingChange && today > approvalDeadline(s.pendingChange.requestedOn)
    ? refuse(RULE.changeRequest, 'changeWindowClosed', {
        requestedOn: s.pendingChange.requestedOn,
        closedOn: approvalDeadline(s.pendingChange.requestedOn),
      })
    : null;

/** The commands of the contract's own life; the four-eyes commands around them are in approvals.ts. */
export type LifeCommand = Exclude<CommandName, 'requestApproval' | 'approveRequest' | 'withdrawRequest'>;

/** The invoices the open non-payment notices ask for (D-25). */
const unpaidNamed = (s: ContractState) =>
  suspensionGrounds(s)
    .flatMap((g) => (g.ground === 'nonPayment' ? g.periods : []))
    .join(', ');

export const handlers: { [N in LifeCommand]: Handler<N> } = {
  approve: {
    check: (s, c, today) =>
      requireStatus(s, ['pending'], 'approval', RULE.approvalWindow) ??
      fromVerdict(approvalVerdict({ receivedOn: s.appliedOn, today, startDate: c.startDate })),
    apply: (s, c, today) => {
      moveTo(s, 'approve', today);
      if (c.startDate <= today) moveTo(s, 'usageStart', today); // Art. 9: established on S
      s.approvedOn = today;
      s.startDate = c.startDate;
      s.minimumTermEnd = minimumTermEnd(c.startDate);
      const facts = { startDate: c.startDate, minimumTermEnd: s.minimumTermEnd, article: `${RULE.approvalWindow} ${RULE.usageStart}` };
      return {
        result: { ...done('approved', { startDate: c.startDate, minimumTermEnd: s.minimumTermEnd }), ...facts },
        effects: [notice(s, 'approved', today, 'application', facts)],
      };
    },
  },
  reject: {
    check: (s) => requireStatus(s, ['pending'], 'rejection', RULE.approvalWindow),
    apply: (s, _c, today) => {
      moveTo(s, 'reject', today);
      // Art. 10: the reason stays internal; the notice carries none.
      return { result: done('rejected', {}), effects: [notice(s, 'rejected', today, 'application')] };
    },
  },
  requestChange: {
    check: (s) =>
      live(s, 'changeRequest', RULE.changeRequest) ??
      (s.pendingChange ? refuse(RULE.changeRequest, 'changeAwaiting', { requestedOn: s.pendingChange.requestedOn }) : null) ??
      (s.end ? refuse(RULE.changeRequest, 'contractEndsOn', { lastDay: s.end.lastDay }) : null),
    apply: (s, c, today) => {
      const { requestId, actor: _actor, ...change } = c;
      s.pendingChange = { requestId, requestedOn: today, change };
      return { result: done('changeReceived', { decideBy: approvalDeadline(today), rule: RULE.changeRequest }), effects: [] };
    },
  },
  approveChange: {
    check: (s, c, today) =>
      noChangeRequest(s) ??
      changeWindowClosed(s, today) ??
      fromVerdict(
        changeEffectiveMonthVerdict({ today, effectiveMonth: c.effectiveMonth ?? defaultChangeEffectiveMonth(today), lastContractDay: s.end?.lastDay }),
      ),
    apply: (s, c, today) => {
      const effectiveMonth = c.effectiveMonth ?? defaultChangeEffectiveMonth(today);
      // D-28: the change joins the others; the terms of each month follow from all of them (terms.ts).
      s.changes.push({ requestId: s.pendingChange!.requestId, approvedOn: today, effectiveMonth, change: s.pendingChange!.change });
      s.pendingChange = null;
      // Appendix 2 and Art. 11-3 (D-6, D-17): what the month brings, billed with it and derived again then.
      const { componentsAdded, settlement } = changeEffects(s, effectiveMonth);
      const fixedMonthlyFee = feesOn(s, firstDayOf(effectiveMonth)).fixedMonthlyFee;
      const facts = { effectiveMonth, amount: fixedMonthlyFee, article: RULE.approvedChanges };
      return {
        result: {
          ...done('changeApproved', { effectiveMonth, fee: fixedMonthlyFee }),
          effectiveMonth,
          fixedMonthlyFee,
          downgradeSettlement: settlement?.amount ?? 0,
          componentAddition: componentsAdded,
        },
        effects: [notice(s, 'changeApproved', today, c.requestId, facts)],
      };
    },
  },
  rejectChange: {
    check: noChangeRequest,
    apply: (s, c, today) => {
      s.pendingChange = null;
      return { result: done('changeRejected', {}), effects: [notice(s, 'changeRejected', today, c.requestId)] };
    },
  },
  cancel: {
    check: (s, c, today) =>
      live(s, 'cancellation', RULE.cancellation) ??
      fromVerdict(cancellationVerdict({ today, endDay: c.endDate, startDate: s.startDate!, fixedEnd: s.end?.lastDay })),
    apply: (s, c, today) => {
      const end = fixEnd(s, today, c.endDate, 'cancellation', 'customer');
      const facts = {
        endDate: end.lastDay,
        earlyTerminationFee: end.earlyTerminationFee,
        article: `${RULE.cancellation} ${RULE.earlyTermination}`,
        ...dropped(end.droppedChanges),
      };
      return {
        result: { ...done('cancelled', { lastDay: end.lastDay }), ...facts },
        effects: [notice(s, 'cancellationAccepted', today, c.requestId, facts)],
      };
    },
  },
  declineRenewal: {
    check: (s) => live(s, 'renewalDecline', RULE.renewal) ?? (s.end ? refuse(RULE.renewal, 'alreadyEnds', { lastDay: s.end.lastDay }) : null),
    apply: (s, c, today) => {
      const termEnd = currentTermEnd(s.startDate!, today);
      const lastDay = endAfterRenewalDecline(today, termEnd);
      const end = fixEnd(s, today, lastDay, 'renewalDeclined', c.by);
      const facts = { endDate: lastDay, earlyTerminationFee: end.earlyTerminationFee, article: RULE.renewal, ...dropped(end.droppedChanges) };
      const said =
        lastDay !== termEnd
          ? done('renewalDeclinedLate', { deadline: renewalDeclineDeadline(termEnd), termEnd, lastDay })
          : done('renewalDeclined', { lastDay });
      return { result: { ...said, ...facts }, effects: [notice(s, 'renewalDeclined', today, c.requestId, facts)] };
    },
  },
  terminateForCause: {
    check: (s) => live(s, 'terminationForCause', RULE.terminationForCause),
    apply: (s, c, today) => {
      const effects = terminateForCauseToday(s, today, 'terminateForCause', c.requestId);
      const facts = { terminationDay: today, earlyTerminationFee: s.end!.earlyTerminationFee, article: RULE.terminationForCause };
      return { result: { ...done('terminatedForCause', { today }), ...facts }, effects };
    },
  },
  terminateForConvenience: {
    check: (s, c, today) =>
      live(s, 'terminationForConvenience', RULE.terminationForConvenience) ??
      fromVerdict(convenienceTerminationVerdict({ today, endDay: c.endDate, fixedEnd: s.end?.lastDay })),
    apply: (s, c, today) => {
      const end = fixEnd(s, today, c.endDate, 'terminationForConvenience', 'provider');
      const facts = { endDate: end.lastDay, compensation: end.compensation, article: RULE.terminationForConvenience, ...dropped(end.droppedChanges) };
      return {
        result: { ...done('terminationNoticeGiven', { lastDay: end.lastDay }), ...facts },
        effects: [notice(s, 'terminationNotice', today, c.requestId, facts)],
      };
    },
  },
  suspend: {
    // D-26: a ground of its own, beside a suspension for non-payment if one stands.
    check: (s) =>
      inService(s, 'suspension', RULE.suspensionGrounds) ??
      (s.suspension?.backOffice ? refuse(RULE.suspensionGrounds, 'alreadySuspended', { since: s.suspension.backOffice.since }) : null),
    apply: (s, c, today) => {
      const effects = suspendByBackOffice(s, today, c.requestId);
      return { result: { ...done('suspended', { today, rule: RULE.feesDuringSuspension }), grounds: suspensionGrounds(s) }, effects };
    },
  },
  resume: {
    // D-26: lifts the back office's ground only; a non-payment suspension is lifted by paying (D-25).
    check: (s) =>
      requireStatus(s, ['suspended'], 'resumption', RULE.suspensionGrounds) ??
      (s.suspension?.backOffice ? null : refuse(RULE.nonPaymentSuspension, 'suspendedForNonPayment', { unpaid: unpaidNamed(s) })),
    apply: (s, c, today) => {
      s.suspension!.backOffice = null;
      const effects = resumeIfNoGround(s, today, c.requestId, 'resume');
      const said = effects.length ? done('resumed', { today }) : done('stillSuspended', { unpaid: unpaidNamed(s) });
      return { result: { ...said, grounds: suspensionGrounds(s) }, effects };
    },
  },
  pay: { check: checkPay, apply: pay },
  reversePayment: { check: checkReversePayment, apply: reversePayment },
  reportOutage: adjustments.reportOutage,
  recogniseDamages: adjustments.recogniseDamages,
  penalty: adjustments.penalty,
  charge: adjustments.charge,
  changeContact: {
    check: (s) => (s.dataDeletedOn ? refuse(RULE.dataDeletion, 'dataDeleted', { on: s.dataDeletedOn }) : null),
    // The ledger holds the contact and resolves the latest at each notice (Art. 12-4); revisions only grow.
    apply: (s, c, today) => {
      if (c.contactRevision > s.contactRevision) {
        s.contactRevision = c.contactRevision;
        s.contactChangedOn = today;
      }
      return {
        result: {
          ...done('contactOnRecord', { revision: s.contactRevision, rule: RULE.noticesToLatestContact }),
          contactRevision: s.contactRevision,
        },
        effects: [],
      };
    },
  },
  closeBillingPeriod: { check: checkCloseBillingPeriod, apply: closeBillingPeriod },
  ...provider,
  ...allowances,
  retryFailedEffects: {
    check: (s) => (s.failedEffects.length ? null : refuse(RULE.operations, 'noFailedEffect', {})),
    apply: (s) => {
      const effects = s.failedEffects.map((f) => f.effect);
      s.failedEffects = [];
      return { result: { ...done('retrying', { count: effects.length }), retried: effects.map((e) => e.type) }, effects };
    },
  },
};
