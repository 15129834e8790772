/**
 * The codec server behind the console's sign-in: in headless Chromium, a page
 * of the Web UI's origin (here a stand-in page on localhost:<port>, the same site as the console) decodes
 * payloads through POST /codec/decode only once its user has signed in to the console — the browser
 * sends the console's session cookie with the Web UI's "include cross-origin credentials" request, and
 * CORS lets only the Web UI's origin read the answer. Anonymous, it gets 401 and nothing decrypted.
 */
import { haveChromium, launchChromium } from './support';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { People } from '../../src/backoffice/people';
import { codecOf } from '../../src/infra/data-converter';
import { startE2e, type E2e } from '../e2e/harness';
import { testDataConverter } from '../helpers/temporal';

const PASSWORD = 'a long test password';

describe.skipIf(!haveChromium)('the codec behind the console’s sign-in (headless Chromium)', () => {
  let e2e: E2e;
  let server: ConsoleServer;
  let webUi: FastifyInstance;
  let otherSite: FastifyInstance;
  let webUiOrigin: string;
  let otherOrigin: string;
  let consoleOrigin: string;
  let browser: Browser;
  let encrypted: { metadata: Record<string, string>; data: string };

  beforeAll(async () => {
    e2e = await startE2e();
    // The Web UI's origin: a page on localhost, another port (the same site as the console, another origin).
    webUi = Fastify();
    webUi.get('/', async (_req, reply) => reply.type('text/html').send('<!doctype html><title>Web UI stand-in</title><p>ok</p>'));
    await webUi.listen({ host: '127.0.0.1', port: 0 });
    webUiOrigin = `http://localhost:${(webUi.server.address() as { port: number }).port}`;
    // Another origin the codec does not serve (no CSP there: what stops it is CORS alone).
    otherSite = Fastify();
    otherSite.get('/', async (_req, reply) => reply.type('text/html').send('<!doctype html><title>another page</title>'));
    await otherSite.listen({ host: '127.0.0.1', port: 0 });
    otherOrigin = `http://localhost:${(otherSite.server.address() as { port: number }).port}`;
    const codec = codecOf(testDataConverter);
    server = await startConsole({
      ledger: e2e.deps.ledger,
      client: e2e.env.client,
      settings: { ...e2e.settings, CONSOLE_SESSION_SECRET: 'codec-test-secret-'.padEnd(40, 'x') },
      port: 0,
      codec: { codec, namespace: 'default', allowedOrigins: [webUiOrigin] },
    });
    consoleOrigin = server.url.replace('127.0.0.1', 'localhost');
    const people = new People(e2e.deps.ledger.people);
    const { person, oneTimePassword } = await people.createPerson('viewer-codec', 'viewer', 'viewer');
    await people.changePassword(person.id, oneTimePassword, PASSWORD);
    const [p] = await codec.encode([
      { metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('{"plan":"premium","amount":84700}') },
    ]);
    encrypted = {
      metadata: Object.fromEntries(Object.entries(p!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p!.data!).toString('base64'),
    };
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await webUi?.close();
    await otherSite?.close();
    await e2e?.teardown();
  });

  /** What the Web UI does with "include cross-origin credentials": fetch /codec/decode with the cookies. */
  const decodeFromWebUi = (page: import('playwright-core').Page) =>
    page.evaluate(
      async ({ url, payload }) => {
        const r = await fetch(url, {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json', 'x-namespace': 'default' },
          body: JSON.stringify({ payloads: [payload] }),
        });
        return { status: r.status, body: await r.text() };
      },
      { url: `${consoleOrigin}/codec/decode`, payload: encrypted },
    );

  it('decodes nothing for a browser not signed in to the console', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(webUiOrigin);
    const r = await decodeFromWebUi(page);
    expect(r.status).toBe(401);
    expect(r.body).toContain('sign in to the back-office console');
    expect(r.body).not.toContain('premium');
    await context.close();
  });

  it('decodes for the same browser once its user has signed in (any role), and only for the Web UI’s origin', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${consoleOrigin}/sign-in`);
    await page.fill('input[name=login]', 'viewer-codec');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${consoleOrigin}/`), page.click('#sign-in button[type=submit]')]);
    await page.goto(webUiOrigin);
    const r = await decodeFromWebUi(page);
    expect(r.status).toBe(200);
    const out = JSON.parse(r.body) as { payloads: Array<{ data: string; metadata: Record<string, string> }> };
    expect(Buffer.from(out.payloads[0]!.data, 'base64').toString()).toBe('{"plan":"premium","amount":84700}');
    expect(Buffer.from(out.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    // Another origin's page in the same signed-in browser: the request may go out, its answer is not readable.
    const other = await context.newPage();
    await other.goto(otherOrigin);
    const blocked = await other.evaluate(async (url) => {
      try {
        const res = await fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{"payloads":[]}' });
        return `read ${res.status}`;
      } catch (err) {
        return `blocked: ${(err as Error).name}`;
      }
    }, `${consoleOrigin}/codec/decode`);
    expect(blocked).toMatch(/^blocked: TypeError/);
    await context.close();
  });
});
