/**
 * A ledger filled through its stores for the receivables tests: two customers (one with two contracts),
 * invoices over five months, a payment in full, a part payment, a payment reversed, a credit note set
 * against a later invoice, and a bank line's payment — each keyed payment with the audit row of its `pay`.
 */
import type { Ledger } from '../../src/activities';
import { People } from '../../src/backoffice/people';
import { receiptIdentity, receiptRequestId, type ReceiptLine } from '../../src/domain/bank/receipts';
import type { Invoice } from '../../src/domain/types';
import { ISSUER, monthlyInvoice } from '../activities/support';

/** An outage credit note (D-12): −10,000 and its tax. */
const creditNote = (period: string): Invoice => ({
  ...monthlyInvoice(period),
  lines: [{ kind: 'outageCredit', amount: -10_000, taxable: true, rule: '第24条 D-12', description: '障害による減額 (outage credit)' }],
  taxableSubtotal: -10_000,
  tax: -1_000,
  nonTaxableSubtotal: 0,
  total: -11_000,
});

export const BANK_LINE: ReceiptLine = {
  bankCode: '0005',
  branchCode: '123',
  accountNumber: '1234567',
  inquiryNumber: '00000042',
  bookedOn: '2026-11-20',
  amount: 50_000,
  payerCode: null,
  payerName: 'ﾋﾞｰｺﾞｳﾄﾞｳｶﾞｲｼﾔ',
  edi: '',
  cancels: false,
};

export interface Filled {
  customerA: string;
  customerB: string;
  clerkId: string;
  clerkLogin: string;
}

export async function fillReceivables(ledger: Ledger, clerkLogin = 'aging-clerk'): Promise<Filled> {
  const people = new People(ledger.people);
  const clerk = (await people.byLogin(clerkLogin)) ?? (await people.createPerson(clerkLogin, '売掛 花子', 'clerk')).person;
  const { customerId: customerA } = await ledger.customers.register({ contractId: 'C-R1', contact: { name: '株式会社エー', email: 'a@example.co.jp' } });
  await ledger.customers.link({ contractId: 'C-R2', customerId: customerA });
  const { customerId: customerB } = await ledger.customers.register({ contractId: 'C-R3', contact: { name: '合同会社ビー', email: 'b@example.co.jp' } });

  const issue = (contractId: string, customerId: string, invoice: Invoice) => ledger.issueInvoice({ contractId, customerId, invoice, issuer: ISSUER });
  for (const p of ['2026-06', '2026-07', '2026-08', '2026-09']) await issue('C-R1', customerA, monthlyInvoice(p));
  await issue('C-R2', customerA, creditNote('2026-08'));
  await issue('C-R2', customerA, monthlyInvoice('2026-09'));
  await issue('C-R3', customerB, monthlyInvoice('2026-05'));

  const keyed = async (contractId: string, requestId: string, paidOn: string, amount: number, period: string) => {
    const actor = { id: clerk.id, role: 'clerk' as const, via: 'console' as const };
    const row = await ledger.audit.attempt({ actor, contractId, command: 'pay', requestId, details: { amount, paidOn } });
    await ledger.recordPayment({ contractId, paymentId: `${contractId}:${requestId}`, paidOn, amount, allocations: [{ period, amount }] });
    await ledger.audit.decide(row, 'accepted', 'paid');
  };
  await keyed('C-R1', 'pay-0001', '2026-07-20', 84_700, '2026-06');
  await keyed('C-R1', 'pay-0002', '2026-09-10', 40_000, '2026-07');
  await keyed('C-R1', 'pay-0003', '2026-09-25', 84_700, '2026-08');
  await ledger.reversePayment({ contractId: 'C-R1', paymentId: 'C-R1:pay-0003', reversedOn: '2026-10-05', reason: '不渡り' });
  await ledger.applyCredit({ contractId: 'C-R2', fromPeriod: '2026-08', toPeriod: '2026-09', amount: 11_000 });

  // A bank line's payment: the line recorded and planned, then the payment under its request id.
  const identity = receiptIdentity(BANK_LINE);
  const requestId = receiptRequestId(identity);
  await ledger.bankLines.recordFile({ fileId: 'BF-aging-1', fileName: 'statement.csv', format: 'csv', sha256: 'a'.repeat(64), importedBy: clerk.id }, [
    { ...BANK_LINE, record: 2, identity },
  ]);
  await ledger.bankLines.plan(
    'BF-aging-1',
    2,
    {
      outcome: 'short',
      customerId: customerB,
      matchedBy: 'payerName',
      applied: 50_000,
      advance: 0,
      shortfall: 34_700,
      likelyFee: false,
      note: null,
      payments: [{ contractId: 'C-R3', amount: 50_000, requestId }],
    },
    clerk.id,
  );
  await ledger.recordPayment({
    contractId: 'C-R3',
    paymentId: `C-R3:${requestId}`,
    paidOn: '2026-11-20',
    amount: 50_000,
    allocations: [{ period: '2026-05', amount: 50_000 }],
  });
  await ledger.bankLines.finish('BF-aging-1', 2, [{ contractId: 'C-R3', outcome: 'accepted', refused: false }]);
  return { customerA, customerB, clerkId: clerk.id, clerkLogin };
}
