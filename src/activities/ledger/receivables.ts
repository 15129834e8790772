/**
 * Receivables (issue 29): a read-only view across the invoices, payments and customers stores, owning no
 * table — what each invoice still owes as of a day, and the payments received in a range of days. Never
 * kept twice: every figure is computed from the rows those stores own.
 */
import type { IsoDate, Yen } from '../../domain/types';
import type { OpenItem } from '../../domain/receivables';
import { instant, num, type Db } from './db';
import { str, strOrNull, type Row } from './values';

/**
 * Paid per (contract, period) as of $1: allocations of payments received by then and not reversed by then,
 * plus credit set against it, minus credit drawn from it. A credit counts from the later of its two
 * invoices' issue days — the day the contract sets it (D-7, D-27); its row has no day of its own.
 */
const OPEN_AS_OF = `
  WITH credits AS (
    SELECT c.contract_id, c.from_period, c.to_period, c.amount FROM credit_applications c
      JOIN invoices f ON f.contract_id = c.contract_id AND f.period = c.from_period
      JOIN invoices t ON t.contract_id = c.contract_id AND t.period = c.to_period
      WHERE greatest(f.issued_on, t.issued_on) <= $1::date
  ), paid AS (
    SELECT contract_id, period, sum(amount) AS paid FROM (
      SELECT a.contract_id, a.period, a.amount FROM payment_allocations a JOIN payments p ON p.payment_id = a.payment_id
        WHERE p.paid_on <= $1::date
          AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = a.payment_id AND r.reversed_on <= $1::date)
      UNION ALL SELECT contract_id, to_period, amount FROM credits
      UNION ALL SELECT contract_id, from_period, -amount FROM credits
    ) s GROUP BY contract_id, period
  )
  SELECT l.customer_id, cu.name AS billing_name,
    (SELECT string_agg(x.contract_id, ' ' ORDER BY x.contract_id) FROM customer_contracts x WHERE x.customer_id = l.customer_id) AS contracts,
    i.contract_id, i.number, i.period, i.issued_on::text AS issued_on, i.due_on::text AS due_on, i.total, coalesce(p.paid, 0) AS paid
  FROM invoices i
    LEFT JOIN paid p ON p.contract_id = i.contract_id AND p.period = i.period
    LEFT JOIN customer_contracts l ON l.contract_id = i.contract_id
    LEFT JOIN customers cu ON cu.id = l.customer_id
  WHERE i.issued_on <= $1::date AND i.total - coalesce(p.paid, 0) > 0
  ORDER BY i.due_on, i.number`;

export interface ReceivedPayment {
  paymentId: string;
  contractId: string;
  customerId: string | null;
  billingName: string | null;
  paidOn: IsoDate;
  amount: Yen;
  recordedAt: string;
  reversal: { on: IsoDate; reason: string } | null;
}

export class Receivables {
  constructor(private readonly db: Db) {}

  /** The invoices issued by `asOf` that still owe something on that day, with their customers (one query). */
  async openAsOf(asOf: IsoDate): Promise<{ items: OpenItem[]; customers: Map<string, { billingName: string; contracts: string[] }> }> {
    const r = await this.db.query<Row>(OPEN_AS_OF, [asOf]);
    const customers = new Map<string, { billingName: string; contracts: string[] }>();
    const items = r.rows.map((x): OpenItem => {
      const customerId = strOrNull(x.customer_id);
      if (customerId !== null && !customers.has(customerId))
        customers.set(customerId, { billingName: str(x.billing_name), contracts: str(x.contracts).split(' ').filter(Boolean) });
      return {
        customerId,
        contractId: str(x.contract_id),
        invoiceNumber: str(x.number),
        period: str(x.period),
        issuedOn: str(x.issued_on),
        dueOn: str(x.due_on),
        total: num(x.total),
        paid: num(x.paid),
      };
    });
    return { items, customers };
  }

  /** Every payment received from `from` to `to` (both included) across contracts, reversed or not, by day. */
  async paymentsReceived(from: IsoDate, to: IsoDate): Promise<ReceivedPayment[]> {
    const r = await this.db.query<Row>(
      `SELECT p.payment_id, p.contract_id, p.paid_on::text AS paid_on, p.amount, p.recorded_at, r.reversed_on::text AS reversed_on, r.reason,
         l.customer_id, cu.name AS billing_name
       FROM payments p LEFT JOIN payment_reversals r ON r.payment_id = p.payment_id
         LEFT JOIN customer_contracts l ON l.contract_id = p.contract_id LEFT JOIN customers cu ON cu.id = l.customer_id
       WHERE p.paid_on BETWEEN $1::date AND $2::date ORDER BY p.paid_on, p.contract_id, p.payment_id`,
      [from, to],
    );
    return r.rows.map((x) => ({
      paymentId: str(x.payment_id),
      contractId: str(x.contract_id),
      customerId: strOrNull(x.customer_id),
      billingName: strOrNull(x.billing_name),
      paidOn: str(x.paid_on),
      amount: num(x.amount),
      recordedAt: instant(x.recorded_at) ?? '',
      reversal: x.reversed_on === null || x.reversed_on === undefined ? null : { on: str(x.reversed_on), reason: str(x.reason) },
    }));
  }
}
