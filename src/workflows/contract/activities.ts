/**
 * The activities a contract needs, as the workflow sees them (a port). src/activities implements it;
 * the worker checks the two fit. Workflows never import the implementation.
 */
import type { Contact, Invoice, IsoDate, NoticeFacts, NoticeKind, YearMonth } from '../../domain/types';

type Args<K extends keyof ContractActivities> = Parameters<ContractActivities[K]>[0];

/** One ledger or mail effect as the activities take it (what `carryOutEffects` runs, in order). */
export type EffectInput =
  | { type: 'notice'; input: Args<'sendNotice'> }
  | { type: 'issueInvoice'; input: Args<'issueInvoice'> }
  | { type: 'recordPayment'; input: Args<'recordPayment'> }
  | { type: 'allocateAdvance'; input: Args<'allocateAdvance'> }
  | { type: 'applyCredit'; input: Args<'applyCredit'> };

/** What became of one effect: done (with the invoice number it got), or refused for good (bad data). */
export type EffectOutcome = { ok: true; invoiceNumber?: string } | { ok: false; reason: string };

export interface ContractActivities {
  /**
   * The ledger writes and notices of one workflow task, in order, each idempotent by its business key: a
   * retried batch redoes nothing already done. A refusal for good is that effect's outcome; the rest go on.
   */
  carryOutEffects(effects: EffectInput[]): Promise<EffectOutcome[]>;
  issueInvoice(input: { contractId: string; customer: Contact; invoice: Invoice }): Promise<{ invoiceNumber: string; alreadyIssued: boolean }>;
  recordPayment(input: {
    contractId: string;
    paymentId: string;
    paidOn: IsoDate;
    amount: number;
    allocations: Array<{ period: YearMonth; amount: number }>;
  }): Promise<{ alreadyRecorded: boolean }>;
  allocateAdvance(input: { contractId: string; paymentId: string; period: YearMonth; amount: number }): Promise<{ alreadyRecorded: boolean }>;
  /** Credit from a negative invoice set against a later one (D-7, D-12), once per (contract, from, to). */
  applyCredit(input: { contractId: string; fromPeriod: YearMonth; toPeriod: YearMonth; amount: number }): Promise<{ alreadyRecorded: boolean }>;
  sendNotice(input: { noticeId: string; contractId: string; kind: NoticeKind; on: IsoDate; to: Contact; facts: NoticeFacts }): Promise<{ alreadySent: boolean }>;
  deleteCustomerData(input: { contractId: string; lastContractDay: IsoDate; deletionDay: IsoDate }): Promise<{ deleted: string[]; alreadyDeleted: boolean }>;
}

/** Failure types that retrying cannot fix: the activity got bad data. */
export const NON_RETRYABLE_ACTIVITY_ERRORS = [
  'BadNoticeData',
  'BadInvoiceData',
  'BadPaymentData',
  'PaymentConflict',
  'MailRejected',
  'BadDeletionRequest',
  'LedgerRefused',
  'InvalidSettings',
];
