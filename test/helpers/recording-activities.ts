/** Activities that keep what they were asked to do in memory, idempotent by the same business keys as the real ones. */
import type { ContractActivities } from '../../src/workflows/contract/activities';
import type { Invoice, NoticeKind } from '../../src/domain/types';

export function recordingActivities() {
  const invoices = new Map<string, Invoice>();
  const notices = new Map<string, { kind: NoticeKind; on: string; to: string }>();
  const payments = new Map<string, number>();
  const deletions = new Map<string, string>();
  const activities: ContractActivities = {
    async issueInvoice({ contractId, invoice }) {
      const key = `${contractId}:${invoice.period}`;
      const alreadyIssued = invoices.has(key);
      if (!alreadyIssued) invoices.set(key, invoice);
      return { invoiceNumber: key, alreadyIssued };
    },
    async recordPayment({ paymentId, amount }) {
      const alreadyRecorded = payments.has(paymentId);
      payments.set(paymentId, amount);
      return { alreadyRecorded };
    },
    async sendNotice({ noticeId, kind, on, to }) {
      const alreadySent = notices.has(noticeId);
      if (!alreadySent) notices.set(noticeId, { kind, on, to: to.email });
      return { alreadySent };
    },
    async deleteCustomerData({ contractId, deletionDay }) {
      const alreadyDeleted = deletions.has(contractId);
      deletions.set(contractId, deletionDay);
      return { deleted: alreadyDeleted ? [] : ['accounts', 'resources', 'data'], alreadyDeleted };
    },
  };
  return { activities, invoices, notices, payments, deletions };
}
