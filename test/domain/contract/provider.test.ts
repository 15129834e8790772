// What the provider does to every contract (Art. 4 with D-17, Art. 5 with D-18, Art. 17-1-1) and the allowances of
// Appendix 2's notes (D-19). Standard contract: 2 Linux components, managed 20,000 + 2 × 9,000 = 38,000, cloud 30,000,
// fixed 68,000; S = Mon 2026-06-01, minimum term to 2027-05-31. The price rise used throughout, PL-2026-10, effective
// 2026-10: Standard base 22,000, bands 10,000 / 9,000 / 8,000 → managed 22,000 + 2 × 10,000 = 42,000, fixed 72,000.
import { describe, expect, it } from 'vitest';
import { contractView, decide, receive, type ContractState } from '../../../src/domain/contract';
import { upcomingLines } from '../../../src/domain/contract/view';
import { FIRST_PRICE_LIST } from '../../../src/domain/catalog';
import { catalogIn, priceListInForce, type PriceListChange } from '../../../src/domain/price-lists';
import { monthlyFees } from '../../../src/domain/pricing';
import { application, commands, parseWith } from '../../../src/domain/validation';
import { accept, active, at, bill, cmd, COVERAGE, CUSTOMER_ID, ID, pending, refuseWith, run, seen, step } from './fixtures';

const LINUX = { os: 'linux' as const };
const WINDOWS = { os: 'windows' as const };
const RISE: PriceListChange = { id: 'PL-2026-10', effectiveMonth: '2026-10', plans: { standard: { base: 22_000, bands: [10_000, 9_000, 8_000] } } };
const risen = (s: ContractState = active()) => run(s, 'announcePriceList', { version: RISE }, '2026-09-15').state;
const lines = (s: ContractState, period: string) => s.invoices.find((i) => i.period === period)!.lines.map((l) => [l.kind, l.amount, l.priceList ?? null]);
const scheduled = (s: ContractState) => upcomingLines(s).map((l) => [l.period, l.line.kind, l.line.amount, l.line.priceList ?? null]);

describe('the price list in force (D-17)', () => {
  const standard2 = { plan: 'standard' as const, components: [LINUX, LINUX], metricCapRelaxations: 1, cloudMonthlyFee: 30_000 };
  it('is the first version (Appendix 2 of 2025-04-01) until a change is in force', () => {
    expect(priceListInForce([], '2026-06').id).toBe('PL-2025-04');
    expect(priceListInForce([RISE], '2026-09')).toBe(FIRST_PRICE_LIST);
    // 38,000 + 1 × 2,000 option + 30,000
    expect(monthlyFees(standard2, catalogIn([RISE], '2026-09'))).toMatchObject({ managedMonthly: 38_000, fixedMonthlyFee: 70_000, priceList: 'PL-2025-04' });
  });
  it('from its effective month: the plans it names change, the rest carry over', () => {
    const v = priceListInForce([RISE], '2026-10');
    expect(v.id).toBe('PL-2026-10');
    expect(v.plans.standard.base).toBe(22_000);
    expect(v.plans.entry.base).toBe(10_000);
    expect(v.metricCapOptionPerComponent).toBe(2_000);
    // 22,000 + 2 × 10,000 = 42,000; + 2,000 option + 30,000 cloud
    expect(monthlyFees(standard2, catalogIn([RISE], '2027-03'))).toMatchObject({
      managedMonthly: 42_000,
      metricCapOption: 2_000,
      fixedMonthlyFee: 74_000,
      priceList: 'PL-2026-10',
    });
  });
  it('the latest by effective month, whatever the order announced; later versions lay over earlier ones', () => {
    const later: PriceListChange = {
      id: 'PL-2027-01',
      effectiveMonth: '2027-01',
      plans: { premium: { base: 55_000, bands: [26_000, 22_000, 16_000], windowsBands: [31_000, 26_000, 22_000] } },
      metricCapOptionPerComponent: 2_500,
    };
    expect(priceListInForce([later, RISE], '2026-12').id).toBe('PL-2026-10');
    const v = priceListInForce([later, RISE], '2027-01');
    expect(v.id).toBe('PL-2027-01');
    expect(v.plans.standard.base).toBe(22_000); // from PL-2026-10
    // Premium with a Windows component: 55,000 + 2 × 31,000 = 117,000; option 1 × 2,500
    const premium = { plan: 'premium' as const, components: [LINUX, WINDOWS], metricCapRelaxations: 1, cloudMonthlyFee: 0 };
    expect(monthlyFees(premium, catalogIn([later, RISE], '2027-01'))).toMatchObject({
      managedMonthly: 117_000,
      metricCapOption: 2_500,
      priceList: 'PL-2027-01',
    });
  });
});

