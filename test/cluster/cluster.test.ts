/**
 * The same system on a real Temporal cluster, configured by settings alone: the server built
 * from go.temporal.io/server on PostgreSQL (persistence and SQL visibility) with mutual TLS and an
 * authorizer by client certificate (ops/cluster/server, ops/cluster/certificate-roles.yaml), `npm start`'s
 * code against it with the back office's certificate (the namespace and search attributes the operator
 * provisioned, the schedule, which fires), the console signed in to in Chromium (its look-ups on SQL
 * visibility, an approval audited by person), the CLI from a temporal.toml profile, and two workers billing
 * a month while one is killed. A client without a certificate is turned away; one with a certificate the
 * roles file does not list is refused every call, the ops certificate every write; no client certificate
 * opens the services' own ports. `npm run test:cluster`; also run by .ci/run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessCodecKeys, sleep, spawnWorker, startBillingRun, watchOutbox, type Server, type WorkerProcess } from '../../bench/harness';
import { projectRoot } from '../../src/infra/binaries';
import { jstDateOf } from '../../src/domain/calendar';
import { BILLING_SCHEDULE_ID } from '../../src/infra/schedule';
import { CONTRACT_SEARCH_ATTRIBUTES } from '../../src/workflows/search-attributes';
import { handled, type BillingRunProgress } from '../../src/workflows/billing-run';
import { auditBilling, billableContracts, until, workerShares, type Platform } from '../chaos/support';
import { freePort } from '../helpers/ports';
import { ownPostgresBinaries } from '../helpers/postgres';
import { tlsEnv, type ClientName } from './certs';
import { payloadsIn } from '../helpers/payloads';
import { Ledger, openPostgres } from '../../src/activities';
import { People, type Person } from '../../src/backoffice/people';
import { personWithToken } from '../helpers/api-token';
import { stateQuery } from '../../src/workflows/contract/messages';
import { PASSWORD, haveChromium, launchChromium, signIn } from '../console/support';
import { NAMESPACE, RETENTION_DAYS, startCluster, type Cluster } from './support';

const N = Number(process.env.CLUSTER_CONTRACTS ?? 60);
/** The gRPC status code an authorizer's refusal answers (the SDK wraps it as a ServiceError's cause). */
const DENIED = { code: 7, message: expect.stringContaining('Request unauthorized') }; // PERMISSION_DENIED

