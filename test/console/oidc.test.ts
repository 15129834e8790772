/**
 * Single sign-on to the console by OpenID Connect, in Debian's headless Chromium: a real OpenID provider
 * in this process (oidc-provider, its development login and consent pages) on http://localhost:<port>,
 * and the console on http://127.0.0.1:<port> — another site, so the browser leaves the SameSite=Strict
 * session cookie off the provider's redirect back, as with a real provider. The console runs on an
 * in-memory ledger with a Temporal client that lists no contracts (single sign-on never asks Temporal).
 * A screenshot of each page goes to test-results/screenshots/. Skipped, with the reason, without
 * /usr/bin/chromium (CI: `apt-get install -y chromium`).
 */
import { freePort } from '../helpers/ports';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import Provider from 'oidc-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInMemoryLedger, type Ledger } from '../../src/activities';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { oidcConfigOf } from '../../src/console/oidc';
import { People, type Person } from '../../src/backoffice/people';
import { loadSettings } from '../../src/settings';
import { CHROMIUM, PASSWORD, SHOTS, haveChromium, launchChromium, signIn } from './support';

if (!haveChromium) console.warn(`oidc.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);
const CLIENT_ID = 'neutrix-console';
const CLIENT_SECRET = 'the console client secret at the test provider';
const SESSION_SECRET = 'test-secret-'.padEnd(40, 'x');

describe('single sign-on settings', () => {
  it('wants OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together, and names what is missing', () => {
    expect(() => loadSettings({ OIDC_ISSUER: 'https://idp.example.jp' })).toThrow(/OIDC_CLIENT_ID: required when OIDC_ISSUER is set/);
    expect(() => loadSettings({ OIDC_ISSUER: 'https://idp.example.jp' })).toThrow(/OIDC_CLIENT_SECRET: required when OIDC_ISSUER is set/);
    expect(() => loadSettings({ OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y' })).toThrow(
      /OIDC_ISSUER: required when OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set/,
    );
    expect(() => loadSettings({ OIDC_REDIRECT_URI: 'https://console.example.jp/sign-in/oidc/callback' })).toThrow(
      /OIDC_ISSUER: required when OIDC_REDIRECT_URI is set/,
    );
    expect(() => loadSettings({ OIDC_ISSUER: 'http://idp.example.jp', OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y' })).toThrow(
      /OIDC_ISSUER: expected an https:\/\/ URL/,
    );
    expect(() =>
      loadSettings({
        OIDC_ISSUER: 'https://idp.example.jp',
        OIDC_CLIENT_ID: 'x',
        OIDC_CLIENT_SECRET: 'y',
        OIDC_REDIRECT_URI: 'https://console.example.jp/callback',
      }),
    ).toThrow(/OIDC_REDIRECT_URI: expected the console's callback/);
    // Settings made in code, not read from the environment, are checked all the same.
    expect(() => oidcConfigOf({ ...loadSettings({}), OIDC_ISSUER: 'https://idp.example.jp' })).toThrow(/OIDC_CLIENT_ID, OIDC_CLIENT_SECRET not set/);
  });

  it('is off when none is set; the redirect URI defaults to the console on 127.0.0.1:CONSOLE_PORT', () => {
    expect(oidcConfigOf(loadSettings({}))).toBeUndefined();
    const c = oidcConfigOf(loadSettings({ OIDC_ISSUER: 'https://idp.example.jp', OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y', CONSOLE_PORT: '3100' }));
    expect(c).toMatchObject({
      issuer: 'https://idp.example.jp/',
      redirectUri: new URL('http://127.0.0.1:3100/sign-in/oidc/callback'),
      startUrl: 'http://127.0.0.1:3100/sign-in/oidc',
    });
    const proxied = oidcConfigOf(
      loadSettings({
        OIDC_ISSUER: 'https://idp.example.jp',
        OIDC_CLIENT_ID: 'x',
        OIDC_CLIENT_SECRET: 'y',
        OIDC_REDIRECT_URI: 'https://console.example.jp/back/sign-in/oidc/callback',
      }),
    );
    expect(proxied?.startUrl).toBe('https://console.example.jp/back/sign-in/oidc');
  });
});

describe('people linked to a single sign-on identity', () => {
  let ledger: Ledger;
  let people: People;
  beforeAll(async () => {
    ledger = await openInMemoryLedger();
    people = new People(ledger.people);
  });
  afterAll(async () => ledger?.close());

  it('signs in only the enabled person linked to the issuer and subject; one person per identity; the password lock-out is left alone', async () => {
    const issuer = 'https://idp.example.jp/';
    const { person: a, oneTimePassword } = await people.createPerson('suzuki', '鈴木', 'clerk');
    const { person: b } = await people.createPerson('takahashi', '高橋', 'viewer');
    expect(await people.signInByOidc(issuer, 'sub-a')).toEqual({ ok: false, reason: 'unlinked' });
    await people.linkOidc(a.id, issuer, ' sub-a ');
    await expect(people.linkOidc(b.id, issuer, 'sub-a')).rejects.toThrow(/subject: already linked to suzuki/);
    await expect(people.linkOidc(b.id, issuer, 'x'.repeat(256))).rejects.toThrow(/subject: a subject is at most 255/);
    expect(await people.signInByOidc('https://other.example.jp/', 'sub-a')).toEqual({ ok: false, reason: 'unlinked' });
    for (let i = 0; i < 5; i++) await people.signIn('suzuki', 'a wrong password');
    const r = await people.signInByOidc(issuer, 'sub-a');
    expect(r).toMatchObject({ ok: true, person: { id: a.id, role: 'clerk', mustChangePassword: true, oidcSubject: 'sub-a', failedLogins: 5 } });
    expect((await people.signIn('suzuki', oneTimePassword)).ok).toBe(false); // the password stays locked
    await people.setDisabled(a.id, true);
    expect(await people.signInByOidc(issuer, 'sub-a')).toEqual({ ok: false, reason: 'disabled' });
    await people.unlinkOidc(a.id);
    expect((await people.get(a.id))!.oidcSubject).toBeNull();
    await people.linkOidc(b.id, issuer, 'sub-a'); // free again
  });
});

/** A free port on 127.0.0.1 (the console's redirect URI must be known before it starts). */

/** A Temporal client that lists no workflows: all the dashboard asks of it. */
const idleClient = { workflow: { list: async function* () {} } } as unknown as Client;

describe.skipIf(!haveChromium)(`single sign-on to the console in headless Chromium (needs ${CHROMIUM})`, () => {
  let ledger: Ledger;
  let people: People;
  let idpServer: Server;
  let issuer: string;
  /** The issuer as people are linked to it. */
  let linkedIssuer: string;
  let sso: ConsoleServer;
  let plain: ConsoleServer;
  let browser: Browser;
  const staff: Record<string, Person> = {};

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  /** A context that reaches only this machine (the provider's pages ask for a web font). */
  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ locale: 'ja-JP' });
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
    return context;
  }
  /** From the console's sign-in page through the provider's login and consent as `subject`, up to the console's answer. */
  async function throughProvider(page: Page, subject: string, onSignInPage?: (page: Page) => Promise<void>): Promise<void> {
    await page.goto(`${sso.url}/sign-in`);
    await onSignInPage?.(page);
    await Promise.all([page.waitForURL((u) => u.href.startsWith(issuer)), page.click('#sso')]);
    await page.fill('input[name=login]', subject);
    await page.fill('input[name=password]', 'any password: the development login takes any');
    await page.click('button[type=submit]');
    await page.waitForSelector('input[name=prompt][value=consent]', { state: 'attached' });
    await page.click('button[type=submit]');
  }
  /** The session row behind the context's cookie for the console, or undefined. */
  async function sessionOf(context: BrowserContext): Promise<{ sid: string; data: Record<string, unknown> | undefined } | undefined> {
    const cookie = (await context.cookies(sso.url)).find((c) => c.name === 'neutrix.sid');
    if (!cookie) return undefined;
    const signed = decodeURIComponent(cookie.value);
    const sid = signed.slice(0, signed.lastIndexOf('.'));
    const r = await ledger.db.query<{ data: unknown }>('SELECT data FROM console_sessions WHERE sid = $1', [sid]);
    const data = r.rows[0]?.data;
    return { sid, data: data === undefined ? undefined : ((typeof data === 'string' ? JSON.parse(data) : data) as Record<string, unknown>) };
  }
  async function person(login: string, role: Person['role'], opts: { password?: boolean; subject?: string } = {}): Promise<Person> {
    const { person: p, oneTimePassword } = await people.createPerson(login, `${role} ${login}`, role);
    if (opts.password !== false) await people.changePassword(p.id, oneTimePassword, PASSWORD);
    if (opts.subject) await people.linkOidc(p.id, linkedIssuer, opts.subject);
    staff[login] = p;
    return p;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ledger = await openInMemoryLedger();
    people = new People(ledger.people);
    // The provider: its issuer names its port, so listen first and hand the requests over once it exists.
    let handler: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | undefined;
    idpServer = createServer((req, res) => handler!(req, res));
    await new Promise<void>((ok) => idpServer.listen(0, '127.0.0.1', ok));
    issuer = `http://localhost:${(idpServer.address() as AddressInfo).port}`;
    const consolePort = await freePort();
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: [`http://127.0.0.1:${consolePort}/sign-in/oidc/callback`],
          response_types: ['code'],
          grant_types: ['authorization_code'],
        },
      ],
      // The development login signs in whatever login is typed: it becomes the subject.
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, email: `${sub}@idp.example.jp`, email_verified: true }) }),
      cookies: { keys: ['the test provider cookie key'] },
      features: { devInteractions: { enabled: true } },
    });
    handler = provider.callback();
    // As an operator sets it: from the environment, validated; the redirect URI is the default one.
    const settings = loadSettings({
      CONSOLE_PORT: String(consolePort),
      CONSOLE_SESSION_SECRET: SESSION_SECRET,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
    });
    linkedIssuer = oidcConfigOf(settings)!.issuer;
    sso = await startConsole({ ledger, client: idleClient, settings, port: consolePort });
    plain = await startConsole({ ledger, client: idleClient, settings: loadSettings({ CONSOLE_SESSION_SECRET: SESSION_SECRET }), port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sso?.close();
    await plain?.close();
    await new Promise((ok) => (idpServer ? idpServer.close(ok) : ok(undefined)));
    await ledger?.close();
  });

  it('an admin links a clerk to a subject on the People page; the clerk signs in by single sign-on, with a new session id, as a clerk', async () => {
    await person('sso-admin', 'admin');
    const clerk = await person('kato', 'clerk');
    const admin = await signIn(browser, sso.url, 'sso-admin');
    await admin.goto(`${sso.url}/people`);
    const row = admin.locator('tr[data-login=kato]');
    await row.locator('.sso-link input[name=subject]').fill('kato@corp');
    await row.locator('.sso-link button[type=submit]').click();
    await expect.poll(() => admin.locator('.msg.ok').innerText()).toContain('kato@corp');
    expect((await people.get(clerk.id))!.oidcSubject).toBe('kato@corp');
    await shot(admin, 'people-sso');
    await admin.context().close();

    const context = await newContext();
    const page = await context.newPage();
    let started: string | undefined;
    await throughProvider(page, 'kato@corp', async (p) => {
      expect(await p.locator('#sso').innerText()).toBe('シングルサインオン');
      await shot(p, 'sign-in-sso');
      started = (await sessionOf(context))!.sid; // the session the sign-in starts in
    });
    await page.waitForURL(`${sso.url}/`);
    expect(await page.locator('h1').innerText()).toBe('ダッシュボード');
    expect(await page.locator('header .who').innerText()).toContain('(kato, 事務担当者)');
    await shot(page, 'dashboard-sso');
    const now = (await sessionOf(context))!;
    expect(now.sid).not.toBe(started);
    expect(now.data).toMatchObject({ personId: clerk.id, signedInBy: 'oidc' });
    expect(now.data).not.toHaveProperty('oidc');
    expect((await ledger.db.query('SELECT 1 FROM console_sessions WHERE sid = $1', [started])).rows).toEqual([]);
    // The role is the console's: a clerk is not an admin, whoever the provider says they are.
    expect((await page.goto(`${sso.url}/people`))!.status()).toBe(403);
    await context.close();
  });

  it('a person whose one-time password is still to be changed signs in by single sign-on and reaches the dashboard (the password path still forces the change)', async () => {
    await person('newbie', 'viewer', { password: false, subject: 'newbie-sub' });
    const context = await newContext();
    const page = await context.newPage();
    // The English sign-in page says it in English.
    await throughProvider(page, 'newbie-sub', async (p) => {
      await p.goto(`${sso.url}/sign-in?lang=en`);
      expect(await p.locator('#sso').innerText()).toBe('Single sign-on');
    });
    await page.waitForURL(`${sso.url}/`);
    expect(await page.locator('header .who').innerText()).toContain('(newbie, viewer)');
    expect((await people.get(staff.newbie!.id))!.mustChangePassword).toBe(true);
    await context.close();
  });

  it('refuses an identity linked to nobody, and a disabled person: a clear message, and no one signed in', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await throughProvider(page, 'stranger');
    await page.waitForSelector('.msg.err');
    expect(await page.locator('.msg.err').innerText()).toContain('subject「stranger」) はコンソールの利用者に結び付けられていません');
    await shot(page, 'sign-in-sso-refused');
    expect((await sessionOf(context))?.data?.personId).toBeUndefined();
    await page.goto(`${sso.url}/`);
    expect(page.url()).toBe(`${sso.url}/sign-in`);

    await context.close();

    const gone = await person('gone', 'supervisor', { subject: 'gone-sub' });
    await people.setDisabled(gone.id, true);
    const other = await newContext(); // a new browser: the provider would remember "stranger"
    const page2 = await other.newPage();
    await throughProvider(page2, 'gone-sub');
    await page2.waitForSelector('.msg.err');
    expect(await page2.locator('.msg.err').innerText()).toContain('この利用者は無効にされています');
    expect((await sessionOf(other))?.data?.personId).toBeUndefined();
    await other.close();
  });

  it('refuses a callback whose state was tampered with or left out, and the code cannot be used again after', async () => {
    await person('sato', 'supervisor', { subject: 'sato-sub' });
    /**
     * Runs the flow and holds the callback: the URL the console would have been given. (Playwright does not
     * route a redirect's later hops, so this holds the console's own reload of it, which is a navigation.)
     */
    const callbackOf = async (page: Page): Promise<URL> => {
      let callback: string | undefined;
      await page.route(`${sso.url}/sign-in/oidc/callback**`, (route) => {
        callback ??= route.request().url();
        return route.fulfill({ status: 200, contentType: 'text/plain', body: 'held by the test' });
      });
      await throughProvider(page, 'sato-sub');
      await expect.poll(() => callback).toBeDefined();
      await expect.poll(() => page.content()).toContain('held by the test');
      await page.unrouteAll();
      return new URL(callback!);
    };
    const context = await newContext();
    const page = await context.newPage();

    const genuine = await callbackOf(page);
    expect(genuine.searchParams.get('state')).toBeTruthy();
    const tampered = new URL(genuine);
    tampered.searchParams.set('state', `${genuine.searchParams.get('state')}x`);
    expect((await page.goto(tampered.href))!.status()).toBe(401);
    expect(await page.locator('.msg.err').innerText()).toMatch(/シングルサインオンに失敗しました: .*state/);
    expect((await sessionOf(context))?.data?.personId).toBeUndefined();
    // The attempt used up the sign-in under way: the genuine answer is refused now too.
    expect((await page.goto(genuine.href))!.status()).toBe(400);
    expect(await page.locator('.msg.err').innerText()).toContain('進行中のシングルサインオンがありません');

    await page.goto(`${sso.url}/`);
    expect(page.url()).toBe(`${sso.url}/sign-in`);
    await context.close();

    const other = await newContext(); // a new browser: the provider would sign "sato-sub" in again without its pages
    const page2 = await other.newPage();
    const again = await callbackOf(page2);
    again.searchParams.delete('state');
    expect((await page2.goto(again.href))!.status()).toBe(401);
    expect(await page2.locator('.msg.err').innerText()).toMatch(/シングルサインオンに失敗しました: .*state/);
    await shot(page2, 'sign-in-sso-no-state');
    expect((await sessionOf(other))?.data?.personId).toBeUndefined();
    await page2.goto(`${sso.url}/`);
    expect(page2.url()).toBe(`${sso.url}/sign-in`);
    await other.close();
  });

  it('without OIDC settings: no single sign-on button, no route, no column on the People page', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${plain.url}/sign-in`);
    expect(await page.locator('#sign-in').count()).toBe(1);
    expect(await page.locator('#sso').count()).toBe(0);
    expect(await page.content()).not.toContain('シングルサインオン');
    // No such page: anonymous, the console sends you to sign in (as for any page); signed in, 404.
    await page.goto(`${plain.url}/sign-in/oidc`);
    expect(page.url()).toBe(`${plain.url}/sign-in`);
    await context.close();
    const admin = await signIn(browser, plain.url, 'sso-admin');
    expect((await admin.goto(`${plain.url}/sign-in/oidc`))!.status()).toBe(404);
    expect((await admin.goto(`${plain.url}/sign-in/oidc/callback?code=x&state=y`))!.status()).toBe(404);
    await admin.goto(`${plain.url}/people`);
    expect(await admin.locator('h1').innerText()).toBe('利用者');
    expect(await admin.locator('.sso-link').count()).toBe(0);
    await admin.context().close();
  });
});
