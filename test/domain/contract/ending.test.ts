// Ending the contract: cancellation (Art. 28), renewal decline (Art. 11), termination for cause / convenience (Art. 29),
// with the ETF (Art. 11-2, D-4) and the compensation (Art. 29-3, D-7). Standard contract: fixed fee 68,000, S 2026-06-01,
// minimum term to 2027-05-31. Calendar facts (holiday_jp): 2026-09-19 Sat, 20 Sun, 21 敬老の日, 22 国民の休日, 23 秋分の日;
// 2026-08-01 Sat, 08-02 Sun, 08-03 Mon.
import { describe, expect, it } from 'vitest';
import { quoteCancellation, type ContractState } from '../../../src/domain/contract';
import { upcomingLines } from '../../../src/domain/contract/view';
import { accept, active, COVERAGE, ID, pending, refuseWith, run, seen } from './fixtures';

const LINUX = { os: 'linux' as const };
const scheduled = (s: { scheduledLines: { period: string; line: { kind: string; amount: number; taxable: boolean }; tiedToEnd: boolean }[] }) =>
  upcomingLines(s as ContractState).map((l) => ({
    period: l.period,
    kind: l.line.kind,
    amount: l.line.amount,
    taxable: l.line.taxable,
    tiedToEnd: l.tiedToEnd,
  }));

describe('cancel (Art. 28, ETF D-4)', () => {
  it.each([
    // X − 60 = 2026-09-23 (holiday) → back over 22, 21 (holidays), 20, 19 (weekend) → Fri 09-18. ETF: 2026-12 … 2027-05 = 6 × 68,000.
    ['on the deadline moved back over holidays', '2026-09-18', '2026-11-22', 408_000],
    // X − 60 = 2026-08-01 (Sat) → Fri 07-31. ETF: 2026-10 … 2027-05 = 8 × 68,000.
    ['on the deadline moved back over a weekend', '2026-07-31', '2026-09-30', 544_000],
    // ending inside the minimum term's last month: no month after it remains (D-4).
    ['ending in the last month of the minimum term', '2027-03-01', '2027-05-15', 0],
    ["ending on the minimum term's last day", '2027-03-01', '2027-05-31', 0],
  ])('accepted %s', (_l, today, endDate, etf) => {
    const d = accept(active(), 'cancel', { requestId: 'cx', endDate }, today);
    expect(d.state.status).toBe('active');
    expect(d.state.end).toMatchObject({ lastDay: endDate, kind: 'cancellation', fixedOn: today, by: 'customer', earlyTerminationFee: etf });
    expect(Object.is(d.state.end!.compensation, 0)).toBe(true); // 0, not -0
    expect(scheduled(d.state)).toEqual(etf ? [{ period: endDate.slice(0, 7), kind: 'earlyTermination', amount: etf, taxable: false, tiedToEnd: true }] : []); // D-5
    const facts = { endDate, earlyTerminationFee: etf, article: '第28条 第11条2項 D-4 D-5' };
    expect(d.effects).toEqual([{ type: 'notice', id: `${ID}:cancellationAccepted:cx`, kind: 'cancellationAccepted', on: today, facts }]);
    expect(d.answer).toEqual({ summary: `cancellation accepted; the contract ends on ${endDate}`, ...facts });
  });
  it.each([
    // 09-19 > 09-18; earliest X: 11-23 − 60 = 09-24 (Thu, a business day) ≥ 09-19; 11-22 … 11-19 all fall back to 09-18.
    ['a day after the moved-back deadline', () => active(), '2026-09-19', '2026-11-22', ['had to arrive by 2026-09-18', 'can reach is 2026-11-23']],
    // 08-01 is X − 60 itself, but a Saturday: the deadline was 07-31; earliest X: 10-02 − 60 = Mon 08-03.
    ['on X − 60 when that is a Saturday', () => active(), '2026-08-01', '2026-09-30', ['had to arrive by 2026-07-31', 'can reach is 2026-10-02']],
    ['before approval', () => pending(), '2026-04-10', '2026-08-31', ['cancellation is not possible while the contract is pending']],
    [
      'for a day not before the fixed end',
      () => run(active(), 'declineRenewal', { by: 'customer' }, '2026-07-01').state,
      '2027-01-05',
      '2027-05-31',
      ['already ends on 2027-05-31'],
    ],
  ])('refused %s', (_l, make, today, endDate, fragments) => {
    for (const f of fragments) refuseWith(make(), 'cancel', { requestId: 'cx', endDate }, today, '第28条', f);
  });
});

