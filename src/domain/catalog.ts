/**
 * The price list (Appendix 2) and the billing constants of Appendix 3 — as data, in one place.
 * Amounts are yen before tax. Nothing else in the code base holds a price.
 */
import type { PlanId, YearMonth, Yen } from './types';

/** A price band: component counts `from`…`to` inclusive (`to: null` = no upper bound). */
export interface PriceBand {
  from: number;
  to: number | null;
  price: Yen;
}

export interface PlanPrices {
  label: string;
  base: Yen;
  /** Per-component monthly price bands (Linux column for Premium). */
  bands: readonly PriceBand[];
  /** Premium only (※2): used for every component when any component runs Windows. */
  windowsBands?: readonly PriceBand[];
}

/**
 * D-9: `volume` — the band is chosen by the total count and every component pays that band's price;
 * `graduated` — each component pays the price of the band its ordinal falls in.
 */
export type BandMode = 'volume' | 'graduated';

/**
 * One version of the Appendix 2 prices that D-17 lets change: effective from the first day of
 * `effectiveMonth` until the next version's (price-lists.ts picks the one in force for a month).
 */
export interface PriceListVersion {
  id: string;
  effectiveMonth: YearMonth;
  plans: Readonly<Record<PlanId, PlanPrices>>;
  /** Metric-cap relaxation option, per relaxation per month (Appendix 2 note). */
  metricCapOptionPerComponent: Yen;
}

/** What a plan includes beyond the fees (Appendix 2 notes, D-19): never billed by itself. */
export interface PlanAllowance {
  /** Incident responses (障害対応) per contract per month: Standard and up, none for Entry. */
  incidentsPerMonth: number;
  /** Ops-on-behalf (運用代行) hours per component per month: Premium only. */
  opsHoursPerComponent: number;
}

export interface Catalog {
  /** The price-list version these prices come from (D-17); each line priced from it names it. */
  priceListId: string;
  plans: Readonly<Record<PlanId, PlanPrices>>;
  bandMode: BandMode;
  initialFee: { base: Yen; includedComponents: number; perExtraComponent: Yen };
  /** Components added after the start, each (Appendix 2 note, even below 5). */
  componentAdditionFee: Yen;
  /** Metric-cap relaxation option, per relaxation per month (Appendix 2 note). */
  metricCapOptionPerComponent: Yen;
  /** Consumption tax in whole percent (Appendix 3 §6; kept integral so no float touches money). */
  taxRatePercent: number;
  /** Appendix 3 §1: no first-month cloud fee when S is on/after this business day of its month. */
  secondBusinessDayForCloudFee: number;
}

/** Price bands 1–5, 6–20, 21+ from their three prices (Appendix 2's columns). */
export const bands = (p1: Yen, p2: Yen, p3: Yen): readonly PriceBand[] => [
  { from: 1, to: 5, price: p1 },
  { from: 6, to: 20, price: p2 },
  { from: 21, to: null, price: p3 },
];

/** Appendix 2 as the terms of 2025-04-01 give it: the first price-list version (D-17). */
export const FIRST_PRICE_LIST = {
  id: 'PL-2025-04',
  effectiveMonth: '2025-04',
  plans: {
    entry: { label: 'エントリー (Entry)', base: 10_000, bands: bands(4_000, 3_000, 2_800) },
    standard: { label: 'スタンダード (Standard)', base: 20_000, bands: bands(9_000, 8_200, 7_400) },
    advanced: { label: 'アドバンスト (Advanced)', base: 20_000, bands: bands(15_000, 12_000, 10_000) },
    premium: {
      label: 'プレミアム (Premium)',
      base: 50_000,
      bands: bands(25_000, 21_000, 15_000),
      windowsBands: bands(30_000, 25_000, 21_000),
    },
  },
  metricCapOptionPerComponent: 2_000,
} as const satisfies PriceListVersion;

/** The catalog under the first price list; `catalogFor` (price-lists.ts) gives it under a later one. */
export const CATALOG = {
  priceListId: FIRST_PRICE_LIST.id,
  plans: FIRST_PRICE_LIST.plans,
  bandMode: 'volume',
  initialFee: { base: 50_000, includedComponents: 5, perExtraComponent: 10_000 },
  componentAdditionFee: 10_000,
  metricCapOptionPerComponent: FIRST_PRICE_LIST.metricCapOptionPerComponent,
  taxRatePercent: 10,
  secondBusinessDayForCloudFee: 2,
} as const satisfies Catalog;

/** Appendix 2 notes, D-19: what each plan includes each month. */
export const PLAN_ALLOWANCES: Readonly<Record<PlanId, PlanAllowance>> = {
  entry: { incidentsPerMonth: 0, opsHoursPerComponent: 0 },
  standard: { incidentsPerMonth: 3, opsHoursPerComponent: 0 },
  advanced: { incidentsPerMonth: 3, opsHoursPerComponent: 0 },
  premium: { incidentsPerMonth: 3, opsHoursPerComponent: 1 },
};
