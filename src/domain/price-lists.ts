/**
 * D-17 (Art. 4): the price list is versioned by effective month. A contract holds the changes announced to
 * it; the version in force for a month is the first price list with every change effective by then laid
 * over it, in month order — a change names only the plans (and the option) it changes, the rest carry over.
 * D-21 (docs/decisions.md#d-21): each month is priced whole by the version in force on its 1st — no proration across two.
 * Pure.
 */
import { bands, CATALOG, FIRST_PRICE_LIST, type Catalog, type PlanPrices, type PriceListVersion } from './catalog';
import type { PlanId, YearMonth, Yen } from './types';

/** A plan's prices as a change announces them: the base and the three band prices (1–5, 6–20, 21+). */
export interface PlanPriceChange {
  base: Yen;
  bands: [Yen, Yen, Yen];
}
/** Premium also has the Windows column (※2). */
export interface PremiumPriceChange extends PlanPriceChange {
  windowsBands: [Yen, Yen, Yen];
}

/** A price-list version as announced (D-17): its id, its month, what it changes. */
export interface PriceListChange {
  id: string;
  effectiveMonth: YearMonth;
  plans: { entry?: PlanPriceChange; standard?: PlanPriceChange; advanced?: PlanPriceChange; premium?: PremiumPriceChange };
  metricCapOptionPerComponent?: Yen;
}

function changedPlan(before: PlanPrices, change: PlanPriceChange & { windowsBands?: [Yen, Yen, Yen] }): PlanPrices {
  return {
    label: before.label,
    base: change.base,
    bands: bands(...change.bands),
    ...(change.windowsBands ? { windowsBands: bands(...change.windowsBands) } : before.windowsBands ? { windowsBands: before.windowsBands } : {}),
  };
}

/** D-17: the version in force for `month` — the latest effective on or before its first day. */
export function priceListInForce(changes: readonly PriceListChange[], month: YearMonth): PriceListVersion {
  let version: PriceListVersion = FIRST_PRICE_LIST;
  const inForce = changes.filter((c) => c.effectiveMonth <= month && c.effectiveMonth > FIRST_PRICE_LIST.effectiveMonth);
  for (const c of [...inForce].sort((a, b) => (a.effectiveMonth < b.effectiveMonth ? -1 : 1))) {
    const plans = { ...version.plans };
    for (const [plan, change] of Object.entries(c.plans) as Array<[PlanId, PlanPriceChange]>) plans[plan] = changedPlan(version.plans[plan], change);
    version = {
      id: c.id,
      effectiveMonth: c.effectiveMonth,
      plans,
      metricCapOptionPerComponent: c.metricCapOptionPerComponent ?? version.metricCapOptionPerComponent,
    };
  }
  return version;
}

/** The catalog priced by `version`: its plans and option; the initial fee, tax and calendar constants stay. */
export function catalogFor(version: PriceListVersion): Catalog {
  return { ...CATALOG, priceListId: version.id, plans: version.plans, metricCapOptionPerComponent: version.metricCapOptionPerComponent };
}

/** The catalog in force for `month` under the changes a contract was told of (D-17). */
export function catalogIn(changes: readonly PriceListChange[], month: YearMonth): Catalog {
  return catalogFor(priceListInForce(changes, month));
}

/** A whole version written as a change that names every plan (how the ledger records the first one, Appendix 2 of 2025-04). */
export function asAnnounced(version: PriceListVersion): PriceListChange {
  const prices = (b: PlanPrices['bands']) => b.map((x) => x.price) as [Yen, Yen, Yen];
  const plan = (p: PlanPrices) => ({ base: p.base, bands: prices(p.bands), ...(p.windowsBands ? { windowsBands: prices(p.windowsBands) } : {}) });
  const { entry, standard, advanced, premium } = version.plans;
  return {
    id: version.id,
    effectiveMonth: version.effectiveMonth,
    plans: { entry: plan(entry), standard: plan(standard), advanced: plan(advanced), premium: plan(premium) as PremiumPriceChange },
    metricCapOptionPerComponent: version.metricCapOptionPerComponent,
  };
}
