/**
 * The platform harness the benchmarks and the fault tests share: a file-backed dev server that can be
 * stopped and started again on its data, the real worker as a separate process (`src/worker.ts` with
 * TEMPORAL_ADDRESS and DATA_DIR), approved contracts created fast through the real workflow, the
 * monthly billing run, and what the ledger and the outbox hold afterwards.
 *
 * Billing a month needs that month to be over on the contract's calendar, while approval needs a usage
 * start on or after the approval day. A contract is therefore started with a calendar offset (in its memo,
 * read by the simulator's workflow clock, which the worker of src/simulation/worker.ts bundles) that puts it
 * at 23:59 JST on the last day of a month: it is
 * approved that day, and a few seconds later its month is over and can be billed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { openDependencies } from '../src/activities';
import { freeLoopbackPort } from '../src/infra/dev-server';
import { CONTRACTS_TO_BILL_QUERY } from '../src/activities/billing-run';
import { assembleInvoice } from '../src/domain/billing';
import { addDays, addMonths, firstDayOf, jstDateOf, monthOf, startOfDayJst } from '../src/domain/calendar';
import { linesForMonth } from '../src/domain/statement';
import type { Invoice, IsoDate, YearMonth } from '../src/domain/types';
import type { Application, NewCustomerApplication } from '../src/domain/validation';
import type { LedgerAccess } from '../src/backoffice/ledger-client';
import { SYSTEM_ACTORS } from '../src/domain/actor';
import { projectRoot } from '../src/infra/binaries';
import { codecDataConverter } from '../src/infra/data-converter';
import { startDevServer, type DevServer } from '../src/infra/dev-server';
import { loadSettings } from '../src/settings';
import type { billingRun, BillingRunProgress } from '../src/workflows/billing-run';
import type { contract } from '../src/workflows/contract/workflow';
import { commandUpdates } from '../src/workflows/contract/messages';
import { SIMULATED_CLOCK_OFFSET_MEMO } from '../src/simulation/workflow-clock';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The payload keys of the harness's clients and the workers it spawns: NEUTRIX_CODEC_KEYS when set,
 * else the committed test key (throwaway data only). Every payload is encrypted, as in production.
 */
export const harnessCodecKeys = process.env.NEUTRIX_CODEC_KEYS || join(projectRoot, 'test', 'fixtures', 'codec-keys');
export const harnessDataConverter = () => codecDataConverter({ NEUTRIX_CODEC_KEYS: harnessCodecKeys, DATA_DIR: '/nonexistent' });

/** A port free on 127.0.0.1 now. */
export const freePort = freeLoopbackPort;

// ---------------------------------------------------------------------------------------------------
// Dev server on a data file

export interface Server {
  address: string;
  port: number;
  dataDir: string;
  client: Client;
  /** Stop the server process (SIGTERM, then SIGKILL after 15 s); its SQLite file stays. */
  stop(): Promise<void>;
  /** SIGKILL the server process (a crash: no shutdown); its SQLite file stays. */
  crash(): Promise<void>;
  /** Start it again on the same port and data file; the client reconnects by itself. */
  start(): Promise<void>;
  close(): Promise<void>;
  /** The server's own output (warnings and errors), for a failure report. */
  output(): string;
}

