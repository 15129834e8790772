/**
 * The deadlines and yes/no answers of the contract's life (Art. 5, 8–12, 28–30; D-2, D-3, D-8, D-14).
 * Each refusal names its rule and what would be accepted instead.
 */
import { addDays, addMonths, businessDayOnOrBefore, firstDayOf, lastDayOfPeriod, monthOf, oneMonthBefore } from './calendar';
import { REFUSALS, type Facts, type FactsOf, type RefusalCode } from './messages';
import { RULE } from './rules';
import type { IsoDate, YearMonth } from './types';

/** A yes, or a no with its rule, the catalogue's code and facts, and the English reason. */
export type Verdict = { ok: true } | { ok: false; rule: string; code: RefusalCode; facts: Facts; reason: string };

const ok: Verdict = { ok: true };
const no = <C extends RefusalCode>(rule: string, code: C, facts: FactsOf<C>): Verdict => ({
  ok: false,
  rule,
  code,
  facts,
  reason: (REFUSALS[code].en as (f: FactsOf<C>) => string)(facts),
});

/** D-2: the approval (and change-request, Art. 12-2) window closes at the end of day A + 60. */
export const APPROVAL_WINDOW_DAYS = 60;
export function approvalDeadline(receivedOn: IsoDate): IsoDate {
  return addDays(receivedOn, APPROVAL_WINDOW_DAYS);
}
/** D-2: at 00:00 of A + 61 the application is deemed rejected. */
export function deemedRejectionDay(receivedOn: IsoDate): IsoDate {
  return addDays(approvalDeadline(receivedOn), 1);
}

export function approvalVerdict(args: { receivedOn: IsoDate; today: IsoDate; startDate: IsoDate }): Verdict {
  const deadline = approvalDeadline(args.receivedOn);
  if (args.today > deadline) return no(RULE.approvalWindow, 'approvalWindowClosed', { deadline });
  if (args.startDate < args.today) return no(RULE.usageStart, 'startBeforeApproval', { startDate: args.startDate, today: args.today });
  return ok;
}

/**
 * Art. 7, D-2: an application is recorded on or after the day it arrived and within its approval window —
 * one dated ahead would be approved before it was made, one older than the window deemed rejected at once.
 */
export function applicationDateVerdict(appliedOn: IsoDate, today: IsoDate): Verdict {
  if (appliedOn > today) return no(RULE.application, 'applicationAfterToday', { appliedOn, today });
  if (today > approvalDeadline(appliedOn)) return no(RULE.approvalWindow, 'applicationTooOld', { appliedOn, closedOn: approvalDeadline(appliedOn) });
  return ok;
}

/** Art. 11: the minimum term is one year from S; its last day is S + 1 year − 1 day. */
export function minimumTermEnd(startDate: IsoDate): IsoDate {
  return lastDayOfPeriod(startDate, 12);
}

/** Art. 11: a renewal term runs one month from the day after the current term's last day. */
export function nextTermEnd(currentTermEnd: IsoDate): IsoDate {
  return lastDayOfPeriod(addDays(currentTermEnd, 1), 1);
}

/**
 * Art. 11: the last day of the term that holds `day` — the minimum term, then one rolling month after
 * another. Computed from the dates, so a renewal needs no step of its own. Before S: the minimum term.
 */
export function currentTermEnd(startDate: IsoDate, day: IsoDate): IsoDate {
  let termEnd = minimumTermEnd(startDate);
  while (termEnd < day) termEnd = nextTermEnd(termEnd);
  return termEnd;
}

/**
 * The contract year that holds `day`: 0 for the minimum term (and before S), n for the n-th year after it,
 * each year counted from the anniversary of S (Art. 11's "one year from S").
 */
export function contractYear(startDate: IsoDate, day: IsoDate): number {
  let year = 0;
  while (lastDayOfPeriod(startDate, 12 * (year + 1)) < day) year++;
  return year;
}