describe('announcePriceList (Art. 4, D-17)', () => {
  it('accepted before its month: the notice on the day, no Art. 11-3 settlement', () => {
    const d = accept(active(), 'announcePriceList', { requestId: 'pl', version: RISE }, '2026-09-15');
    const facts = { effectiveMonth: '2026-10', priceListId: 'PL-2026-10', article: '第4条 D-17' };
    expect(d.effects).toEqual([{ type: 'notice', id: `${ID}:priceListChanged:PL-2026-10`, kind: 'priceListChanged', on: '2026-09-15', facts }]);
    expect(d.state.priceLists).toEqual([RISE]);
    expect(d.state.scheduledLines).toEqual([]);
  });
  it('invoices before the month use the old version, from it the new one; each line names its version', () => {
    const s = bill(bill(risen(), '2026-09', '2026-10-01'), '2026-10');
    expect(lines(s, '2026-09')).toEqual([
      ['managedMonthly', 38_000, 'PL-2025-04'],
      ['cloudMonthly', 30_000, null],
    ]);
    expect(lines(s, '2026-10')).toEqual([
      ['managedMonthly', 42_000, 'PL-2026-10'],
      ['cloudMonthly', 30_000, null],
    ]);
    // 72,000 + 7,200
    expect(s.invoices.find((i) => i.period === '2026-10')!.total).toBe(79_200);
  });
  it('a malformed version is refused field by field', () => {
    const actor = { id: 'system:test', role: 'system', via: 'system' };
    const parsed = parseWith(commands.announcePriceList, {
      requestId: 'x',
      actor,
      version: { id: 'PL 2026', effectiveMonth: '2026-7', plans: { premium: { base: 50_000, bands: [1, 2, 3] }, standard: { base: -1, bands: [1, 2, 3] } } },
    });
    expect(parsed).toEqual({
      ok: false,
      problems: [
        'version.id: a price-list version id is 1–64 letters, digits, . _ -',
        'version.effectiveMonth: expected a month YYYY-MM',
        'version.plans.standard.base: the base fee cannot be negative',
        'version.plans.premium.windowsBands: expected the per-component prices with any Windows component as three prices [1–5, 6–20, 21+ components] in whole yen',
      ],
    });
  });
  it('the same version again, under another request id: answered, no second effect', () => {
    const d = decide(risen(), 'announcePriceList', cmd('announcePriceList', { requestId: 'again', version: RISE }), '2026-09-20');
    if (!d.ok) throw new Error(d.refusal.message);
    expect(d.effects).toEqual([]);
    expect(d.state.priceLists).toEqual([RISE]);
    expect(d.state.notices.filter((n) => n.kind === 'priceListChanged')).toHaveLength(1);
  });
  it.each([
    ['on the first day of its month', () => active(), RISE, '2026-10-01', 'version.effectiveMonth: 2026-10 has already begun'],
    ['inside its month', () => active(), RISE, '2026-10-15', 'version.effectiveMonth: 2026-10 has already begun'],
    [
      'the same id with other content',
      () => risen(),
      { ...RISE, plans: { standard: { base: 23_000, bands: [10_000, 9_000, 8_000] } } },
      '2026-09-20',
      'version.id: PL-2026-10 was already announced with other content',
    ],
    ['a second version for the same month', () => risen(), { ...RISE, id: 'PL-2026-10b' }, '2026-09-20', 'version PL-2026-10 is already announced for 2026-10'],
    ['to a rejected application', () => run(pending(), 'reject', {}, '2026-04-10').state, RISE, '2026-09-15', 'not announced to a contract that is rejected'],
  ] as const)('refused %s', (_l, make, version, today, fragment) =>
    refuseWith(make(), 'announcePriceList', { requestId: 'pl', version: version as PriceListChange }, today, '第4条 D-17', fragment),
  );

  it('the ETF is the fee in force on the end day: a rise effective by then reprices an ETF already fixed', () => {
    // cancel on 07-01 for 2026-11-30 (deadline 10-01, a Thursday): ETF Dec … May = 6 × 68,000 = 408,000
    const cancelled = run(active(), 'cancel', { endDate: '2026-11-30' }, '2026-07-01').state;
    expect(cancelled.end!.earlyTerminationFee).toBe(408_000);
    // the rise is in force on 11-30: 6 × 72,000 = 432,000
    const s = risen(cancelled);
    expect(s.end!.earlyTerminationFee).toBe(432_000);
    expect(scheduled(s)).toEqual([['2026-11', 'earlyTermination', 432_000, 'PL-2026-10']]);
  });
  it('a cancellation after the rise: the ETF at the new fee', () => {
    // 2026-12-10 − 60 = Sun 10-11 → Sat 10-10 → Fri 10-09: a notice on 10-05 is on time; Jan … May = 5 × 72,000
    const s = run(risen(), 'cancel', { endDate: '2026-12-10' }, '2026-10-05').state;
    expect(scheduled(s)).toEqual([['2026-12', 'earlyTermination', 360_000, 'PL-2026-10']]);
  });
  it('a downgrade settlement prices old and new terms by the version of the approval day', () => {
    const requested = run(risen(), 'requestChange', { components: [LINUX] }, '2026-10-05').state;
    const s = run(requested, 'approveChange', {}, '2026-10-05').state;
    // (22,000 + 2 × 10,000 + 30,000) − (22,000 + 10,000 + 30,000) = 10,000 × Nov … May (7) = 70,000
    expect(scheduled(s)).toEqual([['2026-11', 'downgradeSettlement', 70_000, 'PL-2026-10']]);
  });
  it('the Art. 29-3 compensation: three months of the fees in force on the notice day', () => {
    expect(scheduled(run(risen(), 'terminateForConvenience', { endDate: '2026-12-31' }, '2026-09-20').state)).toEqual([
      ['2026-12', 'convenienceCompensation', -204_000, 'PL-2025-04'],
    ]);
    expect(scheduled(run(risen(), 'terminateForConvenience', { endDate: '2026-12-31' }, '2026-10-05').state)).toEqual([
      ['2026-12', 'convenienceCompensation', -216_000, 'PL-2026-10'],
    ]);
  });
});

