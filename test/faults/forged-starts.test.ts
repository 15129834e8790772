/**
 * A contract workflow started by hand (any Temporal client, the Web UI's Start Workflow button) cannot act
 * as another contract: each forged start fails non-retryably before any effect, and the contract it aims
 * at — its state, history, ledger and outbox — is exactly as before. A Temporal cancellation request is
 * not an Art. 28 cancellation: it is noted and shown, and the contract runs on.
 * Real dev server, real worker, real ledger (PGlite) and outbox.
 */
import { OPS } from '../helpers/actors';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryResourceApi } from '../../src/activities';
import { jstDateOf } from '../../src/domain/calendar';
import type { Application } from '../../src/domain/validation';
import { commandUpdates, stateQuery } from '../../src/workflows/contract/messages';
import { commandFixture, messageOf, reportFigure, type CommandFixture, type Snapshot } from './support';

let f: CommandFixture;
/** The provider's resources as the worker's deletion sees them (DATA_DIR/resources, src/activities/index.ts). */
const provider = () => new DirectoryResourceApi(join(f.dataDir, 'resources'));
const today = jstDateOf(Date.now());
const TARGET = 'F-TARGET';
let before: Snapshot;
let holdingsBefore: unknown;
let refused = 0;

/** Each contract's customer, registered in the ledger as the back office does before it starts the contract. */
const customerIds = new Map<string, string>();
function application(contractId: string, customerId = customerIds.get(contractId)!): Application {
  return {
    contractId,
    customerId,
    terms: { plan: 'standard', components: [{ os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 10_000 },
    appliedOn: today,
  };
}

beforeAll(async () => {
  f = await commandFixture();
  for (const id of [TARGET, 'F-FORGED-2', 'F-FORGED-3', 'F-FORGED-4', 'F-FORGED-7', 'F-FORGED-8', 'F-CANCEL-REQUEST']) {
    const { customerId } = await f.deps.ledger.customers.register({
      contractId: id,
      contact: { name: '株式会社ターゲット', email: `billing+${id.toLowerCase()}@example.co.jp` },
    });
    customerIds.set(id, customerId);
  }
  await f.client.workflow.start('contract', { taskQueue: f.taskQueue, workflowId: TARGET, args: [{ application: application(TARGET) }] });
  await f.client.workflow.getHandle(TARGET).executeUpdate(commandUpdates.approve, { args: [{ actor: OPS, requestId: 'approve', startDate: today }] });
  await f.client.workflow.getHandle(TARGET).executeUpdate(commandUpdates.pay, { args: [{ actor: OPS, requestId: 'pay-1', amount: 1000 }] });
  await f.settled(TARGET);
  // What the provider holds for the customer, which a forged deletion would remove.
  await provider().provision(TARGET, { accounts: ['admin'], resources: ['vm-1'], data: { 'db.dump': 'rows' } });
  holdingsBefore = await provider().holdings(TARGET);
  before = await f.snapshot(TARGET);
});
afterAll(async () => {
  reportFigure({ suite: 'forged contract starts', runs: refused, faults: refused, duplicates: 0, lost: 0, note: `${refused} forged starts refused` });
  await f?.teardown();
});

/** What a forger would carry: the target's own state, with effects that would pay, delete and mail. */
function forgedCarried(contractId: string) {
  const v = before.view!;
  return {
    state: { ...v, contractId },
    effects: [
      { type: 'recordPayment', paymentId: `${contractId}:forged`, paidOn: today, amount: 5_000_000, allocations: [] },
      { type: 'deleteData', lastContractDay: today, deletionDay: today },
      { type: 'notice', id: `${contractId}:paymentOverdue:forged`, kind: 'paymentOverdue', on: today, facts: { period: today.slice(0, 7), outstanding: 1 } },
    ],
  };
}

const forged: Array<[what: string, workflowId: string, args: () => unknown[], message: RegExp]> = [
  [
    'an application for another contract id',
    'F-FORGED-1',
    () => [{ application: application(TARGET) }],
    /the application is for F-TARGET, but this workflow is F-FORGED-1/,
  ],
  [
    'a carried state not from a continue-as-new',
    'F-FORGED-2',
    () => [{ application: application('F-FORGED-2'), carried: forgedCarried(TARGET) }],
    /a carried state comes only from a continue-as-new/,
  ],
  [
    'a carried state named after its own id',
    'F-FORGED-3',
    () => [{ application: application('F-FORGED-3'), carried: forgedCarried('F-FORGED-3') }],
    /a carried state comes only from a continue-as-new/,
  ],
  [
    'the simulator’s clock shift as an input',
    'F-FORGED-4',
    () => [{ application: application('F-FORGED-4'), clockOffsetMs: 86_400_000 * 400 }],
    /unknown input "clockOffsetMs"/,
  ],
  ['no input at all', 'F-FORGED-5', () => [], /expected \{ application \} as the input/],
  ['a string as the input', 'F-FORGED-6', () => ['C-1001'], /expected \{ application \} as the input/],
  // Policy is the domain's (D-29): a start carrying its own is refused, whatever the figures.
  [
    'a four-eyes threshold of its own',
    'F-FORGED-7',
    () => [{ application: application('F-FORGED-7'), fourEyesThresholdYen: 1e12 }],
    /unknown input "fourEyesThresholdYen"/,
  ],
  [
    'overdue periods of its own',
    'F-FORGED-8',
    () => [{ application: application('F-FORGED-8'), overduePolicy: { suspendAfterDays: 30, terminateAfterDays: 365 } }],
    /unknown input "overduePolicy"/,
  ],
];

describe('forged or stray starts', () => {
  it.each(forged)('%s: refused before any effect, the target unchanged', async (_what, workflowId, args, message) => {
    const handle = await f.client.workflow.start('contract', { taskQueue: f.taskQueue, workflowId, args: args() as [never] });
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(messageOf(err)).toMatch(/^contract start refused: /);
    expect(messageOf(err)).toMatch(message);
    refused++;
    // Failed in its first workflow task: no activity, no marker, no timer, no notice.
    const own = await f.snapshot(workflowId);
    expect(own.events).toEqual(['EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', 'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED']);
    expect([own.invoices, own.payments, own.notices, own.outbox]).toEqual([[], [], [], []]);
    expect(await f.snapshot(TARGET)).toEqual(before);
    expect(await provider().holdings(TARGET)).toEqual(holdingsBefore);
    expect(holdingsBefore).toEqual({ accounts: ['admin'], resources: ['vm-1'], data: ['db.dump'] });
  });
});

describe('a start naming another contract’s customer', () => {
  it('runs as a contract of its own but reaches nobody: its notices fail for want of a contact, the target is unchanged', async () => {
    const id = 'F-FORGED-CUSTOMER';
    await f.client.workflow.start('contract', { taskQueue: f.taskQueue, workflowId: id, args: [{ application: application(id, customerIds.get(TARGET)!) }] });
    const view = await f.settled(id);
    expect(view.failedEffects.map((e) => [e.effect.type, e.reason])).toEqual([
      ['notice', `no customer ${customerIds.get(TARGET)} on record for contract ${id}`],
    ]);
    expect((await f.snapshot(id)).outbox).toEqual([]);
    expect(await f.snapshot(TARGET)).toEqual(before);
    refused++;
  });
});

describe('a Temporal cancellation request (the Web UI button)', () => {
  it('is noted and shown, and the contract keeps running and taking commands', async () => {
    const id = 'F-CANCEL-REQUEST';
    await f.client.workflow.start('contract', { taskQueue: f.taskQueue, workflowId: id, args: [{ application: application(id) }] });
    const handle = f.client.workflow.getHandle(id);
    await handle.executeUpdate(commandUpdates.approve, { args: [{ actor: OPS, requestId: 'approve', startDate: today }] });
    await handle.cancel();
    let view = await handle.query(stateQuery);
    for (let i = 0; i < 100 && view.cancellationRequestedAt === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = await handle.query(stateQuery);
    }
    expect(view.cancellationRequestedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(view.status).toBe('active');
    expect(view.end).toBeNull();
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const paid = await handle.executeUpdate(commandUpdates.pay, { args: [{ actor: OPS, requestId: 'pay-after-cancel', amount: 500 }] });
    expect(paid.summary).toContain('500 yen');
    await f.settled(id);
    expect((await f.deps.ledger.listPayments(id)).map((p) => p.amount)).toEqual([500]);
    expect((await f.snapshot(id)).notices).not.toContain(`${id}:cancellationAccepted:`);
  });
});
