/**
 * How the activities fail. Transient trouble (network, ECONNREFUSED, a busy or restarting database, SMTP 4xx)
 * is thrown as it is, so Temporal retries the activity. Bad data — what no retry can fix — is thrown as a
 * non-retryable ApplicationFailure whose type says what was wrong and whose message names the field.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';

export const FAILURE_TYPES = {
  /** The invoice handed to issueInvoice is malformed or does not add up. */
  badInvoiceData: 'BadInvoiceData',
  /** The payment handed to recordPayment is malformed. */
  badPaymentData: 'BadPaymentData',
  /** A payment id already recorded with other facts (contract, day, amount, allocations). */
  paymentConflict: 'PaymentConflict',
  /** sendNotice: unknown kind, invalid address, missing or malformed facts, a notice id reused for another notice. */
  badNoticeData: 'BadNoticeData',
  /** The SMTP server refused the mail for good (5xx other than 503). */
  mailRejected: 'MailRejected',
  /** deleteCustomerData: malformed days, or days that contradict the deletion already under way. */
  badDeletionRequest: 'BadDeletionRequest',
  /** No customer on record for the contract, or its contact was erased (D-8): nobody to write to. */
  noContactOnRecord: 'NoContactOnRecord',
  /** A contact change the ledger cannot take: after deletion, or a request id reused with other details. */
  contactRefused: 'ContactRefused',
  /** An audit-trail entry without a valid actor, command or request id. */
  auditRefused: 'AuditRefused',
  /** The ledger's own constraints refused a write (immutability trigger, check constraint). */
  ledgerRefused: 'LedgerRefused',
} as const;
export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];

export function nonRetryable(type: FailureType, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}

/** Parses `value` with `schema`, or throws a non-retryable failure listing each problem by field. */
export function parseOrFail<T>(schema: z.ZodType<T>, value: unknown, type: FailureType, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : what}: ${i.message}`);
  throw nonRetryable(type, `${what} refused: ${problems.join('; ')}`);
}

/**
 * Database errors: SQLSTATE class 22 (data exception), class 23 (integrity) except 23505 (a unique race,
 * which a retry resolves) and P0001 (the ledger's triggers) will fail the same way on every retry, so they
 * become non-retryable. Everything else (connection loss, 40001 serialization, 40P01 deadlock, 57P01
 * admin shutdown, 53xxx resources, 55P03 lock not available) is rethrown unchanged and retried.
 */
export function classifyDbError(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && (code.startsWith('22') || (code.startsWith('23') && code !== '23505') || code === 'P0001')) {
    return nonRetryable(FAILURE_TYPES.ledgerRefused, `the ledger refused the write (SQLSTATE ${code}): ${(err as Error).message}`);
  }
  return err;
}
