/**
 * The same command sent twice at once — with the same request id (a retry, a double click) or with
 * different ids (two clerks) — has exactly the right effect: one payment, one invoice, one notice, one
 * mail for a repeat; each its own for distinct requests; one winner when only one can win.
 */
import { OPS } from '../helpers/actors';
import { ledgerAccessOf } from '../../src/backoffice/ledger-client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jstDateOf } from '../../src/domain/calendar';
import { outboxFileName } from '../../src/activities/mail/mailer';
import type { ContractView } from '../../src/domain/contract';
import { contractIds, createApprovedContracts, sleep, startBillingRun } from '../../bench/harness';
import { commandFixture, messageOf, reportFigure, type CommandFixture } from './support';
import { commandUpdates, stateQuery } from '../../src/workflows/contract/messages';

let f: CommandFixture;
const ids = contractIds('D', 6);
const [PAYER, CLOSER] = ids as [string, string];
const PENDING = 'D-PENDING';
let period = '';
let runs = 0;
let faults = 0;
let duplicates = 0;
let lost = 0;

beforeAll(async () => {
  f = await commandFixture();
  const created = await createApprovedContracts(f.client, {
    ids,
    taskQueue: f.taskQueue,
    ledger: ledgerAccessOf(f.deps.ledger),
    marginMs: 4000,
    concurrency: 6,
  });
  expect(created.late).toEqual([]);
  period = created.period;
  const today = jstDateOf(Date.now());
  const { customerId } = await f.deps.ledger.customers.register({
    contractId: PENDING,
    contact: { name: '株式会社ダブル', email: 'billing@double.example.co.jp' },
  });
  await f.client.workflow.start('contract', {
    taskQueue: f.taskQueue,
    workflowId: PENDING,
    args: [
      {
        application: {
          contractId: PENDING,
          customerId,
          terms: { plan: 'entry', components: [{ os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 0 },
          appliedOn: today,
        },
      },
    ],
  });
  await sleep(Math.max(0, created.billableAt - Date.now()));
}, 180_000);

afterAll(async () => {
  reportFigure({ suite: 'the same command twice at once', runs, faults, duplicates, lost });
  await f?.teardown();
});

/** How often each effect happened: ledger rows and outbox deliveries for one notice id. */
async function effects(contractId: string, noticeId: string) {
  const notices = (await f.deps.ledger.listNotices(contractId)).filter((n) => n.noticeId === noticeId).length;
  const deliveries = f.outbox.deliveries.get(outboxFileName(contractId, noticeId)) ?? 0;
  return { notices, deliveries };
}

function count(expected: number, actual: number): number {
  if (actual > expected) duplicates += actual - expected;
  if (actual < expected) lost += expected - actual;
  return actual;
}

const payments = async (id: string) => (await f.deps.ledger.listPayments(id)).map((p) => p.paymentId);

describe('a repeat (same request id) has its effect once', () => {
  it('a payment sent twice at once with the same request id and update id', async () => {
    runs++;
    faults++;
    const send = () =>
      f.client.workflow.getHandle(PAYER).executeUpdate(commandUpdates.pay, { args: [{ actor: OPS, requestId: 'pay-A', amount: 5000 }], updateId: 'pay-A' });
    const [a, b] = await Promise.all([send(), send()]);
    expect(b).toEqual(a);
    await f.settled(PAYER);
    expect(count(1, (await payments(PAYER)).filter((p) => p === `${PAYER}:pay-A`).length)).toBe(1);
    const e = await effects(PAYER, `${PAYER}:paymentReceived:pay-A`);
    expect([count(1, e.notices), count(1, e.deliveries)]).toEqual([1, 1]);
  });

  it('a payment sent twice at once with the same request id under different update ids (two CLI invocations)', async () => {
    runs++;
    faults++;
    const send = (u: string) =>
      f.client.workflow.getHandle(PAYER).executeUpdate(commandUpdates.pay, { args: [{ actor: OPS, requestId: 'pay-B', amount: 7000 }], updateId: u });
    const [a, b] = await Promise.all([send('pay-B-1'), send('pay-B-2')]);
    expect(b).toEqual(a);
    await f.settled(PAYER);
    expect(count(1, (await payments(PAYER)).filter((p) => p === `${PAYER}:pay-B`).length)).toBe(1);
    const e = await effects(PAYER, `${PAYER}:paymentReceived:pay-B`);
    expect([count(1, e.notices), count(1, e.deliveries)]).toEqual([1, 1]);
  });

  it('the same request id with a different amount at once: one is paid, the other refused as a reused request id (no silent first answer)', async () => {
    runs++;
    faults++;
    const send = (amount: number) =>
      f.client.workflow
        .getHandle(PAYER)
        .executeUpdate(commandUpdates.pay, { args: [{ actor: OPS, requestId: 'pay-C', amount }] })
        .then(
          (r) => ({ ok: true as const, r }),
          (e: Error) => ({ ok: false as const, message: (e as { cause?: Error }).cause?.message ?? e.message }),
        );
    const outcomes = await Promise.all([send(1100), send(2200)]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({
      message: expect.stringContaining('request id pay-C was already used for another pay (other content or another actor)'),
    });
    await f.settled(PAYER);
    const recorded = (await f.deps.ledger.listPayments(PAYER)).filter((p) => p.paymentId === `${PAYER}:pay-C`);
    expect(count(1, recorded.length)).toBe(1);
    expect([1100, 2200]).toContain(recorded[0]!.amount);
  });

  it('a command sent as a signal is not a door: nothing is paid, the update still is, once', async () => {
    runs++;
    faults++;
    const h = f.client.workflow.getHandle(PAYER);
    await Promise.all([h.signal('paySignal', { requestId: 'pay-D', amount: 3000 }), h.signal('pay', { requestId: 'pay-D', amount: 3000 })]);
    await f.settled(PAYER);
    expect((await payments(PAYER)).filter((p) => p === `${PAYER}:pay-D`)).toEqual([]);
    await h.executeUpdate(commandUpdates.pay, { args: [{ actor: OPS, requestId: 'pay-D', amount: 3000 }] });
    await f.settled(PAYER);
    expect(count(1, (await payments(PAYER)).filter((p) => p === `${PAYER}:pay-D`).length)).toBe(1);
    const e = await effects(PAYER, `${PAYER}:paymentReceived:pay-D`);
    expect([count(1, e.notices), count(1, e.deliveries)]).toEqual([1, 1]);
  });

  it('a payment repeated ten times at once', async () => {
    runs++;
    faults += 9;
    const h = f.client.workflow.getHandle(PAYER);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h.executeUpdate(commandUpdates.pay, { args: [{ actor: OPS, requestId: 'pay-E', amount: 900 }], updateId: `pay-E-${i % 3}` }),
      ),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    await f.settled(PAYER);
    expect(count(1, (await payments(PAYER)).filter((p) => p === `${PAYER}:pay-E`).length)).toBe(1);
    const e = await effects(PAYER, `${PAYER}:paymentReceived:pay-E`);
    expect([count(1, e.notices), count(1, e.deliveries)]).toEqual([1, 1]);
  });
});

describe('distinct requests at once each have their own effect, or one wins', () => {
  it('three payments with different request ids at once are three payments', async () => {
    runs++;
    const h = f.client.workflow.getHandle(PAYER);
    await Promise.all(['pay-F1', 'pay-F2', 'pay-F3'].map((r) => h.executeUpdate(commandUpdates.pay, { args: [{ actor: OPS, requestId: r, amount: 1000 }] })));
    const view = await f.settled(PAYER);
    const mine = (await payments(PAYER)).filter((p) => /:pay-F\d$/.test(p));
    expect(count(3, mine.length)).toBe(3);
    for (const r of ['pay-F1', 'pay-F2', 'pay-F3']) {
      const e = await effects(PAYER, `${PAYER}:paymentReceived:${r}`);
      expect([count(1, e.notices), count(1, e.deliveries)]).toEqual([1, 1]);
    }
    // Every payment so far (A 5,000 + B 7,000 + C one of 1,100/2,200 + D 3,000 + E 900 + F 3 × 1,000) is
    // credit: nothing has been invoiced to this contract.
    const c = (await f.deps.ledger.listPayments(PAYER)).find((p) => p.paymentId.endsWith(':pay-C'))!.amount;
    expect(view.credit).toBe(5000 + 7000 + c + 3000 + 900 + 3000);
  });

  it('closing the same month twice at once (two request ids): one invoice, one notice, one mail', async () => {
    runs++;
    faults++;
    const h = f.client.workflow.getHandle(CLOSER);
    const answers = await Promise.all(
      ['close-1', 'close-2'].map((r) => h.executeUpdate(commandUpdates.closeBillingPeriod, { args: [{ actor: OPS, requestId: r, period }] })),
    );
    expect(answers.map((a) => (a.issued as string[]).length).sort()).toEqual([0, 1]);
    await f.settled(CLOSER);
    expect(count(1, (await f.deps.ledger.listInvoices(CLOSER)).length)).toBe(1);
    const e = await effects(CLOSER, `${CLOSER}:invoiceIssued:${period}`);
    expect([count(1, e.notices), count(1, e.deliveries)]).toEqual([1, 1]);
  });

  it('approving twice at once (two clerks): one approval wins, the other is refused', async () => {
    runs++;
    faults++;
    const h = f.client.workflow.getHandle(PENDING);
    const today = ((await h.query(stateQuery)) as ContractView).today;
    const outcomes = await Promise.all(
      ['approve-1', 'approve-2'].map((r) =>
        h.executeUpdate(commandUpdates.approve, { args: [{ actor: OPS, requestId: r, startDate: today }] }).then(
          () => 'ok',
          (e: unknown) => (e instanceof WorkflowUpdateFailedError ? messageOf(e) : Promise.reject(e)),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.find((o) => o !== 'ok')).toMatch(/^approve refused \(.+\): approval is not possible while the contract is active/);
    await f.settled(PENDING);
    const approved = (await f.deps.ledger.listNotices(PENDING)).filter((n) => n.kind === 'approved');
    expect(count(1, approved.length)).toBe(1);
    expect(count(1, f.outbox.deliveries.get(outboxFileName(approved[0]!.contractId, approved[0]!.noticeId)) ?? 0)).toBe(1);
  });

  it('two billing runs of the same month at once: every contract billed once', async () => {
    runs++;
    faults++;
    const [r1, r2] = await Promise.all(
      [1, 2].map((n) => startBillingRun(f.client, { taskQueue: f.taskQueue, period, concurrency: 3, workflowId: `dup-run-${n}` })),
    );
    const [p1, p2] = await Promise.all([r1!.result(), r2!.result()]);
    // Every running approved contract is in each run: the six, and the one approved above (it starts in
    // this month on the real calendar, so the month closed here has nothing of it to bill).
    for (const p of [p1, p2]) {
      expect(p.failed).toEqual([]);
      expect(p.nothingToBill).toBe(1);
      expect(p.billed + p.alreadyBilled + p.nothingToBill).toBe(ids.length + 1);
    }
    // Each run's closes are its own updates; the contract answers the second as a repeat. So the runs'
    // counts do not overlap: every contract is "billed" by exactly one of them, "already billed" by the other.
    // CLOSER's month was closed by the test above, so both runs find it already billed.
    expect(p1.billed + p2.billed).toBe(ids.length - 1);
    expect(p1.alreadyBilled + p2.alreadyBilled).toBe(ids.length + 1);
    for (const id of ids) {
      await f.settled(id);
      expect(count(1, (await f.deps.ledger.listInvoices(id)).filter((i) => i.period === period).length)).toBe(1);
      const e = await effects(id, `${id}:invoiceIssued:${period}`);
      expect([count(1, e.notices), count(1, e.deliveries)]).toEqual([1, 1]);
    }
  }, 120_000);

  it('no mail left the outbox twice in this file', () => {
    const dup = f.outbox.duplicates();
    duplicates += dup.length;
    expect(dup).toEqual([]);
  });
});
