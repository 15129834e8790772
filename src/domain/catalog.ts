/**
 * The price list (Appendix 2) and the billing constants of Appendix 3 — as data, in one place.
 * Amounts are yen before tax. Nothing else in the code base holds a price.
 */
import type { PlanId, Yen } from './types';

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

export interface Catalog {
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

const bands = (p1: Yen, p2: Yen, p3: Yen): readonly PriceBand[] => [
  { from: 1, to: 5, price: p1 },
  { from: 6, to: 20, price: p2 },
  { from: 21, to: null, price: p3 },
];

export const CATALOG = {
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
  bandMode: 'volume',
  initialFee: { base: 50_000, includedComponents: 5, perExtraComponent: 10_000 },
  componentAdditionFee: 10_000,
  metricCapOptionPerComponent: 2_000,
  taxRatePercent: 10,
  secondBusinessDayForCloudFee: 2,
} as const satisfies Catalog;
