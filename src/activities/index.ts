/**
 * The activities: thin adapters from the contract workflow to the real components — the ledger
 * (PostgreSQL or PGlite), e-mail notices (SMTP, an .eml outbox, or a capture) and the deletion of a
 * customer's data. Each is idempotent by a business key — (contract, period), payment id, notice id,
 * contract — never by a Temporal run id, so a retried or duplicated activity does its work once.
 *
 * Failures: transient trouble is thrown as it is (Temporal retries); bad data is a non-retryable
 * ApplicationFailure whose type is one of FAILURE_TYPES.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { isIsoDate, isYearMonth } from '../domain/calendar';
import { NOTICE_KINDS, type Invoice, type InvoiceNote, type IsoDate, type NoticeFacts, type YearMonth } from '../domain/types';
import { loadSettings, type Settings } from '../settings';
import { warn } from './context';
import { deleteCustomerData } from './deletion';
import { metrics } from './metrics';
import { FAILURE_TYPES, nonRetryable, parseOrFail } from './errors';
import { ApplicationFailure } from '@temporalio/common';
import type { ContractActivities, DeletionInput, EffectInput, EffectOutcome, NoticeInput } from '../workflows/contract/activities';
import { openPglite, openPostgres } from './ledger/db';
import { Ledger } from './ledger/ledger';
import { invoicePdfName, renderInvoicePdf } from './invoice-pdf';
import type { InvoiceDocument } from './ledger/documents';
import { CaptureMailer, OutboxMailer, SmtpMailer, type Mailer } from './mail/mailer';
import { renderNotice } from './mail/templates';
import { DirectoryResourceApi, InMemoryResourceApi, type ResourceApi } from './resources';

export { FAILURE_TYPES } from './errors';
export type { FailureType } from './errors';
export { Ledger } from './ledger/ledger';
export { Customers, type CustomerRecord } from './ledger/customers';
export { monthInvoicesCsv, type MonthInvoices, type MonthLine } from './ledger/accounting';
export { AuditTrail, type AuditEntry, type AuditAttempt, type AuditOutcome } from './ledger/audit';
export type { DocumentFacts, InvoiceDocument, InvoiceDocumentInfo } from './ledger/documents';
export { sha256Hex } from './ledger/documents';
export type { InvoiceSummary, StoredInvoice, StoredInvoiceLine, PaymentRecord, SentNotice, DeletionRecord, Issuer } from './ledger/ledger';
export { PeopleStore, OidcIdentityTaken, type Person } from './ledger/people';
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

export interface ActivityDeps {
  ledger: Ledger;
  mailer: Mailer;
  resources: ResourceApi;
  settings: Settings;
}

export type { SendNoticeInput } from './mail/templates';

const isoDate = z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD');
const optDate = isoDate.nullish();
const optMonth = z.string().refine(isYearMonth, 'expected a month YYYY-MM').nullish();
const optYen = z.number().refine(Number.isSafeInteger, 'expected whole yen (an integer)').nullish();

/** The facts a notice may state; unknown keys are dropped, so nothing else can reach a customer. */
const factsSchema = z.object({
  article: z.string().nullish(),
  appliedOn: optDate,
  startDate: optDate,
  minimumTermEnd: optDate,
  endDate: optDate,
  effectiveMonth: optMonth,
  period: optMonth,
  invoiceTotal: optYen,
  dueOn: optDate,
  amount: optYen,
  outstanding: optYen,
  earlyTerminationFee: optYen,
  compensation: optYen,
  payBy: optDate,
  terminationDay: optDate,
  priceListId: z.string().max(64).nullish(),
  from: z.iso.datetime({ offset: true }).nullish(),
  to: z.iso.datetime({ offset: true }).nullish(),
  emergency: z.boolean().nullish(),
  postedOn: optDate,
});

const noticeSchema = z.object({
  noticeId: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters'),
  contractId: z.string().trim().min(1, 'must not be empty'),
  kind: z.enum(NOTICE_KINDS, { error: (i) => `unknown notice kind ${JSON.stringify(i.input)}` }),
  customerId: z.string().trim().min(1, 'must not be empty'),
  on: isoDate,
  facts: factsSchema.default({}),
});

/** A fee the invoice leaves out (Appendix 3 §1), as the workflow states it: figures and a day, nothing personal. */
const notesSchema = z
  .array(z.object({ kind: z.literal('cloudFeeWaived'), amount: z.number().int().positive(), startDate: isoDate, rule: z.string().min(1).max(50) }))
  .max(10)
  .default([]);