/** Art. 11: a decline must be given on or before one month before the current term's last day. */
export function renewalDeclineDeadline(termEnd: IsoDate): IsoDate {
  return oneMonthBefore(termEnd);
}

/**
 * Art. 11: the last contract day a renewal decline given today reaches: the current term's end when on
 * time, otherwise the next term's end ("a later notice applies to the next term").
 */
export function endAfterRenewalDecline(today: IsoDate, currentTermEnd: IsoDate): IsoDate {
  let termEnd = currentTermEnd;
  while (today > renewalDeclineDeadline(termEnd)) termEnd = nextTermEnd(termEnd);
  return termEnd;
}

/** Art. 28: notice at least 60 days before X; a non-business deadline moves back to the business day before. */
export const CANCELLATION_NOTICE_DAYS = 60;
export function cancellationDeadline(endDay: IsoDate): IsoDate {
  return businessDayOnOrBefore(addDays(endDay, -CANCELLATION_NOTICE_DAYS));
}

/** Art. 28 the other way round: the earliest end day a notice given on `noticeDay` can still reach. */
export function earliestCancellationEnd(noticeDay: IsoDate): IsoDate {
  // cancellationDeadline is non-decreasing in X and cancellationDeadline(D + 60) ≤ D, so search upward.
  let x = addDays(noticeDay, CANCELLATION_NOTICE_DAYS);
  while (cancellationDeadline(x) < noticeDay) x = addDays(x, 1);
  return x;
}

export function cancellationVerdict(args: { today: IsoDate; endDay: IsoDate; startDate: IsoDate; fixedEnd?: IsoDate | null }): Verdict {
  const { today, endDay } = args;
  const earliest = earliestCancellationEnd(today);
  if (today > cancellationDeadline(endDay)) return no(RULE.cancellation, 'noticeTooLate', { endDay, deadline: cancellationDeadline(endDay), earliest });
  if (endDay < args.startDate) return no(RULE.cancellation, 'endBeforeStart', { endDay, startDate: args.startDate });
  if (args.fixedEnd && endDay >= args.fixedEnd) return no(RULE.cancellation, 'cancellationNotEarlier', { fixedEnd: args.fixedEnd });
  return ok;
}

/** Art. 29-3: the provider's termination for convenience needs at least 30 days' notice. */
export const CONVENIENCE_NOTICE_DAYS = 30;
export function earliestConvenienceEnd(noticeDay: IsoDate): IsoDate {
  return addDays(noticeDay, CONVENIENCE_NOTICE_DAYS);
}
export function convenienceTerminationVerdict(args: { today: IsoDate; endDay: IsoDate; fixedEnd?: IsoDate | null }): Verdict {
  const earliest = earliestConvenienceEnd(args.today);
  if (args.endDay < earliest) return no(RULE.terminationForConvenience, 'convenienceNoticeShort', { earliest });
  if (args.fixedEnd && args.endDay >= args.fixedEnd) return no(RULE.terminationForConvenience, 'convenienceNotEarlier', { fixedEnd: args.fixedEnd });
  return ok;
}

/** D-3: an approved change takes effect on the first day of a month; by default the month after approval. */
export function defaultChangeEffectiveMonth(approvedOn: IsoDate): YearMonth {
  return addMonths(monthOf(approvedOn), 1);
}
export function changeEffectiveMonthVerdict(args: { today: IsoDate; effectiveMonth: YearMonth; lastContractDay?: IsoDate | null }): Verdict {
  if (firstDayOf(args.effectiveMonth) < args.today) return no(RULE.changeRequest, 'changeMonthBegun', { earliest: defaultChangeEffectiveMonth(args.today) });
  if (args.lastContractDay && firstDayOf(args.effectiveMonth) > args.lastContractDay)
    return no(RULE.changeRequest, 'changeAfterEnd', { lastDay: args.lastContractDay, firstDay: firstDayOf(args.effectiveMonth) });
  return ok;
}

