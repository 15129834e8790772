/**
 * One-off charges, credits and reductions (Art. 11, 21, 24, 26, 29-3; Appendix 2/3 adjustments). Pure.
 * Inputs are validated upstream with messages for people; here a broken precondition throws RangeError,
 * so every function either answers or fails loudly — never a wrong amount.
 */
import { daysInMonth, firstDayOf, isIsoDate, jstDateOf, monthOf, monthsBetween } from './calendar';
import { cloudFeeWaived, requireDate, requireMonth } from './billing';
import { CATALOG, type Catalog } from './catalog';
import { Dec, formatYen, requireYen, yen } from './money';
import type { MonthlyFees } from './pricing';
import { RULE } from './rules';
import type { InvoiceLine, IsoDate, Yen, YearMonth } from './types';

/** D-17: a line computed from the fixed monthly fee names the price-list version of that fee. */
const priced = (priceList: string | undefined) => (priceList ? { priceList } : {});

function requireNonNegative(value: Yen, what: string): Yen {
  if (requireYen(value, what) < 0) throw new RangeError(`${what} must be ≥ 0, got ${value}`);
  return value;
}

/**
 * Art. 11-2, D-4: the fixed monthly fee in force on the end day × every month after the end month up to
 * and including the month holding the minimum term's last day. Non-taxable (D-5). Null when the end is on
 * or after that last day, or nothing remains. Not owed for Art. 29-3 / Art. 5 endings: the caller decides.
 */
export function earlyTerminationFee(args: { endDay: IsoDate; minimumTermEnd: IsoDate; fixedMonthlyFee: Yen; priceList?: string }): InvoiceLine | null {
  const endDay = requireDate(args.endDay, 'endDay');
  const minimumTermEnd = requireDate(args.minimumTermEnd, 'minimumTermEnd');
  const fee = requireNonNegative(args.fixedMonthlyFee, 'fixedMonthlyFee');
  if (endDay >= minimumTermEnd) return null;
  const months = monthsBetween(monthOf(endDay), monthOf(minimumTermEnd));
  const amount = yen(new Dec(fee).times(months));
  if (months <= 0 || amount === 0) return null;
  return {
    kind: 'earlyTermination',
    amount,
    taxable: false,
    rule: RULE.earlyTermination,
    description: `中途解約金 ${formatYen(fee)} × 残${months}か月 (early termination fee, ${months} months to ${monthOf(minimumTermEnd)})`,
    ...priced(args.priceList),
  };
}

/**
 * Art. 11-3, D-6: a change lowering the fixed monthly fee inside the minimum term costs (old − new) × the
 * months from the effective month through the month holding the minimum term's last day. Non-taxable (D-5).
 * Null for a raise, an equal fee, or an effective month starting after the minimum term.
 */
export function downgradeSettlement(args: {
  oldFixedMonthlyFee: Yen;
  newFixedMonthlyFee: Yen;
  effectiveMonth: YearMonth;
  minimumTermEnd: IsoDate;
  /** D-17: the one price-list version both fees come from. */
  priceList?: string;
}): InvoiceLine | null {
  const oldFee = requireNonNegative(args.oldFixedMonthlyFee, 'oldFixedMonthlyFee');
  const newFee = requireNonNegative(args.newFixedMonthlyFee, 'newFixedMonthlyFee');
  const effectiveMonth = requireMonth(args.effectiveMonth, 'effectiveMonth');
  const minimumTermEnd = requireDate(args.minimumTermEnd, 'minimumTermEnd');
  if (newFee >= oldFee || firstDayOf(effectiveMonth) > minimumTermEnd) return null;
  const months = monthsBetween(effectiveMonth, monthOf(minimumTermEnd)) + 1;
  const diff = new Dec(oldFee).minus(newFee);
  return {
    kind: 'downgradeSettlement',
    amount: yen(diff.times(months)),
    taxable: false,
    rule: RULE.downgradeSettlement,
    description: `契約変更精算金 (${formatYen(oldFee)} − ${formatYen(newFee)}) × ${months}か月 (downgrade settlement, ${effectiveMonth} to ${monthOf(minimumTermEnd)})`,
    ...priced(args.priceList),
  };
}

