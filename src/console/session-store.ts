/**
 * @fastify/session's store over the back office's sessions (src/backoffice/sessions.ts): the session as
 * JSON and its expiry, the cookie's or the default.
 */
import type { Session } from 'fastify';
import type { Sessions } from '../backoffice/sessions';

type Callback = (err?: unknown) => void;

export class LedgerSessionStore {
  constructor(
    private readonly sessions: Sessions,
    private readonly defaultMaxAgeMs: number,
  ) {}

  set(sid: string, session: Session, callback: Callback): void {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires) : new Date(Date.now() + this.defaultMaxAgeMs);
    this.sessions.save(sid, session, expires).then(() => callback(), callback);
  }

  get(sid: string, callback: (err: unknown, result?: Session | null) => void): void {
    this.sessions.load(sid).then((data) => callback(null, data as Session | null), callback);
  }

  destroy(sid: string, callback: Callback): void {
    this.sessions.destroy(sid).then(() => callback(), callback);
  }
}
