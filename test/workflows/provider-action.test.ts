/**
 * A provider-wide run on the dev server with the real worker, ledger and outbox: the service's
 * discontinuation (Art. 5, D-18) carried to every open contract found through visibility. The dry run
 * changes nothing and says what each contract would owe; the real run changes each contract once, with
 * the same figures; a second run changes nothing. A price list for a month that has begun is refused
 * before any contract is asked (D-17); a version is recorded in the ledger once.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { contractIds, createApprovedContracts, sleep } from '../../bench/harness';
import { ledgerAccessOf } from '../../src/backoffice/ledger-client';
import { startOfDayJst } from '../../src/domain/calendar';
import type { ProviderAction } from '../../src/domain/provider-actions';
import { outboxFileName } from '../../src/activities/mail/mailer';
import { SIMULATED_CLOCK_OFFSET_MEMO } from '../../src/simulation/workflow-clock';
import { stateQuery } from '../../src/workflows/contract/messages';
import { providerAction, type ProviderActionInput, type ProviderActionProgress } from '../../src/workflows/provider-action';
import { commandFixture, type CommandFixture } from '../faults/support';

let f: CommandFixture;
const ids = contractIds('PA', 4);
const PENDING = 'PA-PENDING';
const all = [...ids, PENDING].sort();
/** The contracts' calendar: 2026-04-01 once they are billable (created at the end of March). */
let offsetMs = 0;
const DISCONTINUE: ProviderAction = { command: 'discontinueService', input: { postedOn: '2026-04-01', endDate: '2026-05-15', emergency: false } };

