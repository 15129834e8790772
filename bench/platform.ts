/**
 * One platform round: a fresh server (a file-backed dev server, or with BENCH_CLUSTER a real cluster:
 * bench/cluster.ts) and fresh worker processes (one, or more on a PostgreSQL ledger), N contracts applied and
 * approved through the real workflow, found through visibility, then billed by the real `billingRun`
 * workflow. Measures contract starts per second, visibility lag, the billing run's wall time and rate,
 * the worker's RSS idle and with N contract workflows cached, and the CPU seconds each process spent.
 * Then, on the same server, the platform floor: the same number of updates with the same concurrency to
 * trivial cached workflows (bench/floor-workflow.ts), the most a billing run of N could approach.
 */
import { ledgerClient } from '../src/backoffice/ledger-client';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite, openPostgres } from '../src/activities';
import { pingUpdate } from './floor-messages';
import type { floorRun, floorTarget } from './floor-workflow';
import {
  billableQuery,
  contractIds,
  cpuDelta,
  cpuSnapshot,
  createApprovedContracts,
  domainInvoice,
  devServerCpuSeconds,
  freePort,
  pool,
  sleep,
  spawnWorker,
  startBillingRun,
  startServer,
  waitForCount,
  type WorkerProcess,
} from './harness';
import type { Client } from '@temporalio/client';

export interface RoundOptions {
  n: number;
  /** Contracts started (apply → approve) at once. */
  startConcurrency: number;
  /** The billing run's concurrency (BILLING_CONCURRENCY's default is 20). */
  billingConcurrency: number;
  /** WORKER_MAX_CACHED_WORKFLOWS for the worker process. */
  maxCachedWorkflows: number;
  /** --max-old-space-size for the worker process, MiB. */
  heapMiB: number;
  /** A PostgreSQL server for the ledger (a fresh database per round is made on it); unset: PGlite. */
  databaseUrl?: string;
  /** Also measure the platform floor on the round's server (default true). */
  floor?: boolean;
  /** Worker processes on the task queue (default 1); more than one needs `databaseUrl` (PGlite is one process's). */
  workers?: number;
  /** The round's server (default: a fresh dev server on a SQLite file; bench/cluster.ts: a real cluster). */
  server?: (dir: string) => Promise<BenchServer>;
  log: (line: string) => void;
}

/** The Temporal server of one round, as the round sees it. */
export interface BenchServer {
  address: string;
  client: Client;
  /** Settings the workers need besides TEMPORAL_ADDRESS (the namespace, TLS). */
  workerEnv: NodeJS.ProcessEnv;
  /** CPU seconds the server has used so far, its database's included where it has one of its own. */
  cpuSeconds(): number;
  output(): string;
  close(): Promise<void>;
}

/** A fresh file-backed dev server: the production dev server, its SQLite inside its own process. */
export async function devServer(dir: string): Promise<BenchServer> {
  const server = await startServer(join(dir, 'temporal'));
  return { address: server.address, client: server.client, workerEnv: {}, cpuSeconds: devServerCpuSeconds, output: server.output, close: server.close };
}

export interface CpuPerContract {
  server: number;
  worker: number;
  client: number;
}

export interface Round {
  n: number;
  startsPerSecond: number;
  createSeconds: number;
  /** Seconds from the last approval until visibility counted all N as billable. */
  visibleSeconds: number;
  billingSeconds: number;
  billedPerSecond: number;
  rssIdleMiB: number;
  rssCachedMiB: number;
  rssAfterBillingMiB: number;
  /** CPU milliseconds per contract by process, for apply → approve and for billing. */
  cpuStart: CpuPerContract;
  cpuBilling: CpuPerContract;
  /** Ledger check: invoices, and whether their sum equals the domain's. */
  invoices: number;
  totalsMatch: boolean;
  failed: number;
  late: number;
  /** The platform floor on the same server, after the billing run; absent when not measured. */
  floor?: Floor;
}

export interface Floor {
  seconds: number;
  updatesPerSecond: number;
  /** CPU milliseconds per update by process (the floor worker as `worker`). */
  cpu: CpuPerContract;
  /** Updates answered (should be N). */
  answered: number;
}

