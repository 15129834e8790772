import { describe, it, expect } from 'vitest';
import {
  assembleInvoice,
  cloudFeeWaived,
  componentAdditionLine,
  initialFeeLine,
  invoiceDueDay,
  invoiceIssueDay,
  monthlyChargeLines,
} from '../../src/domain/billing';
import { RULE } from '../../src/domain/rules';
import type { InvoiceLine, ServiceTerms } from '../../src/domain/types';

// Standard, one Linux + one Windows (no Windows column on Standard), cloud 30,000.
const std2: ServiceTerms = {
  plan: 'standard',
  components: [{ os: 'linux' }, { os: 'windows' }],
  metricCapRelaxations: 0,
  cloudMonthlyFee: 30_000,
};

const line = (kind: InvoiceLine['kind'], amount: number, taxable: boolean): InvoiceLine => ({
  kind,
  amount,
  taxable,
  rule: 'test',
  description: 'test',
});

const kinds = (lines: InvoiceLine[]) => lines.map((l) => [l.kind, l.amount]);

describe('monthly charge lines (Appendix 2, Appendix 3 §1)', () => {
  it('a full month: managed fee and cloud fee, both taxable with their rules', () => {
    const lines = monthlyChargeLines(std2, '2026-03', '2026-02-02');
    expect(kinds(lines)).toEqual([
      ['managedMonthly', 38_000], // 20,000 + 2 × 9,000
      ['cloudMonthly', 30_000],
    ]);
    expect(lines.map((l) => l.rule)).toEqual([RULE.managedFees, RULE.cloudFee]);
    for (const l of lines) {
      expect(l.taxable).toBe(true);
      expect(l.description).toMatch(/\(.+\)/); // Japanese with English in brackets
    }
  });

  describe('first-month cloud fee: not charged when S is on/after the 2nd business day', () => {
    it.each([
      // Feb 2026: 02-01 is a Sunday, 02-02 (Mon) the 1st business day, 02-03 the 2nd
      ['2026-02-01', true], // before the 1st business day
      ['2026-02-02', true], // 1st business day
      ['2026-02-03', false], // 2nd business day
      ['2026-02-27', false], // later in the month
      // Jan 2026: 01-01 holiday, 01-02/03 year-end break, 01-04 Sunday; 01-05 is the 1st, 01-06 the 2nd
      ['2026-01-01', true],
      ['2026-01-05', true],
      ['2026-01-06', false],
      // May 2026: 05-01 closure, 05-02/03 weekend, 05-04..06 holidays; 05-07 1st, 05-08 2nd
      ['2026-05-07', true],
      ['2026-05-08', false],
    ])('S = %s → cloud fee charged: %s', (start, charged) => {
      const lines = monthlyChargeLines(std2, start.slice(0, 7), start);
      expect(lines.some((l) => l.kind === 'cloudMonthly')).toBe(charged);
      expect(cloudFeeWaived(start.slice(0, 7), start)).toBe(!charged); // the one source of the fact
      expect(lines.find((l) => l.kind === 'managedMonthly')?.amount).toBe(38_000); // managed always: 20,000 + 2 × 9,000
    });

    it('cloudFeeWaived: only the month of S, never a later month; bad input throws', () => {
      expect(cloudFeeWaived('2026-01', '2026-01-06')).toBe(true);
      expect(cloudFeeWaived('2026-02', '2026-01-06')).toBe(false); // the month after a late start
      expect(cloudFeeWaived('2027-01', '2026-01-06')).toBe(false); // the same month a year later
      expect(() => cloudFeeWaived('2026-1', '2026-01-06')).toThrow(RangeError);
      expect(() => cloudFeeWaived('2026-01', '2026-01-32')).toThrow(RangeError);
    });

    it('the month after a late start charges the cloud fee', () => {
      expect(kinds(monthlyChargeLines(std2, '2026-02', '2026-01-06'))).toEqual([
        ['managedMonthly', 38_000],
        ['cloudMonthly', 30_000],
      ]);
    });
  });

  it('metric cap option line only when relaxations exist; no cloud line at 0', () => {
    const t: ServiceTerms = { plan: 'standard', components: Array(8).fill({ os: 'linux' }), metricCapRelaxations: 3, cloudMonthlyFee: 0 };
    expect(kinds(monthlyChargeLines(t, '2026-04', '2026-02-02'))).toEqual([
      ['managedMonthly', 85_600], // 20,000 + 8 × 8,200
      ['metricCapOption', 6_000], // 3 × 2,000
    ]);
    expect(monthlyChargeLines(t, '2026-04', '2026-02-02').every((l) => l.rule === RULE.managedFees)).toBe(true);
  });

  it('refuses a period before the start month', () => {
    expect(() => monthlyChargeLines(std2, '2026-01', '2026-02-02')).toThrow(RangeError);
    expect(() => monthlyChargeLines(std2, '2026-1', '2026-02-02')).toThrow(RangeError);
  });
});

