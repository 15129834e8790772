/**
 * The activities: thin adapters from the contract workflow to the real components — the ledger
 * (PostgreSQL or PGlite), e-mail notices (SMTP, an .eml outbox, or a capture) and the deletion of a
 * customer's data. Each is idempotent by a business key — (contract, period), payment id, notice id,
 * contract — never by a Temporal run id, so a retried or duplicated activity does its work once.
 *
 * Failures: transient trouble is thrown as it is (Temporal retries); bad data is a non-retryable
 * ApplicationFailure whose type is one of FAILURE_TYPES.
 */
export { FAILURE_TYPES } from './errors';
export type { FailureType } from './errors';
export { createActivities, createEffectAdapters, type ActivityDeps } from './effects';
export { databaseUnreachable, openDependencies, openInMemoryDependencies, openInMemoryLedger, openPostgresWhenReachable } from './dependencies';
export { Ledger } from './ledger/ledger';
export { Customers, type CustomerRecord } from './ledger/customers';
export { monthInvoicesCsv, type MonthInvoices, type MonthLine } from './ledger/accounting';
export { AuditTrail, type AuditEntry, type AuditAttempt, type AuditOutcome } from './ledger/audit';
export type { DocumentFacts, InvoiceDocument, InvoiceDocumentInfo } from './ledger/documents';
export { sha256Hex } from './ledger/documents';
export type { InvoiceSummary, StoredInvoice, StoredInvoiceLine, PaymentRecord, SentNotice, DeletionRecord, Issuer } from './ledger/ledger';
export { PeopleStore, OidcIdentityTaken, type Person } from './ledger/people';
export { ApiTokenStore, type ApiTokenRecord } from './ledger/api-tokens';
export { openPglite, openPostgres } from './ledger/db';
export type { Db, Sql } from './ledger/db';
export { migrate, MIGRATIONS } from './ledger/migrations';
export { CaptureMailer, OutboxMailer, SmtpMailer, outboxFileName, withoutAddresses } from './mail/mailer';
export type { Mailer, OutgoingMail, SentMail, CapturedMail } from './mail/mailer';
export { REQUIRED_FACTS } from './mail/templates';
export { DirectoryResourceApi, InMemoryResourceApi } from './resources';
export type { ResourceApi, Holdings } from './resources';
export { renderInvoiceHtml } from './invoice-document';
export { invoicePdfName, renderInvoicePdf } from './invoice-pdf';

export type { SendNoticeInput } from './mail/templates';
export type { BankFileFormat, BankFileRecord, BankLineRecord, LineOutcome, LinePlan, MatchedBy } from './ledger/bank-lines';
export type { CustomerProfile, DirectorySnapshot } from './ledger/payers';
export type { ReceivedPayment } from './ledger/receivables';
