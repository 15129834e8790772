/**
 * The payments store: payments and their allocations to invoices by (contract, period), advances set
 * against invoices issued later, credit moved from a negative invoice to a later one, and reversals.
 * Every write is idempotent by a business key — the payment id, (payment, period), (contract, from, to) —
 * and immutable once written (triggers refuse a change); a reversal is a row of its own.
 */
import { z } from 'zod';
import { allocationsByPeriod } from '../../domain/payments';
import type { IsoDate, YearMonth, Yen } from '../../domain/types';
import { FAILURE_TYPES, nonRetryable, parseOrFail } from '../errors';
import { instant, num, type Db, type Sql } from './db';
import { Invoices, type Settlements, type StoredInvoice } from './invoices';
import { guarded, isoDate, key, str, wholeYen, yearMonth, type Row } from './values';

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

export interface RecordPaymentInput {
  contractId: string;
  paymentId: string;
  paidOn: IsoDate;
  amount: Yen;
  allocations: Array<{ period: YearMonth; amount: Yen }>;
}

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
const reversalSchema = z.object({
  contractId: key,
  paymentId: key,
  reversedOn: isoDate,
  reason: z.string().trim().min(1, 'a reversal names its reason').max(500),
});
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

/** Paid per period: allocations of payments not taken back, plus credit set against it, minus credit drawn from it. */
const PAID_BY_PERIOD = `
  SELECT period, sum(amount) AS paid FROM (
    SELECT a.period, a.amount FROM payment_allocations a
      WHERE a.contract_id = $1 AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = a.payment_id)
    UNION ALL SELECT c.to_period, c.amount FROM credit_applications c WHERE c.contract_id = $1
    UNION ALL SELECT c.from_period, -c.amount FROM credit_applications c WHERE c.contract_id = $1
  ) s WHERE $2::text IS NULL OR period = $2::text GROUP BY period`;

export class Payments implements Settlements {
  constructor(private readonly db: Db) {}

