/**
 * Carrying out a contract's effects: the ledger writes and notices of a batch in one local activity (one
 * marker in the history), the data deletion as an activity of its own after them. Each is idempotent by
 * its business key, so a retry or a replayed batch does nothing twice.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';
import { termsHistory, type ContractState, type Effect, type EffectOutcome, type NoticeEffect } from '../../domain/contract';
import { invoiceNotes } from '../../domain/statement';
import { NON_RETRYABLE_ACTIVITY_ERRORS, type ContractActivities, type EffectInput, type NoticeInput } from './activities';

// The fast path: a local activity (one marker), tried 5 times in the worker (1 + 2 + 4 + 8 s apart) — all
// under the local retry threshold, past which each retry would be a timer in the contract's history.
const fast = proxyLocalActivities<ContractActivities>({
  startToCloseTimeout: '20 seconds',
  localRetryThreshold: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ACTIVITY_ERRORS },
});
// The patient path, once the fast one gave up (SMTP or the database down): one activity the server
// retries with backoff for as long as it takes. Its retries add no events: the history grows by three,
// whether the outage lasts a minute or a week.
const patient = proxyActivities<ContractActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: NON_RETRYABLE_ACTIVITY_ERRORS },
});
/** How long effects may wait on the patient path before the contract is flagged NeedsAttention. */
export const EFFECTS_ATTENTION_AFTER_MS = 15 * 60_000;

/** Told when a batch has waited EFFECTS_ATTENTION_AFTER_MS (since: when it left the fast path), and when it is through. */
export interface EffectsWatch {
  waiting(since: number, effects: readonly Effect[]): void;
  through(): void;
}
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

/** A failure retrying cannot fix (bad data): the batch's outcome, not the contract's. */
function forGood(err: unknown): err is ActivityFailure | ApplicationFailure {
  const failure = err instanceof ActivityFailure ? err.cause : err;
  return failure instanceof ApplicationFailure && (failure.nonRetryable || NON_RETRYABLE_ACTIVITY_ERRORS.includes(failure.type ?? ''));
}
const reasonOf = (err: ActivityFailure | ApplicationFailure) => (err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : err.message);

/**
 * Carry out one batch. A failure for good (bad data) becomes each effect's outcome instead of failing the
 * contract; an outage waits on the patient path, and `watch` hears when it has waited too long.
 */
export async function carryOut(s: ContractState, batch: Effect[], now: () => number, watch: EffectsWatch): Promise<EffectOutcome[]> {
  const first = batch[0]!;
  try {
    if (first.type === 'deleteData') {
      await deleteCustomerData.executeWithOptions({ summary: summaryOf(first) }, [
        {
          contractId: s.contractId,
          customerId: s.customerId,
          lastContractDay: first.lastContractDay,
          deletionDay: first.deletionDay,
          notice: noticeInput(s, first.notice),
        },
      ]);
      return [{ ok: true }];
    }
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return [{ ok: false, reason: reasonOf(err) }];
  }
  const summary = batch.map(summaryOf).join(', ');
  const options = { summary: summary.length > 200 ? `${summary.slice(0, 199)}…` : summary };
  const inputs = (batch as LedgerOrMail[]).map((e) => inputOf(s, e));
  try {
    return await fast.carryOutEffects.executeWithOptions(options, [inputs]);
  } catch (err) {
    // A local activity's failure arrives as the ApplicationFailure itself, a remote one wrapped.
    if (forGood(err)) return batch.map(() => ({ ok: false, reason: reasonOf(err) }));
    if (!(err instanceof ActivityFailure || err instanceof ApplicationFailure)) throw err;
  }
  const since = now();
  const alarm = new CancellationScope();
  alarm
    .run(() => sleep(EFFECTS_ATTENTION_AFTER_MS, { summary: `effects waiting: ${options.summary}`.slice(0, 200) }))
    .then(
      () => watch.waiting(since, batch),
      (err) => {
        if (!isCancellation(err)) throw err;
      },
    );
  try {
    return await patient.carryOutEffects.executeWithOptions(options, [inputs]);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return batch.map(() => ({ ok: false, reason: reasonOf(err) }));
  } finally {
    alarm.cancel();
    watch.through();
  }
}

/** What the activities take for a ledger or mail effect. */
function inputOf(s: ContractState, e: LedgerOrMail): EffectInput {
  const contractId = s.contractId;
  switch (e.type) {
    case 'notice':
      return { type: 'notice', input: noticeInput(s, e) };
    case 'issueInvoice': {
      const { paid: _p, outstanding: _o, overdueNoticeSent: _n, dunning: _d, invoiceNumber: _i, ...invoice } = s.invoices.find((i) => i.period === e.period)!;
      // A fee left out is said on the document (Appendix 3 §1: the first month's cloud fee).
      const notes = s.startDate ? invoiceNotes({ period: e.period, startDate: s.startDate, history: termsHistory(s) }) : [];
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
