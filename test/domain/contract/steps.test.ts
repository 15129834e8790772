// Every automatic step (StepKind) through `advance`: one minute before its instant nothing happens; at it, it runs.
// Deemed rejections run at 00:00 JST, the others at 00:10 (STEP_MINUTE). Instants are written as ISO strings with +09:00.
// Standard contract: applied 2026-04-01, S 2026-06-01, fixed fee 68,000; June invoice 129,800 due 2026-07-31 (D-11).
import { describe, expect, it } from 'vitest';
import { advance, nextDeadline, pendingSteps, receive, stepDueAt, type ContractState, type Effect, type StepKind } from '../../../src/domain/contract';
import { active, at, bill, deepFreeze, ID, pending, run, standardApplication, step } from './fixtures';

const LINUX = { os: 'linux' as const };
const overdueNotified = () => step(bill(active(), '2026-06'), at('2026-08-01', '00:10')).state;
const overdueSuspended = () => step(overdueNotified(), at('2026-08-30', '00:10')).state;
// D-8: one effect — the deletion carries its dataDeleted notice, which it sends before it erases the address.
const deleted = (lastContractDay: string, deletionDay: string): Effect[] => [
  {
    type: 'deleteData',
    lastContractDay,
    deletionDay,
    notice: {
      type: 'notice',
      id: `${ID}:dataDeleted:deletion`,
      kind: 'dataDeleted',
      on: deletionDay,
      facts: { endDate: lastContractDay, article: '第30条 D-8' },
    },
  },
];