describe('discontinueService (Art. 5, D-18)', () => {
  const P = '2026-09-01';
  it('accepted on P + 30: an active contract ends that day with no ETF, billed for its last month, data deleted the day after', () => {
    const d = accept(active(), 'discontinueService', { requestId: 'dc', postedOn: P, endDate: '2026-10-01' }, P);
    expect(d.state.end).toEqual({ lastDay: '2026-10-01', kind: 'serviceDiscontinuation', fixedOn: P, by: 'provider', earlyTerminationFee: 0, compensation: 0 });
    expect(d.state.scheduledLines).toEqual([]);
    const facts = { endDate: '2026-10-01', postedOn: P, emergency: false, earlyTerminationFee: 0, compensation: 0, article: '第5条 D-18' };
    expect(d.effects).toEqual([{ type: 'notice', id: `${ID}:serviceDiscontinued:2026-09-01-2026-10-01`, kind: 'serviceDiscontinued', on: P, facts }]);
    const ended = step(bill(d.state, '2026-09', '2026-10-01'), at('2026-10-02', '00:10')).state;
    expect(ended).toMatchObject({ status: 'ended', dataDeletedOn: '2026-10-02' });
    const last = bill(ended, '2026-10');
    expect(lines(last, '2026-10')).toEqual([
      ['managedMonthly', 38_000, 'PL-2025-04'],
      ['cloudMonthly', 30_000, null],
    ]);
    expect(last.billedThrough).toBe('2026-10');
  });
  it('an emergency may end any day from the posting on', () => {
    const d = accept(active(), 'discontinueService', { requestId: 'dc', postedOn: P, endDate: '2026-09-05', emergency: true }, P);
    expect(d.state.end).toMatchObject({ lastDay: '2026-09-05', earlyTerminationFee: 0 });
    expect(d.effects).toMatchObject([{ kind: 'serviceDiscontinued', facts: { endDate: '2026-09-05', emergency: true, article: '第5条2項 D-18' } }]);
  });
  it.each([
    [
      'at P + 29',
      { postedOn: P, endDate: '2026-09-30' },
      P,
      'endDate: 2026-09-30 is less than 30 days after the posting on 2026-09-01; the posting counts as delivered on 2026-10-01',
    ],
    ['an emergency before the posting', { postedOn: P, endDate: '2026-08-31', emergency: true }, P, 'endDate: 2026-08-31 is before the posting on 2026-09-01'],
    ['posted after today', { postedOn: '2026-09-02', endDate: '2026-10-31' }, P, 'postedOn: 2026-09-02 is after today 2026-09-01'],
    ['ending on a day past', { postedOn: '2026-08-01', endDate: '2026-08-31' }, '2026-09-05', 'endDate: 2026-08-31 has already passed'],
  ] as const)('refused %s', (_l, input, today, fragment) =>
    refuseWith(active(), 'discontinueService', { requestId: 'dc', ...input }, today, '第5条 D-18', fragment),
  );
  it('refused for a contract whose usage starts after the end day, and for one already ended', () => {
    refuseWith(
      active('2026-12-01'),
      'discontinueService',
      { requestId: 'dc', postedOn: P, endDate: '2026-10-31' },
      P,
      '第5条 D-18',
      "before this contract's usage start 2026-12-01",
    );
    refuseWith(
      run(active(), 'terminateForCause', {}, '2026-07-01').state,
      'discontinueService',
      { requestId: 'dc', postedOn: P, endDate: '2026-10-31' },
      P,
      '第5条 D-18',
      'the contract is ended',
    );
  });
  it('a pending application is rejected today, told of the discontinuation and the rejection', () => {
    const d = accept(pending(), 'discontinueService', { requestId: 'dc', postedOn: '2026-04-10', endDate: '2026-05-10' }, '2026-04-10');
    expect(d.state.status).toBe('rejected');
    expect(d.effects.map((e) => (e.type === 'notice' ? e.kind : e.type))).toEqual(['serviceDiscontinued', 'rejected']);
  });
  it('an earlier end already fixed is kept, with its ETF; the notice still goes', () => {
    const cancelled = run(active(), 'cancel', { endDate: '2026-09-30' }, '2026-07-01').state; // ETF Oct … May = 8 × 68,000
    const d = accept(cancelled, 'discontinueService', { requestId: 'dc', postedOn: P, endDate: '2026-10-31' }, P);
    expect(d.state.end).toMatchObject({ lastDay: '2026-09-30', kind: 'cancellation', earlyTerminationFee: 544_000 });
    expect(d.effects).toHaveLength(1);
  });
  it.each([
    ['a renewal decline', (s: ContractState) => run(s, 'declineRenewal', { by: 'customer' }, '2026-07-01').state],
    // ETF Jan … May = 5 × 68,000 = 340,000, dropped: the end is now the provider's doing (Art. 5-4)
    ['a cancellation with its ETF', (s: ContractState) => run(s, 'cancel', { endDate: '2026-12-31' }, '2026-07-01').state],
  ])('a later end — %s — is brought forward, without an ETF', (_l, make) => {
    const d = accept(make(active()), 'discontinueService', { requestId: 'dc', postedOn: P, endDate: '2026-10-31' }, P);
    expect(d.state.end).toMatchObject({ lastDay: '2026-10-31', kind: 'serviceDiscontinuation', earlyTerminationFee: 0, compensation: 0 });
    expect(d.state.scheduledLines).toEqual([]);
  });
  it('brought forward from an Art. 29-3 termination already noticed: the compensation promised on that day stays', () => {
    const noticed = run(active(), 'terminateForConvenience', { endDate: '2026-12-31' }, '2026-08-03').state; // 3 × 68,000
    const d = accept(noticed, 'discontinueService', { requestId: 'dc', postedOn: P, endDate: '2026-10-31' }, P);
    expect(d.state.end).toMatchObject({ lastDay: '2026-10-31', kind: 'serviceDiscontinuation', compensation: 204_000, earlyTerminationFee: 0 });
    expect(scheduled(d.state)).toEqual([['2026-10', 'convenienceCompensation', -204_000, 'PL-2025-04']]);
  });
  it('the same discontinuation again, under another request id: no second notice', () => {
    const once = run(active(), 'discontinueService', { postedOn: P, endDate: '2026-10-31' }, P).state;
    const d = decide(once, 'discontinueService', cmd('discontinueService', { requestId: 'again', postedOn: P, endDate: '2026-10-31' }), '2026-09-03');
    if (!d.ok) throw new Error(d.refusal.message);
    expect(d.effects).toEqual([]);
    expect(d.state.end).toEqual(once.end);
  });
});

