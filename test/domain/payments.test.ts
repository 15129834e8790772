import { describe, it, expect } from 'vitest';
import { allocatePayment, allocationsByPeriod, lateDamages, lateDamagesLine } from '../../src/domain/payments';
import { RULE } from '../../src/domain/rules';

describe('late-payment damages (Art. 27, D-13)', () => {
  it.each([
    ['2026-03-30', 0, 0], // paid early
    ['2026-03-31', 0, 0], // paid on the due day
    ['2026-04-01', 0, 0], // day after: the span "day after due … day before payment" is empty
    ['2026-04-02', 1, 33], // 84,700 × 0.145 × 1 / 365 = 12,281.5 / 365 = 33.65 → 33
    ['2026-05-01', 30, 1_009], // 31 − 1 = 30 days: 12,281.5 × 30 / 365 = 368,445 / 365 = 1,009.44 → 1,009
  ])('84,700 due 2026-03-31, paid %s → %i days, %i', (paidOn, days, amount) => {
    expect(lateDamages({ appliedAmount: 84_700, dueOn: '2026-03-31', paidOn })).toEqual({ days, amount });
  });

  it('a leap year still counts 365 days a year', () => {
    // due 2028-01-31, paid 2029-02-01: 367 days apart → 366 days late (Feb 2028 has 29 days)
    // 100,000 × 0.145 × 366 / 365 = 14,500 × 366 / 365 = 14,539.73 → 14,539 (a 366-day year would give 14,500)
    expect(lateDamages({ appliedAmount: 100_000, dueOn: '2028-01-31', paidOn: '2029-02-01' })).toEqual({ days: 366, amount: 14_539 });
  });

  it('across 29 February', () => {
    // due 2028-02-28, paid 2028-03-02 → days late: 02-29, 03-01 = 2; 100,000 × 0.145 × 2 / 365 = 29,000 / 365 = 79.45 → 79
    expect(lateDamages({ appliedAmount: 100_000, dueOn: '2028-02-28', paidOn: '2028-03-02' })).toEqual({ days: 2, amount: 79 });
  });

  it('a small amount rounds down to 0', () => {
    expect(lateDamages({ appliedAmount: 1_000, dueOn: '2026-03-31', paidOn: '2026-04-02' }).amount).toBe(0); // 145 / 365 = 0.397
  });
});

describe('payment allocation, oldest due first (Appendix 3 §3, §5)', () => {
  // Deliberately out of order: the function must sort by due day.
  const open = [
    { period: '2026-04', dueOn: '2026-05-31', outstanding: 84_700 },
    { period: '2026-02', dueOn: '2026-03-31', outstanding: 139_700 },
    { period: '2026-03', dueOn: '2026-04-30', outstanding: 84_700 },
  ];

  it('across three invoices with an overpayment', () => {
    expect(allocatePayment({ open, amount: 330_000, paidOn: '2026-05-10' })).toEqual({
      allocations: [
        // 03-31 → 05-10 = 40 days apart, 39 late: 139,700 × 0.145 × 39 / 365 = 790,003.5 / 365 = 2,164.39 → 2,164
        { period: '2026-02', amount: 139_700, daysLate: 39, lateDamages: 2_164 },
        // 04-30 → 05-10 = 10 apart, 9 late: 84,700 × 0.145 × 9 / 365 = 110,533.5 / 365 = 302.83 → 302
        { period: '2026-03', amount: 84_700, daysLate: 9, lateDamages: 302 },
        { period: '2026-04', amount: 84_700, daysLate: 0, lateDamages: 0 }, // not yet due
      ],
      unapplied: 20_900, // 330,000 − (139,700 + 84,700 + 84,700 = 309,100): an advance payment, no interest
    });
  });

  it('a partial payment stops at the second invoice', () => {
    expect(allocatePayment({ open, amount: 150_000, paidOn: '2026-05-10' })).toEqual({
      allocations: [
        { period: '2026-02', amount: 139_700, daysLate: 39, lateDamages: 2_164 },
        // 150,000 − 139,700 = 10,300; 10,300 × 0.145 × 9 / 365 = 13,441.5 / 365 = 36.83 → 36
        { period: '2026-03', amount: 10_300, daysLate: 9, lateDamages: 36 },
      ],
      unapplied: 0,
    });
  });

  it('same due day → earlier period first; settled or credit invoices take nothing', () => {
    const r = allocatePayment({
      open: [
        { period: '2026-05', dueOn: '2026-06-30', outstanding: 1_000 },
        { period: '2026-04', dueOn: '2026-06-30', outstanding: 1_000 },
        { period: '2026-01', dueOn: '2026-02-28', outstanding: 0 },
        { period: '2025-12', dueOn: '2026-01-31', outstanding: -500 },
      ],
      amount: 1_500,
      paidOn: '2026-06-30',
    });
    expect(r.allocations.map((a) => [a.period, a.amount])).toEqual([
      ['2026-04', 1_000],
      ['2026-05', 500], // 1,500 − 1,000
    ]);
    expect(r.unapplied).toBe(0);
  });

  it('nothing open → all advance payment', () => {
    expect(allocatePayment({ open: [], amount: 5_000, paidOn: '2026-05-10' })).toEqual({ allocations: [], unapplied: 5_000 });
  });

  it('refuses a negative payment', () => {
    expect(() => allocatePayment({ open, amount: -1, paidOn: '2026-05-10' })).toThrow(RangeError);
  });
});

describe('late damages line', () => {
  it('is non-taxable and names Art. 27', () => {
    const l = lateDamagesLine(2_164, '2026-02分 139,700円 39日');
    expect(l).toMatchObject({ kind: 'lateDamages', amount: 2_164, taxable: false, rule: RULE.lateDamages });
    expect(l.description).toContain('39日');
  });
});

describe('allocationsByPeriod (Appendix 3 §3, as the ledger keeps a payment)', () => {
  it('one row a period, repeated periods added, zero amounts dropped, in period order', () => {
    expect(
      allocationsByPeriod([
        { period: '2026-05', amount: 100 },
        { period: '2026-03', amount: 0 },
        { period: '2026-04', amount: 70_400 },
        { period: '2026-05', amount: 200 },
      ]),
    ).toEqual([
      { period: '2026-04', amount: 70_400 },
      { period: '2026-05', amount: 300 },
    ]);
  });
});