const MiB = 1024 * 1024;

/** BENCH_WORKER_NODE_ARGS: extra flags for the worker's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile a round. */
const workerNodeArgs = () => (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);

function perContract(d: ReturnType<typeof cpuDelta>, n: number): CpuPerContract {
  return { server: (d.server * 1000) / n, worker: (d.worker * 1000) / n, client: (d.client * 1000) / n };
}

/** A new, empty database on the server of `url` for one round; its URL. */
async function freshDatabase(url: string): Promise<string> {
  const name = `neutrix_bench_${Date.now()}`;
  const admin = await openPostgres(url, { max: 1 });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function platformRound(o: RoundOptions): Promise<Round> {
  const dir = await mkdtemp(join(tmpdir(), 'neutrix-bench-'));
  const count = o.workers ?? 1;
  if (count > 1 && !o.databaseUrl) throw new Error('more than one worker needs a PostgreSQL ledger (databaseUrl)');
  const server = await (o.server ?? devServer)(dir);
  const dataDir = join(dir, 'data');
  const taskQueue = 'bench';
  const ledgerUrl = o.databaseUrl ? await freshDatabase(o.databaseUrl) : undefined;
  const workers: WorkerProcess[] = [];
  for (let i = 0; i < count; i++) {
    workers.push(
      spawnWorker({
        launcher: 'node',
        address: server.address,
        dataDir,
        taskQueue,
        maxCachedWorkflows: o.maxCachedWorkflows,
        heapMiB: o.heapMiB,
        billingConcurrency: o.billingConcurrency,
        nodeArgs: workerNodeArgs(),
        env: {
          ...server.workerEnv,
          ...(ledgerUrl ? { DATABASE_URL: ledgerUrl } : {}),
          // Workers sharing DATA_DIR (the outbox): each its own ledger socket and metrics port.
          ...(i > 0 ? { LEDGER_SOCKET: join(dataDir, 'run', `ledger-${i}.sock`), METRICS_PORT: String(await freePort()) } : {}),
        },
      }),
    );
  }
  const worker = workers[0]!;
  const cpu = () => cpuSnapshot(workers, () => server.cpuSeconds());
  try {
    await Promise.all(workers.map((w) => w.ready));
    await sleep(2000);
    const rssIdleMiB = worker.rssBytes() / MiB;

    const c0 = cpu();
    const ledger = ledgerClient(join(dataDir, 'run', 'ledger.sock'));
    const created = await createApprovedContracts(server.client, {
      ids: contractIds(`N${o.n}`, o.n),
      taskQueue,
      ledger,
      concurrency: o.startConcurrency,
      marginMs: 20_000,
    });
    const c1 = cpu();
    const lastApproval = Date.now();
    o.log(
      `  ${o.n} contracts applied and approved in ${(created.ms / 1000).toFixed(1)} s (${((o.n * 1000) / created.ms).toFixed(1)}/s)${created.late.length ? `; ${created.late.length} approved too late to bill` : ''}`,
    );

    await waitForCount(server.client, billableQuery, o.n);
    const visibleSeconds = (Date.now() - lastApproval) / 1000;
    await sleep(3000); // let the last notices go out before reading the worker's memory
    const rssCachedMiB = worker.rssBytes() / MiB;
    await sleep(Math.max(0, created.billableAt - Date.now()));

    const b0 = cpu();
    const t0 = Date.now();
    const run = await startBillingRun(server.client, { taskQueue, period: created.period, concurrency: o.billingConcurrency });
    const progress = await run.result();
    const billingSeconds = (Date.now() - t0) / 1000;
    const b1 = cpu();
    const rssAfterBillingMiB = worker.rssBytes() / MiB;
    o.log(
      `  billed ${progress.billed} (already ${progress.alreadyBilled}, failed ${progress.failed.length}) in ${billingSeconds.toFixed(1)} s (${(o.n / billingSeconds).toFixed(1)}/s)`,
    );

    await Promise.all(workers.map((w) => w.stop()));
    // The ledger holds the same invoices the domain computes: count and total.
    const db = ledgerUrl ? await openPostgres(ledgerUrl) : await openPglite(join(dataDir, 'ledger'));
    const row = (
      await db.query<{ n: number | string; total: number | string | null }>('SELECT count(*)::int AS n, sum(total)::bigint::text AS total FROM invoices')
    ).rows[0]!;
    await db.close();
    const expected = created.applications.reduce((a, app) => a + domainInvoice(app, created.period, app.appliedOn).total, 0);
    const floor = o.floor === false ? undefined : await platformFloor(server, o, dir);

    return {
      n: o.n,
      startsPerSecond: (o.n * 1000) / created.ms,
      createSeconds: created.ms / 1000,
      visibleSeconds,
      billingSeconds,
      billedPerSecond: o.n / billingSeconds,
      rssIdleMiB,
      rssCachedMiB,
      rssAfterBillingMiB,
      cpuStart: perContract(cpuDelta(c0, c1), o.n),
      cpuBilling: perContract(cpuDelta(b0, b1), o.n),
      invoices: Number(row.n),
      totalsMatch: Number(row.total) === expected,
      failed: progress.failed.length,
      late: created.late.length,
      ...(floor ? { floor } : {}),
    };
  } catch (err) {
    o.log(`  failed; the server said:\n${server.output().slice(-4000)}\n  the worker said:\n${workers.map((w) => w.output().slice(-3000)).join('\n---\n')}`);
    throw err;
  } finally {
    await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
    await server.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The platform floor: N trivial workflows (bench/floor-workflow.ts), all cached in their own worker process
 * (cap and heap as the contract worker's), then N updates sent by `floorRun` — from an activity over that
 * worker's native connection, in the billing run's batches and with its concurrency. The updates go out from
 * the worker, not from the bench process, because that is where the billing run sends them: the same gRPC
 * stack (core's, not @grpc/grpc-js) in the same process whose CPU the "worker" column counts, so the CPU per
 * update and the rate compare with the billing run's one for one. Measured from the start of `floorRun` to
 * its result, like the billing run (whose figure also includes its visibility listing and count).
 */
async function platformFloor(server: BenchServer, o: RoundOptions, dir: string): Promise<Floor> {
  const taskQueue = 'bench-floor';
  const worker = spawnWorker({
    launcher: 'node',
    script: 'bench/floor-worker.ts',
    address: server.address,
    dataDir: dir, // unused by the floor worker
    taskQueue,
    env: server.workerEnv,
    maxCachedWorkflows: o.maxCachedWorkflows,
    heapMiB: o.heapMiB,
  });
  try {
    await worker.ready;
    const ids = contractIds(`FLOOR${o.n}`, o.n);
    const t0 = Date.now();
    // Each target runs its first task and answers one update before the measurement (as every contract was
    // approved by an update): all N are in the worker's cache when the floor run starts.
    await pool(ids, o.startConcurrency, async (id) => {
      const handle = await server.client.workflow.start<typeof floorTarget>('floorTarget', { taskQueue, workflowId: id });
      await handle.executeUpdate(pingUpdate, { args: ['warm'], updateId: `warm:${id}` });
    });
    o.log(`  floor: ${o.n} trivial workflows started and cached in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(1000);

    const c0 = cpuSnapshot(worker, () => server.cpuSeconds());
    const t1 = Date.now();
    const answered = await server.client.workflow.execute<typeof floorRun>('floorRun', {
      taskQueue,
      workflowId: `floor-run-${Date.now()}`,
      args: [{ ids, concurrency: o.billingConcurrency, round: 'floor' }],
    });
    const seconds = (Date.now() - t1) / 1000;
    const c1 = cpuSnapshot(worker, () => server.cpuSeconds());
    o.log(`  floor: ${answered} of ${o.n} updates answered in ${seconds.toFixed(1)} s (${(o.n / seconds).toFixed(1)}/s)`);
    return { seconds, updatesPerSecond: o.n / seconds, cpu: perContract(cpuDelta(c0, c1), o.n), answered };
  } catch (err) {
    o.log(`  floor failed; the floor worker said:\n${worker.output().slice(-3000)}`);
    throw err;
  } finally {
    await worker.stop().catch(() => undefined);
  }
}
