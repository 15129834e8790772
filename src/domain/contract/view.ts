/** What the `state` query shows: the contract at a glance for staff, the CLI and the simulator. */
import { monthOf } from '../calendar';
import { cancellationDeadline, currentTermEnd, endAfterRenewalDecline, renewalDeclineDeadline } from '../lifecycle';
import { RULE } from '../rules';
import { catalogIn } from '../price-lists';
import { monthlyFees } from '../pricing';
import { allowanceRows } from './allowances';
import type { IsoDate } from '../types';
import { balance, outstanding } from './balances';
import { suspensionGrounds } from './suspension';
import { changeLines, termsHistory, termsIn } from './terms';
import type { ContractState, ScheduledLine } from './state';
import { pendingSteps, stepDueAt } from './steps';

/**
 * The lines fixed for invoices not yet issued, by month: what the approved changes bring (D-28, derived from
 * the terms history) and the lines scheduled for a month (the ETF, the compensation, an Art. 21 reduction).
 */
export function upcomingLines(s: ContractState): ScheduledLine[] {
  const months = [...new Set(s.changes.map((c) => c.effectiveMonth))].filter((m) => s.billedThrough === null || m > s.billedThrough);
  const fromChanges = months.flatMap((period) => changeLines(s, period).map((line) => ({ period, line, tiedToEnd: false })));
  return [...fromChanges, ...s.scheduledLines]
    .map((l, i) => ({ l, i }))
    .sort((a, b) => (a.l.period === b.l.period ? a.i - b.i : a.l.period < b.l.period ? -1 : 1))
    .map((x) => x.l);
}

/** The last day of the term in force on `today` (Art. 11), once approved; the fixed end once it is earlier. */
export function termEndOn(s: ContractState, today: IsoDate): IsoDate | null {
  if (!s.startDate) return null;
  const termEnd = currentTermEnd(s.startDate, today);
  return s.end && s.end.lastDay < termEnd ? s.end.lastDay : termEnd;
}

/**
 * The two notice deadlines a clerk watches while no end is fixed (the dashboard's "this month"):
 * - `renewalDecline`: the last day a decline by either party still ends the contract at a term's end
 *   (Art. 11-1) — the current term's, or the next one's once that deadline has passed;
 * - `cancellationWithoutFee`: the last day an Art. 28 notice can end the contract on the minimum term's
 *   last day, the earliest end without an early termination fee (Art. 11-2); none once it has passed.
 */
export interface NoticeDeadlines {
  renewalDecline: { on: IsoDate; termEnd: IsoDate; article: string } | null;
  cancellationWithoutFee: { on: IsoDate; endDay: IsoDate; article: string } | null;
}
export function noticeDeadlines(s: ContractState, today: IsoDate): NoticeDeadlines {
  if (!s.startDate || !s.minimumTermEnd || s.end || (s.status !== 'approved' && s.status !== 'active' && s.status !== 'suspended'))
    return { renewalDecline: null, cancellationWithoutFee: null };
  const termEnd = endAfterRenewalDecline(today, currentTermEnd(s.startDate, today));
  const withoutFee = cancellationDeadline(s.minimumTermEnd);
  return {
    renewalDecline: { on: renewalDeclineDeadline(termEnd), termEnd, article: RULE.renewal },
    cancellationWithoutFee: today <= withoutFee ? { on: withoutFee, endDay: s.minimumTermEnd, article: RULE.cancellation } : null,
  };
}

/** Effects that could not be carried out for a while (an outage) and are still being retried. */
export interface WaitingEffects {
  /** When they left the fast path (ISO instant). */
  since: string;
  effects: string[];
}

export function contractView(s: ContractState, today: IsoDate, pendingEffects: number, waitingEffects: WaitingEffects | null = null) {
  const terms = termsIn(s, monthOf(today));
  return {
    contractId: s.contractId,
    status: s.status,
    customerId: s.customerId,
    contactRevision: s.contactRevision,
    contactChangedOn: s.contactChangedOn,
    today,
    appliedOn: s.appliedOn,
    approvedOn: s.approvedOn,
    startDate: s.startDate,
    minimumTermEnd: s.minimumTermEnd,
    currentTermEnd: termEndOn(s, today),
    noticeDeadlines: noticeDeadlines(s, today),
    endDate: s.end?.lastDay ?? null,
    end: s.end,
    endedOn: s.endedOn,
    dataDeletedOn: s.dataDeletedOn,
    terms,
    scheduledTerms: termsHistory(s).filter((t) => t.from > monthOf(today)),
    /** D-28: the approved changes, each from its own month. */
    changes: s.changes,
    fees: monthlyFees(terms, catalogIn(s.priceLists, monthOf(today))),
    /** D-17: the price-list versions announced to the contract (the first, PL-2025-04, is implicit). */
    priceLists: s.priceLists,
    /** Art. 5, D-18: the discontinuation of the service, once posted. */
    discontinuation: s.discontinuation,
    /** Art. 17-1-1: maintenance windows announced. */
    maintenance: s.maintenance,
    /** D-19: each month's incidents and ops hours beside what the plan includes, the excess flagged. */
    allowances: allowanceRows(s),
    suspension: s.suspension,
    /** D-26: what holds the service suspended: each open non-payment notice (D-25) and the back office's ground. */
    suspensionGrounds: suspensionGrounds(s),
    pendingChange: s.pendingChange,
    nextDeadlines: pendingSteps(s).map((step) => ({ ...step, dueAt: new Date(stepDueAt(step)).toISOString() })),
    invoices: s.invoices,
    billedThrough: s.billedThrough,
    pendingLines: s.pendingLines,
    scheduledLines: upcomingLines(s),
    outstanding: outstanding(s),
    credit: s.credit,
    balance: balance(s),
    notices: s.notices,
    /** Each payment as applied: where it went, the damages it caused, whether it was taken back. */
    payments: s.payments,
    failedEffects: s.failedEffects,
    /** A Temporal cancellation request, if one came: not an Art. 28 cancellation, so the contract runs on. */
    cancellationRequestedAt: s.cancellationRequestedAt,
    /** Four eyes: steps waiting for a second supervisor, each with its last day (lapsed ones are marked). */
    pendingApprovals: s.pendingApprovals.map((p) => ({ ...p, lapsed: today > p.expiresOn })),
    /** Those no second supervisor approved in time, retired the day after their last day. */
    lapsedApprovals: s.lapsedApprovals ?? [],
    /** Effects (notices, invoices, deletion) not yet carried out. */
    pendingEffects,
    /** Those still retried after EFFECTS_ATTENTION_AFTER (the ledger or mail down): the contract needs attention. */
    waitingEffects,
  };
}
export type ContractView = ReturnType<typeof contractView>;
