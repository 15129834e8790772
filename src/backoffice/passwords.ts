/**
 * Passwords: scrypt hashes, one-time passwords, and what a new password must be (NIST SP 800-63B §5.1.1.2):
 * at least 12 characters, at most 200, not one character repeated, not the login, and not on the list of
 * common and breached passwords the project ships — the `passwords-common` dictionary of
 * `@zxcvbn-ts/language-common` (pinned in package.json; 49,233 passwords ranked by how often they appear
 * in leaked password sets), compared without regard to case.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';

/** scrypt's cost (N=2^15, r=8, p=1: 32 MiB of memory and about 0.1 s per hash on one core). */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** scrypt needs 128·N·r bytes; Node's default limit is exactly 32 MiB, so raise it. */
const maxmemFor = (n: number, r: number) => 128 * n * r * 2;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

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

let dummyHash: Promise<string> | undefined;
/**
 * Checks `password` against a hash of nothing anyone knows, at the same cost as a real one: spent on an
 * unknown login and on a throttled attempt, so that every answer takes as long as a wrong password's.
 */
export async function spendLikeAVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummyHash);
}

/** A one-time password: 18 random bytes, base64url (24 characters). */
export function oneTimePassword(): string {
  return randomBytes(18).toString('base64url');
}

let common: Set<string> | undefined;
/** Whether the password is on the shipped list of common and breached passwords (any case). */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}

/** Why a new password is refused, in Japanese and English; undefined when it is acceptable. */
export function newPasswordProblem(password: unknown, login: string): { ja: string; en: string } | undefined {
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD_LENGTH)
    return { ja: `${MIN_PASSWORD_LENGTH} 文字以上にしてください`, en: `at least ${MIN_PASSWORD_LENGTH} characters` };
  if ([...password].length > MAX_PASSWORD_LENGTH)
    return { ja: `${MAX_PASSWORD_LENGTH} 文字以内にしてください`, en: `at most ${MAX_PASSWORD_LENGTH} characters` };
  if (/^(.)\1*$/su.test(password)) return { ja: '同じ文字の繰り返しは使えません', en: 'one character repeated is not a password' };
  if (password.trim().toLowerCase() === login.toLowerCase()) return { ja: 'ログインIDと同じパスワードは使えません', en: 'must not be the login' };
  if (isCommonPassword(password))
    return {
      ja: 'よく使われる、または漏えいしたことのあるパスワードの一覧に載っています。別のパスワードにしてください',
      en: 'it is on the list of common and breached passwords; choose another',
    };
  return undefined;
}
