/**
 * Receivables at a glance (売掛金年齢表, issue 29): what is still owed on each invoice as of a day, put in
 * buckets by the days past its due day, per customer and in total. Pure: the ledger reads the figures,
 * this module only sorts and sums them, in whole yen.
 */
import { daysBetween } from './calendar';
import type { IsoDate, YearMonth, Yen } from './types';

/** Not yet due (0 days or fewer past the due day), 1–30, 31–60, 61–90, over 90 days past due. */
export const AGING_BUCKETS = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
export type BucketTotals = Record<AgingBucket, Yen>;

/** The bucket of an invoice that is `daysPastDue` days past its due day (the due day itself is not past due). */
export function agingBucket(daysPastDue: number): AgingBucket {
  if (!Number.isInteger(daysPastDue)) throw new Error(`days past due must be whole days, not ${daysPastDue}`);
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return 'days1to30';
  if (daysPastDue <= 60) return 'days31to60';
  if (daysPastDue <= 90) return 'days61to90';
  return 'over90';
}

/** An invoice as the ledger states it on the day: its total and what was set against it by then. */
export interface OpenItem {
  customerId: string | null;
  contractId: string;
  invoiceNumber: string;
  period: YearMonth;
  issuedOn: IsoDate;
  dueOn: IsoDate;
  total: Yen;
  /** Payments received by the day and not reversed by then, plus credit set against it, minus credit drawn from it. */
  paid: Yen;
}

export interface AgedInvoice extends OpenItem {
  owed: Yen;
  daysPastDue: number;
  bucket: AgingBucket;
}

export interface CustomerAging {
  customerId: string | null;
  billingName: string | null;
  contracts: string[];
  invoices: AgedInvoice[];
  buckets: BucketTotals;
  total: Yen;
}

export interface AgingReport {
  asOf: IsoDate;
  customers: CustomerAging[];
  buckets: BucketTotals;
  total: Yen;
}

export const emptyBuckets = (): BucketTotals => ({ current: 0, days1to30: 0, days31to60: 0, days61to90: 0, over90: 0 });

const requireWholeYen = (n: number, what: string) => {
  if (!Number.isSafeInteger(n)) throw new Error(`${what} must be whole yen, not ${n}`);
};

/**
 * The report as of `asOf`: every invoice issued on or before it with something still owed (total − paid
 * > 0; a credit note or an overpaid invoice owes nothing and is left out), grouped by customer.
 * Customers come most owed first; their invoices oldest due first.
 */
export function agingReport(
  asOf: IsoDate,
  items: readonly OpenItem[],
  customers: ReadonlyMap<string, { billingName: string; contracts: string[] }>,
): AgingReport {
  const byCustomer = new Map<string, CustomerAging>();
  const buckets = emptyBuckets();
  let total = 0;
  for (const item of items) {
    requireWholeYen(item.total, `${item.invoiceNumber} total`);
    requireWholeYen(item.paid, `${item.invoiceNumber} paid`);
    if (daysBetween(item.issuedOn, asOf) < 0) continue; // not issued yet on the day
    const owed = item.total - item.paid;
    if (owed <= 0) continue;
    const daysPastDue = daysBetween(item.dueOn, asOf);
    const bucket = agingBucket(daysPastDue);
    const key = item.customerId ?? '';
    let c = byCustomer.get(key);
    if (!c) {
      const known = item.customerId === null ? undefined : customers.get(item.customerId);
      c = {
        customerId: item.customerId,
        billingName: known?.billingName ?? null,
        contracts: known?.contracts ?? [],
        invoices: [],
        buckets: emptyBuckets(),
        total: 0,
      };
      byCustomer.set(key, c);
    }
    if (!c.contracts.includes(item.contractId)) c.contracts = [...c.contracts, item.contractId];
    c.invoices.push({ ...item, owed, daysPastDue, bucket });
    c.buckets[bucket] += owed;
    c.total += owed;
    buckets[bucket] += owed;
    total += owed;
  }
  const rows = [...byCustomer.values()];
  for (const c of rows) c.invoices.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.invoiceNumber.localeCompare(b.invoiceNumber));
  rows.sort((a, b) => b.total - a.total || (a.customerId ?? '').localeCompare(b.customerId ?? ''));
  return { asOf, customers: rows, buckets, total };
}
