/**
 * Who may ask: the roles each command takes, four eyes for endings and large money moves, and
 * honest idempotency — all decided by the contract itself, whatever page or script sent the command.
 */
import { describe, expect, it } from 'vitest';
import { advance, contractView, decide, nextStep, sameAmountRecently, type ContractState } from '../../../src/domain/contract';
import type { Actor } from '../../../src/domain/actor';
import { parseYenText } from '../../../src/domain/money';
import { active, bill, cmd, pending, refuseWith, run, type Input } from './fixtures';
import type { CommandName } from '../../../src/domain/validation';

const clerk: Actor = { id: 'u-clerk', role: 'clerk', via: 'console' };
const viewer: Actor = { id: 'u-viewer', role: 'viewer', via: 'console' };
const admin: Actor = { id: 'u-admin', role: 'admin', via: 'console' };
const supA: Actor = { id: 'u-sup-a', role: 'supervisor', via: 'console' };
const supB: Actor = { id: 'u-sup-b', role: 'supervisor', via: 'cli' };
const ROLES = '運用 (権限)';
const FOUR = '運用 (二者承認)';

function ok<N extends CommandName>(s: ContractState, name: N, input: Input<N>, today: string) {
  const d = decide(s, name, cmd(name, input), today);
  if (!d.ok) throw new Error(`${name} refused: ${d.refusal.message}`);
  return d;
}

describe('roles', () => {
  it('a viewer and an admin change no contract; a clerk records payments but cannot approve', () => {
    const s = pending();
    refuseWith(
      s,
      'approve',
      { requestId: 'a1', actor: viewer, startDate: '2026-04-10' },
      '2026-04-02',
      ROLES,
      'viewer u-viewer (console) may not ask for approve; it takes a supervisor',
    );
    refuseWith(
      s,
      'approve',
      { requestId: 'a2', actor: admin, startDate: '2026-04-10' },
      '2026-04-02',
      ROLES,
      'admin u-admin (console) may not ask for approve',
    );
    refuseWith(
      s,
      'approve',
      { requestId: 'a3', actor: clerk, startDate: '2026-04-10' },
      '2026-04-02',
      ROLES,
      'clerk u-clerk (console) may not ask for approve; it takes a supervisor',
    );
    const approved = ok(s, 'approve', { requestId: 'a4', actor: supA, startDate: '2026-04-10' }, '2026-04-02').state;
    expect(approved.status).toBe('approved'); // S is 04-10 (Art. 9)
    expect(approved.answers.a4!.actor).toEqual(supA);
    refuseWith(approved, 'pay', { requestId: 'p1', actor: viewer, amount: 1000 }, '2026-04-20', ROLES, 'it takes a clerk or supervisor');
    expect(ok(approved, 'pay', { requestId: 'p2', actor: clerk, amount: 1000 }, '2026-04-20').state.credit).toBe(1000);
  });
});

