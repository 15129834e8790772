/**
 * The back-office commands as a state machine: `check` answers whether a command is accepted on a day
 * (pure; the update validator), `apply` changes the state and lists the effects (the update handler).
 * Every number and date comes from the domain; every refusal names its rule.
 */
import { addDays, firstDayOf, jstDateOf, monthOf } from '../../domain/calendar';
import {
  componentAdditionLine,
} from '../../domain/billing';
import {
  convenienceCompensation,
  damagesReduction,
  downgradeSettlement,
  earlyTerminationFee,
  extraChargeLine,
  outageCredit,
  penaltyLines,
} from '../../domain/charges';
import {
  approvalDeadline,
  approvalVerdict,
  cancellationVerdict,
  changeEffectiveMonthVerdict,
  convenienceTerminationVerdict,
  damagesClaimVerdict,
  damagesReductionPeriod,
  defaultChangeEffectiveMonth,
  earliestCancellationEnd,
  endAfterRenewalDecline,
  minimumTermEnd,
  renewalDeclineDeadline,
} from '../../domain/lifecycle';
import { monthlyFees } from '../../domain/pricing';
import { RULE } from '../../domain/rules';
import { termsInForce, termsOnDay } from '../../domain/statement';
import type { IsoDate, Party, ServiceTerms, Verdict } from '../../domain/types';
import type { Command, CommandName } from '../../domain/validation';
import { closeBillingPeriod, checkCloseBillingPeriod, pay, checkPay } from './money';
import { feesOn, notice } from './effects';
import type { CommandResult, ContractState, EndKind, Effect } from './state';

export interface Refusal {
  rule: string;
  message: string;
}
export type Check<N extends CommandName> = (s: ContractState, c: Command<N>, today: IsoDate) => Refusal | null;
export type Apply<N extends CommandName> = (s: ContractState, c: Command<N>, today: IsoDate) => { result: CommandResult; effects: Effect[] };

const refuse = (rule: string, message: string): Refusal => ({ rule, message });
const fromVerdict = (v: Verdict): Refusal | null => (v.ok ? null : refuse(v.rule, v.reason));

function requireStatus(s: ContractState, allowed: ContractState['status'][], what: string, rule: string): Refusal | null {
  return allowed.includes(s.status)
    ? null
    : refuse(rule, `${what} is not possible while the contract is ${s.status}${s.status === 'pending' ? ' (awaiting approval)' : ''}`);
}
const live = (s: ContractState, what: string, rule: string) => requireStatus(s, ['active', 'suspended'], what, rule);

/** Fix (or move earlier) the last contract day, with the ETF or compensation it brings (Art. 11-2, 29-3). */
function fixEnd(s: ContractState, today: IsoDate, lastDay: IsoDate, kind: EndKind, by: Party, compensationBase?: number) {
  s.scheduledLines = s.scheduledLines.filter((l) => !l.tiedToEnd);
  const period = monthOf(lastDay);
  // Art. 11-2: no ETF when the end is solely the provider's doing (Art. 29-3).
  const etf =
    kind === 'terminationForConvenience' || !s.minimumTermEnd
      ? null
      : earlyTerminationFee({ endDay: lastDay, minimumTermEnd: s.minimumTermEnd, fixedMonthlyFee: feesOn(s, lastDay).fixedMonthlyFee });
  if (etf) s.scheduledLines.push({ period, line: etf, tiedToEnd: true });
  const compensation = compensationBase !== undefined ? convenienceCompensation(compensationBase) : null;
  if (compensation) s.scheduledLines.push({ period, line: compensation, tiedToEnd: true });
  s.end = { lastDay, kind, fixedOn: today, by, earlyTerminationFee: etf?.amount ?? 0, compensation: -(compensation?.amount ?? 0) };
  return s.end;
}

function mergedTerms(current: ServiceTerms, change: Partial<ServiceTerms>): ServiceTerms {
  return {
    plan: change.plan ?? current.plan,
    components: change.components ?? current.components,
    metricCapRelaxations: change.metricCapRelaxations ?? current.metricCapRelaxations,
    cloudMonthlyFee: change.cloudMonthlyFee ?? current.cloudMonthlyFee,
  };
}

