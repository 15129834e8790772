/**
 * The month's invoices for accounting: the CSV export over several contracts, read back as
 * Excel would (UTF-8 with BOM), sums to the ledger's totals to the yen; names and commas survive quoting.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthInvoicesCsv, openInMemoryLedger, type Ledger } from '../../src/activities';
import { ISSUER, firstInvoice, monthlyInvoice, registerCustomer } from './support';

let ledger: Ledger;
beforeAll(async () => {
  ledger = await openInMemoryLedger();
  // Three contracts billed for 2026-02: a first month (139,700), a month with late damages (84,700 +
  // 1,234 non-taxable), a month with a credit line; and one for another month, which stays out.
  const a = await registerCustomer(ledger, 'C-ACC-A', { name: '株式会社エー, 大阪支店', email: 'a@example.jp' });
  const b = await registerCustomer(ledger, 'C-ACC-B', { name: '"ビー"商事', email: 'b@example.jp' });
  const c = await registerCustomer(ledger, 'C-ACC-C', { name: 'シー工業', email: 'c@example.jp' });
  await ledger.issueInvoice({ contractId: 'C-ACC-A', customerId: a, invoice: firstInvoice('2026-02'), issuer: ISSUER });
  await ledger.issueInvoice({ contractId: 'C-ACC-B', customerId: b, invoice: monthlyInvoice('2026-02', 1234), issuer: ISSUER });
  const credit = monthlyInvoice('2026-02');
  credit.lines.push({ kind: 'outageCredit', amount: -7000, taxable: true, rule: '第24条 D-12', description: 'サービス停止の減額, 2日 (outage credit)' });
  Object.assign(credit, { taxableSubtotal: 70000, tax: 7000, total: 77000 });
  await ledger.issueInvoice({ contractId: 'C-ACC-C', customerId: c, invoice: credit, issuer: ISSUER });
  await ledger.issueInvoice({ contractId: 'C-ACC-C', customerId: c, invoice: monthlyInvoice('2026-03'), issuer: ISSUER });
});
afterAll(() => ledger?.close());

describe('the month’s invoices', () => {
  it('lists every invoice of the month with its lines and tax, summing to the invoices’ totals', async () => {
    const m = await ledger.monthInvoices('2026-02');
    expect(m.invoices.map((i) => [i.contractId, i.total, i.tax])).toEqual([
      ['C-ACC-A', 139_700, 12_700],
      ['C-ACC-B', 85_934, 7_700],
      ['C-ACC-C', 77_000, 7_000],
    ]);
    expect(m.total).toBe(139_700 + 85_934 + 77_000); // 302,634
    expect(m.lines.reduce((s, l) => s + l.amount, 0)).toBe(302_634);
    expect(m.lines.filter((l) => l.kind === 'tax').map((l) => l.amount)).toEqual([12_700, 7_700, 7_000]);
  });

  it('the CSV: BOM, CRLF, one row per line and per tax, quoted where needed; the amounts tie out to the ledger', async () => {
    const m = await ledger.monthInvoices('2026-02');
    const csv = monthInvoicesCsv(m);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\n');
    const rows = parse(csv.slice(1), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(3 + 1 + 3 + 1 + 3 + 1); // A: 3 lines + tax; B: 3 + tax; C: 3 + tax
    const amount = (r: Record<string, string>) => Number(r['金額 amount (円)']);
    expect(rows.reduce((s, r) => s + amount(r), 0)).toBe(302_634);
    const perInvoice = new Map<string, number>();
    for (const r of rows) perInvoice.set(r['請求書番号 invoice']!, (perInvoice.get(r['請求書番号 invoice']!) ?? 0) + amount(r));
    expect([...perInvoice.values()]).toEqual(m.invoices.map((i) => i.total));
    expect(rows[0]).toMatchObject({ '契約 contract': 'C-ACC-A', '宛先 customer': '株式会社エー, 大阪支店', '税区分 tax': '課税 10%' });
    expect(rows.find((r) => r['種別 kind'] === 'lateDamages')).toMatchObject({
      '宛先 customer': '"ビー"商事',
      '税区分 tax': '不課税',
      '根拠 rule': '第27条 D-13',
      '金額 amount (円)': '1234',
    });
    expect(rows.find((r) => r['種別 kind'] === 'outageCredit')?.['内容 description']).toBe('サービス停止の減額, 2日 (outage credit)');
  });

  it('a month without invoices is an empty export with its header', async () => {
    const m = await ledger.monthInvoices('2025-01');
    expect(m).toMatchObject({ invoices: [], lines: [], total: 0 });
    expect(parse(monthInvoicesCsv(m).slice(1), { columns: true })).toEqual([]);
  });
});
