// The decider's life commands (approve, reject, changes, suspension, contact, ops retry) and repeated request ids.
// Standard contract (fixtures.ts): applied 2026-04-01, fixed monthly fee 68,000, S = 2026-06-01, minimum term to 2027-05-31.
import { describe, expect, it } from 'vitest';
import { changeLines, termsIn } from '../../../src/domain/contract/terms';
import { decide, recordOutcomes } from '../../../src/domain/contract';
import { COMMAND_NAMES } from '../../../src/domain/validation';
import { contractView, nextDeadline } from '../../../src/domain/contract';
import { RULE } from '../../../src/domain/rules';
import { accept, active, cmd, COVERAGE, CUSTOMER_ID, ID, noticeIds, pending, refuseWith, run, seen, standardApplication, step, at } from './fixtures';

const LINUX = { os: 'linux' as const };

describe('the usage start (Art. 9, D-34)', () => {
  it('an approved contract waits for S and is established at 00:00 of S by a due step, with no notice', () => {
    const approved = run(pending(), 'approve', { startDate: '2026-06-01' }, '2026-05-15').state;
    expect(approved.status).toBe('approved');
    expect(contractView(approved, '2026-05-31', 0).status).toBe('approved');
    expect(nextDeadline(approved, '2026-05-20')).toBeUndefined(); // the start asks nothing of anyone
    expect(step(approved, at('2026-05-31', '23:59')).state.status).toBe('approved');
    const established = step(approved, at('2026-06-01', '00:00'));
    expect(established).toMatchObject({ applied: 1, effects: [] });
    expect(established.state.status).toBe('active');
  });
  it('before S: a change, a cancellation and a payment are taken; a suspension is not (there is no service yet)', () => {
    const approved = run(pending(), 'approve', { startDate: '2026-09-01' }, '2026-05-15').state;
    expect(run(approved, 'pay', { amount: 1000 }, '2026-05-20').state.credit).toBe(1000);
    expect(run(approved, 'cancel', { endDate: '2026-12-31' }, '2026-05-20').state.end).toMatchObject({ lastDay: '2026-12-31' });
    refuseWith(approved, 'suspend', { requestId: 's1' }, '2026-05-20', RULE.suspensionGrounds, 'not possible while the contract is approved');
  });
});

describe('approve (Art. 8, 9, D-2)', () => {
  it.each([
    // A + 60 = 2026-05-31 is still in time (D-2); minimum term = S + 1 year − 1 day (Art. 11).
    // Art. 9 (D-34): established on S — approved until then, active from S.
    ['on A + 60', '2026-05-31', '2026-06-01', '2027-05-31', 'approved'],
    ['on the day received, starting that day', '2026-04-01', '2026-04-01', '2027-03-31', 'active'],
  ])('accepted %s', (_label, today, startDate, minimumTermEnd, status) => {
    const d = accept(pending(), 'approve', { requestId: 'ap', startDate }, today);
    expect(d.state).toMatchObject({ status, approvedOn: today, startDate, minimumTermEnd, end: null });
    expect(d.state).toMatchObject({ baseTerms: standardApplication().terms, changes: [] });
    const article = '第8条 D-2 第9条';
    expect(d.effects).toEqual([
      { type: 'notice', id: `${ID}:approved:application`, kind: 'approved', on: today, facts: { startDate, minimumTermEnd, article } },
    ]);
    expect(d.answer).toEqual({ summary: `approved; usage starts ${startDate}, minimum term ends ${minimumTermEnd}`, startDate, minimumTermEnd, article });
    expect(d.state.notices.map((n) => n.kind)).toEqual(['applicationReceived', 'approved']);
  });

  it.each([
    ['on A + 61 (window closed at the end of 2026-05-31)', () => pending(), '2026-06-01', '2026-06-01', '第8条 D-2', 'closed on 2026-05-31'],
    ['with S before the approval day', () => pending(), '2026-05-15', '2026-05-14', '第9条', 'before the approval day 2026-05-15'],
    ['when already active', () => active(), '2026-05-20', '2026-06-01', '第8条 D-2', 'not possible while the contract is active'],
  ])('refused %s', (_label, make, today, startDate, rule, fragment) => refuseWith(make(), 'approve', { requestId: 'ap2', startDate }, today, rule, fragment));
});

