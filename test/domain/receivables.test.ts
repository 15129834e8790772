import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar';
import { agingBucket, agingReport, type OpenItem } from '../../src/domain/receivables';

const DUE = '2026-10-31';
const item = (over: Partial<OpenItem> = {}): OpenItem => ({
  customerId: 'cus-a',
  contractId: 'C-1',
  invoiceNumber: 'INV-000001',
  period: '2026-09',
  issuedOn: '2026-10-01',
  dueOn: DUE,
  total: 84_700,
  paid: 0,
  ...over,
});
const customers = new Map([
  ['cus-a', { billingName: '株式会社エー', contracts: ['C-1', 'C-2'] }],
  ['cus-b', { billingName: '合同会社ビー', contracts: ['C-3'] }],
]);

describe('agingBucket: days past the due day', () => {
  it.each([
    [-5, 'current'],
    [0, 'current'], // the due day itself is not past due
    [1, 'days1to30'],
    [30, 'days1to30'],
    [31, 'days31to60'],
    [60, 'days31to60'],
    [61, 'days61to90'],
    [90, 'days61to90'],
    [91, 'over90'],
    [400, 'over90'],
  ] as const)('%i days → %s', (days, bucket) => expect(agingBucket(days)).toBe(bucket));

  it('refuses a fraction of a day', () => expect(() => agingBucket(1.5)).toThrow(/whole days/));
});

describe('agingReport as of a day', () => {
  it('puts each invoice by its days past due as of the day, at the boundaries', () => {
    for (const [days, bucket] of [
      [0, 'current'],
      [1, 'days1to30'],
      [30, 'days1to30'],
      [31, 'days31to60'],
      [60, 'days31to60'],
      [61, 'days61to90'],
      [90, 'days61to90'],
      [91, 'over90'],
    ] as const) {
      const r = agingReport(addDays(DUE, days), [item()], customers);
      expect(r.buckets[bucket], `${days} days`).toBe(84_700);
      expect(r.total).toBe(84_700);
      expect(r.customers[0]!.invoices[0]).toMatchObject({ daysPastDue: days, bucket, owed: 84_700 });
    }
  });

  it('counts what is still owed; leaves out invoices paid in full, overpaid, credit notes and those not issued yet', () => {
    const r = agingReport(
      '2026-12-15',
      [
        item({ paid: 40_000 }), // 44,700 owed, 45 days past due
        item({ invoiceNumber: 'INV-000002', paid: 84_700 }),
        item({ invoiceNumber: 'INV-000003', paid: 90_000 }),
        item({ invoiceNumber: 'INV-000004', total: -5_000 }),
        item({ invoiceNumber: 'INV-000005', issuedOn: '2026-12-16', dueOn: '2027-01-31' }),
        item({ invoiceNumber: 'INV-000006', contractId: 'C-2', period: '2026-11', issuedOn: '2026-12-01', dueOn: '2026-12-31' }),
      ],
      customers,
    );
    expect(r.total).toBe(44_700 + 84_700);
    expect(r.buckets).toEqual({ current: 84_700, days1to30: 0, days31to60: 44_700, days61to90: 0, over90: 0 });
    expect(r.customers).toHaveLength(1);
    expect(r.customers[0]).toMatchObject({ customerId: 'cus-a', billingName: '株式会社エー', contracts: ['C-1', 'C-2'], total: 129_400 });
    expect(r.customers[0]!.invoices.map((i) => i.invoiceNumber)).toEqual(['INV-000001', 'INV-000006']);
  });

  it('sums per customer and in total, most owed first; a contract with no customer on record is its own row', () => {
    const r = agingReport(
      '2027-03-01',
      [
        item(),
        item({ customerId: 'cus-b', contractId: 'C-3', invoiceNumber: 'INV-000010', dueOn: '2027-02-28', total: 200_000 }),
        item({ customerId: null, contractId: 'C-9', invoiceNumber: 'INV-000011', total: 1_000 }),
      ],
      customers,
    );
    expect(r.customers.map((c) => c.customerId)).toEqual(['cus-b', 'cus-a', null]);
    expect(r.customers[2]).toMatchObject({ billingName: null, contracts: ['C-9'] });
    expect(r.buckets.days1to30).toBe(200_000);
    expect(r.buckets.over90).toBe(84_700 + 1_000);
    const sum = r.customers.reduce((s, c) => s + c.total, 0);
    expect(sum).toBe(r.total);
    expect(Object.values(r.buckets).reduce((s, n) => s + n, 0)).toBe(r.total);
  });

  it('refuses amounts that are not whole yen', () => expect(() => agingReport(DUE, [item({ paid: 0.5 })], customers)).toThrow(/whole yen/));
});
