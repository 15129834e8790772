/**
 * The notices store: one row per notice id, claimed before the mail goes and marked sent after it
 * (idempotency of sendNotice), or recorded as withheld when D-8 erased the contact. The address itself
 * stays in the customer master (Art. 12-3): a row names the contact revision it went to.
 */
import type { IsoDate, NoticeKind } from '../../domain/types';
import { FAILURE_TYPES, nonRetryable } from '../errors';
import { instant, num, type Db, type Sql } from './db';
import { guarded, str, strOrNull, type Row } from './values';

/** A notice claim older than this belongs to an attempt that died mid-send (the mail activity times out sooner). */
const CLAIM_EXPIRY_SECONDS = 120;
/** How long a duplicate call waits for a claim held by another attempt, and how often it looks. */
const CLAIM_WAIT_MS = 30_000;
const CLAIM_POLL_MS = 50;

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

export class Notices {
  constructor(private readonly db: Db) {}

  /**
   * Sends a notice once per notice id. The id is claimed by inserting its row ('sending') in a statement
   * of its own — no transaction stays open while the mail goes out, so a slow SMTP server holds up nothing
   * else in the ledger — then marked 'sent'. A concurrent call with the same id waits for the claim to be
   * settled and finds it sent; a failed send removes the claim so a retry sends again; a claim left by an
   * attempt that died mid-send is taken over after CLAIM_EXPIRY_SECONDS. (A crash between the SMTP
   * server's acceptance and the mark can still repeat a mail: at least once, never lost. The deterministic
   * Message-ID lets mail clients drop such a repeat; the .eml outbox does not write a mail it holds again.)
   */
  async sendOnce(
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
        throw nonRetryable(
          FAILURE_TYPES.badNoticeData,
          `notice id ${notice.noticeId} was already used for a ${str(row.kind)} notice of contract ${str(row.contract_id)}`,
        );
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
  async withhold(notice: Pick<SentNotice, 'noticeId' | 'contractId' | 'kind' | 'on'>, reason: string): Promise<{ alreadySent: boolean }> {
    const r = await guarded(() =>
      this.db.query<Row>(
        `INSERT INTO notices (notice_id, contract_id, kind, on_date, status, subject) VALUES ($1, $2, $3, $4, 'withheld', $5)
         ON CONFLICT (notice_id) DO NOTHING RETURNING notice_id`,
        [notice.noticeId, notice.contractId, notice.kind, notice.on, `withheld: ${reason}`],
      ),
    );
    return { alreadySent: r.rows.length === 0 };
  }

  async list(contractId: string): Promise<SentNotice[]> {
    const r = await this.db.query<Row>(
      `SELECT notice_id, contract_id, kind, on_date::text AS on_date, status, subject, contact_revision, message_id, location, sent_at
       FROM notices WHERE contract_id = $1 AND status IN ('sent', 'withheld') ORDER BY on_date, sent_at, notice_id`,
      [contractId],
    );
    return r.rows.map((row) => ({
      noticeId: str(row.notice_id),
      contractId: str(row.contract_id),
      kind: str(row.kind) as NoticeKind, // written only by sendOnce, from a NoticeKind
      on: str(row.on_date),
      status: str(row.status) as SentNotice['status'],
      subject: strOrNull(row.subject),
      contactRevision: row.contact_revision === null || row.contact_revision === undefined ? null : num(row.contact_revision),
      messageId: strOrNull(row.message_id),
      location: strOrNull(row.location),
      sentAt: instant(row.sent_at),
    }));
  }

  /** D-8: the recipient address removed from the contract's notice records, in the deletion's transaction. */
  static async removeRecipients(tx: Sql, contractId: string): Promise<number> {
    const r = await tx.query(`UPDATE notices SET recipient_email = NULL WHERE contract_id = $1 AND recipient_email IS NOT NULL`, [contractId]);
    return r.rowCount;
  }

  /** D-8: the table rewritten, so the old row versions with the removed address leave the files. */
  static async compact(db: Sql): Promise<void> {
    await db.query('VACUUM FULL notices');
  }
}
