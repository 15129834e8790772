/**
 * Chaos set-up: the production shape on one machine — the dev server on its SQLite file, the worker as
 * its own process (`npx tsx src/simulation/worker.ts`, the production worker with the simulator's clock, with TEMPORAL_ADDRESS and DATA_DIR), the ledger on PGlite in
 * DATA_DIR and mails as .eml files — and the check that after the faults every contract was billed exactly
 * once and every mail sent once, counted in the workflow, the ledger and the outbox.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { ContractView } from '../../src/domain/contract';
import { stateQuery } from '../../src/workflows/contract/messages';
import { ledgerClient } from '../../src/backoffice/ledger-client';
import {
  billableQuery,
  contractIds,
  createApprovedContracts,
  domainInvoice,
  readLedger,
  sleep,
  spawnWorker,
  startServer,
  pool,
  waitForCount,
  watchOutbox,
  type CreatedContracts,
  type Server,
  type WorkerProcess,
} from '../../bench/harness';

export interface Platform {
  server: Server;
  dataDir: string;
  taskQueue: string;
  /** The ledger's PostgreSQL when the platform runs on one (several workers share it), else PGlite in dataDir. */
  databaseUrl?: string;
  /** The worker processes, all on the task queue; `worker` is the first. */
  workers: WorkerProcess[];
  readonly worker: WorkerProcess;
  outbox: ReturnType<typeof watchOutbox>;
  /** Start worker `i` again (after a kill) and wait until it polls. */
  respawn(i?: number): Promise<WorkerProcess>;
  teardown(): Promise<void>;
}

/**
 * `workers` > 1 needs `databaseUrl` (PGlite is one process's). The workers share DATA_DIR — one outbox, as
 * hosts sharing a mail spool would — each with its own ledger socket and no metrics port.
 */