describe('announceMaintenance (Art. 17-1-1, Art. 24-2-1)', () => {
  const window = { from: '2026-07-10T01:00:00+09:00', to: '2026-07-10T05:00:00+09:00' };
  it('accepted before the window: the notice with from and to; fees go on, no line', () => {
    const d = accept(active(), 'announceMaintenance', { requestId: 'mt', ...window }, '2026-07-01');
    expect(d.effects).toEqual([
      {
        type: 'notice',
        id: `${ID}:maintenanceScheduled:mt`,
        kind: 'maintenanceScheduled',
        on: '2026-07-01',
        facts: { ...window, emergency: false, article: '第17条1項1号' },
      },
    ]);
    expect(d.state.maintenance).toEqual([{ ...window, emergency: false, announcedOn: '2026-07-01' }]);
    expect(d.state.pendingLines).toEqual([]);
    const again = decide(d.state, 'announceMaintenance', cmd('announceMaintenance', { requestId: 'mt2', ...window }), '2026-07-02');
    expect(again.ok && again.effects).toEqual([]);
  });
  it('a window starting today (or earlier) is late unless an emergency; one already over is refused even then', () => {
    const today = { from: '2026-07-01T22:00:00+09:00', to: '2026-07-02T02:00:00+09:00' };
    refuseWith(
      active(),
      'announceMaintenance',
      { requestId: 'mt', ...today },
      '2026-07-01',
      '第17条1項1号',
      'from: the window starts 2026-07-01T22:00:00+09:00, not after today 2026-07-01',
    );
    expect(accept(active(), 'announceMaintenance', { requestId: 'mt', ...today, emergency: true }, '2026-07-01').effects).toHaveLength(1);
    // 2026-06-30T23:00Z is 07-01 08:00 JST: still 07-01 in Japan
    expect(
      accept(active(), 'announceMaintenance', { requestId: 'mt', from: '2026-06-30T20:00:00Z', to: '2026-06-30T23:00:00Z', emergency: true }, '2026-07-01')
        .effects,
    ).toHaveLength(1);
    refuseWith(
      active(),
      'announceMaintenance',
      { requestId: 'mt', from: '2026-06-30T01:00:00+09:00', to: '2026-06-30T05:00:00+09:00', emergency: true },
      '2026-07-01',
      '第17条1項1号',
      'to: the window ended on 2026-06-30',
    );
    refuseWith(pending(), 'announceMaintenance', { requestId: 'mt', ...window }, '2026-04-10', '第17条1項1号', 'while the contract is pending');
    // a cancellation for 2026-09-30 (notice 07-01, deadline 07-31) ends the contract before a window in October
    const cancelled = run(active(), 'cancel', { endDate: '2026-09-30' }, '2026-07-01').state;
    refuseWith(
      cancelled,
      'announceMaintenance',
      { requestId: 'mt', from: '2026-10-01T01:00:00+09:00', to: '2026-10-01T03:00:00+09:00' },
      '2026-07-02',
      '第17条1項1号',
      "after the contract's last day 2026-09-30",
    );
  });
  it('to must be after from (the schema)', () =>
    expect(
      commands.announceMaintenance.safeParse({ requestId: 'x', actor: { id: 'a', role: 'system', via: 'system' }, from: window.to, to: window.from }).success,
    ).toBe(false));
});

