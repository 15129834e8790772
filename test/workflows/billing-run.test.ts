/**
 * The billing run tells the truth (D-11): a month not yet over is refused before anything
 * starts; "billed" means in the ledger and mailed; a contract whose invoice could not be delivered is a
 * failure and the run ends failed, carrying its progress; a re-run counts what was billed before as
 * already billed, never twice.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContractDriver } from '../../src/simulation/driver';
import { SIMULATED_CLOCK_OFFSET_MEMO } from '../../src/simulation/workflow-clock';
import { billingRun, type BillingRunProgress } from '../../src/workflows/billing-run';
import { approveFeb2, contractTestEnv, standardApplication, type ContractTestEnv } from '../helpers/contract-env';

let t: ContractTestEnv;
beforeAll(async () => {
  t = await contractTestEnv();
});
afterAll(() => t?.teardown());

/** A billing run on the contract's own calendar (the simulator's clock offset), for exactly `contractIds`. */
async function runBilling(d: ContractDriver, workflowId: string, period: string, contractIds: string[]) {
  return t.env.client.workflow.execute(billingRun, {
    taskQueue: t.taskQueue,
    workflowId,
    args: [{ period, contractIds }],
    memo: { [SIMULATED_CLOCK_OFFSET_MEMO]: d.offsetMs },
  });
}
async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

it('refuses a month not yet over before anything starts', async () => {
  const d = await t.start(standardApplication('BR-NOT-OVER'));
  await approveFeb2(d);
  await d.advanceTo('2026-02-27', 9);
  const f = await failureOf(runBilling(d, 'br-not-over', '2026-02', ['BR-NOT-OVER']));
  expect(f.type).toBe('BillingPeriodNotOver');
  expect(f.message).toBe('2026-02 is not over yet (today is 2026-02-27); the run on the 1st of the next month bills it (別表3 D-11)');
  const history = await t.env.client.workflow.getHandle('br-not-over').fetchHistory();
  expect(history.events!.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false); // nothing ran
  expect((await d.state()).invoices).toEqual([]);
});

it('an invoice that could not be mailed is a failure and fails the run; once delivered, a re-run finds it already billed', async () => {
  const send = t.deps.mailer.send.bind(t.deps.mailer);
  let refuse = true;
  t.deps.mailer.send = async (mail) => {
    if (refuse && mail.kind === 'invoiceIssued') throw ApplicationFailure.nonRetryable('550 mailbox unavailable', 'BadNoticeData');
    return send(mail);
  };
  const d = await t.start(standardApplication('BR-UNDELIVERED'));
  await approveFeb2(d);
  await d.advanceTo('2026-03-01', 0, 6);
  const f = await failureOf(runBilling(d, 'br-undelivered-1', '2026-02', ['BR-UNDELIVERED']));
  expect(f.type).toBe('BillingRunIncomplete');
  expect(f.message).toBe('billing run 2026-02: 1 contract(s) not billed: BR-UNDELIVERED');
  const progress = f.details?.[0] as BillingRunProgress;
  expect(progress).toMatchObject({ period: '2026-02', total: 1, billed: 0, alreadyBilled: 0, nothingToBill: 0, done: true });
  expect(progress.failed).toEqual([
    {
      contractId: 'BR-UNDELIVERED',
      reason: expect.stringMatching(
        /^invoiced 2026-02, but not delivered: notice: .*550 mailbox unavailable.* \(fix it, then retryFailedEffects on the contract\)$/,
      ),
    },
  ]);
  // The invoice is in the ledger (the issue went through); its mail is the failed effect.
  expect((await t.deps.ledger.listInvoices('BR-UNDELIVERED')).map((i) => i.period)).toEqual(['2026-02']);
  expect((await d.state()).failedEffects.map((e) => e.effect.type)).toEqual(['notice']);

  refuse = false;
  expect(await d.command('retryFailedEffects', { requestId: 'retry' })).toMatchObject({ ok: true });
  expect(t.deps.mailer.mails.filter((m) => m.noticeId === 'BR-UNDELIVERED:invoiceIssued:2026-02')).toHaveLength(1);
  const again = await runBilling(d, 'br-undelivered-2', '2026-02', ['BR-UNDELIVERED']);
  expect(again).toMatchObject({ billed: 0, alreadyBilled: 1, nothingToBill: 0, failed: [], done: true });
  expect(await t.deps.ledger.listInvoices('BR-UNDELIVERED')).toHaveLength(1);
});

it('billed means in the ledger and mailed; the same month again is already billed', async () => {
  const d = await t.start(standardApplication('BR-BILLED'));
  await approveFeb2(d);
  await d.advanceTo('2026-03-01', 0, 6);
  expect(await runBilling(d, 'br-billed-1', '2026-02', ['BR-BILLED'])).toMatchObject({ billed: 1, alreadyBilled: 0, nothingToBill: 0, failed: [] });
  // Answered only once delivered: the mail is already there when the run reports it.
  expect(t.deps.mailer.mails.filter((m) => m.noticeId === 'BR-BILLED:invoiceIssued:2026-02')).toHaveLength(1);
  expect(await runBilling(d, 'br-billed-2', '2026-02', ['BR-BILLED'])).toMatchObject({ billed: 0, alreadyBilled: 1, nothingToBill: 0, failed: [] });
  // January is before the usage start (2026-02-02): closed now, nothing to bill.
  const early = await t.start(standardApplication('BR-NOTHING'));
  await approveFeb2(early);
  await early.advanceTo('2026-03-01', 0, 6);
  expect(await runBilling(early, 'br-nothing', '2026-01', ['BR-NOTHING'])).toMatchObject({ billed: 0, alreadyBilled: 0, nothingToBill: 1, failed: [] });
});
