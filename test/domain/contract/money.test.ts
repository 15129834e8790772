// Money commands: closeBillingPeriod (Appendix 3, D-10, D-11), pay (Appendix 3 §3, §5, Art. 27, D-13), reportOutage
// (Art. 24, D-12), recogniseDamages (Art. 21), penalty (Art. 26), charge (Appendix 2). Standard contract: managed 38,000,
// cloud 30,000, fixed 68,000, initial fee 50,000 (2 components ≤ 5), S = Mon 2026-06-01 (1st business day of June).
import { describe, expect, it } from 'vitest';
import type { ContractState } from '../../../src/domain/contract';
import { accept, active, bill, COVERAGE, ID, pending, refuseWith, run, seen } from './fixtures';

const LINUX = { os: 'linux' as const };
const figures = (s: ContractState) =>
  s.invoices.map((i) => ({
    period: i.period,
    taxable: i.taxableSubtotal,
    tax: i.tax,
    nonTaxable: i.nonTaxableSubtotal,
    total: i.total,
    outstanding: i.outstanding,
    dueOn: i.dueOn,
  }));
const lines = (s: ContractState, period: string) => s.invoices.find((i) => i.period === period)!.lines.map((l) => [l.kind, l.amount, l.taxable]);
// June: 50,000 + 38,000 + 30,000 = 118,000, tax 11,800 → 129,800, due 2026-07-31 (D-11). A plain month: 68,000 + 6,800 = 74,800.
const JUNE = { period: '2026-06', taxable: 118_000, tax: 11_800, nonTaxable: 0, total: 129_800, outstanding: 129_800, dueOn: '2026-07-31' };
const plain = (period: string, dueOn: string) => ({ period, taxable: 68_000, tax: 6_800, nonTaxable: 0, total: 74_800, outstanding: 74_800, dueOn });

