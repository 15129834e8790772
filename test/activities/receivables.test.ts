/**
 * Receivables from the ledger (issue 29): the aging report as of a day and the payments of a range, on a
 * ledger filled through its stores (test/helpers/receivables.ts) — tied out to the invoices and the
 * payments store to the yen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInMemoryLedger, type Ledger } from '../../src/activities';
import { agingAsOf, customerOverview, paymentsBetween } from '../../src/backoffice/receivables';
import { fillReceivables, type Filled } from '../helpers/receivables';

describe('receivables from the ledger', () => {
  let ledger: Ledger;
  let f: Filled;
  beforeAll(async () => {
    ledger = await openInMemoryLedger();
    f = await fillReceivables(ledger);
  });
  afterAll(() => ledger?.close());

  it("ties out to the ledger to the yen: the report's total is the invoices' totals minus what the payments store says was paid", async () => {
    const report = await agingAsOf(ledger, '2027-01-15');
    let owed = 0;
    let totals = 0;
    let paid = 0;
    for (const contractId of ['C-R1', 'C-R2', 'C-R3']) {
      const byPeriod = await ledger.payments.paidByPeriod(contractId);
      for (const inv of await ledger.listInvoices(contractId)) {
        totals += inv.total;
        paid += byPeriod.get(inv.period) ?? 0;
        owed += Math.max(0, inv.total - (byPeriod.get(inv.period) ?? 0));
      }
    }
    expect(report.total).toBe(owed);
    expect(report.total).toBe(totals - paid); // no invoice overpaid, and the credit note's credit is used up
    expect(report.total).toBe(84_700 * 6 - 84_700 - 40_000 - 11_000 - 50_000); // six invoices, a payment in full, a part, the credit, the bank line
    expect(report.customers.reduce((s, c) => s + c.total, 0)).toBe(report.total);
    expect(Object.values(report.buckets).reduce((s, n) => s + n, 0)).toBe(report.total);
  });

  it('as of 2026-11-15: the reversal counts (owed again), each invoice in its bucket, per customer with its name and contracts', async () => {
    const r = await agingAsOf(ledger, '2026-11-15');
    expect(r.buckets).toEqual({ current: 0, days1to30: 84_700 + 73_700, days31to60: 84_700, days61to90: 44_700, over90: 84_700 });
    expect(r.total).toBe(372_500);
    const [a, b] = r.customers;
    expect(a).toMatchObject({ customerId: f.customerA, billingName: '株式会社エー', contracts: ['C-R1', 'C-R2'], total: 287_800 });
    expect(b).toMatchObject({ customerId: f.customerB, billingName: '合同会社ビー', contracts: ['C-R3'], total: 84_700 });
    expect(a!.invoices.map((i) => [i.contractId, i.period, i.owed, i.daysPastDue])).toEqual([
      ['C-R1', '2026-07', 44_700, 76],
      ['C-R1', '2026-08', 84_700, 46],
      ['C-R1', '2026-09', 84_700, 15],
      ['C-R2', '2026-09', 73_700, 15],
    ]);
  });

  it('as of 2026-10-01: a payment reversed later still counts, a payment later does not, the credit counts from its invoice’s issue', async () => {
    const r = await agingAsOf(ledger, '2026-10-01');
    expect(r.buckets).toEqual({ current: 84_700 + 73_700, days1to30: 0, days31to60: 44_700, days61to90: 0, over90: 84_700 });
    expect(r.total).toBe(287_800);
    const before = await agingAsOf(ledger, '2026-09-30'); // the September invoices are not issued yet
    expect(before.customers.flatMap((c) => c.invoices.map((i) => i.period))).not.toContain('2026-09');
    expect(await agingAsOf(ledger, '2026-05-31')).toMatchObject({ total: 0, customers: [] });
  });

  it('lists the payments of a range with their source: the bank line (file and record) or the person who keyed it', async () => {
    const r = await paymentsBetween(ledger, '2026-09-01', '2026-11-30');
    expect(r.payments.map((p) => [p.paidOn, p.contractId, p.amount, p.reversal?.on ?? null])).toEqual([
      ['2026-09-10', 'C-R1', 40_000, null],
      ['2026-09-25', 'C-R1', 84_700, '2026-10-05'],
      ['2026-11-20', 'C-R3', 50_000, null],
    ]);
    expect(r.payments[0]).toMatchObject({ requestId: 'pay-0002', customerId: f.customerA, billingName: '株式会社エー' });
    expect(r.payments[0]!.source).toMatchObject({ kind: 'person', personId: f.clerkId, login: f.clerkLogin, role: 'clerk', via: 'console' });
    expect(r.payments[2]!.source).toEqual({ kind: 'bank', fileId: 'BF-aging-1', record: 2 });
    expect(r.total).toBe(90_000);
    expect(r.reversed).toBe(84_700);
  });

  it("a customer's overview: its contracts, open invoices, payments and balance", async () => {
    const o = (await customerOverview(ledger, f.customerA))!;
    expect(o.profile.contracts.map((c) => c.contractId)).toEqual(['C-R1', 'C-R2']);
    expect(o.openInvoices.map((i) => `${i.contractId} ${i.period} ${i.outstanding}`)).toEqual([
      'C-R1 2026-07 44700',
      'C-R1 2026-08 84700',
      'C-R1 2026-09 84700',
      'C-R2 2026-09 73700',
    ]);
    expect(o.payments.map((p) => p.paymentId)).toEqual(['C-R1:pay-0003', 'C-R1:pay-0002', 'C-R1:pay-0001']);
    expect(o).toMatchObject({ owed: 287_800, credit: 0, balance: 287_800 });
    expect(await customerOverview(ledger, 'cus-nobody')).toBeUndefined();
  });
});