/** Drops null/undefined facts: the templates see only what is stated. */
function stated(facts: z.infer<typeof factsSchema>): NoticeFacts {
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== null && v !== undefined)) as NoticeFacts;
}

/**
 * The adapters of each effect (an invoice, a payment, a notice, …) and the batch that runs them in order.
 * The worker registers only what the workflows schedule (`createActivities`); tests drive single adapters.
 */
export function createEffectAdapters(deps: ActivityDeps) {
  const { ledger, mailer, resources, settings } = deps;
  const issuer = { name: settings.INVOICE_ISSUER_NAME, registrationNumber: settings.INVOICE_REGISTRATION_NUMBER };

  /**
   * The invoice's PDF, made once from the ledger's copy (the customer's name is read there, never passed in)
   * and stored with its hash; a retry or a repeat finds the one stored, so the customer gets one document.
   */
  async function invoiceDocument(contractId: string, period: YearMonth, notes: InvoiceNote[]): Promise<InvoiceDocument> {
    const existing = await ledger.documents.find(contractId, period);
    if (existing) return existing;
    const inv = await ledger.findInvoice(contractId, period);
    if (!inv) throw new Error(`the invoice of ${contractId} for ${period} is not in the ledger`); // retried: the issue comes first
    const facts = { issuerAddress: settings.INVOICE_ISSUER_ADDRESS, bankAccount: settings.INVOICE_BANK_ACCOUNT, notes };
    return ledger.documents.store({ contractId, period, invoiceNumber: inv.number, facts, pdf: await renderInvoicePdf(inv, facts) });
  }

  const activities = {
    /** Issues the invoice of (contract, period) once, with its PDF; a repeat returns the invoice already issued. */
    async issueInvoice(input: { contractId: string; customerId: string; invoice: Invoice; notes?: InvoiceNote[] }): Promise<{ invoiceNumber: string; alreadyIssued: boolean; document: InvoiceDocument }> {
      const notes = parseOrFail(notesSchema, input.notes, FAILURE_TYPES.badInvoiceData, 'invoice notes') as InvoiceNote[];
      const r = await ledger.issueInvoice({ contractId: input.contractId, customerId: input.customerId, invoice: input.invoice, issuer });
      if (r.alreadyIssued && !r.sameAsIssued) {
        warn('issueInvoice: an invoice for this contract and period was already issued with another total; the issued one stands', {
          contractId: input.contractId,
          period: input.invoice?.period,
          invoiceNumber: r.invoiceNumber,
        });
      }
      if (!r.alreadyIssued) metrics.invoiceIssued();
      const document = await invoiceDocument(input.contractId, input.invoice.period, notes);
      return { invoiceNumber: r.invoiceNumber, alreadyIssued: r.alreadyIssued, document };
    },

    /** Records a payment and its allocations once per payment id. */
    async recordPayment(input: {
      contractId: string;
      paymentId: string;
      paidOn: IsoDate;
      amount: number;
      allocations: Array<{ period: YearMonth; amount: number }>;
    }): Promise<{ alreadyRecorded: boolean }> {
      return ledger.recordPayment(input);
    },

    /** Sets part of an earlier advance payment against an invoice issued since (Appendix 3 §5). */
    async allocateAdvance(input: { contractId: string; paymentId: string; period: YearMonth; amount: number }): Promise<{ alreadyRecorded: boolean }> {
      return ledger.allocateAdvance(input);
    },

    /** Sets credit from a negative invoice against a later one, once per (contract, from, to) (D-7, D-12). */
    async applyCredit(input: { contractId: string; fromPeriod: YearMonth; toPeriod: YearMonth; amount: number }): Promise<{ alreadyRecorded: boolean }> {
      return ledger.applyCredit(input);
    },

    /** Sends one notice by e-mail, once per notice id (Japanese, English below). */
    async sendNotice(input: NoticeInput): Promise<{ alreadySent: boolean }> {
      return sendNoticeKnowing(input, new Map());
    },

    /** Art. 30, D-8: deletes accounts, resources and stored data, strips contacts from the ledger; re-runnable. */
    async deleteCustomerData(input: DeletionInput): Promise<{ deleted: string[]; alreadyDeleted: boolean }> {
      return deleteCustomerData({ ledger, resources, mailer, sendNotice: (n) => sendNoticeKnowing(n, new Map()) }, input);
    },
  };

  /** An invoice just issued in this batch: its figures, so its notice needs no look-up. */
  type IssuedFigures = { number: string; taxableSubtotal: number; tax: number; nonTaxableSubtotal: number; document?: InvoiceDocument };

  async function sendNoticeKnowing(input: NoticeInput, issuedNow: Map<string, IssuedFigures>): Promise<{ alreadySent: boolean }> {
    const n = parseOrFail(noticeSchema, input, FAILURE_TYPES.badNoticeData, 'notice');
    const facts = stated(n.facts);
    const issued =
      n.kind === 'invoiceIssued' && facts.period
        ? (issuedNow.get(`${n.contractId}:${facts.period}`) ?? (await ledger.findInvoiceSummary(n.contractId, facts.period)))
        : undefined;
    // The latest contact when it is sent (Art. 12-4), from the ledger: Temporal never held it.
    const found = await ledger.customers.contactFor(n.contractId, n.customerId);
    if ('erasedOn' in found) {
      // D-8: after deletion nobody is left to write to (the last invoice stays in the ledger, for the console).
      warn('notice withheld: the contact was erased (D-8)', { contractId: n.contractId, noticeId: n.noticeId, kind: n.kind, erasedOn: found.erasedOn });
      return ledger.withholdNotice({ noticeId: n.noticeId, contractId: n.contractId, kind: n.kind, on: n.on }, `the contact was erased on ${found.erasedOn} (D-8)`);
    }
    const { contact: to, revision } = found;
    // The invoice's PDF goes with its notice: the bytes stored in the ledger (absent for one issued before them).
    const document = issued && facts.period ? ('document' in issued && issued.document ? issued.document : await ledger.documents.find(n.contractId, facts.period)) : undefined;
    const attachment = document ? { filename: invoicePdfName(document.invoiceNumber), content: document.pdf, contentType: 'application/pdf' } : undefined;
    // Rendered before the notice id is claimed: bad data fails without leaving anything behind.
    const mail = renderNotice({
      noticeId: n.noticeId,
      contractId: n.contractId,
      kind: n.kind,
      on: n.on,
      to,
      facts,
      issuerName: settings.INVOICE_ISSUER_NAME,
      ...(issued
        ? {
            invoice: {
              number: issued.number,
              taxableSubtotal: issued.taxableSubtotal,
              tax: issued.tax,
              nonTaxableSubtotal: issued.nonTaxableSubtotal,
              ...(document ? { bankAccount: document.bankAccount, attachment: attachment!.filename } : {}),
            },
          }
        : {}),
    });
    return ledger.sendNoticeOnce({ noticeId: n.noticeId, contractId: n.contractId, kind: n.kind, on: n.on }, async () => {
      let sent;
      try {
        sent = await mailer.send({ noticeId: n.noticeId, contractId: n.contractId, kind: n.kind, to, subject: mail.subject, text: mail.text, ...(attachment ? { attachments: [attachment] } : {}) });
      } catch (err) {
        metrics.noticeFailed(n.kind, !(err instanceof ApplicationFailure && err.nonRetryable));
        throw err;
      }
      metrics.noticeSent(n.kind);
      return { subject: mail.subject, contactRevision: revision, messageId: sent.messageId, location: sent.location };
    });
  }

  /**
   * One workflow task's ledger writes and notices, in order (an advance is set against the invoice issued
   * just before it). Bad data refuses that effect alone, as its outcome; anything transient is thrown, and
   * the retry redoes nothing already done (each effect is idempotent by its business key).
   */
  async function carryOutEffects(effects: EffectInput[]): Promise<EffectOutcome[]> {
    if (!Array.isArray(effects)) throw nonRetryable(FAILURE_TYPES.badNoticeData, 'effects: expected a list');
    const outcomes: EffectOutcome[] = [];
    const issuedNow = new Map<string, IssuedFigures>();
    for (const e of effects) {
      try {
        switch (e?.type) {
          case 'notice':
            await sendNoticeKnowing(e.input, issuedNow);
            outcomes.push({ ok: true });
            break;
          case 'issueInvoice': {
            const { invoiceNumber, alreadyIssued, document } = await activities.issueInvoice(e.input);
            const { period, taxableSubtotal, tax, nonTaxableSubtotal } = e.input.invoice;
            if (!alreadyIssued) issuedNow.set(`${e.input.contractId}:${period}`, { number: invoiceNumber, taxableSubtotal, tax, nonTaxableSubtotal, document });
            outcomes.push({ ok: true, invoiceNumber });
            break;
          }
          case 'recordPayment':
            await activities.recordPayment(e.input);
            outcomes.push({ ok: true });
            break;
          case 'allocateAdvance':
            await activities.allocateAdvance(e.input);
            outcomes.push({ ok: true });
            break;
          case 'reversePayment':
            await ledger.reversePayment(e.input);
            outcomes.push({ ok: true });
            break;
          case 'applyCredit':
            await activities.applyCredit(e.input);
            outcomes.push({ ok: true });
            break;
          default:
            outcomes.push({ ok: false, reason: `unknown effect type ${JSON.stringify((e as { type?: unknown } | null)?.type)}` });
        }
      } catch (err) {
        if (!(err instanceof ApplicationFailure && err.nonRetryable)) throw err;
        outcomes.push({ ok: false, reason: err.message });
      }
    }
    return outcomes;
  }

  return { carryOutEffects, ...activities };
}