describe('reject (Art. 8, 10)', () => {
  it('accepted: rejected, and the notice carries no reason', () => {
    const d = accept(pending(), 'reject', { requestId: 'rj', internalReason: 'credit check failed' }, '2026-04-10');
    expect(d.state).toMatchObject({ status: 'rejected', endedOn: '2026-04-10' });
    expect(d.effects).toEqual([{ type: 'notice', id: `${ID}:rejected:application`, kind: 'rejected', on: '2026-04-10', facts: {} }]);
    expect(JSON.stringify(d.effects)).not.toContain('credit');
    expect(d.answer).toEqual({ summary: 'application rejected' });
  });
  it('refused once approved', () =>
    refuseWith(active(), 'reject', { requestId: 'rj' }, '2026-05-20', '第8条 D-2', 'rejection is not possible while the contract is active'));
});

describe('change requests (Art. 12-2, 11-3, D-3, D-6)', () => {
  it('requestChange accepted: awaits a decision by requested day + 60', () => {
    const d = accept(active(), 'requestChange', { requestId: 'ch', components: [LINUX] }, '2026-07-10');
    expect(d.state.pendingChange).toEqual({ requestId: 'ch', requestedOn: '2026-07-10', change: { components: [LINUX] } });
    expect(d.effects).toEqual([]);
    expect(d.answer.summary).toContain('decide by 2026-09-08'); // 07-10 + 31 = 08-10, + 29 = 09-08 (60 days)
  });
  it.each([
    ['before approval', () => pending(), 'while the contract is pending'],
    [
      'while another awaits',
      () => run(active(), 'requestChange', { plan: 'advanced' }, '2026-07-10').state,
      'a change requested on 2026-07-10 is still awaiting a decision',
    ],
    ['once the end is fixed', () => run(active(), 'terminateForConvenience', { endDate: '2026-09-30' }, '2026-07-01').state, 'the contract ends on 2026-09-30'],
  ])('requestChange refused %s', (_l, make, fragment) =>
    refuseWith(make(), 'requestChange', { requestId: 'ch2', plan: 'entry' }, '2026-07-12', '第12条2項 D-3', fragment),
  );

  const requested = (components: number, on: string) =>
    run(active(), 'requestChange', { requestId: 'ch', components: Array.from({ length: components }, () => LINUX) }, on).state;
  it.each([
    // 1 component: 20,000 + 9,000 = 29,000 managed, fixed 59,000; 68,000 − 59,000 = 9,000 × (2026-08 … 2027-05 = 10 months) = 90,000.
    ['a downgrade inside the minimum term', 1, '2026-07-10', '2026-07-15', undefined, '2026-08', 59_000, 90_000, 0],
    // effective in the minimum term's last month: 9,000 × 1 month (2027-05 only).
    ['a downgrade effective in the last month of the minimum term', 1, '2027-04-10', '2027-04-20', undefined, '2027-05', 59_000, 9_000, 0],
    // effective 2027-06-01, after the minimum term's last day 2027-05-31: no settlement (Art. 11-3).
    ['a downgrade after the minimum term', 1, '2027-05-10', '2027-05-20', undefined, '2027-06', 59_000, 0, 0],
    // 3 components: 20,000 + 3 × 9,000 = 47,000 + 30,000 = 77,000; a raise: no settlement; 1 added component: 10,000.
    ['a component addition', 3, '2026-07-10', '2026-07-15', '2026-09', '2026-09', 77_000, 0, 1],
  ])('approveChange: %s', (_l, n, requestedOn, today, effectiveMonth, month, fee, settlement, added) => {
    const d = accept(requested(n, requestedOn), 'approveChange', { requestId: 'ok', effectiveMonth }, today);
    expect(d.state.pendingChange).toBeNull();
    expect(d.state.changes).toEqual([
      { requestId: 'ch', approvedOn: today, effectiveMonth: month, change: { components: Array.from({ length: n }, () => LINUX) } },
    ]);
    expect(termsIn(d.state, month)).toEqual({
      plan: 'standard',
      components: Array.from({ length: n }, () => LINUX),
      metricCapRelaxations: 0,
      cloudMonthlyFee: 30_000,
    });
    expect(d.answer).toMatchObject({ effectiveMonth: month, fixedMonthlyFee: fee, downgradeSettlement: settlement, componentAddition: added });
    // D-28: the month's lines follow from the terms history when the month is billed; nothing is scheduled ahead.
    expect(d.state.scheduledLines).toEqual([]);
    expect(changeLines(d.state, month).map((l) => ({ kind: l.kind, amount: l.amount, taxable: l.taxable }))).toEqual([
      ...(added ? [{ kind: 'componentAddition', amount: 10_000, taxable: true }] : []),
      ...(settlement ? [{ kind: 'downgradeSettlement', amount: settlement, taxable: false }] : []), // D-5: non-taxable
    ]);
    expect(d.effects).toEqual([
      {
        type: 'notice',
        id: `${ID}:changeApproved:ok`,
        kind: 'changeApproved',
        on: today,
        facts: { effectiveMonth: month, amount: fee, article: '第12条 D-3 D-28' },
      },
    ]);
  });
  it.each([
    ['with no request', () => active(), undefined, 'no change request awaiting a decision'],
    ['for a month already begun', () => requested(1, '2026-07-10'), '2026-07', 'the earliest is 2026-08'],
  ])('approveChange refused %s', (_l, make, effectiveMonth, fragment) =>
    refuseWith(make(), 'approveChange', { requestId: 'ok', effectiveMonth }, '2026-07-15', '第12条2項 D-3', fragment),
  );

  // Art. 12-2, D-2: a change request is decided within the same 60-day window as an application;
  // requested 2026-07-10, the window closed at the end of 2026-09-08 (07-10 + 60) — refused by the decider
  // itself, even before the changeDeemedRejection step has run.
  it.each([['2026-09-09'], ['2026-10-20']])('approveChange refused after the 60-day window (on %s)', (today) => {
    const d = decide(requested(1, '2026-07-10'), 'approveChange', cmd('approveChange', { requestId: 'late' }), today);
    expect(d).toMatchObject({ ok: false, refusal: { rule: '第12条2項 D-3', message: expect.stringContaining('closed on 2026-09-08') } });
  });

  it('rejectChange accepted, and refused when nothing awaits', () => {
    const d = accept(requested(1, '2026-07-10'), 'rejectChange', { requestId: 'no' }, '2026-07-15');
    expect(d.state.pendingChange).toBeNull();
    expect(d.state.changes).toEqual([]);
    expect(d.effects).toEqual([{ type: 'notice', id: `${ID}:changeRejected:no`, kind: 'changeRejected', on: '2026-07-15', facts: {} }]);
    expect(d.answer).toEqual({ summary: 'change request rejected' });
    refuseWith(d.state, 'rejectChange', { requestId: 'no2' }, '2026-07-16', '第12条2項 D-3', 'no change request awaiting');
  });
});