/** What a call to the cluster came to: 'allowed', or the gRPC status code and message it failed with. */
async function attempt(call: () => Promise<unknown>): Promise<'allowed' | { code: number; message: string }> {
  try {
    await call();
    return 'allowed';
  } catch (err) {
    for (let e = err as { code?: unknown; details?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
      if (typeof e.code === 'number') return { code: e.code, message: e.details ?? e.message ?? '' };
    throw err;
  }
}
const canRun = Boolean(ownPostgresBinaries());
if (!canRun) console.warn('cluster.test.ts skipped: no PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql)');

describe.skipIf(!canRun)('a real Temporal cluster: PostgreSQL, mutual TLS, several workers', () => {
  let cluster: Cluster;
  let system: ChildProcess;
  let systemOut = '';
  /** Every line of the system's output that tells of a refusal by the cluster's authorizer. */
  const refusals: string[] = [];
  let partial = '';
  let dir: string;
  let admin: Client;
  let consoleUrl: string;
  /**
   * The CLI (bin/neutrix), as a supervisor of the system's console with her own API token: it calls the back
   * office's HTTP API and holds no Temporal certificate, no codec key and no database (issue 28's one door).
   */
  let cliToken: string | undefined;
  const cli = async (args: string[]) => {
    if (!cliToken) {
      const ledger = await Ledger.open(await openPostgres(cluster.ledgerUrl, { max: 1 }));
      try {
        cliToken = (await personWithToken(ledger, 'cluster-cli', 'supervisor')).token;
      } finally {
        await ledger.close();
      }
    }
    return new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(join(projectRoot, 'bin', 'neutrix'), args, {
        cwd: projectRoot,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NEUTRIX_API_URL: `${consoleUrl.replace('127.0.0.1', 'localhost')}/api/v1`,
          NEUTRIX_API_TOKEN: cliToken,
          NODE_OPTIONS: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => void (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => void (out += b.toString()));
      child.once('exit', (code) => resolve({ code, out }));
    });
  };

  beforeAll(async () => {
    cluster = await startCluster();
    dir = mkdtempSync(join(tmpdir(), 'neutrix-cluster-system-'));
    const consolePort = await freePort();
    consoleUrl = `http://127.0.0.1:${consolePort}`;
    // `npm start`'s code, pointed at the cluster by the standard settings and the back office's certificate.
    system = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        ...tlsEnv(cluster.certs, 'backoffice', cluster.address, NAMESPACE),
        DATA_DIR: join(dir, 'system'),
        DATABASE_URL: cluster.ledgerUrl,
        NEUTRIX_CODEC_KEYS: harnessCodecKeys,
        CONSOLE_PORT: String(consolePort),
        METRICS_PORT: '0',
        NODE_OPTIONS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => {
      systemOut = (systemOut + b.toString()).slice(-100_000);
      const lines = (partial + b.toString()).split('\n');
      partial = lines.pop()!;
      refusals.push(...lines.filter((l) => /unauthorized|permission.?denied/i.test(l)));
    };
    system.stdout!.on('data', keep);
    system.stderr!.on('data', keep);
    await until(
      'the system to come up on the cluster',
      async () =>
        systemOut.includes('Neutrix Cloud contracts are running.') ? true : system.exitCode !== null ? Promise.reject(new Error(systemOut)) : undefined,
      180_000,
      500,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- system ---\n${systemOut.slice(-4000)}\n--- server ---\n${cluster.output().slice(-4000)}`);
    });
    admin = await cluster.client('backoffice');
  }, 1_800_000);
  afterAll(async () => {
    system?.kill('SIGTERM');
    await sleep(2000);
    await cluster?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('turns away a client without a certificate; one with a certificate from the CA is served', async () => {
    const anonymous = await cluster.connect(null).then(
      (c) =>
        c.workflowService.getSystemInfo({}).then(
          () => 'served',
          (err: Error) => err.message,
        ),
      (err: Error) => err.message,
    );
    expect(anonymous).not.toBe('served');
    const info = await (await cluster.connect('backoffice')).workflowService.getSystemInfo({});
    expect(info.serverVersion).toBe('1.32.0');
  });

  it("the namespace the operator provisioned, with its retention and the search attributes; npm start's schedule, which fires", async () => {
    const ns = await admin.workflowService.describeNamespace({ namespace: NAMESPACE });
    expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(RETENTION_DAYS * 86_400);
    const listed = await admin.connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    const Indexed = temporal.api.enums.v1.IndexedValueType;
    for (const key of CONTRACT_SEARCH_ATTRIBUTES) expect(Indexed[listed.customAttributes[key.name] ?? 0], key.name).toMatch(new RegExp(key.type, 'i'));
    const schedule = await admin.schedule.getHandle(BILLING_SCHEDULE_ID).describe();
    expect(schedule.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }] });
    expect(schedule.spec.timezone).toBe('Asia/Tokyo');
    // Triggered, the schedule starts the monthly billing run: the server's own scheduler (through its
    // internal-frontend, past the authorizer as the server itself); the run — no contract yet — completes.
    await admin.schedule.getHandle(BILLING_SCHEDULE_ID).trigger();
    const started = await until(
      'the scheduled billing run',
      async () => (await admin.schedule.getHandle(BILLING_SCHEDULE_ID).describe()).info.recentActions[0]?.action.workflow.workflowId,
      60_000,
      500,
    );
    const run = admin.workflow.getHandle(started);
    await run.result();
    expect((await run.describe()).status.name).toBe('COMPLETED');
  });

  it("the CLI, as a supervisor with her API token through the system's console (no Temporal certificate), applies and approves a contract, shows it, and finds it by its search attributes", async () => {
    const today = jstDateOf(Date.now());
    expect(
      await cli(['apply', 'C-CLUSTER-1', '--name', '株式会社クラスタ', '--email', 'billing@cluster.example.co.jp', '--plan', 'advanced', '--linux', '1']),
    ).toMatchObject({ code: 0 });
    expect(await cli(['approve', 'C-CLUSTER-1', '--start-date', today])).toMatchObject({ code: 0 });
    const shown = await cli(['show', 'C-CLUSTER-1']);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/active/);
    expect(shown.out).toContain('2027'); // the minimum term's end, a year on (Art. 11)
    // The visibility query on the custom search attributes (SQL visibility on PostgreSQL).
    const listed = await until(
      'the contract in visibility',
      async () => {
        const r = await cli(['list', '--status', 'active', '--plan', 'advanced']);
        return r.out.includes('C-CLUSTER-1') ? r : undefined;
      },
      30_000,
      1000,
    );
    expect(listed.code).toBe(0);
  });

  it('a certificate from the client CA whose name the roles file does not list is refused a start, an update, a signal and every read', async () => {
    const stranger = await cluster.client('intruder');
    try {
      expect(
        await attempt(() => stranger.workflow.start('contract', { workflowId: 'C-INTRUDER-1', taskQueue: 'contracts', args: [{ customerName: 'x' }] })),
      ).toMatchObject(DENIED);
      const contract = stranger.workflow.getHandle('C-CLUSTER-1');
      expect(await attempt(() => contract.executeUpdate('terminateForCause', { args: [{ requestId: 'x' }] }))).toMatchObject(DENIED);
      expect(await attempt(() => contract.signal('anything', {}))).toMatchObject(DENIED);
      expect(await attempt(() => contract.describe())).toMatchObject(DENIED);
      expect(await attempt(() => stranger.workflow.count())).toMatchObject(DENIED);
      expect(await attempt(() => stranger.workflowService.describeNamespace({ namespace: NAMESPACE }))).toMatchObject(DENIED);
    } finally {
      await stranger.connection.close();
    }
    // Nothing reached the contract, and no workflow of that id was started.
    expect((await admin.workflow.getHandle('C-CLUSTER-1').describe()).status.name).toBe('RUNNING');
    await expect(admin.workflow.getHandle('C-INTRUDER-1').describe()).rejects.toThrow(WorkflowNotFoundError);
    expect(cluster.output()).toContain('neutrix-intruder'); // the server logs the refused subject
  });

  it('the ops certificate lists and describes, and is refused a terminate, an update and a signal', async () => {
    const ops = await cluster.client('ops');
    try {
      const listed: string[] = [];
      for await (const w of ops.workflow.list({ query: 'WorkflowId = "C-CLUSTER-1"' })) listed.push(w.workflowId);
      expect(listed).toEqual(['C-CLUSTER-1']);
      const contract = ops.workflow.getHandle('C-CLUSTER-1');
      expect((await contract.describe()).status.name).toBe('RUNNING');
      expect(await attempt(() => contract.terminate('ops tried'))).toMatchObject(DENIED);
      expect(await attempt(() => contract.executeUpdate('terminateForCause', { args: [{ requestId: 'x' }] }))).toMatchObject(DENIED);
      expect(await attempt(() => contract.signal('anything', {}))).toMatchObject(DENIED);
      expect(await attempt(() => ops.workflow.start('contract', { workflowId: 'C-OPS-1', taskQueue: 'contracts', args: [{}] }))).toMatchObject(DENIED);
    } finally {
      await ops.connection.close();
    }
    expect((await admin.workflow.getHandle('C-CLUSTER-1').describe()).status.name).toBe('RUNNING');
  });

  it("no client certificate opens the server's own way in (the internal-frontend): only the cluster CA's", async () => {
    const internal = (pair: { cert: string; key: string }) =>
      Connection.connect({
        address: cluster.internalFrontend,
        tls: {
          serverNameOverride: 'localhost',
          serverRootCACertificate: readFileSync(cluster.certs.ca),
          clientCertPair: { crt: readFileSync(pair.cert), key: readFileSync(pair.key) },
        },
        connectTimeout: 5000,
      }).then(
        async (c) => {
          await c.close();
          return 'served';
        },
        (err: Error) => err.message,
      );
    for (const name of ['backoffice', 'worker', 'admin', 'intruder'] satisfies ClientName[])
      expect(await internal(cluster.certs.client(name)), name).not.toBe('served');
    // The port is live: the server's own certificate (from the cluster's CA) is served there.
    expect(await internal({ cert: join(cluster.certs.dir, 'server.pem'), key: join(cluster.certs.dir, 'server-key.pem') })).toBe('served');
  });

  it.skipIf(!haveChromium)(
    "the console, signed in, answers its look-ups from the cluster's SQL visibility and acts over mutual TLS, audited by person",
    async () => {
      const ledger = await Ledger.open(await openPostgres(cluster.ledgerUrl, { max: 2 }));
      const browser = await launchChromium();
      try {
        const people = new People(ledger.people);
        const staff = async (login: string, role: Person['role']) => {
          const { person, oneTimePassword } = await people.createPerson(login, login, role);
          await people.changePassword(person.id, oneTimePassword, PASSWORD);
          return person;
        };
        const supervisor = await staff('super-cluster', 'supervisor');
        await staff('viewer-cluster', 'viewer');
        expect(
          await cli([
            'apply',
            'C-CLUSTER-2',
            '--name',
            'クラスタ商事株式会社',
            '--email',
            'keiri@cluster-shoji.example.co.jp',
            '--plan',
            'standard',
            '--linux',
            '1',
          ]),
        ).toMatchObject({ code: 0 });
        await until(
          'the application in visibility',
          async () => ((await admin.workflow.count('ContractStatus = "pending"')).count >= 1 ? true : undefined),
          30_000,
          500,
        );

        const page = await signIn(browser, consoleUrl, 'super-cluster');
        // The dashboard's eight look-ups (Keyword, Int, Bool and Datetime comparisons) and the latest billing run.
        await page.goto(`${consoleUrl}/`);
        expect(await page.locator('.msg.err').allInnerTexts()).toEqual([]);
        expect(await page.locator('#pending').innerText()).toContain('C-CLUSTER-2');
        await page.goto(`${consoleUrl}/search?status=active&plan=advanced`);
        const listed = await page.locator('#results').innerText();
        expect(listed).toContain('C-CLUSTER-1');
        expect(listed).not.toContain('C-CLUSTER-2');
        // By name: from the ledger (personal data never went to the cluster), posted, not in the URL.
        await page.goto(`${consoleUrl}/search`);
        await page.fill('#by-customer input[name=name]', 'くらすた');
        await page.click('#by-customer button[type=submit]');
        const found = await page.locator('#results').innerText();
        expect(found).toContain('C-CLUSTER-1');
        expect(found).toContain('C-CLUSTER-2');
        // The contract page (a query, decrypted by the codec) and an approval (an Update) from the console's process.
        const today = jstDateOf(Date.now());
        await page.goto(`${consoleUrl}/contracts/C-CLUSTER-2`);
        expect(await page.locator('body').innerText()).toContain('クラスタ商事株式会社');
        expect(await page.locator('#pay').count()).toBe(0); // not before approval
        await page.fill('#approve input[name=startDate]', today);
        await page.click('#approve button[type=submit]');
        const state = await until(
          'the approval',
          async () => {
            const v = await admin.workflow.getHandle('C-CLUSTER-2').query(stateQuery);
            return v.status === 'active' ? v : undefined;
          },
          30_000,
          500,
        );
        expect(state.approvedOn).toBe(today);
        // The console decides its audit row once the Update has answered: wait for that, not only for the state.
        const rows = await until(
          'the approval audited',
          async () => {
            const r = (await ledger.audit.list({ contractId: 'C-CLUSTER-2' })).filter((a) => a.actor.via === 'console');
            return r.some((a) => a.outcome === 'accepted') ? r : undefined;
          },
          30_000,
          250,
        );
        expect(rows.map((a) => [a.command, a.outcome, a.actor.id, a.actor.role])).toEqual([['approve', 'accepted', supervisor.id, 'supervisor']]);
        await page.context().close();
        // What the cluster stored of it, read without the codec: every payload encrypted (but the SDK core's
        // local-activity marker metadata, docs/operations.md: Encryption), the customer's name and e-mail nowhere.
        const raw = new Client({ connection: await cluster.connect('ops'), namespace: NAMESPACE }); // a reader may read histories
        const history = await raw.workflow.getHandle('C-CLUSTER-2').fetchHistory();
        const payloads = payloadsIn(history);
        expect(payloads.length).toBeGreaterThan(10);
        expect(payloads.filter((x) => x.encoding !== 'binary/encrypted' && !/markerRecordedEventAttributes\.details\.data/.test(x.path))).toEqual([]);
        // Every bytes field as it is stored (base64 in the proto's JSON), decoded.
        const History = temporal.api.history.v1.History;
        const stored = [...JSON.stringify(History.toObject(History.fromObject(history), { bytes: String })).matchAll(/"([A-Za-z0-9+/]{8,}=*)"/g)]
          .map((m) => Buffer.from(m[1]!, 'base64').toString('latin1'))
          .join('\n');
        expect(stored).toContain('binary/encrypted'); // the reading does see the stored metadata
        for (const clear of ['cluster-shoji', Buffer.from('クラスタ商事').toString('latin1')]) expect(stored).not.toContain(clear);
        await raw.connection.close();

        // A viewer sees the contract but no action (a supervisor has the payment form), and not the people page.
        const viewer = await signIn(browser, consoleUrl, 'viewer-cluster');
        await viewer.goto(`${consoleUrl}/contracts/C-CLUSTER-1`);
        expect(await viewer.locator('body').innerText()).toContain('株式会社クラスタ');
        expect(await viewer.locator('#pay').count()).toBe(0);
        expect((await viewer.goto(`${consoleUrl}/people`))?.status()).toBe(403);
      } finally {
        await browser.close();
        await ledger.close();
      }
    },
  );

  it('two workers bill a month over the cluster; one is killed halfway; every contract is billed once', async () => {
    const dataDir = join(dir, 'workers');
    const taskQueue = 'cluster-billing';
    const outbox = watchOutbox(dataDir);
    const launch = async (i: number) => {
      const w = spawnWorker({
        launcher: 'npx',
        address: cluster.address,
        dataDir,
        taskQueue,
        billingConcurrency: 10,
        env: {
          ...tlsEnv(cluster.certs, 'worker', cluster.address, NAMESPACE),
          DATABASE_URL: cluster.ledgerUrl,
          LEDGER_SOCKET: join(dataDir, 'run', i === 0 ? 'ledger.sock' : `ledger-${i}.sock`),
          METRICS_PORT: '0',
        },
      });
      await w.ready;
      return w;
    };
    const workers: WorkerProcess[] = [await launch(0), await launch(1)];
    const p: Platform = {
      server: { client: admin, address: cluster.address } as unknown as Server,
      dataDir,
      taskQueue,
      databaseUrl: cluster.ledgerUrl,
      workers,
      get worker() {
        return workers[0]!;
      },
      outbox,
      respawn: async (i = 0) => (workers[i] = await launch(i)),
      teardown: async () => {
        await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
        outbox.close();
      },
    };
    try {
      const created = await billableContracts(p, 'CL', N);
      const run = await startBillingRun(admin, { taskQueue, period: created.period, concurrency: 10, pageSize: 25 });
      await until(`${N / 2} contracts handled`, async () => (handled(await run.query<BillingRunProgress>('progress')) >= N / 2 ? true : undefined));
      const t0 = Date.now();
      await workers[1]!.kill();
      const killedAt = Date.now();
      const result = await run.result();
      expect(result.failed).toEqual([]);
      expect(result.billed).toBe(N);
      // Each workflow task names its worker: both had a share, only the survivor after the kill, and
      // contracts the killed one had been running moved to it.
      const share = await workerShares(p, created.ids, killedAt);
      expect([share.before.size, share.after.size]).toEqual([2, 1]);
      expect(share.moved).toBeGreaterThan(0);
      console.log(
        `CLUSTER ${N} contracts billed over mutual TLS on PostgreSQL; worker killed at ${N / 2} handled, run finished ${Math.round((Date.now() - t0) / 1000)} s later; ${share.moved} contracts moved to the survivor`,
      );
      const audit = await auditBilling(p, created);
      expect(audit.duplicates).toEqual([]);
      expect(audit.lost).toEqual([]);
      // The workers, with the worker's certificate, met no refusal by the authorizer.
      for (const w of workers) expect(w.output()).not.toMatch(/unauthorized|permission.?denied/i);
    } finally {
      await p.teardown();
    }
  }, 900_000);

  it("the back office's process was refused nothing but the search attributes' registration (an admin's call, provisioned beforehand)", () => {
    expect(refusals.filter((l) => !l.startsWith('search attributes:'))).toEqual([]);
  });
});
