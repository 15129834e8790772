/**
 * The Temporal Web UI, as ops use it: through the console's door for it (its session, its Host check), in
 * Debian's headless Chromium (playwright-core, no downloaded browser): filter the workflows by
 * ContractStatus="active", open the contract, read the details the contract workflow keeps current
 * (setCurrentDetails), and a contract's input — all of it encrypted in the history, decrypted for the UI by
 * the console's /codec on the UI's own origin, each decode audited. Without a session it goes to sign-in; with
 * another Host it answers 421; a terminate through it is refused and the contract runs on. Skipped, with the
 * reason, without /usr/bin/chromium (CI: `apt-get install -y chromium`).
 */
import { freePort } from '../helpers/ports';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { Client } from '@temporalio/client';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jstDateOf } from '../../src/domain/calendar';
import { minimumTermEnd } from '../../src/domain/lifecycle';
import { People } from '../../src/backoffice/people';
import { eventually, startE2e, type E2e } from './harness';

/** Debian's chromium; CHROMIUM_PATH points elsewhere (another distribution's build). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`web-ui.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

/** The text of the UI's rendered-markdown frame (summary, details, current details) that contains `marker`. */
async function renderedFrame(page: Page, marker: string, ms = 30_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    for (const f of page.frames()) {
      if (!f.url().includes('/render')) continue;
      const text = await f
        .locator('body')
        .innerText({ timeout: 1_000 })
        .catch(() => '');
      if (text.includes(marker)) return text;
    }
    if (Date.now() > until)
      throw new Error(
        `no rendered frame with "${marker}" (frames: ${page
          .frames()
          .map((f) => f.url())
          .join(', ')})`,
      );
    await page.waitForTimeout(250);
  }
}

