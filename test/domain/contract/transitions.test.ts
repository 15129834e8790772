// The transition table: every (from, to, by) of TRANSITIONS is reached by a command or a step here, every move seen is
// in the table, and moves it lacks are undefined. Then the contract year and the current term (Art. 11).
import { describe, expect, it } from 'vitest';
import { contractView, contractYearOn, TRANSITIONS, transitionFor, type ContractState } from '../../../src/domain/contract';
import type { ContractStatus } from '../../../src/domain/types';
import { active, at, bill, pending, run, seen, step } from './fixtures';

type Mover = Parameters<typeof transitionFor>[1];
/** The table as the rules describe it (Art. 8–12, 28–30; D-2, D-14), written out by hand. */
const EXPECTED: [ContractStatus, ContractStatus, Mover][] = [
  ['pending', 'approved', 'approve'],
  ['approved', 'active', 'usageStart'],
  ['pending', 'rejected', 'reject'],
  ['pending', 'rejected', 'deemedRejection'],
  ['pending', 'rejected', 'discontinueService'],
  ['active', 'suspended', 'suspend'],
  ['active', 'suspended', 'overdueSuspension'],
  ['suspended', 'active', 'resume'],
  ['suspended', 'active', 'paidInFull'],
  ['approved', 'ended', 'terminateForCause'],
  ['active', 'ended', 'terminateForCause'],
  ['suspended', 'ended', 'terminateForCause'],
  ['suspended', 'ended', 'overdueTermination'],
  ['active', 'ended', 'contractEnd'],
  ['suspended', 'ended', 'contractEnd'],
];
const MOVERS = [...new Set(EXPECTED.map((e) => e[2]))];

const overdueSuspended = () => step(step(bill(active(), '2026-06'), at('2026-08-01', '00:10')).state, at('2026-08-30', '00:10')).state; // due 07-31 + 30
const cancelled = () => run(active(), 'cancel', { endDate: '2026-11-22' }, '2026-09-01').state;

/** Art. 9 (D-34): approved on 04-10 with S = 2026-09-01, the contract waits for S. */
const approved = () => run(pending(), 'approve', { startDate: '2026-09-01' }, '2026-04-10').state;

const scenarios: [string, () => ContractState, ContractStatus][] = [
  ['approve before S: waits for S', approved, 'approved'],
  ['approve, then established at 00:00 of S', active, 'active'],
  ['approve on S itself: established at once', () => run(pending(), 'approve', { startDate: '2026-04-10' }, '2026-04-10').state, 'active'],
  ['terminate for cause before S', () => run(approved(), 'terminateForCause', {}, '2026-05-01').state, 'ended'],
  ['reject', () => run(pending(), 'reject', {}, '2026-04-10').state, 'rejected'],
  ['deemed rejection at 00:00 of A + 61', () => step(pending(), at('2026-06-01', '00:00')).state, 'rejected'],
  // Art. 5, D-18: posted 04-10, ending 05-10 (= P + 30): the pending application is rejected at once.
  [
    'service discontinued while pending',
    () => run(pending(), 'discontinueService', { postedOn: '2026-04-10', endDate: '2026-05-10' }, '2026-04-10').state,
    'rejected',
  ],
  ['suspend, then resume', () => run(run(active(), 'suspend', {}, '2026-07-01').state, 'resume', {}, '2026-07-02').state, 'active'],
  ['overdue suspension, then paid in full', () => run(overdueSuspended(), 'pay', { amount: 129_800 }, '2026-08-31').state, 'active'],
  ['overdue suspension, then overdue termination (08-30 + 30)', () => step(overdueSuspended(), at('2026-09-29', '00:10')).state, 'ended'],
  ['terminate for cause while active', () => run(active(), 'terminateForCause', {}, '2026-07-01').state, 'ended'],
  ['terminate for cause while suspended', () => run(run(active(), 'suspend', {}, '2026-07-01').state, 'terminateForCause', {}, '2026-07-02').state, 'ended'],
  ['contract end while active', () => step(cancelled(), at('2026-11-23', '00:10')).state, 'ended'],
  ['contract end while suspended', () => step(run(cancelled(), 'suspend', {}, '2026-11-01').state, at('2026-11-23', '00:10')).state, 'ended'],
];

