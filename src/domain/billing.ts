/**
 * The monthly charge lines and invoice assembly (Appendix 2, Appendix 3, D-10, D-11). Pure.
 */
import { addMonths, firstDayOf, isIsoDate, isYearMonth, bankBusinessDayOnOrBefore, lastDayOf, monthOf, nthBusinessDay } from './calendar';
import { CATALOG, type Catalog } from './catalog';
import { Dec, formatYen, sumYen, yen } from './money';
import { componentAdditionFee, initialFee, managedBreakdown, monthlyFees } from './pricing';
import { RULE } from './rules';
import type { Invoice, InvoiceLine, IsoDate, ServiceTerms, Yen, YearMonth } from './types';

/** Precondition: a real calendar date `YYYY-MM-DD`; throws RangeError otherwise (inputs are validated upstream). */
export function requireDate(value: IsoDate, what = 'date'): IsoDate {
  if (typeof value !== 'string' || !isIsoDate(value)) throw new RangeError(`${what} must be a date YYYY-MM-DD, got ${value}`);
  return value;
}

/** Precondition: a month `YYYY-MM`; throws RangeError otherwise. */
export function requireMonth(value: YearMonth, what = 'month'): YearMonth {
  if (typeof value !== 'string' || !isYearMonth(value)) throw new RangeError(`${what} must be a month YYYY-MM, got ${value}`);
  return value;
}

/**
 * Appendix 3 §1: the cloud fee of `period` is waived (not charged) when `period` is the month holding the
 * usage start S and S is on or after the company's 2nd business day of that month (D-1). The one source of
 * this fact: the monthly charge lines leave the cloud fee out, and a cloud outage beginning in that month
 * earns no credit (D-12: a fee not charged earns none). Managed fees are never waived.
 */
export function cloudFeeWaived(period: YearMonth, startDate: IsoDate, catalog: Catalog = CATALOG): boolean {
  requireMonth(period, 'period');
  requireDate(startDate, 'startDate');
  return period === monthOf(startDate) && startDate >= nthBusinessDay(period, catalog.secondBusinessDayForCloudFee);
}

/**
 * The monthly fee lines for `period` (Appendix 3 §1: whole months, no daily proration). The cloud fee is
 * left out when `cloudFeeWaived` (the month of S, S on/after the 2nd business day).
 * Throws RangeError for a period before the month of S (nothing is charged before the contract exists).
 */
export function monthlyChargeLines(terms: ServiceTerms, period: YearMonth, startDate: IsoDate, catalog: Catalog = CATALOG): InvoiceLine[] {
  requireMonth(period, 'period');
  const startMonth = monthOf(requireDate(startDate, 'startDate'));
  if (period < startMonth) throw new RangeError(`period ${period} is before the start month ${startMonth}`);
  const fees = monthlyFees(terms, catalog);
  const m = managedBreakdown(terms, catalog);
  const make = m.parts.map((p) => `${p.count} × ${formatYen(p.unitPrice)}`).join(' + ');
  const plan = catalog.plans[terms.plan].label + (m.windowsColumn ? ' Windows' : '');
  const lines: InvoiceLine[] = [
    {
      kind: 'managedMonthly',
      amount: fees.managedMonthly,
      taxable: true,
      rule: RULE.managedFees,
      priceList: catalog.priceListId,
      description: `マネージドサービス月額料金 ${period} ${plan}: ${formatYen(m.base)}${make ? ` + ${make}` : ''} (managed service monthly fee)`,
    },
  ];
  if (fees.metricCapOption > 0) {
    lines.push({
      kind: 'metricCapOption',
      amount: fees.metricCapOption,
      taxable: true,
      rule: RULE.managedFees,
      priceList: catalog.priceListId,
      description: `メトリック上限緩和オプション ${period}: ${terms.metricCapRelaxations} × ${formatYen(catalog.metricCapOptionPerComponent)} (metric-cap relaxation option)`,
    });
  }
  if (fees.cloudMonthly > 0 && !cloudFeeWaived(period, startDate, catalog)) {
    lines.push({
      kind: 'cloudMonthly',
      amount: fees.cloudMonthly,
      taxable: true,
      rule: RULE.cloudFee,
      description: `Neutrix Cloud 利用料 ${period} (cloud resource fee)`,
    });
  }
  return lines;
}

/** Initial fee, billed with the first month (Appendix 2 note). */
export function initialFeeLine(componentCount: number, catalog: Catalog = CATALOG): InvoiceLine {
  return {
    kind: 'initialFee',
    amount: initialFee(componentCount, catalog),
    taxable: true,
    rule: RULE.initialFee,
    description: `初期費用 ${componentCount}コンポーネント (initial fee, ${componentCount} components)`,
  };
}

/** Components added by a change, billed with the month it takes effect (Appendix 2 note). */
export function componentAdditionLine(added: number, catalog: Catalog = CATALOG): InvoiceLine {
  return {
    kind: 'componentAddition',
    amount: componentAdditionFee(added, catalog),
    taxable: true,
    rule: RULE.initialFee,
    description: `コンポーネント追加費用 ${added} × ${formatYen(catalog.componentAdditionFee)} (component addition fee)`,
  };
}

/** D-11: month M is invoiced on the 1st of M+1. */
export function invoiceIssueDay(period: YearMonth): IsoDate {
  return firstDayOf(addMonths(requireMonth(period, 'period'), 1));
}

/**
 * D-11 with D-20: the invoice for month M is due on the last day of M+1, moved back to the preceding bank
 * business day when banks are closed on it (a weekend, a holiday, 31 December), so a transfer made on the
 * due day arrives on it. Late damages (Art. 27) and the overdue steps (D-14) count from this day.
 */
export function invoiceDueDay(period: YearMonth): IsoDate {
  return bankBusinessDayOnOrBefore(lastDayOf(addMonths(requireMonth(period, 'period'), 1)));
}

/** Consumption tax on a taxable subtotal: fraction discarded toward zero (Appendix 3 §2, D-10). */
export function consumptionTax(taxableSubtotal: Yen, catalog: Catalog = CATALOG): Yen {
  return yen(new Dec(taxableSubtotal).times(catalog.taxRatePercent).dividedBy(100));
}

/** The invoice for `period`: tax once on the sum of taxable lines (D-10); non-taxable lines added after tax. */
export function assembleInvoice(period: YearMonth, lines: InvoiceLine[], catalog: Catalog = CATALOG): Invoice {
  const taxableSubtotal = sumYen(lines.filter((l) => l.taxable).map((l) => l.amount));
  const nonTaxableSubtotal = sumYen(lines.filter((l) => !l.taxable).map((l) => l.amount));
  const tax = consumptionTax(taxableSubtotal, catalog);
  return {
    period,
    issuedOn: invoiceIssueDay(period),
    dueOn: invoiceDueDay(period),
    lines: [...lines],
    taxableSubtotal,
    tax,
    nonTaxableSubtotal,
    total: sumYen([taxableSubtotal, tax, nonTaxableSubtotal]),
  };
}