export async function platform(name: string, options: { databaseUrl?: string; workers?: number } = {}): Promise<Platform> {
  const count = options.workers ?? 1;
  if (count > 1 && !options.databaseUrl) throw new Error('several workers need the ledger on PostgreSQL (databaseUrl)');
  const dir = await mkdtemp(join(tmpdir(), `neutrix-chaos-${name}-`));
  const server = await startServer(join(dir, 'temporal'));
  const dataDir = join(dir, 'data');
  const taskQueue = `chaos-${name}`;
  const outbox = watchOutbox(dataDir);
  const launch = async (i: number) => {
    const env = options.databaseUrl
      ? { DATABASE_URL: options.databaseUrl, LEDGER_SOCKET: join(dataDir, 'run', i === 0 ? 'ledger.sock' : `ledger-${i}.sock`), METRICS_PORT: '0' }
      : undefined;
    const w = spawnWorker({ launcher: 'npx', address: server.address, dataDir, taskQueue, billingConcurrency: 10, env });
    await w.ready;
    return w;
  };
  const workers: WorkerProcess[] = [];
  for (let i = 0; i < count; i++) workers.push(await launch(i));
  const p: Platform = {
    server,
    dataDir,
    taskQueue,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    workers,
    get worker() {
      return workers[0]!;
    },
    outbox,
    async respawn(i = 0) {
      workers[i] = await launch(i);
      return workers[i]!;
    },
    async teardown() {
      await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
      outbox.close();
      await server.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return p;
}

/**
 * `n` contracts applied and approved through the platform's worker (ids `prefix-00000`…), started just
 * before their month's end on their own calendars, and waited for until the month is over and visibility
 * lists them all as billable: what a billing run over them needs.
 */
export async function billableContracts(p: Platform, prefix: string, n: number): Promise<CreatedContracts> {
  const created = await createApprovedContracts(p.server.client, {
    ids: contractIds(prefix, n),
    taskQueue: p.taskQueue,
    ledger: ledgerClient(join(p.dataDir, 'run', 'ledger.sock')),
    marginMs: 10_000,
    concurrency: 16,
  });
  if (created.late.length) throw new Error(`approved late (nothing to bill): ${created.late.slice(0, 3).join('; ')}`);
  await waitForCount(p.server.client, billableQuery, n);
  await sleep(Math.max(0, created.billableAt - Date.now()));
  return created;
}

const TaskStarted = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED;

/** Which worker identities ran the contracts' workflow tasks before and after `at`, and how many contracts changed worker across it. */
export async function workerShares(p: Platform, ids: readonly string[], at: number): Promise<{ before: Set<string>; after: Set<string>; moved: number }> {
  const before = new Set<string>();
  const after = new Set<string>();
  let moved = 0;
  await pool(ids, 8, async (id) => {
    const history = await p.server.client.workflow.getHandle(id).fetchHistory();
    const mine = { before: new Set<string>(), after: new Set<string>() };
    for (const e of history.events ?? []) {
      if (e.eventType !== TaskStarted) continue;
      const identity = e.workflowTaskStartedEventAttributes?.identity;
      if (!identity) continue; // a started event the server wrote itself (no worker named)
      (tsToMs(e.eventTime) < at ? mine.before : mine.after).add(identity);
    }
    for (const w of mine.before) before.add(w);
    for (const w of mine.after) after.add(w);
    if ([...mine.before].some((w) => !mine.after.has(w)) && mine.after.size) moved++;
  });
  return { before, after, moved };
}

/** Poll `fn` until it returns a value (not undefined), within `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 300_000, every = 200): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

export interface Audit {
  duplicates: string[];
  lost: string[];
}

/**
 * Every contract of `created` has exactly one invoice for the month with the domain's total, the notices
 * applicationReceived, approved, invoiceIssued (plus `extraNotices`) once each in its state and the ledger,
 * one .eml file each, and no mail was delivered twice. Queries the contracts (the worker must run), then
 * stops the workers and opens the ledger.
 */
export async function auditBilling(
  p: Platform,
  created: CreatedContracts,
  extra: { ids: string[]; notices: string[] } = { ids: [], notices: [] },
): Promise<Audit> {
  const duplicates: string[] = [];
  const lost: string[] = [];
  const billedNotices = ['applicationReceived', 'approved', 'invoiceIssued'];
  const expected = new Map<string, string[]>([
    ...created.ids.map((id) => [id, billedNotices] as const),
    ...extra.ids.map((id) => [id, extra.notices] as const),
  ]);
  // A bill's update answers before its effects are done when their local activity outlives the workflow
  // task — as when it waits out the claim (2 min) of a notice whose sender was killed. Effects are retried
  // until done: lost is what is still missing once every contract has settled (or 5 minutes have passed).
  const state = (id: string) => p.server.client.workflow.getHandle(id).query(stateQuery) as Promise<ContractView>;
  const settleBy = Date.now() + 300_000;
  for (const id of created.ids) while ((await state(id)).pendingEffects > 0 && Date.now() < settleBy) await sleep(1000);
  for (const id of created.ids) {
    const view = await state(id);
    const invoices = view.invoices.filter((i) => i.period === created.period);
    if (invoices.length > 1) duplicates.push(`${id}: ${invoices.length} invoices for ${created.period} in the workflow`);
    if (invoices.length === 0) lost.push(`${id}: no invoice for ${created.period} in the workflow`);
    if (view.pendingEffects !== 0) lost.push(`${id}: ${view.pendingEffects} effects not carried out`);
    if (view.failedEffects.length) lost.push(`${id}: failed effects ${JSON.stringify(view.failedEffects)}`);
    const kinds = view.notices.map((n) => n.kind);
    if (kinds.length > new Set(kinds).size) duplicates.push(`${id}: notices ${kinds.join(',')} in the workflow`);
  }
  await Promise.all(p.workers.map((w) => w.stop()));
  const ledger = await readLedger(p.dataDir, [...expected.keys()], p.databaseUrl);
  created.ids.forEach((id, i) => {
    const invoices = (ledger.invoices.get(id) ?? []).filter((x) => x.period === created.period);
    if (invoices.length > 1) duplicates.push(`${id}: ${invoices.length} invoices in the ledger`);
    if (invoices.length === 0) lost.push(`${id}: no invoice in the ledger`);
    const want = domainInvoice(created.applications[i]!, created.period, created.applications[i]!.appliedOn).total;
    if (invoices[0] && invoices[0].total !== want) lost.push(`${id}: invoice total ${invoices[0].total}, the domain says ${want}`);
  });
  for (const [id, kinds] of expected) {
    const got = ledger.notices.get(id) ?? [];
    for (const k of kinds) {
      const n = got.filter((g) => g === k).length;
      if (n > 1) duplicates.push(`${id}: ${n} ${k} notices in the ledger`);
      if (n === 0) lost.push(`${id}: no ${k} notice in the ledger`);
    }
  }
  const mails = [...expected.values()].reduce((a, k) => a + k.length, 0);
  if (ledger.emlFiles < mails) lost.push(`outbox: ${ledger.emlFiles} .eml files, expected ${mails}`);
  if (ledger.emlFiles > mails) duplicates.push(`outbox: ${ledger.emlFiles} .eml files, expected ${mails}`);
  duplicates.push(...p.outbox.duplicates().map((d) => `delivered more than once: ${d}`));
  if (!ledger.numbersGapFree) duplicates.push('invoice numbers are not 1..n without a gap');
  return { duplicates, lost };
}
