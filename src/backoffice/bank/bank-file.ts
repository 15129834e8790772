/**
 * The one entry for a bank's file of incoming transfers: the operator says which form it is, and the file
 * is read by that form's reader into the same lines — or refused whole, naming the record or row and the
 * field, when it is not well-formed or is another form than the one asked (docs/back-office.md, "Bank
 * statements").
 */
import { parseStatementCsv } from './statement-csv';
import { parseStatement } from './zengin-statement';
import type { TransferNotice } from './zengin-transfer';
import { BankFileRefused, parseTransferNotice, RECORD_BYTES } from './zengin-transfer';

/** zengin01: 全銀協 振込入金通知; zengin03: 全銀協 入出金取引明細; csv: our CSV layout for web downloads. */
export const BANK_FILE_FORMATS = ['zengin01', 'zengin03', 'csv'] as const;
export type BankFileFormat = (typeof BANK_FILE_FORMATS)[number];

const READERS: Record<BankFileFormat, (bytes: Uint8Array) => TransferNotice> = {
  zengin01: parseTransferNotice,
  zengin03: parseStatement,
  csv: parseStatementCsv,
};

/** The 全銀協 files read here, by 種別コード. */
const ZENGIN: Record<string, { name: string; format: BankFileFormat }> = {
  '01': { name: '振込入金通知', format: 'zengin01' },
  '03': { name: '入出金取引明細', format: 'zengin03' },
};

/** The 種別コード when the file opens as a 全銀協 header record does (データ区分 1, two digits), else null. */
function zenginCode(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 3)).toString('latin1');
  return /^1\d\d$/.test(head) ? head.slice(1) : null;
}

/** The form a file is in, by its first bytes: a 全銀協 header names its 種別コード; anything else is read as our CSV. */
export function detectBankFileFormat(bytes: Uint8Array): BankFileFormat {
  const code = zenginCode(bytes);
  return (code ? ZENGIN[code]?.format : undefined) ?? 'csv';
}

export function readBankFile(bytes: Uint8Array, format: BankFileFormat): TransferNotice {
  const read = READERS[format];
  if (!read) throw new BankFileRefused('format', `expected one of ${BANK_FILE_FORMATS.join(', ')} (got "${format}")`);
  const code = zenginCode(bytes);
  const zengin = code ? ZENGIN[code] : undefined;
  if (format === 'csv' && zengin)
    throw new BankFileRefused('record 1 (header): 種別コード', `${code}: a 全銀協 ${zengin.name} file, not CSV: read as ${zengin.format}`);
  if (format !== 'csv' && code === null) {
    const lf = bytes.subarray(0, RECORD_BYTES).indexOf(0x0a);
    const firstLine = bytes.subarray(0, lf > 0 && bytes[lf - 1] === 0x0d ? lf - 1 : lf);
    if (lf >= 0 && firstLine.includes(0x2c))
      throw new BankFileRefused('record 1: データ区分', `a first line of ${firstLine.length} bytes with commas: a CSV file, not 全銀協 ${format}: read as csv`);
  }
  // A 全銀協 file of the other 種別コード is refused by the reader asked, naming the field and what it is.
  return read(bytes);
}