describe('suspend and resume (Art. 18, 25)', () => {
  it('suspend then resume, each with its notice', () => {
    const s = accept(active(), 'suspend', { requestId: 'sp' }, '2026-07-20');
    expect(s.state).toMatchObject({ status: 'suspended', suspension: { since: '2026-07-20', nonPayment: [], backOffice: { since: '2026-07-20' } } });
    expect(s.effects).toEqual([{ type: 'notice', id: `${ID}:suspended:sp`, kind: 'suspended', on: '2026-07-20', facts: { article: '第18条 D-26' } }]);
    expect(s.answer.summary).toBe('suspended from 2026-07-20; fees continue (第25条)');
    const r = accept(s.state, 'resume', { requestId: 'rs' }, '2026-07-25');
    expect(r.state).toMatchObject({ status: 'active', suspension: null });
    expect(r.effects).toEqual([{ type: 'notice', id: `${ID}:resumed:rs`, kind: 'resumed', on: '2026-07-25', facts: { article: '第18条 D-26' } }]);
    expect(r.answer.summary).toBe('service resumed on 2026-07-25');
  });
  it.each([
    ['suspend', () => pending(), 'suspension is not possible while the contract is pending'],
    ['suspend', () => run(active(), 'suspend', {}, '2026-07-20').state, 'the back office already suspended the service on 2026-07-20'],
    ['resume', () => active(), 'resuming is not possible while the contract is active'],
  ] as const)('%s refused', (name, make, fragment) => refuseWith(make(), name, { requestId: 'x' }, '2026-07-21', '第18条 D-26', fragment));
});

