/**
 * The bank lines store (入金消込, issue 29): each imported file, every line of it, and what each line became.
 * A line is recorded before anything is applied; its outcome and the payments it makes are fixed once
 * (`plan`, under the line's row lock), then sent, then the line is done — so an import that stops halfway
 * is resumed from the ledger, and two processes importing the same file apply each line once: the first
 * to record an identity owns it (`bank_receipts`), every later line with it is a duplicate.
 */
import type { ReceiptLine } from '../../domain/bank/receipts';
import { fileOf, LINE_COLUMNS, lineOf, type BankFileRecord, type BankLineRecord, type LinePlan } from './bank-line-rows';
import type { IsoDate, Yen } from '../../domain/types';
import { num, type Db, type Sql } from './db';
import { guarded, str, type Row } from './values';

export type { BankFileFormat, BankFileRecord, BankLineRecord, LineOutcome, LinePlan, MatchedBy } from './bank-line-rows';

export class BankLines {
  constructor(private readonly db: Db) {}

  /**
   * The file and all its lines, in one transaction: a line whose identity was recorded before (in this
   * file or any other) is done at once as a duplicate; the others wait to be planned.
   */
  async recordFile(
    file: Omit<BankFileRecord, 'importedAt' | 'lineCount'>,
    lines: Array<ReceiptLine & { record: number; identity: string }>,
  ): Promise<BankLineRecord[]> {
    return guarded(() =>
      this.db.transaction(async (tx) => {
        await tx.query('INSERT INTO bank_files (id, file_name, format, sha256, line_count, imported_by) VALUES ($1, $2, $3, $4, $5, $6)', [
          file.fileId,
          file.fileName,
          file.format,
          file.sha256,
          lines.length,
          file.importedBy,
        ]);
        // Three statements for the whole file, however long: the lines, the identities they own first, the rest duplicates.
        await tx.query(
          `INSERT INTO bank_lines (file_id, record, identity, bank_code, branch_code, account_number, inquiry_number, booked_on, amount, payer_name,
             payer_code, edi, cancels, state)
           SELECT $1, l.record, l.identity, l.bank_code, l.branch_code, l.account_number, l.inquiry_number, l.booked_on::date, l.amount, l.payer_name,
             l.payer_code, l.edi, l.cancels, 'pending'
           FROM jsonb_to_recordset($2::jsonb) AS l(record int, identity text, bank_code text, branch_code text, account_number text, inquiry_number text,
             booked_on text, amount bigint, payer_name text, payer_code text, edi text, cancels boolean)`,
          [
            file.fileId,
            JSON.stringify(
              lines.map((l) => ({
                record: l.record,
                identity: l.identity,
                bank_code: l.bankCode,
                branch_code: l.branchCode,
                account_number: l.accountNumber,
                inquiry_number: l.inquiryNumber,
                booked_on: l.bookedOn,
                amount: l.amount,
                payer_name: l.payerName,
                payer_code: l.payerCode,
                edi: l.edi,
                cancels: l.cancels,
              })),
            ),
          ],
        );
        // The first line of each identity (by record) owns it, unless an earlier file's does.
        await tx.query(
          `INSERT INTO bank_receipts (identity, file_id, record)
           SELECT DISTINCT ON (identity) identity, file_id, record FROM bank_lines WHERE file_id = $1 ORDER BY identity, record
           ON CONFLICT DO NOTHING`,
          [file.fileId],
        );
        await tx.query(
          `UPDATE bank_lines l SET state = 'done', outcome = 'duplicate', note = 'imported before: ' || r.file_id || ' record ' || r.record,
             decided_by = $2, decided_at = now()
           FROM bank_receipts r WHERE l.file_id = $1 AND r.identity = l.identity AND NOT (r.file_id = l.file_id AND r.record = l.record)`,
          [file.fileId, file.importedBy],
        );
        return this.linesIn(tx, 'WHERE file_id = $1 ORDER BY record', [file.fileId]);
      }),
    );
  }

