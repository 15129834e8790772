/**
 * The 振込入金通知 reader on files written byte by byte from the 全銀協 layout (test/fixtures/zengin.ts):
 * every field read back as written, with or without CR LF; a file that is not well-formed refused whole,
 * naming the record and the field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BankFileRefused, parseTransferNotice, warekiDate } from '../../src/backoffice/bank/zengin-transfer';
import { transferNotice, type FixtureLine } from '../fixtures/zengin';

const lines: FixtureLine[] = [
  { bookedOn: '081207', amount: 84_700, payerName: 'ｶ)ｻﾝﾌﾟﾙ', payerCode: '1234567890' },
  { bookedOn: '081207', amount: 129_800, payerName: 'ｶﾌﾞｼｷｶﾞｲｼﾔ ﾃｽﾄ', edi: 'INV-000123' },
  { bookedOn: '081207', amount: 5_000, payerName: 'ｶ)ｻﾝﾌﾟﾙ', cancels: true },
];

describe('振込入金通知 (全銀協, 種別コード 01)', () => {
  it('reads every field as written: 和暦 dates, half-width kana, the payer code, EDI and a cancellation', () => {
    const notice = parseTransferNotice(transferNotice([{ lines }]));
    expect(notice.createdOn).toBe('2026-12-07');
    expect(notice.lines.map((l) => [l.record, l.bookedOn, l.amount, l.payerName, l.payerCode, l.edi, l.cancels])).toEqual([
      [2, '2026-12-07', 84_700, 'ｶ)ｻﾝﾌﾟﾙ', '1234567890', '', false],
      [3, '2026-12-07', 129_800, 'ｶﾌﾞｼｷｶﾞｲｼﾔ ﾃｽﾄ', null, 'INV-000123', false],
      [4, '2026-12-07', 5_000, 'ｶ)ｻﾝﾌﾟﾙ', null, '', true],
    ]);
    expect(notice.lines[0]!.account).toEqual({
      bankCode: '0009',
      bankName: 'ﾐﾂｲｽﾐﾄﾓ',
      branchCode: '100',
      branchName: 'ﾎﾝﾃﾝ',
      accountType: '1',
      accountNumber: '1234567',
      accountName: 'ｶ)ｵﾌﾟﾃｰｼﾞ',
    });
  });

  it('reads the same with CR LF between records, and several accounts (groups) in one file', () => {
    const groups = [{ lines }, { accountNumber: '7654321', lines: [{ bookedOn: '081208', amount: 1, payerName: 'ﾔﾏﾀﾞ ﾀﾛｳ' }] }];
    const plain = parseTransferNotice(transferNotice(groups));
    const crlf = parseTransferNotice(transferNotice(groups, { crlf: true }));
    expect(crlf).toEqual(plain);
    expect(plain.lines.map((l) => [l.record, l.account.accountNumber])).toEqual([
      [2, '1234567'],
      [3, '1234567'],
      [4, '1234567'],
      [7, '7654321'],
    ]);
  });

  it('a trailer that counts every data record (cancellations included) is read too', () => {
    expect(parseTransferNotice(transferNotice([{ lines, trailer: { count: 3, total: 219_500 } }])).lines).toHaveLength(3);
  });

  const refusal = (bytes: Buffer) => {
    try {
      parseTransferNotice(bytes);
    } catch (err) {
      expect(err).toBeInstanceOf(BankFileRefused);
      return (err as Error).message;
    }
    throw new Error('not refused');
  };

  it('refuses a file that is not well-formed, naming the record and the field', () => {
    expect(refusal(transferNotice([{ lines, trailer: { count: 5 } }]))).toBe(
      'record 5 (trailer): 入金件数: 5, but the group has 3 data record(s) (2 not cancellations)',
    );
    expect(refusal(transferNotice([{ lines, trailer: { total: 1 } }]))).toBe('record 5 (trailer): 入金額合計: 1, but its data records sum to 214500');
    expect(refusal(transferNotice([{ lines, trailer: { cancelTotal: 0 } }]))).toBe('record 5 (trailer): 取消金額合計: 0, but the cancellations sum to 5000');
    expect(refusal(transferNotice([{ lines: [{ bookedOn: '080230', amount: 1, payerName: 'ｱ' }] }]))).toBe(
      'record 2 (data): 勘定日: 080230 is not a day (和暦 YYMMDD, 令和)',
    );
    const good = transferNotice([{ lines }]);
    const badDigit = Buffer.from(good);
    badDigit[200 + 19 + 3] = 0x41; // 'A' inside record 2's 金額
    expect(refusal(badDigit)).toBe('record 2 (data): 金額: expected 10 digits (got "000A084700")');
    const badKana = Buffer.from(good);
    badKana[200 + 49] = 0x81; // a lead byte of a two-byte character with no second byte that makes one
    badKana[200 + 50] = 0x20;
    expect(refusal(badKana)).toBe('record 2 (data): 振込依頼人名: not half-width text (JIS X 0201 in Shift_JIS)');
    expect(refusal(good.subarray(0, good.length - 10))).toBe('record 6: 190 bytes where a record has 200');
    expect(refusal(good.subarray(0, good.length - 200))).toBe('file: no end record (9)');
    expect(refusal(Buffer.concat([good, good.subarray(0, 200)]))).toBe('record 7 (header): after the end record (9)');
    const kind03 = Buffer.from(good);
    kind03.write('03', 1, 'latin1');
    expect(refusal(kind03)).toBe('record 1 (header): 種別コード: expected 01 (振込入金通知) (got 03: an 入出金取引明細 file, read as zengin03)');
    expect(refusal(Buffer.alloc(0))).toBe('file: empty: no header record');
  });

  it('和暦 YYMMDD is read as 令和', () => {
    expect(warekiDate('010501', 'x')).toBe('2019-05-01');
    expect(warekiDate('080228', 'x')).toBe('2026-02-28');
    expect(() => warekiDate('080229', '勘定日')).toThrow('勘定日: 080229 is not a day (和暦 YYMMDD, 令和)'); // 2026 is no leap year
  });

  it('any file written from the layout reads back as written (property)', () => {
    // A name ends in a character: the layout pads with spaces, so a trailing space cannot be told from padding.
    const kana = fc.stringMatching(/^[ｱ-ﾝ]([ｱ-ﾝﾞﾟ) ]{0,29}[ｱ-ﾝﾞﾟ)])?$/);
    const line = fc.record({
      bookedOn: fc.constantFrom('070101', '080228', '081207', '091231'),
      amount: fc.integer({ min: 1, max: 9_999_999_999 }),
      payerName: kana,
      payerCode: fc.option(fc.stringMatching(/^[1-9]\d{9}$/), { nil: undefined }),
      edi: fc.option(fc.stringMatching(/^[A-Z0-9-]{1,20}$/), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.boolean(), (ls, crlf) => {
        const read = parseTransferNotice(transferNotice([{ lines: ls }], { crlf })).lines;
        expect(read.map((l) => [l.amount, l.payerName, l.payerCode, l.edi])).toEqual(ls.map((l) => [l.amount, l.payerName, l.payerCode ?? null, l.edi ?? '']));
      }),
      { numRuns: 200 },
    );
  });
});