  /**
   * Records a payment once per payment id. The same id again with the same facts is a no-op
   * (alreadyRecorded: true); with other facts it is a conflict, refused for good.
   */
  async record(input: RecordPaymentInput): Promise<{ alreadyRecorded: boolean }> {
    const p = parseOrFail(paymentSchema, input, FAILURE_TYPES.badPaymentData, 'payment');
    const allocations = allocationsByPeriod(p.allocations);

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
            p.paymentId,
            p.contractId,
            a.period,
            a.amount,
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
        if (!(await Invoices.isIssued(tx, a.contractId, a.period)))
          throw nonRetryable(FAILURE_TYPES.badPaymentData, `no invoice ${a.period} of contract ${a.contractId}`);
        await tx.query('INSERT INTO payment_allocations (payment_id, contract_id, period, amount) VALUES ($1, $2, $3, $4)', [
          a.paymentId,
          a.contractId,
          a.period,
          a.amount,
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
    const refused = (message: string) =>
      nonRetryable(FAILURE_TYPES.badPaymentData, `${message} (credit of ${c.amount} yen from ${c.fromPeriod} to ${c.toPeriod}, contract ${c.contractId})`);
    return guarded(() =>
      this.db.transaction(async (tx) => {
        // The note's row lock orders concurrent moves of its credit; what they did is read after it.
        const fromTotal = await Invoices.totalForUpdate(tx, c.contractId, c.fromPeriod);
        if (fromTotal === undefined || fromTotal >= 0) throw refused(`no negative invoice ${c.fromPeriod} to take credit from`);
        const moved = await tx.query<Row>('SELECT to_period, amount FROM credit_applications WHERE contract_id = $1 AND from_period = $2', [
          c.contractId,
          c.fromPeriod,
        ]);
        const same = moved.rows.find((r) => str(r.to_period) === c.toPeriod);
        if (same) {
          if (num(same.amount) === c.amount) return { alreadyRecorded: true };
          throw nonRetryable(
            FAILURE_TYPES.paymentConflict,
            `credit from ${c.fromPeriod} to ${c.toPeriod} of contract ${c.contractId} is already ${num(same.amount)} yen, not ${c.amount}`,
          );
        }
        const left = -fromTotal - moved.rows.reduce((sum, r) => sum + num(r.amount), 0);
        if (c.amount > left) throw refused(`invoice ${c.fromPeriod} has ${left} yen of credit left`);
        if (!(await Invoices.isIssued(tx, c.contractId, c.toPeriod))) throw refused(`no invoice ${c.toPeriod}`);
        await tx.query('INSERT INTO credit_applications (contract_id, from_period, to_period, amount) VALUES ($1, $2, $3, $4)', [
          c.contractId,
          c.fromPeriod,
          c.toPeriod,
          c.amount,
        ]);
        return { alreadyRecorded: false };
      }),
    );
  }

  private async paymentIn(sql: Sql, paymentId: string): Promise<PaymentRecord | undefined> {
    const r = await sql.query<Row>('SELECT payment_id, contract_id, paid_on::text AS paid_on, amount, recorded_at FROM payments WHERE payment_id = $1', [
      paymentId,
    ]);
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
  async reverse(input: { contractId: string; paymentId: string; reversedOn: IsoDate; reason: string }): Promise<{ alreadyReversed: boolean }> {
    const p = parseOrFail(reversalSchema, input, FAILURE_TYPES.badPaymentData, 'reversal');
    const payment = await this.paymentIn(this.db, p.paymentId);
    if (!payment || payment.contractId !== p.contractId)
      throw nonRetryable(FAILURE_TYPES.badPaymentData, `no payment ${p.paymentId} of contract ${p.contractId} to reverse`);
    const r = await guarded(() =>
      this.db.query<Row>(
        `INSERT INTO payment_reversals (payment_id, contract_id, reversed_on, reason) VALUES ($1, $2, $3, $4) ON CONFLICT (payment_id) DO NOTHING RETURNING payment_id`,
        [p.paymentId, p.contractId, p.reversedOn, p.reason],
      ),
    );
    return { alreadyReversed: r.rows.length === 0 };
  }

  get(paymentId: string): Promise<PaymentRecord | undefined> {
    return this.paymentIn(this.db, paymentId);
  }

  async list(contractId: string): Promise<PaymentRecord[]> {
    const r = await this.db.query<Row>('SELECT payment_id FROM payments WHERE contract_id = $1 ORDER BY paid_on, payment_id', [contractId]);
    const out: PaymentRecord[] = [];
    for (const row of r.rows) {
      const p = await this.paymentIn(this.db, str(row.payment_id));
      if (p) out.push(p);
    }
    return out;
  }

  async paidByPeriod(contractId: string, period?: YearMonth): Promise<Map<YearMonth, Yen>> {
    const r = await this.db.query<Row>(PAID_BY_PERIOD, [contractId, period ?? null]);
    return new Map(r.rows.map((row) => [str(row.period), num(row.paid)]));
  }

  async settlementsOf(
    contractId: string,
    period: YearMonth,
  ): Promise<{ allocations: StoredInvoice['allocations']; credits: Array<{ period: YearMonth; amount: Yen }> }> {
    const allocations = await this.db.query<Row>(
      `SELECT a.payment_id, p.paid_on::text AS paid_on, a.amount FROM payment_allocations a
       JOIN payments p ON p.payment_id = a.payment_id
       WHERE a.contract_id = $1 AND a.period = $2 AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = a.payment_id)
       ORDER BY p.paid_on, a.payment_id`,
      [contractId, period],
    );
    const credits = await this.db.query<Row>(
      `SELECT CASE WHEN c.to_period = $2 THEN c.from_period ELSE c.to_period END AS period,
         CASE WHEN c.to_period = $2 THEN c.amount ELSE -c.amount END AS amount
       FROM credit_applications c WHERE c.contract_id = $1 AND $2 IN (c.from_period, c.to_period) ORDER BY 1`,
      [contractId, period],
    );
    return {
      allocations: allocations.rows.map((a) => ({ paymentId: str(a.payment_id), paidOn: str(a.paid_on), amount: num(a.amount) })),
      credits: credits.rows.map((c) => ({ period: str(c.period), amount: num(c.amount) })),
    };
  }
}