/** Art. 29-3, D-7: three months of the fixed monthly fee in force on the notice day, as a non-taxable credit. */
export function convenienceCompensation(fixedMonthlyFeeOnNoticeDay: Yen, priceList?: string): InvoiceLine {
  const fee = requireNonNegative(fixedMonthlyFeeOnNoticeDay, 'fixedMonthlyFeeOnNoticeDay');
  return {
    kind: 'convenienceCompensation',
    amount: yen(new Dec(fee).times(-3)),
    taxable: false,
    rule: RULE.terminationForConvenience,
    description: `当社都合解約の補償 ${formatYen(fee)} × 3か月 (compensation for termination for convenience)`,
    ...priced(priceList),
  };
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):?(\d{2}))$/;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Epoch milliseconds (exact, sub-ms kept) of an ISO 8601 instant that carries an offset; RangeError otherwise. */
export function parseInstant(value: string, what = 'instant'): Dec {
  const m = typeof value === 'string' ? INSTANT.exec(value) : null;
  const n = (i: number): number => Number(m?.[i] ?? 0);
  const date = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  if (!m || !isIsoDate(date) || n(1) < 1000 || n(4) > 23 || n(5) > 59 || n(6) > 59 || n(10) > 23 || n(11) > 59) {
    throw new RangeError(`${what} must be an ISO 8601 instant with an offset, e.g. 2026-03-01T09:00+09:00, got ${value}`);
  }
  const offsetMinutes = (m[9] === '-' ? -1 : 1) * (n(10) * 60 + n(11));
  const wallMs = Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6)); // year ≥ 1000, so no 19xx mapping
  const fractionMs = new Dec(`0${m[7] ?? ''}`).times(1000);
  return new Dec(wallMs).minus(offsetMinutes * 60_000).plus(fractionMs);
}

/**
 * Art. 24-2 table, Appendix 3 §1, D-12. Counted from `knownAt` (when the provider learned of the total
 * outage) to `restoredAt`; prorated by the days of the Japan-time month in which `knownAt` falls.
 * Rows 1/3 (provider at fault): only a continuous outage ≥ 24 h, credit = fee × ⌊hours / 24⌋ ÷ days.
 * Rows 2/4 (intent or gross negligence): credit = fee × hours ÷ (24 × days), exact hours, no threshold.
 * fee = cloudMonthly (cloud) or managedTotal (managed). Rounded down to the yen. D-12: not capped at one
 * month's fee — the credit is the fee for the time lost, so an outage longer than the month credits more
 * than the month's fee. D-12: a fee that was not charged earns no credit — a cloud outage that began in the
 * month of S whose cloud fee was waived (`cloudFeeWaived`, Appendix 3 §1; `startDate` = S) gives null.
 * The managed fee is always charged. A negative taxable line; null when zero.
 * Throws RangeError when an instant is unparseable, restoredAt is not after knownAt, or startDate is no date.
 */
export function outageCredit(
  args: {
    scope: 'cloud' | 'managed';
    knownAt: string;
    restoredAt: string;
    grossNegligence: boolean;
    fees: MonthlyFees;
    /** The usage start S (Art. 9): decides whether the month's cloud fee was charged at all. */
    startDate: IsoDate;
  },
  catalog: Catalog = CATALOG,
): InvoiceLine | null {
  const known = parseInstant(args.knownAt, 'knownAt');
  const restored = parseInstant(args.restoredAt, 'restoredAt');
  if (restored.lte(known)) throw new RangeError(`restoredAt (${args.restoredAt}) must be after knownAt (${args.knownAt})`);
  if (args.scope !== 'cloud' && args.scope !== 'managed') throw new RangeError(`unknown outage scope: ${String(args.scope)}`);
  const startDate = requireDate(args.startDate, 'startDate');
  const fee = requireNonNegative(args.scope === 'cloud' ? args.fees.cloudMonthly : args.fees.managedTotal, 'monthly fee');
  const month = monthOf(jstDateOf(known.floor().toNumber()));
  if (args.scope === 'cloud' && cloudFeeWaived(month, startDate, catalog)) return null; // D-12: nothing charged, nothing to credit
  const days = daysInMonth(month);
  const durationMs = restored.minus(known);
  const hours = durationMs.dividedBy(HOUR_MS);
  let credit: Yen;
  let basis: string;
  if (args.grossNegligence) {
    credit = yen(new Dec(fee).times(durationMs).dividedBy(new Dec(DAY_MS).times(days)));
    basis = `${hours.toDecimalPlaces(2).toString()}時間 / (24 × ${days}日)`;
  } else {
    const wholeDays = durationMs.dividedToIntegerBy(DAY_MS).toNumber(); // only the multiples of 24 h count
    if (wholeDays < 1) return null;
    credit = yen(new Dec(fee).times(wholeDays).dividedBy(days));
    basis = `${wholeDays}日 / ${days}日`;
  }
  if (credit === 0) return null;
  const scope = args.scope === 'cloud' ? 'Neutrix Cloud' : 'マネージドサービス';
  return {
    kind: 'outageCredit',
    amount: -credit,
    taxable: true,
    rule: RULE.outageCredit,
    description: `障害による料金減額 ${scope} ${month}: ${formatYen(fee)} × ${basis} (outage credit${args.grossNegligence ? ', gross negligence' : ''})`,
  };
}

