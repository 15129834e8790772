/**
 * The invoices store: the issued invoices (適格請求書), their lines and the gap-free counter. Issued once per
 * (contract, period): a retried, duplicated or concurrent issue leaves exactly one invoice. Issued invoices
 * are immutable: there is no UPDATE path here but D-8's removal of the contact details, and triggers
 * refuse any other. What was paid against an invoice is the payments store's (Settlements).
 */
import { CATALOG } from '../../domain/catalog';
import type { Invoice, InvoiceLine, IsoDate, YearMonth, Yen } from '../../domain/types';
import { FAILURE_TYPES, parseOrFail } from '../errors';
import { monthInvoices, type MonthInvoices } from './accounting';
import { instant, num, type Db, type Sql } from './db';
import type { InvoiceDocumentInfo, InvoiceDocuments } from './documents';
import { issueSchema } from './invoice-input';
import { guarded, str, strOrNull, type Row } from './values';

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

export interface IssueInvoiceInput {
  contractId: string;
  customerId: string;
  invoice: Invoice;
  issuer: Issuer;
}

/** What the payments store answers about an invoice's (contract, period): payments less reversals, and credits. */
export interface Settlements {
  /** Paid per period of the contract (only `period` when given): allocations not reversed, credit in − credit out. */
  paidByPeriod(contractId: string, period?: YearMonth): Promise<Map<YearMonth, Yen>>;
  /** The allocations against the period, and the credit moved with another period (+ in, − out), by that period. */
  settlementsOf(
    contractId: string,
    period: YearMonth,
  ): Promise<{ allocations: StoredInvoice['allocations']; credits: Array<{ period: YearMonth; amount: Yen }> }>;
}

/** The customer's name for the invoice, and the day D-8 removed the contact (null while not removed). */
export type BillingParty = (contractId: string, customerId: string) => Promise<{ name: string; contactRemovedOn: IsoDate | null }>;

/**
 * Issues an invoice in one statement (one implicit transaction): the next gap-free number (the counter
 * row's lock orders concurrent issuers), the invoice with the customer's name as it stands today (a
 * qualified invoice carries it; no other contact detail is copied, D-8) and its lines. A duplicate
 * (contract, period) fails the whole statement, counter included. $1 contract, $2 period, $3 issued on,
 * $4 due on, $5–$6 issuer, $7 the customer's name, $8 tax rate, $9–$12 taxable subtotal, tax,
 * non-taxable subtotal, total, $13 the lines as JSON, $14 the day D-8 removed the contact (null: not removed).
 */
const ISSUE_INVOICE = `
  WITH counter AS (
    UPDATE invoice_counter SET last_number = last_number + 1 WHERE id = 1 RETURNING last_number
  ), invoice AS ( -- INV-000001: sequential, gap-free, six digits at least
    INSERT INTO invoices (number, seq, contract_id, period, issued_on, due_on, issuer_name, issuer_registration_number,
      customer_name, customer_email, contact_removed_on, tax_rate_percent, taxable_subtotal, tax, non_taxable_subtotal, total)
    SELECT 'INV-' || lpad(c.last_number::text, greatest(6, length(c.last_number::text)), '0'), c.last_number, $1, $2, $3::date, $4::date, $5, $6,
      $7, NULL, $14::date, $8::int, $9::bigint, $10::bigint, $11::bigint, $12::bigint
    FROM counter c
    RETURNING number
  ), lines AS (
    INSERT INTO invoice_lines (invoice_number, line_no, kind, description, amount, taxable, tax_rate_percent, rule, price_list)
    SELECT invoice.number, l.line_no, l.kind, l.description, l.amount, l.taxable, CASE WHEN l.taxable THEN $8::int END, l.rule, l.price_list
    FROM invoice, ROWS FROM (jsonb_to_recordset($13::jsonb) AS (kind text, description text, amount bigint, taxable boolean, rule text, price_list text))
      WITH ORDINALITY AS l(kind, description, amount, taxable, rule, price_list, line_no)
  )
  SELECT number FROM invoice`;

