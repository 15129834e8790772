/**
 * What the entry points read of the ledger (activities): its records' types, the issued invoice's copies
 * (HTML, PDF name, CSV of a month) and, for a process that owns the ledger (the console, its first-admin
 * script), opening it. One place, so an edge depends on the back office only.
 */
export { Ledger, openPglite, openPostgres } from '../activities';
export { invoicePdfName, monthInvoicesCsv, renderInvoiceHtml, sha256Hex } from '../activities';
export type { AuditEntry, CustomerRecord, MonthInvoices, PaymentRecord, StoredInvoice } from '../activities';
export type { BankFileRecord, Mailer } from '../activities';