/**
 * Art. 21: damages outside intent or gross negligence, capped at that month's monthly fee, paid as a
 * reduction of the fee (so a negative taxable line) of the month after next from recognition.
 */
export function damagesReduction(args: { amount: Yen; monthlyFeeCap: Yen }): InvoiceLine {
  const amount = requireNonNegative(args.amount, 'amount');
  const cap = requireNonNegative(args.monthlyFeeCap, 'monthlyFeeCap');
  const reduction = Math.min(amount, cap);
  return {
    kind: 'damagesReduction',
    amount: reduction === 0 ? 0 : -reduction,
    taxable: true,
    rule: RULE.damagesReduction,
    description: `損害賠償による減額 ${formatYen(reduction)}${amount > cap ? ` (上限 ${formatYen(cap)})` : ''} (damages, as a fee reduction)`,
  };
}

/**
 * Art. 26: the evaded amount plus a surcharge of twice it (tax excluded) plus tax on the surcharge. Both
 * lines are taxable, so the invoice's single tax computation (D-10) adds the surcharge's tax.
 */
export function penaltyLines(evadedAmount: Yen): InvoiceLine[] {
  const evaded = requireNonNegative(evadedAmount, 'evadedAmount');
  return [
    {
      kind: 'evadedCharge',
      amount: evaded,
      taxable: true,
      rule: RULE.penalty,
      description: `不法に免れた料金 ${formatYen(evaded)} (evaded charges)`,
    },
    {
      kind: 'penaltySurcharge',
      amount: yen(new Dec(evaded).times(2)),
      taxable: true,
      rule: RULE.penalty,
      description: `割増金 ${formatYen(evaded)} × 2 (penalty surcharge)`,
    },
  ];
}

/**
 * A back-office charge or approved reduction with its reason: excess incident response / ops-on-behalf
 * (Appendix 2 notes), lump-sum postpayment (Appendix 3 §4), temporary reduction (§7). Negative = reduction.
 */
export function extraChargeLine(description: string, amount: Yen, taxable: boolean): InvoiceLine {
  requireYen(amount, 'amount');
  if (typeof description !== 'string' || description.trim() === '') throw new RangeError('an extra charge needs a description');
  return {
    kind: 'extraCharge',
    amount,
    taxable,
    rule: RULE.extraCharge,
    description: `${amount < 0 ? EXTRA_CHARGE_PREFIX.reduction : EXTRA_CHARGE_PREFIX.charge}${description.trim()}`,
  };
}

/** How an extra charge's description begins; what follows is the reason the back office recorded. */
export const EXTRA_CHARGE_PREFIX = { charge: '追加料金 (extra charge): ', reduction: '減額調整 (reduction): ' } as const;

/** The reason recorded with an extra charge, out of its description (as extraChargeLine wrote it). */
export function extraChargeReason(description: string): string {
  for (const prefix of Object.values(EXTRA_CHARGE_PREFIX)) if (description.startsWith(prefix)) return description.slice(prefix.length).trim();
  return description.trim();
}