describe.skipIf(!haveChromium)(`the Temporal Web UI in headless Chromium (needs ${CHROMIUM})`, () => {
  let e2e: E2e;
  let uiPort: number;
  let browser: Browser | undefined;
  let context: BrowserContext;
  /** The Web UI as the console's door serves it, on localhost (the console's site: its session cookie goes along). */
  let ui: string;
  let consolePort: number;
  let cookie: string;

  beforeAll(async () => {
    uiPort = await freePort();
    e2e = await startE2e({ ui: { port: uiPort } });
    cookie = await e2e.codecSession(); // starts the console, with the Web UI behind it
    const origin = new URL(e2e.codecEndpoint);
    consolePort = Number(origin.port);
    ui = `http://localhost:${uiPort}`;
  });

  /** A raw request to the Web UI's door with the Host header of our choosing (what a DNS-rebinding page sends). */
  const send = (method: string, path: string, host: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: uiPort, method, path, headers: { host, ...headers }, setHost: false }, (res) => {
        let body = '';
        res.on('data', (b: Buffer) => (body += b.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, body }));
      });
      req.on('error', reject);
      req.end(method === 'POST' ? '{"reason":"rebinding"}' : undefined);
    });
  afterAll(async () => {
    await browser?.close();
    await e2e?.teardown();
  });

  it('sends a browser without a session to sign-in, and answers another Host 421 (a terminate through it included)', async () => {
    const own = `localhost:${uiPort}`;
    const anonymous = await send('GET', '/namespaces/default/workflows', own);
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe(`http://localhost:${consolePort}/sign-in`);
    expect((await send('GET', '/namespaces/default/workflows', own, { cookie })).status).toBe(200);
    for (const host of ['rebind.evil.example', `rebind.evil.example:${uiPort}`])
      for (const [method, path] of [
        ['GET', '/namespaces/default/workflows'],
        ['GET', '/api/v1/namespaces/default/workflows'],
        ['POST', '/api/v1/namespaces/default/workflows/C-ANY/terminate'],
      ] as const) {
        const r = await send(method, path, host, { cookie, 'content-type': 'application/json' });
        expect(r.status, `${method} ${path} Host: ${host}`).toBe(421);
      }
  });

  it('finds the active contract by filtering ContractStatus="active" and shows its current details', async () => {
    const today = jstDateOf(Date.now());
    const common = ['--email', 'ops-test@example.co.jp', '--plan', 'standard', '--linux', '2'];
    expect((await e2e.cli(['apply', 'C-WEB-1', '--name', '株式会社ウェブ', ...common])).code).toBe(0);
    expect((await e2e.cli(['approve', 'C-WEB-1', '--start-date', today])).code).toBe(0);
    expect((await e2e.cli(['apply', 'C-WEB-2', '--name', '株式会社ペンディング', ...common])).code).toBe(0); // stays pending
    await eventually(
      async () => (await e2e.env.client.workflow.count('ContractStatus = "active"')).count,
      (n) => n === 1,
    );

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // Signed in to the console: the UI and its codec are on the console's origin, nothing to configure.
    context = await browser.newContext();
    await context.addCookies(
      cookie.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name: name!, value: value.join('='), domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Strict' as const };
      }),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent('ContractStatus="active"')}`);
    const link = page.getByRole('link', { name: 'C-WEB-1', exact: true });
    await link.first().waitFor();
    expect(await page.getByText('ContractStatus = "active"').count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'C-WEB-2', exact: true }).count()).toBe(0); // pending: filtered out

    await link.first().click();
    await page.getByText('User Metadata').first().click();
    const current = await renderedFrame(page, 'C-WEB-1 — active');
    expect(current).toMatch(/plan standard, 2 component\(s\); fixed monthly fee 38,000( yen|円)/);
    expect(current).toContain(`start ${today} · minimum term ends ${minimumTermEnd(today)}`);
    const summary = await renderedFrame(page, 'Contract C-WEB-1: standard, 2 component(s)');
    // What the UI shows without opening payloads carries no personal data.
    for (const text of [current, summary]) expect(text).not.toMatch(/株式会社|example\.co\.jp/);
  });

  it('shows a contract’s input decrypted through the console’s codec (the history itself holds it encrypted)', async () => {
    const raw = new Client({ connection: e2e.env.connection }); // no codec: what the server stores
    const started = (await raw.workflow.getHandle('C-WEB-1').fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
    const stored = started.input!.payloads![0]!;
    expect(Buffer.from(stored.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(stored.data!).toString('utf8')).not.toContain('standard');
    const { customerId } = (await e2e.deps.ledger.customers.ofContract('C-WEB-1'))!;

    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${ui}/namespaces/default/workflows/C-WEB-1`);
    await page.getByText(customerId).first().waitFor();
    const body = await page.locator('body').innerText();
    expect(body).toContain('"contractId": "C-WEB-1"');
    expect(body).toContain('"plan": "standard"');
    expect(body).not.toContain('binary/encrypted');
    // Decrypted, the input still names the customer by id only: the details are in the ledger.
    expect(body).not.toMatch(/株式会社ウェブ|ops-test@example\.co\.jp/);
  });

  it('audits each decode the Web UI asks for: the signed-in person and the contract whose page it shows', async () => {
    const person = (await new People(e2e.deps.ledger.people).byLogin('codec-e2e'))!;
    const rows = (await e2e.deps.ledger.audit.every({ contractId: 'C-WEB-1' })).filter((r) => r.command === 'codecDecode');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.actor).toEqual({ id: person.id, role: 'viewer', via: 'console' });
      expect(r.outcome).toBe('accepted');
      expect(r.details).toMatchObject({ namespace: 'default', payloads: expect.any(Number) });
      expect(String(r.details.page)).toMatch(/^\/namespaces\/default\/workflows\/C-WEB-1(\/|$)/);
    }
  });

  it('refuses a terminate sent from the Web UI’s own page (its CSRF header and the session along): the contract runs on', async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${ui}/namespaces/default/workflows/C-WEB-1`);
    await page.getByText('C-WEB-1').first().waitFor();
    const answer = await page.evaluate(async () => {
      const csrf = /(?:^|; )_csrf=([^;]+)/.exec((globalThis as unknown as { document: { cookie: string } }).document.cookie)?.[1] ?? '';
      const r = await fetch('/api/v1/namespaces/default/workflows/C-WEB-1/terminate', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ reason: 'from the Web UI' }),
      });
      return { status: r.status, body: await r.text(), csrf };
    });
    expect(answer.csrf).not.toBe(''); // the UI's own CSRF token was there to send
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('read-only');
    const { status } = await e2e.env.client.workflow.getHandle('C-WEB-1').describe();
    expect(status.name).toBe('RUNNING');
  });
});