describe('four eyes', () => {
  const s0 = active(); // S = 2026-06-01, minimum term to 2027-05-31
  const today = '2026-07-10';

  it('a termination is asked for by one supervisor and carried out when a second approves it', () => {
    refuseWith(s0, 'terminateForCause', { requestId: 't0', actor: supA, internalReason: 'fraud' }, today, FOUR, 'terminateForCause needs a second supervisor');
    const asked = ok(
      s0,
      'requestApproval',
      { requestId: 't1', actor: supA, action: 'terminateForCause', input: { internalReason: 'fraud' }, reason: '不正利用の確認' },
      today,
    );
    expect(asked.state.status).toBe('active');
    expect(asked.answer).toMatchObject({ approvalOf: 't1', expiresOn: '2026-07-17' }); // + 7 days
    expect(asked.state.pendingApprovals).toEqual([
      {
        id: 't1',
        action: 'terminateForCause',
        input: { internalReason: 'fraud' },
        reason: '不正利用の確認',
        requestedBy: supA,
        requestedOn: today,
        expiresOn: '2026-07-17',
      },
    ]);
    // Not by the one who asked, not by a clerk; the same action cannot be asked twice while it waits.
    refuseWith(
      asked.state,
      'approveRequest',
      { requestId: 't2', actor: supA, approvalOf: 't1' },
      today,
      FOUR,
      'supervisor u-sup-a (console) asked for terminateForCause (t1); a second supervisor must approve it',
    );
    refuseWith(
      asked.state,
      'approveRequest',
      { requestId: 't3', actor: clerk, approvalOf: 't1' },
      today,
      ROLES,
      'clerk u-clerk (console) may not ask for approveRequest',
    );
    refuseWith(
      asked.state,
      'requestApproval',
      { requestId: 't4', actor: supB, action: 'terminateForCause', input: {}, reason: 'again' },
      today,
      FOUR,
      'a terminateForCause request (t1) by supervisor u-sup-a (console) is already waiting until 2026-07-17',
    );
    const done = ok(asked.state, 'approveRequest', { requestId: 't5', actor: supB, approvalOf: 't1' }, '2026-07-12');
    expect(done.state.status).toBe('ended');
    expect(done.state.end).toMatchObject({ kind: 'terminationForCause', lastDay: '2026-07-12' });
    expect(done.state.pendingApprovals).toEqual([]);
    expect(done.answer.summary).toContain('asked by supervisor u-sup-a (console) (不正利用の確認), approved by supervisor u-sup-b (cli)');
  });

  it('a lapsed request is retired by a due step at 00:00 the day after its last day, kept on the record, never approvable', () => {
    const asked = ok(
      s0,
      'requestApproval',
      { requestId: 'l1', actor: supA, action: 'terminateForConvenience', input: { endDate: '2026-10-31' }, reason: 'サービス終了' },
      today,
    ).state;
    expect(nextStep(asked)).toMatchObject({ kind: 'approvalLapse', on: '2026-07-18', actBy: '2026-07-17' });
    expect(advance(asked, Date.parse('2026-07-17T23:59:00+09:00')).applied).toBe(0); // still approvable on its last day
    const retired = advance(asked, Date.parse('2026-07-18T00:00:00+09:00'));
    expect(retired).toMatchObject({ applied: 1, effects: [] });
    expect(retired.state.pendingApprovals).toEqual([]);
    expect(retired.state.lapsedApprovals).toEqual([
      {
        id: 'l1',
        action: 'terminateForConvenience',
        reason: 'サービス終了',
        requestedBy: supA,
        requestedOn: today,
        expiresOn: '2026-07-17',
        lapsedOn: '2026-07-18',
      },
    ]);
    expect(contractView(retired.state, '2026-07-18', 0)).toMatchObject({ pendingApprovals: [], lapsedApprovals: [{ id: 'l1', lapsedOn: '2026-07-18' }] });
    expect(nextStep(retired.state)?.kind).not.toBe('approvalLapse');
    refuseWith(
      retired.state,
      'approveRequest',
      { requestId: 'l2', actor: supB, approvalOf: 'l1' },
      '2026-07-18',
      FOUR,
      'no request l1 is waiting for approval',
    );
  });

  it('a request lapses after 7 days, and can be withdrawn', () => {
    const asked = ok(
      s0,
      'requestApproval',
      { requestId: 'c1', actor: supA, action: 'terminateForConvenience', input: { endDate: '2026-10-31' }, reason: 'サービス終了' },
      today,
    ).state;
    refuseWith(
      asked,
      'approveRequest',
      { requestId: 'c2', actor: supB, approvalOf: 'c1' },
      '2026-07-18',
      FOUR,
      'request c1 (terminateForConvenience) lapsed on 2026-07-17',
    );
    const withdrawn = ok(asked, 'withdrawRequest', { requestId: 'c3', actor: supB, approvalOf: 'c1', reason: '誤り' }, '2026-07-11');
    expect(withdrawn.state.pendingApprovals).toEqual([]);
    refuseWith(
      withdrawn.state,
      'approveRequest',
      { requestId: 'c4', actor: supB, approvalOf: 'c1' },
      '2026-07-11',
      FOUR,
      'no request c1 is waiting for approval',
    );
  });

  it('the action is checked when asked for: a convenience termination with too little notice is refused at once', () => {
    const d = decide(
      s0,
      'requestApproval',
      cmd('requestApproval', { requestId: 'n1', actor: supA, action: 'terminateForConvenience', input: { endDate: '2026-07-20' }, reason: 'x' }),
      today,
    );
    expect(d).toMatchObject({ ok: false, refusal: { rule: expect.stringContaining('第29条3項') } });
    // The action's input is checked by the action's own schema when the request is parsed.
    expect(() => cmd('requestApproval', { requestId: 'n2', actor: supA, action: 'charge', input: { description: 'x', amount: 'lots' }, reason: 'x' })).toThrow(
      /input.*amount/s,
    );
  });

  it('a charge above the threshold (100,000 yen) needs four eyes; at it, one supervisor is enough', () => {
    expect(ok(s0, 'charge', { requestId: 'm1', actor: supA, description: '追加作業', amount: 100_000, taxable: true }, today).state.pendingLines).toHaveLength(
      1,
    );
    refuseWith(
      s0,
      'charge',
      { requestId: 'm2', actor: supA, description: '追加作業', amount: 100_001, taxable: true },
      today,
      FOUR,
      'charge needs a second supervisor',
    );
    refuseWith(
      s0,
      'charge',
      { requestId: 'm3', actor: supA, description: '返金', amount: -100_001, taxable: true },
      today,
      FOUR,
      'charge needs a second supervisor',
    );
    const asked = ok(
      s0,
      'requestApproval',
      { requestId: 'm4', actor: supA, action: 'charge', input: { description: '追加作業', amount: 150_000, taxable: true }, reason: '作業報告書 No.12' },
      today,
    ).state;
    const done = ok(asked, 'approveRequest', { requestId: 'm5', actor: supB, approvalOf: 'm4' }, today).state;
    expect(done.pendingLines.map((l) => l.amount)).toEqual([150_000]);
  });
});