describe('closeBillingPeriod (Appendix 3, D-10, D-11)', () => {
  it('accepted: the first month with the initial fee, its notice and answer', () => {
    const d = accept(active(), 'closeBillingPeriod', { requestId: 'b6', period: '2026-06' }, '2026-07-01');
    expect(figures(d.state)).toEqual([JUNE]);
    expect(lines(d.state, '2026-06')).toEqual([
      ['initialFee', 50_000, true],
      ['managedMonthly', 38_000, true],
      ['cloudMonthly', 30_000, true],
    ]);
    expect(d.state.invoices[0]).toMatchObject({ issuedOn: '2026-07-01', paid: 0, overdueNoticeSent: false, invoiceNumber: null });
    expect(d.state.billedThrough).toBe('2026-06');
    expect(d.effects).toEqual([
      { type: 'issueInvoice', period: '2026-06' },
      {
        type: 'notice',
        id: `${ID}:invoiceIssued:2026-06`,
        kind: 'invoiceIssued',
        on: '2026-07-01',
        facts: { period: '2026-06', invoiceTotal: 129_800, dueOn: '2026-07-31', article: '別表3 D-11' },
      },
    ]);
    expect(d.answer).toEqual({ summary: 'invoiced 2026-06', issued: ['2026-06'], billedThrough: '2026-06', alreadyClosed: false });
  });
  it.each([
    // S = Tue 2026-06-02, the 2nd business day: June's cloud fee waived; 50,000 + 38,000 = 88,000 + 8,800
    [
      'S on the 2nd business day',
      () => active('2026-06-02'),
      '2026-06',
      '2026-07-01',
      [{ ...JUNE, taxable: 88_000, tax: 8_800, total: 96_800, outstanding: 96_800 }],
    ],
    // missed runs caught up, oldest first; the July charge (5,000 taxable) lands on the latest invoice: 73,000 + 7,300
    [
      'catching up three months',
      () => run(active(), 'charge', { description: 'extra incident', amount: 5_000, taxable: true }, '2026-07-20').state,
      '2026-08',
      '2026-09-01',
      [JUNE, plain('2026-07', '2026-08-31'), { ...plain('2026-08', '2026-09-30'), taxable: 73_000, tax: 7_300, total: 80_300, outstanding: 80_300 }],
    ],
    // fees continue while suspended (Art. 25)
    [
      'a month spent suspended',
      () => run(bill(active(), '2026-06'), 'suspend', {}, '2026-07-02').state,
      '2026-07',
      '2026-08-01',
      [JUNE, plain('2026-07', '2026-08-31')],
    ],
    // D-10: 68,000 − 1,935 outage credit = 66,065; tax 6,606.5 → 6,606 (rounded down once) → 72,671
    [
      'tax rounded down once',
      () =>
        run(
          bill(active(), '2026-06'),
          'reportOutage',
          { scope: 'cloud', knownAt: '2026-07-10T09:00:00+09:00', restoredAt: '2026-07-12T10:00:00+09:00' },
          '2026-07-13',
        ).state,
      '2026-07',
      '2026-08-01',
      [JUNE, { ...plain('2026-07', '2026-08-31'), taxable: 66_065, tax: 6_606, total: 72_671, outstanding: 72_671 }],
    ],
    // Art. 26: 10,000 evaded + 20,000 surcharge, both taxed: 98,000 + 9,800
    [
      'a penalty',
      () => run(bill(active(), '2026-06'), 'penalty', { evadedAmount: 10_000 }, '2026-07-05').state,
      '2026-07',
      '2026-08-01',
      [JUNE, { ...plain('2026-07', '2026-08-31'), taxable: 98_000, tax: 9_800, total: 107_800, outstanding: 107_800 }],
    ],
    // last month of a cancellation at 2026-11-22: 74,800 + ETF 408,000 (6 × 68,000, non-taxable D-5) = 482,800
    [
      'the final month with the ETF',
      () => bill(run(active(), 'cancel', { endDate: '2026-11-22' }, '2026-09-01').state, '2026-10'),
      '2026-11',
      '2026-12-01',
      [
        JUNE,
        plain('2026-07', '2026-08-31'),
        plain('2026-08', '2026-09-30'),
        plain('2026-09', '2026-10-30'),
        plain('2026-10', '2026-11-30'), // D-20: 31 Oct is a Saturday, 31 Dec a bank holiday
        { ...plain('2026-11', '2026-12-30'), nonTaxable: 408_000, total: 482_800, outstanding: 482_800 },
      ],
    ],
    // downgrade effective 2026-08 (1 component): 29,000 + 30,000 = 59,000 + 5,900 + settlement 90,000 (non-taxable) = 154,900
    [
      'the month a downgrade takes effect',
      () => bill(run(run(active(), 'requestChange', { components: [LINUX] }, '2026-07-10').state, 'approveChange', {}, '2026-07-15').state, '2026-07'),
      '2026-08',
      '2026-09-01',
      [
        JUNE,
        plain('2026-07', '2026-08-31'),
        { period: '2026-08', taxable: 59_000, tax: 5_900, nonTaxable: 90_000, total: 154_900, outstanding: 154_900, dueOn: '2026-09-30' },
      ],
    ],
  ])('accepted: %s', (_l, make, period, today, expected) =>
    expect(figures(accept(make(), 'closeBillingPeriod', { requestId: 'b', period }, today).state)).toEqual(expected),
  );

  it('a compensation settles what is owed first, oldest due first, on its issue day (D-27)', () => {
    // end 2026-10-10, notice 09-10: October 68,000 + 6,800 − 204,000 = −129,200. June (129,800, due 07-31) to
    // September are unpaid: on 11-01 the credit settles 129,200 of June; 600 of June stays owed, July–September too.
    // Late damages (D-13, paid on 11-01): 11-01 − 07-31 − 1 = 92 days; ⌊129,200 × 0.145 × 92 ÷ 365⌋ = ⌊4,721.99⌋ = 4,721.
    const s = bill(run(active(), 'terminateForConvenience', { endDate: '2026-10-10' }, '2026-09-10').state, '2026-09');
    const d = accept(s, 'closeBillingPeriod', { requestId: 'b10', period: '2026-10' }, '2026-11-01');
    expect(figures(d.state).at(-1)).toEqual({ ...plain('2026-10', '2026-11-30'), nonTaxable: -204_000, total: -129_200, outstanding: 0 });
    expect(d.state.invoices.map((i) => [i.period, i.paid, i.outstanding])).toEqual([
      ['2026-06', 129_200, 600],
      ['2026-07', 0, 74_800],
      ['2026-08', 0, 74_800],
      ['2026-09', 0, 74_800],
      ['2026-10', -129_200, 0],
    ]);
    expect(d.state).toMatchObject({ credit: 0, creditNotes: [] });
    expect(d.state.pendingLines.map((l) => [l.kind, l.amount, l.taxable])).toEqual([['lateDamages', 4_721, false]]);
    expect(d.effects).toContainEqual({ type: 'applyCredit', fromPeriod: '2026-10', period: '2026-06', amount: 129_200 });
  });
  it('a compensation beyond everything owed is held as a refund due (D-7, D-27)', () => {
    // every invoice paid on its due day (June 129,800 on 07-31; July, August, September 74,800 on 08-31, 09-30, 10-30):
    // nothing is owed on 11-01, so all of October's −129,200 is held.
    let s = run(bill(active(), '2026-06'), 'pay', { amount: 129_800 }, '2026-07-31').state;
    s = run(bill(s, '2026-07'), 'pay', { amount: 74_800 }, '2026-08-31').state;
    s = run(bill(s, '2026-08'), 'terminateForConvenience', { endDate: '2026-10-10' }, '2026-09-10').state;
    s = run(s, 'pay', { amount: 74_800 }, '2026-09-30').state;
    s = run(bill(s, '2026-09'), 'pay', { amount: 74_800 }, '2026-10-30').state;
    const d = accept(s, 'closeBillingPeriod', { requestId: 'b10', period: '2026-10' }, '2026-11-01');
    expect(d.state.invoices.map((i) => i.outstanding)).toEqual([0, 0, 0, 0, 0]);
    expect(d.state.credit).toBe(129_200);
    expect(d.state.creditNotes).toEqual([{ period: '2026-10', remaining: 129_200 }]);
    expect(d.state.pendingLines).toEqual([]);
  });
  it('a month already billed is not billed again; a month after the end bills nothing', () => {
    const s = bill(active(), '2026-06');
    expect(accept(s, 'closeBillingPeriod', { requestId: 'again', period: '2026-06' }, '2026-07-02')).toMatchObject({
      effects: [],
      answer: { issued: [], summary: 'already closed through 2026-06', alreadyClosed: true },
    });
    const ended = run(run(active(), 'terminateForCause', {}, '2026-06-20').state, 'closeBillingPeriod', { period: '2026-06' }, '2026-07-01').state;
    expect(accept(ended, 'closeBillingPeriod', { requestId: 'b7', period: '2026-07' }, '2026-08-01').answer.issued).toEqual([]);
  });
  it.each([['2026-07'], ['2026-08']])('refused for %s on 2026-07-15 (not over yet)', (period) =>
    refuseWith(active(), 'closeBillingPeriod', { requestId: 'b', period }, '2026-07-15', '別表3 D-11', `${period} is not over yet`),
  );
});

