/**
 * Fault tests on commands: a dev server, the real worker (createWorker) in this process with the real
 * ledger (PGlite on disk) and .eml outbox in a temporary DATA_DIR, and a snapshot of everything a command
 * could change — the contract's state and history, its ledger rows, the outbox — to prove that a refused
 * command changed nothing and that a repeated one had its effect once.
 */
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { openDependencies } from '../../src/activities';
import { loadSettings } from '../../src/settings';
import { createWorker } from '../../src/worker';
import type { ContractView } from '../../src/domain/contract';
import { watchOutbox } from '../../bench/harness';
import { devServerEnv, testDataConverter, uniqueTaskQueue } from '../helpers/temporal';
import { stateQuery } from '../../src/workflows/contract/messages';

const EventType = temporal.api.enums.v1.EventType;

export interface CommandFixture {
  env: TestWorkflowEnvironment;
  client: Client;
  dataDir: string;
  taskQueue: string;
  deps: Awaited<ReturnType<typeof openDependencies>>;
  outbox: ReturnType<typeof watchOutbox>;
  /** Wait until the contract has carried out every effect (notices, invoices) it has. */
  settled(contractId: string): Promise<ContractView>;
  snapshot(contractId: string): Promise<Snapshot>;
  teardown(): Promise<void>;
}

export interface Snapshot {
  exists: boolean;
  view?: ContractView;
  /** History events other than workflow tasks (a rejected update leaves none; an accepted one does). */
  events: string[];
  invoices: unknown[];
  payments: unknown[];
  notices: string[];
  outbox: string[];
}

export async function commandFixture(): Promise<CommandFixture> {
  const env = await devServerEnv();
  const dataDir = await mkdtemp(join(tmpdir(), 'neutrix-faults-'));
  const taskQueue = uniqueTaskQueue('faults');
  // Only these settings: a DATABASE_URL or SMTP_URL in the environment must not redirect the ledger or mail.
  const settings = loadSettings({ DATA_DIR: dataDir, TASK_QUEUE: taskQueue });
  const deps = await openDependencies(settings);
  const outbox = watchOutbox(dataDir);
  let worker: Worker;
  try {
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      settings,
      deps,
      dataConverter: testDataConverter,
      simulatedClock: true,
    });
  } catch (err) {
    outbox.close();
    await deps.close();
    await env.teardown();
    throw err;
  }
  const running = worker.run();
  const outboxDir = join(dataDir, 'outbox');

  async function settled(contractId: string): Promise<ContractView> {
    const handle = env.client.workflow.getHandle(contractId);
    const until = Date.now() + 30_000;
    for (;;) {
      const view = (await handle.query(stateQuery)) as ContractView;
      if (view.pendingEffects === 0 || Date.now() > until) return view;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    env,
    client: env.client,
    dataDir,
    taskQueue,
    deps,
    outbox,
    settled,
    async snapshot(contractId) {
      const handle = env.client.workflow.getHandle(contractId);
      let view: ContractView | undefined;
      let events: string[] = [];
      let exists = true;
      try {
        const d = await handle.describe();
        if (d.status.name === 'RUNNING') view = await settled(contractId);
        const history = await handle.fetchHistory();
        events = (history.events ?? [])
          .map((e) => EventType[e.eventType ?? 0] ?? String(e.eventType))
          .filter((t) => !t.startsWith('EVENT_TYPE_WORKFLOW_TASK_'));
      } catch (err) {
        if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
        exists = false;
      }
      return {
        exists,
        ...(view ? { view: { ...view, today: '' } } : {}),
        events,
        invoices: await deps.ledger.listInvoices(contractId),
        payments: await deps.ledger.listPayments(contractId),
        notices: (await deps.ledger.listNotices(contractId)).map((n) => n.noticeId),
        outbox: existsSync(outboxDir)
          ? readdirSync(outboxDir)
              .filter((f) => f.includes(contractId))
              .sort()
          : [],
      };
    },
    async teardown() {
      worker.shutdown();
      await running.catch(() => undefined);
      outbox.close();
      await deps.close();
      await env.teardown();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The message a refused update or start came back with (the workflow's failure, not the SDK's wrapper). */
export function messageOf(err: unknown): string {
  const e = err as { cause?: { message?: string }; message?: string };
  return e.cause?.message ?? e.message ?? String(err);
}

export interface FaultFigure {
  suite: string;
  runs: number;
  faults: number;
  duplicates: number;
  lost: number;
  note?: string;
}

/**
 * One summary line per fault suite: runs, faults injected, duplicates found, data lost. Under `npm run
 * chaos` the lines are also collected (CHAOS_SUMMARY_FILE) and printed as one table at the end.
 */
export function reportFigure(f: FaultFigure): void {
  console.log(
    `FAULTS ${f.suite}: runs ${f.runs}, faults injected ${f.faults}, duplicates found ${f.duplicates}, data lost ${f.lost}${f.note ? ` (${f.note})` : ''}`,
  );
  if (process.env.CHAOS_SUMMARY_FILE) appendFileSync(process.env.CHAOS_SUMMARY_FILE, `${JSON.stringify(f)}\n`);
}