describe('changeContact (Art. 12-3) and retryFailedEffects (ops)', () => {
  // The ledger holds the contact (Art. 12-3); the contract learns only the revision the ledger answered.
  it.each([
    ['pending, the first change', () => pending(), 2],
    ['active, two ledger changes reported at once', () => active(), 3],
  ] as const)('changeContact accepted (%s)', (_l, make, revision) => {
    const before = make();
    const d = accept(before, 'changeContact', { requestId: 'cc', contactRevision: revision }, '2026-05-20');
    expect(before).toMatchObject({ customerId: CUSTOMER_ID, contactRevision: 1, contactChangedOn: null });
    expect(d.state).toMatchObject({ customerId: CUSTOMER_ID, contactRevision: revision, contactChangedOn: '2026-05-20' });
    expect(d.state).not.toHaveProperty('customer');
    expect(d.effects).toEqual([]);
    expect(d.answer).toEqual({ summary: `contact revision ${revision} on record; later notices go to it (第12条4項)`, contactRevision: revision });
  });
  it('changeContact with an older revision than the one on record (a late report) changes nothing', () => {
    const newer = accept(active(), 'changeContact', { requestId: 'cc3', contactRevision: 3 }, '2026-06-10').state;
    const late = accept(newer, 'changeContact', { requestId: 'cc2', contactRevision: 2 }, '2026-06-11');
    expect(late.state).toMatchObject({ contactRevision: 3, contactChangedOn: '2026-06-10' });
    expect(late.effects).toEqual([]);
    expect(late.answer.contactRevision).toBe(3);
  });
  it('changeContact refused once the data is deleted (D-8: the day after the last day)', () => {
    const ended = run(active(), 'terminateForCause', {}, '2026-09-10').state;
    const deleted = step(ended, at('2026-09-11', '00:10')).state;
    refuseWith(deleted, 'changeContact', { requestId: 'cc', contactRevision: 2 }, '2026-09-12', '第30条 D-8', 'deleted on 2026-09-11');
  });
  it('retryFailedEffects: refused when nothing failed; accepted hands back the failed effects', () => {
    const s = pending();
    refuseWith(s, 'retryFailedEffects', { requestId: 're0' }, '2026-04-02', '運用 (operations)', 'no failed effect to retry');
    const approved = run(s, 'approve', { startDate: '2026-06-01' }, '2026-05-15');
    const failed = recordOutcomes(approved.state, approved.effects, [{ ok: false, reason: 'mailbox rejected' }], '2026-05-15');
    expect(failed.failedEffects).toEqual([{ effect: approved.effects[0], reason: 'mailbox rejected', on: '2026-05-15' }]);
    const d = accept(failed, 'retryFailedEffects', { requestId: 're1' }, '2026-05-16');
    expect(d.effects).toEqual(approved.effects);
    expect(noticeIds(d.effects)).toEqual([`${ID}:approved:application`]);
    expect(d.state.failedEffects).toEqual([]);
    expect(d.answer).toEqual({ summary: 'retrying 1 effect(s)', retried: ['notice'] });
  });
});

describe('a repeated request id', () => {
  it.each([
    ['approve', () => pending(), 'approve', { startDate: '2026-06-01' }, { startDate: '2026-06-02' }, '2026-05-15'],
    ['pay', () => run(active(), 'closeBillingPeriod', { period: '2026-06' }, '2026-07-01').state, 'pay', { amount: 129_800 }, { amount: 1 }, '2026-07-10'],
    ['cancel', () => active(), 'cancel', { endDate: '2026-11-22' }, { endDate: '2026-11-30' }, '2026-09-18'],
  ] as const)(
    '%s: the same again gets the first answer, no effect; other content or another command with that id is refused',
    (_l, make, name, first, second, today) => {
      const d1 = decide(make(), name, cmd(name, { requestId: 'same', ...first }), today);
      if (!d1.ok) throw new Error('first refused');
      expect(d1.effects.length).toBeGreaterThan(0);
      const d2 = decide(d1.state, name, cmd(name, { requestId: 'same', ...first }), today);
      expect(d2).toEqual({ ok: true, state: d1.state, effects: [], answer: d1.answer, repeated: true });
      if (d2.ok) expect(d2.state).toBe(d1.state);
      // Honest idempotency: the same request id with other content is not answered with the first.
      refuseWith(d1.state, name, { requestId: 'same', ...second } as never, today, 'requestId', `request id same was already used for another ${name}`);
      refuseWith(
        d1.state,
        'charge',
        { requestId: 'same', description: 'x', amount: 1, taxable: true },
        today,
        'requestId',
        `request id same was already used for ${name}`,
      );
    },
  );
});

describe('coverage', () => {
  it('the files together cover every command of COMMAND_NAMES', () => expect(Object.values(COVERAGE).flat().sort()).toEqual([...COMMAND_NAMES].sort()));
  it.each(COVERAGE.lifecycle!.map((n) => [n]))('%s was accepted and refused here', (name) => {
    expect(seen.accepted.has(name)).toBe(true);
    expect(seen.refused.has(name)).toBe(true);
  });
});
