/**
 * The 入出金取引明細 reader on files written byte by byte from the 全銀協 layout
 * (test/fixtures/zengin-statement.ts): the transfers received read back as written, with or without CR LF;
 * debits and other credits checked and left out; a file that is not well-formed refused whole, naming the
 * record and the field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStatement } from '../../src/backoffice/bank/zengin-statement';
import { BankFileRefused } from '../../src/backoffice/bank/zengin-transfer';
import { type StatementEntry, statement } from '../fixtures/zengin-statement';
import { transferNotice } from '../fixtures/zengin';

const entries: StatementEntry[] = [
  { bookedOn: '081207', valueOn: '081206', side: 'credit', amount: 84_700, payerName: 'ｶ)ｻﾝﾌﾟﾙ', payerCode: '1234567890' },
  { bookedOn: '081207', side: 'debit', kind: '14', amount: 30_000, payerName: '00001234', summary: 'ﾔﾁﾝ' },
  { bookedOn: '081207', side: 'credit', amount: 129_800, payerName: 'ｶﾌﾞｼｷｶﾞｲｼﾔ ﾃｽﾄ', edi: 'INV-000123', byOtherBankCheque: 0 },
  { bookedOn: '081208', side: 'credit', kind: '10', amount: 50_000, summary: 'ｹﾞﾝｷﾝ' },
  { bookedOn: '081208', side: 'credit', kind: '18', amount: 12, summary: 'ﾘｿｸ' },
  { bookedOn: '081208', side: 'debit', kind: '19', amount: 5_000, payerName: 'ｶ)ｻﾝﾌﾟﾙ', summary: 'ﾃｲｾｲ' },
];

const refusal = (bytes: Buffer) => {
  try {
    parseStatement(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(BankFileRefused);
    return (err as Error).message;
  }
  throw new Error('not refused');
};

describe('入出金取引明細 (全銀協, 種別コード 03)', () => {
  it('reads the transfers received (振込 credits) and the reversals (訂正 debits); other lines are left out', () => {
    const read = parseStatement(statement([{ entries }]));
    expect(read.createdOn).toBe('2026-12-07');
    expect(read.lines.map((l) => [l.record, l.inquiryNumber, l.bookedOn, l.valueOn, l.amount, l.payerName, l.payerCode, l.edi, l.cancels])).toEqual([
      [2, '00000001', '2026-12-07', '2026-12-06', 84_700, 'ｶ)ｻﾝﾌﾟﾙ', '1234567890', '', false],
      [4, '00000003', '2026-12-07', '2026-12-07', 129_800, 'ｶﾌﾞｼｷｶﾞｲｼﾔ ﾃｽﾄ', null, 'INV-000123', false],
      [7, '00000006', '2026-12-08', '2026-12-08', 5_000, 'ｶ)ｻﾝﾌﾟﾙ', null, '', true],
    ]);
    expect([read.lines[0]!.remitterBank, read.lines[0]!.remitterBranch, read.lines[0]!.byOtherBankCheque]).toEqual(['ﾐｽﾞﾎ', 'ﾎﾝﾃﾝ', 0]);
    expect(read.lines[0]!.account).toEqual({
      bankCode: '0009',
      bankName: 'ﾐﾂｲｽﾐﾄﾓ',
      branchCode: '100',
      branchName: 'ﾎﾝﾃﾝ',
      accountType: '1',
      accountNumber: '1234567', // N(10) 0001234567: the 7 digits the 01 file and the CSV give
      accountName: 'ｶ)ｵﾌﾟﾃｰｼﾞ',
    });
  });

  it('reads the same with CR LF between records, and several accounts (groups) in one file', () => {
    const groups = [
      { entries },
      { accountNumber: '9876543210', accountType: '2', entries: [{ bookedOn: '081209', side: 'credit', amount: 1, payerName: 'ﾔﾏﾀﾞ ﾀﾛｳ' } as const] },
    ];
    const plain = parseStatement(statement(groups));
    expect(parseStatement(statement(groups, { crlf: true }))).toEqual(plain);
    expect(plain.lines.map((l) => [l.record, l.account.accountType, l.account.accountNumber, l.amount])).toEqual([
      [2, '1', '1234567', 84_700],
      [4, '1', '1234567', 129_800],
      [7, '1', '1234567', 5_000],
      [10, '2', '9876543210', 1],
    ]);
  });

  it('reads an overdraft (貸越区分 2) and a group whose bank gives no balances (貸越区分 0)', () => {
    const overdraft = parseStatement(statement([{ openingBalance: -50_000, entries }]));
    expect(overdraft.lines.map((l) => l.amount)).toEqual([84_700, 129_800, 5_000]);
    expect(parseStatement(statement([{ openingBalance: null, entries }])).lines).toHaveLength(3);
    // the end's レコード総件数 counted without the end record itself
    expect(parseStatement(statement([{ entries }], { end: { records: 8 } })).lines).toHaveLength(3);
  });

  it('refuses records out of order or of the wrong length, naming the record', () => {
    const good = statement([{ entries }]);
    expect(refusal(good.subarray(200))).toBe('record 1 (data): a data record outside a header (1) … trailer (8) group');
    expect(refusal(Buffer.concat([good.subarray(0, 200), good]))).toBe('record 2 (header): a header before the trailer (8) of the one before');
    expect(refusal(Buffer.concat([good.subarray(0, 1400), good.subarray(1600)]))).toBe('record 8 (end): the end before the trailer (8) of its group');
    expect(refusal(Buffer.concat([good, good.subarray(0, 200)]))).toBe('record 10 (header): after the end record (9)');
    expect(refusal(good.subarray(0, good.length - 200))).toBe('file: no end record (9)');
    const kind7 = Buffer.from(good);
    kind7[400] = 0x37;
    expect(refusal(kind7)).toBe('record 3: データ区分: expected 1, 2, 8 or 9 (got "7")');
    expect(refusal(good.subarray(0, good.length - 10))).toBe('record 9: 190 bytes where a record has 200');
    const crlf = statement([{ entries }], { crlf: true });
    const short = Buffer.concat([crlf.subarray(0, 210), crlf.subarray(211)]); // one byte gone from record 2
    expect(refusal(short)).toBe('record 2: a line break at byte 200: a record has 200 bytes before its CR LF');
    expect(refusal(Buffer.alloc(0))).toBe('file: empty: no header record');
  });

  it('refuses a trailer or an end record whose counts, sums or balance are not the group’s', () => {
    // credits 84,700 + 129,800 + 50,000 + 12 = 264,512; debits 30,000 + 5,000 = 35,000
    expect(refusal(statement([{ entries, trailer: { creditCount: 3 } }]))).toBe('record 8 (trailer): 入金件数: 3, but the group has 4 入金 record(s)');
    expect(refusal(statement([{ entries, trailer: { creditTotal: 264_500 } }]))).toBe(
      'record 8 (trailer): 入金額合計: 264500, but its 入金 records sum to 264512',
    );
    expect(refusal(statement([{ entries, trailer: { debitCount: 1 } }]))).toBe('record 8 (trailer): 出金件数: 1, but the group has 2 出金 record(s)');
    expect(refusal(statement([{ entries, trailer: { debitTotal: 30_000 } }]))).toBe('record 8 (trailer): 出金額合計: 30000, but its 出金 records sum to 35000');
    expect(refusal(statement([{ entries, trailer: { records: 5 } }]))).toBe('record 8 (trailer): データ・レコード件数: 5, but the group has 6 data record(s)');
    expect(refusal(statement([{ entries, trailer: { closingBalance: 1_229_000 } }]))).toBe(
      'record 8 (trailer): 取引後残高: 1229000, but 取引前残高 1000000 + 入金 − 出金 is 1229512',
    );
    expect(refusal(statement([{ entries }], { end: { records: 3 } }))).toBe('record 9 (end): レコード総件数: 3, but the file has 9 record(s) with the end');
    expect(refusal(statement([{ entries }], { end: { accounts: 2 } }))).toBe('record 9 (end): 口座数: 2, but the file has 1 account group(s)');
  });

  it('refuses a bad date, bad digits, a code the layout does not have or text that is not half-width, naming the field', () => {
    const one = (e: Partial<StatementEntry>) => statement([{ entries: [{ bookedOn: '081207', side: 'credit', amount: 1, payerName: 'ｱ', ...e }] }]);
    expect(refusal(one({ bookedOn: '080230' }))).toBe('record 2 (data): 勘定日: 080230 is not a day (和暦 YYMMDD, 令和)');
    expect(refusal(one({ valueOn: '081301' }))).toBe('record 2 (data): 預入・払出日: 081301 is not a day (和暦 YYMMDD, 令和)');
    expect(refusal(one({ kind: '16' }))).toBe('record 2 (data): 取引区分: expected one of 10, 11, 12, 13, 14, 15, 18, 19 (got 16)');
    expect(refusal(statement([{ entries: [] }], { createdOn: '081232' }))).toBe('record 1 (header): 作成日: 081232 is not a day (和暦 YYMMDD, 令和)');
    const good = statement([{ entries }]);
    const badDigit = Buffer.from(good);
    badDigit[200 + 24 + 3] = 0x41; // 'A' inside record 2's 取引金額 (bytes 25–36)
    expect(refusal(badDigit)).toBe('record 2 (data): 取引金額: expected 12 digits (got "000A00084700")');
    const side3 = Buffer.from(good);
    side3[200 + 21] = 0x33; // 入払区分 (byte 22)
    expect(refusal(side3)).toBe('record 2 (data): 入払区分: expected 1 (入金) or 2 (出金) (got 3)');
    const badKana = Buffer.from(good);
    badKana[200 + 81] = 0x81; // a lead byte with no second byte that makes a character, in 振込依頼人名 (byte 82)
    badKana[200 + 82] = 0x20;
    expect(refusal(badKana)).toBe('record 2 (data): 振込依頼人名: not half-width text (JIS X 0201 in Shift_JIS)');
    const badBalance = Buffer.from(good);
    badBalance[113] = 0x35; // the header's 貸越区分 (byte 114)
    expect(refusal(badBalance)).toBe('record 1 (header): 貸越区分: expected 1 (plus), 2 (minus) or 0 (not given) (got 5)');
    expect(refusal(statement([{ accountType: '6', entries }]))).toBe(
      'record 1 (header): 預金種目: expected 1 (普通), 2 (当座) or 4 (貯蓄) (got 6; 定期性預金 records are not read)',
    );
  });

  it('refuses a 振込入金通知 (種別コード 01) file, saying what it is', () => {
    expect(refusal(transferNotice([{ lines: [{ bookedOn: '081207', amount: 1, payerName: 'ｱ' }] }]))).toBe(
      'record 1 (header): 種別コード: expected 03 (入出金取引明細) (got 01: a 振込入金通知 file, read as zengin01)',
    );
  });

  it('any file written from the layout reads back its transfers and reversals as written (property)', () => {
    // A name ends in a character: the layout pads with spaces, so a trailing space cannot be told from padding.
    const kana = fc.stringMatching(/^[ｱ-ﾝ]([ｱ-ﾝﾞﾟ) ]{0,29}[ｱ-ﾝﾞﾟ)])?$/);
    const entry = fc.record({
      bookedOn: fc.constantFrom('070101', '080228', '081207', '091231'),
      side: fc.constantFrom('credit' as const, 'debit' as const),
      kind: fc.constantFrom('10', '11', '11', '12', '13', '14', '15', '18', '19'),
      amount: fc.integer({ min: 1, max: 99_999_999_999 }), // twenty of them still fit 入金額合計 N(13)
      payerName: kana,
      payerCode: fc.option(fc.stringMatching(/^[1-9]\d{9}$/), { nil: undefined }),
      edi: fc.option(fc.stringMatching(/^[A-Z0-9-]{1,20}$/), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 20 }), fc.integer({ min: -1e12, max: 1e12 }), fc.boolean(), (es, opening, crlf) => {
        const read = parseStatement(statement([{ entries: es, openingBalance: opening }], { crlf })).lines;
        const kept = es.flatMap((e, i) => ((e.side === 'credit' && e.kind === '11') || (e.side === 'debit' && e.kind === '19') ? [{ e, record: i + 2 }] : []));
        expect(read.map((l) => [l.record, l.amount, l.cancels, l.payerName, l.payerCode, l.edi])).toEqual(
          kept.map(({ e, record }) => [record, e.amount, e.side === 'debit', e.payerName, e.payerCode ?? null, e.edi ?? '']),
        );
      }),
      { numRuns: 200 },
    );
  });
});
