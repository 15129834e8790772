/**
 * `npm run bench`: throughput, memory and history growth of the platform, measured — not asserted. Prints
 * progress on stderr and a markdown table on stdout. Each platform figure is the median of its runs,
 * measured in this invocation beside its baseline (the domain core alone, in a plain loop).
 *
 *   npm run bench                      # N = 1,000 and 10,000 (3 runs each), 10-year history, simulator
 *   BENCH_QUICK=1 npm run bench        # N = 200 (3 runs) and 1,000 (1 run), 3-year history (≈8 min here)
 *
 * The full bench took 53 minutes on this 2-core machine (2026-11-24): applying, approving and billing a
 * contract costs ≈110–130 ms of CPU (see the CPU rows), so each of the three 10,000 rounds takes about 14
 * minutes. BENCH_WORKER_NODE_ARGS passes flags to the worker's node (`--cpu-prof --cpu-prof-dir=DIR` to
 * profile a round).
 *
 * Besides the billing run, each platform round measures the platform floor on the same dev server, right
 * after billing: N updates, with the billing run's concurrency and batches, to N trivial workflows that
 * answer at once, all cached in their own worker process (bench/floor-workflow.ts, bench/floor-worker.ts;
 * sent from an activity over that worker's native connection, as the billing run sends its updates). Rows
 * "Platform floor: updates/s", "CPU per update (platform floor): server + worker + client" and "Billing run
 * / floor" (contracts billed per second ÷ floor updates per second; the issue's goal is ≥ 70% and ≥ 50/s).
 * It adds to each round about N ÷ 25 s here (starting N trivial workflows and warming each with one update)
 * plus the floor run itself.
 *
 * The history section also prints "Temporal actions per contract-year": Temporal Cloud's billable Actions
 * (docs.temporal.io/cloud/actions) counted from the same histories as "History events per contract-year",
 * by kind (starts incl. continue-as-new, updates, timers, activities, local-activity batches, upserts, …;
 * bench/actions.ts). Rejected updates, queries and heartbeats leave no event, so they are not in it.
 *
 * BENCH_CLUSTER=1 adds a section "dev server and cluster": the billing run at BENCH_CLUSTER_N
 * (default the small N), BENCH_CLUSTER_RUNS runs each (default BENCH_RUNS), on a fresh dev server and on a
 * fresh real cluster (bench/cluster.ts: the Go server on PostgreSQL with mutual TLS, built once by
 * scripts/setup-cluster.sh), with one and with two worker processes. All four use a PostgreSQL ledger (two
 * workers cannot share PGlite; BENCH_DATABASE_URL, else a throwaway server of the bench's own), whose CPU
 * is not counted; the cluster's "server" CPU is the Temporal server's plus its own PostgreSQL's.
 *
 * Knobs: BENCH_N_SMALL, BENCH_N_LARGE, BENCH_RUNS (runs at the small N), BENCH_LARGE_RUNS,
 * BENCH_YEARS (history), BENCH_LARGE_CACHE, BENCH_WORKER_HEAP_MIB, BENCH_ONLY=platform,history,simulator,bank
 * (a comma list; bank: a bank file of BENCH_BANK_LINES lines, default 10,000, read, recorded and matched), BENCH_BILLING_CONCURRENCY (default 20, the BILLING_CONCURRENCY default; the floor uses
 * it too), BENCH_START_CONCURRENCY (default 32; also for starting the floor's workflows), BENCH_FLOOR=0 (no
 * platform floor), BENCH_WORKER_NODE_ARGS (contract worker only), BENCH_DATABASE_URL (a PostgreSQL server:
 * the small N runs again with the ledger there, a fresh database per round).
 *
 * The worker runs as its own process with WORKER_MAX_CACHED_WORKFLOWS and --max-old-space-size set
 * explicitly, because the SDK derives its default cache size from the heap limit (≈600 workflows per GiB
 * above 200 MiB) and V8 derives that limit from the machine's memory: left alone, both figures would
 * depend on the box. A cached contract workflow costs ≈0.3 MiB (the contract's schemas with zod,
 * decimal.js and the holiday table are evaluated once in the shared V8 context; our other workflow
 * modules once per workflow), so:
 *   - at both N every contract stays cached (cap N + 1,000): production's default cap is 2,000
 *     (WORKER_MAX_CACHED_WORKFLOWS, safe in any heap), and at this size it can be raised to the number
 *     of open contracts; BENCH_LARGE_CACHE=2000 measures the default instead (the billing run then
 *     replays the evicted contracts);
 *   - the heap is 8 GiB: 10,000 cached workflows hold ≈2.5 GiB of it, and a roomy limit keeps V8 from
 *     collecting all the time.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { projectRoot } from '../src/infra/binaries';
import { describeActions } from './actions';
import { bankImportFigures } from './bank';
import { applications, domainLoop } from './domain';
import { historyOverYears, type HistoryFigures } from './history';
import { clusterServer } from './cluster';
import { platformRound, type Round } from './platform';
import { ownPostgres } from '../test/helpers/postgres';
import { PAGE_SIZE as BILLING_PAGE_SIZE } from '../src/workflows/bulk';

const env = process.env;
const quick = env.BENCH_QUICK === '1';
const num = (name: string, dflt: number) => (env[name] ? Number(env[name]) : dflt);
const N_SMALL = num('BENCH_N_SMALL', quick ? 200 : 1000);
const N_LARGE = num('BENCH_N_LARGE', quick ? 1000 : 10_000);
const RUNS = num('BENCH_RUNS', 3);
const LARGE_RUNS = num('BENCH_LARGE_RUNS', quick ? 1 : 3);
const YEARS = num('BENCH_YEARS', quick ? 3 : 10);
const BILLING_CONCURRENCY = num('BENCH_BILLING_CONCURRENCY', 20);
const START_CONCURRENCY = num('BENCH_START_CONCURRENCY', 32);
const ONLY = new Set((env.BENCH_ONLY ?? 'platform,history,simulator,bank').split(',').map((s) => s.trim()));
const HEAP_MIB = num('BENCH_WORKER_HEAP_MIB', 8192);
/** BENCH_FLOOR=0: no platform floor after each billing round. */
const FLOOR = env.BENCH_FLOOR !== '0';
/** BENCH_DATABASE_URL: a PostgreSQL server; the small N is then also run with the ledger on it (as deployed). */
const DATABASE_URL = env.BENCH_DATABASE_URL;
/** Every contract cached at both N (see above). */
const SMALL_CACHE = N_SMALL + 1000;
/** BENCH_CLUSTER=1: the billing run on the dev server and on a real cluster, one and two workers. */
const CLUSTER = env.BENCH_CLUSTER === '1';
const CLUSTER_N = num('BENCH_CLUSTER_N', N_SMALL);
const CLUSTER_RUNS = num('BENCH_CLUSTER_RUNS', RUNS);
const LARGE_CACHE = num('BENCH_LARGE_CACHE', N_LARGE + 1000);

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (x: number, digits = 1) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const range = (xs: number[], digits = 1) => (xs.length > 1 ? `${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)}` : '');

