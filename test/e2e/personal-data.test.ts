/**
 * The marker test: a customer with unique details (name, e-mail, contact person, address, phone)
 * applies, is approved, changes the contact, is billed, pays, is terminated and deleted (D-8). Then the
 * details are in no workflow history (raw, and decoded through the codec), not in the Temporal server's
 * database file, not in the ledger's files, not in the outbox and not in the logs; the ledger keeps the
 * name only, on the invoice copies and the billing record. Every payload is encrypted.
 *
 * Two parts, because a whole contract life needs the time-skipping server while the database file needs
 * the dev server: (1) the whole life on the time-skipping server with the real ledger (PGlite on disk),
 * outbox and resources; (2) apply → approve → contact change → payment through the CLI on a dev server
 * whose SQLite file is then read byte by byte. Temporal never holds the details, so (2) needs no deletion.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities, openDependencies } from '../../src/activities';
import { createBillingRunActivities } from '../../src/activities/billing-run';
import { startLedgerService } from '../../src/backoffice/ledger-service';
import { runCli } from '../../src/cli';
import { apiClient } from '../../src/cli/api-client';
import { apiFor } from '../helpers/api-token';
import type { Contact } from '../../src/domain/types';
import { existingPath, temporalCliPath } from '../../src/infra/binaries';
import { codecOf } from '../../src/infra/data-converter';
import { ContractDriver } from '../../src/simulation/driver';
import { ledgerSocketPath, loadSettings } from '../../src/settings';
import { createWorker } from '../../src/worker';
import { CONTRACT_SEARCH_ATTRIBUTES } from '../../src/workflows/search-attributes';
import { stateQuery } from '../../src/workflows/contract/messages';
import { approveFeb2, billAndPay, billMonth } from '../helpers/contract-env';
import { TEST_CODEC_KEYS, testDataConverter, timeSkippingEnv, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';

// Everything the SDK, the worker and the activities log, for the last check.
const logs: string[] = [];
Runtime.install({ logger: new DefaultLogger('DEBUG', (entry) => logs.push(`${entry.message} ${JSON.stringify(entry.meta ?? {})}`)) });
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    original(...args);
  };
}

const tag = randomBytes(6).toString('hex');
const digits = String(parseInt(tag.slice(0, 8), 16))
  .padStart(10, '0')
  .slice(0, 8);
const marker = (n: number): Contact & { contactPerson: string; address: string; phone: string } => ({
  name: `株式会社マーカー${tag}${n}`,
  email: `marker-${tag}-${n}@example.co.jp`,
  contactPerson: `担当者${tag}${n}`,
  address: `大阪市北区${tag}${n}番地`,
  phone: `06-${digits.slice(0, 4)}-${digits.slice(4)}${n}`,
});
const first = marker(1);
const changed = marker(2);
/** Every detail but the name, which D-8 keeps on the billing records. */
const erasable = [first.email, first.contactPerson, first.address, first.phone, changed.email, changed.contactPerson, changed.address, changed.phone];
const all = [first.name, changed.name, ...erasable];

/** Each marker as the bytes it would take anywhere: UTF-8 (files, payloads) and as JSON escapes. */
function found(haystack: Buffer, needles: string[]): string[] {
  return needles.filter((n) => haystack.includes(Buffer.from(n, 'utf8')) || haystack.includes(Buffer.from(JSON.stringify(n).slice(1, -1), 'utf8')));
}

function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true })
    .map((f) => join(root, String(f)))
    .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
}

/** The markers found in any file under `root`, with the file they are in. */
function markersInFiles(root: string, needles: string[]): string[] {
  return filesUnder(root).flatMap((f) => found(readFileSync(f), needles).map((n) => `${n} in ${f}`));
}

/** Every payload object in a history (any depth). */
function payloadsOf(root: unknown): Payload[] {
  const out: Payload[] = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object' || v instanceof Uint8Array) return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'encoding' in (o.metadata as object)) return void out.push(o as Payload);
    Object.values(o).forEach(walk);
  };
  walk(root);
  return out;
}

/** All runs of a workflow, raw as the server stores them and decoded through the codec, as bytes. */
async function historyBytes(client: Client, workflowId: string): Promise<{ raw: Buffer; decoded: Buffer; encodings: Map<string, number> }> {
  const codec = codecOf(testDataConverter);
  const raws: Buffer[] = [];
  const decoded: Buffer[] = [];
  const encodings = new Map<string, number>();
  let handle = client.workflow.getHandle(workflowId);
  for (;;) {
    const h = await handle.fetchHistory();
    raws.push(Buffer.from(JSON.stringify(h, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v))));
    const payloads = payloadsOf(h);
    for (const p of payloads) {
      const e = Buffer.from(p.metadata!.encoding!).toString();
      encodings.set(e, (encodings.get(e) ?? 0) + 1);
    }
    const encrypted = payloads.filter((p) => Buffer.from(p.metadata!.encoding!).toString() === 'binary/encrypted');
    for (const p of await codec.decode(encrypted)) decoded.push(Buffer.from(p.data ?? new Uint8Array()));
    const previous = h.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!previous) break;
    handle = client.workflow.getHandle(workflowId, previous);
  }
  return { raw: Buffer.concat(raws), decoded: Buffer.concat(decoded), encodings };
}

