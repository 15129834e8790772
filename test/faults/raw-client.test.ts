/**
 * Temporal closed to everyone but our clients (docs/operations.md#encryption): the real `temporal` CLI, as
 * any client reaching the frontend would, sends a plaintext start, update and signal. Each is refused
 * before any contract code acts on it — the update rejected by its validator, the start failed in its
 * first task, the signal dropped — the target's state, ledger and outbox unchanged, no workflow task
 * failing; a payment sent right after through our client is accepted. An ended contract's id is never
 * started again by the back office (REJECT_DUPLICATE), and a large payment is a four-eyes step (D-29).
 * Real dev server, real worker, real ledger (PGlite) and outbox.
 */
import { execFile } from 'node:child_process';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationStartOptions } from '../../src/backoffice/commands/apply';
import { jstDateOf } from '../../src/domain/calendar';
import type { Application } from '../../src/domain/validation';
import { projectRoot, temporalCliPath } from '../../src/infra/binaries';
import { commandUpdates } from '../../src/workflows/contract/messages';
import { CLERK, OPS, SUPERVISOR_A, SUPERVISOR_B } from '../helpers/actors';
import { commandFixture, messageOf, reportFigure, type CommandFixture, type Snapshot } from './support';

const EventType = temporal.api.enums.v1.EventType;
let f: CommandFixture;
const today = jstDateOf(Date.now());
const TARGET = 'R-TARGET';
let before: Snapshot;
/** Plaintext or forged writes the raw client made, each refused. */
let refused = 0;

/** The Temporal CLI binary against the test's dev server, with no codec: what any other client sends. */
function temporalCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      temporalCliPath(),
      [...args, '--address', f.env.address, '--namespace', 'default'],
      { cwd: projectRoot, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) || 1 : 0, stdout, stderr });
      },
    );
  });
}