  /**
   * Fixes the line's outcome and payments, once: answers the plan stored first (this call's, or an
   * earlier one's if another process planned it — then `plan` is ignored). `reopen` lets a clerk's
   * assignment re-plan an unmatched line.
   */
  async plan(
    fileId: string,
    record: number,
    plan: LinePlan,
    decidedBy: string,
    reopen = false,
  ): Promise<{ line: BankLineRecord; payments: LinePlan['payments']; planned: boolean }> {
    return guarded(() =>
      this.db.transaction(async (tx) => {
        const [line] = await this.linesIn(tx, 'WHERE file_id = $1 AND record = $2 FOR UPDATE', [fileId, record]);
        if (!line) throw new Error(`no bank line ${fileId} record ${record}`);
        const open = line.state === 'pending' || (reopen && line.state === 'done' && line.outcome === 'unmatched');
        if (open) {
          await tx.query(
            `UPDATE bank_lines SET state = $3, outcome = $4, customer_id = $5, matched_by = $6, applied = $7, advance = $8, shortfall = $9, likely_fee = $10,
               note = $11, decided_by = $12, decided_at = now() WHERE file_id = $1 AND record = $2`,
            [
              fileId,
              record,
              plan.payments.length > 0 ? 'planned' : 'done',
              plan.outcome,
              plan.customerId,
              plan.matchedBy,
              plan.applied,
              plan.advance,
              plan.shortfall,
              plan.likelyFee,
              plan.note,
              decidedBy,
            ],
          );
          for (const p of plan.payments)
            await tx.query('INSERT INTO bank_line_payments (identity, contract_id, amount, request_id) VALUES ($1, $2, $3, $4)', [
              line.identity,
              p.contractId,
              p.amount,
              p.requestId,
            ]);
        }
        const [now] = await this.linesIn(tx, 'WHERE file_id = $1 AND record = $2', [fileId, record]);
        return { line: now!, payments: await this.paymentsOf(tx, line.identity), planned: open };
      }),
    );
  }

  /**
   * The line's payments were all answered: done, with what each contract said. When every contract refused
   * (a 勘定日 too far back, a contract ended meanwhile), nothing was applied: the line goes to the clerk's queue.
   */
  async finish(fileId: string, record: number, outcomes: Array<{ contractId: string; outcome: string; refused: boolean }>, note?: string): Promise<void> {
    await guarded(() =>
      this.db.transaction(async (tx) => {
        const [line] = await this.linesIn(tx, 'WHERE file_id = $1 AND record = $2 FOR UPDATE', [fileId, record]);
        if (line?.state !== 'planned') return;
        for (const o of outcomes)
          await tx.query('UPDATE bank_line_payments SET outcome = $3 WHERE identity = $1 AND contract_id = $2', [line.identity, o.contractId, o.outcome]);
        const noneApplied = outcomes.length > 0 && outcomes.every((o) => o.refused);
        await tx.query(
          `UPDATE bank_lines SET state = 'done', note = coalesce($3, note),
             outcome = CASE WHEN $4 THEN 'unmatched' ELSE outcome END, applied = CASE WHEN $4 THEN 0 ELSE applied END,
             advance = CASE WHEN $4 THEN 0 ELSE advance END, shortfall = CASE WHEN $4 THEN 0 ELSE shortfall END
           WHERE file_id = $1 AND record = $2`,
          [fileId, record, note ?? null, noneApplied],
        );
      }),
    );
  }

  /** What was done after a done line's plan (a 取消's reversal requests), added to its note. */
  async annotate(fileId: string, record: number, text: string): Promise<void> {
    await this.db.query(`UPDATE bank_lines SET note = CASE WHEN note IS NULL THEN $3 ELSE note || '; ' || $3 END WHERE file_id = $1 AND record = $2`, [
      fileId,
      record,
      text,
    ]);
  }

  /** An unmatched line the clerk marked as sent back to the payer. */
  async markReturned(fileId: string, record: number, by: string, note: string): Promise<BankLineRecord | undefined> {
    const r = await this.db.query<Row>(
      `UPDATE bank_lines SET outcome = 'returned', note = $3, decided_by = $4, decided_at = now()
       WHERE file_id = $1 AND record = $2 AND state = 'done' AND outcome = 'unmatched' RETURNING ${LINE_COLUMNS}`,
      [fileId, record, note, by],
    );
    return r.rows[0] ? lineOf(r.rows[0]) : undefined;
  }

