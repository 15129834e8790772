// D-25…D-28 in the decider: approved changes keep their months whatever the order of requesting, approving and
// ending; credits settle the oldest invoice first; a suspension knows its grounds. Standard contract (fixtures.ts):
// 2 Linux, managed 38,000, cloud 30,000, fixed 68,000; S = 2026-06-01, minimum term to 2027-05-31.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, suspensionGrounds, type ContractState } from '../../../src/domain/contract';
import { feesOn, termsIn } from '../../../src/domain/contract/terms';
import { addMonths } from '../../../src/domain/calendar';
import { accept, active, at, bill, cmd, refuseWith, run, step } from './fixtures';

const LINUX = { os: 'linux' as const };
const FOUR = [LINUX, LINUX, LINUX, LINUX];

describe('every order of requesting, approving and ending a change (D-28)', () => {
  // A: 4 components from 2026-10 (approve on its day names the month). B: cloud 40,000 from 2026-08.
  // End: a cancellation on 2026-07-20 for 2026-09-30 (deadline 09-30 − 60 = 08-01, a Saturday → Fri 07-31, D-16).
  type Step = 'A' | 'B' | 'end';
  const days: Record<Step, [string, string]> = { A: ['2026-07-01', '2026-07-02'], B: ['2026-07-10', '2026-07-11'], end: ['2026-07-20', '2026-07-20'] };
  const apply = (s: ContractState, step: Step, at: [string, string]): { s: ContractState; refused?: string; dropped?: string[] } => {
    if (step === 'end') {
      const d = accept(s, 'cancel', { requestId: `end-${at[0]}`, endDate: '2026-09-30' }, at[0]);
      const facts = (d.effects[0] as { facts: { droppedChanges?: string[] } }).facts;
      return { s: d.state, dropped: facts.droppedChanges ?? [] };
    }
    const change = step === 'A' ? { components: FOUR } : { cloudMonthlyFee: 40_000 };
    const asked = decide(s, 'requestChange', cmd('requestChange', { requestId: `req-${step}-${at[0]}`, ...change }), at[0]);
    if (!asked.ok) return { s, refused: asked.refusal.message };
    const month = step === 'A' ? '2026-10' : '2026-08';
    const approved = decide(asked.state, 'approveChange', cmd('approveChange', { requestId: `ok-${step}-${at[1]}`, effectiveMonth: month }), at[1]);
    if (!approved.ok) return { s, refused: approved.refusal.message };
    return { s: approved.state };
  };
  // Each row: the order of the three steps (dated in that order, a month apart where needed), then what must hold.
  const orders: Array<[Step[], { months: string[]; august: number; october: number; dropped: string[]; refused: Step[] }]> = [
    // A (Oct) and B (Aug) both approved, then the end 09-30: A's month is after it → dropped, named in the notice.
    [['A', 'B', 'end'], { months: ['2026-08'], august: 78_000, october: 78_000, dropped: ['2026-10'], refused: [] }],
    [['B', 'A', 'end'], { months: ['2026-08'], august: 78_000, october: 78_000, dropped: ['2026-10'], refused: [] }],
    // The end first: every later request is refused (Art. 12-2: the contract ends).
    [['end', 'A', 'B'], { months: [], august: 68_000, october: 68_000, dropped: [], refused: ['A', 'B'] }],
    [['end', 'B', 'A'], { months: [], august: 68_000, october: 68_000, dropped: [], refused: ['B', 'A'] }],
    [['A', 'end', 'B'], { months: [], august: 68_000, october: 68_000, dropped: ['2026-10'], refused: ['B'] }],
    [['B', 'end', 'A'], { months: ['2026-08'], august: 78_000, october: 78_000, dropped: [], refused: ['A'] }],
  ];
  it.each(orders)('%j', (order, want) => {
    const slots: Array<[string, string]> = [days.A, days.B, days.end].sort();
    let s = active();
    const dropped: string[] = [];
    const refused: Step[] = [];
    order.forEach((step, i) => {
      const r = apply(s, step, slots[i]!);
      s = r.s;
      if (r.refused) refused.push(step);
      dropped.push(...(r.dropped ?? []));
    });
    expect(s.changes.map((c) => c.effectiveMonth).sort()).toEqual(want.months);
    expect(feesOn(s, '2026-08-01').fixedMonthlyFee).toBe(want.august);
    expect(feesOn(s, '2026-10-01').fixedMonthlyFee).toBe(want.october);
    expect(dropped).toEqual(want.dropped);
    expect(refused).toEqual(want.refused);
    // Nothing is ever billed for a month after the end (09-30): bill through 2026-11.
    const billed = bill(s, '2026-11');
    expect(billed.invoices.map((i) => i.period).at(-1)).toBe('2026-09');
    expect(billed.invoices.flatMap((i) => i.lines).filter((l) => l.kind === 'componentAddition' || l.kind === 'downgradeSettlement')).toEqual([]);
  });

  it('a change for an earlier month approved later keeps the later one and builds on it (the example of D-28)', () => {
    // December first (4 components), then October (Premium, 2 Linux kept): October brings Premium; December adds
    // the components on top: 50,000 + 4 × 25,000 = 150,000 managed (Appendix 2, Premium Linux band 1–5) + 30,000.
    let s = run(active(), 'requestChange', { components: FOUR }, '2026-07-01').state;
    s = run(s, 'approveChange', { effectiveMonth: '2026-12' }, '2026-07-02').state;
    s = run(s, 'requestChange', { plan: 'premium' }, '2026-07-10').state;
    s = run(s, 'approveChange', { effectiveMonth: '2026-10' }, '2026-07-11').state;
    expect(termsIn(s, '2026-09')).toMatchObject({ plan: 'standard', components: [LINUX, LINUX] });
    expect(termsIn(s, '2026-10')).toMatchObject({ plan: 'premium', components: [LINUX, LINUX] });
    expect(termsIn(s, '2026-12')).toMatchObject({ plan: 'premium', components: FOUR });
    expect(feesOn(s, '2026-10-01').fixedMonthlyFee).toBe(130_000); // 50,000 + 2 × 25,000 + 30,000
    expect(feesOn(s, '2026-12-01').fixedMonthlyFee).toBe(180_000);
    // December's addition fee counts from November's terms (2 components) to December's (4): 2 × 10,000.
    const december = bill(s, '2026-12').invoices.find((i) => i.period === '2026-12')!;
    expect(december.lines.filter((l) => l.kind === 'componentAddition').map((l) => l.amount)).toEqual([20_000]);
  });

  it('an approval for a month after a fixed end is refused, naming the end', () => {
    const requested = run(active(), 'requestChange', { components: FOUR }, '2026-07-01').state;
    const ending = run(requested, 'cancel', { endDate: '2026-09-30' }, '2026-07-02').state;
    refuseWith(
      ending,
      'approveChange',
      { requestId: 'late', effectiveMonth: '2026-10' },
      '2026-07-03',
      '第12条2項 D-3',
      'the contract ends on 2026-09-30, before 2026-10-01',
    );
  });
});