/** The production dev server (startDevServer: SQLite in WAL mode under `dataDir`, search attributes). */
export async function startServer(dataDir: string): Promise<Server> {
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const uiPort = await freePort();
  const log: string[] = [];
  const boot = () =>
    startDevServer({
      dataDir,
      port,
      uiPort,
      log: (l) => {
        log.push(l);
        if (log.length > 1000) log.splice(0, 500);
      },
    });
  let dev: DevServer | undefined = await boot();
  const connection = await Connection.connect({ address: dev.address });
  const client = new Client({ connection, namespace: 'default', dataConverter: harnessDataConverter() });
  return {
    address: dev.address,
    port,
    dataDir,
    client,
    async stop() {
      await dev?.stop();
      dev = undefined;
    },
    async crash() {
      const pids = serverPids();
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 200 && pids.some(alive); i++) await sleep(50);
      await dev?.stop(); // already exited: returns at once
      dev = undefined;
    },
    async start() {
      if (dev) return;
      dev = await boot();
    },
    output: () => log.slice(-200).join('\n'),
    async close() {
      await connection.close().catch(() => undefined);
      await dev?.stop();
      dev = undefined;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The worker as a separate process

export interface WorkerProcess {
  pid: number;
  /** Resolves when the worker polls (bundle built, connected). */
  ready: Promise<void>;
  exited: Promise<number | null>;
  output(): string;
  /** SIGKILL to the worker's whole process group: no shutdown, no flush, in-flight work lost. */
  kill(): Promise<void>;
  /** SIGTERM: the worker finishes in-flight tasks, then closes the ledger. */
  stop(): Promise<void>;
  /** Resident memory of the worker process itself (the Node process running src/worker.ts), bytes. */
  rssBytes(): number;
}

export interface WorkerOptions {
  address: string;
  dataDir: string;
  taskQueue: string;
  /** `npx`: exactly `npx tsx src/worker.ts` (npx → tsx → node). `node`: `node --import tsx src/worker.ts`, one process, V8 flags applied to it. */
  launcher?: 'npx' | 'node';
  maxCachedWorkflows?: number;
  /** --max-old-space-size in MiB (node launcher only). */
  heapMiB?: number;
  billingConcurrency?: number;
  env?: NodeJS.ProcessEnv;
  /** Extra Node flags (node launcher only), e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** The worker's entry point, relative to the project root (default src/worker.ts; the bench's floor worker is bench/floor-worker.ts). */
  script?: string;
}

function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU seconds (user + system) used so far by `pid` and its live descendants; with `reaped`, also by the
 * descendants that have exited and been waited for (a PostgreSQL server's finished backends).
 */
export function cpuSeconds(pid: number, o: { reaped?: boolean } = {}): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime
      if (o.reaped) ticks += Number(f[13]) + Number(f[14]); // cutime, cstime
    } catch {
      // gone
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** The Temporal CLI dev server processes this process started. */
export function serverPids(): number[] {
  return processTree(process.pid).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('start-dev');
    } catch {
      return false;
    }
  });
}

/** CPU seconds of the dev server processes this process started. */
export const devServerCpuSeconds = () => serverPids().reduce((a, p) => a + cpuSeconds(p), 0);

/**
 * CPU seconds of this process, the server (the dev server unless `serverCpu` says otherwise) and the
 * workers, to attribute work on a busy machine.
 */
export function cpuSnapshot(
  workers: WorkerProcess | readonly WorkerProcess[] = [],
  serverCpu: () => number = devServerCpuSeconds,
): { client: number; server: number; worker: number; at: number } {
  const u = process.cpuUsage();
  const list = Array.isArray(workers) ? workers : [workers as WorkerProcess];
  return {
    client: (u.user + u.system) / 1e6,
    server: serverCpu(),
    worker: list.reduce((a, w) => a + cpuSeconds(w.pid), 0),
    at: Date.now(),
  };
}

