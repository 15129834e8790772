/**
 * The console's people, in the ledger (migration 5): login, display name, role, a scrypt hash
 * of the password. No default password: a person is created with a one-time password, shown once, that
 * must be changed at the first sign-in. Five wrong passwords in a row lock the account for 15 minutes;
 * while it is locked even the right password is refused, with the same answer as a wrong one would get,
 * so a locked account does not tell a guesser whether the guess was right.
 *
 * Passwords and hashes never leave this module: no function answers a hash, nothing here logs.
 *
 * Single sign-on (src/console/oidc.ts, migration 7): an admin links a person to an identity provider's
 * issuer and subject; an ID token of that issuer and subject signs that person in, with the role stored
 * here. The lock-out guards the password and only the password: single sign-on neither checks nor resets it.
 */
import { randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role } from '../domain/actor';
import { instant, num, type Sql } from '../activities/ledger/db';

/** scrypt's cost (N=2^15, r=8, p=1: 32 MiB of memory and about 0.1 s per hash on one core). */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** scrypt needs 128·N·r bytes; Node's default limit is exactly 32 MiB, so raise it. */
const maxmemFor = (n: number, r: number) => 128 * n * r * 2;

export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_MINUTES = 15;
export const MIN_PASSWORD_LENGTH = 12;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: maxmemFor(N, R) });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` matches `stored` (compared in constant time). A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((v) => Number.isSafeInteger(v) && v > 0) || n > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length < 16) return false;
  const key = await scrypt(password, salt, expected.length, { N: n, r, p, maxmem: maxmemFor(n, r) });
  return timingSafeEqual(key, expected);
}

/** Spent on an unknown login so that it takes as long as a known one. */
let dummyHash: Promise<string> | undefined;

/** A one-time password: 18 random bytes, base64url (24 characters). */
function oneTimePassword(): string {
  return randomBytes(18).toString('base64url');
}

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

export type SignInResult =
  | { ok: true; person: Person }
  /** `invalid`: unknown login or wrong password; `locked`: too many failures (whatever the password); `disabled`. */
  | { ok: false; reason: 'invalid' | 'locked' | 'disabled'; lockedUntil?: string };

/** `unlinked`: no person is linked to the identity; `disabled`: the linked person is disabled. */
export type OidcSignInResult = { ok: true; person: Person } | { ok: false; reason: 'unlinked' | 'disabled' };

export class PersonError extends Error {
  constructor(
    /** The form field it is about. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export const loginSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'a login is 2–64 lower-case letters, digits, . _ - (starting with a letter or digit)');
export const displayNameSchema = z.string().trim().min(1, 'the name is empty').max(100, 'the name is longer than 100 characters');
export const roleSchema = z.enum(ROLES, { error: `expected a role: ${ROLES.join(', ')}` });
/** An OpenID Connect subject (`sub`): case-sensitive, at most 255 characters (OpenID Connect Core 2), no control characters. */
export const oidcSubjectSchema = z
  .string()
  .trim()
  .min(1, 'the subject is empty')
  .max(255, 'a subject is at most 255 characters')
  .regex(/^[^\p{Cc}]+$/u, 'a subject has no control characters');

function parse<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new PersonError(field, r.error.issues[0]?.message ?? 'invalid');
  return r.data;
}

type Row = Record<string, unknown>;
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

export class People {
  constructor(
    private readonly db: Sql,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new person with a one-time password, answered once (it is stored only as a hash) and to be changed at first sign-in. */
  async createPerson(login: string, displayName: string, role: Role): Promise<{ person: Person; oneTimePassword: string }> {
    const l = parse(loginSchema, login, 'login');
    const name = parse(displayNameSchema, displayName, 'displayName');
    const r0 = parse(roleSchema, role, 'role');
    const password = oneTimePassword();
    const hash = await hashPassword(password);
    const r = await this.db.query<Row>(
      `INSERT INTO people (id, login, display_name, role, password_hash, must_change_password) VALUES ($1, $2, $3, $4, $5, true)
       ON CONFLICT (login) DO NOTHING RETURNING ${COLUMNS}`,
      [`u-${randomUUID()}`, l, name, r0, hash],
    );
    if (!r.rows[0]) throw new PersonError('login', `"${l}" is already taken`);
    return { person: personOf(r.rows[0]), oneTimePassword: password };
  }

  async get(id: string): Promise<Person | undefined> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM people WHERE id = $1`, [id]);
    return r.rows[0] ? personOf(r.rows[0]) : undefined;
  }

  async byLogin(login: string): Promise<Person | undefined> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM people WHERE login = $1`, [login.trim().toLowerCase()]);
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

  /**
   * Checks a sign-in. A wrong password counts a failure; the fifth in a row locks the account for 15
   * minutes. While locked the answer is `locked` whether the password is right or not. Success resets the count.
   */
  async signIn(login: string, password: string): Promise<SignInResult> {
    const l = login.trim().toLowerCase();
    const r = await this.db.query<Row>(`SELECT ${COLUMNS}, password_hash FROM people WHERE login = $1`, [l]);
    const row = r.rows[0];
    if (!row) {
      dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(password, await dummyHash);
      return { ok: false, reason: 'invalid' };
    }
    const person = personOf(row);
    const now = this.now();
    if (person.lockedUntil && Date.parse(person.lockedUntil) > now.getTime()) return { ok: false, reason: 'locked', lockedUntil: person.lockedUntil };
    const right = await verifyPassword(password, String(row.password_hash));
    if (!right) {
      // A lock that has run out starts the count again.
      const u = await this.db.query<Row>(
        `UPDATE people SET
           failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= $2 THEN 1 ELSE failed_logins + 1 END,
           locked_until = CASE
             WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= $2 THEN 1 ELSE failed_logins + 1 END) >= $3
             THEN $2::timestamptz + make_interval(mins => $4) ELSE locked_until END
         WHERE id = $1 RETURNING locked_until`,
        [person.id, now.toISOString(), MAX_FAILED_SIGN_INS, LOCK_MINUTES],
      );
      const lockedUntil = instant(u.rows[0]?.locked_until);
      if (lockedUntil && Date.parse(lockedUntil) > now.getTime()) return { ok: false, reason: 'locked', lockedUntil };
      return { ok: false, reason: 'invalid' };
    }
    if (person.disabled) return { ok: false, reason: 'disabled' };
    await this.db.query('UPDATE people SET failed_logins = 0, locked_until = NULL WHERE id = $1', [person.id]);
    return { ok: true, person: { ...person, failedLogins: 0, lockedUntil: null } };
  }

  /**
   * Single sign-on: the person linked to `issuer` and `subject` (an ID token the relying party has
   * validated). Nothing is written: the password's failure count and lock are the password's alone, and a
   * pending one-time password stays pending for the password path.
   */
  async signInByOidc(issuer: string, subject: string): Promise<OidcSignInResult> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM people WHERE oidc_issuer = $1 AND oidc_subject = $2`, [issuer, subject]);
    const person = r.rows[0] ? personOf(r.rows[0]) : undefined;
    if (!person) return { ok: false, reason: 'unlinked' };
    if (person.disabled) return { ok: false, reason: 'disabled' };
    return { ok: true, person };
  }

  /** An admin links a person to a single sign-on identity (replacing any earlier link); one person per identity. */
  async linkOidc(id: string, issuer: string, subject: string): Promise<void> {
    const sub = parse(oidcSubjectSchema, subject, 'subject');
    const taken = await this.db.query<Row>('SELECT login FROM people WHERE oidc_issuer = $1 AND oidc_subject = $2 AND id <> $3', [issuer, sub, id]);
    if (taken.rows[0]) throw new PersonError('subject', `already linked to ${String(taken.rows[0].login)}`);
    const r = await this.db.query('UPDATE people SET oidc_issuer = $2, oidc_subject = $3 WHERE id = $1', [id, issuer, sub]).catch((err: { code?: string }) => {
      // Two admins linking the same identity at once: the unique index decides.
      if (err.code === '23505') throw new PersonError('subject', 'already linked to another person');
      throw err;
    });
    if (r.rowCount === 0) throw new PersonError('person', 'no such person');
  }

  async unlinkOidc(id: string): Promise<void> {
    const r = await this.db.query('UPDATE people SET oidc_issuer = NULL, oidc_subject = NULL WHERE id = $1', [id]);
    if (r.rowCount === 0) throw new PersonError('person', 'no such person');
  }

  /** A new password of at least 12 characters, not the current one; clears the forced change. */
  async changePassword(id: string, current: string, next: string): Promise<void> {
    if (typeof next !== 'string' || [...next].length < MIN_PASSWORD_LENGTH) throw new PersonError('newPassword', `at least ${MIN_PASSWORD_LENGTH} characters`);
    if ([...next].length > 200) throw new PersonError('newPassword', 'at most 200 characters');
    const r = await this.db.query<Row>('SELECT password_hash FROM people WHERE id = $1', [id]);
    const row = r.rows[0];
    if (!row) throw new PersonError('person', 'no such person');
    if (!(await verifyPassword(current, String(row.password_hash)))) throw new PersonError('currentPassword', 'not the current password');
    if (current === next) throw new PersonError('newPassword', 'must differ from the current password');
    await this.db.query('UPDATE people SET password_hash = $2, must_change_password = false WHERE id = $1', [id, await hashPassword(next)]);
  }

  /** An admin's reset: a new one-time password, shown once; the person must change it at the next sign-in. */
  async resetPassword(id: string): Promise<string> {
    const password = oneTimePassword();
    const r = await this.db.query('UPDATE people SET password_hash = $2, must_change_password = true, failed_logins = 0, locked_until = NULL WHERE id = $1', [id, await hashPassword(password)]);
    if (r.rowCount === 0) throw new PersonError('person', 'no such person');
    return password;
  }

  async setRole(id: string, role: Role): Promise<void> {
    const r0 = parse(roleSchema, role, 'role');
    const r = await this.db.query('UPDATE people SET role = $2 WHERE id = $1', [id, r0]);
    if (r.rowCount === 0) throw new PersonError('person', 'no such person');
  }

  async unlock(id: string): Promise<void> {
    const r = await this.db.query('UPDATE people SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
    if (r.rowCount === 0) throw new PersonError('person', 'no such person');
  }

  async setDisabled(id: string, disabled: boolean): Promise<void> {
    const r = await this.db.query('UPDATE people SET disabled = $2 WHERE id = $1', [id, disabled]);
    if (r.rowCount === 0) throw new PersonError('person', 'no such person');
    // A disabled person's sessions end now.
    if (disabled) await this.db.query(`DELETE FROM console_sessions WHERE data->>'personId' = $1`, [id]);
  }
}