describe('pay (Appendix 3 §3 oldest first, Art. 27 / D-13 late damages)', () => {
  const june = () => bill(active(), '2026-06');
  it.each([
    // days = payment day − due day (07-31) − 1; damages = ⌊129,800 × 0.145 × days ÷ 365⌋ (129,800 × 0.145 = 18,821)
    ['on the due day', '2026-07-31', 0, 0],
    ['the day after', '2026-08-01', 0, 0],
    ['two days after', '2026-08-02', 1, 51], // 18,821 ÷ 365 = 51.56
    ['19 days late', '2026-08-20', 19, 979], // 18,821 × 19 = 357,599 ÷ 365 = 979.7
    ['35 days late', '2026-09-05', 35, 1_804], // 07-31 → 09-05 is 36 days; 18,821 × 35 = 658,735 ÷ 365 = 1,804.7
  ])('paying June in full %s', (_l, today, days, damages) => {
    const d = accept(june(), 'pay', { requestId: 'py', amount: 129_800 }, today);
    expect(d.answer.allocations).toEqual([{ period: '2026-06', amount: 129_800, daysLate: days, lateDamages: damages }]);
    expect(d.state.pendingLines.map((l) => [l.kind, l.amount, l.taxable])).toEqual(damages ? [['lateDamages', damages, false]] : []);
    expect(d.state.invoices[0]).toMatchObject({ paid: 129_800, outstanding: 0 });
  });
  it('a payment recorded later counts as received on its day: damages run to the day received, not the day recorded', () => {
    // Received 08-02 (1 day late: 51), recorded 08-20 (it would be 19 days: 979).
    const d = accept(june(), 'pay', { requestId: 'late-entry', amount: 129_800, paidOn: '2026-08-02' }, '2026-08-20');
    expect(d.answer.allocations).toEqual([{ period: '2026-06', amount: 129_800, daysLate: 1, lateDamages: 51 }]);
    expect(d.answer.summary).toContain('received on 2026-08-02');
    expect(d.effects[0]).toMatchObject({ type: 'recordPayment', paidOn: '2026-08-02' });
    expect(d.effects[1]).toMatchObject({ type: 'notice', on: '2026-08-20' }); // the customer is told when it is recorded
  });
  it.each([
    ['after today', '2026-08-21', 'is after today 2026-08-20'],
    ['before the approval', '2026-05-14', 'is before the approval on 2026-05-15'],
    ['more than 31 days ago', '2026-07-19', 'more than 31 days ago'],
  ])('a payment dated %s is refused', (_l, paidOn, fragment) =>
    refuseWith(june(), 'pay', { requestId: 'bad-date', amount: 1000, paidOn }, '2026-08-20', '別表3§3 D-11', fragment),
  );
  it('oldest first, then an advance payment, set against the next invoice', () => {
    const d = accept(bill(june(), '2026-07'), 'pay', { requestId: 'py', amount: 200_000 }, '2026-08-20');
    // June 129,800 (19 days late: 979); the rest 70,200 to July (due 08-31, not late); July left 74,800 − 70,200 = 4,600
    expect(d.answer).toMatchObject({
      advance: 0,
      lateDamages: 979,
      allocations: [
        { period: '2026-06', amount: 129_800, daysLate: 19, lateDamages: 979 },
        { period: '2026-07', amount: 70_200, daysLate: 0, lateDamages: 0 },
      ],
    });
    expect(d.effects).toEqual([
      {
        type: 'recordPayment',
        paymentId: `${ID}:py`,
        paidOn: '2026-08-20',
        amount: 200_000,
        allocations: [
          { period: '2026-06', amount: 129_800 },
          { period: '2026-07', amount: 70_200 },
        ],
      },
      { type: 'notice', id: `${ID}:paymentReceived:py`, kind: 'paymentReceived', on: '2026-08-20', facts: { amount: 200_000, article: '別表3§3 D-11' } },
    ]);
    expect(d.state.invoices.map((i) => i.outstanding)).toEqual([0, 4_600]);
    const d2 = accept(d.state, 'pay', { requestId: 'py2', amount: 10_000 }, '2026-08-21'); // 4,600 to July, 5,400 in advance (no interest)
    expect(d2.answer).toMatchObject({ advance: 5_400, lateDamages: 0 });
    expect(d2.answer.summary).toContain('5400 yen held as advance payment');
    expect(d2.state).toMatchObject({ credit: 5_400, advances: [{ paymentId: `${ID}:py2`, remaining: 5_400 }] });
    // August: 68,000 taxable + 6,800 tax + 979 damages (non-taxable) = 75,779; the advance takes 5,400 → 70,379 outstanding
    const d3 = accept(d2.state, 'closeBillingPeriod', { requestId: 'b8', period: '2026-08' }, '2026-09-01');
    expect(figures(d3.state).at(-1)).toEqual({ ...plain('2026-08', '2026-09-30'), nonTaxable: 979, total: 75_779, outstanding: 70_379 });
    expect(d3.effects).toContainEqual({ type: 'allocateAdvance', paymentId: `${ID}:py2`, period: '2026-08', amount: 5_400 });
    expect(d3.state).toMatchObject({ credit: 0, advances: [] });
  });
  it.each([
    ['before approval', pending, 'nothing is owed before the application is approved'],
    ['once rejected', () => run(pending(), 'reject', {}, '2026-04-02').state, 'the application was rejected'],
  ])('refused %s', (_l, make, fragment) => refuseWith(make(), 'pay', { requestId: 'py', amount: 1_000 }, '2026-04-03', '別表3§3 D-11', fragment));
});