export function cpuDelta(a: ReturnType<typeof cpuSnapshot>, b: ReturnType<typeof cpuSnapshot>) {
  return { client: b.client - a.client, server: b.server - a.server, worker: b.worker - a.worker, wallSeconds: (b.at - a.at) / 1000 };
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The worker's JSON log line once it polls (src/worker.ts; bench/floor-worker.ts writes the same). */
export const WORKER_POLLING = '"message":"worker polling"';

export function spawnWorker(o: WorkerOptions): WorkerProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: o.address,
    TEMPORAL_NAMESPACE: 'default',
    DATA_DIR: o.dataDir,
    TASK_QUEUE: o.taskQueue,
    NEUTRIX_CODEC_KEYS: harnessCodecKeys,
    ...(o.maxCachedWorkflows ? { WORKER_MAX_CACHED_WORKFLOWS: String(o.maxCachedWorkflows) } : {}),
    ...(o.billingConcurrency ? { BILLING_CONCURRENCY: String(o.billingConcurrency) } : {}),
    ...o.env,
  };
  delete env.NODE_OPTIONS; // vitest's loader flags must not leak into the worker
  const launcher = o.launcher ?? 'node';
  const script = o.script ?? 'src/simulation/worker.ts'; // contracts placed on other days (the simulator's clock)
  const [cmd, args] =
    launcher === 'npx'
      ? ['npx', ['tsx', script]]
      : [process.execPath, [...(o.heapMiB ? [`--max-old-space-size=${o.heapMiB}`] : []), ...(o.nodeArgs ?? []), '--import', 'tsx', script]];
  // Its own process group, so a kill reaches npx, tsx and the worker at once (like a crash of the box).
  const child: ChildProcess = spawn(cmd as string, args as string[], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let markReady: () => void = () => {};
  let failReady: (e: Error) => void = () => {};
  const ready = new Promise<void>((res, rej) => {
    markReady = res;
    failReady = rej;
  });
  const onData = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
    if (out.includes(WORKER_POLLING)) markReady();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((res) => child.once('exit', (code, signal) => res(code ?? (signal ? -1 : null))));
  void exited.then((code) => failReady(new Error(`worker exited (${code}) before polling:\n${out.slice(-3000)}`)));
  const pid = child.pid!;
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  return {
    pid,
    ready,
    exited,
    output: () => out,
    async kill() {
      signalGroup('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // The worker itself shuts down on SIGTERM; npx and tsx pass it on or die with it.
      for (const p of processTree(pid).reverse()) {
        try {
          process.kill(p, 'SIGTERM');
        } catch {
          // gone
        }
      }
      const t = setTimeout(() => signalGroup('SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
      // The worker may outlive its npx parent by a moment: wait for the group to be gone.
      for (let i = 0; i < 300 && groupAlive(pid); i++) await sleep(100);
    },
    rssBytes() {
      // The largest process of the tree is the worker (npx and tsx are small launchers).
      return Math.max(0, ...processTree(pid).map(rssOf));
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Contracts

/** A varied but deterministic application: plans, Linux/Windows components, relaxations, cloud fees. */
export function benchApplication(contractId: string, i: number, appliedOn: IsoDate): NewCustomerApplication {
  const plans = ['entry', 'standard', 'advanced', 'premium'] as const;
  const n = 1 + (i % 4);
  const components = Array.from({ length: n }, (_, k) => ({ os: (k + i) % 3 === 0 ? ('windows' as const) : ('linux' as const) }));
  return {
    contractId,
    customer: { name: `株式会社ベンチ ${i}`, email: `billing+${contractId.toLowerCase()}@example.co.jp` },
    terms: { plan: plans[i % plans.length]!, components, metricCapRelaxations: i % (n + 1), cloudMonthlyFee: (i % 5) * 12_345 },
    appliedOn,
  };
}

export const contractIds = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);

/** Run `fn` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const run = async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, run));
}

export interface CreatedContracts {
  ids: string[];
  /** The month every contract starts in and that the billing run closes. */
  period: YearMonth;
  applications: Application[];
  /** Wall time of apply → approve for all of them. */
  ms: number;
  /** Approvals that came after the contract's midnight (usage then starts next month: nothing to bill). */
  late: string[];
  /** When the last contract's month is over on its calendar (epoch ms, real clock). */
  billableAt: number;
}

/**
 * Apply and approve `ids` through the real workflow: `client.workflow.start` then the `approve` update,
 * at most `concurrency` contracts in flight. Each starts `marginMs` before midnight JST after the last
 * day of `period` on its own calendar and is approved with usage from that day.
 */
export async function createApprovedContracts(
  client: Client,
  args: {
    ids: string[];
    taskQueue: string;
    ledger: LedgerAccess;
    period?: YearMonth;
    concurrency?: number;
    marginMs?: number;
    approve?: boolean;
    firstIndex?: number;
  },
): Promise<CreatedContracts> {
  const period = args.period ?? '2026-03';
  const nextFirst = firstDayOf(addMonths(period, 1));
  const midnight = startOfDayJst(nextFirst); // 00:00 JST on the 1st of the next month
  const approvalDay = addDays(nextFirst, -1);
  const margin = args.marginMs ?? 20_000;
  const late: string[] = [];
  const applications: Application[] = [];
  let lastStart = 0;
  const t0 = Date.now();
  await pool(args.ids, args.concurrency ?? 32, async (id, i) => {
    const { customer, ...form } = benchApplication(id, (args.firstIndex ?? 0) + i, approvalDay);
    const { customerId } = await args.ledger.register(id, customer);
    const application: Application = { ...form, customerId };
    applications[i] = application;
    const startedAt = Date.now();
    lastStart = Math.max(lastStart, startedAt);
    const clockOffsetMs = midnight - margin - startedAt;
    const handle = await client.workflow.start<typeof contract>('contract', {
      taskQueue: args.taskQueue,
      workflowId: id,
      args: [{ application }],
      memo: { [SIMULATED_CLOCK_OFFSET_MEMO]: clockOffsetMs },
      staticSummary: `Contract ${id} (benchmark)`,
    });
    if (args.approve === false) return;
    const today = jstDateOf(Date.now() + clockOffsetMs);
    try {
      await handle.executeUpdate(commandUpdates.approve, {
        args: [{ requestId: 'approve', actor: SYSTEM_ACTORS.simulator, startDate: today }],
        updateId: `approve:${id}`,
      });
      if (today !== approvalDay) late.push(`${id}: approved on ${today}`);
    } catch (err) {
      if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      late.push(`${id}: ${err.cause?.message ?? err.message}`);
    }
  });
  return { ids: args.ids, period, applications, ms: Date.now() - t0, late, billableAt: lastStart + margin + 1000 };
}

/** Poll `client.workflow.count` until `query` counts `n` (visibility is eventually consistent). */
export async function waitForCount(client: Client, query: string, n: number, timeoutMs = 600_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { count } = await client.workflow.count(query);
    if (count >= n) return count;
    if (Date.now() > until) throw new Error(`visibility: ${count} of ${n} for ${query} after ${timeoutMs} ms`);
    await sleep(count > n * 0.9 ? 250 : 1000);
  }
}

export const billableQuery = CONTRACTS_TO_BILL_QUERY;

export async function startBillingRun(
  client: Client,
  args: { taskQueue: string; period: YearMonth; concurrency: number; workflowId?: string; pageSize?: number },
) {
  return client.workflow.start<typeof billingRun>('billingRun', {
    taskQueue: args.taskQueue,
    workflowId: args.workflowId ?? `billing-run-${args.period}-${Date.now()}`,
    args: [{ period: args.period, concurrency: args.concurrency, ...(args.pageSize ? { pageSize: args.pageSize } : {}) }],
  });
}

export type { BillingRunProgress };

// ---------------------------------------------------------------------------------------------------
// What a contract's first month costs by the domain core alone

export function domainInvoice(app: Application, period: YearMonth, startDate: IsoDate): Invoice {
  const lines = linesForMonth({
    period,
    startDate,
    lastContractDay: null,
    priceLists: [],
    history: [
      {
        from: monthOf(startDate),
        terms: { ...app.terms, metricCapRelaxations: app.terms.metricCapRelaxations ?? 0, cloudMonthlyFee: app.terms.cloudMonthlyFee ?? 0 },
      },
    ],
    scheduled: [],
    pending: [],
  });
  return assembleInvoice(period, lines);
}

// ---------------------------------------------------------------------------------------------------
// Ledger and outbox

export interface LedgerCounts {
  /** contractId → invoices issued for it (period, number, total). */
  invoices: Map<string, Array<{ period: string; number: string; total: number }>>;
  /** contractId → notices recorded as sent (kind). */
  notices: Map<string, string[]>;
  invoiceCount: number;
  noticeCount: number;
  /** Invoice numbers are 1..count without a gap or a repeat. */
  numbersGapFree: boolean;
  emlFiles: number;
}

/** Open the ledger of `dataDir`, or the PostgreSQL at `databaseUrl` (after the worker has stopped: PGlite serves one process), and count. */
export async function readLedger(dataDir: string, ids: readonly string[], databaseUrl?: string): Promise<LedgerCounts> {
  const deps = await openDependencies(loadSettings({ DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }));
  try {
    const invoices = new Map<string, Array<{ period: string; number: string; total: number }>>();
    const notices = new Map<string, string[]>();
    const numbers: string[] = [];
    for (const id of ids) {
      const inv = await deps.ledger.listInvoices(id);
      invoices.set(
        id,
        inv.map((i) => ({ period: i.period, number: i.number, total: i.total })),
      );
      numbers.push(...inv.map((i) => i.number));
      notices.set(
        id,
        (await deps.ledger.listNotices(id)).map((n) => n.kind),
      );
    }
    const seqs = numbers.map((n) => Number(/(\d+)$/.exec(n)?.[1])).sort((a, b) => a - b);
    const outbox = join(dataDir, 'outbox');
    return {
      invoices,
      notices,
      invoiceCount: numbers.length,
      noticeCount: [...notices.values()].reduce((a, n) => a + n.length, 0),
      numbersGapFree: seqs.every((s, i) => s === i + 1),
      emlFiles: existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')).length : 0,
    };
  } finally {
    await deps.close();
  }
}

/**
 * Counts every mail that lands in the outbox, including a repeat that overwrites an earlier file (each
 * delivery is a rename into the folder: inotify reports it even when the name already exists).
 */
export function watchOutbox(dataDir: string): { deliveries: Map<string, number>; duplicates(): string[]; close(): void } {
  const dir = join(dataDir, 'outbox');
  mkdirSync(dir, { recursive: true });
  const deliveries = new Map<string, number>();
  const watcher: FSWatcher = watch(dir, (event, name) => {
    if (event !== 'rename' || !name || !name.endsWith('.eml')) return;
    if (!existsSync(join(dir, name))) return; // the event of a file leaving
    deliveries.set(name, (deliveries.get(name) ?? 0) + 1);
  });
  return {
    deliveries,
    duplicates: () => [...deliveries].filter(([, n]) => n > 1).map(([f, n]) => `${f} ×${n}`),
    close: () => watcher.close(),
  };
}