interface Row {
  measure: string;
  n: string;
  runs: number | string;
  median: string;
  range: string;
  note: string;
}
const rows: Row[] = [];
const row = (measure: string, n: string, runs: number | string, value: string, spread: string, note = '') =>
  rows.push({ measure, n, runs, median: value, range: spread, note });

const slopes: Array<{ n: number; cached: number; idle: number; mibPerWorkflow: number }> = [];

function platformRows(rounds: Round[], n: number, cache: number, ledger = ''): void {
  const tag = n.toLocaleString('en-US') + ledger;
  const k = rounds.length;
  const m = (f: (r: Round) => number) => median(rounds.map(f));
  const r = (f: (r: Round) => number, d = 1) => range(rounds.map(f), d);
  const apps = applications(n, `N${n}`, '2026-03-31');
  const base = domainLoop(apps, '2026-03', 5);
  const domainSeconds = median(base.seconds);
  /** CPU per contract (or per floor update) by process, and the rate two idle cores would allow at that cost. */
  const cpuRow = (what: 'contract billed' | 'contract started' | 'update (platform floor)', of: (x: Round) => Round['cpuBilling'], among = rounds) => {
    const mm = (f: (x: Round) => number) => median(among.map(f));
    const total = (x: Round) => of(x).server + of(x).worker + of(x).client;
    const part = (p: keyof Round['cpuBilling']) => fmt(mm((x) => of(x)[p]));
    const verb = { 'contract billed': 'bill', 'contract started': 'start', 'update (platform floor)': 'answer' }[what];
    row(
      `CPU per ${what}: server + worker + client`,
      tag,
      among.length,
      `${fmt(mm(total))} ms`,
      range(among.map(total)),
      `server ${part('server')} · worker ${part('worker')} · client ${part('client')} ms; 2 idle cores would ${verb} ≤ ${fmt(2000 / mm(total), 0)}/s`,
    );
  };
  row(
    'Billing run: contracts billed per second',
    tag,
    k,
    `${fmt(m((x) => x.billedPerSecond))}/s`,
    r((x) => x.billedPerSecond),
    `goal ≥ 50/s on 2 cores; dev server on a SQLite file, worker process, ${ledger ? 'PostgreSQL ledger (its own CPU is not in the CPU rows)' : 'PGlite ledger'}, .eml outbox`,
  );
  row(
    'Billing run: wall time',
    tag,
    k,
    `${fmt(m((x) => x.billingSeconds))} s`,
    r((x) => x.billingSeconds),
    `concurrency ${BILLING_CONCURRENCY}; pages of ${BILLING_PAGE_SIZE.toLocaleString('en-US')} found through visibility`,
  );
  row(
    'Same invoices by the domain core alone (plain loop)',
    tag,
    5,
    `${fmt(n / domainSeconds, 0)}/s`,
    range(
      base.seconds.map((s) => n / s),
      0,
    ),
    `${fmt(domainSeconds * 1000, 2)} ms per loop of ${tag}`,
  );
  row(
    'Platform overhead (billing wall time ÷ domain loop)',
    tag,
    k,
    `${fmt(m((x) => x.billingSeconds) / domainSeconds, 0)}×`,
    '',
    'durable update, ledger transaction, notice mail, visibility per contract',
  );
  cpuRow('contract billed', (x) => x.cpuBilling);
  const floored = rounds.filter((x) => x.floor);
  if (floored.length) {
    const fl = (x: Round) => x.floor!;
    const ratio = (x: Round) => x.billedPerSecond / fl(x).updatesPerSecond;
    const cpuTotal = (c: Round['cpuBilling']) => c.server + c.worker + c.client;
    const short = floored.filter((x) => fl(x).answered !== n);
    row(
      'Platform floor: updates/s',
      tag,
      floored.length,
      `${fmt(median(floored.map((x) => fl(x).updatesPerSecond)))}/s`,
      range(floored.map((x) => fl(x).updatesPerSecond)),
      `${tag} updates to ${tag} trivial cached workflows (bench/floor-workflow.ts, own worker process and task queue), same server right after the billing run; ` +
        `concurrency ${BILLING_CONCURRENCY} in the billing run's batches, sent from an activity over the worker's native connection as the billing run sends them` +
        (short.length ? `; ${short.length} run(s) answered fewer than ${tag}: ${short.map((x) => fl(x).answered).join(', ')}` : ''),
    );
    row(
      'Billing run / floor',
      tag,
      floored.length,
      `${fmt(median(floored.map(ratio)) * 100, 0)}%`,
      range(
        floored.map((x) => ratio(x) * 100),
        0,
      ),
      `billing contracts/s ÷ floor updates/s, per run; goal ≥ 70% of the floor and ≥ 50 contracts/s; ` +
        `CPU per contract billed ÷ CPU per floor update ${fmt(median(floored.map((x) => cpuTotal(x.cpuBilling) / cpuTotal(fl(x).cpu))))}×`,
    );
    cpuRow('update (platform floor)', (x) => fl(x).cpu, floored);
  }
  row(
    'Contract starts (apply → approve) per second',
    tag,
    k,
    `${fmt(m((x) => x.startsPerSecond))}/s`,
    r((x) => x.startsPerSecond),
    `${START_CONCURRENCY} in flight; start + approve update, 2 notices each`,
  );
  cpuRow('contract started', (x) => x.cpuStart);
  row(
    'Visibility: all countable after the last approval',
    tag,
    k,
    `${fmt(m((x) => x.visibleSeconds))} s`,
    r((x) => x.visibleSeconds),
    'client.workflow.count polled',
  );
  const cached = Math.min(n, cache);
  const cachedTag = cached.toLocaleString('en-US');
  row(
    cached === n ? `Worker RSS with ${cachedTag} contract workflows cached` : `Worker RSS at the cache cap: ${cachedTag} cached of ${tag} open`,
    tag,
    k,
    `${fmt(
      m((x) => x.rssCachedMiB),
      0,
    )} MiB`,
    r((x) => x.rssCachedMiB, 0),
    `idle ${fmt(
      m((x) => x.rssIdleMiB),
      0,
    )} MiB; after billing ${fmt(
      m((x) => x.rssAfterBillingMiB),
      0,
    )} MiB; maxCachedWorkflows ${cache}, --max-old-space-size=${HEAP_MIB}` +
      (cached < n
        ? `; includes evicted workflows not yet garbage-collected; billing replays the ${(n - cached).toLocaleString('en-US')} evicted contracts`
        : ''),
  );
  if (cached === n) {
    // Only where nothing was evicted: at the cap, RSS also holds evicted workflows V8 has not collected yet
    // (with an 8 GiB limit it grows the heap before it collects), so it overstates the live set.
    const mibPerWorkflow = (m((x) => x.rssCachedMiB) - m((x) => x.rssIdleMiB)) / cached;
    slopes.push({ n, cached, idle: m((x) => x.rssIdleMiB), mibPerWorkflow });
    row('Worker memory per cached contract workflow', tag, k, `${fmt(mibPerWorkflow, 2)} MiB`, '', `(RSS with ${cachedTag} cached − idle) ÷ ${cachedTag}`);
  }
  const bad = rounds.filter((x) => x.invoices !== n || !x.totalsMatch || x.failed || x.late);
  row(
    "Ledger check: invoices = N and their sum = the domain's",
    tag,
    k,
    bad.length ? `${bad.length} run(s) off` : 'ok',
    '',
    bad.map((x) => `invoices ${x.invoices}, totals ${x.totalsMatch ? 'match' : 'differ'}, failed ${x.failed}, late ${x.late}`).join('; '),
  );
}

