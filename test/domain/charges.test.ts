import { describe, it, expect } from 'vitest';
import {
  convenienceCompensation,
  damagesReduction,
  downgradeSettlement,
  earlyTerminationFee,
  extraChargeLine,
  outageCredit,
  penaltyLines,
} from '../../src/domain/charges';
import { assembleInvoice } from '../../src/domain/billing';
import { monthlyFees } from '../../src/domain/pricing';
import { RULE } from '../../src/domain/rules';

// S = 2026-02-02 → minimum term's last day 2027-02-01 (Art. 11).
const MTE = '2027-02-01';

describe('early termination fee (Art. 11-2, D-4, D-5)', () => {
  it.each([
    ['2026-06-30', 8, 544_000], // Jul 2026 … Feb 2027 = 8 months × 68,000
    ['2026-02-15', 12, 816_000], // ends in the start month: Mar 2026 … Feb 2027 = 12 × 68,000
    ['2026-12-31', 2, 136_000], // Jan + Feb 2027 = 2 × 68,000
    ['2027-01-31', 1, 68_000], // Feb 2027 only = 1 × 68,000
    ['2027-01-15', 1, 68_000], // Feb 2027 only
  ])('end %s → %i months, %i', (endDay, months, amount) => {
    const etf = earlyTerminationFee({ endDay, minimumTermEnd: MTE, fixedMonthlyFee: 68_000 });
    expect(etf).toMatchObject({ kind: 'earlyTermination', amount, taxable: false, rule: RULE.earlyTermination });
    expect(etf?.description).toContain(`${months}か月`);
  });

  it.each([
    ['2027-02-01'], // on the minimum term's last day
    ['2027-03-01'], // after it
  ])('end %s (on/after the minimum term) → null', (endDay) => {
    expect(earlyTerminationFee({ endDay, minimumTermEnd: MTE, fixedMonthlyFee: 68_000 })).toBeNull();
  });

  it('end before the last day but in the same month → no remaining month → null', () => {
    // S = 2026-02-10 → last day 2027-02-09; end 2027-02-05: no month after Feb 2027 up to Feb 2027
    expect(earlyTerminationFee({ endDay: '2027-02-05', minimumTermEnd: '2027-02-09', fixedMonthlyFee: 68_000 })).toBeNull();
  });

  it('S = 2026-01-05 (last day 2027-01-04), end 2026-12-31 → Jan 2027 only', () => {
    expect(earlyTerminationFee({ endDay: '2026-12-31', minimumTermEnd: '2027-01-04', fixedMonthlyFee: 121_600 })?.amount).toBe(121_600); // 1 × 121,600
  });

  it('a zero fixed fee → null', () => {
    expect(earlyTerminationFee({ endDay: '2026-06-30', minimumTermEnd: MTE, fixedMonthlyFee: 0 })).toBeNull();
  });
});

describe('downgrade settlement (Art. 11-3, D-6, D-5)', () => {
  it.each([
    ['2026-06', 270_000], // Jun 2026 … Feb 2027 = 9 months × (115,600 − 85,600 = 30,000)
    ['2026-03', 360_000], // Mar 2026 … Feb 2027 = 12 × 30,000
    ['2027-02', 30_000], // 2027-02-01 is on the last day → 1 × 30,000
  ])('effective %s → %i', (effectiveMonth, amount) => {
    expect(downgradeSettlement({ oldFixedMonthlyFee: 115_600, newFixedMonthlyFee: 85_600, effectiveMonth, minimumTermEnd: MTE })).toMatchObject({
      kind: 'downgradeSettlement',
      amount,
      taxable: false,
      rule: RULE.downgradeSettlement,
    });
  });

  it('effective after the minimum term → null', () => {
    expect(downgradeSettlement({ oldFixedMonthlyFee: 115_600, newFixedMonthlyFee: 85_600, effectiveMonth: '2027-03', minimumTermEnd: MTE })).toBeNull();
    // last day 2027-01-31: Feb 2027 starts after it
    expect(
      downgradeSettlement({ oldFixedMonthlyFee: 115_600, newFixedMonthlyFee: 85_600, effectiveMonth: '2027-02', minimumTermEnd: '2027-01-31' }),
    ).toBeNull();
  });

  it('a raise or an equal fee costs nothing', () => {
    expect(downgradeSettlement({ oldFixedMonthlyFee: 85_600, newFixedMonthlyFee: 115_600, effectiveMonth: '2026-06', minimumTermEnd: MTE })).toBeNull();
    expect(downgradeSettlement({ oldFixedMonthlyFee: 85_600, newFixedMonthlyFee: 85_600, effectiveMonth: '2026-06', minimumTermEnd: MTE })).toBeNull();
  });
});

