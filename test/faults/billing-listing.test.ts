/**
 * The billing run reads visibility with its own page token (each contract once, not every remaining one per
 * page), then sweeps the runs started since it began: a contract whose run starts mid-run sorts before the
 * token's place and would otherwise be missed. Real dev server, real workflows and activities; the test only
 * holds the run's first batch until a contract has started behind its back.
 */
import { ledgerAccessOf } from '../../src/backoffice/ledger-client';
import { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBillingRunActivities, CONTRACTS_TO_BILL_QUERY } from '../../src/activities/billing-run';
import type { CloseBatch, ContractsPage, ListPage } from '../../src/workflows/billing-run-activities';
import { contractIds, createApprovedContracts, sleep, startBillingRun, waitForCount } from '../../bench/harness';
import { testDataConverter, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';
import { commandFixture, type CommandFixture } from './support';
import { recordHistory } from '../helpers/histories';

let f: CommandFixture;
const ids = contractIds('L', 5);
let period = '';

beforeAll(async () => {
  f = await commandFixture();
  const created = await createApprovedContracts(f.client, {
    ids,
    taskQueue: f.taskQueue,
    ledger: ledgerAccessOf(f.deps.ledger),
    marginMs: 4000,
    concurrency: 5,
  });
  expect(created.late).toEqual([]);
  period = created.period;
  await waitForCount(f.client, CONTRACTS_TO_BILL_QUERY, ids.length, 60_000);
  await sleep(Math.max(0, created.billableAt - Date.now()));
}, 180_000);

afterAll(async () => {
  await f?.teardown();
});

it('pages through visibility by token: every contract once, the last page says so', async () => {
  const acts = createBillingRunActivities(new Client({ connection: f.env.nativeConnection, dataConverter: testDataConverter }));
  const seen: string[] = [];
  let token: string | null = null;
  let pages = 0;
  const inActivity = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }); // it heartbeats
  do {
    const args: ListPage = { pageSize: 2, nextPageToken: token };
    const page: ContractsPage = await inActivity.run(() => acts.listContractsToBillPage(args));
    seen.push(...page.ids);
    token = page.nextPageToken;
    pages++;
  } while (token !== null && pages < 10);
  expect([...seen].sort()).toEqual(ids);
  expect(pages).toBe(3);
});

it('a contract whose run starts during the billing run is billed by the sweep, every other once', async () => {
  const real = createBillingRunActivities(new Client({ connection: f.env.nativeConnection, dataConverter: testDataConverter }));
  const closed: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let held!: () => void;
  const firstBatchHeld = new Promise<void>((r) => (held = r));
  const taskQueue = uniqueTaskQueue('billing-gated');
  const worker = await Worker.create({
    connection: f.env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    dataConverter: testDataConverter,
    activities: {
      ...real,
      async closeContractPeriods(batch: CloseBatch) {
        held();
        await gate;
        closed.push(...batch.contractIds);
        return real.closeContractPeriods(batch);
      },
    },
  });
  let runId = '';
  const progress = await worker.runUntil(async () => {
    const run = await startBillingRun(f.client, { taskQueue, period, concurrency: 2, pageSize: 2 });
    runId = run.workflowId;
    await firstBatchHeld; // the first page is listed: its token is behind every run started from now on
    // (Its clock is already in the next month, so it has nothing of this one to bill: listed, not invoiced.)
    await createApprovedContracts(f.client, { ids: ['L-LATE'], taskQueue: f.taskQueue, ledger: ledgerAccessOf(f.deps.ledger), marginMs: 0, firstIndex: 5 });
    await waitForCount(f.client, CONTRACTS_TO_BILL_QUERY, ids.length + 1, 60_000);
    release();
    return run.result();
  });
  expect(progress.failed).toEqual([]);
  expect(progress.done).toBe(true);
  expect([...closed].sort()).toEqual([...ids, 'L-LATE'].sort()); // each once: none repeated, none missed
  // Billed: each of the contracts of the month, in the ledger and mailed; L-LATE started after the month.
  expect([progress.billed, progress.alreadyBilled, progress.nothingToBill]).toEqual([ids.length, 0, 1]);
  for (const id of ids) expect((await f.deps.ledger.listInvoices(id)).filter((i) => i.period === period)).toHaveLength(1);
  // A run of four pages and the sweep, kept for the replay test (test/workflows/replay.test.ts).
  if (process.env.RECORD_HISTORIES) await recordHistory(f.client, runId, 'billing-run.json');
}, 180_000);
