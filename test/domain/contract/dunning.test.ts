// D-31: the dunning ladder's steps through `advance`. Standard contract (fixtures.ts): S 2026-06-01, June's
// invoice 129,800 issued 07-01, due Fri 2026-07-31 (D-11). With the ladder 3 / 14 / 5: reminder 07-31 − 3 =
// 07-28; Art. 27's overdue notice 08-01; second notice 07-31 + 14 = 08-14; suspension day 07-31 + 30 = 08-30
// (D-14, D-15), so the warning 08-30 − 5 = 08-25. Each at 00:10 JST.
import { describe, expect, it } from 'vitest';
import { adoptDunningLadder, advance, nextDeadline, pendingSteps, type ContractState, type Effect } from '../../../src/domain/contract';
import { DEFAULT_DUNNING, dunningProblems, NO_DUNNING, type DunningLadder } from '../../../src/domain/dunning';
import { active, at, bill, deepFreeze, ID, run } from './fixtures';

const LADDER: DunningLadder = { reminderDays: 3, secondNoticeDays: 14, warningDays: 5 };
const unpaid = (ladder: DunningLadder = LADDER) => adoptDunningLadder(bill(active(), '2026-06'), ladder);
const DUNNING = new Set(['paymentReminder', 'paymentSecondNotice', 'suspensionWarning']);
const notices = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'notice' ? [`${e.on} ${e.kind}`] : []));

/** Advance day by day (00:10) from `from` through `to`, collecting every effect. */
function walk(s: ContractState, from: string, to: string): { state: ContractState; effects: Effect[] } {
  const effects: Effect[] = [];
  for (let day = Date.parse(`${from}T00:10:00+09:00`); day <= Date.parse(`${to}T00:10:00+09:00`); day += 86_400_000) {
    const r = advance(s, day);
    s = r.state;
    effects.push(...r.effects);
  }
  return { state: s, effects };
}

