/**
 * The activities inside an activity context (MockActivityEnvironment from @temporalio/testing):
 * heartbeats between the deletion steps, cancellation between steps, failure types a retry policy reads.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEffectAdapters, openInMemoryDependencies } from '../../src/activities';
import { CUSTOMER, deletionInput, firstInvoice, registerCustomer, testSettings } from './support';

/** Runs `fn` in the activity context of `env` (the closure keeps the activity's own parameter types). */
const inEnv = <R>(env: MockActivityEnvironment, fn: () => Promise<R>): Promise<R> => env.run(fn) as Promise<R>;

/** A mock activity environment that keeps the expected failures out of the test output. */
const mockEnv = (info: ConstructorParameters<typeof MockActivityEnvironment>[0] = {}) =>
  new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') });

describe('activities in an activity context', () => {
  let deps: Awaited<ReturnType<typeof openInMemoryDependencies>>;
  let acts: ReturnType<typeof createEffectAdapters>;

  beforeAll(async () => {
    deps = await openInMemoryDependencies(testSettings());
    acts = createEffectAdapters(deps);
  });
  afterAll(async () => {
    await deps?.close();
  });

  it('deleteCustomerData heartbeats before and after each step, and once done', async () => {
    await deps.resources.provision('C-HB', { accounts: ['admin'], resources: ['vm-1', 'vm-2'], data: { 'x.bin': '1' } });
    const input = deletionInput('C-HB', await registerCustomer(deps.ledger, 'C-HB'), '2026-05-31', '2026-06-01');
    const env = mockEnv({ activityType: 'deleteCustomerData' });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const result = await inEnv(env, () => acts.deleteCustomerData(input));
    expect(result.alreadyDeleted).toBe(false);
    expect(result.deleted.slice(0, 4)).toEqual(['account:admin', 'resource:vm-1', 'resource:vm-2', 'data:x.bin']);
    expect(beats.map((b) => (b as { step: string }).step)).toEqual(['started', 'accounts', 'resources', 'storedData', 'notice', 'ledger']);
    expect(beats[2]).toMatchObject({ contractId: 'C-HB', step: 'resources', count: 2 });
    expect(deps.mailer.mails.filter((m) => m.contractId === 'C-HB').map((m) => m.kind)).toEqual(['dataDeleted']);

    const again = await inEnv(mockEnv(), () => acts.deleteCustomerData(input));
    expect(again).toEqual({ deleted: result.deleted, alreadyDeleted: true });
  });

  it('carryOutEffects runs a batch in order, refuses bad data per effect, and a repeat redoes nothing', async () => {
    const invoice = firstInvoice('2026-02');
    const customerId = await registerCustomer(deps.ledger, 'C-BATCH');
    const batch = [
      { type: 'issueInvoice' as const, input: { contractId: 'C-BATCH', customerId, invoice } },
      {
        type: 'notice' as const,
        input: {
          noticeId: 'C-BATCH:invoiceIssued:2026-02',
          contractId: 'C-BATCH',
          customerId,
          kind: 'invoiceIssued' as const,
          on: '2026-03-01',
          facts: { period: '2026-02', invoiceTotal: invoice.total, dueOn: invoice.dueOn },
        },
      },
      {
        type: 'notice' as const,
        input: { noticeId: 'C-BATCH:bad', contractId: 'C-BATCH', customerId, kind: 'invoiceIssued' as const, on: '2026-13-01', facts: {} },
      },
      {
        type: 'recordPayment' as const,
        input: {
          contractId: 'C-BATCH',
          paymentId: 'P-BATCH',
          paidOn: '2026-03-02',
          amount: invoice.total,
          allocations: [{ period: '2026-02', amount: invoice.total }],
        },
      },
    ];
    const mailsBefore = deps.mailer.mails.length;
    const outcomes = await inEnv(mockEnv({ activityType: 'carryOutEffects' }), () => acts.carryOutEffects(batch));
    expect(outcomes).toHaveLength(4);
    expect(outcomes[0]).toEqual({ ok: true, invoiceNumber: expect.stringMatching(/^INV-\d{6}$/) });
    expect(outcomes[1]).toEqual({ ok: true });
    expect(outcomes[2]).toMatchObject({ ok: false, reason: expect.stringContaining('on: expected a date') });
    expect(outcomes[3]).toEqual({ ok: true }); // the refusal before it stopped nothing
    expect(deps.mailer.mails.length - mailsBefore).toBe(1);
    expect(deps.mailer.mails.at(-1)).toMatchObject({ noticeId: 'C-BATCH:invoiceIssued:2026-02', to: CUSTOMER }); // the ledger's contact
    expect(deps.mailer.mails.at(-1)?.text).toContain(`請求書番号 ${(outcomes[0] as { invoiceNumber: string }).invoiceNumber}`);
    expect((await deps.ledger.listInvoices('C-BATCH')).map((i) => [i.period, i.total, i.outstanding])).toEqual([['2026-02', 139700, 0]]);

    const again = await inEnv(mockEnv(), () => acts.carryOutEffects(batch));
    expect(again).toEqual(outcomes); // same invoice number, no second mail, no second payment
    expect(deps.mailer.mails.length - mailsBefore).toBe(1);
    expect(await deps.ledger.listPayments('C-BATCH')).toHaveLength(1);
  });

  it('a cancelled deletion stops between steps, and a later run completes it', async () => {
    await deps.resources.provision('C-CX', { accounts: ['admin'], resources: ['vm-1'] });
    const input = deletionInput('C-CX', await registerCustomer(deps.ledger, 'C-CX'), '2026-05-31', '2026-06-01');
    const env = mockEnv();
    env.cancel();
    const err = await inEnv(env, () => acts.deleteCustomerData(input)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CancelledFailure);
    expect(await deps.resources.holdings('C-CX')).toMatchObject({ accounts: ['admin'], resources: ['vm-1'] }); // nothing deleted
    expect(await deps.ledger.getDeletion('C-CX')).toMatchObject({ accounts: null, completedAt: null });
    expect(await deps.ledger.listNotices('C-CX')).toEqual([]); // not told yet
    expect((await deps.ledger.customers.ofContract('C-CX'))?.contact).toEqual(CUSTOMER); // nor erased

    const done = await inEnv(mockEnv(), () => acts.deleteCustomerData(input));
    expect(done.deleted.slice(0, 2)).toEqual(['account:admin', 'resource:vm-1']);
    expect((await deps.ledger.listNotices('C-CX')).map((n) => n.kind)).toEqual(['dataDeleted']);
    expect((await deps.ledger.customers.ofContract('C-CX'))?.contact).toBeNull();
  });

  it('bad data surfaces as a non-retryable ApplicationFailure with a type a retry policy can name', async () => {
    const env = mockEnv();
    const customerId = await registerCustomer(deps.ledger, 'C-1');
    const cases: Array<[Promise<unknown>, string]> = [
      [
        inEnv(env, () =>
          acts.sendNotice({ noticeId: 'n1', contractId: 'C-1', customerId, kind: 'approved', on: '2026-01-20', facts: { startDate: 'tomorrow' } }),
        ),
        'BadNoticeData',
      ],
      [
        inEnv(env, () =>
          acts.sendNotice({
            noticeId: 'n2',
            contractId: 'C-1',
            customerId: 'cus-nobody',
            kind: 'approved',
            on: '2026-01-20',
            facts: { startDate: '2026-02-02' },
          }),
        ),
        'NoContactOnRecord',
      ],
      [inEnv(env, () => acts.issueInvoice({ contractId: 'C-1', customerId, invoice: { ...firstInvoice(), total: 5 } })), 'BadInvoiceData'],
      [inEnv(env, () => acts.recordPayment({ contractId: 'C-1', paymentId: 'p', paidOn: '2026-13-01', amount: 5, allocations: [] })), 'BadPaymentData'],
      [inEnv(env, () => acts.deleteCustomerData(deletionInput('C-1', customerId, '2026-06-01', '2026-05-01'))), 'BadDeletionRequest'],
    ];
    for (const [promise, type] of cases) {
      const err = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, type).toBeInstanceOf(ApplicationFailure);
      expect((err as ApplicationFailure).type).toBe(type);
      expect((err as ApplicationFailure).nonRetryable).toBe(true);
    }
  });

  it('issues, records and sends through the same activities the worker registers', async () => {
    const env = mockEnv();
    const customerId = await registerCustomer(deps.ledger, 'C-W');
    const issued = await inEnv(env, () => acts.issueInvoice({ contractId: 'C-W', customerId, invoice: firstInvoice() }));
    expect(await inEnv(env, () => acts.issueInvoice({ contractId: 'C-W', customerId, invoice: firstInvoice() }))).toEqual({ ...issued, alreadyIssued: true });
    expect(
      await inEnv(env, () =>
        acts.recordPayment({
          contractId: 'C-W',
          paymentId: 'C-W:pay:1',
          paidOn: '2026-03-31',
          amount: 139700,
          allocations: [{ period: '2026-02', amount: 139700 }],
        }),
      ),
    ).toEqual({ alreadyRecorded: false });
    expect(
      await inEnv(env, () =>
        acts.sendNotice({
          noticeId: 'C-W:invoiceIssued:2026-02',
          contractId: 'C-W',
          kind: 'invoiceIssued',
          on: '2026-03-01',
          customerId,
          facts: { period: '2026-02', invoiceTotal: 139700, dueOn: '2026-03-31' },
        }),
      ),
    ).toEqual({ alreadySent: false });
    const mail = deps.mailer.mails.find((m) => m.noticeId === 'C-W:invoiceIssued:2026-02');
    expect(mail?.text).toContain(`請求書番号 ${issued.invoiceNumber}`);
    expect(mail?.raw).toContain('X-Neutrix-Notice-ID: C-W:invoiceIssued:2026-02');
    expect(mail?.to).toEqual(CUSTOMER);
    expect(await deps.ledger.listInvoices('C-W')).toMatchObject([{ number: issued.invoiceNumber, paid: 139700, outstanding: 0 }]);
  });
});
