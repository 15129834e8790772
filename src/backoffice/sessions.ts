/**
 * The console's sessions, kept by the ledger's people store: the session as JSON and its expiry. An
 * expired session is never answered; expired rows are swept now and then when a session is saved.
 */
import type { PeopleStore } from '../activities';

/** One save in this many also sweeps the expired rows. */
const SWEEP_EVERY = 50;

export class Sessions {
  private saves = 0;
  constructor(private readonly store: PeopleStore) {}

  async save(sid: string, session: unknown, expires: Date): Promise<void> {
    if (++this.saves % SWEEP_EVERY === 0) await this.store.sweepExpiredSessions();
    await this.store.saveSession(sid, session, expires);
  }

  /** The session, or null when there is none or it expired. */
  load(sid: string): Promise<unknown | null> {
    return this.store.loadSession(sid);
  }

  destroy(sid: string): Promise<void> {
    return this.store.destroySession(sid);
  }
}