describe('TRANSITIONS', () => {
  it('is the table of the rules', () => expect(TRANSITIONS.flatMap((t) => t.from.map((from) => [from, t.to, t.by]))).toEqual(EXPECTED));

  it.each(scenarios)('%s: ends %s', (_l, scenario, status) => expect(scenario().status).toBe(status));

  it('every row is exercised by the scenarios, and every move they make is in the table', () => {
    // Runs the scenarios itself from an empty record, so it holds alone and in any order.
    seen.moves.clear();
    for (const [, scenario] of scenarios) scenario();
    const rows = EXPECTED.map(([from, to, by]) => `${from} → ${to} by ${by}`);
    expect([...seen.moves].sort()).toEqual([...rows].sort());
    for (const move of seen.moves) {
      const [, from, to, by] = /^(\w+) → (\w+) by (\w+)$/.exec(move)!;
      expect(transitionFor(from as ContractStatus, by as Mover)?.to).toBe(to);
    }
  });

  it.each([
    ['ended', 'resume'],
    ['ended', 'approve'],
    ['ended', 'paidInFull'],
    ['ended', 'contractEnd'],
    ['rejected', 'approve'],
    ['pending', 'suspend'],
    ['approved', 'suspend'],
    ['approved', 'contractEnd'], // no end comes before S (Art. 28, Art. 5 refuse one)
    ['pending', 'usageStart'],
    ['pending', 'contractEnd'],
    ['active', 'resume'],
    ['active', 'paidInFull'],
    ['active', 'overdueTermination'],
    ['suspended', 'suspend'],
  ] as const)('no move from %s by %s', (from, by) => expect(transitionFor(from, by)).toBeUndefined());

  it.each([['ended'], ['rejected']] as const)('%s is final: no mover leaves it (e.g. ended → active)', (from) => {
    for (const by of MOVERS) expect(transitionFor(from, by)).toBeUndefined();
  });

  it('each row names its rule', () => {
    expect(transitionFor('pending', 'deemedRejection')?.rule).toBe('第8条 D-2');
    expect(transitionFor('suspended', 'overdueTermination')?.rule).toBe('第29条1項 D-14');
    expect(transitionFor('active', 'overdueSuspension')?.rule).toBe('第18条 D-14');
    expect(transitionFor('pending', 'discontinueService')?.rule).toBe('第5条 D-18');
  });
});

/** Approved contracts with S on various days of the month. */
const started = (startDate: string, appliedOn: string, approvedOn: string) => active(startDate, approvedOn, { appliedOn });

const TERMS: [string, string, string, [string, number, string][]][] = [
  // S = 2026-06-01: minimum term to 2027-05-31, then one calendar month after another
  [
    '2026-06-01',
    '2026-04-01',
    '2026-05-15',
    [
      ['2026-06-01', 0, '2027-05-31'],
      ['2027-05-31', 0, '2027-05-31'],
      ['2027-06-01', 1, '2027-06-30'],
      ['2027-07-01', 1, '2027-07-31'],
      ['2028-05-31', 1, '2028-05-31'], // year 1 ends the day before 2028-06-01
      ['2028-06-01', 2, '2028-06-30'],
    ],
  ],
  // S = 2026-03-31: minimum term to 2027-03-30; the renewal from 2027-03-31 ends on 2027-04-30 (no 04-31: the month's last day)
  [
    '2026-03-31',
    '2026-03-02',
    '2026-03-19',
    [
      ['2027-03-30', 0, '2027-03-30'],
      ['2027-03-31', 1, '2027-04-30'],
      ['2027-05-01', 1, '2027-05-31'],
      ['2028-03-30', 1, '2028-03-31'], // year 1 ends the day before 2028-03-31
      ['2028-03-31', 2, '2028-03-31'],
    ],
  ],
  // S = 2027-01-31: minimum term to 2028-01-30; renewal from 2028-01-31 → no 02-31 → 2028-02-29 (leap year)
  [
    '2027-01-31',
    '2027-01-04',
    '2027-01-20',
    [
      ['2028-01-30', 0, '2028-01-30'],
      ['2028-01-31', 1, '2028-02-29'],
      ['2028-03-01', 1, '2028-03-31'],
      ['2029-01-30', 1, '2029-01-31'],
      ['2029-01-31', 2, '2029-01-31'],
    ],
  ],
  // S = 2028-02-29 (Art. 11): one year ends 2029-02-28; two years end 2030-02-28 (no 02-29)
  [
    '2028-02-29',
    '2028-02-01',
    '2028-02-10',
    [
      ['2029-02-28', 0, '2029-02-28'],
      ['2029-03-01', 1, '2029-03-31'],
      ['2030-02-28', 1, '2030-02-28'],
      ['2030-03-01', 2, '2030-03-31'],
    ],
  ],
];
describe.each(TERMS)('S = %s: the contract year and the current term (Art. 11)', (startDate, appliedOn, approvedOn, days) => {
  const s = started(startDate, appliedOn, approvedOn);
  it.each(days)('on %s: year %i, term ends %s', (day, year, termEnd) => {
    expect(contractYearOn(s, day)).toBe(year);
    expect(contractView(s, day, 0).currentTermEnd).toBe(termEnd);
  });
});

describe('the current term before S, before approval and with a fixed end', () => {
  it('pending: year 0, no term yet', () => {
    expect(contractYearOn(pending(), '2026-05-01')).toBe(0);
    expect(contractView(pending(), '2026-05-01', 0).currentTermEnd).toBeNull();
  });
  it('approved, before S: year 0, the minimum term', () => {
    expect(contractYearOn(active(), '2026-05-20')).toBe(0);
    expect(contractView(active(), '2026-05-20', 0).currentTermEnd).toBe('2027-05-31');
  });
  it('a cancellation for 2026-11-22: the term in force ends then', () => expect(contractView(cancelled(), '2026-10-01', 0).currentTermEnd).toBe('2026-11-22'));
});