describe('compensation for termination for convenience (Art. 29-3, D-7)', () => {
  it('three months of the fixed fee as a non-taxable credit', () => {
    expect(convenienceCompensation(115_600)).toMatchObject({
      kind: 'convenienceCompensation',
      amount: -346_800, // −3 × 115,600
      taxable: false,
      rule: RULE.terminationForConvenience,
    });
  });
  it('zero fee → 0, not −0', () => {
    expect(Object.is(convenienceCompensation(0).amount, 0)).toBe(true);
  });
});

describe('outage credits (Art. 24 table, D-12)', () => {
  // Standard 8 + 3 relaxations, cloud 30,000: managedTotal 91,600 (85,600 + 6,000), cloudMonthly 30,000.
  const fees = monthlyFees({ plan: 'standard', components: Array(8).fill({ os: 'linux' }), metricCapRelaxations: 3, cloudMonthlyFee: 30_000 });
  // S = 2026-02-02, February's 1st business day: every month's cloud fee is charged (Appendix 3 §1).
  const startDate = '2026-02-02';
  const march = (restoredAt: string, grossNegligence = false, scope: 'cloud' | 'managed' = 'cloud') =>
    outageCredit({ scope, knownAt: '2026-03-10T10:00+09:00', restoredAt, grossNegligence, fees, startDate });

  it('provider at fault, 23h59m → nothing (under 24 h), though the same outage is worth 967 yen by the hour', () => {
    expect(march('2026-03-11T09:59+09:00')).toBeNull();
    // Not a null for every input: one minute more is a whole day, and gross negligence credits these very hours.
    expect(march('2026-03-11T10:00+09:00')?.amount).toBe(-967); // 30,000 × 1 / 31
    expect(march('2026-03-11T09:59+09:00', true)?.amount).toBe(-967); // 30,000 × (1,439/60) / 744 = 967.07
  });
  it('provider at fault, exactly 24 h → one day of March', () => {
    const c = march('2026-03-11T10:00+09:00');
    expect(c).toMatchObject({ kind: 'outageCredit', amount: -967, taxable: true, rule: RULE.outageCredit }); // 30,000 × 1 / 31 = 967.74 → 967
  });
  it('provider at fault, 49 h → two days (only whole 24 h count)', () => {
    expect(march('2026-03-12T11:00+09:00')?.amount).toBe(-1_935); // 30,000 × 2 / 31 = 1,935.48 → 1,935
  });
  it('managed scope uses the managed total (base + components + options)', () => {
    expect(march('2026-03-12T11:00+09:00', false, 'managed')?.amount).toBe(-5_909); // 91,600 × 2 / 31 = 5,909.67 → 5,909
  });
  it('gross negligence, 12h30m → exact hours, no threshold', () => {
    expect(march('2026-03-10T22:30+09:00', true)?.amount).toBe(-504); // 30,000 × 12.5 / (24 × 31) = 375,000 / 744 = 504.03 → 504
  });
  it('gross negligence, 23h59m', () => {
    expect(march('2026-03-11T09:59+09:00', true)?.amount).toBe(-967); // 30,000 × (1,439/60) / 744 = 719,500 / 744 = 967.07 → 967
  });
  it('gross negligence, 10 minutes', () => {
    expect(march('2026-03-10T10:10+09:00', true)?.amount).toBe(-6); // 30,000 × (1/6) / 744 = 5,000 / 744 = 6.72 → 6
  });
  it('gross negligence, 1 second → rounds to 0 → null', () => {
    expect(march('2026-03-10T10:00:01+09:00', true)).toBeNull(); // 30,000 / 3,600 / 744 = 0.011 → 0
  });
  it('the month is the Japan-time month in which the outage began', () => {
    // 2026-02-28T20:00Z is 2026-03-01 05:00 JST → March, 31 days (Feb would give 30,000 / 28 = 1,071)
    const c = outageCredit({ scope: 'cloud', knownAt: '2026-02-28T20:00:00Z', restoredAt: '2026-03-01T20:00:00Z', grossNegligence: false, fees, startDate });
    expect(c?.amount).toBe(-967); // 30,000 × 1 / 31
  });
  it('an outage starting in February is prorated by 28 days', () => {
    const c = outageCredit({
      scope: 'cloud',
      knownAt: '2026-02-27T10:00+09:00',
      restoredAt: '2026-03-01T11:00+09:00',
      grossNegligence: false,
      fees,
      startDate,
    });
    expect(c?.amount).toBe(-2_142); // 49 h → 2 days: 60,000 / 28 = 2,142.86 → 2,142
  });
  it('mixed offsets are compared as instants', () => {
    const c = outageCredit({ scope: 'cloud', knownAt: '2026-03-10T01:00Z', restoredAt: '2026-03-11T10:00+09:00', grossNegligence: false, fees, startDate });
    expect(c?.amount).toBe(-967); // exactly 24 h: 30,000 / 31
  });
  it('D-12: not capped at one month of the fee — a 40-day outage credits 40 days of the month it began in', () => {
    // Known 2026-02-10 00:00, restored 2026-03-22 00:00 JST: 19 days of February + 21 of March = 40 × 24 h; February has 28 days.
    const long = { knownAt: '2026-02-10T00:00+09:00', restoredAt: '2026-03-22T00:00+09:00', fees, startDate } as const;
    expect(outageCredit({ ...long, scope: 'cloud', grossNegligence: false })?.amount).toBe(-42_857); // 30,000 × 40 / 28 = 42,857.14 → 42,857 > 30,000
    expect(outageCredit({ ...long, scope: 'cloud', grossNegligence: true })?.amount).toBe(-42_857); // 30,000 × 960 h / (24 × 28) = 42,857.14 → 42,857
    expect(outageCredit({ ...long, scope: 'managed', grossNegligence: false })?.amount).toBe(-130_857); // 91,600 × 40 / 28 = 130,857.14 → 130,857
  });
  it('no cloud fee → no credit', () => {
    const noCloud = monthlyFees({ plan: 'entry', components: [{ os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 0 });
    expect(
      outageCredit({
        scope: 'cloud',
        knownAt: '2026-03-10T10:00+09:00',
        restoredAt: '2026-03-13T10:00+09:00',
        grossNegligence: true,
        fees: noCloud,
        startDate,
      }),
    ).toBeNull();
  });

  describe('D-12: a fee that was not charged earns no credit (first-month cloud fee waived, Appendix 3 §1)', () => {
    // March 2026: 03-02 (Mon) is the 1st business day, 03-03 the 2nd. S = 2026-03-10 → March's cloud fee is waived.
    const lateStart = '2026-03-10';
    const threeDays = (knownAt: string, restoredAt: string, scope: 'cloud' | 'managed', grossNegligence = false, s = lateStart) =>
      outageCredit({ scope, knownAt, restoredAt, grossNegligence, fees, startDate: s });

    it('a cloud outage in the waived first month → null, at fault or by gross negligence', () => {
      expect(threeDays('2026-03-10T10:00+09:00', '2026-03-13T10:00+09:00', 'cloud')).toBeNull();
      expect(threeDays('2026-03-10T10:00+09:00', '2026-03-13T10:00+09:00', 'cloud', true)).toBeNull();
    });
    it('an outage that began in the waived month and runs into the next → still null (the month it began decides)', () => {
      expect(threeDays('2026-03-30T10:00+09:00', '2026-04-02T10:00+09:00', 'cloud')).toBeNull();
    });
    it('the managed fee is always charged: a managed outage in that month is credited', () => {
      expect(threeDays('2026-03-10T10:00+09:00', '2026-03-13T10:00+09:00', 'managed')?.amount).toBe(-8_864); // 91,600 × 3 / 31 = 8,864.52 → 8,864
    });
    it('the same cloud outage in the 2nd month is credited', () => {
      expect(threeDays('2026-04-10T10:00+09:00', '2026-04-13T10:00+09:00', 'cloud')?.amount).toBe(-3_000); // 30,000 × 3 / 30
    });
    it('S on the 1st business day (cloud fee charged) → the first month is credited', () => {
      expect(threeDays('2026-03-10T10:00+09:00', '2026-03-13T10:00+09:00', 'cloud', false, '2026-03-02')?.amount).toBe(-2_903); // 30,000 × 3 / 31 = 2,903.23 → 2,903
    });
    it('an outage starting 05:00 JST on the 1st of the month of a late start is in that month (Japan time)', () => {
      // 2026-02-28T20:00Z = 2026-03-01 05:00 JST → March, waived for S = 2026-03-10
      expect(threeDays('2026-02-28T20:00:00Z', '2026-03-02T20:00:00Z', 'cloud')).toBeNull();
    });
    it('throws RangeError for a startDate that is not a date', () => {
      expect(() => threeDays('2026-04-10T10:00+09:00', '2026-04-13T10:00+09:00', 'cloud', false, '2026-3-10')).toThrow(RangeError);
    });
  });
  it('throws RangeError for restoredAt ≤ knownAt or an unparseable instant', () => {
    expect(() => march('2026-03-10T10:00+09:00')).toThrow(RangeError); // equal
    expect(() => march('2026-03-10T09:00+09:00')).toThrow(RangeError); // earlier
    expect(() => march('yesterday')).toThrow(RangeError);
    expect(() => march('2026-03-11T10:00:00')).toThrow(RangeError); // no offset
    expect(() => march('2026-02-30T10:00+09:00')).toThrow(RangeError); // no such day
  });
});

describe('damages as a fee reduction (Art. 21)', () => {
  it('below the cap', () => {
    expect(damagesReduction({ amount: 50_000, monthlyFeeCap: 115_600 })).toMatchObject({
      kind: 'damagesReduction',
      amount: -50_000,
      taxable: true,
      rule: RULE.damagesReduction,
    });
  });
  it('capped at the monthly fee', () => {
    expect(damagesReduction({ amount: 200_000, monthlyFeeCap: 115_600 }).amount).toBe(-115_600); // min(200,000, 115,600)
  });
  it('refuses a negative amount', () => {
    expect(() => damagesReduction({ amount: -1, monthlyFeeCap: 115_600 })).toThrow(RangeError);
  });
});

describe('penalty for evaded charges (Art. 26)', () => {
  it('evaded amount plus twice it, both taxable so the invoice adds tax on the surcharge', () => {
    const lines = penaltyLines(10_000);
    expect(lines.map((l) => [l.kind, l.amount, l.taxable, l.rule])).toEqual([
      ['evadedCharge', 10_000, true, RULE.penalty],
      ['penaltySurcharge', 20_000, true, RULE.penalty], // 2 × 10,000
    ]);
    const inv = assembleInvoice('2026-05', lines);
    expect(inv.tax).toBe(3_000); // 10% of 30,000 (1,000 on the evaded fees + 2,000 on the surcharge)
    expect(inv.total).toBe(33_000); // 30,000 + 3,000
  });
});

describe('extra charges and adjustments (Appendix 2 notes, Appendix 3 §4, §7)', () => {
  it('a taxable extra charge keeps the reason', () => {
    const l = extraChargeLine('障害対応 超過2件 (2 extra incident responses)', 30_000, true);
    expect(l).toMatchObject({ kind: 'extraCharge', amount: 30_000, taxable: true, rule: RULE.extraCharge });
    expect(l.description).toContain('超過2件');
  });
  it('an approved reduction is negative and says so', () => {
    expect(extraChargeLine('災害による臨時減免 (disaster relief)', -5_000, true)).toMatchObject({
      amount: -5_000,
      description: expect.stringContaining('減額調整'),
    });
  });
  it('needs a reason and whole yen', () => {
    expect(() => extraChargeLine('  ', 1_000, true)).toThrow(RangeError);
    expect(() => extraChargeLine('x', 1.5, true)).toThrow(RangeError);
  });
});
