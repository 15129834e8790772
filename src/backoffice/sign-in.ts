/**
 * Signing in with a password (NIST SP 800-63B §5.2.2, OWASP's authentication cheat sheet). Throttled,
 * never locked:
 * - **per account**: after 5 failures in a row the account takes no attempt for 1 minute, then 2, 4, 8,
 *   15 at most after each further failure; a success or an admin's unlock clears it;
 * - **per client address**: the same after 10 failures in a row from one address, whichever logins were
 *   tried (guessing one password across many accounts); a success from it clears it, and so does an
 *   admin's unlock of anyone (behind one proxy, or on 127.0.0.1, everyone shares one address);
 * - **a known browser** — one where the person signed in before, holding its random token (only its
 *   SHA-256 is stored) — is exempt from both and has its own limit of 5 failures in a row, after which it
 *   is trusted no more. A stranger's failures therefore slow strangers down and cannot keep a person out
 *   of the console on the browser they use.
 *
 * Each attempt is counted before its password is checked, in one statement that also refuses it while a
 * window runs (src/activities/ledger/sign-ins.ts), so concurrent guesses are admitted one at a time and
 * never past the limit; a success clears the counts. An unknown login, a wrong password and a throttled
 * attempt get the same answer (`invalid`) after the same work — one scrypt each (a throttled or unknown
 * one against a hash of nothing) — so neither the answer nor its timing tells which logins exist or
 * whether a throttled guess was right. Every attempt is one row of the audit trail, with the login as
 * typed (never the password) and the client's address.
 *
 * A one-time password signs in once, within 24 hours of being made; after that only a new one does.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor';
import type { AuditTrail, PeopleStore, Person } from '../activities';
import { spendLikeAVerification, verifyPassword } from './passwords';

export const ACCOUNT_THROTTLE = { limit: 5, capMinutes: 15 } as const;
export const ADDRESS_THROTTLE = { limit: 10, capMinutes: 15 } as const;
/** A known browser's failures in a row before it is trusted no more, and how long it is trusted at most. */
export const KNOWN_BROWSER_LIMIT = 5;
export const KNOWN_BROWSER_DAYS = 180;
export const ONE_TIME_PASSWORD_HOURS = 24;

/** Where an attempt comes from: the client's address (Fastify's `req.ip`) and the known-browser token it holds, if any. */
export interface SignInClient {
  address: string;
  knownBrowser?: string | undefined;
}

export type SignInResult =
  /** `knownBrowser`: the token to keep in the browser (the one it sent, or a new one). */
  | { ok: true; person: Person; knownBrowser: string }
  /**
   * `invalid`: unknown login, wrong password or throttled — one answer, on purpose; `disabled` and
   * `expired` (a one-time password used already or older than 24 hours) only after the right password.
   */
  | { ok: false; reason: 'invalid' | 'disabled' | 'expired' };

export type AuditWriter = Pick<AuditTrail, 'attempt' | 'decide'>;

/** The actor of an attempt on a login nobody has: the client's address, as the audit trail's actor ids allow. */
export function anonymousActor(address: string): Actor {
  return { id: `anonymous:${address.replace(/[^A-Za-z0-9._:@-]/g, '_')}`.slice(0, 128), role: 'system', via: 'console' };
}

/** The client's address as stored and audited: at most 100 characters, never empty. */
export const addressOf = (client: SignInClient): string => client.address.slice(0, 100) || 'unknown';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export async function signInWithPassword(
  d: { store: PeopleStore; audit: AuditWriter; now: Date },
  login: string,
  password: string,
  client: SignInClient,
): Promise<SignInResult> {
  const { store, now } = d;
  const signIns = store.signIns;
  const typed = typeof login === 'string' ? login : '';
  const address = addressOf(client);
  const found = await store.withPasswordHash(typed.trim().toLowerCase());
  const person = found?.person;
  const row = await d.audit.attempt({
    actor: person ? { id: person.id, role: person.role, via: 'console' } : anonymousActor(address),
    contractId: null,
    command: 'signIn',
    requestId: `sign-in:${randomUUID()}`,
    details: { login: typed.slice(0, 100), address },
  });
  const refuse = async (reason: 'invalid' | 'disabled' | 'expired', why: string): Promise<SignInResult> => {
    await d.audit.decide(row, 'refused', `${why}; login as typed: ${JSON.stringify(typed.slice(0, 100))}`);
    return { ok: false, reason };
  };

  const token = typeof client.knownBrowser === 'string' && TOKEN.test(client.knownBrowser) ? client.knownBrowser : undefined;
  const known = !!(person && token && (await signIns.admitDevice(sha256(token), person.id, now, KNOWN_BROWSER_LIMIT, KNOWN_BROWSER_DAYS)));
  let throttled: 'address' | 'account' | undefined;
  if (!known) {
    if (!(await signIns.admitAddress(address, now, ADDRESS_THROTTLE))) throttled = 'address';
    else if (person && !(await signIns.admitAccount(person.id, now, ACCOUNT_THROTTLE))) throttled = 'account';
  }
  // One scrypt on every path: the stored hash only when the attempt was admitted.
  let right = false;
  if (found && !throttled) right = await verifyPassword(password, found.passwordHash);
  else await spendLikeAVerification(typeof password === 'string' ? password : '');

  if (throttled) return refuse('invalid', `throttled: too many failures in a row from this ${throttled}; the password was not checked`);
  if (!person) return refuse('invalid', 'unknown login');
  if (!right) return refuse('invalid', known ? 'wrong password (known browser)' : 'wrong password');
  if (person.disabled) return refuse('disabled', 'the person is disabled');
  if (person.mustChangePassword && !(await signIns.spendOneTimePassword(person.id, now, ONE_TIME_PASSWORD_HOURS)))
    return refuse('expired', `the one-time password was used already or is older than ${ONE_TIME_PASSWORD_HOURS} hours`);
  const keep = known && token ? token : randomBytes(32).toString('base64url');
  await signIns.succeeded(person.id, address, sha256(keep), now, KNOWN_BROWSER_DAYS);
  await d.audit.decide(row, 'accepted', known ? 'signed in (known browser)' : 'signed in');
  return { ok: true, person: { ...person, failedLogins: 0, lockedUntil: null }, knownBrowser: keep };
}
