/**
 * Payment application and late-payment damages (Art. 27, Appendix 3 §3 and §5, D-11, D-13). Pure.
 */
import { daysBetween } from './calendar';
import { requireDate, requireMonth } from './billing';
import { Dec, formatYen, requireYen, yen } from './money';
import { RULE } from './rules';
import type { InvoiceLine, IsoDate, Yen, YearMonth } from './types';

/** Art. 27: 14.5% a year, per day on a 365-day year even in leap years. */
export const LATE_DAMAGES = { annualRate: '0.145', daysPerYear: 365 } as const;

/**
 * Art. 27, D-13: damages on `appliedAmount` (tax included) paid on `paidOn` against an invoice due on
 * `dueOn`. Days run from the day after the due day to the day before payment: paidOn − dueOn − 1, never
 * below 0 (paid on the due day or the day after → 0 days). Amount = ⌊applied × 0.145 × days ÷ 365⌋.
 */
export function lateDamages(args: { appliedAmount: Yen; dueOn: IsoDate; paidOn: IsoDate }): { days: number; amount: Yen } {
  const applied = requireYen(args.appliedAmount, 'appliedAmount');
  const days = Math.max(0, daysBetween(requireDate(args.dueOn, 'dueOn'), requireDate(args.paidOn, 'paidOn')) - 1);
  if (days === 0 || applied <= 0) return { days, amount: 0 };
  const amount = yen(new Dec(applied).times(LATE_DAMAGES.annualRate).times(days).dividedBy(LATE_DAMAGES.daysPerYear));
  return { days, amount };
}

export interface OpenInvoice {
  period: YearMonth;
  dueOn: IsoDate;
  outstanding: Yen;
}

export interface Allocation {
  period: YearMonth;
  amount: Yen;
  daysLate: number;
  lateDamages: Yen;
}

/**
 * Appendix 3 §3: a payment settles the invoice falling due first (by due day, then period — the input
 * order is not trusted), each up to its outstanding amount; invoices with nothing outstanding (or a credit)
 * take nothing. What is left is an advance payment (`unapplied`), which earns no interest (§5).
 */
export function allocatePayment(args: { open: OpenInvoice[]; amount: Yen; paidOn: IsoDate }): {
  allocations: Allocation[];
  unapplied: Yen;
} {
  const amount = requireYen(args.amount, 'amount');
  if (amount < 0) throw new RangeError(`a payment must be ≥ 0, got ${amount}`);
  const paidOn = requireDate(args.paidOn, 'paidOn');
  const queue = args.open
    .map((o) => ({ period: requireMonth(o.period, 'period'), dueOn: requireDate(o.dueOn, 'dueOn'), outstanding: requireYen(o.outstanding, 'outstanding') }))
    .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  let remaining = new Dec(amount);
  const allocations: Allocation[] = [];
  for (const inv of queue) {
    if (remaining.isZero()) break;
    if (inv.outstanding <= 0) continue;
    const applied = yen(Dec.min(remaining, inv.outstanding));
    remaining = remaining.minus(applied);
    const damages = lateDamages({ appliedAmount: applied, dueOn: inv.dueOn, paidOn });
    allocations.push({ period: inv.period, amount: applied, daysLate: damages.days, lateDamages: damages.amount });
  }
  return { allocations, unapplied: yen(remaining) };
}

/** Art. 27, D-13: damages billed as a non-taxable line on the next invoice; `detail` says which payment. */
export function lateDamagesLine(amount: Yen, detail: string): InvoiceLine {
  requireYen(amount, 'amount');
  return {
    kind: 'lateDamages',
    amount,
    taxable: false,
    rule: RULE.lateDamages,
    description: `遅延損害金 ${formatYen(amount)} (late-payment damages, 14.5%/年)${detail ? `: ${detail}` : ''}`,
  };
}

/**
 * A payment's allocations as the ledger keeps them (Appendix 3 §3): one per invoice period, amounts for a
 * repeated period added, nothing for a zero amount, in period order.
 */
export function allocationsByPeriod(allocations: ReadonlyArray<{ period: YearMonth; amount: Yen }>): Array<{ period: YearMonth; amount: Yen }> {
  const byPeriod = new Map<YearMonth, Yen>();
  for (const a of allocations) if (a.amount > 0) byPeriod.set(a.period, (byPeriod.get(a.period) ?? 0) + a.amount);
  return [...byPeriod].map(([period, amount]) => ({ period, amount })).sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}
