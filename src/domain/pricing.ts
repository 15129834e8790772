/**
 * Monthly fees from the service terms (Appendix 2). Pure; amounts in decimal.js, out in whole yen.
 */
import { CATALOG, type Catalog, type PriceBand } from './catalog';
import { Dec, requireCount, requireYen, yen } from './money';
import type { ServiceTerms, Yen } from './types';

export interface MonthlyFees {
  /** Plan base fee + per-component fees. */
  managedMonthly: Yen;
  /** Metric-cap relaxation option. */
  metricCapOption: Yen;
  /** managedMonthly + metricCapOption: the managed-service monthly fee (Art. 24 rows 3–4). */
  managedTotal: Yen;
  /** Neutrix Cloud resource fee (per contract). */
  cloudMonthly: Yen;
  /** 定額利用料 = managedTotal + cloudMonthly: basis of the ETF, downgrade settlement and Art. 29-3 compensation. */
  fixedMonthlyFee: Yen;
  /** The price-list version the managed fees come from (D-17). */
  priceList: string;
}

/** How the component fee is made up: `count` components at `unitPrice` each, per band used. */
export interface ComponentCharge {
  count: number;
  unitPrice: Yen;
}

export interface ManagedBreakdown {
  base: Yen;
  /** Premium ※2: the Windows column applies to every component. */
  windowsColumn: boolean;
  parts: ComponentCharge[];
  total: Yen;
}

function bandFor(bands: readonly PriceBand[], ordinal: number): PriceBand {
  const band = bands.find((b) => ordinal >= b.from && (b.to === null || ordinal <= b.to));
  if (!band) throw new RangeError(`no price band holds component ${ordinal}`);
  return band;
}

/** Per-component charges for `count` components under the catalog's band mode (D-9). */
function componentCharges(bands: readonly PriceBand[], count: number, mode: Catalog['bandMode']): ComponentCharge[] {
  requireCount(count, 'component count');
  if (count === 0) return [];
  if (mode === 'volume') return [{ count, unitPrice: bandFor(bands, count).price }];
  // graduated: each band charges the ordinals that fall inside it
  return bands.map((b) => ({ count: Math.max(0, Math.min(count, b.to ?? count) - b.from + 1), unitPrice: b.price })).filter((c) => c.count > 0);
}

/** The managed monthly fee (base + components) with its make-up, for invoice descriptions. */
export function managedBreakdown(terms: ServiceTerms, catalog: Catalog = CATALOG): ManagedBreakdown {
  const plan = catalog.plans[terms.plan];
  if (!plan) throw new RangeError(`unknown plan: ${String(terms.plan)}`);
  const windowsColumn = plan.windowsBands !== undefined && terms.components.some((c) => c.os === 'windows');
  const bands = windowsColumn && plan.windowsBands ? plan.windowsBands : plan.bands;
  const parts = componentCharges(bands, terms.components.length, catalog.bandMode);
  const total = parts.reduce((acc, p) => acc.plus(new Dec(p.unitPrice).times(p.count)), new Dec(plan.base));
  return { base: plan.base, windowsColumn, parts, total: yen(total) };
}

/** The monthly fees in force under `terms` (Appendix 2). */
export function monthlyFees(terms: ServiceTerms, catalog: Catalog = CATALOG): MonthlyFees {
  const managedMonthly = managedBreakdown(terms, catalog).total;
  const relaxations = requireCount(terms.metricCapRelaxations, 'metricCapRelaxations');
  const metricCapOption = yen(new Dec(catalog.metricCapOptionPerComponent).times(relaxations));
  const managedTotal = yen(new Dec(managedMonthly).plus(metricCapOption));
  const cloudMonthly = requireYen(terms.cloudMonthlyFee, 'cloudMonthlyFee');
  if (cloudMonthly < 0) throw new RangeError(`cloudMonthlyFee must be ≥ 0, got ${cloudMonthly}`);
  const fixedMonthlyFee = yen(new Dec(managedTotal).plus(cloudMonthly));
  return { managedMonthly, metricCapOption, managedTotal, cloudMonthly, fixedMonthlyFee, priceList: catalog.priceListId };
}

/** Initial fee (Appendix 2 note): 50,000 covers up to 5 components; each one beyond adds 10,000. */
export function initialFee(componentCount: number, catalog: Catalog = CATALOG): Yen {
  const { base, includedComponents, perExtraComponent } = catalog.initialFee;
  const extra = Math.max(0, requireCount(componentCount, 'component count') - includedComponents);
  return yen(new Dec(perExtraComponent).times(extra).plus(base));
}

/** Components added after the start: 10,000 each, even when the contract began below 5 (Appendix 2 note). */
export function componentAdditionFee(added: number, catalog: Catalog = CATALOG): Yen {
  return yen(new Dec(catalog.componentAdditionFee).times(requireCount(added, 'added components')));
}
