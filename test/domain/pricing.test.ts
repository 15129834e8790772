import { describe, it, expect } from 'vitest';
import { CATALOG, type Catalog } from '../../src/domain/catalog';
import { componentAdditionFee, initialFee, managedBreakdown, monthlyFees } from '../../src/domain/pricing';
import type { PlanId, ServiceTerms } from '../../src/domain/types';

function terms(plan: PlanId, linux: number, windows = 0, metricCapRelaxations = 0, cloudMonthlyFee = 0): ServiceTerms {
  return {
    plan,
    components: [...Array.from({ length: linux }, () => ({ os: 'linux' as const })), ...Array.from({ length: windows }, () => ({ os: 'windows' as const }))],
    metricCapRelaxations,
    cloudMonthlyFee,
  };
}

const graduated: Catalog = { ...CATALOG, bandMode: 'graduated' };

describe('managed monthly fee, volume bands (Appendix 2, D-9)', () => {
  it.each([
    // plan, linux, windows, expected managedMonthly
    ['standard', 8, 0, 85_600], // D-9 worked example: 20,000 + 8 × 8,200
    ['entry', 1, 0, 14_000], // 10,000 + 1 × 4,000
    ['entry', 5, 0, 30_000], // 10,000 + 5 × 4,000
    ['entry', 6, 0, 28_000], // 10,000 + 6 × 3,000 (volume: 6 cost less than 5)
    ['entry', 20, 0, 70_000], // 10,000 + 20 × 3,000
    ['entry', 21, 0, 68_800], // 10,000 + 21 × 2,800
    ['standard', 5, 0, 65_000], // 20,000 + 5 × 9,000
    ['standard', 6, 0, 69_200], // 20,000 + 6 × 8,200
    ['standard', 20, 0, 184_000], // 20,000 + 20 × 8,200
    ['standard', 21, 0, 175_400], // 20,000 + 21 × 7,400
    ['advanced', 5, 0, 95_000], // 20,000 + 5 × 15,000
    ['advanced', 6, 0, 92_000], // 20,000 + 6 × 12,000
    ['advanced', 21, 0, 230_000], // 20,000 + 21 × 10,000
    ['premium', 5, 0, 175_000], // 50,000 + 5 × 25,000
    ['premium', 6, 0, 176_000], // 50,000 + 6 × 21,000
    ['premium', 20, 0, 470_000], // 50,000 + 20 × 21,000
    ['premium', 21, 0, 365_000], // 50,000 + 21 × 15,000
    ['premium', 3, 1, 170_000], // one Windows among Linux → Windows column for all: 50,000 + 4 × 30,000
    ['premium', 0, 6, 200_000], // 50,000 + 6 × 25,000
    ['premium', 20, 1, 491_000], // 50,000 + 21 × 21,000
    ['standard', 1, 1, 38_000], // Standard has no Windows column: 20,000 + 2 × 9,000
    ['standard', 0, 2, 38_000], // same: 20,000 + 2 × 9,000
  ] as const)('%s with %i Linux + %i Windows → %i', (plan, linux, windows, expected) => {
    expect(monthlyFees(terms(plan, linux, windows)).managedMonthly).toBe(expected);
  });

  it('premium Linux-only vs the same count with one Windows component', () => {
    expect(monthlyFees(terms('premium', 4)).managedMonthly).toBe(150_000); // 50,000 + 4 × 25,000
    expect(managedBreakdown(terms('premium', 3, 1)).windowsColumn).toBe(true);
    expect(managedBreakdown(terms('standard', 3, 1)).windowsColumn).toBe(false);
  });
});

describe('graduated bands (expressible in the catalog, D-9)', () => {
  it.each([
    ['standard', 8, 0, 89_600], // 20,000 + 5 × 9,000 + 3 × 8,200 = 20,000 + 45,000 + 24,600
    ['standard', 5, 0, 65_000], // 20,000 + 5 × 9,000 (same as volume inside band 1)
    ['standard', 21, 0, 195_400], // 20,000 + 45,000 + 15 × 8,200 (123,000) + 1 × 7,400
    ['entry', 6, 0, 33_000], // 10,000 + 5 × 4,000 + 1 × 3,000
    ['premium', 0, 22, 617_000], // 50,000 + 5 × 30,000 + 15 × 25,000 + 2 × 21,000 = 50,000 + 150,000 + 375,000 + 42,000
  ] as const)('%s with %i Linux + %i Windows → %i', (plan, linux, windows, expected) => {
    expect(monthlyFees(terms(plan, linux, windows), graduated).managedMonthly).toBe(expected);
  });

  it('reports each band used', () => {
    expect(managedBreakdown(terms('standard', 21), graduated).parts).toEqual([
      { count: 5, unitPrice: 9_000 },
      { count: 15, unitPrice: 8_200 },
      { count: 1, unitPrice: 7_400 },
    ]);
  });
});

describe('metric cap option, cloud fee and the fixed monthly fee (Appendix 2)', () => {
  it('standard 8, 3 relaxations, cloud 30,000', () => {
    expect(monthlyFees(terms('standard', 8, 0, 3, 30_000))).toEqual({
      managedMonthly: 85_600, // 20,000 + 8 × 8,200
      metricCapOption: 6_000, // 3 × 2,000
      managedTotal: 91_600, // 85,600 + 6,000
      cloudMonthly: 30_000,
      fixedMonthlyFee: 121_600, // 91,600 + 30,000
      priceList: 'PL-2025-04', // D-17: the first version, Appendix 2 of 2025-04-01
    });
  });

  it('several relaxations on one component are each charged (Appendix 2 note)', () => {
    expect(monthlyFees(terms('standard', 2, 0, 3)).metricCapOption).toBe(6_000); // 3 × 2,000
  });

  it('no options, no cloud fee', () => {
    const f = monthlyFees(terms('entry', 1));
    expect(f.metricCapOption).toBe(0);
    expect(f.cloudMonthly).toBe(0);
    expect(f.fixedMonthlyFee).toBe(14_000); // 10,000 + 4,000
  });

  it('rejects counts and fees that are not whole and ≥ 0', () => {
    expect(() => monthlyFees(terms('entry', 1, 0, -1))).toThrow(RangeError);
    expect(() => monthlyFees(terms('entry', 1, 0, 1.5))).toThrow(RangeError);
    expect(() => monthlyFees(terms('entry', 1, 0, 0, 100.5))).toThrow(RangeError);
    expect(() => monthlyFees(terms('entry', 1, 0, 0, -1))).toThrow(RangeError);
    expect(() => monthlyFees({ ...terms('entry', 1), plan: 'gold' as PlanId })).toThrow(RangeError);
  });
});

describe('initial fee and component additions (Appendix 2 note)', () => {
  it.each([
    [1, 50_000], // up to 5 included
    [5, 50_000], // up to 5 included
    [6, 60_000], // 50,000 + 1 × 10,000
    [7, 70_000], // 50,000 + 2 × 10,000
    [21, 210_000], // 50,000 + 16 × 10,000
  ])('initial fee for %i components = %i', (n, expected) => {
    expect(initialFee(n)).toBe(expected);
  });

  it.each([
    [0, 0],
    [1, 10_000], // 1 × 10,000, even when the contract began below 5
    [3, 30_000], // 3 × 10,000
  ])('adding %i components = %i', (n, expected) => {
    expect(componentAdditionFee(n)).toBe(expected);
  });

  it('rejects a negative or fractional count', () => {
    expect(() => initialFee(-1)).toThrow(RangeError);
    expect(() => componentAdditionFee(1.5)).toThrow(RangeError);
  });
});
