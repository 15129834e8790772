/**
 * People's changes and sign-ins in the ledger's audit trail (src/backoffice/people.ts), and the sign-in
 * throttle under concurrent guesses — on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set (there
 * the guesses really run on several connections at once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, Ledger } from '../../src/activities';
import { People } from '../../src/backoffice/people';
import type { Actor } from '../../src/domain/actor';
import { pgliteEngine, postgresEngine, TEST_DATABASE_URL } from '../activities/support';

const ADMIN: Actor = { id: 'u-00000000-0000-4000-8000-000000000001', role: 'admin', via: 'console' };

describe('people in the audit trail (PGlite)', { timeout: 180_000 }, () => {
  let ledger: Ledger;
  let dispose: () => Promise<void>;
  let people: People;
  beforeAll(async () => {
    ({ ledger, dispose } = await pgliteEngine.open());
    people = new People(ledger.people);
  });
  afterAll(async () => dispose?.());
  const trail = async () => (await ledger.audit.list({ limit: 1000 })).reverse();
  const row = (e: AuditEntry) => [e.actor.id, e.actor.role, e.actor.via, e.command, e.outcome, e.contractId];

  it('writes one decided row per change, as the admin who made it; sign-ins as the person (or anonymous), never a password', async () => {
    const before = (await trail()).length;
    const { person, oneTimePassword } = await people.createPerson('nakamura', '中村', 'clerk', ADMIN);
    await people.setRole(person.id, 'supervisor', ADMIN);
    await expect(people.setRole(person.id, 'root' as never, ADMIN)).rejects.toThrow(/role/);
    const reset = await people.resetPassword(person.id, ADMIN);
    const at = { address: '192.0.2.7' };
    expect((await people.signIn('nakamura', reset, at)).ok).toBe(true);
    await expect(people.changePassword(person.id, reset, 'aaaaaaaaaaaaaaaa')).rejects.toThrow(/repeated/);
    await people.changePassword(person.id, reset, '中村の新しく長いパスワード');
    await people.setDisabled(person.id, true, ADMIN);
    await people.setDisabled(person.id, false, ADMIN);
    await people.unlock(person.id, ADMIN);
    await people.linkOidc(person.id, 'https://idp.example.jp/', 'sub-nakamura', ADMIN);
    await people.unlinkOidc(person.id, ADMIN);
    expect(await people.signIn(' NAKAMURA ', 'Hunter2-guess!', at)).toEqual({ ok: false, reason: 'invalid' });
    expect(await people.signIn('=nobody', 'Hunter3-guess!', at)).toEqual({ ok: false, reason: 'invalid' });
    for (let i = 0; i < 4; i++) await people.signIn('nakamura', `wrong ${i}`, at);
    expect(await people.signIn('nakamura', '中村の新しく長いパスワード', at)).toEqual({ ok: false, reason: 'invalid' }); // throttled
    await people.signOut((await people.get(person.id))!, at);

    const rows = (await trail()).slice(before);
    const self = [person.id, 'supervisor', 'console'];
    expect(rows.map(row)).toEqual([
      [ADMIN.id, 'admin', 'console', 'createPerson', 'accepted', null],
      [ADMIN.id, 'admin', 'console', 'setRole', 'accepted', null],
      [ADMIN.id, 'admin', 'console', 'setRole', 'refused', null],
      [ADMIN.id, 'admin', 'console', 'resetPassword', 'accepted', null],
      [...self, 'signIn', 'accepted', null],
      [...self, 'changePassword', 'refused', null],
      [...self, 'changePassword', 'accepted', null],
      [ADMIN.id, 'admin', 'console', 'disablePerson', 'accepted', null],
      [ADMIN.id, 'admin', 'console', 'enablePerson', 'accepted', null],
      [ADMIN.id, 'admin', 'console', 'unlockPerson', 'accepted', null],
      [ADMIN.id, 'admin', 'console', 'linkOidc', 'accepted', null],
      [ADMIN.id, 'admin', 'console', 'unlinkOidc', 'accepted', null],
      [...self, 'signIn', 'refused', null],
      ['anonymous:192.0.2.7', 'system', 'console', 'signIn', 'refused', null],
      ...Array.from({ length: 4 }, () => [...self, 'signIn', 'refused', null]),
      [...self, 'signIn', 'refused', null],
      [...self, 'signOut', 'accepted', null],
    ]);
    expect(rows[0]!.details).toMatchObject({ login: 'nakamura', role: 'clerk' });
    expect(rows[1]!.details).toEqual({ personId: person.id, role: 'supervisor' });
    expect(rows[12]!.message).toBe('wrong password; login as typed: " NAKAMURA "');
    expect(rows[12]!.details).toEqual({ login: ' NAKAMURA ', address: '192.0.2.7' });
    expect(rows[13]!.message).toBe('unknown login; login as typed: "=nobody"');
    expect(rows[18]!.message).toMatch(/^throttled: too many failures in a row from this account; the password was not checked/);
    const text = JSON.stringify(rows);
    for (const secret of [oneTimePassword, reset, '中村の新しく長いパスワード', 'Hunter2-guess!', 'Hunter3-guess!', 'wrong 0', 'aaaaaaaaaaaaaaaa'])
      expect(text).not.toContain(secret);
  });
});

describe.each([
  ['PGlite', pgliteEngine, true],
  ['PostgreSQL', postgresEngine, Boolean(TEST_DATABASE_URL)],
] as const)('40 concurrent guesses at one account (%s)', (name, engine, available) => {
  it.skipIf(!available)(
    `admits 5 to a password check and throttles the other 35${available ? '' : ` (skipped: TEST_DATABASE_URL is not set for ${name})`}`,
    { timeout: 180_000 },
    async () => {
      const { ledger, dispose } = await engine.open();
      try {
        const people = new People(ledger.people);
        const { person, oneTimePassword } = await people.createPerson('target', '標的', 'admin');
        await people.changePassword(person.id, oneTimePassword, '管理者の長いパスワードです');
        const guesses = Array.from({ length: 40 }, (_, i) => `guess number ${i}`);
        const answers = await Promise.all(guesses.map((g, i) => people.signIn('target', g, { address: `198.51.100.${i}` })));
        expect(answers.filter((a) => a.ok)).toEqual([]);
        // Each admitted attempt is counted before its check, and only admitted ones are: 5 passwords checked, whatever the interleaving.
        expect((await people.get(person.id))!.failedLogins).toBe(5);
        const rows = (await ledger.audit.list({ actorId: person.id, limit: 100 })).filter((e) => e.command === 'signIn');
        expect(rows).toHaveLength(40);
        const checked = rows.filter((e) => /^wrong password/.test(e.message ?? ''));
        const throttled = rows.filter((e) => /^throttled/.test(e.message ?? ''));
        expect([checked.length, throttled.length]).toEqual([5, 35]);
      } finally {
        await dispose();
      }
    },
  );
});
