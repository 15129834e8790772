/**
 * The bank statement CSV (our documented layout for banks' web downloads): UTF-8 with or without its BOM
 * or Shift_JIS, columns in any order, read into the same lines as the 全銀協 file; refused whole, naming
 * the row and the column.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseStatementCsv } from '../../src/backoffice/bank/statement-csv';
import { BankFileRefused, parseTransferNotice } from '../../src/backoffice/bank/zengin-transfer';
import { transferNotice } from '../fixtures/zengin';

const csv = [
  '勘定日,照会番号,金額,振込依頼人名,振込依頼人コード,EDI情報,取消,銀行コード,支店コード,口座番号',
  '2026-12-07,1,"84,700",ｶ)ｻﾝﾌﾟﾙ,1234567890,,,0009,100,1234567',
  '2026/12/07,2,129800,ｶﾌﾞｼｷｶﾞｲｼﾔ ﾃｽﾄ,,INV-000123,,0009,100,1234567',
  '2026-12-07,3,5000,ｶ)ｻﾝﾌﾟﾙ,,,1,0009,100,1234567',
].join('\r\n');

const comparable = (lines: ReturnType<typeof parseStatementCsv>['lines']) =>
  lines.map((l) => [l.bookedOn, l.amount, l.payerName, l.payerCode, l.edi, l.cancels, l.account.bankCode, l.account.branchCode, l.account.accountNumber]);

describe('bank statement CSV', () => {
  it('reads the same lines as the 全銀協 file of the same transfers, in UTF-8 with its BOM or in Shift_JIS', () => {
    const zengin = parseTransferNotice(
      transferNotice([
        {
          lines: [
            { bookedOn: '081207', amount: 84_700, payerName: 'ｶ)ｻﾝﾌﾟﾙ', payerCode: '1234567890' },
            { bookedOn: '081207', amount: 129_800, payerName: 'ｶﾌﾞｼｷｶﾞｲｼﾔ ﾃｽﾄ', edi: 'INV-000123' },
            { bookedOn: '081207', amount: 5_000, payerName: 'ｶ)ｻﾝﾌﾟﾙ', cancels: true },
          ],
        },
      ]),
    );
    const utf8 = parseStatementCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]));
    const sjis = parseStatementCsv(iconv.encode(csv, 'Shift_JIS'));
    expect(comparable(utf8.lines)).toEqual(comparable(zengin.lines));
    expect(comparable(sjis.lines)).toEqual(comparable(zengin.lines));
    expect(utf8.lines.map((l) => l.record)).toEqual([2, 3, 4]);
    expect(utf8.createdOn).toBe('2026-12-07');
  });

  it('takes the columns in any order and the optional ones left out', () => {
    const r = parseStatementCsv(
      Buffer.from('口座番号,支店コード,銀行コード,振込依頼人名,金額,照会番号,勘定日\n7654321,200,0005,ﾔﾏﾀﾞ ﾀﾛｳ,1000,77,2026-12-01\n'),
    );
    expect(r.lines).toMatchObject([
      {
        amount: 1000,
        payerName: 'ﾔﾏﾀﾞ ﾀﾛｳ',
        payerCode: null,
        edi: '',
        cancels: false,
        valueOn: '2026-12-01',
        account: { accountNumber: '7654321', accountType: '1' },
      },
    ]);
  });

  const refusal = (text: string) => {
    try {
      parseStatementCsv(Buffer.from(text));
    } catch (err) {
      expect(err).toBeInstanceOf(BankFileRefused);
      return (err as Error).message;
    }
    throw new Error('not refused');
  };

  it('refuses a file that is not well-formed, naming the row and the column', () => {
    const head = '勘定日,照会番号,金額,振込依頼人名,銀行コード,支店コード,口座番号';
    expect(refusal('')).toBe('file: empty: no header row');
    expect(refusal(head)).toBe('file: no transfer rows under the header');
    expect(refusal('勘定日,金額\n2026-12-01,1')).toBe('row 1 (header): missing column(s) 照会番号, 振込依頼人名, 銀行コード, 支店コード, 口座番号');
    expect(refusal(`${head},備考\n2026-12-01,1,1,ｱ,0009,100,1234567,x`)).toBe('row 1 (header): unknown column(s) 備考');
    expect(refusal(`${head}\n2026-02-30,1,1,ｱ,0009,100,1234567`)).toBe('row 2: 勘定日: expected a date YYYY-MM-DD or YYYY/MM/DD (got "2026-02-30")');
    expect(refusal(`${head}\n2026-12-01,1,１０００,ｱ,0009,100,1234567`)).toBe('row 2: 金額: expected whole yen, 1 or more (got "１０００")');
    expect(refusal(`${head}\n2026-12-01,1,1000,ｱ,9,100,1234567`)).toBe('row 2: 銀行コード: expected 4 digits (got "9")');
    expect(refusal(`${head}\n2026-12-01,1,1000,,0009,100,1234567`)).toBe('row 2: 振込依頼人名: expected 1–48 characters on one line');
    expect(refusal(`${head}\n2026-12-01,1,1000,ｱ,0009,100`)).toMatch(/^file: not CSV: /);
  });
});