/** Art. 21: the customer must claim within 30 days of the damage. */
export const DAMAGES_CLAIM_DAYS = 30;
export function damagesClaimVerdict(args: { today: IsoDate; occurredOn: IsoDate }): Verdict {
  const last = addDays(args.occurredOn, DAMAGES_CLAIM_DAYS);
  if (args.occurredOn > args.today) return no(RULE.damagesReduction, 'damagesInFuture', { occurredOn: args.occurredOn });
  if (args.today > last) return no(RULE.damagesReduction, 'damagesClaimLate', { occurredOn: args.occurredOn, last });
  return ok;
}
/** Art. 21: the reduction applies to the fee of the month after next from the month of recognition. */
export function damagesReductionPeriod(recognisedOn: IsoDate): YearMonth {
  return addMonths(monthOf(recognisedOn), 2);
}

/** D-14: the overdue policy's two periods. */
export interface OverduePolicy {
  suspendAfterDays: number;
  terminateAfterDays: number;
}
/** D-14, D-29: the domain's periods, the same for every contract; no client or start input sets them. */
export const OVERDUE_POLICY: OverduePolicy = { suspendAfterDays: 30, terminateAfterDays: 30 };

/** Art. 27: an invoice is overdue from the day after its due date; the customer is reminded that day. */
export function overdueNoticeDay(dueOn: IsoDate): IsoDate {
  return addDays(dueOn, 1);
}
/**
 * D-14 with D-15 (plain calendar-day arithmetic): an invoice due on D and still unpaid on the
 * `suspendAfterDays`-th day after D suspends the service on that very day, D + suspendAfterDays
 * (due 2026-03-31 → suspended 2026-04-30 with the default 30).
 */
export function overdueSuspensionDay(dueOn: IsoDate, policy: OverduePolicy): IsoDate {
  return addDays(dueOn, policy.suspendAfterDays);
}
/**
 * D-14 with D-15, Art. 29-1-4: still unpaid on the `terminateAfterDays`-th day after the suspension notice
 * (suspended on T) → terminated for cause on that day, T + terminateAfterDays (2026-04-30 → 2026-05-30).
 */
export function overdueTerminationDay(suspendedOn: IsoDate, policy: OverduePolicy): IsoDate {
  return addDays(suspendedOn, policy.terminateAfterDays);
}

/** D-8: deletion runs on the day after the last contract day. */
export function dataDeletionDay(lastContractDay: IsoDate): IsoDate {
  return addDays(lastContractDay, 1);
}

/**
 * Art. 5, D-18: a discontinuation posted on P counts as delivered on P + 30 (D-15), the earliest end day;
 * an emergency (Art. 5-2 ただし書き) may end on any day from P on. Never posted ahead of today, never ending
 * on a day already past.
 */
export const DISCONTINUATION_NOTICE_DAYS = 30;
export function earliestDiscontinuationEnd(postedOn: IsoDate, emergency: boolean): IsoDate {
  return emergency ? postedOn : addDays(postedOn, DISCONTINUATION_NOTICE_DAYS);
}
export function discontinuationVerdict(args: { today: IsoDate; postedOn: IsoDate; endDate: IsoDate; emergency: boolean }): Verdict {
  const { today, postedOn, endDate, emergency } = args;
  if (postedOn > today) return no(RULE.serviceDiscontinuation, 'postedAfterToday', { postedOn, today });
  const earliest = earliestDiscontinuationEnd(postedOn, emergency);
  if (endDate < earliest)
    return emergency
      ? no(RULE.serviceDiscontinuation, 'endBeforePosting', { endDate, postedOn })
      : no(RULE.serviceDiscontinuation, 'postingTooShort', { endDate, postedOn, earliest });
  if (endDate < today) return no(RULE.serviceDiscontinuation, 'endPassed', { endDate, today });
  return ok;
}