const SUMMARY_COLUMNS = `i.number, i.contract_id, i.period, i.issued_on::text AS issued_on, i.due_on::text AS due_on,
  i.taxable_subtotal, i.tax, i.non_taxable_subtotal, i.total, i.contact_removed_on::text AS contact_removed_on`;

function toSummary(r: Row, paid: Yen): InvoiceSummary {
  const total = num(r.total);
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

export class Invoices {
  constructor(
    private readonly db: Db,
    private readonly settlements: Settlements,
    private readonly documents: InvoiceDocuments,
  ) {}

  /**
   * Issues the invoice of (contract, period) once. A retried, duplicated or concurrent call returns the
   * invoice already issued (alreadyIssued: true) and creates nothing. Numbers come from one counter row
   * advanced in the inserting transaction: every issuer waits on that row's lock, so numbers are
   * sequential and a rolled-back issue leaves no gap.
   */
  async issue(input: IssueInvoiceInput, billingParty: BillingParty): Promise<{ invoiceNumber: string; alreadyIssued: boolean; sameAsIssued: boolean }> {
    const { contractId, customerId, invoice, issuer } = parseOrFail(issueSchema, input, FAILURE_TYPES.badInvoiceData, 'invoice');
    // The name first (an unknown customer must not cost an invoice number); a repeat fails the statement
    // on the unique key.
    const customer = await billingParty(contractId, customerId);
    const { lines, ...totals } = invoice;
    try {
      const r = await guarded(() =>
        this.db.query<Row>(ISSUE_INVOICE, [
          contractId,
          invoice.period,
          invoice.issuedOn,
          invoice.dueOn,
          issuer.name,
          issuer.registrationNumber,
          customer.name,
          CATALOG.taxRatePercent,
          totals.taxableSubtotal,
          totals.tax,
          totals.nonTaxableSubtotal,
          totals.total,
          JSON.stringify(
            lines.map((l) => ({
              kind: l.kind,
              description: l.description,
              amount: l.amount,
              taxable: l.taxable,
              rule: l.rule,
              price_list: l.priceList ?? null,
            })),
          ),
          customer.contactRemovedOn,
        ]),
      );
      return { invoiceNumber: str(r.rows[0]!.number), alreadyIssued: false, sameAsIssued: true };
    } catch (err) {
      // Already issued (a repeat, or a concurrent issue that won): the statement rolled back whole, counter
      // included, so no number was skipped. Answer with the invoice that stands.
      const raced = (err as { code?: unknown }).code === '23505' ? await Invoices.findIssued(this.db, contractId, invoice.period) : undefined;
      if (raced) return { invoiceNumber: raced.number, alreadyIssued: true, sameAsIssued: raced.total === invoice.total };
      throw err;
    }
  }

  /** The invoices of a contract in period order, with what was paid against each. */
  async list(contractId: string): Promise<InvoiceSummary[]> {
    const r = await this.db.query<Row>(`SELECT ${SUMMARY_COLUMNS} FROM invoices i WHERE i.contract_id = $1 ORDER BY i.period`, [contractId]);
    const paid = r.rows.length > 0 ? await this.settlements.paidByPeriod(contractId) : new Map<string, number>();
    return r.rows.map((row) => toSummary(row, paid.get(str(row.period)) ?? 0));
  }

  /** One invoice with its issuer, customer (null once removed), lines and the payments allocated to it. */
  async get(invoiceNumber: string): Promise<StoredInvoice | undefined> {
    const r = await this.db.query<Row>(
      `SELECT ${SUMMARY_COLUMNS}, i.issuer_name, i.issuer_registration_number, i.customer_name,
         i.tax_rate_percent, i.recorded_at
       FROM invoices i WHERE i.number = $1`,
      [invoiceNumber],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    const [contractId, period] = [str(row.contract_id), str(row.period)];
    const paid = await this.settlements.paidByPeriod(contractId, period);
    const summary = toSummary(row, paid.get(period) ?? 0);
    const lines = await this.db.query<Row>(
      `SELECT line_no, kind, description, amount, taxable, tax_rate_percent, rule, price_list FROM invoice_lines
       WHERE invoice_number = $1 ORDER BY line_no`,
      [invoiceNumber],
    );
    const { allocations, credits } = await this.settlements.settlementsOf(contractId, period);
    const credited: StoredInvoice['credits'] = [];
    for (const c of credits) {
      const other = await Invoices.findIssued(this.db, contractId, c.period); // credit refers to issued invoices only (a foreign key)
      if (other) credited.push({ invoiceNumber: other.number, period: c.period, amount: c.amount });
    }
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
      allocations,
      credits: credited,
      recordedAt: instant(row.recorded_at) ?? '',
      document: (await this.documents.info(contractId, period)) ?? null,
    };
  }

  /** The invoice of (contract, period) without its lines and payments, if issued. */
  async findSummary(contractId: string, period: YearMonth): Promise<InvoiceSummary | undefined> {
    const r = await this.db.query<Row>(`SELECT ${SUMMARY_COLUMNS} FROM invoices i WHERE i.contract_id = $1 AND i.period = $2`, [contractId, period]);
    if (!r.rows[0]) return undefined;
    const paid = await this.settlements.paidByPeriod(contractId, period);
    return toSummary(r.rows[0], paid.get(period) ?? 0);
  }

  /** The invoice of (contract, period), if issued. */
  async find(contractId: string, period: YearMonth): Promise<StoredInvoice | undefined> {
    const found = await Invoices.findIssued(this.db, contractId, period);
    return found ? this.get(found.number) : undefined;
  }

  /** Every invoice of a billing month with its lines (accounting; accounting.ts renders the CSV). */
  month(period: YearMonth): Promise<MonthInvoices> {
    return monthInvoices(this.db, period);
  }

  private static async findIssued(sql: Sql, contractId: string, period: YearMonth): Promise<{ number: string; total: number } | undefined> {
    const r = await sql.query<Row>('SELECT number, total FROM invoices WHERE contract_id = $1 AND period = $2', [contractId, period]);
    const row = r.rows[0];
    return row ? { number: str(row.number), total: num(row.total) } : undefined;
  }

  /** Whether (contract, period) is issued, in the caller's transaction (an advance or a credit is set against it). */
  static async isIssued(tx: Sql, contractId: string, period: YearMonth): Promise<boolean> {
    const r = await tx.query<Row>('SELECT 1 FROM invoices WHERE contract_id = $1 AND period = $2', [contractId, period]);
    return r.rows.length > 0;
  }

  /** The total of (contract, period), its row locked in the caller's transaction: the lock orders concurrent moves of its credit. */
  static async totalForUpdate(tx: Sql, contractId: string, period: YearMonth): Promise<Yen | undefined> {
    const r = await tx.query<Row>('SELECT total FROM invoices WHERE contract_id = $1 AND period = $2 FOR UPDATE', [contractId, period]);
    return r.rows[0] ? num(r.rows[0].total) : undefined;
  }

  /** D-8: the e-mail removed from the contract's invoice copies, in the deletion's transaction; amounts and name kept. */
  static async removeContacts(tx: Sql, contractId: string, day: IsoDate): Promise<number> {
    const r = await tx.query(`UPDATE invoices SET customer_email = NULL, contact_removed_on = $2 WHERE contract_id = $1 AND contact_removed_on IS NULL`, [
      contractId,
      day,
    ]);
    return r.rowCount;
  }

  /** D-8: the table rewritten, so the old row versions with the removed details leave the files. */
  static async compact(db: Sql): Promise<void> {
    await db.query('VACUUM FULL invoices');
  }
}
