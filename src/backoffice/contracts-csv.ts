/**
 * The contracts table as CSV (the console's download): UTF-8 with a BOM, CRLF, one row per contract in the
 * table's order, the overdue amount a number, every text cell guarded against formula injection as the
 * accounting CSV is.
 */
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../domain/spreadsheet';
import type { ContractRow } from './contract-list';

const HEADER = [
  '契約 contract',
  '状態 status',
  'プラン plan',
  '最低利用期間満了日 minimum term end',
  '次の期限 next deadline',
  '更新拒絶の通知期限 renewal-decline deadline',
  '解約の通知期限 cancellation deadline',
  '延滞額 overdue (yen)',
  '請求済みの月 billed through',
  '要対応 needs attention',
  'ワークフロー workflow',
];

export function contractsCsv(rows: readonly ContractRow[]): string {
  const body = rows.map((r) => [
    r.contractId,
    r.status ?? '',
    r.plan ?? '',
    r.minimumTermEnd ?? '',
    r.nextDeadline ?? '',
    r.renewalDeclineDeadline ?? '',
    r.cancellationDeadline ?? '',
    r.overdue ?? '',
    r.billedThrough ?? '',
    r.needsAttention ? 'yes' : '',
    r.workflow,
  ]);
  return `\uFEFF${stringify([HEADER, ...body], { record_delimiter: 'windows', cast: { string: spreadsheetSafe } })}`;
}