describe('the ladder (D-31)', () => {
  it('lists each step of an unpaid invoice on its day, between Art. 27 and D-14', () => {
    expect(pendingSteps(unpaid()).map((s) => `${s.on} ${s.kind}`)).toEqual([
      '2026-07-28 paymentReminder',
      '2026-08-01 overdueNotice',
      '2026-08-14 paymentSecondNotice',
      '2026-08-25 suspensionWarning',
      '2026-08-30 overdueSuspension',
    ]);
  });

  const facts = { period: '2026-06', dueOn: '2026-07-31', outstanding: 129_800 };
  it.each([
    ['reminder', '2026-07-28', 'paymentReminder', { ...facts, article: '別表3 D-31' }],
    ['second notice (督促)', '2026-08-14', 'paymentSecondNotice', { ...facts, suspensionDay: '2026-08-30', payBy: '2026-08-29', article: '第27条 D-13 D-31' }],
    [
      'suspension warning',
      '2026-08-25',
      'suspensionWarning',
      { ...facts, suspensionDay: '2026-08-30', payBy: '2026-08-29', article: '第18条1項1号 D-14 D-31' },
    ],
  ] as const)('%s: not at 00:09 on %s, sent at 00:10, never again', (_l, day, kind, expected) => {
    const before = walk(unpaid(), '2026-07-02', day).state; // up to 00:10 of the day before's walk end
    const eve = walk(unpaid(), '2026-07-02', prev(day)).state;
    const early = advance(deepFreeze(eve), at(day, '00:09'));
    expect(early.effects.filter((e) => e.type === 'notice' && e.kind === kind)).toEqual([]);
    const r = advance(deepFreeze(eve), at(day, '00:10'));
    expect(r.effects).toContainEqual({ type: 'notice', id: `${ID}:${kind}:2026-06`, kind, on: day, facts: expected });
    expect(r.state.invoices[0]!.dunning?.[kind]).toEqual({ on: day, sent: true });
    expect(before.invoices[0]!.dunning?.[kind]).toEqual({ on: day, sent: true });
    // Never twice: the same instant again, and every later day.
    expect(advance(r.state, at(day, '00:10')).effects).toEqual([]);
    expect(notices(walk(r.state, day, '2026-08-29').effects).filter((n) => n.endsWith(kind))).toEqual([]);
  });

  it('runs the whole ladder once, in order, up to the suspension', () => {
    const { effects } = walk(unpaid(), '2026-07-02', '2026-09-10');
    expect(notices(effects)).toEqual([
      '2026-07-28 paymentReminder',
      '2026-08-01 paymentOverdue',
      '2026-08-14 paymentSecondNotice',
      '2026-08-25 suspensionWarning',
      '2026-08-30 suspended',
    ]);
  });

  it('sends nothing once the invoice is paid', () => {
    const paid = run(unpaid(), 'pay', { amount: 129_800 }, '2026-07-20').state;
    expect(pendingSteps(paid).filter((s) => DUNNING.has(s.kind))).toEqual([]);
    expect(notices(walk(paid, '2026-07-20', '2026-09-10').effects)).toEqual([]);
  });

  it('stops where the payment comes: paid after the overdue notice, no second notice or warning', () => {
    const { state } = walk(unpaid(), '2026-07-02', '2026-08-05');
    const paid = run(state, 'pay', { amount: 129_800 }, '2026-08-05').state;
    expect(notices(walk(paid, '2026-08-06', '2026-09-10').effects)).toEqual([]);
  });

  it('a partial payment keeps the ladder going, stating what is still owed', () => {
    const part = run(unpaid(), 'pay', { amount: 29_800 }, '2026-07-20').state;
    const r = advance(part, at('2026-07-28', '00:10'));
    expect(r.effects).toMatchObject([{ kind: 'paymentReminder', facts: { outstanding: 100_000 } }]);
  });

  it.each([
    ['reminder off', { ...LADDER, reminderDays: null }, 'paymentReminder'],
    ['second notice off', { ...LADDER, secondNoticeDays: null }, 'paymentSecondNotice'],
    ['warning off', { ...LADDER, warningDays: null }, 'suspensionWarning'],
  ] as const)('%s: that step never comes, the others do', (_l, ladder, off) => {
    const sent = notices(walk(unpaid(ladder), '2026-07-02', '2026-08-30').effects);
    expect(sent.some((n) => n.endsWith(off))).toBe(false);
    expect(sent.filter((n) => DUNNING.has(n.split(' ')[1]!))).toHaveLength(2);
  });

  it('all off (or a state from before the ladder): the overdue notice and the suspension only, as before', () => {
    const before = bill(active(), '2026-06');
    for (const s of [unpaid(NO_DUNNING), before]) {
      expect(notices(walk(s, '2026-07-02', '2026-08-30').effects)).toEqual(['2026-08-01 paymentOverdue', '2026-08-30 suspended']);
    }
  });

  it('turned on late: a step is sent late only until the next step comes; one past that is noted as passed, never sent', () => {
    const { state } = walk(unpaid(NO_DUNNING), '2026-07-02', '2026-08-19');
    // 08-20: the reminder's time ended with the overdue notice (08-01); the second notice's lasts until the warning (08-25).
    const r = advance(adoptDunningLadder(state, LADDER), at('2026-08-20', '00:10'));
    expect(notices(r.effects)).toEqual(['2026-08-20 paymentSecondNotice']);
    expect(r.state.invoices[0]!.dunning).toEqual({ paymentReminder: { on: '2026-08-20', sent: false }, paymentSecondNotice: { on: '2026-08-20', sent: true } });
    expect(notices(walk(r.state, '2026-08-20', '2026-08-30').effects)).toEqual(['2026-08-25 suspensionWarning', '2026-08-30 suspended']);
    // 08-26: only the warning is still in its time (until the suspension day).
    const late = advance(adoptDunningLadder(walk(unpaid(NO_DUNNING), '2026-07-02', '2026-08-25').state, LADDER), at('2026-08-26', '00:10'));
    expect(notices(late.effects)).toEqual(['2026-08-26 suspensionWarning']);
    expect(late.state.invoices[0]!.dunning).toMatchObject({ paymentReminder: { sent: false }, paymentSecondNotice: { sent: false } });
  });

  it('no warning of a suspension that cannot come: the contract ends before the suspension day', () => {
    const ending = run(unpaid(), 'terminateForConvenience', { endDate: '2026-08-20' }, '2026-07-20').state;
    expect(pendingSteps(ending).map((s) => s.kind)).toEqual(['paymentReminder', 'overdueNotice', 'paymentSecondNotice', 'contractEnd', 'overdueSuspension']);
    const sent = notices(walk(ending, '2026-07-20', '2026-08-30').effects);
    expect(sent.filter((n) => DUNNING.has(n.split(' ')[1]!))).toEqual(['2026-07-28 paymentReminder', '2026-08-14 paymentSecondNotice']);
  });

  it('none after the contract has ended', () => {
    const ended = run(unpaid(), 'terminateForCause', {}, '2026-07-20').state;
    expect(pendingSteps(ended).filter((s) => DUNNING.has(s.kind))).toEqual([]);
  });

  it('ops see no step of an invoice not yet due: paying on time changes nothing they see', () => {
    expect(nextDeadline(unpaid(), '2026-07-01')).toBeUndefined();
    expect(nextDeadline(walk(unpaid(), '2026-07-02', '2026-08-01').state, '2026-08-01')).toMatchObject({ kind: 'paymentSecondNotice', on: '2026-08-14' });
  });

  it('adopting the same ladder again changes nothing (no new state)', () => {
    const s = unpaid();
    expect(adoptDunningLadder(s, { ...LADDER })).toBe(s);
    expect(adoptDunningLadder(s, DEFAULT_DUNNING)).toBe(s); // the defaults are 3 / 14 / 5
    expect(adoptDunningLadder(s, NO_DUNNING).dunning).toEqual(NO_DUNNING);
  });
});

describe('the ladder as settings give it (D-31)', () => {
  it.each([
    [DEFAULT_DUNNING, []],
    [NO_DUNNING, []],
    [{ ...LADDER, reminderDays: 0 }, ['reminderDays: expected a whole number of days before the due day from 1 to 20, or off']],
    [{ ...LADDER, secondNoticeDays: 1 }, ['secondNoticeDays: expected a whole number of days after the due day from 2 to 29, or off']],
    [{ ...LADDER, warningDays: 29 }, ['warningDays: expected a whole number of days before the suspension day (due day + 30, D-14) from 1 to 28, or off']],
    [{ ...LADDER, reminderDays: 2.5 }, ['reminderDays: expected a whole number of days before the due day from 1 to 20, or off']],
    [
      { ...LADDER, secondNoticeDays: 25 },
      ['secondNoticeDays: the second notice (due day + 25) must come before the warning (suspension day − 5 = due day + 25)'],
    ],
    [{ ...LADDER, secondNoticeDays: 25, warningDays: null }, []],
  ] as Array<[DunningLadder, string[]]>)('%j → %j', (ladder, expected) => {
    expect(dunningProblems(ladder).map((p) => `${p.step}: ${p.message}`)).toEqual(expected);
  });
});

function prev(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