  /** Lines recorded or planned but not done (an import that stopped halfway), oldest first. */
  unfinished(): Promise<BankLineRecord[]> {
    return this.linesIn(this.db, "WHERE state <> 'done' ORDER BY file_id, record", []);
  }

  /** The first line recorded with this identity, and the payments it made. */
  async receipt(identity: string): Promise<{ line: BankLineRecord; payments: LinePlan['payments'] } | undefined> {
    const r = await this.db.query<Row>('SELECT file_id, record FROM bank_receipts WHERE identity = $1', [identity]);
    if (!r.rows[0]) return undefined;
    const [line] = await this.linesIn(this.db, 'WHERE file_id = $1 AND record = $2', [str(r.rows[0].file_id), num(r.rows[0].record)]);
    return line ? { line, payments: await this.paymentsOf(this.db, identity) } : undefined;
  }

  line(fileId: string, record: number): Promise<BankLineRecord | undefined> {
    return this.linesIn(this.db, 'WHERE file_id = $1 AND record = $2', [fileId, record]).then((l) => l[0]);
  }
  linesOf(fileId: string): Promise<BankLineRecord[]> {
    return this.linesIn(this.db, 'WHERE file_id = $1 ORDER BY record', [fileId]);
  }
  /** The clerk's queue: lines no customer was found for, oldest first. */
  unmatched(limit = 500): Promise<BankLineRecord[]> {
    return this.linesIn(this.db, `WHERE outcome = 'unmatched' ORDER BY booked_on, file_id, record LIMIT ${Math.min(Math.max(1, limit), 5000)}`, []);
  }
  /** A customer's lines, by 勘定日. */
  ofCustomer(customerId: string): Promise<BankLineRecord[]> {
    return this.linesIn(this.db, 'WHERE customer_id = $1 ORDER BY booked_on, file_id, record', [customerId]);
  }
  async file(fileId: string): Promise<BankFileRecord | undefined> {
    const r = await this.db.query<Row>('SELECT * FROM bank_files WHERE id = $1', [fileId]);
    return r.rows[0] ? fileOf(r.rows[0]) : undefined;
  }
  async files(limit = 100): Promise<BankFileRecord[]> {
    const r = await this.db.query<Row>(`SELECT * FROM bank_files ORDER BY imported_at DESC, id LIMIT ${Math.min(Math.max(1, limit), 1000)}`);
    return r.rows.map(fileOf);
  }
  /** The payments made from bank lines booked within the days, with their line (a payment's source). */
  async paymentsBooked(from: IsoDate, to: IsoDate): Promise<Array<{ requestId: string; contractId: string; amount: Yen; fileId: string; record: number }>> {
    const r = await this.db.query<Row>(
      `SELECT p.request_id, p.contract_id, p.amount, r.file_id, r.record FROM bank_line_payments p JOIN bank_receipts r ON r.identity = p.identity
       JOIN bank_lines l ON l.file_id = r.file_id AND l.record = r.record WHERE l.booked_on BETWEEN $1 AND $2 ORDER BY l.booked_on, r.file_id, r.record`,
      [from, to],
    );
    return r.rows.map((x) => ({
      requestId: str(x.request_id),
      contractId: str(x.contract_id),
      amount: num(x.amount),
      fileId: str(x.file_id),
      record: num(x.record),
    }));
  }

  private async paymentsOf(sql: Sql, identity: string): Promise<LinePlan['payments']> {
    const r = await sql.query<Row>('SELECT contract_id, amount, request_id FROM bank_line_payments WHERE identity = $1 ORDER BY contract_id', [identity]);
    return r.rows.map((x) => ({ contractId: str(x.contract_id), amount: num(x.amount), requestId: str(x.request_id) }));
  }
  private async linesIn(sql: Sql, where: string, params: unknown[]): Promise<BankLineRecord[]> {
    const r = await sql.query<Row>(`SELECT ${LINE_COLUMNS} FROM bank_lines ${where}`, params);
    return r.rows.map(lineOf);
  }
}
