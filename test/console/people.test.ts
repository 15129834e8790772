/** The console's people against the real ledger schema (PGlite in memory): hashes, sign-in, throttling, one-time passwords, new passwords, the audit rows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInMemoryLedger, type Ledger } from '../../src/activities';
import { People, PersonError, hashPassword, verifyPassword } from '../../src/backoffice/people';
import { Sessions } from '../../src/backoffice/sessions';

// Each sign-in spends one scrypt (≈0.1 s, more on a busy machine): the throttle's tests make dozens.
describe('people of the console', { timeout: 180_000 }, () => {
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

  it('throttles an account after 5 wrong passwords in a row for 1, 2, 4 … minutes (15 at most), whatever the password; a success or an admin resets it', async () => {
    const { person, oneTimePassword } = await people.createPerson('suzuki', '鈴木', 'supervisor');
    await people.changePassword(person.id, oneTimePassword, 'suzuki の長いパスワード');
    // A new address each time: the account's throttle alone (the address's has its own test).
    let n = 0;
    const at = () => ({ address: `192.0.2.${++n}` });
    const minutes = (m: number) => {
      clock = new Date(clock.getTime() + m * 60_000);
    };
    for (let i = 1; i <= 5; i++) expect(await people.signIn('suzuki', `wrong ${i}`, at())).toEqual({ ok: false, reason: 'invalid' });
    expect(await people.signIn('suzuki', 'suzuki の長いパスワード', at())).toEqual({ ok: false, reason: 'invalid' }); // throttled: not even checked
    minutes(1.01);
    expect(await people.signIn('suzuki', 'wrong 6', at())).toEqual({ ok: false, reason: 'invalid' }); // admitted, and now 2 minutes
    minutes(1.5);
    expect(await people.signIn('suzuki', 'suzuki の長いパスワード', at())).toEqual({ ok: false, reason: 'invalid' });
    minutes(0.6);
    for (const wait of [4, 8, 15, 15]) {
      expect(await people.signIn('suzuki', 'wrong again', at())).toEqual({ ok: false, reason: 'invalid' });
      minutes(wait - 0.1);
      expect(await people.signIn('suzuki', 'suzuki の長いパスワード', at())).toMatchObject({ ok: false }); // still waiting
      minutes(0.2);
    }
    expect((await people.get(person.id))!.failedLogins).toBe(10);
    expect(await people.signIn('suzuki', 'suzuki の長いパスワード', at())).toMatchObject({ ok: true });
    expect((await people.get(person.id))!).toMatchObject({ failedLogins: 0, lockedUntil: null });
    // An admin unlocks early.
    for (let i = 1; i <= 6; i++) await people.signIn('suzuki', `wrong ${i}`, at());
    expect((await people.signIn('suzuki', 'suzuki の長いパスワード', at())).ok).toBe(false);
    await people.unlock(person.id);
    expect((await people.signIn('suzuki', 'suzuki の長いパスワード', at())).ok).toBe(true);
  });

  it('throttles a client address after 10 failures in a row across logins; a browser the person signed in with before is exempt', async () => {
    const { person, oneTimePassword } = await people.createPerson('kato', '加藤', 'admin');
    await people.changePassword(person.id, oneTimePassword, 'kato の長いパスワード');
    const home = await people.signIn('kato', 'kato の長いパスワード', { address: '198.51.100.1' });
    if (!home.ok) throw new Error('kato cannot sign in');
    const stranger = { address: '203.0.113.66' };
    for (let i = 0; i < 10; i++) await people.signIn(`spray${i}`, 'Summer2026!', stranger);
    expect(await ledger.people.signIns.addressFailures(stranger.address)).toBe(10);
    // The right password from the stranger's address is not even checked; from kato's browser it is.
    expect(await people.signIn('kato', 'kato の長いパスワード', stranger)).toEqual({ ok: false, reason: 'invalid' });
    for (let i = 0; i < 20; i++) await people.signIn('kato', `guess ${i}`, { address: '203.0.113.67' });
    expect((await people.get(person.id))!.lockedUntil).not.toBeNull();
    const browser = { address: '203.0.113.66', knownBrowser: home.knownBrowser };
    expect(await people.signIn('kato', 'kato の長いパスワード', browser)).toMatchObject({ ok: true, knownBrowser: home.knownBrowser });
    // The browser's own limit: after 5 failures in a row it is trusted no more, and a stranger's throttle holds it too.
    for (let i = 0; i < 5; i++) await people.signIn('kato', `typo ${i}`, browser);
    for (let i = 0; i < 5; i++) await people.signIn('kato', `guess ${i}`, { address: '203.0.113.68' });
    expect(await people.signIn('kato', 'kato の長いパスワード', browser)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('a one-time password signs in once, and not at all 24 hours after it was made', async () => {
    const { person, oneTimePassword } = await people.createPerson('ito', '伊藤', 'viewer');
    const at = { address: '192.0.2.20' };
    expect(await people.signIn('ito', oneTimePassword, at)).toMatchObject({ ok: true, person: { mustChangePassword: true } });
    expect(await people.signIn('ito', oneTimePassword, at)).toEqual({ ok: false, reason: 'expired' });
    const fresh = await people.resetPassword(person.id);
    expect(await people.signIn('ito', oneTimePassword, at)).toEqual({ ok: false, reason: 'invalid' }); // the old one is gone
    clock = new Date(clock.getTime() + 24 * 3_600_000 - 60_000);
    const late = await people.resetPassword(person.id);
    clock = new Date(clock.getTime() + 24 * 3_600_000 + 60_000);
    expect(await people.signIn('ito', late, at)).toEqual({ ok: false, reason: 'expired' });
    expect(await people.signIn('ito', fresh, at)).toEqual({ ok: false, reason: 'invalid' });
    const inTime = await people.resetPassword(person.id);
    clock = new Date(clock.getTime() + 23 * 3_600_000);
    expect(await people.signIn('ito', inTime, at)).toMatchObject({ ok: true });
    // A password the person chose never expires.
    await people.changePassword(person.id, inTime, 'ito の新しいパスワード');
    clock = new Date(clock.getTime() + 400 * 86_400_000);
    expect(await people.signIn('ito', 'ito の新しいパスワード', at)).toMatchObject({ ok: true });
    expect(await people.signIn('ito', 'ito の新しいパスワード', at)).toMatchObject({ ok: true });
  });

  it('refuses a new password that is short, one character repeated, the login, or on the list of common and breached passwords', async () => {
    const { person, oneTimePassword } = await people.createPerson('watanabe123', '渡辺', 'clerk');
    const refused = async (next: string) => {
      const err = await people.changePassword(person.id, oneTimePassword, next).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PersonError);
      return err as PersonError;
    };
    expect((await refused('aaaaaaaaaaaa')).message).toBe('newPassword: one character repeated is not a password');
    expect((await refused('ああああああああああああああ')).ja).toContain('同じ文字の繰り返し');
    expect((await refused('Watanabe123')).message).toMatch(/newPassword: at least 12/);
    for (const common of ['passwordpassword', 'QWERTYUIOP123', '1q2w3e4r5t6y', '123456789qwe']) {
      const err = await refused(common);
      expect(err.message).toBe('newPassword: it is on the list of common and breached passwords; choose another');
      expect(err.ja).toContain('漏えい');
    }
    const asLogin = await people.createPerson('yamamoto-taro', '山本', 'clerk');
    await expect(people.changePassword(asLogin.person.id, asLogin.oneTimePassword, 'Yamamoto-Taro')).rejects.toThrow('newPassword: must not be the login');
    expect((await people.get(person.id))!.mustChangePassword).toBe(true); // nothing changed
    await people.changePassword(person.id, oneTimePassword, '渡辺さんのとても長い合言葉です');
  });

  it('sets a role, disables a person, lists everyone', async () => {
    const { person, oneTimePassword } = await people.createPerson('sato', '佐藤', 'viewer');
    await people.setRole(person.id, 'supervisor');
    expect((await people.get(person.id))!.role).toBe('supervisor');
    await people.setDisabled(person.id, true);
    expect(await people.signIn('sato', oneTimePassword)).toEqual({ ok: false, reason: 'disabled' });
    expect(await people.signIn('sato', 'wrong')).toEqual({ ok: false, reason: 'invalid' });
    expect((await people.list()).map((p) => p.login)).toEqual(['ito', 'kato', 'sato', 'suzuki', 'tanaka', 'watanabe123', 'yamamoto-taro']);
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