/** The section "dev server and cluster": one compact set of rows per server × workers. */
function clusterRows(label: string, rounds: Round[], n: number): void {
  const tag = `${n.toLocaleString('en-US')} · ${label}`;
  const m = (f: (r: Round) => number) => median(rounds.map(f));
  const r = (f: (r: Round) => number, d = 1) => range(rounds.map(f), d);
  const total = (x: Round) => x.cpuBilling.server + x.cpuBilling.worker + x.cpuBilling.client;
  const part = (p: keyof Round['cpuBilling']) => fmt(m((x) => x.cpuBilling[p]));
  row(
    'Billing run: contracts billed per second',
    tag,
    rounds.length,
    `${fmt(m((x) => x.billedPerSecond))}/s`,
    r((x) => x.billedPerSecond),
    `wall ${fmt(m((x) => x.billingSeconds))} s; concurrency ${BILLING_CONCURRENCY}; PostgreSQL ledger (not in the CPU figures)`,
  );
  row(
    'CPU per contract billed: server + workers + client',
    tag,
    rounds.length,
    `${fmt(m(total))} ms`,
    r(total),
    `server ${part('server')} · workers ${part('worker')} · client ${part('client')} ms; 2 idle cores would bill ≤ ${fmt(2000 / m(total), 0)}/s`,
  );
  row(
    'Contract starts (apply → approve) per second',
    tag,
    rounds.length,
    `${fmt(m((x) => x.startsPerSecond))}/s`,
    r((x) => x.startsPerSecond),
    `visibility: all countable ${fmt(m((x) => x.visibleSeconds))} s after the last approval`,
  );
  const bad = rounds.filter((x) => x.invoices !== n || !x.totalsMatch || x.failed || x.late);
  row(
    "Ledger check: invoices = N and their sum = the domain's",
    tag,
    rounds.length,
    bad.length ? `${bad.length} run(s) off` : 'ok',
    '',
    bad.map((x) => `invoices ${x.invoices}, totals ${x.totalsMatch ? 'match' : 'differ'}, failed ${x.failed}, late ${x.late}`).join('; '),
  );
}

