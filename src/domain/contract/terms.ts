/**
 * The contract's terms over time (Art. 12, D-3, D-28): the application's terms, then every approved change
 * from its own month. The history is derived from the approved changes, never edited in place, so approving
 * one change can never drop another; the lines a change brings (Appendix 2's component-addition fee,
 * Art. 11-3's downgrade settlement) are derived from the history when their month is billed.
 */
import { componentAdditionLine } from '../billing';
import { addMonths, firstDayOf, monthOf } from '../calendar';
import { downgradeSettlement } from '../charges';
import { catalogIn } from '../price-lists';
import { monthlyFees, type MonthlyFees } from '../pricing';
import { termsInForce, type TermsFrom } from '../statement';
import type { InvoiceLine, IsoDate, ServiceTerms, YearMonth } from '../types';
import type { ApprovedChange, ContractState } from './state';

type TermsFacts = Pick<ContractState, 'appliedOn' | 'baseTerms' | 'changes'>;

function merged(current: ServiceTerms, change: Partial<ServiceTerms>): ServiceTerms {
  return {
    plan: change.plan ?? current.plan,
    components: change.components ?? current.components,
    metricCapRelaxations: change.metricCapRelaxations ?? current.metricCapRelaxations,
    cloudMonthlyFee: change.cloudMonthlyFee ?? current.cloudMonthlyFee,
  };
}

/** The approved changes in the order they take effect: by month, then in the order approved (D-28). */
function inEffectOrder(changes: readonly ApprovedChange[]): ApprovedChange[] {
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (a.c.effectiveMonth === b.c.effectiveMonth ? a.i - b.i : a.c.effectiveMonth < b.c.effectiveMonth ? -1 : 1))
    .map((x) => x.c);
}

/**
 * D-28: each approved change changes only what it names, from its month, on top of the terms the changes
 * before it in time made — whatever order they were approved in.
 */
export function termsHistory(s: TermsFacts): TermsFrom[] {
  const history: TermsFrom[] = [{ from: monthOf(s.appliedOn), terms: s.baseTerms }];
  for (const change of inEffectOrder(s.changes)) {
    const last = history[history.length - 1]!;
    const terms = merged(last.terms, change.change);
    if (last.from === change.effectiveMonth) last.terms = terms;
    else history.push({ from: change.effectiveMonth, terms });
  }
  return history;
}

/** The terms in force in `month` (D-3: a change takes effect on the first day of its month). */
export function termsIn(s: TermsFacts, month: YearMonth): ServiceTerms {
  return termsInForce(termsHistory(s), month);
}

/** The terms in force on `day`. */
export function termsOn(s: TermsFacts, day: IsoDate): ServiceTerms {
  return termsIn(s, monthOf(day));
}

/**
 * The lines the approved changes bring in `period`, the month they take effect — comparing that month's terms
 * with the month before's, so two changes in one month count once and a change undone costs nothing:
 * - Appendix 2: components added after the first month cost the addition fee (the initial fee covers the
 *   components the contract starts with, changes taking effect by then included);
 * - Art. 11-3, D-6: a lower fixed monthly fee taking effect inside the minimum term (on or after S) costs the
 *   difference for each remaining month; D-17 (D-21): both fees from the price-list version in force on the
 *   day the month's last change was approved, so a provider's price change alone never yields one.
 * A change for a month after the last contract day never takes effect (D-28): it is dropped when the end is fixed.
 */
export function changeEffects(
  s: TermsFacts & Pick<ContractState, 'startDate' | 'minimumTermEnd' | 'priceLists'>,
  period: YearMonth,
): { componentsAdded: number; additionFee: InvoiceLine | null; settlement: InvoiceLine | null } {
  const effective = s.changes.filter((c) => c.effectiveMonth === period);
  if (!effective.length || !s.startDate || period < monthOf(s.startDate)) return { componentsAdded: 0, additionFee: null, settlement: null };
  const before = termsIn(s, addMonths(period, -1));
  const after = termsIn(s, period);
  const added = after.components.length - before.components.length;
  const componentsAdded = added > 0 && period > monthOf(s.startDate) ? added : 0;
  const approvedOn = effective
    .map((c) => c.approvedOn)
    .sort()
    .at(-1)!;
  const prices = catalogIn(s.priceLists, monthOf(approvedOn));
  const settlement =
    s.minimumTermEnd && firstDayOf(period) >= s.startDate
      ? downgradeSettlement({
          oldFixedMonthlyFee: monthlyFees(before, prices).fixedMonthlyFee,
          newFixedMonthlyFee: monthlyFees(after, prices).fixedMonthlyFee,
          effectiveMonth: period,
          minimumTermEnd: s.minimumTermEnd,
          priceList: prices.priceListId,
        })
      : null;
  return { componentsAdded, additionFee: componentsAdded ? componentAdditionLine(componentsAdded) : null, settlement };
}

/** The lines of `changeEffects` in invoice order: the addition fee, then the settlement. */
export function changeLines(s: Parameters<typeof changeEffects>[0], period: YearMonth): InvoiceLine[] {
  const e = changeEffects(s, period);
  return [e.additionFee, e.settlement].filter((l): l is InvoiceLine => l !== null);
}

/** D-28: the approved changes whose month comes after the last contract day; they never take effect. */
export function changesAfter(s: Pick<ContractState, 'changes'>, lastDay: IsoDate): ApprovedChange[] {
  return s.changes.filter((c) => c.effectiveMonth > monthOf(lastDay));
}

/** The fees in force on `day`: the terms of its month under the price-list version of its month (D-17). */
export function feesOn(s: TermsFacts & Pick<ContractState, 'priceLists'>, day: IsoDate): MonthlyFees {
  return monthlyFees(termsOn(s, day), catalogIn(s.priceLists, monthOf(day)));
}