describe('reportOutage (Art. 24-2, D-12)', () => {
  const jun2 = () => active('2026-06-02'); // June's cloud fee waived (S on the 2nd business day)
  it.each([
    // row 1: 49 h → ⌊49 / 24⌋ = 2 days; 30,000 × 2 ÷ 31 = 1,935.48
    ['cloud, 49 h in July', active, 'cloud', '2026-07-10T09:00:00+09:00', '2026-07-12T10:00:00+09:00', false, 1_935],
    ['cloud, 23 h: under the 24 h threshold', active, 'cloud', '2026-07-10T09:00:00+09:00', '2026-07-11T08:00:00+09:00', false, 0],
    // row 4: 38,000 × 5 ÷ (24 × 31) = 190,000 ÷ 744 = 255.4
    ['managed, gross negligence, 5 h', active, 'managed', '2026-07-10T09:00:00+09:00', '2026-07-10T14:00:00+09:00', true, 255],
    // 41 days: 38,000 × 984 h ÷ 744 = 38,000 × 41 ÷ 31 = 50,258.06 — more than the month's 38,000: no cap
    ['managed, gross negligence, 41 days', active, 'managed', '2026-07-01T00:00:00+09:00', '2026-08-11T00:00:00+09:00', true, 50_258],
    // June charged its cloud fee (S = 06-01): 30,000 × 2 ÷ 30 = 2,000
    ['cloud, 48 h in a charged first month', active, 'cloud', '2026-06-10T00:00:00+09:00', '2026-06-12T00:00:00+09:00', false, 2_000],
    ['cloud, 48 h in the month whose cloud fee was waived', jun2, 'cloud', '2026-06-10T00:00:00+09:00', '2026-06-12T00:00:00+09:00', false, 0],
    // the managed fee is never waived: 38,000 × 2 ÷ 30 = 2,533.3
    ['managed, 48 h in that same month', jun2, 'managed', '2026-06-10T00:00:00+09:00', '2026-06-12T00:00:00+09:00', false, 2_533],
  ] as const)('accepted: %s', (_l, make, scope, knownAt, restoredAt, grossNegligence, credit) => {
    const d = accept(make(), 'reportOutage', { requestId: 'ou', scope, knownAt, restoredAt, grossNegligence }, '2026-08-12');
    expect(d.state.pendingLines.map((l) => [l.kind, l.amount, l.taxable, l.rule])).toEqual(credit ? [['outageCredit', -credit, true, '第24条 D-12']] : []);
    expect(d.answer.credit).toBe(credit); // toBe is Object.is: 0, not -0
    expect(d.answer.summary).toContain(credit ? `outage credit ${credit} yen on the next invoice` : 'no credit is due');
    expect(d.effects).toEqual([]);
  });
  it.each([
    ['before approval', pending, '2026-04-10T00:00:00+09:00', 'an outage report is not possible while the contract is pending'],
    ['for an outage before S', active, '2026-05-31T23:30:00+09:00', 'the outage began before the usage start 2026-06-01'], // still 05-31 in Japan
  ])('refused %s', (_l, make, knownAt, fragment) =>
    refuseWith(
      make(),
      'reportOutage',
      { requestId: 'ou', scope: 'cloud', knownAt, restoredAt: '2026-06-03T00:00:00+09:00' },
      '2026-06-05',
      '第24条 D-12',
      fragment,
    ),
  );
});

