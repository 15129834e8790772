// 入金消込 in the domain (issue 29): a line's identity, whose it is (the matching order), and where its money goes.
import { describe, expect, it } from 'vitest';
import {
  cancelledIdentity,
  ediReferences,
  matchCustomer,
  planReceipt,
  receiptIdentity,
  type CustomerDirectory,
  type ReceiptLine,
} from '../../src/domain/bank/receipts';

const line = (over: Partial<ReceiptLine> = {}): ReceiptLine => ({
  bankCode: '0001',
  branchCode: '123',
  accountNumber: '1234567',
  inquiryNumber: '000042',
  bookedOn: '2026-03-31',
  amount: 70_400,
  payerCode: null,
  payerName: 'ｶ)ｻﾝﾌﾟﾙ',
  edi: '',
  cancels: false,
  ...over,
});

const directory = (d: {
  accounts?: Record<string, string>;
  codes?: Record<string, string>;
  refs?: Record<string, string>;
  names?: Record<string, string[]>;
}): CustomerDirectory => ({
  byVirtualAccount: (a) => d.accounts?.[a],
  byPayerCode: (c) => d.codes?.[c],
  byReference: (r) => d.refs?.[r],
  byPayerName: (k) => d.names?.[k] ?? [],
});

describe('a line’s identity (D-33)', () => {
  it('is bank, branch, account, 照会番号, 勘定日 and amount — and a 取消 is another line that points at the one it cancels', () => {
    expect(receiptIdentity(line())).toBe('0001-123-1234567-000042-2026-03-31-70400');
    expect(receiptIdentity(line({ payerName: 'ﾍﾞﾂﾉﾅﾏｴ', edi: 'X' }))).toBe(receiptIdentity(line())); // the payer's words are not the money
    expect(receiptIdentity(line({ amount: 70_401 }))).not.toBe(receiptIdentity(line()));
    expect(receiptIdentity(line({ cancels: true }))).toBe('0001-123-1234567-000042-2026-03-31-70400-C');
    expect(cancelledIdentity(line({ cancels: true }))).toBe(receiptIdentity(line()));
  });
});

describe('whose line it is (issue 29’s order)', () => {
  it('the virtual account first, then the payer code, then a reference in the EDI field, then the payer name', () => {
    const d = directory({
      accounts: { '1234567': 'cus-va' },
      codes: { '0000000001': 'cus-code' },
      refs: { 'INV-000123': 'cus-ref' },
      names: { サンプル: ['cus-name'] },
    });
    expect(matchCustomer(line({ payerCode: '0000000001', edi: 'INV-000123' }), d)).toEqual({ customerId: 'cus-va', by: 'virtualAccount' });
    const noVa = directory({ codes: { '0000000001': 'cus-code' }, refs: { 'INV-000123': 'cus-ref' }, names: { サンプル: ['cus-name'] } });
    expect(matchCustomer(line({ payerCode: '0000000001', edi: 'INV-000123' }), noVa)).toEqual({ customerId: 'cus-code', by: 'payerCode' });
    expect(matchCustomer(line({ payerCode: '0000000009', edi: 'inv123' }), noVa)).toEqual({ customerId: 'cus-ref', by: 'reference' });
    expect(matchCustomer(line(), noVa)).toEqual({ customerId: 'cus-name', by: 'payerName' }); // ｶ)ｻﾝﾌﾟﾙ → サンプル (D-30)
  });
  it('a payer name registered to two customers names neither; no key at all leaves the line unmatched with the reason', () => {
    const two = matchCustomer(line(), directory({ names: { サンプル: ['cus-a', 'cus-b'] } }));
    expect(two).toEqual({ customerId: null, reason: 'the payer name ｶ)ｻﾝﾌﾟﾙ is registered to 2 customers' });
    expect(matchCustomer(line(), directory({}))).toMatchObject({ customerId: null, reason: expect.stringContaining('no customer') });
  });
  it('reads invoice numbers as we print them and any other word as a contract id', () => {
    expect(ediReferences(' INV000042 C-0001 ')).toEqual(['INV-000042', 'C-0001']);
    expect(ediReferences('ｲﾝﾎﾞｲｽ')).toEqual(['インボイス']); // NFKC: half-width kana widened
    expect(ediReferences('')).toEqual([]);
  });
});

describe('where the money goes (別表3 §3, §5; Art. 24-1)', () => {
  const owed = [
    { contractId: 'C-B', period: '2026-02', dueOn: '2026-03-31', outstanding: 129_800 },
    { contractId: 'C-A', period: '2026-03', dueOn: '2026-04-30', outstanding: 74_800 },
    { contractId: 'C-A', period: '2026-02', dueOn: '2026-03-31', outstanding: 129_800 },
  ];
  it('settles the oldest due invoice first across the contracts (due day, period, contract) and leaves later ones owed without calling that short', () => {
    const p = planReceipt({ amount: 259_600, owed, fallbackContractId: 'C-B' });
    expect(p).toMatchObject({ outcome: 'matched', applied: 259_600, advance: 0, shortfall: 0, likelyTransferFee: false });
    expect(p.payments).toEqual([
      { contractId: 'C-A', amount: 129_800 },
      { contractId: 'C-B', amount: 129_800 },
    ]);
  });
  it('a line 440 yen short of the invoice it ends in is short, flagged as the transfer fee; 991 yen short is not flagged', () => {
    const fee = planReceipt({ amount: 129_800 - 440, owed, fallbackContractId: 'C-B' });
    expect(fee).toMatchObject({
      outcome: 'short',
      applied: 129_360,
      shortfall: 440,
      likelyTransferFee: true,
      payments: [{ contractId: 'C-A', amount: 129_360 }],
    });
    expect(planReceipt({ amount: 129_800 - 991, owed, fallbackContractId: 'C-B' })).toMatchObject({
      outcome: 'short',
      shortfall: 991,
      likelyTransferFee: false,
    });
  });
  it('more than everything owed: the rest is an advance on the contract that took the last part; with nothing owed, on the fallback', () => {
    const over = planReceipt({ amount: 340_000, owed, fallbackContractId: 'C-B' });
    expect(over).toMatchObject({ outcome: 'over', applied: 334_400, advance: 5_600, advanceContractId: 'C-A' });
    expect(over.payments).toEqual([
      { contractId: 'C-A', amount: 129_800 + 74_800 + 5_600 },
      { contractId: 'C-B', amount: 129_800 },
    ]);
    expect(planReceipt({ amount: 1_000, owed: [], fallbackContractId: 'C-B' })).toMatchObject({
      outcome: 'over',
      applied: 0,
      advance: 1_000,
      payments: [{ contractId: 'C-B', amount: 1_000 }],
    });
  });
});
