/**
 * The back office's people: login, display name, role, a scrypt hash of the password, kept by the
 * ledger's people store. No default password: a person is created with a one-time password, shown once,
 * that signs in once within 24 hours and must then be changed. Signing in is throttled, never locked
 * (sign-in.ts); new passwords are checked against the common and breached ones (passwords.ts).
 *
 * Every change to a person and every sign-in, failure and sign-out is a row of the ledger's audit trail,
 * written here so that every door (the console, `npm run console:admin`) audits alike: the actor is the
 * admin acting, or the person signing in (an anonymous actor naming the client address for a login
 * nobody has); never a password.
 *
 * Passwords never leave this module, and hashes only to the store: no function answers one, nothing here logs.
 *
 * Single sign-on (src/console/oidc.ts): an admin links a person to an identity provider's issuer and
 * subject; an ID token of that issuer and subject signs that person in, with the role stored here. The
 * throttle guards the password and only the password: single sign-on neither checks nor resets it.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Actor, type Role } from '../domain/actor';
import { OidcIdentityTaken, type PeopleStore, type Person } from '../activities';
import { audited } from './command-path';
import { hashPassword, newPasswordProblem, oneTimePassword, verifyPassword } from './passwords';
import { addressOf, anonymousActor, signInWithPassword, type AuditWriter, type SignInClient, type SignInResult } from './sign-in';

export { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './passwords';
export { ACCOUNT_THROTTLE, ADDRESS_THROTTLE, ONE_TIME_PASSWORD_HOURS, type SignInClient, type SignInResult } from './sign-in';
export type { Person } from '../activities';

/** The actor of a change made with no person named: only tests and setup code leave it out. */
const UNNAMED: Actor = { id: 'system:people', role: 'system', via: 'system' };
/** An attempt made in a test or a script, with no client address. */
const LOCAL: SignInClient = { address: 'local' };

/** `unlinked`: no person is linked to the identity; `disabled`: the linked person is disabled. */
export type OidcSignInResult = { ok: true; person: Person } | { ok: false; reason: 'unlinked' | 'disabled' };