describe('a whole contract life (time-skipping server, the real ledger and outbox on disk)', () => {
  const id = `C-MARKER-${tag}`;
  let dir: string;
  let env: TestWorkflowEnvironment;
  let deps: Awaited<ReturnType<typeof openDependencies>>;
  let worker: Worker;
  let running: Promise<void>;
  let history: Awaited<ReturnType<typeof historyBytes>>;
  let ledgerRows: { customer: unknown; invoices: unknown[]; notices: unknown[] };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'neutrix-marker-'));
    env = await timeSkippingEnv();
    const taskQueue = uniqueTaskQueue('marker');
    deps = await openDependencies(loadSettings({ DATA_DIR: dir, TASK_QUEUE: taskQueue }));
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: {
        ...createActivities(deps),
        ...createBillingRunActivities(new Client({ connection: env.nativeConnection, dataConverter: testDataConverter })),
      },
      dataConverter: testDataConverter,
    });
    running = worker.run();

    const { customerId } = await deps.ledger.customers.register({ contractId: id, contact: first });
    const d = await ContractDriver.start(env, {
      taskQueue,
      application: {
        contractId: id,
        customerId,
        terms: { plan: 'standard', components: [{ os: 'linux' }, { os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 30000 },
        appliedOn: '2026-01-05',
      },
    });
    await approveFeb2(d);
    const { revision } = await deps.ledger.customers.changeContact({ requestId: 'contact-1', contractId: id, change: changed });
    expect((await d.command('changeContact', { requestId: 'contact-1', contactRevision: revision })).ok).toBe(true);
    await billAndPay(d, '2026-02');
    await d.advanceTo('2026-03-10', 10);
    expect((await d.command('terminateForCause', { requestId: 'cause', internalReason: 'fraud' })).ok).toBe(true);
    await billMonth(d, '2026-03'); // on 04-01, after the deletion of 03-11: the last invoice
    await d.advanceTo('2026-04-02', 1);
    await d.settle();
    const view = await d.handle.query(stateQuery);
    expect(view).toMatchObject({ status: 'ended', endDate: '2026-03-10', dataDeletedOn: '2026-03-11', contactRevision: 2, failedEffects: [] });
    history = await historyBytes(env.client, id);
    const q = (sql: string) => deps.ledger.db.query(sql, [id]).then((r) => r.rows);
    ledgerRows = {
      customer: (await q('SELECT name, email, contact_person, address, phone, contact_removed_on::text AS removed FROM customers WHERE contract_id = $1'))[0],
      invoices: await q(
        'SELECT period, customer_name, customer_email, contact_removed_on::text AS removed FROM invoices WHERE contract_id = $1 ORDER BY period',
      ),
      notices: await q(`SELECT kind, status, recipient_email FROM notices WHERE contract_id = $1 ORDER BY on_date, kind`),
    };
    worker.shutdown();
    await running;
    await deps.close(); // PGlite writes its files out (and the tree is tightened)
  }, 300_000);

  afterAll(async () => {
    await env?.teardown();
    await rm(dir, { recursive: true, force: true });
  });

  it('the ledger keeps the name on the billing records and nothing else of the customer', () => {
    expect(ledgerRows.customer).toEqual({ name: changed.name, email: null, contact_person: null, address: null, phone: null, removed: '2026-03-11' });
    // The name as it was when each invoice was issued: the change came in February, before the first one.
    expect(ledgerRows.invoices).toEqual([
      { period: '2026-02', customer_name: changed.name, customer_email: null, removed: '2026-03-11' },
      { period: '2026-03', customer_name: changed.name, customer_email: null, removed: '2026-03-11' },
    ]);
    expect((ledgerRows.notices as Array<{ recipient_email: unknown }>).every((n) => n.recipient_email === null)).toBe(true);
    // Sent while the contact existed; the last invoice's notice after the deletion is withheld, not mailed.
    expect(ledgerRows.notices).toContainEqual({ kind: 'dataDeleted', status: 'sent', recipient_email: null });
    expect(ledgerRows.notices).toContainEqual({ kind: 'invoiceIssued', status: 'withheld', recipient_email: null });
  });

  it('no detail in any history, raw or decoded; every payload encrypted but the SDK core’s marker metadata', () => {
    expect(found(history.raw, all)).toEqual([]);
    expect(found(history.decoded, all)).toEqual([]);
    expect(history.decoded.length).toBeGreaterThan(1_000); // the decoded histories are really there
    expect(history.decoded.includes(Buffer.from(id))).toBe(true);
    expect([...history.encodings.keys()].sort()).toEqual(['binary/encrypted', 'json/plain']);
    expect(history.encodings.get('json/plain')).toBeLessThan(history.encodings.get('binary/encrypted')!);
  });

  it('no detail but the name left in the ledger’s files; none at all in the outbox or the logs', () => {
    const ledgerFiles = filesUnder(join(dir, 'ledger'));
    expect(ledgerFiles.length).toBeGreaterThan(100);
    expect(markersInFiles(join(dir, 'ledger'), erasable)).toEqual([]);
    expect(markersInFiles(join(dir, 'outbox'), all)).toEqual([]);
    expect(filesUnder(join(dir, 'outbox')).filter((f) => f.includes(id))).toEqual([]);
    const logText = Buffer.from(logs.join('\n'));
    expect(logs.length).toBeGreaterThan(0);
    expect(found(logText, all)).toEqual([]);
  });
});

