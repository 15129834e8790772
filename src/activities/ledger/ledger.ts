/**
 * The billing ledger: invoices (適格請求書), their lines, payments and their allocations, credit moved from a
 * negative invoice to a later one, the notices sent and the deletion records (Art. 30, D-8). Every write is
 * idempotent by a business key — (contract, period) for an invoice, the payment id, (contract, from, to) for
 * a credit, the notice id, the contract for a deletion — never by a Temporal run id, so a
 * retried, duplicated or concurrent activity leaves exactly one record.
 *
 * Issued records are immutable: there is no UPDATE path here, and triggers refuse one (migrations.ts). The
 * only change ever made to an issued invoice is D-8's removal of the customer's contact details.
 */
import { z } from 'zod';
import { consumptionTax } from '../../domain/billing';
import { isIsoDate, isYearMonth } from '../../domain/calendar';
import { CATALOG } from '../../domain/catalog';
import { LINE_KINDS, type Contact, type Invoice, type InvoiceLine, type IsoDate, type NoticeKind, type YearMonth, type Yen } from '../../domain/types';
import { FAILURE_TYPES, classifyDbError, nonRetryable, parseOrFail } from '../errors';
import { instant, num, type Db, type Sql } from './db';
import { monthInvoices, type MonthInvoices } from './accounting';
import { AuditTrail } from './audit';
import { Customers } from './customers';
import { InvoiceDocuments, type InvoiceDocumentInfo } from './documents';
import { ProviderActions } from './provider-actions';
import { migrate } from './migrations';

/** A notice claim older than this belongs to an attempt that died mid-send (the mail activity times out sooner). */
const CLAIM_EXPIRY_SECONDS = 120;
/** How long a duplicate call waits for a claim held by another attempt, and how often it looks. */
const CLAIM_WAIT_MS = 30_000;
const CLAIM_POLL_MS = 50;

export interface Issuer {
  /** 適格請求書発行事業者の氏名又は名称. */
  name: string;
  /** 登録番号: `T` and 13 digits. */
  registrationNumber: string;
}

/** An issued invoice without its lines: the domain's figures, plus the ledger's number and what was paid. */
export interface InvoiceSummary extends Omit<Invoice, 'lines'> {
  number: string;
  contractId: string;
  /**
   * Payments allocated to this invoice's (contract, period), plus credit set against it from an earlier
   * negative invoice, minus credit drawn from it when it is such an invoice.
   */
  paid: Yen;
  /** total − paid; negative when a refund is due (more allocated than billed, or a credit not yet used). */
  outstanding: Yen;
  /** The day the customer's contact details were removed (D-8), else null. */
  contactRemovedOn: IsoDate | null;
}

/** A line as the ledger stores it: the domain's line, numbered, with the rate applied. */
export interface StoredInvoiceLine extends InvoiceLine {
  lineNo: number;
  /** The catalog's rate for a taxable line, null for a non-taxable (不課税) one. */
  taxRatePercent: number | null;
}

/**
 * The ledger's copy of an issued invoice (適格請求書): the domain's Invoice as issued, with its number,
 * issuer, customer, stored lines and what was paid against it. (The contract keeps its own view of its
 * invoices, InvoiceRecord in the contract's state.)
 */
export interface StoredInvoice extends InvoiceSummary {
  issuer: Issuer;
  /** The customer's name as issued (D-8 keeps it); null only on copies stripped before D-8 was revised. */
  customerName: string | null;
  taxRatePercent: number;
  lines: StoredInvoiceLine[];
  allocations: Array<{ paymentId: string; paidOn: IsoDate; amount: Yen }>;
  /** Credit moved between this invoice and another of the contract: + set against this one, − drawn from it. */
  credits: Array<{ invoiceNumber: string; period: YearMonth; amount: Yen }>;
  recordedAt: string;
  /** The document made at issue (its PDF's hash and what it states beside this row); null for one issued before migration 8. */
  document: InvoiceDocumentInfo | null;
}

export interface PaymentRecord {
  paymentId: string;
  contractId: string;
  paidOn: IsoDate;
  amount: Yen;
  allocations: Array<{ period: YearMonth; amount: Yen }>;
  recordedAt: string;
  /** Set when the payment was taken back: its allocations no longer count. */
  reversal: { on: IsoDate; reason: string } | null;
}

/** A notice the ledger sent, once per notice id. (The contract's own list is NoticeRecord in its state.) */
export interface SentNotice {
  noticeId: string;
  contractId: string;
  kind: NoticeKind;
  on: IsoDate;
  /** `withheld`: due after D-8 erased the contact, so recorded and never mailed. */
  status: 'sent' | 'withheld';
  subject: string | null;
  /** Which revision of the customer's contact it went to (the address itself stays in the customer master). */
  contactRevision: number | null;
  messageId: string | null;
  /** Where the mail went: `smtp`, an .eml path, `capture`. */
  location: string | null;
  sentAt: string | null;
}

export const DELETION_STEPS = ['accounts', 'resources', 'storedData'] as const;
export type DeletionStep = (typeof DELETION_STEPS)[number];
const STEP_COLUMN: Record<DeletionStep, string> = { accounts: 'accounts', resources: 'resources', storedData: 'stored_data' };

