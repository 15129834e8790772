/**
 * The ledger: the stores, each owning its tables and migrations, on one connection — invoices (適格請求書),
 * payments with advances, credits and reversals, notices, deletions (Art. 30, D-8), the customer master
 * (Art. 12-3), the audit trail, the invoice documents, provider-wide actions, and the back office's people
 * and sessions. Every write is idempotent by a business key — (contract, period) for an invoice, the
 * payment id, (contract, from, to) for a credit, the notice id, the contract for a deletion — never by a
 * Temporal run id, so a retried, duplicated or concurrent activity leaves exactly one record.
 *
 * This class only opens the stores and answers the activities by the store that owns the data.
 */
import type { IsoDate, YearMonth, Yen } from '../../domain/types';
import type { MonthInvoices } from './accounting';
import { ApiTokenStore } from './api-tokens';
import { AuditTrail } from './audit';
import { BankLines } from './bank-lines';
import { Customers } from './customers';
import type { Db } from './db';
import { Deletions, type DeletionRecord, type DeletionStep } from './deletion';
import { InvoiceDocuments } from './documents';
import { Invoices, type InvoiceSummary, type IssueInvoiceInput, type StoredInvoice } from './invoices';
import { migrate } from './migrations';
import { Notices, type SentNotice } from './notices';
import { Payments, type PaymentRecord, type RecordPaymentInput } from './payments';
import { Payers } from './payers';
import { PeopleStore } from './people';
import { ProviderActions } from './provider-actions';
import { Receivables } from './receivables';

export type { InvoiceSummary, Issuer, IssueInvoiceInput, StoredInvoice, StoredInvoiceLine } from './invoices';
export type { PaymentRecord, RecordPaymentInput } from './payments';
export type { SentNotice } from './notices';
export { DELETION_STEPS, type DeletionRecord, type DeletionStep } from './deletion';

type NoticeKey = Pick<SentNotice, 'noticeId' | 'contractId' | 'kind' | 'on'>;

export class Ledger {
  readonly invoices: Invoices;
  readonly payments: Payments;
  readonly notices: Notices;
  readonly deletions: Deletions;
  /** The customer master (Art. 12-3): the only home of the customer's contact details. */
  readonly customers: Customers;
  /** Every command attempted through the console or the CLI. */
  readonly audit: AuditTrail;
  /** The issued invoices' PDFs. */
  readonly documents: InvoiceDocuments;
  /** Price-list versions (D-17) and the answers to provider-wide runs. */
  readonly providerActions: ProviderActions;
  /** The back office's people and the console's sessions (served through src/backoffice). */
  readonly people: PeopleStore;
  /** The people's personal tokens for the back office's HTTP API (served through src/backoffice). */
  readonly apiTokens: ApiTokenStore;
  /** Payer names, payer codes and virtual accounts: whose money a bank line is (issue 29). */
  readonly payers: Payers;
  /** Imported bank statements, their lines and what each became (入金消込). */
  readonly bankLines: BankLines;
  /** What is owed as of a day and what was received: read across the stores, owning no table. */
  readonly receivables: Receivables;

  /**
   * @param db the connection the stores share. Readable here for the tests' checks of the schema's own
   * guards (triggers, constraints); code outside the stores never queries it (test/activities/stores.test.ts).
   */
  private constructor(readonly db: Db) {
    this.payments = new Payments(db);
    this.documents = new InvoiceDocuments(db);
    this.invoices = new Invoices(db, this.payments, this.documents);
    this.notices = new Notices(db);
    this.deletions = new Deletions(db);
    this.customers = new Customers(db);
    this.audit = new AuditTrail(db);
    this.providerActions = new ProviderActions(db);
    this.people = new PeopleStore(db);
    this.apiTokens = new ApiTokenStore(db);
    this.payers = new Payers(db);
    this.bankLines = new BankLines(db);
    this.receivables = new Receivables(db);
  }

  /** Opens the ledger on `db`, applying any migration not yet applied. */
  static async open(db: Db): Promise<Ledger> {
    await migrate(db);
    const ledger = new Ledger(db);
    await ledger.providerActions.recordFirstPriceList();
    return ledger;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // ---- invoices: the customer's name from the master, the removal day from the deletion (D-8) ----

  issueInvoice(input: IssueInvoiceInput): Promise<{ invoiceNumber: string; alreadyIssued: boolean; sameAsIssued: boolean }> {
    return this.invoices.issue(input, async (contractId, customerId) => ({
      name: await this.customers.billingNameFor(contractId, customerId),
      contactRemovedOn: await this.deletions.contactsRemovedOn(contractId),
    }));
  }
  listInvoices = (contractId: string): Promise<InvoiceSummary[]> => this.invoices.list(contractId);
  getInvoice = (invoiceNumber: string): Promise<StoredInvoice | undefined> => this.invoices.get(invoiceNumber);
  findInvoiceSummary = (contractId: string, period: YearMonth): Promise<InvoiceSummary | undefined> => this.invoices.findSummary(contractId, period);
  findInvoice = (contractId: string, period: YearMonth): Promise<StoredInvoice | undefined> => this.invoices.find(contractId, period);
  monthInvoices = (period: YearMonth): Promise<MonthInvoices> => this.invoices.month(period);

  // ---- payments, advances, credits ----

  recordPayment = (input: RecordPaymentInput): Promise<{ alreadyRecorded: boolean }> => this.payments.record(input);
  allocateAdvance = (input: { contractId: string; paymentId: string; period: YearMonth; amount: Yen }): Promise<{ alreadyRecorded: boolean }> =>
    this.payments.allocateAdvance(input);
  applyCredit = (input: { contractId: string; fromPeriod: YearMonth; toPeriod: YearMonth; amount: Yen }): Promise<{ alreadyRecorded: boolean }> =>
    this.payments.applyCredit(input);
  reversePayment = (input: { contractId: string; paymentId: string; reversedOn: IsoDate; reason: string }): Promise<{ alreadyReversed: boolean }> =>
    this.payments.reverse(input);
  getPayment = (paymentId: string): Promise<PaymentRecord | undefined> => this.payments.get(paymentId);
  listPayments = (contractId: string): Promise<PaymentRecord[]> => this.payments.list(contractId);

  // ---- notices ----

  sendNoticeOnce = (notice: NoticeKey, send: Parameters<Notices['sendOnce']>[1]): Promise<{ alreadySent: boolean }> => this.notices.sendOnce(notice, send);
  withholdNotice = (notice: NoticeKey, reason: string): Promise<{ alreadySent: boolean }> => this.notices.withhold(notice, reason);
  listNotices = (contractId: string): Promise<SentNotice[]> => this.notices.list(contractId);

  // ---- deletion (Art. 30, D-8) ----

  getDeletion = (contractId: string): Promise<DeletionRecord | undefined> => this.deletions.get(contractId);
  beginDeletion = (contractId: string, lastContractDay: IsoDate, deletionDay: IsoDate): Promise<DeletionRecord> =>
    this.deletions.begin(contractId, lastContractDay, deletionDay);
  recordDeletionStep = (contractId: string, step: DeletionStep, deleted: string[]): Promise<void> => this.deletions.recordStep(contractId, step, deleted);
  eraseContacts = (contractId: string): Promise<string[]> => this.deletions.eraseContacts(contractId);
  compact = (): Promise<void> => this.deletions.compact();
  completeDeletion = (contractId: string, stripped: string[]): Promise<DeletionRecord> => this.deletions.complete(contractId, stripped);
}
