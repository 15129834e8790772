/**
 * A bank's web download of incoming transfers as CSV, in the one layout we document (docs/back-office.md,
 * "Bank statements"): a header row naming the columns (any order; the optional ones may be left out),
 * UTF-8 (with or without its BOM) or Shift_JIS, decoded by iconv-lite, parsed by csv-parse. A file that is
 * not well-formed is refused whole, naming the row and the column: nothing of it is applied. It reads into
 * the same lines as the 全銀協 file, so matching does not care which a bank sends.
 */
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { isIsoDate } from '../../domain/calendar';
import type { TransferLine, TransferNotice } from './zengin-transfer';
import { BankFileRefused } from './zengin-transfer';

/** The columns: required ones first. */
export const CSV_COLUMNS = {
  required: ['勘定日', '照会番号', '金額', '振込依頼人名', '銀行コード', '支店コード', '口座番号'],
  optional: ['起算日', '振込依頼人コード', 'EDI情報', '取消', '預金種目'],
} as const;

function decode(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes);
  const utf8 = iconv.decode(buf, 'utf8'); // drops a BOM
  return utf8.includes('\uFFFD') ? iconv.decode(buf, 'Shift_JIS') : utf8;
}

export function parseStatementCsv(bytes: Uint8Array): TransferNotice {
  const text = decode(bytes);
  if (text.includes('\uFFFD')) throw new BankFileRefused('file', 'neither UTF-8 nor Shift_JIS text');
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: false, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    throw new BankFileRefused('file', `not CSV: ${(err as Error).message}`);
  }
  const [header, ...data] = rows;
  if (!header) throw new BankFileRefused('file', 'empty: no header row');
  const missing = CSV_COLUMNS.required.filter((c) => !header.includes(c));
  if (missing.length) throw new BankFileRefused('row 1 (header)', `missing column(s) ${missing.join(', ')}`);
  const known = new Set<string>([...CSV_COLUMNS.required, ...CSV_COLUMNS.optional]);
  const unknown = header.filter((c) => !known.has(c));
  if (unknown.length) throw new BankFileRefused('row 1 (header)', `unknown column(s) ${unknown.join(', ')}`);
  if (data.length === 0) throw new BankFileRefused('file', 'no transfer rows under the header');
  const lines = data.map((cells, i): TransferLine => {
    const row = i + 2;
    const cell = (name: string) => cells[header.indexOf(name)] ?? '';
    const refuse = (column: string, reason: string) => new BankFileRefused(`row ${row}: ${column}`, reason);
    const day = (column: string) => {
      const v = cell(column).replaceAll('/', '-');
      if (!isIsoDate(v)) throw refuse(column, `expected a date YYYY-MM-DD or YYYY/MM/DD (got "${cell(column)}")`);
      return v;
    };
    const digits = (column: string, min: number, max: number) => {
      const v = cell(column);
      if (!new RegExp(`^\\d{${min},${max}}$`).test(v)) throw refuse(column, `expected ${min === max ? min : `${min}–${max}`} digits (got "${v}")`);
      return v;
    };
    const amount = cell('金額').replaceAll(',', '');
    if (!/^[1-9]\d{0,9}$/.test(amount)) throw refuse('金額', `expected whole yen, 1 or more (got "${cell('金額')}")`);
    const payerName = cell('振込依頼人名');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    if (!payerName || payerName.length > 48 || /[\u0000-\u001f\u007f]/.test(payerName)) throw refuse('振込依頼人名', 'expected 1–48 characters on one line');
    const cancel = cell('取消');
    if (cancel !== '' && cancel !== '1') throw refuse('取消', `expected blank or 1 (got "${cancel}")`);
    const payerCode = header.includes('振込依頼人コード') && cell('振込依頼人コード') !== '' ? digits('振込依頼人コード', 10, 10) : null;
    const edi = cell('EDI情報');
    if (edi.length > 20) throw refuse('EDI情報', 'at most 20 characters');
    const bookedOn = day('勘定日');
    return {
      record: row,
      account: {
        bankCode: digits('銀行コード', 4, 4),
        bankName: '',
        branchCode: digits('支店コード', 3, 3),
        branchName: '',
        accountType: header.includes('預金種目') && cell('預金種目') !== '' ? digits('預金種目', 1, 1) : '1',
        accountNumber: digits('口座番号', 7, 7),
        accountName: '',
      },
      inquiryNumber: digits('照会番号', 1, 20),
      bookedOn,
      valueOn: header.includes('起算日') && cell('起算日') !== '' ? day('起算日') : bookedOn,
      amount: Number(amount),
      byOtherBankCheque: 0,
      payerCode: payerCode && /^0+$/.test(payerCode) ? null : payerCode,
      payerName,
      remitterBank: '',
      remitterBranch: '',
      cancels: cancel === '1',
      edi,
    };
  });
  // A CSV carries no creation day of its own: its latest booking day stands for it.
  return {
    createdOn: lines
      .map((l) => l.bookedOn)
      .sort()
      .at(-1)!,
    lines,
  };
}