describe('a large payment (four eyes, D-29)', () => {
  const s0 = () => bill(active(), '2026-06'); // June billed: 129,800 due 07-31
  const big = 999_999_999; // within the schema's bound (1,000,000,000), far above 10,000,000

  it('above 10,000,000 yen a clerk alone, or a supervisor alone, records nothing; at it, a clerk is enough', () => {
    for (const actor of [clerk, supA])
      refuseWith(s0(), 'pay', { requestId: 'p-big', actor, amount: 10_000_001 }, '2026-07-10', FOUR, 'pay needs a second supervisor (D-29)');
    const d = ok(s0(), 'pay', { requestId: 'p-10m', actor: clerk, amount: 10_000_000 }, '2026-07-10');
    expect(d.state.payments.map((p) => p.amount)).toEqual([10_000_000]);
    expect(d.effects.map((e) => e.type)).toEqual(['recordPayment', 'notice']);
    // The system (automation, the simulator) is never held: it keys no payment by hand.
    expect(ok(s0(), 'pay', { requestId: 'p-sys', amount: big }, '2026-07-10').state.payments).toHaveLength(1);
  });

  it('a clerk asks for it, nothing is recorded; a supervisor approves it, dated the day it was asked (Art. 27)', () => {
    const asked = ok(s0(), 'requestApproval', { requestId: 'p-1', actor: clerk, action: 'pay', input: { amount: big }, reason: '大口入金' }, '2026-08-03');
    expect(asked.effects).toEqual([]);
    expect(asked.state.payments).toEqual([]);
    expect(asked.state.credit).toBe(0);
    expect(asked.state.pendingApprovals).toMatchObject([{ id: 'p-1', action: 'pay', input: { amount: big, paidOn: '2026-08-03' }, requestedBy: clerk }]);
    // The clerk cannot approve (a supervisor's step), nor can the asker approve their own.
    refuseWith(asked.state, 'approveRequest', { requestId: 'p-2', actor: clerk, approvalOf: 'p-1' }, '2026-08-05', ROLES, 'it takes a supervisor');
    const bySup = ok(s0(), 'requestApproval', { requestId: 'p-1', actor: supA, action: 'pay', input: { amount: big }, reason: '大口入金' }, '2026-08-03').state;
    refuseWith(bySup, 'approveRequest', { requestId: 'p-2', actor: supA, approvalOf: 'p-1' }, '2026-08-05', FOUR, 'a second supervisor must approve it');
    const done = ok(asked.state, 'approveRequest', { requestId: 'p-2', actor: supB, approvalOf: 'p-1' }, '2026-08-05');
    expect(done.state.pendingApprovals).toEqual([]);
    expect(done.state.payments).toMatchObject([{ requestId: 'p-1', amount: big, paidOn: '2026-08-03' }]);
    // June's 129,800 settled, 3 days late (08-01 … 08-02 counted to 08-03): damages as of the day it was keyed, not approved.
    expect(done.state.invoices[0]).toMatchObject({ paid: 129_800, outstanding: 0 });
    expect(done.state.pendingLines.map((l) => l.kind)).toEqual(['lateDamages']);
    expect(done.state.credit).toBe(big - 129_800);
    expect(done.effects[0]).toMatchObject({ type: 'recordPayment', paymentId: 'C1:p-1', paidOn: '2026-08-03', amount: big });
    expect(done.answer.summary).toContain(`asked by clerk u-clerk (console) (大口入金), approved by supervisor u-sup-b (cli)`);
  });

  it('a clerk may ask four eyes only for what a clerk may ask: a payment, not a charge or a termination', () => {
    refuseWith(
      s0(),
      'requestApproval',
      { requestId: 'c-1', actor: clerk, action: 'charge', input: { description: '追加作業', amount: 150_000, taxable: true }, reason: 'x' },
      '2026-07-10',
      ROLES,
      'clerk u-clerk (console) may not ask for requestApproval; it takes a supervisor',
    );
    refuseWith(
      s0(),
      'requestApproval',
      { requestId: 'c-2', actor: clerk, action: 'terminateForCause', input: {}, reason: 'x' },
      '2026-07-10',
      ROLES,
      'it takes a supervisor',
    );
    refuseWith(
      s0(),
      'requestApproval',
      { requestId: 'c-3', actor: viewer, action: 'pay', input: { amount: big }, reason: 'x' },
      '2026-07-10',
      ROLES,
      'it takes a clerk or supervisor',
    );
  });
});