describe('quoteCancellation (Art. 28)', () => {
  it.each([
    // notice 09-18: 11-17 − 60 = Fri 09-18, a business day → earliest end 11-17; ETF for 11-22: 6 × 68,000
    ['2026-09-18', true, '2026-11-17', 408_000],
    ['2026-09-19', false, '2026-11-23', 0],
  ])('notice on %s for 2026-11-22', (today, valid, earliestEndDay, earlyTerminationFee) =>
    expect(quoteCancellation(active(), '2026-11-22', today)).toMatchObject({
      valid,
      earliestEndDay,
      earlyTerminationFee,
      rule: '第28条',
      lastBilledMonth: '2026-11',
    }),
  );
});

/** S = Tue 2026-03-31 (applied 2026-03-02, approved 03-19): minimum term to 2027-03-30 (no clamping: 2027-03-31 exists). */
const start31 = () => active('2026-03-31', '2026-03-19', { appliedOn: '2026-03-02' });

describe('declineRenewal (Art. 11)', () => {
  it.each([
    ['early in the minimum term', active, '2026-07-01', 'customer', '2027-05-31', null],
    // one month before 2027-05-31 = 2027-04-30: still on time
    ['on the deadline', active, '2027-04-30', 'customer', '2027-05-31', null],
    // too late for 2027-05-31: the next term 2027-06-01 … 2027-06-30
    ['a day late', active, '2027-05-01', 'provider', '2027-06-30', 'declined after 2027-04-30 (one month before 2027-05-31)'],
    // after the minimum term: terms 06-01…06-30, 07-01…07-31 (current on 07-15, deadline 06-30 passed) → next 08-01…08-31
    ['after the minimum term', active, '2027-07-15', 'provider', '2027-08-31', 'declined after 2027-06-30 (one month before 2027-07-31)'],
    // S on the 31st: one month before 2027-03-30 is 2027-02-30 → clamped to 2027-02-28 (Art. 11)
    ['S on the 31st, on the clamped deadline', start31, '2027-02-28', 'customer', '2027-03-30', null],
    // late: next term from 2027-03-31, one month → 2027-04-31 does not exist → 2027-04-30
    ['S on the 31st, a day late', start31, '2027-03-01', 'customer', '2027-04-30', 'declined after 2027-02-28 (one month before 2027-03-30)'],
  ] as const)('accepted %s', (_l, make, today, by, endDate, late) => {
    const d = accept(make(), 'declineRenewal', { requestId: 'dr', by }, today);
    expect(d.state.end).toMatchObject({ lastDay: endDate, kind: 'renewalDeclined', by, fixedOn: today, earlyTerminationFee: 0 });
    expect(d.state.scheduledLines).toEqual([]);
    const facts = { endDate, earlyTerminationFee: 0, article: '第11条1項' };
    expect(d.effects).toEqual([{ type: 'notice', id: `${ID}:renewalDeclined:dr`, kind: 'renewalDeclined', on: today, facts }]);
    expect(d.answer).toMatchObject(facts);
    expect(d.answer.summary).toContain(
      late ? `${late}: applies to the next term; the contract ends on ${endDate}` : `renewal declined; the contract ends on ${endDate}`,
    );
  });
  it.each([
    ['before approval', pending, 'declining the renewal is not possible while the contract is pending'],
    ['once the end is fixed', () => run(active(), 'cancel', { endDate: '2026-11-22' }, '2026-09-01').state, 'the contract already ends on 2026-11-22'],
  ])('refused %s', (_l, make, fragment) => refuseWith(make(), 'declineRenewal', { requestId: 'dr', by: 'customer' }, '2026-10-01', '第11条1項', fragment));
});