/** A contract of another plan, approved 2026-05-15 with S 2026-06-01. */
function approved(plan: 'entry' | 'premium', components: { os: 'linux' | 'windows' }[]): ContractState {
  const app = application.parse({ contractId: ID, customerId: CUSTOMER_ID, terms: { plan, components }, appliedOn: '2026-04-01' });
  return run(receive(app).state, 'approve', { startDate: '2026-06-01' }, '2026-05-15').state;
}
const rows = (s: ContractState) => contractView(s, '2026-09-01', 0).allowances;

describe('recordIncident, recordOpsWork (Appendix 2 notes, D-19)', () => {
  it('standard: 3 incidents a month included; the 4th is flagged, never billed; the month is Japan time', () => {
    let s = active();
    for (const atInstant of ['2026-07-02T10:00:00+09:00', '2026-07-09T10:00:00+09:00', '2026-07-20T10:00:00+09:00', '2026-07-31T23:30:00+09:00'])
      s = run(s, 'recordIncident', { at: atInstant }, '2026-08-01').state;
    s = accept(s, 'recordIncident', { requestId: 'inc', at: '2026-07-31T15:30:00Z' }, '2026-08-01').state; // 08-01 00:30 JST
    s = run(s, 'recordOpsWork', { on: '2026-07-15', hours: 1.25 }, '2026-07-15').state; // no ops included below Premium
    expect(rows(s)).toEqual([
      {
        month: '2026-07',
        incidents: 4,
        incidentsIncluded: 3,
        incidentsExcess: 1,
        opsHours: 1.25,
        opsHoursIncluded: 0,
        opsHoursExcess: 1.25,
        exceeded: true,
        rule: '別表2 D-19',
      },
      {
        month: '2026-08',
        incidents: 1,
        incidentsIncluded: 3,
        incidentsExcess: 0,
        opsHours: 0,
        opsHoursIncluded: 0,
        opsHoursExcess: 0,
        exceeded: false,
        rule: '別表2 D-19',
      },
    ]);
    expect(s.allowances).toEqual([
      { month: '2026-07', incidents: 4, opsQuarterHours: 5 },
      { month: '2026-08', incidents: 1, opsQuarterHours: 0 },
    ]);
    expect(s.pendingLines).toEqual([]);
  });
  it('premium: 1 ops hour per component in force; 3.5 hours on 3 components exceed by 0.5', () => {
    let s = approved('premium', [LINUX, LINUX, WINDOWS]);
    s = accept(s, 'recordOpsWork', { requestId: 'ops', on: '2026-06-10', hours: 2.5 }, '2026-06-10').state;
    s = run(s, 'recordOpsWork', { on: '2026-06-20', hours: 1 }, '2026-06-22').state;
    s = run(s, 'recordIncident', { at: '2026-06-21T03:00:00+09:00' }, '2026-06-22').state;
    expect(rows(s)).toEqual([
      {
        month: '2026-06',
        incidents: 1,
        incidentsIncluded: 3,
        incidentsExcess: 0,
        opsHours: 3.5,
        opsHoursIncluded: 3,
        opsHoursExcess: 0.5,
        exceeded: true,
        rule: '別表2 D-19',
      },
    ]);
  });
  it('entry: an incident is recorded with none included', () => {
    const s = run(approved('entry', [LINUX]), 'recordIncident', { at: '2026-06-05T12:00:00+09:00' }, '2026-06-05').state;
    expect(rows(s)).toEqual([
      {
        month: '2026-06',
        incidents: 1,
        incidentsIncluded: 0,
        incidentsExcess: 1,
        opsHours: 0,
        opsHoursIncluded: 0,
        opsHoursExcess: 0,
        exceeded: true,
        rule: '別表2 D-19',
      },
    ]);
  });
  it.each([
    [
      'before the usage start',
      () => active(),
      'recordIncident',
      { at: '2026-05-31T10:00:00+09:00' },
      '2026-06-02',
      'at: 2026-05-31 is before the usage start 2026-06-01',
    ],
    ['ahead of today', () => active(), 'recordOpsWork', { on: '2026-07-02', hours: 1 }, '2026-07-01', 'on: 2026-07-02 is after today 2026-07-01'],
    [
      'after the last contract day',
      () => run(active(), 'terminateForCause', {}, '2026-07-01').state,
      'recordOpsWork',
      { on: '2026-07-02', hours: 1 },
      '2026-07-03',
      'on: 2026-07-02 is after the last contract day 2026-07-01',
    ],
    ['while pending', () => pending(), 'recordIncident', { at: '2026-04-05T10:00:00+09:00' }, '2026-04-06', 'while the contract is pending'],
  ] as const)('refused %s', (_l, make, name, input, today, fragment) =>
    refuseWith(make(), name, { requestId: 'al', ...input } as never, today, '別表2 D-19', fragment),
  );
  it.each([[0], [-1], [0.3], [25]])('hours %s: refused by the schema (> 0, quarter hours, at most 24 a day)', (hours) =>
    expect(commands.recordOpsWork.safeParse({ requestId: 'x', actor: { id: 'a', role: 'clerk', via: 'console' }, on: '2026-07-01', hours }).success).toBe(
      false,
    ),
  );
  it('a clerk may record; a viewer may not', () => {
    const clerk = { id: 'u-1', role: 'clerk', via: 'console' } as const;
    expect(decide(active(), 'recordIncident', cmd('recordIncident', { requestId: 'c', at: '2026-07-01T10:00:00+09:00', actor: clerk }), '2026-07-01').ok).toBe(
      true,
    );
    const viewer = { id: 'u-2', role: 'viewer', via: 'console' } as const;
    const d = decide(active(), 'recordIncident', cmd('recordIncident', { requestId: 'v', at: '2026-07-01T10:00:00+09:00', actor: viewer }), '2026-07-01');
    expect(d.ok).toBe(false);
  });
});

it.each(COVERAGE.provider!.map((n) => [n]))('%s was accepted and refused here', (name) => {
  expect(seen.accepted.has(name)).toBe(true);
  expect(seen.refused.has(name)).toBe(true);
});