beforeAll(async () => {
  f = await commandFixture();
  const created = await createApprovedContracts(f.client, {
    ids,
    taskQueue: f.taskQueue,
    ledger: ledgerAccessOf(f.deps.ledger),
    marginMs: 4000,
    concurrency: 4,
  });
  expect(created.late).toEqual([]);
  await sleep(Math.max(0, created.billableAt - Date.now()));
  offsetMs = startOfDayJst('2026-04-01') + 3_600_000 - Date.now(); // 01:00 JST on 1 April, on the runs' clock
  const { customerId } = await f.deps.ledger.customers.register({
    contractId: PENDING,
    contact: { name: '株式会社ペンディング', email: 'billing@pending.example.co.jp' },
  });
  await f.client.workflow.start('contract', {
    taskQueue: f.taskQueue,
    workflowId: PENDING,
    args: [
      {
        application: {
          contractId: PENDING,
          customerId,
          terms: { plan: 'standard', components: [{ os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 0 },
          appliedOn: '2026-04-01',
        },
      },
    ],
    memo: { [SIMULATED_CLOCK_OFFSET_MEMO]: offsetMs },
  });
  await f.settled(PENDING);
}, 240_000);
afterAll(() => f?.teardown());

async function run(workflowId: string, input: Omit<ProviderActionInput, 'requestedBy'>): Promise<ProviderActionProgress> {
  return f.client.workflow.execute(providerAction, {
    taskQueue: f.taskQueue,
    workflowId,
    args: [{ requestedBy: 'person:sv-1', ...input }],
    memo: { [SIMULATED_CLOCK_OFFSET_MEMO]: offsetMs },
  });
}
const figures = (runId: string) =>
  f.deps.ledger.providerActions.outcomes(runId).then((rows) =>
    rows.map((r) => ({
      contractId: r.contractId,
      outcome: r.outcome,
      status: r.preview?.status,
      lastDay: r.preview?.lastDay,
      etf: r.preview?.earlyTerminationFee,
      owes: r.preview?.owes,
      invoicesToCome: r.preview?.invoicesToCome,
    })),
  );

it("a discontinuation: the dry run changes nothing, the real run changes each open contract once with the dry run's figures, a second run changes nothing", async () => {
  const before = await Promise.all(all.map((id) => f.snapshot(id)));

  const dry = await run('discontinue-dry', { action: DISCONTINUE, dryRun: true });
  expect([dry.total, dry.changed, dry.unchanged, dry.refused, dry.failed]).toEqual([5, 5, 0, 0, []]);
  expect(await Promise.all(all.map((id) => f.snapshot(id)))).toEqual(before);
  const dryFigures = await figures('discontinue-dry');
  expect(dryFigures.map((r) => r.contractId)).toEqual(all);
  // Art. 5-4: no ETF inside the minimum term; the pending application is rejected; each active contract
  // owes its invoices for March (a day), April and the first half of May.
  for (const r of dryFigures.filter((x) => x.contractId !== PENDING)) {
    expect(r).toMatchObject({ outcome: 'changed', status: 'active', lastDay: '2026-05-15', etf: 0 });
    expect(r.invoicesToCome!.map((i) => i.period)).toEqual(['2026-03', '2026-04', '2026-05']);
    expect(r.owes).toBe(r.invoicesToCome!.reduce((a, i) => a + i.total, 0));
  }
  expect(dryFigures.find((r) => r.contractId === PENDING)).toMatchObject({ outcome: 'changed', status: 'rejected', owes: 0 });

  const real = await run('discontinue-1', { action: DISCONTINUE, dryRun: false });
  expect([real.total, real.changed, real.unchanged, real.refused, real.failed]).toEqual([5, 5, 0, 0, []]);
  // The same figures, read from each contract after it acted.
  expect((await figures('discontinue-1')).map(({ outcome: _o, ...x }) => x)).toEqual(dryFigures.map(({ outcome: _o, ...x }) => x));
  for (const id of all) {
    const view = await f.settled(id);
    expect(view.notices.filter((n) => n.kind === 'serviceDiscontinued')).toHaveLength(1);
    if (id !== PENDING) expect(view.endDate).toBe('2026-05-15');
    else expect(view.status).toBe('rejected');
    const sent = (await f.deps.ledger.listNotices(id)).filter((n) => n.kind === 'serviceDiscontinued' && n.status === 'sent');
    expect(sent).toHaveLength(1);
    expect(f.outbox.deliveries.get(outboxFileName(id, sent[0]!.noticeId))).toBe(1);
  }

  // The pending contract is rejected now, so the second run reaches the four active ones — each unchanged.
  const after = await Promise.all(ids.map((id) => f.snapshot(id)));
  const again = await run('discontinue-2', { action: DISCONTINUE, dryRun: false });
  expect([again.total, again.changed, again.unchanged, again.refused, again.failed]).toEqual([4, 0, 4, 0, []]);
  const afterAgain = await Promise.all(ids.map((id) => f.snapshot(id)));
  expect(afterAgain.map((s) => ({ ...s, events: s.events.filter((e) => !e.includes('UPDATE')) }))).toEqual(
    after.map((s) => ({ ...s, events: s.events.filter((e) => !e.includes('UPDATE')) })),
  );
  expect(afterAgain.map((s) => s.notices)).toEqual(after.map((s) => s.notices));
  expect(afterAgain.map((s) => s.outbox)).toEqual(after.map((s) => s.outbox));
}, 300_000);

it('a price list for a month that has begun is refused before any contract is asked; a version is in the ledger once, a conflicting one fails the run', async () => {
  const plans = { standard: { base: 22_000, bands: [9_500, 8_500, 7_600] as [number, number, number] } };
  const late: ProviderAction = { command: 'announcePriceList', input: { version: { id: 'PL-2026-04', effectiveMonth: '2026-04', plans } } };
  const refused = await run('price-late', { action: late, dryRun: false }).then(
    () => undefined,
    (err: unknown) => (err instanceof WorkflowFailedError ? err.cause : err),
  );
  expect(refused).toBeInstanceOf(ApplicationFailure);
  expect((refused as ApplicationFailure).type).toBe('ProviderActionRefused');
  expect((refused as ApplicationFailure).message).toMatch(/^input\.version\.effectiveMonth: 2026-04 has already begun \(today 2026-04-01\)/);
  expect(await f.deps.ledger.providerActions.outcomes('price-late')).toEqual([]);
  for (const id of ids) expect((await f.client.workflow.getHandle(id).query(stateQuery)).notices.filter((n) => n.kind === 'priceListChanged')).toEqual([]);

  const june: ProviderAction = { command: 'announcePriceList', input: { version: { id: 'PL-2026-06', effectiveMonth: '2026-06', plans } } };
  const first = await run('price-june', { action: june, dryRun: false });
  expect([first.changed, first.failed]).toEqual([4, []]);
  // The first version is Appendix 2 of 2025-04, recorded when the ledger opened.
  const recorded = await f.deps.ledger.providerActions.priceLists();
  expect(recorded.map((p) => [p.version.id, p.announcedOn, p.announcedBy])).toEqual([
    ['PL-2025-04', '2025-04-01', 'system:terms'],
    ['PL-2026-06', '2026-04-01', 'person:sv-1'],
  ]);
  expect(recorded[0]!.version.plans.standard).toEqual({ base: 20_000, bands: [9_000, 8_200, 7_400] });
  expect(recorded[0]!.version.plans.premium).toEqual({ base: 50_000, bands: [25_000, 21_000, 15_000], windowsBands: [30_000, 25_000, 21_000] });
  const conflicting: ProviderAction = {
    command: 'announcePriceList',
    input: { version: { id: 'PL-2026-06', effectiveMonth: '2026-06', plans: { standard: { ...plans.standard, base: 23_000 } } } },
  };
  const conflict = await run('price-june-2', { action: conflicting, dryRun: false }).then(
    () => undefined,
    (err: unknown) => (err instanceof WorkflowFailedError ? err.cause : err),
  );
  expect((conflict as ApplicationFailure).type).toBe('ProviderActionRefused');
  expect((conflict as ApplicationFailure).message).toMatch(/^input\.version\.id: PL-2026-06 is already recorded with other content/);
  expect(await f.deps.ledger.providerActions.priceLists()).toHaveLength(2);
}, 300_000);
