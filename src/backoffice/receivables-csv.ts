/**
 * The receivables reports as CSV for a spreadsheet (the console's download, the API's, the CLI's): UTF-8
 * with a BOM, CRLF, one row per invoice or payment, the amounts whole yen that sum to the report's totals,
 * and every text cell guarded against formula injection as the accounting CSV is.
 */
import { stringify } from 'csv-stringify/sync';
import type { AgingReport } from '../domain/receivables';
import { spreadsheetSafe } from '../domain/spreadsheet';
import type { PaymentsReport } from './receivables';

const csv = (rows: unknown[][]) => `\uFEFF${stringify(rows, { record_delimiter: 'windows', cast: { string: spreadsheetSafe } })}`;

const AGING_HEADER = [
  '顧客ID customer',
  '請求先 billing name',
  '契約 contract',
  '請求書番号 invoice',
  '請求月 period',
  '発行日 issued',
  '支払期日 due',
  '期日経過日数 days past due',
  '請求額 total',
  '入金等 paid',
  '未収 owed',
  '期日前 not yet due',
  '1–30日 1-30 days',
  '31–60日 31-60 days',
  '61–90日 61-90 days',
  '90日超 over 90 days',
];

/** One row per invoice still owing; its owed amount also in its bucket's column. */
export function agingCsv(r: AgingReport): string {
  const rows = r.customers.flatMap((c) =>
    c.invoices.map((i) => [
      c.customerId ?? '',
      c.billingName ?? '',
      i.contractId,
      i.invoiceNumber,
      i.period,
      i.issuedOn,
      i.dueOn,
      i.daysPastDue,
      i.total,
      i.paid,
      i.owed,
      i.bucket === 'current' ? i.owed : 0,
      i.bucket === 'days1to30' ? i.owed : 0,
      i.bucket === 'days31to60' ? i.owed : 0,
      i.bucket === 'days61to90' ? i.owed : 0,
      i.bucket === 'over90' ? i.owed : 0,
    ]),
  );
  return csv([AGING_HEADER, ...rows]);
}

const PAYMENTS_HEADER = [
  '入金日 received',
  '契約 contract',
  '顧客ID customer',
  '請求先 billing name',
  '金額 amount',
  '取消日 reversed on',
  '取消理由 reversal reason',
  '経路 source',
  '銀行ファイル bank file',
  'レコード record',
  '入力者 keyed by',
  '依頼ID request id',
];

export function paymentsCsv(r: PaymentsReport): string {
  const rows = r.payments.map((p) => [
    p.paidOn,
    p.contractId,
    p.customerId ?? '',
    p.billingName ?? '',
    p.amount,
    p.reversal?.on ?? '',
    p.reversal?.reason ?? '',
    p.source.kind,
    p.source.kind === 'bank' ? (p.source.fileId ?? '') : '',
    p.source.kind === 'bank' ? (p.source.record ?? '') : '',
    p.source.kind === 'person' ? (p.source.login ?? p.source.personId) : '',
    p.requestId,
  ]);
  return csv([PAYMENTS_HEADER, ...rows]);
}
