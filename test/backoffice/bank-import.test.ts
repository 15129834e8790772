// 入金消込 through the back office (issue 29): a 全銀協 file read, matched and applied to the real contract
// workflows of one customer holding two contracts (time-skipping server, the real activities and ledger).
// Each contract: Standard, 2 Linux, cloud 30,000. February 129,800 (due 2026-03-31), March 74,800 (due 04-30).
import { ContractDriver } from '../../src/simulation/driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBankFile } from '../../src/backoffice/bank/import';
import { assignLine, returnLine } from '../../src/backoffice/bank/queue';
import { ledgerAccessOf } from '../../src/backoffice/ledger-client';
import type { Actor } from '../../src/domain/actor';
import { approveFeb2, billMonth, contractTestEnv, standardApplication, type ContractTestEnv } from '../helpers/contract-env';
import { transferNotice, type FixtureLine } from '../fixtures/zengin';

let t: ContractTestEnv;
let a: ContractDriver;
let b: ContractDriver;
let customerId: string;
const clerk: Actor = { id: 'u-clerk', role: 'clerk', via: 'console' };
const supervisor: Actor = { id: 'u-super', role: 'supervisor', via: 'console' };

const deps = () => ({ client: t.env.client, audit: ledgerAccessOf(t.deps.ledger).audit, ledger: t.deps.ledger });
const file = (lines: FixtureLine[]) => transferNotice([{ bankCode: '0001', branchCode: '123', accountNumber: '1234567', lines }]);
const paid = (s: Awaited<ReturnType<ContractDriver['state']>>) => Object.fromEntries(s.invoices.map((i) => [i.period, i.outstanding]));

beforeAll(async () => {
  t = await contractTestEnv();
  a = await t.start(standardApplication('BANK-A'));
  customerId = (await t.deps.ledger.customers.ofContract('BANK-A'))!.customerId;
  await t.deps.ledger.customers.link({ contractId: 'BANK-B', customerId });
  const { customer: _c, ...form } = standardApplication('BANK-B');
  b = await ContractDriver.start(t.env, { taskQueue: t.taskQueue, application: { ...form, customerId } });
  await approveFeb2(a);
  await approveFeb2(b);
  for (const period of ['2026-02', '2026-03']) {
    await billMonth(a, period);
    await billMonth(b, period);
  }
  await t.deps.ledger.payers.addPayerName(customerId, 'カ）サンプル', clerk.id);
  await a.advanceTo('2026-04-02', 10);
}, 180_000);
afterAll(() => t?.teardown());