describe('a payment reversal (four eyes)', () => {
  // June billed: 129,800 due 07-31 (see money.test.ts). Paid 08-20, 19 days late: damages 979 pending.
  const paidLate = () => run(bill(active(), '2026-06'), 'pay', { requestId: 'pay-june', actor: clerk, amount: 129_800 }, '2026-08-20').state;
  const reverse = (s: ContractState, today: string) => {
    const asked = ok(
      s,
      'requestApproval',
      { requestId: 'rv-1', actor: supA, action: 'reversePayment', input: { paymentRequestId: 'pay-june', reason: '不渡り' }, reason: '銀行から返金通知' },
      today,
    ).state;
    return ok(asked, 'approveRequest', { requestId: 'rv-2', actor: supB, approvalOf: 'rv-1' }, today);
  };

  it('is never one supervisor’s alone; approved, June is owed again and its pending damages are dropped', () => {
    const s = paidLate();
    expect(s.invoices[0]).toMatchObject({ paid: 129_800, outstanding: 0 });
    expect(s.pendingLines.map((l) => [l.kind, l.amount])).toEqual([['lateDamages', 979]]);
    refuseWith(
      s,
      'reversePayment',
      { requestId: 'rv-0', actor: supA, paymentRequestId: 'pay-june', reason: 'x' },
      '2026-08-21',
      FOUR,
      'reversePayment needs a second supervisor',
    );
    const d = reverse(s, '2026-08-21');
    expect(d.state.invoices[0]).toMatchObject({ paid: 0, outstanding: 129_800 });
    expect(d.state.pendingLines).toEqual([]);
    expect(d.state.payments[0]).toMatchObject({ requestId: 'pay-june', reversed: { on: '2026-08-21', reason: '不渡り' } });
    expect(d.effects).toEqual([{ type: 'reversePayment', paymentId: 'C1:pay-june', reversedOn: '2026-08-21', reason: '不渡り' }]);
    expect(d.answer.summary).toContain('payment pay-june of 129800 yen (received 2026-08-20) reversed: 129800 yen owed again');
    refuseWith(
      d.state,
      'requestApproval',
      { requestId: 'rv-3', actor: supA, action: 'reversePayment', input: { paymentRequestId: 'pay-june', reason: 'again' }, reason: 'again' },
      '2026-08-22',
      '別表3§3 D-11',
      'already reversed on 2026-08-21',
    );
    refuseWith(
      d.state,
      'requestApproval',
      { requestId: 'rv-4', actor: supA, action: 'reversePayment', input: { paymentRequestId: 'no-such', reason: 'x' }, reason: 'x' },
      '2026-08-22',
      '別表3§3 D-11',
      'no payment recorded with request id no-such',
    );
  });

  it('damages already invoiced are credited on the next invoice; an advance left is withdrawn', () => {
    // July is billed on 08-21 (caught up) with the 979 damages on it; then the June payment is reversed.
    const billed = run(paidLate(), 'closeBillingPeriod', { period: '2026-07' }, '2026-08-21').state;
    expect(
      billed.invoices
        .find((i) => i.period === '2026-07')!
        .lines.filter((l) => l.kind === 'lateDamages')
        .map((l) => l.amount),
    ).toEqual([979]);
    expect(billed.pendingLines).toEqual([]);
    const d = reverse(billed, '2026-08-22');
    expect(d.state.pendingLines.map((l) => [l.kind, l.amount, l.taxable])).toEqual([['lateDamages', -979, false]]);
    expect(d.answer.summary).toContain('979 yen of invoiced damages credited');
    // An advance: 10,000 paid with nothing owed; reversed, the credit is gone.
    const adv = run(active(), 'pay', { requestId: 'pay-june', actor: clerk, amount: 10_000 }, '2026-06-10').state;
    expect(adv.credit).toBe(10_000);
    const r = reverse(adv, '2026-06-11');
    expect(r.state).toMatchObject({ credit: 0, advances: [] });
    expect(r.answer.summary).toContain('10000 yen of advance withdrawn');
  });
});