describe('initial fee and component addition lines', () => {
  it('initial fee, 7 components', () => {
    expect(initialFeeLine(7)).toMatchObject({ kind: 'initialFee', amount: 70_000, taxable: true, rule: RULE.initialFee }); // 50,000 + 2 × 10,000
  });
  it('component addition, 2 components', () => {
    expect(componentAdditionLine(2)).toMatchObject({ kind: 'componentAddition', amount: 20_000, taxable: true }); // 2 × 10,000
  });
});

describe('invoice cycle (D-11, due on a bank business day D-20)', () => {
  it.each([
    ['2026-02', '2026-03-01', '2026-03-31'], // Tuesday
    ['2026-03', '2026-04-01', '2026-04-30'], // Thursday
    ['2026-04', '2026-05-01', '2026-05-29'], // 31 May is a Sunday: Friday the 29th
    ['2026-09', '2026-10-01', '2026-10-30'], // 31 October is a Saturday
    ['2026-11', '2026-12-01', '2026-12-30'], // 31 December: banks are closed (31 Dec – 3 Jan)
    ['2026-12', '2027-01-01', '2027-01-29'], // year boundary; 31 January is a Sunday
    ['2027-01', '2027-02-01', '2027-02-26'], // 28 February is a Sunday
    ['2028-01', '2028-02-01', '2028-02-29'], // leap year, a Tuesday
    ['2019-03', '2019-04-01', '2019-04-26'], // 30 Apr 2019 (citizens' holiday), 29 Apr (Showa Day), the weekend: Friday the 26th
  ])('period %s: issued %s, due %s', (period, issued, due) => {
    expect(invoiceIssueDay(period)).toBe(issued);
    expect(invoiceDueDay(period)).toBe(due);
  });
});

describe('invoice assembly: tax once per invoice (D-10)', () => {
  it('a first invoice: initial fee, managed and cloud fees', () => {
    const inv = assembleInvoice('2026-02', [line('initialFee', 50_000, true), line('managedMonthly', 47_000, true), line('cloudMonthly', 30_000, true)]);
    expect(inv).toMatchObject({
      period: '2026-02',
      issuedOn: '2026-03-01',
      dueOn: '2026-03-31',
      taxableSubtotal: 127_000, // 50,000 + 47,000 + 30,000
      tax: 12_700, // 10% of 127,000
      nonTaxableSubtotal: 0,
      total: 139_700, // 127,000 + 12,700
    });
  });

  it('fractions of tax are discarded', () => {
    const inv = assembleInvoice('2026-03', [line('extraCharge', 12_345, true)]);
    expect(inv.tax).toBe(1_234); // 1,234.5 → 1,234
    expect(inv.total).toBe(13_579); // 12,345 + 1,234
  });

  it('tax on the sum, not per line', () => {
    const inv = assembleInvoice('2026-03', [line('extraCharge', 15, true), line('extraCharge', 15, true)]);
    expect(inv.tax).toBe(3); // 10% of 30 = 3 (per line: 1 + 1 = 2)
  });

  it('a negative taxable subtotal gives a negative tax, truncated toward zero', () => {
    const inv = assembleInvoice('2026-03', [line('managedMonthly', 10_000, true), line('outageCredit', -12_345, true)]);
    expect(inv.taxableSubtotal).toBe(-2_345); // 10,000 − 12,345
    expect(inv.tax).toBe(-234); // −234.5 → −234
    expect(inv.total).toBe(-2_579); // −2,345 − 234
  });

  it('non-taxable lines are added after tax', () => {
    const inv = assembleInvoice('2026-06', [
      line('managedMonthly', 85_600, true),
      line('earlyTermination', 342_400, false),
      line('lateDamages', 57, false),
      line('convenienceCompensation', -100_000, false),
    ]);
    expect(inv.taxableSubtotal).toBe(85_600);
    expect(inv.tax).toBe(8_560); // 10% of 85,600
    expect(inv.nonTaxableSubtotal).toBe(242_457); // 342,400 + 57 − 100,000
    expect(inv.total).toBe(336_617); // 85,600 + 8,560 + 242,457
  });

  it('an empty invoice is all zeros', () => {
    expect(assembleInvoice('2026-03', [])).toMatchObject({ taxableSubtotal: 0, tax: 0, nonTaxableSubtotal: 0, total: 0 });
  });

  it('rejects a fractional amount', () => {
    expect(() => assembleInvoice('2026-03', [line('extraCharge', 0.5, true)])).toThrow(RangeError);
  });
});