describe('a bank statement imported (振込入金通知)', () => {
  const first = file([
    { inquiryNumber: 1, bookedOn: '080401', amount: 259_600, payerName: 'ｶ)ｻﾝﾌﾟﾙ' }, // both Februaries, by the payer name
    { inquiryNumber: 2, bookedOn: '080401', amount: 74_360, payerName: 'ﾍﾞﾂﾒｲｷﾞ', edi: 'BANK-B' }, // a March less a 440 yen fee, by reference
    { inquiryNumber: 3, bookedOn: '080402', amount: 80_000, payerName: 'ﾀﾞﾚｶ' }, // nobody's
    { inquiryNumber: 4, bookedOn: '080402', amount: 5_000, payerName: 'ﾏﾁｶﾞｲ' }, // nobody's: sent back
    { inquiryNumber: 1, bookedOn: '080401', amount: 259_600, payerName: 'ｶ)ｻﾝﾌﾟﾙ' }, // the first line again
  ]);

  it('matches, applies across the customer’s contracts oldest due first, and records each line’s outcome', async () => {
    const r = await importBankFile(deps(), {
      actor: clerk,
      fileName: '20260402.txt',
      format: 'zengin01',
      bytes: first,
      dryRun: false,
      today: '2026-04-02',
      requestId: 'day-0402',
    });
    expect(r.lines.map((l) => [l.record, l.ref, l.outcome, l.applied, l.shortfall, l.likelyFee, l.matchedBy])).toEqual([
      [2, '000001', 'matched', 259_600, 0, false, 'payerName'],
      [3, '000002', 'short', 74_360, 440, true, 'reference'],
      [4, '000003', 'unmatched', 0, 0, false, null],
      [5, '000004', 'unmatched', 0, 0, false, null],
      [6, '000001', 'duplicate', 0, 0, false, null],
    ]);
    // The reference names the customer; its money then goes oldest due first across its contracts (both
    // Marches are due 04-30: contract order), so A's March is the one 440 yen short.
    expect(paid(await a.state())).toEqual({ '2026-02': 0, '2026-03': 440 });
    expect(paid(await b.state())).toEqual({ '2026-02': 0, '2026-03': 74_800 });
    // Received on the 勘定日 (Art. 27): one day late for February, damages on the next invoice.
    expect((await b.state()).payments.map((p) => [p.requestId, p.paidOn, p.amount])).toEqual([
      ['bank:0001-123-1234567-000001-2026-04-01-259600', '2026-04-01', 129_800],
    ]);
    const audit = await t.deps.ledger.audit.every({ contractId: 'BANK-A' });
    const pays = audit.filter((e) => e.command === 'pay');
    expect(pays.map((e) => [e.actor.id, e.actor.via, e.outcome, (e.details as { source: { record: number } }).source.record])).toEqual([
      ['u-clerk', 'bank', 'accepted', 3],
      ['u-clerk', 'bank', 'accepted', 2],
    ]);
  });

  it('imported again under another name, every line is a duplicate and nothing moves', async () => {
    const before = [(await a.state()).payments.length, (await b.state()).payments.length];
    const r = await importBankFile(deps(), {
      actor: clerk,
      fileName: 'copy.txt',
      format: 'zengin01',
      bytes: first,
      dryRun: false,
      today: '2026-04-02',
      requestId: 'day-0402-again',
    });
    expect(r.lines.map((l) => l.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect([(await a.state()).payments.length, (await b.state()).payments.length]).toEqual(before);
  });

  it('the clerk gives an unmatched line to the customer (its payer name remembered) or marks one returned', async () => {
    const given = await assignLine(deps(), { actor: clerk, fileId: 'BF-day-0402', record: 4, customerId, rememberPayerName: true, today: '2026-04-02' });
    // A's 440 then B's March 74,800 (both due 04-30; contract order), 4,760 held as an advance on B (別表3 §5).
    expect(given).toMatchObject({ outcome: 'over', applied: 75_240, advance: 4_760, matchedBy: 'clerk', customerId });
    expect(paid(await a.state())).toEqual({ '2026-02': 0, '2026-03': 0 });
    expect((await b.state()).credit).toBe(4_760);
    expect((await t.deps.ledger.payers.profile(customerId))!.payerNames.map((n) => n.name)).toEqual(['カ）サンプル', 'ﾀﾞﾚｶ']);
    const back = await returnLine(deps(), { actor: clerk, fileId: 'BF-day-0402', record: 5, reason: '振込先誤り: 依頼人へ返金' });
    expect(back.outcome).toBe('returned');
    await expect(returnLine(deps(), { actor: clerk, fileId: 'BF-day-0402', record: 5, reason: 'again' })).rejects.toThrow(
      /record: line 5 of BF-day-0402 is returned, not unmatched/,
    );
  });

  it('a 取消 line asks a second supervisor to reverse what the line it cancels paid', async () => {
    const cancel = file([{ inquiryNumber: 2, bookedOn: '080401', amount: 74_360, payerName: 'ﾍﾞﾂﾒｲｷﾞ', edi: 'BANK-B', cancels: true }]);
    const r = await importBankFile(deps(), {
      actor: supervisor,
      fileName: 'cancel.txt',
      format: 'zengin01',
      bytes: cancel,
      dryRun: false,
      today: '2026-04-02',
      requestId: 'cancel-0402',
    });
    expect(r.lines).toMatchObject([{ outcome: 'cancelled', customerId, note: expect.stringContaining('BANK-A: reversal requested') }]);
    expect((await a.state()).pendingApprovals).toMatchObject([{ action: 'reversePayment', requestedBy: { id: 'u-super', via: 'bank' } }]);
  });

  it('a line every contract refuses (booked more than 31 days ago) applies nothing and goes to the clerk’s queue with the reason', async () => {
    const old = file([{ inquiryNumber: 7, bookedOn: '080227', amount: 1_000, payerName: 'ｶ)ｻﾝﾌﾟﾙ' }]);
    const r = await importBankFile(deps(), {
      actor: clerk,
      fileName: 'old.txt',
      format: 'zengin01',
      bytes: old,
      dryRun: false,
      today: '2026-04-02',
      requestId: 'old',
    });
    expect(r.lines).toMatchObject([{ outcome: 'unmatched', applied: 0, advance: 0, note: expect.stringContaining('more than 31 days ago') }]);
    expect((await t.deps.ledger.bankLines.unmatched()).map((l) => [l.fileId, l.record])).toContainEqual(['BF-old', 2]);
  });

  it('a malformed file is refused whole, naming the record and the field, and nothing of it is recorded', async () => {
    const bad = transferNotice([{ lines: [{ inquiryNumber: 9, bookedOn: '080402', amount: 1_000, payerName: 'ｶ)ｻﾝﾌﾟﾙ' }], trailer: { total: 999 } }]);
    await expect(
      importBankFile(deps(), { actor: clerk, fileName: 'bad.txt', format: 'zengin01', bytes: bad, dryRun: false, today: '2026-04-02', requestId: 'bad' }),
    ).rejects.toThrow(/record 3 \(trailer\): 入金額合計: 999/);
    expect(await t.deps.ledger.bankLines.file('BF-bad')).toBeUndefined();
  });
});