describe('the same amount twice within 7 days (a slip the edges ask about)', () => {
  it('finds a payment of the same amount within 7 days either side, not a reversed one, not another amount', () => {
    const s = run(active(), 'pay', { requestId: 'p-a', actor: clerk, amount: 84_700 }, '2026-06-10').state;
    expect(sameAmountRecently(s, 84_700, '2026-06-17')).toMatchObject({ requestId: 'p-a', paidOn: '2026-06-10' });
    expect(sameAmountRecently(s, 84_700, '2026-06-18')).toBeUndefined(); // 8 days on
    expect(sameAmountRecently(s, 84_701, '2026-06-11')).toBeUndefined();
    s.payments[0]!.reversed = { on: '2026-06-11', reason: 'x' };
    expect(sameAmountRecently(s, 84_700, '2026-06-11')).toBeUndefined();
  });
});

describe('honest idempotency', () => {
  it('a request id repeated with the same content gets the first answer; with other content or another actor, a refusal', () => {
    const s = run(active(), 'pay', { requestId: 'pay-1', actor: clerk, amount: 5000 }, '2026-06-10').state;
    const again = decide(s, 'pay', cmd('pay', { requestId: 'pay-1', actor: clerk, amount: 5000 }), '2026-06-10');
    expect(again).toMatchObject({ ok: true, repeated: true });
    refuseWith(
      s,
      'pay',
      { requestId: 'pay-1', actor: clerk, amount: 50_000 },
      '2026-06-10',
      'requestId',
      'request id pay-1 was already used for another pay (other content or another actor)',
    );
    refuseWith(s, 'pay', { requestId: 'pay-1', actor: supA, amount: 5000 }, '2026-06-10', 'requestId', 'already used for another pay');
  });
});

describe('amounts as a clerk types them', () => {
  it.each([
    ['84700', 84_700],
    ['84,700', 84_700],
    ['８４，７００', 84_700],
    ['84,700円', 84_700],
    ['¥1,234,567', 1_234_567],
    ['-5,000', -5000],
    [' 84700 ', 84_700],
  ])('%s is %d yen', (text, yen) => expect(parseYenText(text)).toBe(yen));
  it.each(['1,2,3', '84,70', '8,4700', '84.7', '', '円', '1e5', '12 345', '²', '1²', '①', '٣'])('%s is refused', (text) =>
    expect(parseYenText(text)).toBeUndefined(),
  );
});
