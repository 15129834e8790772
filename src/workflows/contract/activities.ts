/**
 * The activities a contract needs, as the workflow sees them (a port). src/activities implements it;
 * the worker checks the two fit. Workflows never import the implementation.
 */
import type { EffectOutcome } from '../../domain/contract';
import type { DunningLadder } from '../../domain/dunning';
import type { Invoice, InvoiceNote, IsoDate, NoticeFacts, NoticeKind, YearMonth } from '../../domain/types';

/** A notice as the activities take it: the customer by id — the mail goes to the ledger's latest contact (Art. 12-4). */
export interface NoticeInput {
  noticeId: string;
  contractId: string;
  customerId: string;
  kind: NoticeKind;
  on: IsoDate;
  facts: NoticeFacts;
}

/** One ledger or mail effect as the activities take it (what `carryOutEffects` runs, in order). No personal data: ids only. */
export type EffectInput =
  | { type: 'notice'; input: NoticeInput }
  /** The ledger snapshots the customer's name on the invoice as it is issued (a qualified invoice carries it). */
  /** `notes`: the fees it leaves out and says why (Appendix 3 §1); the PDF is made from the ledger, not from here. */
  | { type: 'issueInvoice'; input: { contractId: string; customerId: string; invoice: Invoice; notes?: InvoiceNote[] } }
  | {
      type: 'recordPayment';
      input: { contractId: string; paymentId: string; paidOn: IsoDate; amount: number; allocations: Array<{ period: YearMonth; amount: number }> };
    }
  | { type: 'allocateAdvance'; input: { contractId: string; paymentId: string; period: YearMonth; amount: number } }
  /** A payment taken back, once per payment id; the payment row stays, its allocations no longer count. */
  | { type: 'reversePayment'; input: { contractId: string; paymentId: string; reversedOn: IsoDate; reason: string } }
  /** Credit from a negative invoice set against a later one (D-7, D-12), once per (contract, from, to). */
  | { type: 'applyCredit'; input: { contractId: string; fromPeriod: YearMonth; toPeriod: YearMonth; amount: number } };

export type { EffectOutcome };

export interface DeletionInput {
  contractId: string;
  customerId: string;
  lastContractDay: IsoDate;
  deletionDay: IsoDate;
  notice: NoticeInput;
}

export interface ContractActivities {
  /**
   * The ledger writes and notices of one workflow task, in order, each idempotent by its business key: a
   * retried batch redoes nothing already done. A refusal for good is that effect's outcome; the rest go on.
   */
  carryOutEffects(effects: EffectInput[]): Promise<EffectOutcome[]>;
  /**
   * Art. 30, D-8: the customer's resources, accounts and data, on the day after the last contract day; the
   * `dataDeleted` notice goes out before the contact is erased.
   */
  deleteCustomerData(input: DeletionInput): Promise<{ deleted: string[]; alreadyDeleted: boolean }>;
  /** D-31: the dunning ladder as the worker's settings say (a local activity: one marker, replayed as recorded). */
  dunningLadder(): Promise<DunningLadder>;
}

/** Failure types that retrying cannot fix: the activity got bad data. */
export const NON_RETRYABLE_ACTIVITY_ERRORS = [
  'BadNoticeData',
  'BadInvoiceData',
  'BadPaymentData',
  'PaymentConflict',
  'MailRejected',
  'BadDeletionRequest',
  'NoContactOnRecord',
  'LedgerRefused',
  'InvalidSettings',
];