describe('the dev server’s database file', () => {
  const id = `C-MARKER-DEV-${tag}`;
  let dir: string;
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'neutrix-marker-dev-'));
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: existingPath(temporalCliPath()),
        ip: '127.0.0.1',
        ui: false,
        searchAttributes: [...CONTRACT_SEARCH_ATTRIBUTES],
        dbFilename: join(dir, 'temporal.db'),
      },
      client: { dataConverter: testDataConverter },
    });
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds none of the details after apply, approve, a contact change and a payment through the CLI', async () => {
    const dataDir = join(dir, 'data');
    const settings = loadSettings({ DATA_DIR: dataDir, TASK_QUEUE: uniqueTaskQueue('marker-dev'), NEUTRIX_CODEC_KEYS: TEST_CODEC_KEYS });
    const deps = await openDependencies(settings);
    const service = await startLedgerService(deps.ledger, ledgerSocketPath(settings));
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      settings,
      deps,
      dataConverter: testDataConverter,
      simulatedClock: true,
    });
    const running = worker.run();
    const api = await apiFor(deps.ledger, env.client, settings);
    const cli = async (args: string[]) => {
      let err = '';
      const code = await runCli(args, {
        out: () => undefined,
        err: (t) => void (err += t),
        env: {},
        api: () => apiClient(api.url, api.token),
        settings: () => settings,
        writeFile: async () => undefined,
      });
      expect({ args: args[0], code, err }).toEqual({ args: args[0], code: 0, err: '' });
    };
    try {
      await cli([
        'apply',
        id,
        '--name',
        first.name,
        '--email',
        first.email,
        '--contact-person',
        first.contactPerson,
        '--address',
        first.address,
        '--phone',
        first.phone,
        '--plan',
        'entry',
        '--linux',
        '1',
      ]);
      await cli(['approve', id]);
      await cli(['contact', id, '--email', changed.email, '--address', changed.address]);
      await cli(['pay', id, '--amount', '1000']);
      const view = await env.client.workflow.getHandle(id).query(stateQuery);
      expect(view).toMatchObject({ status: 'active', contactRevision: 2 });
      const h = await historyBytes(env.client, id);
      expect(h.decoded.includes(Buffer.from(id))).toBe(true);
      expect(found(Buffer.concat([h.raw, h.decoded]), all)).toEqual([]);
      expect((await deps.ledger.customers.ofContract(id))?.contact).toMatchObject({ email: changed.email, address: changed.address, name: first.name });
    } finally {
      await api.close();
      worker.shutdown();
      await running;
      await service.close();
      await deps.close();
      await env.teardown(); // the server stops: its SQLite file (and its -wal) are complete on disk
    }
    const dbFiles = readdirSync(dir).filter((f) => f.startsWith('temporal.db'));
    expect(dbFiles).toContain('temporal.db');
    expect(statSync(join(dir, 'temporal.db')).size).toBeGreaterThan(100_000);
    expect(dbFiles.flatMap((f) => found(readFileSync(join(dir, f)), all).map((n) => `${n} in ${f}`))).toEqual([]);
    // The same reading finds what is there: the contract id, which is no personal data.
    expect(dbFiles.some((f) => readFileSync(join(dir, f)).includes(Buffer.from(id)))).toBe(true);
  }, 240_000);
});