describe('recogniseDamages (Art. 21), penalty (Art. 26), charge (Appendix 2)', () => {
  const downgraded = () => run(run(active(), 'requestChange', { components: [LINUX] }, '2026-07-10').state, 'approveChange', {}, '2026-07-15').state;
  it.each([
    // recognised in July → the month after next, 2026-09; capped at the month's fixed fee
    ['below the cap', active, '2026-07-05', '2026-07-20', 5_000, '2026-09', 5_000],
    ['above the cap (68,000)', active, '2026-07-05', '2026-07-20', 100_000, '2026-09', 68_000],
    ['claimed on the 30th day (06-20 + 30 = 07-20)', active, '2026-06-20', '2026-07-20', 1_000, '2026-09', 1_000],
    // damage in August under the downgrade (fixed 59,000); recognised in August → October
    ["capped at that month's fee", downgraded, '2026-08-05', '2026-08-10', 100_000, '2026-10', 59_000],
  ])('recogniseDamages accepted %s', (_l, make, occurredOn, today, amount, period, reduction) => {
    const d = accept(make(), 'recogniseDamages', { requestId: 'dm', occurredOn, amount }, today);
    expect(d.state.scheduledLines.filter((l) => l.line.kind === 'damagesReduction').map((l) => [l.period, l.line.amount, l.line.taxable])).toEqual([
      [period, -reduction, true],
    ]);
    expect(d.answer).toMatchObject({ period, reduction });
    expect(d.effects).toEqual([]);
  });
  it.each([
    ['after 30 days', active, '2026-06-19', 'within 30 days of 2026-06-19, by 2026-07-19'],
    ['for a future day', active, '2026-07-21', 'is in the future'],
    ['before approval', pending, '2026-07-05', 'recognising damages is not possible while the contract is pending'],
  ])('recogniseDamages refused %s', (_l, make, occurredOn, fragment) =>
    refuseWith(make(), 'recogniseDamages', { requestId: 'dm', occurredOn, amount: 1_000 }, '2026-07-20', '第21条', fragment),
  );

  it('penalty: the evaded amount and twice it, both taxable; refused before approval', () => {
    const d = accept(active(), 'penalty', { requestId: 'pn', evadedAmount: 10_000 }, '2026-07-05');
    expect(d.state.pendingLines.map((l) => [l.kind, l.amount, l.taxable, l.rule])).toEqual([
      ['evadedCharge', 10_000, true, '第26条'],
      ['penaltySurcharge', 20_000, true, '第26条'],
    ]);
    expect(d.answer.summary).toBe('penalty of 30000 yen before tax on the next invoice');
    refuseWith(pending(), 'penalty', { requestId: 'pn', evadedAmount: 1 }, '2026-04-05', '第26条', 'a penalty is not possible while the contract is pending');
  });
  it.each([
    ['taxable', 5_000, true, '5000 yen (taxable) on the next invoice'],
    ['a non-taxable reduction', -3_000, false, '-3000 yen (non-taxable) on the next invoice'],
  ])('charge accepted: %s', (_l, amount, taxable, summary) => {
    const d = accept(active(), 'charge', { requestId: 'cg', description: 'ops hours', amount, taxable }, '2026-07-05');
    expect(d.state.pendingLines.map((l) => [l.kind, l.amount, l.taxable])).toEqual([['extraCharge', amount, taxable]]);
    expect(d.answer.summary).toBe(summary);
  });
  it('charge refused before approval', () =>
    refuseWith(
      pending(),
      'charge',
      { requestId: 'cg', description: 'x', amount: 1, taxable: true },
      '2026-04-05',
      '別表2',
      'an extra charge is not possible while the contract is pending',
    ));
});

it.each(COVERAGE.money!.map((n) => [n]))('%s was accepted and refused here', (name) => {
  expect(seen.accepted.has(name)).toBe(true);
  expect(seen.refused.has(name)).toBe(true);
});