type Row = [string, StepKind, () => ContractState, string, string, (s: ContractState) => void, Effect[]];
const rows: Row[] = [
  // D-2: A + 61 = 2026-06-01 at 00:00; no reason given (Art. 10)
  [
    'deemed rejection of the application',
    'deemedRejection',
    pending,
    '2026-06-01',
    '00:00',
    (s) => expect(s).toMatchObject({ status: 'rejected', endedOn: '2026-06-01' }),
    [{ type: 'notice', id: `${ID}:deemedRejected:application`, kind: 'deemedRejected', on: '2026-06-01', facts: {} }],
  ],
  // Art. 12-2: requested 2026-07-10, window to 07-10 + 60 = 09-08, deemed rejected 09-09 at 00:00
  [
    'deemed rejection of a change request',
    'changeDeemedRejection',
    () => run(active(), 'requestChange', { requestId: 'chg', components: [LINUX] }, '2026-07-10').state,
    '2026-09-09',
    '00:00',
    (s) => {
      expect(s).toMatchObject({ status: 'active', pendingChange: null, changes: [] });
    },
    [{ type: 'notice', id: `${ID}:changeDeemedRejected:chg`, kind: 'changeDeemedRejected', on: '2026-09-09', facts: {} }],
  ],
  // Art. 27: overdue from the day after the due day 07-31
  [
    'overdue notice on due + 1',
    'overdueNotice',
    () => bill(active(), '2026-06'),
    '2026-08-01',
    '00:10',
    (s) => expect(s.invoices[0]).toMatchObject({ overdueNoticeSent: true, outstanding: 129_800 }),
    [
      {
        type: 'notice',
        id: `${ID}:paymentOverdue:2026-06`,
        kind: 'paymentOverdue',
        on: '2026-08-01',
        facts: { period: '2026-06', outstanding: 129_800, dueOn: '2026-07-31', article: '第27条 D-13' },
      },
    ],
  ],
  // D-14/D-15: 07-31 + 30 = 08-30 (exactly); the notice names the termination day 08-30 + 30 = 09-29
  [
    'overdue suspension on due + 30',
    'overdueSuspension',
    overdueNotified,
    '2026-08-30',
    '00:10',
    (s) =>
      expect(s).toMatchObject({
        status: 'suspended',
        suspension: { since: '2026-08-30', nonPayment: [{ on: '2026-08-30', periods: ['2026-06'] }], backOffice: null },
      }),
    [
      {
        type: 'notice',
        id: `${ID}:suspended:overdue-2026-08-30`,
        kind: 'suspended',
        on: '2026-08-30',
        facts: {
          outstanding: 129_800,
          invoices: [{ period: '2026-06', invoiceNumber: null, dueOn: '2026-07-31', outstanding: 129_800 }],
          alreadySuspended: false,
          terminationDay: '2026-09-29',
          article: '第18条1項1号 D-14 D-25',
        },
      },
    ],
  ],
  // Art. 29-1-4: suspended 08-30 + 30 = 09-29; ETF 2026-10 … 2027-05 = 8 × 68,000 = 544,000 (Art. 11-2, D-4)
  [
    'overdue termination on suspension + 30',
    'overdueTermination',
    overdueSuspended,
    '2026-09-29',
    '00:10',
    (s) => {
      expect(s).toMatchObject({ status: 'ended', endedOn: '2026-09-29', suspension: null });
      expect(s.end).toMatchObject({ lastDay: '2026-09-29', kind: 'terminationForCause', by: 'provider', earlyTerminationFee: 544_000 });
      expect(s.scheduledLines.map((l) => [l.period, l.line.kind, l.line.amount, l.line.taxable])).toEqual([['2026-09', 'earlyTermination', 544_000, false]]);
    },
    [
      {
        type: 'notice',
        id: `${ID}:terminated:non-payment`,
        kind: 'terminated',
        on: '2026-09-29',
        facts: { terminationDay: '2026-09-29', earlyTerminationFee: 544_000, article: '第29条1項 D-14' },
      },
    ],
  ],
  // the day after the last day 11-22; no 'terminated' notice for a cancellation; D-8 deletion follows at the same 00:10
  [
    'contract end after a cancellation',
    'contractEnd',
    () => run(active(), 'cancel', { endDate: '2026-11-22' }, '2026-09-01').state,
    '2026-11-23',
    '00:10',
    (s) => expect(s).toMatchObject({ status: 'ended', endedOn: '2026-11-23', dataDeletedOn: '2026-11-23' }),
    deleted('2026-11-22', '2026-11-23'),
  ],
  [
    'contract end after a renewal decline',
    'contractEnd',
    () => run(active(), 'declineRenewal', { by: 'customer' }, '2027-04-30').state,
    '2027-06-01',
    '00:10',
    (s) => expect(s).toMatchObject({ status: 'ended', endedOn: '2027-06-01' }),
    deleted('2027-05-31', '2027-06-01'),
  ],
  // Art. 29-3: the 'terminated' notice with the last day and the compensation 3 × 68,000
  [
    'contract end after a termination for convenience',
    'contractEnd',
    () => run(active(), 'terminateForConvenience', { endDate: '2026-10-10' }, '2026-09-10').state,
    '2026-10-11',
    '00:10',
    (s) => expect(s).toMatchObject({ status: 'ended', endedOn: '2026-10-11' }),
    [
      {
        type: 'notice',
        id: `${ID}:terminated:convenience`,
        kind: 'terminated',
        on: '2026-10-11',
        facts: { terminationDay: '2026-10-10', compensation: 204_000, article: '第29条3項 D-7' },
      },
      ...deleted('2026-10-10', '2026-10-11'),
    ],
  ],
  // D-8: ended for cause on 09-10 → deleted on 09-11
  [
    'data deletion the day after the last day',
    'dataDeletion',
    () => run(active(), 'terminateForCause', {}, '2026-09-10').state,
    '2026-09-11',
    '00:10',
    (s) => {
      expect(s).toMatchObject({ status: 'ended', dataDeletedOn: '2026-09-11' });
      // the notice the deletion carries is on the contract's record like any other
      expect(s.notices.at(-1)).toEqual({ id: `${ID}:dataDeleted:deletion`, kind: 'dataDeleted', on: '2026-09-11' });
    },
    deleted('2026-09-10', '2026-09-11'),
  ],
];