/** Bad input or an unknown person: nothing changed. A refusal in the audit trail (exit status 3, as the command path counts it). */
export class PersonError extends Error {
  readonly exitCode = 3;
  constructor(
    /** The form field it is about. */
    readonly field: string,
    message: string,
    /** The same in Japanese, when the page shows it (`t(ja, message)`). */
    readonly ja?: string,
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
  private readonly audit: AuditWriter;
  constructor(
    private readonly store: PeopleStore,
    private readonly now: () => Date = () => new Date(),
    /** The audit trail; the store's own (the same ledger) unless a test gives another. */
    audit?: AuditWriter,
  ) {
    this.audit = audit ?? store.audit;
  }

  /** `run` between its audit row and its outcome; a PersonError is recorded as refused. */
  private change<T>(by: Actor, command: string, details: Record<string, unknown>, run: () => Promise<T>, summary?: (r: T) => string): Promise<T> {
    return audited(this.audit, { actor: by, contractId: null, command, requestId: `people:${randomUUID()}`, details, run, ...(summary ? { summary } : {}) });
  }

  /** A new person with a one-time password, answered once (it is stored only as a hash) and to be changed at first sign-in. */
  async createPerson(login: string, displayName: string, role: Role, by: Actor = UNNAMED): Promise<{ person: Person; oneTimePassword: string }> {
    const typed = typeof login === 'string' ? login.slice(0, 100) : '';
    return this.change(
      by,
      'createPerson',
      { login: typed, role: String(role).slice(0, 20) },
      async () => {
        const l = parse(loginSchema, login, 'login');
        const name = parse(displayNameSchema, displayName, 'displayName');
        const r0 = parse(roleSchema, role, 'role');
        const password = oneTimePassword();
        const person = await this.store.insert(
          { id: `u-${randomUUID()}`, login: l, displayName: name, role: r0, passwordHash: await hashPassword(password) },
          this.now(),
        );
        if (!person) throw new PersonError('login', `"${l}" is already taken`, `「${l}」は使われています`);
        return { person, oneTimePassword: password };
      },
      (r) => `created ${r.person.id} (${r.person.role})`,
    );
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

  /** Checks a sign-in, throttled and audited (sign-in.ts). */
  signIn(login: string, password: string, client: SignInClient = LOCAL): Promise<SignInResult> {
    return signInWithPassword({ store: this.store, audit: this.audit, now: this.now() }, login, password, client);
  }

  /**
   * Single sign-on: the person linked to `issuer` and `subject` (an ID token the relying party has
   * validated), audited. The password's throttle is left alone, and a pending one-time password stays
   * pending for the password path.
   */
  async signInByOidc(issuer: string, subject: string, client: SignInClient = LOCAL): Promise<OidcSignInResult> {
    const person = await this.store.byOidc(issuer, subject);
    const address = addressOf(client);
    const row = await this.audit.attempt({
      actor: person ? { id: person.id, role: person.role, via: 'console' } : anonymousActor(address),
      contractId: null,
      command: 'signIn',
      requestId: `sign-in:${randomUUID()}`,
      details: { issuer, subject: subject.slice(0, 255), address },
    });
    const r: OidcSignInResult = !person ? { ok: false, reason: 'unlinked' } : person.disabled ? { ok: false, reason: 'disabled' } : { ok: true, person };
    await this.audit.decide(row, r.ok ? 'accepted' : 'refused', r.ok ? 'signed in (single sign-on)' : `single sign-on: ${r.reason}`);
    return r;
  }

  /** A person signs out (the session itself is ended by the console). */
  async signOut(person: Person, client: SignInClient = LOCAL): Promise<void> {
    await this.change({ id: person.id, role: person.role, via: 'console' }, 'signOut', { address: addressOf(client) }, async () => undefined);
  }

  /** An admin links a person to a single sign-on identity (replacing any earlier link); one person per identity. */
  async linkOidc(id: string, issuer: string, subject: string, by: Actor = UNNAMED): Promise<void> {
    await this.change(by, 'linkOidc', { personId: id, issuer, subject: typeof subject === 'string' ? subject.slice(0, 255) : '' }, async () => {
      const sub = parse(oidcSubjectSchema, subject, 'subject');
      const holder = await this.store.oidcHolder(issuer, sub, id);
      if (holder !== undefined) throw new PersonError('subject', `already linked to ${holder}`);
      const linked = await this.store.linkOidc(id, issuer, sub).catch((err: unknown) => {
        if (err instanceof OidcIdentityTaken) throw new PersonError('subject', err.message);
        throw err;
      });
      if (!linked) throw new PersonError('person', 'no such person');
    });
  }

  async unlinkOidc(id: string, by: Actor = UNNAMED): Promise<void> {
    await this.change(by, 'unlinkOidc', { personId: id }, async () => {
      if (!(await this.store.unlinkOidc(id))) throw new PersonError('person', 'no such person');
    });
  }

  /**
   * The person's own new password (see passwords.ts for what it must be), not the current one; clears the
   * forced change and ends every other session of the person (`keepSessionId`: the one that changed it), so
   * a session opened with the old password does not outlive it.
   */
  async changePassword(id: string, current: string, next: string, keepSessionId: string | null = null): Promise<void> {
    const person = await this.store.get(id);
    if (!person) throw new PersonError('person', 'no such person');
    await this.change({ id: person.id, role: person.role, via: 'console' }, 'changePassword', { personId: id }, async () => {
      const problem = newPasswordProblem(next, person.login);
      if (problem) throw new PersonError('newPassword', problem.en, `新しいパスワード (newPassword): ${problem.ja}`);
      const hash = await this.store.passwordHash(id);
      if (hash === undefined) throw new PersonError('person', 'no such person');
      if (!(await verifyPassword(current, hash)))
        throw new PersonError('currentPassword', 'not the current password', '現在のパスワード (currentPassword): 違います');
      if (current === next)
        throw new PersonError('newPassword', 'must differ from the current password', '新しいパスワード (newPassword): 現在のものと同じです');
      await this.store.setPassword(id, await hashPassword(next), keepSessionId);
    });
  }

  /** An admin's reset: a new one-time password, shown once, to change at the next sign-in; every session of the person ends. */
  resetPassword(id: string, by: Actor = UNNAMED): Promise<string> {
    return this.change(by, 'resetPassword', { personId: id }, async () => {
      const password = oneTimePassword();
      if (!(await this.store.resetPassword(id, await hashPassword(password), this.now()))) throw new PersonError('person', 'no such person');
      return password;
    });
  }

  async setRole(id: string, role: Role, by: Actor = UNNAMED): Promise<void> {
    await this.change(by, 'setRole', { personId: id, role: String(role).slice(0, 20) }, async () => {
      const r0 = parse(roleSchema, role, 'role');
      if (!(await this.store.setRole(id, r0))) throw new PersonError('person', 'no such person');
    });
  }

  /** An admin clears the account's sign-in throttle, and the addresses' (which one the person uses is not known). */
  async unlock(id: string, by: Actor = UNNAMED): Promise<void> {
    await this.change(by, 'unlockPerson', { personId: id }, async () => {
      if (!(await this.store.clearFailures(id))) throw new PersonError('person', 'no such person');
      await this.store.signIns.clearAddresses();
    });
  }

  /** A disabled person's sessions end now. */
  async setDisabled(id: string, disabled: boolean, by: Actor = UNNAMED): Promise<void> {
    await this.change(by, disabled ? 'disablePerson' : 'enablePerson', { personId: id }, async () => {
      if (!(await this.store.setDisabled(id, disabled))) throw new PersonError('person', 'no such person');
    });
  }
}
