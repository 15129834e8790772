/**
 * What goes on the invoice for one month (docs/simulator.md#where-lines-go, Appendix 3 §1):
 * the monthly charges while the contract runs (start month through end month, no proration), the initial
 * fee with the first month, lines scheduled for this month (component additions and downgrade settlements
 * in their effective month, the ETF and Art. 29-3 compensation with the final month, Art. 21 reductions in
 * the month after next), and one-off lines waiting for the next invoice.
 */
import { cloudFeeWaived, monthlyChargeLines, initialFeeLine } from './billing';
import { catalogIn, type PriceListChange } from './price-lists';
import { RULE } from './rules';
import { addMonths, monthOf } from './calendar';
import type { InvoiceLine, InvoiceNote, IsoDate, ServiceTerms, YearMonth } from './types';

/** Terms in force from a month on (D-3: changes take effect on the first day of a month). */
export interface TermsFrom {
  from: YearMonth;
  terms: ServiceTerms;
}

export function termsInForce(history: readonly TermsFrom[], month: YearMonth): ServiceTerms {
  let current = history[0];
  for (const h of history) if (h.from <= month) current = h;
  if (!current) throw new RangeError('a contract always has terms');
  return current.terms;
}

export function termsOnDay(history: readonly TermsFrom[], day: IsoDate): ServiceTerms {
  return termsInForce(history, monthOf(day));
}

export interface MonthToBill {
  period: YearMonth;
  startDate: IsoDate;
  /** The last contract day once an end is fixed (the month holding it is the last charged month). */
  lastContractDay: IsoDate | null;
  history: readonly TermsFrom[];
  /** D-17: the price-list changes announced to the contract; the month's fees use the version in force. */
  priceLists: readonly PriceListChange[];
  /** Lines fixed earlier for exactly this month. */
  scheduled: readonly InvoiceLine[];
  /** One-off lines waiting for the next invoice issued. */
  pending: readonly InvoiceLine[];
}

/** Whether `period` is one the monthly fees are charged for (Appendix 3 §1: start month through end month). */
function isChargedMonth(period: YearMonth, startDate: IsoDate, lastContractDay: IsoDate | null): boolean {
  return period >= monthOf(startDate) && (lastContractDay === null || period <= monthOf(lastContractDay));
}

export function linesForMonth(m: MonthToBill): InvoiceLine[] {
  const lines: InvoiceLine[] = [];
  if (m.period === monthOf(m.startDate)) lines.push(initialFeeLine(termsInForce(m.history, m.period).components.length));
  if (isChargedMonth(m.period, m.startDate, m.lastContractDay))
    lines.push(...monthlyChargeLines(termsInForce(m.history, m.period), m.period, m.startDate, catalogIn(m.priceLists, m.period)));
  lines.push(...m.scheduled, ...m.pending);
  return lines;
}

/**
 * What the invoice of `period` leaves out and should say so: the cloud fee of the month of S when S is on or
 * after the 2nd business day (Appendix 3 §1, `cloudFeeWaived`). Nothing for a contract without a cloud fee.
 */
export function invoiceNotes(m: Pick<MonthToBill, 'period' | 'startDate' | 'history'>): InvoiceNote[] {
  const fee = termsInForce(m.history, m.period).cloudMonthlyFee;
  if (fee <= 0 || !cloudFeeWaived(m.period, m.startDate)) return [];
  return [{ kind: 'cloudFeeWaived', amount: fee, startDate: m.startDate, rule: RULE.cloudFee }];
}

/** The months a billing close for `through` must invoice, oldest first (missed runs are caught up). */
export function monthsToClose(args: { billedThrough: YearMonth | null; startDate: IsoDate; through: YearMonth }): YearMonth[] {
  const months: YearMonth[] = [];
  for (let p = args.billedThrough ? addMonths(args.billedThrough, 1) : monthOf(args.startDate); p <= args.through; p = addMonths(p, 1)) months.push(p);
  return months;
}