/** The activities the worker registers: exactly what the contract workflow schedules. */
export function createActivities(deps: ActivityDeps): ContractActivities {
  const { carryOutEffects, deleteCustomerData } = createEffectAdapters(deps);
  return { carryOutEffects, deleteCustomerData };
}

/**
 * The real components from the settings: PostgreSQL when DATABASE_URL is set, else PGlite in
 * DATA_DIR/ledger; SMTP when SMTP_URL is set, else .eml files in DATA_DIR/outbox; resources in
 * DATA_DIR/resources. Migrations are applied at open.
 */
/** Errors of a database that is not there yet (down, restarting, starting up): worth waiting for. */
export function databaseUnreachable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '57P03', '57P01'].includes(e?.code ?? '') || /timeout exceeded when trying to connect|Connection terminated/i.test(e?.message ?? '');
}

/**
 * PostgreSQL, waited for when it is down (issue 17: a worker started while the database is down waits,
 * then starts): retried with backoff up to every 30 s, each wait reported. A wrong password or database
 * name fails at once — waiting would not fix it.
 */
export async function openPostgresWhenReachable(url: string, waiting: (attempt: number, err: Error, nextInMs: number) => void, signal?: AbortSignal): Promise<Awaited<ReturnType<typeof openPostgres>>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openPostgres(url);
    } catch (err) {
      if (!databaseUnreachable(err) || signal?.aborted) throw err;
      const next = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
      waiting(attempt, err as Error, next);
      await new Promise((r) => setTimeout(r, next));
    }
  }
}