describe('D-25, D-26: the grounds of a suspension', () => {
  // June's invoice 129,800 is due 07-31: overdue notice 08-01, suspended for non-payment on 08-30 (D-14, D-15).
  const suspendedForNonPayment = () => step(step(bill(active(), '2026-06'), at('2026-08-01', '00:10')).state, at('2026-08-30', '00:10')).state;
  it('the back office suspends a contract suspended for non-payment; paying lifts only that ground; resume lifts the other', () => {
    const both = accept(suspendedForNonPayment(), 'suspend', { requestId: 'bo' }, '2026-08-31').state;
    expect(both.suspension).toEqual({ since: '2026-08-30', nonPayment: [{ on: '2026-08-30', periods: ['2026-06'] }], backOffice: { since: '2026-08-31' } });
    const paid = accept(both, 'pay', { requestId: 'p', amount: 129_800 }, '2026-09-01');
    expect(paid.state.status).toBe('suspended');
    expect(paid.effects.filter((e) => e.type === 'notice').map((e) => (e as { kind: string }).kind)).toEqual(['paymentReceived']);
    expect(suspensionGrounds(paid.state)).toEqual([{ ground: 'backOffice', since: '2026-08-31', rule: '第18条 D-26' }]);
    const resumed = accept(paid.state, 'resume', { requestId: 'rs' }, '2026-09-02');
    expect(resumed.state).toMatchObject({ status: 'active', suspension: null });
    refuseWith(both, 'suspend', { requestId: 'bo2' }, '2026-09-01', '第18条 D-26', 'already suspended the service on 2026-08-31');
  });
  it('resume is refused while only non-payment holds the service: it is lifted by paying (D-25)', () =>
    refuseWith(suspendedForNonPayment(), 'resume', { requestId: 'r' }, '2026-09-01', '第18条1項1号 D-14 D-25', 'suspended for non-payment of 2026-06'));
});

