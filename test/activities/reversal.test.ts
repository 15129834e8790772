/**
 * A payment taken back in the ledger: once per payment, the payment row and its allocations
 * stay as recorded, the invoices' paid amounts leave them out; only the contract's own payment can be
 * reversed; the reversal itself is immutable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/activities';
import { ISSUER, TEST_DATABASE_URL, expectNonRetryable, monthlyInvoice, pgliteEngine, postgresEngine, registerCustomer, type LedgerEngine } from './support';

function reversalSuite(engine: LedgerEngine) {
  let ledger: Ledger;
  let dispose: () => Promise<void>;
  const c = `C-REV-${engine.name}`;
  beforeAll(async () => {
    ({ ledger, dispose } = await engine.open());
    const customerId = await registerCustomer(ledger, c);
    await ledger.issueInvoice({ contractId: c, customerId, invoice: monthlyInvoice('2026-02'), issuer: ISSUER }); // 84,700
    await ledger.recordPayment({
      contractId: c,
      paymentId: `${c}:p1`,
      paidOn: '2026-03-10',
      amount: 50_000,
      allocations: [{ period: '2026-02', amount: 50_000 }],
    });
    await ledger.recordPayment({
      contractId: c,
      paymentId: `${c}:p2`,
      paidOn: '2026-03-12',
      amount: 34_700,
      allocations: [{ period: '2026-02', amount: 34_700 }],
    });
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('leaves the reversed payment out of what the invoice has been paid, once', async () => {
    expect(await ledger.findInvoiceSummary(c, '2026-02')).toMatchObject({ paid: 84_700, outstanding: 0 });
    expect(await ledger.reversePayment({ contractId: c, paymentId: `${c}:p1`, reversedOn: '2026-03-20', reason: '不渡り' })).toEqual({
      alreadyReversed: false,
    });
    expect(await ledger.reversePayment({ contractId: c, paymentId: `${c}:p1`, reversedOn: '2026-03-20', reason: '不渡り' })).toEqual({ alreadyReversed: true });
    expect(await ledger.findInvoiceSummary(c, '2026-02')).toMatchObject({ paid: 34_700, outstanding: 50_000 });
    expect((await ledger.findInvoice(c, '2026-02'))!.allocations.map((a) => [a.paymentId, a.amount])).toEqual([[`${c}:p2`, 34_700]]);
    const [p1, p2] = await ledger.listPayments(c);
    expect(p1).toMatchObject({ amount: 50_000, allocations: [{ period: '2026-02', amount: 50_000 }], reversal: { on: '2026-03-20', reason: '不渡り' } });
    expect(p2).toMatchObject({ reversal: null });
  });

  it('refuses another contract’s payment and a reason left empty; the reversal cannot be changed', async () => {
    expect(
      await expectNonRetryable(ledger.reversePayment({ contractId: 'C-OTHER', paymentId: `${c}:p2`, reversedOn: '2026-03-20', reason: 'x' }), 'BadPaymentData'),
    ).toContain(`no payment ${c}:p2 of contract C-OTHER`);
    expect(
      await expectNonRetryable(ledger.reversePayment({ contractId: c, paymentId: `${c}:p2`, reversedOn: '2026-03-20', reason: ' ' }), 'BadPaymentData'),
    ).toContain('reason');
    await expect(ledger.db.query('DELETE FROM payment_reversals WHERE payment_id = $1', [`${c}:p1`])).rejects.toThrow(/cannot be changed/);
  });
}

describe('payment reversals on PGlite', () => reversalSuite(pgliteEngine));
describe.runIf(Boolean(TEST_DATABASE_URL))('payment reversals on PostgreSQL (TEST_DATABASE_URL)', () => reversalSuite(postgresEngine));