export async function openDependencies(
  settings: Settings,
  options: { waitingForDatabase?: (attempt: number, err: Error, nextInMs: number) => void; signal?: AbortSignal } = {},
): Promise<ActivityDeps & { close(): Promise<void> }> {
  const db = settings.DATABASE_URL
    ? options.waitingForDatabase
      ? await openPostgresWhenReachable(settings.DATABASE_URL, options.waitingForDatabase, options.signal)
      : await openPostgres(settings.DATABASE_URL)
    : await openPglite(join(settings.DATA_DIR, 'ledger'));
  let ledger: Ledger;
  try {
    ledger = await Ledger.open(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const mailer: Mailer = settings.SMTP_URL ? new SmtpMailer(settings.SMTP_URL, settings.MAIL_FROM) : new OutboxMailer(join(settings.DATA_DIR, 'outbox'), settings.MAIL_FROM);
  const resources = new DirectoryResourceApi(join(settings.DATA_DIR, 'resources'));
  return {
    ledger,
    mailer,
    resources,
    settings,
    async close() {
      await mailer.close();
      await ledger.close();
    },
  };
}

/** A migrated, empty in-memory ledger image, made once per process: later in-memory ledgers start from it. */
let emptyLedgerImage: Promise<Blob> | undefined;

/** A fresh, empty ledger in memory (PGlite), with the real schema. */
export async function openInMemoryLedger(): Promise<Ledger> {
  if (emptyLedgerImage) {
    const image = await emptyLedgerImage.catch(() => undefined);
    if (image) return Ledger.open(await openPglite(undefined, image));
  }
  const db = await openPglite();
  const ledger = await Ledger.open(db);
  emptyLedgerImage ??= db.dump!();
  await emptyLedgerImage.catch(() => undefined);
  return ledger;
}

/**
 * Throwaway stand-ins for the scenario simulator and tests: PGlite in memory (the real schema and
 * migrations), a mailer that keeps each mail in `mailer.mails`, resources in memory.
 */
export async function openInMemoryDependencies(
  settings: Settings = loadSettings(process.env),
): Promise<ActivityDeps & { mailer: CaptureMailer; resources: InMemoryResourceApi; close(): Promise<void> }> {
  const ledger = await openInMemoryLedger();
  const mailer = new CaptureMailer(settings.MAIL_FROM);
  const resources = new InMemoryResourceApi();
  return {
    ledger,
    mailer,
    resources,
    settings,
    async close() {
      await ledger.close();
    },
  };
}
