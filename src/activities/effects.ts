/**
 * The effect adapters: thin adapters from the contract workflow to the real components — the ledger, e-mail
 * notices and the deletion of a customer's data. Each is idempotent by a business key — (contract, period),
 * payment id, notice id, contract — never by a Temporal run id, so a retried or duplicated activity does its
 * work once. Transient trouble is thrown as it is (Temporal retries); bad data is a non-retryable
 * ApplicationFailure whose type is one of FAILURE_TYPES.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { isIsoDate, isYearMonth } from '../domain/calendar';
import { NOTICE_KINDS, type Invoice, type InvoiceNote, type IsoDate, type NoticeFacts, type YearMonth } from '../domain/types';
import { dunningLadderOf, type Settings } from '../settings';
import type { ContractActivities, DeletionInput, EffectInput, EffectOutcome, NoticeInput } from '../workflows/contract/activities';
import { warn } from './context';
import { deleteCustomerData } from './deletion';
import { FAILURE_TYPES, nonRetryable, parseOrFail } from './errors';
import { invoicePdfName, renderInvoicePdf } from './invoice-pdf';
import type { InvoiceDocument } from './ledger/documents';
import type { Ledger } from './ledger/ledger';
import type { Mailer } from './mail/mailer';
import { renderNotice } from './mail/templates';
import { metrics } from './metrics';
import type { ResourceApi } from './resources';

export interface ActivityDeps {
  ledger: Ledger;
  mailer: Mailer;
  resources: ResourceApi;
  settings: Settings;
}

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
  suspensionDay: optDate,
  invoiceNumber: z.string().max(64).nullish(),
  priceListId: z.string().max(64).nullish(),
  from: z.iso.datetime({ offset: true }).nullish(),
  to: z.iso.datetime({ offset: true }).nullish(),
  emergency: z.boolean().nullish(),
  postedOn: optDate,
  invoices: z
    .array(
      z.object({
        period: z.string().refine(isYearMonth, 'expected a month YYYY-MM'),
        invoiceNumber: z.string().max(64).nullable(),
        dueOn: isoDate,
        outstanding: z.number().int(),
      }),
    )
    .max(120)
    .nullish(),
  alreadySuspended: z.boolean().nullish(),
  droppedChanges: z.array(z.string().refine(isYearMonth, 'expected a month YYYY-MM')).max(24).nullish(),
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
    async issueInvoice(input: {
      contractId: string;
      customerId: string;
      invoice: Invoice;
      notes?: InvoiceNote[];
    }): Promise<{ invoiceNumber: string; alreadyIssued: boolean; document: InvoiceDocument }> {
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
      return ledger.withholdNotice(
        { noticeId: n.noticeId, contractId: n.contractId, kind: n.kind, on: n.on },
        `the contact was erased on ${found.erasedOn} (D-8)`,
      );
    }
    const { contact: to, revision } = found;
    // The invoice's PDF goes with its notice: the bytes stored in the ledger (absent for one issued before them).
    const document =
      issued && facts.period
        ? 'document' in issued && issued.document
          ? issued.document
          : await ledger.documents.find(n.contractId, facts.period)
        : undefined;
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
      let sent: Awaited<ReturnType<typeof mailer.send>>;
      try {
        sent = await mailer.send({
          noticeId: n.noticeId,
          contractId: n.contractId,
          kind: n.kind,
          to,
          subject: mail.subject,
          text: mail.text,
          ...(attachment ? { attachments: [attachment] } : {}),
        });
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
  return { carryOutEffects, deleteCustomerData, dunningLadder: async () => dunningLadderOf(deps.settings) }; // D-31: as the worker's settings say
}