async function application(contractId: string): Promise<Application> {
  const { customerId } = await f.deps.ledger.customers.register({
    contractId,
    contact: { name: '株式会社ターゲット', email: `billing+${contractId.toLowerCase()}@example.co.jp` },
  });
  return {
    contractId,
    customerId,
    terms: { plan: 'standard', components: [{ os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 10_000 },
    appliedOn: today,
  };
}

/** Every event of a workflow's history by type, the workflow tasks included. */
async function eventTypes(workflowId: string): Promise<string[]> {
  const h = await f.client.workflow.getHandle(workflowId).fetchHistory();
  return (h.events ?? []).map((e) => EventType[e.eventType ?? 0] ?? String(e.eventType));
}

beforeAll(async () => {
  f = await commandFixture();
  const app = await application(TARGET);
  await f.client.workflow.start('contract', { ...applicationStartOptions(app, 'apply-1', f.taskQueue), args: [{ application: app }] });
  const handle = f.client.workflow.getHandle(TARGET);
  await handle.executeUpdate(commandUpdates.approve, { args: [{ actor: OPS, requestId: 'approve', startDate: today }] });
  await handle.executeUpdate(commandUpdates.pay, { args: [{ actor: CLERK, requestId: 'pay-1', amount: 1000 }] });
  await f.settled(TARGET);
  before = await f.snapshot(TARGET);
}, 120_000);
afterAll(async () => {
  reportFigure({ suite: 'raw Temporal client', runs: refused, faults: refused, duplicates: 0, lost: 0, note: `${refused} plaintext or forged writes refused` });
  await f?.teardown();
});

const systemTermination = JSON.stringify({ requestId: 'x', actor: { id: 'system:billing-run', role: 'system', via: 'system' } });

describe('a plaintext command from a raw client', () => {
  it('an update (the system terminating the contract) is rejected by the validator: nothing changes, no task fails', async () => {
    const r = await temporalCli(['workflow', 'update', 'execute', '-w', TARGET, '--name', 'terminateForCause', '--input', systemTermination]);
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/terminateForCause refused: a json\/plain payload: not encrypted with one of our keys/);
    expect(await f.snapshot(TARGET)).toEqual(before);
    expect(await eventTypes(TARGET)).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');
    refused++;
  });

  it('an update claiming one of our key ids but not made with its key, or an invented key id, is rejected too: nothing changes, no task fails', async () => {
    const forged = Buffer.from('x'.repeat(64)).toString('base64');
    // A `pay` whose input claims to be encrypted under `keyId`, made without any key of ours.
    const forgedPay = (keyId: string) =>
      temporalCli([
        'workflow',
        'update',
        'execute',
        '-w',
        TARGET,
        '--name',
        'pay',
        '--input-meta',
        'encoding=binary/encrypted',
        '--input-meta',
        `encryption-key-id=${keyId}`,
        '--input-base64',
        '--input',
        forged,
      ]);
    const r = await forgedPay('test-2026-12'); // the test key's id, as any history shows it
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/pay refused: payload encrypted with codec key 'test-2026-12' failed authentication/);
    expect(await f.snapshot(TARGET)).toEqual(before);
    expect(await eventTypes(TARGET)).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');
    refused++;
    // …and one under a key id we do not hold (invented): refused the same way, not a task failing until it is gone.
    const invented = await forgedPay('k-invented');
    expect(invented.code).not.toBe(0);
    expect(`${invented.stdout}${invented.stderr}`).toMatch(
      /pay refused: payload encrypted with codec key 'k-invented', which is not among the configured keys/,
    );
    expect(await f.snapshot(TARGET)).toEqual(before);
    expect(await eventTypes(TARGET)).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');
    refused++;
  });

  it('a signal is dropped: the contract, its ledger and its outbox are unchanged, no task fails', async () => {
    const r = await temporalCli(['workflow', 'signal', '-w', TARGET, '--name', 'terminateForCause', '--input', systemTermination]);
    expect(r.code).toBe(0); // a signal cannot be refused by the server; the workflow drops it
    let events: string[] = [];
    for (let i = 0; i < 100; i++) {
      events = await eventTypes(TARGET);
      if (events.at(-1) === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED' && events.includes('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED')) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(events.at(-1)).toBe('EVENT_TYPE_WORKFLOW_TASK_COMPLETED');
    expect(events).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');
    const after = await f.snapshot(TARGET);
    expect(after).toEqual({ ...before, events: [...before.events, 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED'] });
    refused++;
  });

  it('a start (a contract of its own, or a billing run) fails in its first task, before any contract code or effect', async () => {
    const app = await application('R-RAW-START');
    const r = await temporalCli([
      'workflow',
      'start',
      '--type',
      'contract',
      '--task-queue',
      f.taskQueue,
      '-w',
      'R-RAW-START',
      '--input',
      JSON.stringify({ application: app }),
    ]);
    expect(r.code).toBe(0); // the server takes it; the worker refuses it
    const err = await f.client.workflow
      .getHandle('R-RAW-START')
      .result()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(messageOf(err)).toBe('contract start refused: its input is a json/plain payload: not encrypted with one of our keys');
    const own = await f.snapshot('R-RAW-START');
    expect(own.events).toEqual(['EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', 'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED']);
    expect([own.invoices, own.payments, own.notices, own.outbox]).toEqual([[], [], [], []]);
    expect(await eventTypes('R-RAW-START')).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');
    // A billing run started by hand would bill last month for everyone: refused the same way.
    const run = await temporalCli(['workflow', 'start', '--type', 'billingRun', '--task-queue', f.taskQueue, '-w', 'R-RAW-BILLING', '--input', '{}']);
    expect(run.code).toBe(0);
    const runErr = await f.client.workflow
      .getHandle('R-RAW-BILLING')
      .result()
      .catch((e: unknown) => e);
    expect(messageOf(runErr)).toBe('billing run start refused: its input is a json/plain payload: not encrypted with one of our keys');
    expect(await f.snapshot(TARGET)).toMatchObject({ view: before.view, payments: before.payments, outbox: before.outbox });
    refused += 2;
  });

  it('a payment sent right after through our client is accepted', async () => {
    const paid = await f.client.workflow.getHandle(TARGET).executeUpdate(commandUpdates.pay, { args: [{ actor: CLERK, requestId: 'pay-2', amount: 2000 }] });
    expect(paid.summary).toContain('2000 yen');
    await f.settled(TARGET);
    expect((await f.deps.ledger.listPayments(TARGET)).map((p) => p.amount)).toEqual([1000, 2000]);
    expect(await eventTypes(TARGET)).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');
  });
});

describe('an ended contract’s id', () => {
  it('is never started again by the back office: the start is refused naming the contract id; the ended run stays the latest', async () => {
    const app = await application('R-ENDED');
    const options = applicationStartOptions(app, 'apply-1', f.taskQueue);
    const first = await f.client.workflow.start('contract', { ...options, args: [{ application: app }] });
    await first.executeUpdate(commandUpdates.reject, { args: [{ actor: OPS, requestId: 'reject' }] });
    await first.result();
    const again = await f.client.workflow
      .start('contract', { ...applicationStartOptions(app, 'apply-2', f.taskQueue), args: [{ application: app }] })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    expect((again as WorkflowExecutionAlreadyStartedError).workflowId).toBe('R-ENDED');
    expect((await f.client.workflow.getHandle('R-ENDED').describe()).runId).toBe(first.firstExecutionRunId);
    // The ledger holds the id too: another customer's details under it are refused, naming the contract.
    await expect(f.deps.ledger.customers.register({ contractId: 'R-ENDED', contact: { name: '別の会社', email: 'other@example.co.jp' } })).rejects.toThrow(
      /contract R-ENDED already has a customer on record with other details; a contract id is never reused/,
    );
  });
});

describe('a large payment (D-29)', () => {
  it('a clerk’s 999,999,999円 payment records nothing until a second supervisor approves it', async () => {
    const handle = f.client.workflow.getHandle(TARGET);
    const alone = await handle
      .executeUpdate(commandUpdates.pay, { args: [{ actor: CLERK, requestId: 'pay-big', amount: 999_999_999 }] })
      .catch((e: unknown) => e);
    expect(alone).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(messageOf(alone)).toMatch(/^pay refused \(運用 \(二者承認\)\): pay needs a second supervisor \(D-29\)/);
    const asked = await handle.executeUpdate(commandUpdates.requestApproval, {
      args: [{ actor: CLERK, requestId: 'pay-big', action: 'pay', input: { amount: 999_999_999 }, reason: 'a payment above 10,000,000 yen (D-29)' }],
    });
    expect(asked.summary).toContain('pay waits for a second supervisor');
    await f.settled(TARGET);
    expect((await f.deps.ledger.listPayments(TARGET)).map((p) => p.amount)).toEqual([1000, 2000]);
    // 1,000,000,001 yen is refused by the schema, naming the field.
    const absurd = await handle
      .executeUpdate(commandUpdates.pay, { args: [{ actor: SUPERVISOR_A, requestId: 'pay-absurd', amount: 999_999_999_999 }] })
      .catch((e: unknown) => e);
    expect(messageOf(absurd)).toMatch(/^pay: amount: the payment is more than 1,000,000,000 yen/);
    const approved = await handle.executeUpdate(commandUpdates.approveRequest, {
      args: [{ actor: SUPERVISOR_B, requestId: 'approve-big', approvalOf: 'pay-big' }],
    });
    expect(approved.summary).toContain('approved by supervisor u-sup-b (console)');
    await f.settled(TARGET);
    expect((await f.deps.ledger.listPayments(TARGET)).map((p) => p.amount)).toEqual([1000, 2000, 999_999_999]);
  });
});
