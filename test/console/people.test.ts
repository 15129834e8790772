/** The console's people against the real ledger schema (PGlite in memory): hashes, sign-in, lock-out, one-time passwords. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInMemoryLedger, type Ledger } from '../../src/activities';
import { LOCK_MINUTES, People, PersonError, hashPassword, verifyPassword } from '../../src/backoffice/people';
import { Sessions } from '../../src/backoffice/sessions';

describe('people of the console', () => {
  let ledger: Ledger;
  let clock = new Date('2026-12-01T09:00:00Z');
  let people: People;
  beforeAll(async () => {
    ledger = await openInMemoryLedger();
    people = new People(ledger.people, () => clock);
  });
  afterAll(async () => ledger?.close());

  it('stores scrypt$N$r$p$salt$hash with a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterx', a)).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
  });

  it('creates a person with a one-time password that must be changed, and never answers the hash', async () => {
    const { person, oneTimePassword } = await people.createPerson('Tanaka', '田中 一郎', 'clerk');
    expect(person.login).toBe('tanaka');
    expect(person.id).toMatch(/^u-[0-9a-f-]{36}$/);
    expect(person.mustChangePassword).toBe(true);
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(20);
    expect(JSON.stringify(person)).not.toMatch(/scrypt|password_hash/);
    const row = await ledger.db.query<{ password_hash: string }>('SELECT password_hash FROM people WHERE id = $1', [person.id]);
    expect(row.rows[0]!.password_hash).not.toContain(oneTimePassword);
    const signedIn = await people.signIn('tanaka', oneTimePassword);
    expect(signedIn).toMatchObject({ ok: true, person: { mustChangePassword: true } });
    await expect(people.changePassword(person.id, oneTimePassword, 'short')).rejects.toThrow(/newPassword: at least 12/);
    await expect(people.changePassword(person.id, 'wrong', 'a long enough password')).rejects.toThrow(/currentPassword/);
    await people.changePassword(person.id, oneTimePassword, 'a long enough password');
    expect((await people.get(person.id))!.mustChangePassword).toBe(false);
    expect((await people.signIn('tanaka', oneTimePassword)).ok).toBe(false);
    expect((await people.signIn('tanaka', 'a long enough password')).ok).toBe(true);
    await expect(people.createPerson('tanaka', 'again', 'viewer')).rejects.toThrow(PersonError);
    await expect(people.createPerson('x', 'bad', 'viewer')).rejects.toThrow(/login/);
    await expect(people.createPerson('good', 'bad role', 'root' as never)).rejects.toThrow(/role/);
  });

  it('answers invalid for an unknown login or a wrong password, without saying which', async () => {
    expect(await people.signIn('nobody', 'whatever password')).toEqual({ ok: false, reason: 'invalid' });
    expect(await people.signIn('tanaka', 'not the password')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('locks out after 5 wrong passwords for 15 minutes: the right password is refused meanwhile, then works', async () => {
    const { person, oneTimePassword } = await people.createPerson('suzuki', '鈴木', 'supervisor');
    for (let i = 1; i <= 4; i++) expect(await people.signIn('suzuki', `wrong ${i}`)).toEqual({ ok: false, reason: 'invalid' });
    expect(await people.signIn('suzuki', 'wrong 5')).toMatchObject({ ok: false, reason: 'locked' });
    expect(await people.signIn('suzuki', oneTimePassword)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await people.signIn('suzuki', 'wrong 6')).toMatchObject({ ok: false, reason: 'locked' });
    clock = new Date(clock.getTime() + (LOCK_MINUTES + 1) * 60_000);
    expect((await people.signIn('suzuki', oneTimePassword)).ok).toBe(true);
    // An admin unlocks early.
    for (let i = 1; i <= 5; i++) await people.signIn('suzuki', `wrong ${i}`);
    expect((await people.signIn('suzuki', oneTimePassword)).ok).toBe(false);
    await people.unlock(person.id);
    expect((await people.signIn('suzuki', oneTimePassword)).ok).toBe(true);
  });

  it('sets a role, disables a person, lists everyone', async () => {
    const { person, oneTimePassword } = await people.createPerson('sato', '佐藤', 'viewer');
    await people.setRole(person.id, 'supervisor');
    expect((await people.get(person.id))!.role).toBe('supervisor');
    await people.setDisabled(person.id, true);
    expect(await people.signIn('sato', oneTimePassword)).toEqual({ ok: false, reason: 'disabled' });
    expect(await people.signIn('sato', 'wrong')).toEqual({ ok: false, reason: 'invalid' });
    expect((await people.list()).map((p) => p.login)).toEqual(['sato', 'suzuki', 'tanaka']);
  });
  it('a password change ends every other session of the person; an admin reset ends all of them', async () => {
    const { person, oneTimePassword } = await people.createPerson('Ogawa', '小川 花子', 'clerk');
    const { person: other } = await people.createPerson('Mori', '森 次郎', 'viewer');
    const sessions = new Sessions(ledger.people);
    const until = new Date('2099-01-01T00:00:00Z');
    const open = async (sid: string, personId: string) => sessions.save(sid, { personId, lang: 'ja' }, until);
    const alive = async () => (await ledger.db.query<{ sid: string }>('SELECT sid FROM console_sessions ORDER BY sid')).rows.map((r) => r.sid);
    await open('sato-here', person.id);
    await open('sato-attacker', person.id);
    await open('suzuki', other.id);
    await people.changePassword(person.id, oneTimePassword, 'a long new password', 'sato-here');
    expect(await alive()).toEqual(['sato-here', 'suzuki']);
    expect(await sessions.load('sato-attacker')).toBeNull();
    await open('sato-elsewhere', person.id);
    await people.resetPassword(person.id);
    expect(await alive()).toEqual(['suzuki']);
  });
});