describe.each(rows)('%s', (_l, kind, make, day, hhmm, expectState, effects) => {
  it(`is the next step, due ${day} ${hhmm} JST`, () => {
    const next = pendingSteps(make())[0]!;
    expect(next).toMatchObject({ kind, on: day });
    expect(stepDueAt(next)).toBe(at(day, hhmm));
  });
  it('one minute before: not applied', () => {
    const s = deepFreeze(make());
    const r = advance(s, at(day, hhmm) - 60_000);
    expect(r).toEqual({ state: s, effects: [], applied: 0 });
  });
  it('at its instant: applied, the input untouched', () => {
    const s = make();
    const before = structuredClone(s);
    const r = step(deepFreeze(s), at(day, hhmm));
    expect(s).toEqual(before);
    expect(r.applied).toBe(kind === 'contractEnd' ? 2 : 1); // a contract end is followed by its deletion at the same 00:10
    expectState(r.state);
    expect(r.effects).toEqual(effects);
    expect(pendingSteps(r.state).map((p) => p.kind)).not.toContain(kind);
  });
});

describe('the overdue policy (D-14)', () => {
  it('full payment lifts an overdue suspension; a part payment does not', () => {
    const s = overdueSuspended();
    // paid 08-31: days = 08-31 − 07-31 − 1 = 30; part payment 100,000 → ⌊100,000 × 0.145 × 30 ÷ 365⌋ = ⌊435,000 ÷ 365⌋ = ⌊1,191.8⌋
    const part = run(s, 'pay', { amount: 100_000 }, '2026-08-31');
    expect(part.state.status).toBe('suspended');
    expect(part.answer.lateDamages).toBe(1_191);
    const full = run(part.state, 'pay', { requestId: 'full', amount: 29_800 }, '2026-09-01');
    expect(full.state).toMatchObject({ status: 'active', suspension: null });
    expect(full.effects.at(-1)).toEqual({
      type: 'notice',
      id: `${ID}:resumed:full`,
      kind: 'resumed',
      on: '2026-09-01',
      facts: { article: '第18条1項1号 D-14 D-25' },
    });
    expect(pendingSteps(full.state).map((p) => p.kind)).not.toContain('overdueTermination');
  });
  it('the periods are the domain’s (D-14, D-29): 30 days each, carried by no contract', () => {
    // suspend 30 days after the due day (07-31 + 30 = 08-30), terminate 30 days after (09-29)
    const s0 = receive(standardApplication()).state;
    expect(Object.keys(s0)).not.toContain('overduePolicy');
    const s = bill(step(run(s0, 'approve', { startDate: '2026-06-01' }, '2026-05-15').state, at('2026-06-01', '00:00')).state, '2026-06');
    expect(pendingSteps(s).map((p) => [p.kind, p.on])).toEqual([
      ['overdueNotice', '2026-08-01'],
      ['overdueSuspension', '2026-08-30'],
    ]);
    const suspended = step(step(s, at('2026-08-01', '00:10')).state, at('2026-08-30', '00:10')).state;
    expect(suspended.status).toBe('suspended');
    expect(pendingSteps(suspended)[0]).toMatchObject({ kind: 'overdueTermination', on: '2026-09-29' });
  });
  it('a manual suspension is never turned into a termination', () => {
    const s = run(active(), 'suspend', {}, '2026-07-01').state;
    expect(pendingSteps(s)).toEqual([]);
    expect(advance(s, at('2027-01-01', '00:10')).applied).toBe(0);
  });
});

describe('the deadline a step sets (actBy, the NextDeadline search attribute)', () => {
  it('is A + 60 for a pending application (D-2: a decision on A + 60 is in time), not the deemed-rejection day', () => {
    // applied 2026-04-01: A + 60 = 2026-05-31, deemed rejected 2026-06-01 at 00:00
    expect(nextDeadline(pending(), '2026-04-02')).toMatchObject({ kind: 'deemedRejection', on: '2026-06-01', actBy: '2026-05-31' });
  });
  it('is the day before any other step runs (a command that day sees the step done)', () => {
    expect(pendingSteps(overdueNotified())[0]).toMatchObject({ kind: 'overdueSuspension', on: '2026-08-30', actBy: '2026-08-29' });
  });
});