async function clusterSection(): Promise<void> {
  const own = DATABASE_URL ? undefined : await ownPostgres();
  const databaseUrl = DATABASE_URL ?? own!.url;
  try {
    for (const [label, server] of [
      ['dev server', undefined],
      ['cluster', clusterServer],
    ] as const) {
      for (const workers of [1, 2]) {
        const rounds: Round[] = [];
        for (let i = 1; i <= CLUSTER_RUNS; i++) {
          log(`cluster section: N = ${CLUSTER_N}, ${label}, ${workers} worker(s), run ${i} of ${CLUSTER_RUNS}`);
          rounds.push(
            await platformRound({
              n: CLUSTER_N,
              startConcurrency: START_CONCURRENCY,
              billingConcurrency: BILLING_CONCURRENCY,
              maxCachedWorkflows: SMALL_CACHE,
              heapMiB: HEAP_MIB,
              databaseUrl,
              floor: false,
              workers,
              ...(server ? { server } : {}),
              log,
            }),
          );
        }
        clusterRows(`${label}, ${workers} worker${workers > 1 ? 's' : ''}`, rounds, CLUSTER_N);
      }
    }
  } finally {
    own?.teardown();
  }
}

function simulator(): Promise<number[] | string> {
  const file = join(projectRoot, 'bench', 'simulator.ts');
  if (!existsSync(file)) return Promise.resolve('bench/simulator.ts not present');
  return new Promise((resolve) => {
    execFile(
      join(projectRoot, 'node_modules', '.bin', 'tsx'),
      [file, quick ? '1' : '3', '3'],
      { cwd: projectRoot, timeout: 900_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const perYear = [...stdout.matchAll(/= ([\d.]+) s per contract-year/g)].map((m) => Number(m[1]));
        if (perYear.length) resolve(perYear);
        else resolve(`simulator failed: ${(err?.message ?? stderr).split('\n')[0]}`);
        log(stdout.trimEnd().replace(/^/gm, '  simulator: '));
      },
    );
  });
}