export interface DeletionRecord {
  contractId: string;
  lastContractDay: IsoDate;
  deletionDay: IsoDate;
  /** What each step deleted; null while the step has not run. */
  accounts: string[] | null;
  resources: string[] | null;
  storedData: string[] | null;
  /** What was stripped from the ledger; null until the deletion completed. */
  ledgerContacts: string[] | null;
  startedAt: string;
  completedAt: string | null;
}

// ---------------------------------------------------------------------------------------------------
// Input validation (bad data fails for good, with the field named)

const isoDate = z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD');
const yearMonth = z.string().refine(isYearMonth, 'expected a month YYYY-MM');
const wholeYen = z.number().refine(Number.isSafeInteger, 'expected whole yen (an integer)');
const key = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');


const lineSchema = z.object({
  kind: z.enum(LINE_KINDS),
  amount: wholeYen,
  taxable: z.boolean(),
  rule: z.string().min(1, 'every line names its rule (article or decision)'),
  description: z.string().min(1, 'every line has a description'),
  /** D-17: the price-list version a line priced from the list used. */
  priceList: z.string().min(1).max(64).optional(),
});

const invoiceSchema = z
  .object({
    period: yearMonth,
    issuedOn: isoDate,
    dueOn: isoDate,
    lines: z.array(lineSchema).min(1, 'an invoice has at least one line'),
    taxableSubtotal: wholeYen,
    tax: wholeYen,
    nonTaxableSubtotal: wholeYen,
    total: wholeYen,
  })
  .superRefine((inv, ctx) => {
    const taxable = inv.lines.filter((l) => l.taxable).reduce((s, l) => s + l.amount, 0);
    const nonTaxable = inv.lines.filter((l) => !l.taxable).reduce((s, l) => s + l.amount, 0);
    if (taxable !== inv.taxableSubtotal) {
      ctx.addIssue({ code: 'custom', path: ['taxableSubtotal'], message: `is ${inv.taxableSubtotal} but the taxable lines add up to ${taxable}` });
    }
    if (nonTaxable !== inv.nonTaxableSubtotal) {
      ctx.addIssue({ code: 'custom', path: ['nonTaxableSubtotal'], message: `is ${inv.nonTaxableSubtotal} but the non-taxable lines add up to ${nonTaxable}` });
    }
    // D-10: once per invoice on the taxable subtotal, the fraction discarded — as the domain computes it.
    const tax = Number.isSafeInteger(inv.taxableSubtotal) ? consumptionTax(inv.taxableSubtotal) : undefined; // else already refused
    if (tax !== undefined && inv.tax !== tax) {
      ctx.addIssue({ code: 'custom', path: ['tax'], message: `is ${inv.tax} but ${CATALOG.taxRatePercent}% of ${inv.taxableSubtotal} rounded down is ${tax}` });
    }
    if (inv.total !== inv.taxableSubtotal + inv.tax + inv.nonTaxableSubtotal) {
      ctx.addIssue({ code: 'custom', path: ['total'], message: `is ${inv.total} but taxable subtotal + tax + non-taxable subtotal is ${inv.taxableSubtotal + inv.tax + inv.nonTaxableSubtotal}` });
    }
    if (inv.dueOn < inv.issuedOn) ctx.addIssue({ code: 'custom', path: ['dueOn'], message: `is before the issue day ${inv.issuedOn}` });
  });

const issuerSchema = z.object({
  name: z.string().trim().min(1, 'the issuer name must not be empty'),
  registrationNumber: z.string().regex(/^T\d{13}$/, 'a qualified-invoice registration number is T followed by 13 digits'),
});

const issueSchema = z.object({ contractId: key, customerId: key, invoice: invoiceSchema, issuer: issuerSchema });

const paymentSchema = z
  .object({
    contractId: key,
    paymentId: key,
    paidOn: isoDate,
    amount: wholeYen.refine((n) => n > 0, 'a payment is a positive amount'),
    allocations: z.array(z.object({ period: yearMonth, amount: wholeYen.refine((n) => n >= 0, 'must not be negative') })),
  })
  .superRefine((p, ctx) => {
    const allocated = p.allocations.reduce((s, a) => s + a.amount, 0);
    if (allocated > p.amount) {
      ctx.addIssue({ code: 'custom', path: ['allocations'], message: `allocate ${allocated}, more than the payment of ${p.amount}` });
    }
  });

export interface IssueInvoiceInput {
  contractId: string;
  customerId: string;
  invoice: Invoice;
  issuer: Issuer;
}
const reversalSchema = z.object({ contractId: key, paymentId: key, reversedOn: isoDate, reason: z.string().trim().min(1, 'a reversal names its reason').max(500) });
const advanceSchema = z.object({
  contractId: key,
  paymentId: key,
  period: yearMonth,
  amount: wholeYen.refine((n) => n > 0, 'an allocation is a positive amount'),
});
const creditSchema = z
  .object({
    contractId: key,
    fromPeriod: yearMonth,
    toPeriod: yearMonth,
    amount: wholeYen.refine((n) => n > 0, 'a credit applied is a positive amount'),
  })
  // D-27: credit settles the oldest invoice first, earlier ones included; never the invoice it comes from.
  .refine((c) => c.fromPeriod !== c.toPeriod, { path: ['toPeriod'], message: 'credit is set against another invoice than the one it comes from' });