describe('invariants (fast-check)', () => {
  const months = ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01'];
  type Op = { kind: 'pay'; amount: number } | { kind: 'credit'; amount: number } | { kind: 'bill' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('pay' as const), amount: fc.integer({ min: 1, max: 300_000 }) }),
    fc.record({ kind: fc.constant('credit' as const), amount: fc.integer({ min: 1, max: 400_000 }) }),
    fc.record({ kind: fc.constant('bill' as const) }),
  );
  it('while a credit lasts, no invoice stays unpaid (D-27)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        let s = active();
        let m = 0;
        ops.forEach((o, i) => {
          const day = `${addMonths(months[Math.min(m, months.length - 1)]!, 1)}-0${1 + (i % 9)}`;
          if (o.kind === 'bill' && m < months.length) s = run(s, 'closeBillingPeriod', { period: months[m++]! }, `${addMonths(months[m - 1]!, 1)}-01`).state;
          else if (o.kind === 'pay') s = run(s, 'pay', { amount: o.amount, paidOn: day }, day).state;
          else if (o.kind === 'credit') s = run(s, 'charge', { description: 'reduction', amount: -o.amount, taxable: false }, day).state;
          if (s.credit > 0) expect(s.invoices.filter((inv) => inv.outstanding > 0)).toEqual([]);
          expect(s.credit).toBe(s.advances.reduce((a, x) => a + x.remaining, 0) + s.creditNotes.reduce((a, x) => a + x.remaining, 0));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('approving a change never removes another approved change, and a change after the end never bills (D-28)', () => {
    const change = fc.record({
      month: fc.constantFrom('2026-08', '2026-09', '2026-10', '2026-11', '2026-12'),
      components: fc.integer({ min: 1, max: 7 }),
    });
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 5 }), fc.constantFrom('2026-09-30', '2026-10-31', '2026-11-30', null), (changes, endDate) => {
        let s = active();
        changes.forEach((c, i) => {
          const before = s.changes;
          s = run(s, 'requestChange', { components: Array.from({ length: c.components }, () => LINUX) }, '2026-07-01').state;
          s = run(s, 'approveChange', { requestId: `ok-${i}`, effectiveMonth: c.month }, '2026-07-01').state;
          expect(s.changes.slice(0, before.length)).toEqual(before);
        });
        if (endDate) s = run(s, 'cancel', { endDate }, '2026-07-01').state;
        const billed = bill(s, '2027-01');
        const last = endDate ? endDate.slice(0, 7) : '9999-12';
        expect(billed.changes.every((c) => c.effectiveMonth <= last)).toBe(true);
        for (const inv of billed.invoices)
          if (inv.period > last) expect(inv.lines.filter((l) => l.kind === 'componentAddition' || l.kind === 'downgradeSettlement')).toEqual([]);
        // What the changes bill in total: 10,000 per component added month on month (Appendix 2), never more.
        const added = billed.invoices
          .flatMap((inv) => inv.lines)
          .filter((l) => l.kind === 'componentAddition')
          .reduce((a, l) => a + l.amount, 0);
        let expected = 0;
        for (let p = '2026-07'; p <= '2027-01' && p <= last; p = addMonths(p, 1))
          expected += Math.max(0, termsIn(billed, p).components.length - termsIn(billed, addMonths(p, -1)).components.length) * 10_000;
        expect(added).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });
});
