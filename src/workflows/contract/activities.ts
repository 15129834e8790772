/**
 * The activities a contract needs, as the workflow sees them (a port). src/activities implements it;
 * the worker checks the two fit. Workflows never import the implementation.
 */
import type { Contact, Invoice, IsoDate, NoticeFacts, NoticeKind, YearMonth } from '../../domain/types';

export interface ContractActivities {
  issueInvoice(input: { contractId: string; customer: Contact; invoice: Invoice }): Promise<{ invoiceNumber: string; alreadyIssued: boolean }>;
  recordPayment(input: {
    contractId: string;
    paymentId: string;
    paidOn: IsoDate;
    amount: number;
    allocations: Array<{ period: YearMonth; amount: number }>;
  }): Promise<{ alreadyRecorded: boolean }>;
  allocateAdvance(input: { contractId: string; paymentId: string; period: YearMonth; amount: number }): Promise<{ alreadyRecorded: boolean }>;
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
