/**
 * The people store: the back office's people (login, name, role, the password's scrypt hash, the
 * lock-out count, the single sign-on identity) and the console's sessions. Only the SQL lives here; the
 * rules — hashing, throttling, roles — are the back office's (src/backoffice/people.ts). A password hash is
 * read for a check and written as given, never answered in a Person.
 */
import type { Role } from '../../domain/actor';
import { AuditTrail } from './audit';
import { instant, num, type Db } from './db';
import { SignIns } from './sign-ins';
import type { Row } from './values';

export interface Person {
  id: string;
  login: string;
  displayName: string;
  role: Role;
  mustChangePassword: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  disabled: boolean;
  createdAt: string;
  /** The single sign-on identity linked to the person (issuer and subject), or null. */
  oidcIssuer: string | null;
  oidcSubject: string | null;
}

const COLUMNS = 'id, login, display_name, role, must_change_password, failed_logins, locked_until, disabled, created_at, oidc_issuer, oidc_subject';

function personOf(r: Row): Person {
  return {
    id: String(r.id),
    login: String(r.login),
    displayName: String(r.display_name),
    role: String(r.role) as Role,
    mustChangePassword: r.must_change_password === true,
    failedLogins: num(r.failed_logins),
    lockedUntil: instant(r.locked_until),
    disabled: r.disabled === true,
    createdAt: instant(r.created_at) ?? '',
    oidcIssuer: r.oidc_issuer == null ? null : String(r.oidc_issuer),
    oidcSubject: r.oidc_subject == null ? null : String(r.oidc_subject),
  };
}

/** Thrown by linkOidc when another person holds the identity (the unique index decided). */
export class OidcIdentityTaken extends Error {}

export class PeopleStore {
  /** The sign-in throttle and one-time passwords' use (sign-ins.ts). */
  readonly signIns: SignIns;
  /** The audit trail on the same connection: people's changes and sign-ins are audited by whoever serves them. */
  readonly audit: AuditTrail;
  constructor(private readonly db: Db) {
    this.signIns = new SignIns(db);
    this.audit = new AuditTrail(db);
  }

  /** A new person whose one-time password (made at `issuedAt`) must be changed at first sign-in; undefined when the login is taken. */
  async insert(person: { id: string; login: string; displayName: string; role: Role; passwordHash: string }, issuedAt: Date): Promise<Person | undefined> {
    const r = await this.db.query<Row>(
      `INSERT INTO people (id, login, display_name, role, password_hash, must_change_password, one_time_password_issued_at)
       VALUES ($1, $2, $3, $4, $5, true, $6)
       ON CONFLICT (login) DO NOTHING RETURNING ${COLUMNS}`,
      [person.id, person.login, person.displayName, person.role, person.passwordHash, issuedAt.toISOString()],
    );
    return r.rows[0] ? personOf(r.rows[0]) : undefined;
  }

