/**
 * The Temporal Web UI, as ops use it, in Debian's headless Chromium (playwright-core, no downloaded
 * browser): filter the workflows by ContractStatus="active", open the contract, read the details the
 * contract workflow keeps current (setCurrentDetails), and a contract's input — all of it encrypted in the
 * history, decrypted for the UI by the console's /codec (`--ui-codec-endpoint`), which answers only a browser
 * signed in to the console. Skipped, with the reason, without /usr/bin/chromium (CI: `apt-get install -y chromium`).
 */
import { freePort } from '../helpers/ports';
import { existsSync } from 'node:fs';
import { Client } from '@temporalio/client';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jstDateOf } from '../../src/domain/calendar';
import { minimumTermEnd } from '../../src/domain/lifecycle';
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
  /** The Web UI on localhost, the console's site, so the browser sends the console's session cookie. */
  let ui: string;

  beforeAll(async () => {
    uiPort = await freePort();
    e2e = await startE2e({ ui: { port: uiPort } });
  });
  afterAll(async () => {
    await browser?.close();
    await e2e?.teardown();
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
    // Signed in to the console, with the UI's codec setting "Include cross-origin credentials" ticked (README, Encryption).
    context = await browser.newContext();
    const [name, ...value] = (await e2e.codecSession()).split('=');
    await context.addCookies([{ name: name!, value: value.join('='), domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Strict' }]);
    const setting = { endpoint: e2e.codecEndpoint, overrideRemoteCodecConfiguration: true, includeCredentials: true };
    await context.addInitScript({
      content: Object.entries(setting)
        .map(([k, v]) => `localStorage.setItem(${JSON.stringify(k)}, ${JSON.stringify(JSON.stringify(v))});`)
        .join('\n'),
    });
    ui = `http://localhost:${uiPort}`;
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
});
