import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assembleInvoice } from '../../src/domain/billing';
import { addDays, daysInMonth, monthOf, monthsBetween, nthBusinessDay } from '../../src/domain/calendar';
import { CATALOG } from '../../src/domain/catalog';
import { earlyTerminationFee, outageCredit } from '../../src/domain/charges';
import { allocatePayment, lateDamages } from '../../src/domain/payments';
import { monthlyFees } from '../../src/domain/pricing';
import { LINE_KINDS, PLAN_IDS, type InvoiceLine } from '../../src/domain/types';

// Oracles use BigInt (exact integers, division truncates toward zero), independent of decimal.js.
const big = (values: number[]) => values.reduce((a, v) => a + BigInt(v), 0n);

const date = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('2000-01-01', n));
const amount = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 });
const lineArb: fc.Arbitrary<InvoiceLine> = fc.record({
  kind: fc.constantFrom(...LINE_KINDS),
  amount,
  taxable: fc.boolean(),
  rule: fc.constant('test'),
  description: fc.constant('test'),
});

describe('invoice arithmetic (D-10)', () => {
  it('tax = trunc(10% × taxable subtotal); total = taxable + tax + non-taxable', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 30 }), (lines) => {
        const inv = assembleInvoice('2026-03', lines);
        const taxable = big(lines.filter((l) => l.taxable).map((l) => l.amount));
        const nonTaxable = big(lines.filter((l) => !l.taxable).map((l) => l.amount));
        const tax = (taxable * 10n) / 100n;
        expect(BigInt(inv.taxableSubtotal)).toBe(taxable);
        expect(BigInt(inv.tax)).toBe(tax);
        expect(BigInt(inv.nonTaxableSubtotal)).toBe(nonTaxable);
        expect(BigInt(inv.total)).toBe(taxable + tax + nonTaxable);
        expect(Number.isInteger(inv.total)).toBe(true);
      }),
    );
  });
});

describe('early termination fee (D-4)', () => {
  const fee = fc.integer({ min: 0, max: 10_000_000 });
  it('null whenever the end day is on or after the minimum term’s last day', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 800 }), fee, (minimumTermEnd, after, fixedMonthlyFee) => {
        expect(earlyTerminationFee({ endDay: addDays(minimumTermEnd, after), minimumTermEnd, fixedMonthlyFee })).toBeNull();
      }),
    );
  });
  it('otherwise fee × months after the end month through the last day’s month (or null when 0)', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 800 }), fee, (minimumTermEnd, before, fixedMonthlyFee) => {
        const endDay = addDays(minimumTermEnd, -before);
        const months = monthsBetween(monthOf(endDay), monthOf(minimumTermEnd));
        const etf = earlyTerminationFee({ endDay, minimumTermEnd, fixedMonthlyFee });
        expect(etf?.amount ?? 0).toBe(fixedMonthlyFee * months);
        if (etf) expect(etf.taxable).toBe(false);
      }),
    );
  });
});

describe('payment allocation (Appendix 3 §3)', () => {
  const openArb = fc
    .uniqueArray(fc.integer({ min: 0, max: 240 }), { maxLength: 8 })
    .chain((idx) =>
      fc.tuple(
        ...idx.map((i) => fc.record({ i: fc.constant(i), outstanding: fc.integer({ min: -50_000, max: 2_000_000 }), lag: fc.integer({ min: 0, max: 90 }) })),
      ),
    )
    .map((rows) =>
      rows.map(({ i, outstanding, lag }) => {
        const period = addDays('2020-01-15', i * 31).slice(0, 7);
        return { period, dueOn: addDays(`${period}-28`, lag), outstanding };
      }),
    );

  it('conserves money, never over-allocates, pays the earliest due first', () => {
    fc.assert(
      fc.property(openArb, fc.integer({ min: 0, max: 10_000_000 }), date, (open, amount, paidOn) => {
        const { allocations, unapplied } = allocatePayment({ open, amount, paidOn });
        expect(big(allocations.map((a) => a.amount)) + BigInt(unapplied)).toBe(BigInt(amount));
        expect(unapplied).toBeGreaterThanOrEqual(0);
        for (const a of allocations) {
          const inv = open.find((o) => o.period === a.period)!;
          expect(a.amount).toBeGreaterThan(0);
          expect(a.amount).toBeLessThanOrEqual(inv.outstanding);
          expect(a.lateDamages).toBe(lateDamages({ appliedAmount: a.amount, dueOn: inv.dueOn, paidOn }).amount);
        }
        // every invoice but the last one paid is settled in full
        for (const a of allocations.slice(0, -1)) expect(a.amount).toBe(open.find((o) => o.period === a.period)!.outstanding);
        // due days never go backwards
        const dues = allocations.map((a) => open.find((o) => o.period === a.period)!.dueOn);
        expect([...dues].sort()).toEqual(dues);
        // money is left over only when every positive balance is settled
        if (unapplied > 0) expect(allocations.length).toBe(open.filter((o) => o.outstanding > 0).length);
      }),
    );
  });
});

