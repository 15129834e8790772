/**
 * @fastify/session's store over the ledger's `console_sessions` (migration 5): the session as JSON and
 * its expiry. Expired rows are never answered, and are swept now and then when a session is saved.
 */
import type { Session } from 'fastify';
import type { Sql } from '../activities/ledger/db';

type Callback = (err?: unknown) => void;

export class LedgerSessionStore {
  private saves = 0;
  constructor(
    private readonly db: Sql,
    private readonly defaultMaxAgeMs: number,
  ) {}

  set(sid: string, session: Session, callback: Callback): void {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires) : new Date(Date.now() + this.defaultMaxAgeMs);
    const sweep = ++this.saves % 50 === 0 ? this.db.query('DELETE FROM console_sessions WHERE expires_at <= now()') : Promise.resolve();
    sweep
      .then(() =>
        this.db.query(
          `INSERT INTO console_sessions (sid, data, expires_at) VALUES ($1, $2::jsonb, $3)
           ON CONFLICT (sid) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
          [sid, JSON.stringify(session), expires.toISOString()],
        ),
      )
      .then(() => callback(), callback);
  }

  get(sid: string, callback: (err: unknown, result?: Session | null) => void): void {
    this.db
      .query<{ data: unknown }>('SELECT data FROM console_sessions WHERE sid = $1 AND expires_at > now()', [sid])
      .then((r) => {
        const data = r.rows[0]?.data;
        callback(null, data === undefined ? null : ((typeof data === 'string' ? JSON.parse(data) : data) as Session));
      }, callback);
  }

  destroy(sid: string, callback: Callback): void {
    this.db.query('DELETE FROM console_sessions WHERE sid = $1', [sid]).then(() => callback(), callback);
  }
}
