/**
 * Days that notices and the back office state, derived from the days the rules define (lifecycle.ts,
 * billing.ts), so no caller recomputes them with its own arithmetic. Pure.
 */
import { addDays, addMonths, monthOf } from './calendar';
import { RULE } from './rules';
import type { IsoDate, YearMonth } from './types';

/**
 * D-14, Art. 29-1: the contract is terminated at the start of `terminationDay` if the amount is still
 * unpaid, so the last day a payment still prevents it is the day before.
 */
export function lastDayToPayBeforeTermination(terminationDay: IsoDate): IsoDate {
  return addDays(terminationDay, -1);
}

/** D-11: month M is invoiced on the 1st of M+1, so a billing run on `today` closes the month before it. */
export function periodClosedOn(today: IsoDate): YearMonth {
  return addMonths(monthOf(today), -1);
}

/** D-11: a billing run closes a month that is over; one for this month or later is refused before it starts. */
export function billingRunPeriodProblem(period: YearMonth, today: IsoDate): string | null {
  return period >= monthOf(today)
    ? `${period} is not over yet (today is ${today}); the run on the 1st of the next month bills it (${RULE.invoiceCycle})`
    : null;
}