export interface RecordPaymentInput {
  contractId: string;
  paymentId: string;
  paidOn: IsoDate;
  amount: Yen;
  allocations: Array<{ period: YearMonth; amount: Yen }>;
}


// ---------------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** jsonb arrives parsed from both engines; be lenient with a string. */
const jsonList = (v: unknown): string[] | null => (v === null || v === undefined ? null : ((typeof v === 'string' ? JSON.parse(v) : v) as string[]));

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw classifyDbError(err);
  }
}

/**
 * Issues an invoice in one statement (one implicit transaction): the next gap-free number (the counter
 * row's lock orders concurrent issuers), the invoice with the customer's name as it stands today (a
 * qualified invoice carries it; no other contact detail is copied, D-8) and its lines. A duplicate
 * (contract, period) fails the whole statement, counter included. $1 contract, $2 period, $3 issued on,
 * $4 due on, $5–$6 issuer, $7 the customer's name, $8 tax rate, $9–$12 taxable subtotal, tax,
 * non-taxable subtotal, total, $13 the lines as JSON.
 */
const ISSUE_INVOICE = `
  WITH counter AS (
    UPDATE invoice_counter SET last_number = last_number + 1 WHERE id = 1 RETURNING last_number
  ), removed AS (
    SELECT (SELECT deletion_day FROM deletions WHERE contract_id = $1 AND completed_at IS NOT NULL) AS day
  ), invoice AS ( -- INV-000001: sequential, gap-free, six digits at least
    INSERT INTO invoices (number, seq, contract_id, period, issued_on, due_on, issuer_name, issuer_registration_number,
      customer_name, customer_email, contact_removed_on, tax_rate_percent, taxable_subtotal, tax, non_taxable_subtotal, total)
    SELECT 'INV-' || lpad(c.last_number::text, greatest(6, length(c.last_number::text)), '0'), c.last_number, $1, $2, $3::date, $4::date, $5, $6,
      $7, NULL, r.day, $8::int, $9::bigint, $10::bigint, $11::bigint, $12::bigint
    FROM counter c, removed r
    RETURNING number
  ), lines AS (
    INSERT INTO invoice_lines (invoice_number, line_no, kind, description, amount, taxable, tax_rate_percent, rule, price_list)
    SELECT invoice.number, l.line_no, l.kind, l.description, l.amount, l.taxable, CASE WHEN l.taxable THEN $8::int END, l.rule, l.price_list
    FROM invoice, ROWS FROM (jsonb_to_recordset($13::jsonb) AS (kind text, description text, amount bigint, taxable boolean, rule text, price_list text))
      WITH ORDINALITY AS l(kind, description, amount, taxable, rule, price_list, line_no)
  )
  SELECT number FROM invoice`;

const SUMMARY_COLUMNS = `i.number, i.contract_id, i.period, i.issued_on::text AS issued_on, i.due_on::text AS due_on,
  i.taxable_subtotal, i.tax, i.non_taxable_subtotal, i.total, i.contact_removed_on::text AS contact_removed_on,
  COALESCE((SELECT sum(a.amount) FROM payment_allocations a WHERE a.contract_id = i.contract_id AND a.period = i.period
    AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = a.payment_id)), 0)
  + COALESCE((SELECT sum(c.amount) FROM credit_applications c WHERE c.contract_id = i.contract_id AND c.to_period = i.period), 0)
  - COALESCE((SELECT sum(c.amount) FROM credit_applications c WHERE c.contract_id = i.contract_id AND c.from_period = i.period), 0) AS paid`;

function toSummary(r: Row): InvoiceSummary {
  const total = num(r.total);
  const paid = num(r.paid);
  return {
    number: str(r.number),
    contractId: str(r.contract_id),
    period: str(r.period),
    issuedOn: str(r.issued_on),
    dueOn: str(r.due_on),
    taxableSubtotal: num(r.taxable_subtotal),
    tax: num(r.tax),
    nonTaxableSubtotal: num(r.non_taxable_subtotal),
    total,
    paid,
    outstanding: total - paid,
    contactRemovedOn: strOrNull(r.contact_removed_on),
  };
}