describe('terminateForCause (Art. 29-1, ETF Art. 11-2)', () => {
  const downgraded = () => run(run(active(), 'requestChange', { components: [LINUX] }, '2026-07-10').state, 'approveChange', {}, '2026-07-15').state;
  it.each([
    // 2026-10 … 2027-05 = 8 months × 68,000
    ['while active', active, '2026-09-10', 544_000, []],
    ['while suspended', () => run(active(), 'suspend', {}, '2026-09-01').state, '2026-09-10', 544_000, []],
    // fee in force on the end day (D-4): 59,000 from 2026-08 → 8 × 59,000; the settlement of 2026-08 stays (9,000 × 10)
    [
      'after a downgrade',
      downgraded,
      '2026-09-10',
      472_000,
      [{ period: '2026-08', kind: 'downgradeSettlement', amount: 90_000, taxable: false, tiedToEnd: false }],
    ],
    ["in the minimum term's last month", active, '2027-05-10', 0, []],
    ['after the minimum term', active, '2027-07-10', 0, []],
  ])('accepted %s', (_l, make, today, etf, other) => {
    const d = accept(make(), 'terminateForCause', { requestId: 'tc', internalReason: 'fraud' }, today);
    expect(d.state).toMatchObject({ status: 'ended', endedOn: today, suspension: null });
    expect(d.state.end).toMatchObject({ lastDay: today, kind: 'terminationForCause', by: 'provider', fixedOn: today, earlyTerminationFee: etf });
    expect(scheduled(d.state)).toEqual([
      ...other,
      ...(etf ? [{ period: today.slice(0, 7), kind: 'earlyTermination', amount: etf, taxable: false, tiedToEnd: true }] : []),
    ]);
    const facts = { terminationDay: today, earlyTerminationFee: etf, article: '第29条1項' };
    expect(d.effects).toEqual([{ type: 'notice', id: `${ID}:terminated:tc`, kind: 'terminated', on: today, facts }]);
    expect(d.answer).toEqual({ summary: `terminated for cause on ${today}`, ...facts });
  });
  it.each([
    ['before approval', pending, 'pending'],
    ['once ended', () => run(active(), 'terminateForCause', {}, '2026-09-10').state, 'ended'],
  ])('refused %s', (_l, make, status) =>
    refuseWith(
      make(),
      'terminateForCause',
      { requestId: 'tc2' },
      '2026-09-11',
      '第29条1項',
      `termination for cause is not possible while the contract is ${status}`,
    ),
  );
});

describe('terminateForConvenience (Art. 29-3, D-7)', () => {
  const raised = () =>
    run(run(active(), 'requestChange', { components: [LINUX, LINUX, LINUX] }, '2026-07-10').state, 'approveChange', { effectiveMonth: '2026-10' }, '2026-07-15')
      .state;
  const cancelled = () => run(active(), 'cancel', { endDate: '2026-11-22' }, '2026-09-01').state;
  it.each([
    // 09-10 + 30 = 10-10 (20 days to 09-30, 10 more); compensation 3 × 68,000 = 204,000; no ETF (solely the provider's doing)
    ["with exactly 30 days' notice", active, '2026-10-10', []],
    // fees on the notice day (68,000 in September), not the 77,000 in force from 2026-10; the addition line stays
    ['before a raise takes effect', raised, '2026-10-31', [{ period: '2026-10', kind: 'componentAddition', amount: 10_000, taxable: true, tiedToEnd: false }]],
    // the cancellation's ETF (6 × 68,000) is dropped: the end is now the provider's doing
    ['replacing a cancellation', cancelled, '2026-10-31', []],
  ])('accepted %s', (_l, make, endDate, other) => {
    const d = accept(make(), 'terminateForConvenience', { requestId: 'tv', endDate }, '2026-09-10');
    expect(d.state.status).toBe('active');
    expect(d.state.end).toMatchObject({ lastDay: endDate, kind: 'terminationForConvenience', by: 'provider', earlyTerminationFee: 0, compensation: 204_000 }); // what the provider pays
    expect(scheduled(d.state)).toEqual([
      ...other,
      { period: endDate.slice(0, 7), kind: 'convenienceCompensation', amount: -204_000, taxable: false, tiedToEnd: true },
    ]);
    const facts = { endDate, compensation: 204_000, article: '第29条3項 D-7' };
    expect(d.effects).toEqual([{ type: 'notice', id: `${ID}:terminationNotice:tv`, kind: 'terminationNotice', on: '2026-09-10', facts }]);
    expect(d.answer).toEqual({ summary: `termination notice given; the contract ends on ${endDate}`, ...facts });
  });
  it.each([
    ["with 29 days' notice", active, '2026-10-09', "at least 30 days' notice; the earliest end day is 2026-10-10"],
    ['before approval', pending, '2026-12-31', 'termination for convenience is not possible while the contract is pending'],
  ])('refused %s', (_l, make, endDate, fragment) =>
    refuseWith(make(), 'terminateForConvenience', { requestId: 'tv', endDate }, '2026-09-10', '第29条3項 D-7', fragment),
  );
});

it.each(COVERAGE.ending!.map((n) => [n]))('%s was accepted and refused here', (name) => {
  expect(seen.accepted.has(name)).toBe(true);
  expect(seen.refused.has(name)).toBe(true);
});