async function main(): Promise<void> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already
  }
  const started = new Date();
  const load0 = loadavg();
  log(`bench: N = ${N_SMALL} × ${RUNS} runs, ${N_LARGE} × ${LARGE_RUNS}; history ${YEARS} years${quick ? ' (BENCH_QUICK)' : ''}`);

  if (ONLY.has('platform')) {
    for (const [n, runs, cache, databaseUrl] of [
      [N_SMALL, RUNS, SMALL_CACHE, undefined],
      [N_SMALL, DATABASE_URL ? RUNS : 0, SMALL_CACHE, DATABASE_URL],
      [N_LARGE, LARGE_RUNS, LARGE_CACHE, undefined],
    ] as const) {
      if (runs <= 0 || n <= 0) continue;
      const rounds: Round[] = [];
      for (let i = 1; i <= runs; i++) {
        log(`platform: N = ${n}${databaseUrl ? ' (PostgreSQL ledger)' : ''}, run ${i} of ${runs}`);
        rounds.push(
          await platformRound({
            n,
            startConcurrency: START_CONCURRENCY,
            billingConcurrency: BILLING_CONCURRENCY,
            maxCachedWorkflows: cache,
            heapMiB: HEAP_MIB,
            databaseUrl,
            floor: FLOOR,
            log,
          }),
        );
      }
      platformRows(rounds, n, cache, databaseUrl ? ' (PostgreSQL ledger)' : '');
    }
    const target = Math.max(N_LARGE, 10_000);
    if (slopes.length && !slopes.some((x) => x.cached >= target)) {
      // The slope of the largest all-cached run: at a small N the fixed part of the RSS weighs more.
      const largest = slopes.reduce((a, b) => (b.cached > a.cached ? b : a));
      const perWorkflow = largest.mibPerWorkflow;
      const idle = largest.idle;
      row(
        `Worker RSS with ${target.toLocaleString('en-US')} contract workflows cached`,
        target.toLocaleString('en-US'),
        'extrapolated',
        `≈${fmt((idle + target * perWorkflow) / 1024)} GiB`,
        '',
        `idle ${fmt(idle, 0)} MiB + ${target.toLocaleString('en-US')} × ${fmt(perWorkflow, 2)} MiB (the slope measured with ${largest.cached.toLocaleString('en-US')} cached); not run here: it needs that much of a shared machine`,
      );
    }
  }

  if (CLUSTER && CLUSTER_N > 0 && CLUSTER_RUNS > 0) await clusterSection();

  if (ONLY.has('history')) {
    log(`history: one contract over ${YEARS} years on the time-skipping server`);
    const h: HistoryFigures = await historyOverYears(YEARS, log);
    row(
      'History events per contract-year',
      `${YEARS} years`,
      '1 (deterministic)',
      fmt(h.eventsPerYear, 0),
      '',
      `goal ≤ 200; ${h.totalEvents} events in ${h.runs} runs (continue-as-new once a contract-year), ${h.invoices} invoices billed and paid`,
    );
    row(
      'Temporal actions per contract-year',
      `${YEARS} years`,
      '1 (deterministic)',
      fmt(h.actions.total / YEARS),
      '',
      `Temporal Cloud billable Actions (docs.temporal.io/cloud/actions) in the same ${h.runs} runs' histories, per year: ${describeActions(h.actions, YEARS)}; ` +
        "not in history, so not counted: rejected updates, queries, activity heartbeats; the billing run's own actions are not included",
    );
    row(
      'Largest history of one run',
      `${YEARS} years`,
      '1 (deterministic)',
      `${h.largestRun} events`,
      '',
      'the first run: application → the first wake in contract-year 1',
    );
    const month = Object.entries(h.perContractYear).filter(([, n]) => n > 0);
    row(
      'History events of one contract-year after the minimum term, by cause',
      `${YEARS} years`,
      '1 (deterministic)',
      `${month.reduce((a, [, n]) => a + n, 0)} events`,
      '',
      `${month.map(([cause, n]) => `${cause} ${n}`).join(' · ')} (one run a contract-year; each wake costs a workflow task, 3 events)`,
    );
    row(
      'Time-skipping driver: seconds per contract-year',
      `${YEARS} years`,
      1,
      `${fmt(h.wallSeconds / YEARS)} s`,
      '',
      'this history run, monthly bill + pay, start-up included',
    );
  }

  if (ONLY.has('bank')) {
    const n = num('BENCH_BANK_LINES', 10_000);
    log(`bank: a file of ${n} lines against ${n} customers (bench/bank.ts)`);
    const f = await bankImportFigures(n);
    const all = f.readSeconds + f.recordSeconds + f.matchSeconds;
    const tag = `${n.toLocaleString('en-US')} lines, ${n.toLocaleString('en-US')} customers`;
    row(
      'Bank import: lines read, recorded and matched per second',
      tag,
      1,
      fmt(f.lines / all, 0),
      '',
      `read ${fmt(f.readSeconds, 2)} s · recorded ${fmt(f.recordSeconds, 2)} s · matched ${fmt(f.matchSeconds, 2)} s; ${f.matched} of ${f.lines} matched; PGlite in memory`,
    );
    row(
      'Bank matching alone: lines matched per second',
      tag,
      1,
      fmt(f.lines / f.matchSeconds, 0),
      '',
      'the directory looked up at once, then the domain’s matchCustomer per line',
    );
  }
  if (ONLY.has('simulator')) {
    log('simulator: bench/simulator.ts');
    const s = await simulator();
    if (typeof s === 'string') row('Simulator: seconds per simulated contract-year', '', 0, '—', '', s);
    else
      row(
        'Simulator: seconds per simulated contract-year',
        quick ? '1 year' : '3 years',
        s.length,
        `${fmt(median(s), 2)} s`,
        range(s, 2),
        'bench/simulator.ts: monthly billing run + payment, time-skipping server, start-up excluded',
      );
  }

  const load1 = loadavg();
  const cpu = cpus();
  const out = [
    `## Benchmarks — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 1024 ** 3, 0)} GiB RAM, Node ${process.version}, Temporal CLI dev server (SQLite file, WAL). ` +
      `Load average ${fmt(load0[0]!, 2)} at the start, ${fmt(load1[0]!, 2)} at the end (other processes share the machine; CPU per contract is the steadier figure). ` +
      `Took ${fmt((Date.now() - started.getTime()) / 60_000)} min.`,
    '',
    '| measure | N | runs | median | range | notes |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.measure} | ${r.n} | ${r.runs} | ${r.median} | ${r.range} | ${r.note} |`),
    '',
  ].join('\n');
  process.stdout.write(`${out}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
