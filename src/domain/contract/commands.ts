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
import type { Handler } from './handler';
import type { ContractState } from './state';
import { resumeIfNoGround, suspendByBackOffice, suspensionGrounds } from './suspension';
import { changeEffects, feesOn } from './terms';
import { moveTo } from './transitions';

const noChangeRequest = (s: ContractState) => (s.pendingChange ? null : refuse(RULE.changeRequest, 'there is no change request awaiting a decision'));
/** Art. 12-2 with D-2: a change request is decided within 60 days of its receipt, like an application. */
const changeWindowClosed = (s: ContractState, today: IsoDate) =>
  s.pendingChange && today > approvalDeadline(s.pendingChange.requestedOn)
    ? refuse(
        RULE.changeRequest,
        `the 60-day window for the change requested on ${s.pendingChange.requestedOn} closed on ${approvalDeadline(s.pendingChange.requestedOn)}; it is deemed rejected`,
      )
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
        result: { summary: `approved; usage starts ${c.startDate}, minimum term ends ${s.minimumTermEnd}`, ...facts },
        effects: [notice(s, 'approved', today, 'application', facts)],
      };
    },
  },
  reject: {
    check: (s) => requireStatus(s, ['pending'], 'rejection', RULE.approvalWindow),
    apply: (s, _c, today) => {
      moveTo(s, 'reject', today);
      // Art. 10: the reason stays internal; the notice carries none.
      return { result: { summary: 'application rejected' }, effects: [notice(s, 'rejected', today, 'application')] };
    },
  },
  requestChange: {
    check: (s) =>
      live(s, 'a change request', RULE.changeRequest) ??
      (s.pendingChange ? refuse(RULE.changeRequest, `a change requested on ${s.pendingChange.requestedOn} is still awaiting a decision`) : null) ??
      (s.end ? refuse(RULE.changeRequest, `the contract ends on ${s.end.lastDay}`) : null),
    apply: (s, c, today) => {
      const { requestId, actor: _actor, ...change } = c;
      s.pendingChange = { requestId, requestedOn: today, change };
      return { result: { summary: `change request received; decide by ${approvalDeadline(today)} (${RULE.changeRequest})` }, effects: [] };
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
          summary: `change takes effect ${effectiveMonth}-01; monthly fee ${fixedMonthlyFee} yen`,
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
      return { result: { summary: 'change request rejected' }, effects: [notice(s, 'changeRejected', today, c.requestId)] };
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
        result: { summary: `cancellation accepted; the contract ends on ${end.lastDay}`, ...facts },
        effects: [notice(s, 'cancellationAccepted', today, c.requestId, facts)],
      };
    },
  },
  declineRenewal: {
    check: (s) => live(s, 'declining the renewal', RULE.renewal) ?? (s.end ? refuse(RULE.renewal, `the contract already ends on ${s.end.lastDay}`) : null),
    apply: (s, c, today) => {
      const termEnd = currentTermEnd(s.startDate!, today);
      const lastDay = endAfterRenewalDecline(today, termEnd);
      const end = fixEnd(s, today, lastDay, 'renewalDeclined', c.by);
      const facts = { endDate: lastDay, earlyTerminationFee: end.earlyTerminationFee, article: RULE.renewal, ...dropped(end.droppedChanges) };
      const summary =
        lastDay !== termEnd
          ? `declined after ${renewalDeclineDeadline(termEnd)} (one month before ${termEnd}): applies to the next term; the contract ends on ${lastDay}`
          : `renewal declined; the contract ends on ${lastDay}`;
      return { result: { summary, ...facts }, effects: [notice(s, 'renewalDeclined', today, c.requestId, facts)] };
    },
  },
  terminateForCause: {
    check: (s) => live(s, 'termination for cause', RULE.terminationForCause),
    apply: (s, c, today) => {
      const effects = terminateForCauseToday(s, today, 'terminateForCause', c.requestId);
      const facts = { terminationDay: today, earlyTerminationFee: s.end!.earlyTerminationFee, article: RULE.terminationForCause };
      return { result: { summary: `terminated for cause on ${today}`, ...facts }, effects };
    },
  },
  terminateForConvenience: {
    check: (s, c, today) =>
      live(s, 'termination for convenience', RULE.terminationForConvenience) ??
      fromVerdict(convenienceTerminationVerdict({ today, endDay: c.endDate, fixedEnd: s.end?.lastDay })),
    apply: (s, c, today) => {
      const end = fixEnd(s, today, c.endDate, 'terminationForConvenience', 'provider');
      const facts = { endDate: end.lastDay, compensation: end.compensation, article: RULE.terminationForConvenience, ...dropped(end.droppedChanges) };
      return {
        result: { summary: `termination notice given; the contract ends on ${end.lastDay}`, ...facts },
        effects: [notice(s, 'terminationNotice', today, c.requestId, facts)],
      };
    },
  },
  suspend: {
    // D-26: a ground of its own, beside a suspension for non-payment if one stands.
    check: (s) =>
      inService(s, 'suspension', RULE.suspensionGrounds) ??
      (s.suspension?.backOffice ? refuse(RULE.suspensionGrounds, `the back office already suspended the service on ${s.suspension.backOffice.since}`) : null),
    apply: (s, c, today) => {
      const effects = suspendByBackOffice(s, today, c.requestId);
      return { result: { summary: `suspended from ${today}; fees continue (${RULE.feesDuringSuspension})`, grounds: suspensionGrounds(s) }, effects };
    },
  },
  resume: {
    // D-26: lifts the back office's ground only; a non-payment suspension is lifted by paying (D-25).
    check: (s) =>
      requireStatus(s, ['suspended'], 'resuming', RULE.suspensionGrounds) ??
      (s.suspension?.backOffice
        ? null
        : refuse(RULE.nonPaymentSuspension, `the service is suspended for non-payment of ${unpaidNamed(s)}; it resumes once they are paid`)),
    apply: (s, c, today) => {
      s.suspension!.backOffice = null;
      const effects = resumeIfNoGround(s, today, c.requestId, 'resume');
      const summary = effects.length
        ? `service resumed on ${today}`
        : `the back office's suspension is lifted; the service stays suspended for non-payment of ${unpaidNamed(s)}`;
      return { result: { summary, grounds: suspensionGrounds(s) }, effects };
    },
  },
  pay: { check: checkPay, apply: pay },
  reversePayment: { check: checkReversePayment, apply: reversePayment },
  reportOutage: adjustments.reportOutage,
  recogniseDamages: adjustments.recogniseDamages,
  penalty: adjustments.penalty,
  charge: adjustments.charge,
  changeContact: {
    check: (s) => (s.dataDeletedOn ? refuse(RULE.dataDeletion, `the customer's data was deleted on ${s.dataDeletedOn}`) : null),
    // The ledger holds the contact and resolves the latest at each notice (Art. 12-4); revisions only grow.
    apply: (s, c, today) => {
      if (c.contactRevision > s.contactRevision) {
        s.contactRevision = c.contactRevision;
        s.contactChangedOn = today;
      }
      return {
        result: {
          summary: `contact revision ${s.contactRevision} on record; later notices go to it (${RULE.noticesToLatestContact})`,
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
    check: (s) => (s.failedEffects.length ? null : refuse(RULE.operations, 'there is no failed effect to retry')),
    apply: (s) => {
      const effects = s.failedEffects.map((f) => f.effect);
      s.failedEffects = [];
      return { result: { summary: `retrying ${effects.length} effect(s)`, retried: effects.map((e) => e.type) }, effects };
    },
  },
};
