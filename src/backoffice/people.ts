/**
 * The back office's people: login, display name, role, a scrypt hash of the password, kept by the
 * ledger's people store. No default password: a person is created with a one-time password, shown once, that
 * must be changed at the first sign-in. Five wrong passwords in a row lock the account for 15 minutes;
 * while it is locked even the right password is refused, with the same answer as a wrong one would get,
 * so a locked account does not tell a guesser whether the guess was right.
 *
 * Passwords never leave this module, and hashes only to the store: no function answers one, nothing here logs.
 *
 * Single sign-on (src/console/oidc.ts): an admin links a person to an identity provider's issuer and
 * subject; an ID token of that issuer and subject signs that person in, with the role stored here. The
 * lock-out guards the password and only the password: single sign-on neither checks nor resets it.
 */
import { randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role } from '../domain/actor';
import { OidcIdentityTaken, type PeopleStore, type Person } from '../activities';

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

export type { Person } from '../activities';

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

export class People {
  constructor(
    private readonly store: PeopleStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new person with a one-time password, answered once (it is stored only as a hash) and to be changed at first sign-in. */
  async createPerson(login: string, displayName: string, role: Role): Promise<{ person: Person; oneTimePassword: string }> {
    const l = parse(loginSchema, login, 'login');
    const name = parse(displayNameSchema, displayName, 'displayName');
    const r0 = parse(roleSchema, role, 'role');
    const password = oneTimePassword();
    const person = await this.store.insert({ id: `u-${randomUUID()}`, login: l, displayName: name, role: r0, passwordHash: await hashPassword(password) });
    if (!person) throw new PersonError('login', `"${l}" is already taken`);
    return { person, oneTimePassword: password };
  }

  get(id: string): Promise<Person | undefined> {
    return this.store.get(id);
  }

  byLogin(login: string): Promise<Person | undefined> {
    return this.store.byLogin(login.trim().toLowerCase());
  }

  list(): Promise<Person[]> {
    return this.store.list();
  }

  count(): Promise<number> {
    return this.store.count();
  }

  /**
   * Checks a sign-in. A wrong password counts a failure; the fifth in a row locks the account for 15
   * minutes. While locked the answer is `locked` whether the password is right or not. Success resets the count.
   */
  async signIn(login: string, password: string): Promise<SignInResult> {
    const found = await this.store.withPasswordHash(login.trim().toLowerCase());
    if (!found) {
      dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(password, await dummyHash);
      return { ok: false, reason: 'invalid' };
    }
    const { person } = found;
    const now = this.now();
    if (person.lockedUntil && Date.parse(person.lockedUntil) > now.getTime()) return { ok: false, reason: 'locked', lockedUntil: person.lockedUntil };
    const right = await verifyPassword(password, found.passwordHash);
    if (!right) {
      const lockedUntil = await this.store.countFailedSignIn(person.id, now, MAX_FAILED_SIGN_INS, LOCK_MINUTES);
      if (lockedUntil && Date.parse(lockedUntil) > now.getTime()) return { ok: false, reason: 'locked', lockedUntil };
      return { ok: false, reason: 'invalid' };
    }
    if (person.disabled) return { ok: false, reason: 'disabled' };
    await this.store.clearFailures(person.id);
    return { ok: true, person: { ...person, failedLogins: 0, lockedUntil: null } };
  }

  /**
   * Single sign-on: the person linked to `issuer` and `subject` (an ID token the relying party has
   * validated). Nothing is written: the password's failure count and lock are the password's alone, and a
   * pending one-time password stays pending for the password path.
   */
  async signInByOidc(issuer: string, subject: string): Promise<OidcSignInResult> {
    const person = await this.store.byOidc(issuer, subject);
    if (!person) return { ok: false, reason: 'unlinked' };
    if (person.disabled) return { ok: false, reason: 'disabled' };
    return { ok: true, person };
  }

  /** An admin links a person to a single sign-on identity (replacing any earlier link); one person per identity. */
  async linkOidc(id: string, issuer: string, subject: string): Promise<void> {
    const sub = parse(oidcSubjectSchema, subject, 'subject');
    const holder = await this.store.oidcHolder(issuer, sub, id);
    if (holder !== undefined) throw new PersonError('subject', `already linked to ${holder}`);
    const linked = await this.store.linkOidc(id, issuer, sub).catch((err: unknown) => {
      if (err instanceof OidcIdentityTaken) throw new PersonError('subject', err.message);
      throw err;
    });
    if (!linked) throw new PersonError('person', 'no such person');
  }

  async unlinkOidc(id: string): Promise<void> {
    if (!(await this.store.unlinkOidc(id))) throw new PersonError('person', 'no such person');
  }

  /**
   * A new password of at least 12 characters, not the current one; clears the forced change and ends every
   * other session of the person (`keepSessionId`: the one that changed it), so a session opened with the
   * old password does not outlive it.
   */
  async changePassword(id: string, current: string, next: string, keepSessionId: string | null = null): Promise<void> {
    if (typeof next !== 'string' || [...next].length < MIN_PASSWORD_LENGTH) throw new PersonError('newPassword', `at least ${MIN_PASSWORD_LENGTH} characters`);
    if ([...next].length > 200) throw new PersonError('newPassword', 'at most 200 characters');
    const hash = await this.store.passwordHash(id);
    if (hash === undefined) throw new PersonError('person', 'no such person');
    if (!(await verifyPassword(current, hash))) throw new PersonError('currentPassword', 'not the current password');
    if (current === next) throw new PersonError('newPassword', 'must differ from the current password');
    await this.store.setPassword(id, await hashPassword(next), keepSessionId);
  }

  /** An admin's reset: a new one-time password, shown once, to change at the next sign-in; every session of the person ends. */
  async resetPassword(id: string): Promise<string> {
    const password = oneTimePassword();
    if (!(await this.store.resetPassword(id, await hashPassword(password)))) throw new PersonError('person', 'no such person');
    return password;
  }

  async setRole(id: string, role: Role): Promise<void> {
    const r0 = parse(roleSchema, role, 'role');
    if (!(await this.store.setRole(id, r0))) throw new PersonError('person', 'no such person');
  }

  async unlock(id: string): Promise<void> {
    if (!(await this.store.clearFailures(id))) throw new PersonError('person', 'no such person');
  }

  /** A disabled person's sessions end now. */
  async setDisabled(id: string, disabled: boolean): Promise<void> {
    if (!(await this.store.setDisabled(id, disabled))) throw new PersonError('person', 'no such person');
  }
}
