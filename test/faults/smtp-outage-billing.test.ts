/**
 * The mail server down for a simulated day during the monthly billing run, on the
 * time-skipping server with the real workflows and activities. The run cannot say "billed" for invoices
 * whose mail has not gone out, so it ends failed, naming each contract; the contracts keep trying on one
 * activity each; once the server is back every notice goes out exactly once, and a re-run finds every
 * contract already billed. Each contract's history grows by a bounded number of events over the day.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContractDriver } from '../../src/simulation/driver';
import { SIMULATED_CLOCK_OFFSET_MEMO } from '../../src/simulation/workflow-clock';
import { billingRun, type BillingRunProgress } from '../../src/workflows/billing-run';
import { NeedsAttentionKey } from '../../src/workflows/search-attributes';
import { approveFeb2, contractTestEnv, standardApplication, type ContractTestEnv } from '../helpers/contract-env';
import { reportFigure } from './support';

const N = 5;
/** The events one contract's history may gain over the day: the close's update, the patient activity, the attention timer and flag, the workflow tasks around them. */
const HISTORY_BOUND = 40;
let t: ContractTestEnv;
beforeAll(async () => {
  t = await contractTestEnv();
}, 120_000);
afterAll(() => t?.teardown());

it(`bills ${N} contracts while SMTP is down for a day: the run ends failed, every notice goes out once when it is back, and the history stays bounded`, async () => {
  const drivers: ContractDriver[] = [];
  for (let i = 0; i < N; i++) {
    const d = await t.start(standardApplication(`SMTP-DOWN-${i}`));
    drivers.push(d);
  }
  for (const d of drivers) await approveFeb2(d);
  await drivers[0]!.advanceTo('2026-03-01', 0, 6);
  const send = t.deps.mailer.send.bind(t.deps.mailer);
  let down = true;
  let refused = 0;
  t.deps.mailer.send = async (mail) => {
    if (down) {
      refused++;
      throw new Error('connect ECONNREFUSED 127.0.0.1:25');
    }
    return send(mail);
  };
  const ids = drivers.map((d) => d.handle.workflowId);
  const before = await Promise.all(drivers.map(async (d) => (await d.handle.fetchHistory()).events!.length));
  const memo = { [SIMULATED_CLOCK_OFFSET_MEMO]: drivers[0]!.offsetMs };
  const run = t.env.client.workflow.execute(billingRun, {
    taskQueue: t.taskQueue,
    workflowId: 'smtp-down-run-1',
    args: [{ period: '2026-02', contractIds: ids }],
    memo,
  });
  const failure = await run.then(
    () => undefined,
    (err: unknown) => (err instanceof WorkflowFailedError ? err.cause : err),
  );
  expect(failure).toBeInstanceOf(ApplicationFailure);
  const progress = (failure as ApplicationFailure).details![0] as BillingRunProgress;
  expect([progress.billed, progress.alreadyBilled, progress.nothingToBill, progress.failed.length]).toEqual([0, 0, 0, N]);
  for (const f of progress.failed) expect(f.reason).toMatch(/^invoiced 2026-02; the ledger entry or the mail is still under way/);
  // The invoices are in the ledger (the database was up); none was mailed.
  for (const id of ids) expect((await t.deps.ledger.listInvoices(id)).map((i) => i.period)).toEqual(['2026-02']);
  expect(t.deps.mailer.mails.filter((m) => m.kind === 'invoiceIssued')).toHaveLength(0);

  await t.env.sleep(24 * 3_600_000); // a day of retries
  for (const d of drivers) expect((await d.handle.describe()).typedSearchAttributes.get(NeedsAttentionKey)).toBe(true);
  down = false;
  await t.env.sleep(15 * 60_000); // the next retry, at most 10 minutes apart
  for (const d of drivers) await d.settle();
  for (const id of ids) {
    expect(t.deps.mailer.mails.filter((m) => m.noticeId === `${id}:invoiceIssued:2026-02`)).toHaveLength(1);
    expect((await t.deps.ledger.listNotices(id)).filter((n) => n.kind === 'invoiceIssued' && n.status === 'sent')).toHaveLength(1);
  }
  const grown = await Promise.all(drivers.map(async (d, i) => (await d.handle.fetchHistory()).events!.length - before[i]!));
  for (const d of drivers) expect((await d.handle.describe()).typedSearchAttributes.get(NeedsAttentionKey)).toBe(false);
  expect(Math.max(...grown)).toBeLessThanOrEqual(HISTORY_BOUND);

  const again = await t.env.client.workflow.execute(billingRun, {
    taskQueue: t.taskQueue,
    workflowId: 'smtp-down-run-2',
    args: [{ period: '2026-02', contractIds: ids }],
    memo,
  });
  expect([again.billed, again.alreadyBilled, again.nothingToBill, again.failed.length]).toEqual([0, N, 0, 0]);
  reportFigure({
    suite: 'smtp-outage-billing',
    runs: 2,
    faults: refused,
    duplicates: 0,
    lost: 0,
    note: `SMTP down 24 h during a run of ${N}: ${refused} refused attempts; each history grew by ${Math.min(...grown)}–${Math.max(...grown)} events (bound ${HISTORY_BOUND}); every notice once`,
  });
}, 300_000);
