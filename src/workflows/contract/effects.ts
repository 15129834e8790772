/**
 * Carrying out a contract's effects: the ledger writes and notices of a batch in one local activity (one
 * marker in the history), the data deletion as an activity of its own after them. Each is idempotent by
 * its business key, so a retry or a replayed batch does nothing twice.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ContractState, Effect, EffectOutcome, NoticeEffect } from '../../domain/contract';
import { invoiceNotes } from '../../domain/statement';
import { NON_RETRYABLE_ACTIVITY_ERRORS, type ContractActivities, type EffectInput, type NoticeInput } from './activities';

const { carryOutEffects } = proxyLocalActivities<ContractActivities>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ACTIVITY_ERRORS },
});
const { deleteCustomerData } = proxyActivities<ContractActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ACTIVITY_ERRORS },
});

type LedgerOrMail = Exclude<Effect, { type: 'deleteData' }>;

/** The next batch: the deletion alone (after the notices before it), else everything up to it. */
export function nextBatch(effects: readonly Effect[]): Effect[] {
  const deletion = effects.findIndex((e) => e.type === 'deleteData');
  return effects.slice(0, deletion === 0 ? 1 : deletion === -1 ? effects.length : deletion);
}

/** Carry out one batch; a failure for good (bad data) becomes each effect's outcome instead of failing the contract. */
export async function carryOut(s: ContractState, batch: Effect[]): Promise<EffectOutcome[]> {
  try {
    const first = batch[0]!;
    if (first.type === 'deleteData') {
      await deleteCustomerData.executeWithOptions({ summary: summaryOf(first) }, [
        { contractId: s.contractId, customerId: s.customerId, lastContractDay: first.lastContractDay, deletionDay: first.deletionDay, notice: noticeInput(s, first.notice) },
      ]);
      return [{ ok: true }];
    }
    const summary = batch.map(summaryOf).join(', ');
    const inputs = (batch as LedgerOrMail[]).map((e) => inputOf(s, e));
    return await carryOutEffects.executeWithOptions({ summary: summary.length > 200 ? `${summary.slice(0, 199)}…` : summary }, [inputs]);
  } catch (err) {
    // A local activity's failure arrives as the ApplicationFailure itself, a remote one wrapped.
    if (!(err instanceof ActivityFailure || err instanceof ApplicationFailure)) throw err;
    const reason = err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : err.message;
    return batch.map(() => ({ ok: false, reason }));
  }
}

/** What the activities take for a ledger or mail effect. */
function inputOf(s: ContractState, e: LedgerOrMail): EffectInput {
  const contractId = s.contractId;
  switch (e.type) {
    case 'notice':
      return { type: 'notice', input: noticeInput(s, e) };
    case 'issueInvoice': {
      const { paid: _p, outstanding: _o, overdueNoticeSent: _n, invoiceNumber: _i, ...invoice } = s.invoices.find((i) => i.period === e.period)!;
      // A fee left out is said on the document (Appendix 3 §1: the first month's cloud fee).
      const notes = s.startDate ? invoiceNotes({ period: e.period, startDate: s.startDate, history: s.terms }) : [];
      return { type: 'issueInvoice', input: { contractId, customerId: s.customerId, invoice, ...(notes.length ? { notes } : {}) } };
    }
    case 'recordPayment':
      return { type: 'recordPayment', input: { contractId, paymentId: e.paymentId, paidOn: e.paidOn, amount: e.amount, allocations: e.allocations } };
    case 'allocateAdvance':
      return { type: 'allocateAdvance', input: { contractId, paymentId: e.paymentId, period: e.period, amount: e.amount } };
    case 'reversePayment':
      return { type: 'reversePayment', input: { contractId, paymentId: e.paymentId, reversedOn: e.reversedOn, reason: e.reason } };
    case 'applyCredit':
      return { type: 'applyCredit', input: { contractId, fromPeriod: e.fromPeriod, toPeriod: e.period, amount: e.amount } };
  }
}

function noticeInput(s: ContractState, e: NoticeEffect): NoticeInput {
  return { noticeId: e.id, contractId: s.contractId, customerId: s.customerId, kind: e.kind, on: e.on, facts: e.facts };
}

/** One line per effect for the Web UI (never personal data: summaries are not encrypted). */
function summaryOf(e: Effect): string {
  switch (e.type) {
    case 'notice':
      return `notice ${e.kind}`;
    case 'issueInvoice':
      return `invoice ${e.period}`;
    case 'recordPayment':
      return `payment ${e.amount} yen`;
    case 'allocateAdvance':
      return `advance ${e.amount} yen to ${e.period}`;
    case 'reversePayment':
      return 'payment reversed';
    case 'applyCredit':
      return `credit ${e.amount} yen from ${e.fromPeriod} to ${e.period}`;
    case 'deleteData':
      return 'delete customer data (Art. 30)';
  }
}