  async get(id: string): Promise<Person | undefined> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM people WHERE id = $1`, [id]);
    return r.rows[0] ? personOf(r.rows[0]) : undefined;
  }

  async byLogin(login: string): Promise<Person | undefined> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM people WHERE login = $1`, [login]);
    return r.rows[0] ? personOf(r.rows[0]) : undefined;
  }

  async byOidc(issuer: string, subject: string): Promise<Person | undefined> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM people WHERE oidc_issuer = $1 AND oidc_subject = $2`, [issuer, subject]);
    return r.rows[0] ? personOf(r.rows[0]) : undefined;
  }

  async list(): Promise<Person[]> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM people ORDER BY login`);
    return r.rows.map(personOf);
  }

  async count(): Promise<number> {
    const r = await this.db.query<Row>('SELECT count(*) AS n FROM people');
    return num(r.rows[0]!.n);
  }

  /** The person of a login with the stored hash, for a sign-in's check only. */
  async withPasswordHash(login: string): Promise<{ person: Person; passwordHash: string } | undefined> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS}, password_hash FROM people WHERE login = $1`, [login]);
    const row = r.rows[0];
    return row ? { person: personOf(row), passwordHash: String(row.password_hash) } : undefined;
  }

  /** The stored hash of a person, for a password change's check only. */
  async passwordHash(id: string): Promise<string | undefined> {
    const r = await this.db.query<Row>('SELECT password_hash FROM people WHERE id = $1', [id]);
    return r.rows[0] ? String(r.rows[0].password_hash) : undefined;
  }

  /** The account's failure count and its throttle cleared (an admin's unlock); false when there is no such person. */
  async clearFailures(id: string): Promise<boolean> {
    const r = await this.db.query('UPDATE people SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
    return r.rowCount > 0;
  }

  /** The login of another person linked to the identity, if any. */
  async oidcHolder(issuer: string, subject: string, exceptId: string): Promise<string | undefined> {
    const r = await this.db.query<Row>('SELECT login FROM people WHERE oidc_issuer = $1 AND oidc_subject = $2 AND id <> $3', [issuer, subject, exceptId]);
    return r.rows[0] ? String(r.rows[0].login) : undefined;
  }

  /** Links the identity (replacing any earlier link); false when there is no such person. */
  async linkOidc(id: string, issuer: string, subject: string): Promise<boolean> {
    const r = await this.db
      .query('UPDATE people SET oidc_issuer = $2, oidc_subject = $3 WHERE id = $1', [id, issuer, subject])
      .catch((err: { code?: string }) => {
        // Two admins linking the same identity at once: the unique index decides.
        if (err.code === '23505') throw new OidcIdentityTaken('already linked to another person');
        throw err;
      });
    return r.rowCount > 0;
  }

  async unlinkOidc(id: string): Promise<boolean> {
    const r = await this.db.query('UPDATE people SET oidc_issuer = NULL, oidc_subject = NULL WHERE id = $1', [id]);
    return r.rowCount > 0;
  }

  /** The person's own new password: the forced change is over, and every other session of theirs ends. */
  async setPassword(id: string, passwordHash: string, keepSessionId: string | null = null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        'UPDATE people SET password_hash = $2, must_change_password = false, one_time_password_issued_at = NULL, one_time_password_used_at = NULL WHERE id = $1',
        [id, passwordHash],
      );
      await tx.query(`DELETE FROM console_sessions WHERE data->>'personId' = $1 AND sid IS DISTINCT FROM $2`, [id, keepSessionId]);
    });
  }

  /**
   * An admin's reset: a one-time password (made at `issuedAt`) to change at the next sign-in, the throttle
   * cleared, the person's known browsers forgotten; false when there is no such person.
   */
  async resetPassword(id: string, passwordHash: string, issuedAt: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const r = await tx.query(
        `UPDATE people SET password_hash = $2, must_change_password = true, failed_logins = 0, locked_until = NULL,
           one_time_password_issued_at = $3, one_time_password_used_at = NULL WHERE id = $1`,
        [id, passwordHash, issuedAt.toISOString()],
      );
      // Whoever held the old password is signed out everywhere: a reset is how a stolen one is taken back.
      await tx.query(`DELETE FROM console_sessions WHERE data->>'personId' = $1`, [id]);
      await tx.query('DELETE FROM sign_in_devices WHERE person_id = $1', [id]);
      return r.rowCount > 0;
    });
  }

  async setRole(id: string, role: Role): Promise<boolean> {
    const r = await this.db.query('UPDATE people SET role = $2 WHERE id = $1', [id, role]);
    return r.rowCount > 0;
  }

  /** Disables or enables a person; a disabled person's sessions end now. False when there is no such person. */
  async setDisabled(id: string, disabled: boolean): Promise<boolean> {
    const r = await this.db.query('UPDATE people SET disabled = $2 WHERE id = $1', [id, disabled]);
    if (r.rowCount === 0) return false;
    if (disabled) await this.db.query(`DELETE FROM console_sessions WHERE data->>'personId' = $1`, [id]);
    return true;
  }

  // ---- the console's sessions: the session as JSON and its expiry; an expired one is never answered ----

  async saveSession(sid: string, session: unknown, expires: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO console_sessions (sid, data, expires_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (sid) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
      [sid, JSON.stringify(session), expires.toISOString()],
    );
  }

  async loadSession(sid: string): Promise<unknown | null> {
    const r = await this.db.query<{ data: unknown }>('SELECT data FROM console_sessions WHERE sid = $1 AND expires_at > now()', [sid]);
    const data = r.rows[0]?.data;
    return data === undefined ? null : typeof data === 'string' ? JSON.parse(data) : data;
  }

  async destroySession(sid: string): Promise<void> {
    await this.db.query('DELETE FROM console_sessions WHERE sid = $1', [sid]);
  }

  async sweepExpiredSessions(): Promise<void> {
    await this.db.query('DELETE FROM console_sessions WHERE expires_at <= now()');
  }
}
