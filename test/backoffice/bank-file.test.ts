/**
 * The one entry for a bank file: each format read by its reader into the same lines, and a file of another
 * form than the one asked refused, naming the field and saying what the file is.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { BANK_FILE_FORMATS, type BankFileFormat, readBankFile } from '../../src/backoffice/bank/bank-file';
import { BankFileRefused } from '../../src/backoffice/bank/zengin-transfer';
import { transferNotice } from '../fixtures/zengin';
import { statement } from '../fixtures/zengin-statement';

const zengin01 = transferNotice([{ lines: [{ bookedOn: '081207', amount: 84_700, payerName: 'ｶ)ｻﾝﾌﾟﾙ', payerCode: '1234567890' }] }]);
const zengin03 = statement([
  {
    entries: [
      { bookedOn: '081207', side: 'credit', amount: 84_700, payerName: 'ｶ)ｻﾝﾌﾟﾙ', payerCode: '1234567890' },
      { bookedOn: '081207', side: 'debit', kind: '14', amount: 30_000 },
    ],
  },
]);
const csv = iconv.encode(
  ['勘定日,照会番号,金額,振込依頼人名,振込依頼人コード,銀行コード,支店コード,口座番号', '2026-12-07,1,"84,700",ｶ)ｻﾝﾌﾟﾙ,1234567890,0009,100,1234567'].join(
    '\r\n',
  ),
  'Shift_JIS',
);
const files: Record<BankFileFormat, Buffer> = { zengin01, zengin03, csv };

const refusal = (bytes: Buffer, format: BankFileFormat) => {
  try {
    readBankFile(bytes, format);
  } catch (err) {
    expect(err).toBeInstanceOf(BankFileRefused);
    return (err as Error).message;
  }
  throw new Error('not refused');
};

describe('readBankFile', () => {
  it('reads each format into the same line for the same transfer', () => {
    expect(BANK_FILE_FORMATS).toEqual(['zengin01', 'zengin03', 'csv']);
    for (const format of BANK_FILE_FORMATS) {
      const { lines } = readBankFile(files[format], format);
      expect(lines.map((l) => [l.bookedOn, l.amount, l.payerName, l.payerCode, l.account.bankCode, l.account.accountNumber, l.cancels])).toEqual([
        ['2026-12-07', 84_700, 'ｶ)ｻﾝﾌﾟﾙ', '1234567890', '0009', '1234567', false],
      ]);
    }
  });

  // the CSV's header row is 81 bytes in Shift_JIS (before its CR LF)
  it('refuses a file of another form than the one asked, naming the field and saying what the file is', () => {
    expect(refusal(zengin01, 'zengin03')).toBe('record 1 (header): 種別コード: expected 03 (入出金取引明細) (got 01: a 振込入金通知 file, read as zengin01)');
    expect(refusal(zengin03, 'zengin01')).toBe('record 1 (header): 種別コード: expected 01 (振込入金通知) (got 03: an 入出金取引明細 file, read as zengin03)');
    expect(refusal(zengin01, 'csv')).toBe('record 1 (header): 種別コード: 01: a 全銀協 振込入金通知 file, not CSV: read as zengin01');
    expect(refusal(zengin03, 'csv')).toBe('record 1 (header): 種別コード: 03: a 全銀協 入出金取引明細 file, not CSV: read as zengin03');
    expect(refusal(csv, 'zengin03')).toBe('record 1: データ区分: a first line of 81 bytes with commas: a CSV file, not 全銀協 zengin03: read as csv');
    expect(refusal(zengin03, 'mt940' as BankFileFormat)).toBe('format: expected one of zengin01, zengin03, csv (got "mt940")');
  });
});