type Handler<N extends CommandName> = { check: Check<N>; apply: Apply<N> };
type Handlers = { [N in CommandName]: Handler<N> };

export const handlers: Handlers = {
  approve: {
    check: (s, c, today) =>
      requireStatus(s, ['pending'], 'approval', RULE.approvalWindow) ??
      fromVerdict(approvalVerdict({ receivedOn: s.appliedOn, today, startDate: c.startDate })),
    apply: (s, c, today) => {
      s.status = 'active';
      s.approvedOn = today;
      s.startDate = c.startDate;
      s.minimumTermEnd = minimumTermEnd(c.startDate);
      s.currentTermEnd = s.minimumTermEnd;
      s.terms = [{ from: monthOf(c.startDate), terms: s.terms[0]!.terms }];
      const facts = { startDate: c.startDate, minimumTermEnd: s.minimumTermEnd, article: '第8条・第9条' };
      return {
        result: { summary: `approved; usage starts ${c.startDate}, minimum term ends ${s.minimumTermEnd}`, ...facts },
        effects: [notice(s, 'approved', today, 'application', facts)],
      };
    },
  },
  reject: {
    check: (s) => requireStatus(s, ['pending'], 'rejection', RULE.approvalWindow),
    apply: (s, _c, today) => {
      s.status = 'rejected';
      s.endedOn = today;
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
      const { requestId, ...change } = c;
      s.pendingChange = { requestId, requestedOn: today, change };
      return { result: { summary: `change request received; decide by ${approvalDeadline(today)} (第12条, D-2)` }, effects: [] };
    },
  },
  approveChange: {
    check: (s, c, today) =>
      (s.pendingChange ? null : refuse(RULE.changeRequest, 'there is no change request awaiting a decision')) ??
      fromVerdict(
        changeEffectiveMonthVerdict({ today, effectiveMonth: c.effectiveMonth ?? defaultChangeEffectiveMonth(today), lastContractDay: s.end?.lastDay }),
      ),
    apply: (s, c, today) => {
      const effectiveMonth = c.effectiveMonth ?? defaultChangeEffectiveMonth(today);
      const before = termsInForce(s.terms, effectiveMonth);
      const after = mergedTerms(before, s.pendingChange!.change);
      s.terms = [...s.terms.filter((t) => t.from < effectiveMonth), { from: effectiveMonth, terms: after }];
      s.pendingChange = null;
      const added = after.components.length - before.components.length;
      // Appendix 2: the initial fee counts the components of the first month; only components added
      // after that month cost the addition fee (a change taking effect by then is part of the start).
      const startMonth = monthOf(s.startDate!);
      if (added > 0 && effectiveMonth > startMonth) s.scheduledLines.push({ period: effectiveMonth, line: componentAdditionLine(added), tiedToEnd: false });
      // Art. 11-3: only a change taking effect inside the minimum term (on or after S) costs a settlement.
      const settlement = s.minimumTermEnd && firstDayOf(effectiveMonth) >= s.startDate!
        ? downgradeSettlement({
            oldFixedMonthlyFee: monthlyFees(before).fixedMonthlyFee,
            newFixedMonthlyFee: monthlyFees(after).fixedMonthlyFee,
            effectiveMonth,
            minimumTermEnd: s.minimumTermEnd,
          })
        : null;
      if (settlement) s.scheduledLines.push({ period: effectiveMonth, line: settlement, tiedToEnd: false });
      const facts = { effectiveMonth, amount: monthlyFees(after).fixedMonthlyFee, article: '第12条' };
      return {
        result: {
          summary: `change takes effect ${effectiveMonth}-01; monthly fee ${monthlyFees(after).fixedMonthlyFee} yen`,
          effectiveMonth,
          fixedMonthlyFee: monthlyFees(after).fixedMonthlyFee,
          downgradeSettlement: settlement?.amount ?? 0,
          componentAddition: added > 0 && effectiveMonth > startMonth ? added : 0,
        },
        effects: [notice(s, 'changeApproved', today, c.requestId, facts)],
      };
    },
  },
  rejectChange: {
    check: (s) => (s.pendingChange ? null : refuse(RULE.changeRequest, 'there is no change request awaiting a decision')),
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
      const facts = { endDate: end.lastDay, earlyTerminationFee: end.earlyTerminationFee, article: '第28条・第11条' };
      return {
        result: { summary: `cancellation accepted; the contract ends on ${end.lastDay}`, ...facts },
        effects: [notice(s, 'cancellationAccepted', today, c.requestId, facts)],
      };
    },
  },
  declineRenewal: {
    check: (s) =>
      live(s, 'declining the renewal', RULE.renewal) ??
      (s.end ? refuse(RULE.renewal, `the contract already ends on ${s.end.lastDay}`) : null),
    apply: (s, c, today) => {
      const lastDay = endAfterRenewalDecline(today, s.currentTermEnd!);
      const end = fixEnd(s, today, lastDay, 'renewalDeclined', c.by);
      const late = lastDay !== s.currentTermEnd;
      const facts = { endDate: lastDay, earlyTerminationFee: end.earlyTerminationFee, article: '第11条1項' };
      return {
        result: {
          summary: late
            ? `declined after ${renewalDeclineDeadline(s.currentTermEnd!)} (one month before ${s.currentTermEnd}): applies to the next term; the contract ends on ${lastDay}`
            : `renewal declined; the contract ends on ${lastDay}`,
          ...facts,
        },
        effects: [notice(s, 'renewalDeclined', today, c.requestId, facts)],
      };
    },
  },
  terminateForCause: {
    check: (s) => live(s, 'termination for cause', RULE.terminationForCause),
    apply: (s, c, today) => {
      const end = fixEnd(s, today, today, 'terminationForCause', 'provider');
      s.status = 'ended';
      s.endedOn = today;
      s.suspension = null;
      const facts = { terminationDay: today, earlyTerminationFee: end.earlyTerminationFee, article: '第29条1項' };
      return { result: { summary: `terminated for cause on ${today}`, ...facts }, effects: [notice(s, 'terminated', today, c.requestId, facts)] };
    },
  },
  terminateForConvenience: {
    check: (s, c, today) =>
      live(s, 'termination for convenience', RULE.terminationForConvenience) ??
      fromVerdict(convenienceTerminationVerdict({ today, endDay: c.endDate, fixedEnd: s.end?.lastDay })),
    apply: (s, c, today) => {
      // Art. 29-3: three months of the monthly fees in force on the notice day.
      const end = fixEnd(s, today, c.endDate, 'terminationForConvenience', 'provider', feesOn(s, today).fixedMonthlyFee);
      const facts = { endDate: end.lastDay, compensation: end.compensation, article: '第29条3項' };
      return {
        result: { summary: `termination notice given; the contract ends on ${end.lastDay}`, ...facts },
        effects: [notice(s, 'terminationNotice', today, c.requestId, facts)],
      };
    },
  },
  suspend: {
    check: (s) => requireStatus(s, ['active'], 'suspension', RULE.suspension),
    apply: (s, c, today) => {
      s.status = 'suspended';
      s.suspension = { since: today, cause: 'manual' };
      return { result: { summary: `suspended from ${today}; fees continue (第25条)` }, effects: [notice(s, 'suspended', today, c.requestId, { article: '第18条' })] };
    },
  },
  resume: {
    check: (s) => requireStatus(s, ['suspended'], 'resuming', RULE.suspension),
    apply: (s, c, today) => {
      s.status = 'active';
      s.suspension = null;
      return { result: { summary: `service resumed on ${today}` }, effects: [notice(s, 'resumed', today, c.requestId, { article: '第18条' })] };
    },
  },
  pay: { check: checkPay, apply: pay },
  reportOutage: {
    check: (s, c) =>
      requireStatus(s, ['active', 'suspended', 'ended'], 'an outage report', RULE.outageCredit) ??
      (s.startDate && jstDateOf(Date.parse(c.knownAt)) < s.startDate ? refuse(RULE.outageCredit, `the outage began before the usage start ${s.startDate}`) : null),
    apply: (s, c, today) => {
      // Art. 24-2: the monthly fee of the days lost, i.e. in force when the outage began (not on the report day).
      const line = outageCredit({ ...c, fees: feesOn(s, jstDateOf(Date.parse(c.knownAt))), startDate: s.startDate! });
      if (line) s.pendingLines.push(line);
      return { result: { summary: line ? `outage credit ${-line.amount} yen on the next invoice` : 'no credit is due for this outage (第24条)', credit: -(line?.amount ?? 0) }, effects: [] };
    },
  },
  recogniseDamages: {
    check: (s, c, today) =>
      requireStatus(s, ['active', 'suspended', 'ended'], 'recognising damages', RULE.damagesReduction) ??
      fromVerdict(damagesClaimVerdict({ today, occurredOn: c.occurredOn })),
    apply: (s, c, today) => {
      const period = damagesReductionPeriod(today);
      const line = damagesReduction({ amount: c.amount, monthlyFeeCap: feesOn(s, c.occurredOn).fixedMonthlyFee });
      s.scheduledLines.push({ period, line, tiedToEnd: false });
      return { result: { summary: `reduction of ${-line.amount} yen on the invoice for ${period}`, period, reduction: -line.amount }, effects: [] };
    },
  },
  penalty: {
    check: (s) => requireStatus(s, ['active', 'suspended', 'ended'], 'a penalty', RULE.penalty),
    apply: (s, c) => {
      const lines = penaltyLines(c.evadedAmount);
      s.pendingLines.push(...lines);
      return { result: { summary: `penalty of ${lines.reduce((a, l) => a + l.amount, 0)} yen before tax on the next invoice` }, effects: [] };
    },
  },
  charge: {
    check: (s) => requireStatus(s, ['active', 'suspended', 'ended'], 'an extra charge', RULE.extraCharge),
    apply: (s, c) => {
      s.pendingLines.push(extraChargeLine(c.description, c.amount, c.taxable));
      return { result: { summary: `${c.amount} yen (${c.taxable ? 'taxable' : 'non-taxable'}) on the next invoice` }, effects: [] };
    },
  },
  changeContact: {
    check: (s) => (s.dataDeletedOn ? refuse(RULE.dataDeletion, `the customer's data was deleted on ${s.dataDeletedOn}`) : null),
    apply: (s, c) => {
      s.customer = { name: c.name ?? s.customer.name, email: c.email };
      return { result: { summary: 'contact changed; later notices go to the new address (第12条4項)' }, effects: [] };
    },
  },
  closeBillingPeriod: { check: checkCloseBillingPeriod, apply: closeBillingPeriod },
  retryFailedEffects: {
    check: (s) => (s.failedEffects.length ? null : refuse('-', 'there is no failed effect to retry')),
    apply: (s) => {
      const effects = s.failedEffects.map((f) => f.effect);
      s.failedEffects = [];
      return { result: { summary: `retrying ${effects.length} effect(s)`, retried: effects.map((e) => e.type) }, effects };
    },
  },
};

/** Art. 28 quote: may the customer end on `endDay` if they give notice today, and what would it cost? */
export function quoteCancellation(s: ContractState, endDay: IsoDate, today: IsoDate) {
  const refusal =
    live(s, 'cancellation', RULE.cancellation) ??
    fromVerdict(cancellationVerdict({ today, endDay, startDate: s.startDate ?? endDay, fixedEnd: s.end?.lastDay }));
  const etf =
    s.minimumTermEnd && !refusal
      ? earlyTerminationFee({ endDay, minimumTermEnd: s.minimumTermEnd, fixedMonthlyFee: monthlyFees(termsOnDay(s.terms, endDay)).fixedMonthlyFee })
      : null;
  return {
    endDay,
    valid: refusal === null,
    reason: refusal?.message ?? null,
    rule: refusal?.rule ?? RULE.cancellation,
    earliestEndDay: earliestCancellationEnd(today),
    earlyTerminationFee: etf?.amount ?? 0,
    lastBilledMonth: monthOf(endDay),
  };
}