export class Ledger {
  /** The customer master (Art. 12-3): the only home of the customer's contact details. */
  readonly customers: Customers;
  /** Every command attempted through the console or the CLI (issue 16). */
  readonly audit: AuditTrail;
  /** The issued invoices' PDFs (issue 17). */
  readonly documents: InvoiceDocuments;
  /** Price-list versions and the answers to provider-wide runs (issue 18). */
  readonly providerActions: ProviderActions;
  private constructor(readonly db: Db) {
    this.providerActions = new ProviderActions(db);
    this.customers = new Customers(db);
    this.audit = new AuditTrail(db);
    this.documents = new InvoiceDocuments(db);
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

  // ---- invoices -----------------------------------------------------------------------------------

  /**
   * Issues the invoice of (contract, period) once. A retried, duplicated or concurrent call returns the
   * invoice already issued (alreadyIssued: true) and creates nothing. Numbers come from one counter row
   * advanced in the inserting transaction: every issuer waits on that row's lock, so numbers are
   * sequential and a rolled-back issue leaves no gap.
   */
  async issueInvoice(input: IssueInvoiceInput): Promise<{ invoiceNumber: string; alreadyIssued: boolean; sameAsIssued: boolean }> {
    const { contractId, customerId, invoice, issuer } = parseOrFail(issueSchema, input, FAILURE_TYPES.badInvoiceData, 'invoice');
    // The name first (an unknown customer must not cost an invoice number); a repeat fails the statement
    // on the unique key.
    const customerName = await this.customers.billingNameFor(contractId, customerId);
    const { lines, ...totals } = invoice;
    try {
      const r = await guarded(() =>
        this.db.query<Row>(ISSUE_INVOICE, [
          contractId, invoice.period, invoice.issuedOn, invoice.dueOn, issuer.name, issuer.registrationNumber, customerName,
          CATALOG.taxRatePercent, totals.taxableSubtotal, totals.tax, totals.nonTaxableSubtotal, totals.total,
          JSON.stringify(lines.map((l) => ({ kind: l.kind, description: l.description, amount: l.amount, taxable: l.taxable, rule: l.rule, price_list: l.priceList ?? null }))),
        ]),
      );
      return { invoiceNumber: str(r.rows[0]!.number), alreadyIssued: false, sameAsIssued: true };
    } catch (err) {
      // Already issued (a repeat, or a concurrent issue that won): the statement rolled back whole, counter
      // included, so no number was skipped. Answer with the invoice that stands.
      const raced = (err as { code?: unknown }).code === '23505' ? await this.findIssued(this.db, contractId, invoice.period) : undefined;
      if (raced) return { invoiceNumber: raced.number, alreadyIssued: true, sameAsIssued: raced.total === invoice.total };
      throw err;
    }
  }

  private async findIssued(sql: Sql, contractId: string, period: YearMonth): Promise<{ number: string; total: number } | undefined> {
    const r = await sql.query<Row>('SELECT number, total FROM invoices WHERE contract_id = $1 AND period = $2', [contractId, period]);
    const row = r.rows[0];
    return row ? { number: str(row.number), total: num(row.total) } : undefined;
  }

  /** The invoices of a contract in period order, with what was paid against each. */
  async listInvoices(contractId: string): Promise<InvoiceSummary[]> {
    const r = await this.db.query<Row>(`SELECT ${SUMMARY_COLUMNS} FROM invoices i WHERE i.contract_id = $1 ORDER BY i.period`, [contractId]);
    return r.rows.map(toSummary);
  }

  /** One invoice with its issuer, customer (null once removed), lines and the payments allocated to it. */
  async getInvoice(invoiceNumber: string): Promise<StoredInvoice | undefined> {
    const r = await this.db.query<Row>(
      `SELECT ${SUMMARY_COLUMNS}, i.issuer_name, i.issuer_registration_number, i.customer_name,
         i.tax_rate_percent, i.recorded_at
       FROM invoices i WHERE i.number = $1`,
      [invoiceNumber],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    const summary = toSummary(row);
    const lines = await this.db.query<Row>(
      `SELECT line_no, kind, description, amount, taxable, tax_rate_percent, rule, price_list FROM invoice_lines
       WHERE invoice_number = $1 ORDER BY line_no`,
      [invoiceNumber],
    );
    const allocations = await this.db.query<Row>(
      `SELECT a.payment_id, p.paid_on::text AS paid_on, a.amount FROM payment_allocations a
       JOIN payments p ON p.payment_id = a.payment_id
       WHERE a.contract_id = $1 AND a.period = $2 AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = a.payment_id)
       ORDER BY p.paid_on, a.payment_id`,
      [summary.contractId, summary.period],
    );
    const credits = await this.db.query<Row>(
      `SELECT o.number, o.period, CASE WHEN c.to_period = $2 THEN c.amount ELSE -c.amount END AS amount
       FROM credit_applications c JOIN invoices o ON o.contract_id = c.contract_id
         AND o.period = CASE WHEN c.to_period = $2 THEN c.from_period ELSE c.to_period END
       WHERE c.contract_id = $1 AND $2 IN (c.from_period, c.to_period) ORDER BY o.period`,
      [summary.contractId, summary.period],
    );
    return {
      ...summary,
      issuer: { name: str(row.issuer_name), registrationNumber: str(row.issuer_registration_number) },
      customerName: strOrNull(row.customer_name),
      taxRatePercent: num(row.tax_rate_percent),
      lines: lines.rows.map((l) => ({
        lineNo: num(l.line_no),
        kind: str(l.kind) as InvoiceLine['kind'],
        description: str(l.description),
        amount: num(l.amount),
        taxable: Boolean(l.taxable),
        taxRatePercent: l.tax_rate_percent === null ? null : num(l.tax_rate_percent),
        rule: str(l.rule),
        ...(l.price_list === null || l.price_list === undefined ? {} : { priceList: str(l.price_list) }),
      })),
      allocations: allocations.rows.map((a) => ({ paymentId: str(a.payment_id), paidOn: str(a.paid_on), amount: num(a.amount) })),
      credits: credits.rows.map((c) => ({ invoiceNumber: str(c.number), period: str(c.period), amount: num(c.amount) })),
      recordedAt: instant(row.recorded_at) ?? '',
      document: (await this.documents.info(summary.contractId, summary.period)) ?? null,
    };
  }

  /** The invoice of (contract, period) without its lines and payments, if issued (one query). */
  async findInvoiceSummary(contractId: string, period: YearMonth): Promise<InvoiceSummary | undefined> {
    const r = await this.db.query<Row>(`SELECT ${SUMMARY_COLUMNS} FROM invoices i WHERE i.contract_id = $1 AND i.period = $2`, [contractId, period]);
    return r.rows[0] ? toSummary(r.rows[0]) : undefined;
  }

  /** The invoice of (contract, period), if issued. */
  async findInvoice(contractId: string, period: YearMonth): Promise<StoredInvoice | undefined> {
    const found = await this.findIssued(this.db, contractId, period);
    return found ? this.getInvoice(found.number) : undefined;
  }

  /** Every invoice of a billing month with its lines (accounting; accounting.ts renders the CSV). */
  monthInvoices(period: YearMonth): Promise<MonthInvoices> {
    return monthInvoices(this.db, period);
  }

  // ---- payments -----------------------------------------------------------------------------------

  /**
   * Records a payment once per payment id. The same id again with the same facts is a no-op
   * (alreadyRecorded: true); with other facts it is a conflict, refused for good.
   */
  async recordPayment(input: RecordPaymentInput): Promise<{ alreadyRecorded: boolean }> {
    const p = parseOrFail(paymentSchema, input, FAILURE_TYPES.badPaymentData, 'payment');
    // One allocation row per period (amounts for a repeated period are added); zero allocations are dropped.
    const byPeriod = new Map<string, number>();
    for (const a of p.allocations) if (a.amount > 0) byPeriod.set(a.period, (byPeriod.get(a.period) ?? 0) + a.amount);
    const allocations = [...byPeriod].map(([period, amount]) => ({ period, amount })).sort((a, b) => a.period.localeCompare(b.period));

    return guarded(() =>
      this.db.transaction(async (tx) => {
        const inserted = await tx.query<Row>(
          `INSERT INTO payments (payment_id, contract_id, paid_on, amount) VALUES ($1, $2, $3, $4)
           ON CONFLICT (payment_id) DO NOTHING RETURNING payment_id`,
          [p.paymentId, p.contractId, p.paidOn, p.amount],
        );
        if (inserted.rows.length === 0) {
          const existing = await this.paymentIn(tx, p.paymentId);
          const same =
            existing !== undefined &&
            existing.contractId === p.contractId &&
            existing.paidOn === p.paidOn &&
            existing.amount === p.amount &&
            JSON.stringify(existing.allocations) === JSON.stringify(allocations);
          if (!same) {
            throw nonRetryable(
              FAILURE_TYPES.paymentConflict,
              `payment ${p.paymentId} is already recorded with other facts (contract ${existing?.contractId}, ${existing?.paidOn}, ${existing?.amount} yen)`,
            );
          }
          return { alreadyRecorded: true };
        }
        for (const a of allocations) {
          await tx.query('INSERT INTO payment_allocations (payment_id, contract_id, period, amount) VALUES ($1, $2, $3, $4)', [
            p.paymentId, p.contractId, a.period, a.amount,
          ]);
        }
        return { alreadyRecorded: false };
      }),
    );
  }

  /**
   * Sets part of an advance payment (recorded earlier with nothing or less allocated) against an invoice
   * issued later (Appendix 3 §3, §5). Idempotent by (payment, period); never allocates more than was paid.
   */
  async allocateAdvance(input: { contractId: string; paymentId: string; period: YearMonth; amount: Yen }): Promise<{ alreadyRecorded: boolean }> {
    const a = parseOrFail(advanceSchema, input, FAILURE_TYPES.badPaymentData, 'advance allocation');
    return guarded(() =>
      this.db.transaction(async (tx) => {
        const payment = await this.paymentIn(tx, a.paymentId);
        if (!payment || payment.contractId !== a.contractId)
          throw nonRetryable(FAILURE_TYPES.badPaymentData, `no payment ${a.paymentId} of contract ${a.contractId} to allocate from`);
        const existing = payment.allocations.find((x) => x.period === a.period);
        if (existing) {
          if (existing.amount === a.amount) return { alreadyRecorded: true };
          throw nonRetryable(FAILURE_TYPES.paymentConflict, `payment ${a.paymentId} already allocates ${existing.amount} yen to ${a.period}, not ${a.amount}`);
        }
        const allocated = payment.allocations.reduce((sum, x) => sum + x.amount, 0);
        if (allocated + a.amount > payment.amount)
          throw nonRetryable(FAILURE_TYPES.badPaymentData, `payment ${a.paymentId} has ${payment.amount - allocated} yen left, not ${a.amount}`);
        const invoice = await tx.query<Row>('SELECT 1 FROM invoices WHERE contract_id = $1 AND period = $2', [a.contractId, a.period]);
        if (invoice.rows.length === 0) throw nonRetryable(FAILURE_TYPES.badPaymentData, `no invoice ${a.period} of contract ${a.contractId}`);
        await tx.query('INSERT INTO payment_allocations (payment_id, contract_id, period, amount) VALUES ($1, $2, $3, $4)', [
          a.paymentId, a.contractId, a.period, a.amount,
        ]);
        return { alreadyRecorded: false };
      }),
    );
  }

  /**
   * Sets credit from a negative invoice (a credit note, D-7/D-12) against a later invoice of the same
   * contract, as the contract did. Idempotent by (contract, from, to); never draws more than the note holds.
   */
  async applyCredit(input: { contractId: string; fromPeriod: YearMonth; toPeriod: YearMonth; amount: Yen }): Promise<{ alreadyRecorded: boolean }> {
    const c = parseOrFail(creditSchema, input, FAILURE_TYPES.badPaymentData, 'credit application');
    const refused = (message: string) => nonRetryable(FAILURE_TYPES.badPaymentData, `${message} (credit of ${c.amount} yen from ${c.fromPeriod} to ${c.toPeriod}, contract ${c.contractId})`);
    return guarded(() =>
      this.db.transaction(async (tx) => {
        // The note's row lock orders concurrent moves of its credit; what they did is read after it.
        const note = await tx.query<Row>('SELECT total FROM invoices WHERE contract_id = $1 AND period = $2 FOR UPDATE', [c.contractId, c.fromPeriod]);
        const from = note.rows[0];
        if (!from || num(from.total) >= 0) throw refused(`no negative invoice ${c.fromPeriod} to take credit from`);
        const moved = await tx.query<Row>('SELECT to_period, amount FROM credit_applications WHERE contract_id = $1 AND from_period = $2', [c.contractId, c.fromPeriod]);
        const same = moved.rows.find((r) => str(r.to_period) === c.toPeriod);
        if (same) {
          if (num(same.amount) === c.amount) return { alreadyRecorded: true };
          throw nonRetryable(FAILURE_TYPES.paymentConflict, `credit from ${c.fromPeriod} to ${c.toPeriod} of contract ${c.contractId} is already ${num(same.amount)} yen, not ${c.amount}`);
        }
        const left = -num(from.total) - moved.rows.reduce((sum, r) => sum + num(r.amount), 0);
        if (c.amount > left) throw refused(`invoice ${c.fromPeriod} has ${left} yen of credit left`);
        const to = await tx.query<Row>('SELECT 1 FROM invoices WHERE contract_id = $1 AND period = $2', [c.contractId, c.toPeriod]);
        if (to.rows.length === 0) throw refused(`no invoice ${c.toPeriod}`);
        await tx.query('INSERT INTO credit_applications (contract_id, from_period, to_period, amount) VALUES ($1, $2, $3, $4)', [
          c.contractId, c.fromPeriod, c.toPeriod, c.amount,
        ]);
        return { alreadyRecorded: false };
      }),
    );
  }

  private async paymentIn(sql: Sql, paymentId: string): Promise<PaymentRecord | undefined> {
    const r = await sql.query<Row>(
      'SELECT payment_id, contract_id, paid_on::text AS paid_on, amount, recorded_at FROM payments WHERE payment_id = $1',
      [paymentId],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    const a = await sql.query<Row>('SELECT period, amount FROM payment_allocations WHERE payment_id = $1 ORDER BY period', [paymentId]);
    const rev = await sql.query<Row>('SELECT reversed_on::text AS reversed_on, reason FROM payment_reversals WHERE payment_id = $1', [paymentId]);
    return {
      paymentId: str(row.payment_id),
      contractId: str(row.contract_id),
      paidOn: str(row.paid_on),
      amount: num(row.amount),
      allocations: a.rows.map((x) => ({ period: str(x.period), amount: num(x.amount) })),
      recordedAt: instant(row.recorded_at) ?? '',
      reversal: rev.rows[0] ? { on: str(rev.rows[0].reversed_on), reason: str(rev.rows[0].reason) } : null,
    };
  }

  /** Takes a payment back, once per payment id; the payment must be this contract's. */
  async reversePayment(input: { contractId: string; paymentId: string; reversedOn: IsoDate; reason: string }): Promise<{ alreadyReversed: boolean }> {
    const p = parseOrFail(reversalSchema, input, FAILURE_TYPES.badPaymentData, 'reversal');
    const payment = await this.paymentIn(this.db, p.paymentId);
    if (!payment || payment.contractId !== p.contractId) throw nonRetryable(FAILURE_TYPES.badPaymentData, `no payment ${p.paymentId} of contract ${p.contractId} to reverse`);
    const r = await guarded(() =>
      this.db.query<Row>(
        `INSERT INTO payment_reversals (payment_id, contract_id, reversed_on, reason) VALUES ($1, $2, $3, $4) ON CONFLICT (payment_id) DO NOTHING RETURNING payment_id`,
        [p.paymentId, p.contractId, p.reversedOn, p.reason],
      ),
    );
    return { alreadyReversed: r.rows.length === 0 };
  }

  async getPayment(paymentId: string): Promise<PaymentRecord | undefined> {
    return this.paymentIn(this.db, paymentId);
  }

  async listPayments(contractId: string): Promise<PaymentRecord[]> {
    const r = await this.db.query<Row>('SELECT payment_id FROM payments WHERE contract_id = $1 ORDER BY paid_on, payment_id', [contractId]);
    const out: PaymentRecord[] = [];
    for (const row of r.rows) {
      const p = await this.paymentIn(this.db, str(row.payment_id));
      if (p) out.push(p);
    }
    return out;
  }

  // ---- notices ------------------------------------------------------------------------------------

  /**
   * Sends a notice once per notice id. The id is claimed by inserting its row ('sending') in a statement
   * of its own — no transaction stays open while the mail goes out, so a slow SMTP server holds up nothing
   * else in the ledger — then marked 'sent'. A concurrent call with the same id waits for the claim to be
   * settled and finds it sent; a failed send removes the claim so a retry sends again; a claim left by an
   * attempt that died mid-send is taken over after CLAIM_EXPIRY_SECONDS. (A crash between the SMTP
   * server's acceptance and the mark can still repeat a mail: at least once, never lost. The deterministic
   * Message-ID lets mail clients drop such a repeat; the .eml outbox does not write a mail it holds again.)
   */
  async sendNoticeOnce(
    notice: Pick<SentNotice, 'noticeId' | 'contractId' | 'kind' | 'on'>,
    send: () => Promise<{ subject: string; contactRevision: number; messageId: string; location: string }>,
  ): Promise<{ alreadySent: boolean }> {
    for (let waited = 0; ; waited += CLAIM_POLL_MS) {
      const claimed = await guarded(() =>
        this.db.query<Row>(
          `INSERT INTO notices (notice_id, contract_id, kind, on_date, status) VALUES ($1, $2, $3, $4, 'sending')
           ON CONFLICT (notice_id) DO UPDATE SET created_at = now()
             WHERE notices.status = 'sending' AND notices.created_at < now() - make_interval(secs => $5)
               AND notices.contract_id = EXCLUDED.contract_id AND notices.kind = EXCLUDED.kind
           RETURNING notice_id`,
          [notice.noticeId, notice.contractId, notice.kind, notice.on, CLAIM_EXPIRY_SECONDS],
        ),
      );
      if (claimed.rows.length > 0) break;
      const r = await this.db.query<Row>('SELECT contract_id, kind, status FROM notices WHERE notice_id = $1', [notice.noticeId]);
      const row = r.rows[0];
      if (row && (str(row.contract_id) !== notice.contractId || str(row.kind) !== notice.kind)) {
        throw nonRetryable(FAILURE_TYPES.badNoticeData, `notice id ${notice.noticeId} was already used for a ${str(row.kind)} notice of contract ${str(row.contract_id)}`);
      }
      if (row && str(row.status) === 'sent') return { alreadySent: true };
      // Another attempt is sending it (or just gave up): wait for it, then look again.
      if (waited >= CLAIM_WAIT_MS) throw new Error(`notice ${notice.noticeId} is being sent by another attempt; try again later`);
      await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
    }
    let sent: Awaited<ReturnType<typeof send>>;
    try {
      sent = await send();
    } catch (err) {
      await this.db.query(`DELETE FROM notices WHERE notice_id = $1 AND status = 'sending'`, [notice.noticeId]).catch(() => undefined);
      throw err;
    }
    await guarded(() =>
      this.db.query(
        `UPDATE notices SET status = 'sent', subject = $2, message_id = $3, location = $4, sent_at = now(), contact_revision = $5
         WHERE notice_id = $1`,
        [notice.noticeId, sent.subject, sent.messageId, sent.location, sent.contactRevision],
      ),
    );
    return { alreadySent: false };
  }

  /** D-8: a notice due after the contact was erased is recorded as withheld (once per notice id), never mailed. */
  async withholdNotice(notice: Pick<SentNotice, 'noticeId' | 'contractId' | 'kind' | 'on'>, reason: string): Promise<{ alreadySent: boolean }> {
    const r = await guarded(() =>
      this.db.query<Row>(
        `INSERT INTO notices (notice_id, contract_id, kind, on_date, status, subject) VALUES ($1, $2, $3, $4, 'withheld', $5)
         ON CONFLICT (notice_id) DO NOTHING RETURNING notice_id`,
        [notice.noticeId, notice.contractId, notice.kind, notice.on, `withheld: ${reason}`],
      ),
    );
    return { alreadySent: r.rows.length === 0 };
  }

  async listNotices(contractId: string): Promise<SentNotice[]> {
    const r = await this.db.query<Row>(
      `SELECT notice_id, contract_id, kind, on_date::text AS on_date, status, subject, contact_revision, message_id, location, sent_at
       FROM notices WHERE contract_id = $1 AND status IN ('sent', 'withheld') ORDER BY on_date, sent_at, notice_id`,
      [contractId],
    );
    return r.rows.map((row) => ({
      noticeId: str(row.notice_id),
      contractId: str(row.contract_id),
      kind: str(row.kind) as NoticeKind, // written only by sendNoticeOnce, from a NoticeKind
      on: str(row.on_date),
      status: str(row.status) as SentNotice['status'],
      subject: strOrNull(row.subject),
      contactRevision: row.contact_revision === null || row.contact_revision === undefined ? null : num(row.contact_revision),
      messageId: strOrNull(row.message_id),
      location: strOrNull(row.location),
      sentAt: instant(row.sent_at),
    }));
  }

  // ---- deletion (Art. 30, D-8) ----------------------------------------------------------------------

  async getDeletion(contractId: string): Promise<DeletionRecord | undefined> {
    const r = await this.db.query<Row>(
      `SELECT contract_id, last_contract_day::text AS last_contract_day, deletion_day::text AS deletion_day,
         accounts, resources, stored_data, ledger_contacts, started_at, completed_at
       FROM deletions WHERE contract_id = $1`,
      [contractId],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    return {
      contractId: str(row.contract_id),
      lastContractDay: str(row.last_contract_day),
      deletionDay: str(row.deletion_day),
      accounts: jsonList(row.accounts),
      resources: jsonList(row.resources),
      storedData: jsonList(row.stored_data),
      ledgerContacts: jsonList(row.ledger_contacts),
      startedAt: instant(row.started_at) ?? '',
      completedAt: instant(row.completed_at),
    };
  }

  /** Opens the deletion record of a contract (or returns the one already opened). */
  async beginDeletion(contractId: string, lastContractDay: IsoDate, deletionDay: IsoDate): Promise<DeletionRecord> {
    await guarded(() =>
      this.db.query(
        `INSERT INTO deletions (contract_id, last_contract_day, deletion_day) VALUES ($1, $2, $3) ON CONFLICT (contract_id) DO NOTHING`,
        [contractId, lastContractDay, deletionDay],
      ),
    );
    const record = await this.getDeletion(contractId);
    if (!record) throw new Error(`deletion record of ${contractId} vanished`);
    return record;
  }

  /** Records what one step deleted; the first record of a step stands. */
  async recordDeletionStep(contractId: string, step: DeletionStep, deleted: string[]): Promise<void> {
    const column = STEP_COLUMN[step];
    await guarded(() =>
      this.db.query(`UPDATE deletions SET ${column} = $2::jsonb WHERE contract_id = $1 AND ${column} IS NULL`, [contractId, JSON.stringify(deleted)]),
    );
  }

  /**
   * D-8: erases the customer's contact details — the customer master keeps the id and the name, invoice
   * copies keep every amount and the name, notices keep kind, day and subject — in one transaction.
   * Re-runnable: a second run changes nothing. Answers what was stripped.
   */
  async eraseContacts(contractId: string): Promise<string[]> {
    return guarded(() =>
      this.db.transaction(async (tx) => {
        const d = await tx.query<Row>('SELECT deletion_day::text AS deletion_day FROM deletions WHERE contract_id = $1 FOR UPDATE', [contractId]);
        const row = d.rows[0];
        if (!row) throw new Error(`no deletion record for ${contractId}`);
        const day = str(row.deletion_day);
        const customers = await Customers.erase(tx, contractId, day);
        const invoices = await tx.query(
          `UPDATE invoices SET customer_email = NULL, contact_removed_on = $2 WHERE contract_id = $1 AND contact_removed_on IS NULL`,
          [contractId, day],
        );
        const notices = await tx.query(`UPDATE notices SET recipient_email = NULL WHERE contract_id = $1 AND recipient_email IS NOT NULL`, [contractId]);
        return [
          `ledger:contact details erased from ${customers} customer record(s); the name kept for the invoices`,
          `ledger:contact details removed from ${invoices.rowCount} invoice(s); amounts and name kept`,
          `ledger:recipient address removed from ${notices.rowCount} notice record(s)`,
        ];
      }),
    );
  }

  /**
   * D-8: rewrites the tables that held the erased details, so the old row versions leave the database
   * files (an UPDATE leaves the old tuple in its page until vacuumed), then moves the write-ahead log past
   * them and checkpoints, so the segments that still held them are removed.
   */
  async compact(): Promise<void> {
    for (const table of ['customers', 'invoices', 'notices']) await this.db.query(`VACUUM FULL ${table}`);
    if (this.db.engine === 'pglite') {
      // A recycled WAL segment is an old one renamed, its old bytes still in it. With recycling off, each
      // switch moves to a fresh segment and the checkpoint unlinks the ones before; segments recycled ahead
      // of time are switched through until none is left ahead of the current one.
      await this.db.query('SET wal_recycle = off');
      for (let round = 0; round < 10; round++) {
        const ahead = await this.db.query<Row>(
          `SELECT count(*)::int AS n FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' AND name > pg_walfile_name(pg_current_wal_lsn())`,
        );
        await this.db.query('SELECT pg_switch_wal()');
        await this.db.query('CHECKPOINT');
        if (num(ahead.rows[0]?.n) === 0) break;
      }
    } else {
      // PostgreSQL: a checkpoint needs pg_checkpoint; without it the server's own checkpoints follow soon.
      await this.db.query('CHECKPOINT').catch((err: { code?: string }) => {
        if (err?.code !== '42501') throw err;
      });
    }
  }

  /** Closes the deletion record with the ledger's and the outbox's part; the first close stands. */
  async completeDeletion(contractId: string, stripped: string[]): Promise<DeletionRecord> {
    await guarded(() =>
      this.db.query(`UPDATE deletions SET ledger_contacts = $2::jsonb, completed_at = now() WHERE contract_id = $1 AND completed_at IS NULL`, [
        contractId,
        JSON.stringify(stripped),
      ]),
    );
    const record = await this.getDeletion(contractId);
    if (!record) throw new Error(`deletion record of ${contractId} vanished`);
    return record;
  }
}
