/**
 * The month's invoices for accounting: every invoice of a billing month with its lines, from
 * the ledger's issued copies (適格請求書), and the CSV export — UTF-8 with a BOM so Excel reads the
 * Japanese, one row per line plus one for each invoice's consumption tax, so the amount column sums to
 * the invoices' totals, to the yen (D-10: the tax is per invoice, not per line).
 */
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../../domain/spreadsheet';
import type { YearMonth } from '../../domain/types';
import type { Sql } from './db';
import { num } from './db';

export interface MonthLine {
  invoiceNumber: string;
  contractId: string;
  customerName: string | null;
  issuedOn: string;
  dueOn: string;
  lineNo: number | null;
  kind: string;
  description: string;
  rule: string;
  taxable: boolean | null;
  taxRatePercent: number | null;
  amount: number;
}

export interface MonthInvoices {
  period: YearMonth;
  invoices: Array<{ number: string; contractId: string; customerName: string | null; total: number; tax: number }>;
  lines: MonthLine[];
  total: number;
}

type Row = Record<string, unknown>;

export async function monthInvoices(db: Sql, period: YearMonth): Promise<MonthInvoices> {
  const inv = await db.query<Row>(
    `SELECT number, contract_id, customer_name, issued_on::text AS issued_on, due_on::text AS due_on, tax, tax_rate_percent, total
     FROM invoices WHERE period = $1 ORDER BY seq`,
    [period],
  );
  const lines = await db.query<Row>(
    `SELECT l.invoice_number, l.line_no, l.kind, l.description, l.rule, l.taxable, l.tax_rate_percent, l.amount
     FROM invoice_lines l JOIN invoices i ON i.number = l.invoice_number WHERE i.period = $1 ORDER BY i.seq, l.line_no`,
    [period],
  );
  const byInvoice = new Map<string, Row[]>();
  for (const l of lines.rows) byInvoice.set(String(l.invoice_number), [...(byInvoice.get(String(l.invoice_number)) ?? []), l]);
  const out: MonthLine[] = [];
  for (const i of inv.rows) {
    const head = {
      invoiceNumber: String(i.number),
      contractId: String(i.contract_id),
      customerName: i.customer_name === null || i.customer_name === undefined ? null : String(i.customer_name),
      issuedOn: String(i.issued_on),
      dueOn: String(i.due_on),
    };
    for (const l of byInvoice.get(head.invoiceNumber) ?? [])
      out.push({
        ...head,
        lineNo: num(l.line_no),
        kind: String(l.kind),
        description: String(l.description),
        rule: String(l.rule),
        taxable: Boolean(l.taxable),
        taxRatePercent: l.tax_rate_percent === null || l.tax_rate_percent === undefined ? null : num(l.tax_rate_percent),
        amount: num(l.amount),
      });
    out.push({
      ...head,
      lineNo: null,
      kind: 'tax',
      description: `消費税 ${num(i.tax_rate_percent)}% (consumption tax)`,
      rule: '別表3 D-10',
      taxable: null,
      taxRatePercent: num(i.tax_rate_percent),
      amount: num(i.tax),
    });
  }
  const invoices = inv.rows.map((i) => ({
    number: String(i.number),
    contractId: String(i.contract_id),
    customerName: i.customer_name === null ? null : String(i.customer_name),
    total: num(i.total),
    tax: num(i.tax),
  }));
  return { period, invoices, lines: out, total: invoices.reduce((s, i) => s + i.total, 0) };
}

const HEADER = [
  '請求書番号 invoice',
  '契約 contract',
  '宛先 customer',
  '発行日 issued',
  '支払期日 due',
  '行 line',
  '種別 kind',
  '内容 description',
  '根拠 rule',
  '税区分 tax',
  '金額 amount (円)',
];

/** The CSV text (UTF-8 with BOM, CRLF): one row per line and per invoice's tax; amounts sum to the totals. */
export function monthInvoicesCsv(m: MonthInvoices): string {
  const rows = m.lines.map((l) => [
    l.invoiceNumber,
    l.contractId,
    l.customerName ?? '',
    l.issuedOn,
    l.dueOn,
    l.lineNo ?? '',
    l.kind,
    l.description,
    l.rule,
    l.taxable === null ? '' : l.taxable ? `課税 ${l.taxRatePercent}%` : '不課税',
    l.amount,
  ]);
  return `\uFEFF${stringify([HEADER, ...rows], { record_delimiter: 'windows', cast: { string: spreadsheetSafe } })}`;
}