describe('pricing and credits stay within their bounds', () => {
  const termsArb = fc.record({
    plan: fc.constantFrom(...PLAN_IDS),
    components: fc.array(fc.record({ os: fc.constantFrom('linux' as const, 'windows' as const) }), { minLength: 1, maxLength: 40 }),
    metricCapRelaxations: fc.integer({ min: 0, max: 50 }),
    cloudMonthlyFee: fc.integer({ min: 0, max: 5_000_000 }),
  });

  it('fixed fee = managed + options + cloud; graduated never below volume (band prices fall)', () => {
    fc.assert(
      fc.property(termsArb, (terms) => {
        const f = monthlyFees(terms);
        expect(f.managedTotal).toBe(f.managedMonthly + f.metricCapOption);
        expect(f.fixedMonthlyFee).toBe(f.managedTotal + f.cloudMonthly);
        expect(monthlyFees(terms, { ...CATALOG, bandMode: 'graduated' }).managedMonthly).toBeGreaterThanOrEqual(f.managedMonthly);
      }),
    );
  });

  it('an outage credit is the fee for the lost days, not capped at the fee (D-12); none for a waived first-month cloud fee', () => {
    fc.assert(
      fc.property(
        termsArb,
        fc.constantFrom('cloud' as const, 'managed' as const),
        date,
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 60 * 24 * 3_600 }),
        (terms, scope, day, startBefore, seconds) => {
          const fees = monthlyFees(terms);
          const startDate = addDays(day, -startBefore);
          const knownAt = `${day}T12:00:00+09:00`;
          const restoredAt = new Date(Date.parse(knownAt) + seconds * 1000).toISOString();
          const fee = BigInt(scope === 'cloud' ? fees.cloudMonthly : fees.managedTotal);
          const month = monthOf(day);
          const days = BigInt(daysInMonth(month));
          // Appendix 3 §1: the cloud fee of the month of S is not charged when S is on/after its 2nd business day.
          const waived = scope === 'cloud' && monthOf(startDate) === month && startDate >= nthBusinessDay(month, 2);
          const credit = (grossNegligence: boolean) => {
            const line = outageCredit({ scope, knownAt, restoredAt, grossNegligence, fees, startDate });
            if (line) expect(line).toMatchObject({ kind: 'outageCredit', taxable: true });
            return line ? -line.amount : 0; // a line is never 0: null instead
          };
          const atFault = credit(false);
          const gross = credit(true);
          // BigInt division truncates: ⌊fee × whole days ÷ days⌋ and ⌊fee × seconds ÷ (86,400 × days)⌋.
          expect(atFault).toBe(waived ? 0 : Number((fee * BigInt(Math.floor(seconds / 86_400))) / days));
          expect(gross).toBe(waived ? 0 : Number((fee * BigInt(seconds)) / (86_400n * days)));
          expect(gross).toBeGreaterThanOrEqual(atFault);
          if (seconds < 24 * 3_600) expect(atFault).toBe(0);
        },
      ),
    );
  });
});
