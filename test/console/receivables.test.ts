/**
 * Receivables and the customer's page in Debian's headless Chromium, on the console with a PGlite ledger
 * filled through its stores (these pages reach no contract, so no Temporal server runs): the aging report
 * and its CSV tied out to the ledger, the payments with their source, the customer's page and its forms —
 * which change the data and write an audit row with the person — a viewer who cannot change, and bad input
 * refused naming the field. Screenshots go to test-results/screenshots/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInMemoryLedger, type Ledger } from '../../src/activities';
import { yenText } from '../../src/activities/mail/format';
import { People } from '../../src/backoffice/people';
import { agingAsOf } from '../../src/backoffice/receivables';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { loadSettings } from '../../src/settings';
import { fillReceivables, type Filled } from '../helpers/receivables';
import { CHROMIUM, PASSWORD, SHOTS, haveChromium, launchChromium, signIn } from './support';

if (!haveChromium) console.warn(`receivables.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

describe.skipIf(!haveChromium)(`receivables and the customer's page in headless Chromium (needs ${CHROMIUM})`, { timeout: 120_000 }, () => {
  let ledger: Ledger;
  let server: ConsoleServer;
  let browser: Browser;
  let dataDir: string;
  let f: Filled;
  const staff: Record<string, string> = {};
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const signedIn = (login: string) => signIn(browser, server.url, login, { acceptDownloads: true });
  async function download(page: Page, selector: string): Promise<{ name: string; text: string }> {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
  }
  const rows = (text: string) => parse(text, { bom: true }) as string[][];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'receivables-test-'));
    ledger = await openInMemoryLedger();
    f = await fillReceivables(ledger);
    const people = new People(ledger.people);
    for (const [login, role] of [
      ['clerk1', 'clerk'],
      ['viewer1', 'viewer'],
    ] as const) {
      const { person, oneTimePassword } = await people.createPerson(login, `${role} ${login}`, role);
      await people.changePassword(person.id, oneTimePassword, PASSWORD);
      staff[login] = person.id;
    }
    server = await startConsole({
      ledger,
      client: {} as never, // these pages send no command to a contract
      settings: loadSettings({ DATA_DIR: dataDir, CONSOLE_SESSION_SECRET: 'test-secret-'.padEnd(40, 'x') }),
      port: 0,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await ledger?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the aging as of a day per customer and in total; its CSV sums to the ledger to the yen; a bad day is a 400 naming asOf', async () => {
    const page = await signedIn('viewer1');
    await page.click('header a[href="/receivables/aging"]'); // from the navigation
    expect(new URL(page.url()).pathname).toBe('/receivables/aging');
    await page.goto(`${server.url}/receivables/aging?asOf=2026-11-15`);
    await shot(page, 'receivables-aging');
    const report = await agingAsOf(ledger, '2026-11-15');
    expect(await page.locator('#aging-grand-total').innerText()).toBe(yenText(372_500));
    const a = await page.locator(`tr.aging-row[data-customer="${f.customerA}"]`).innerText();
    expect(a).toContain('株式会社エー');
    expect(a).toContain('C-R1');
    expect(a).toContain('C-R2');
    expect(a).toContain(yenText(287_800));
    expect(await page.locator('tr.aging-invoice').count()).toBe(5);
    expect(await page.locator(`tr.aging-row[data-customer="${f.customerA}"] a[href="/customers/${f.customerA}"]`).count()).toBe(1);

    const csv = await download(page, '#aging-csv');
    expect(csv.name).toBe('aging-2026-11-15.csv');
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const [header, ...lines] = rows(csv.text);
    expect(header![10]).toContain('owed');
    expect(lines.reduce((s, r) => s + Number(r[10]), 0)).toBe(report.total);
    for (const col of [11, 12, 13, 14, 15]) expect(lines.reduce((s, r) => s + Number(r[col]), 0)).toBe(Object.values(report.buckets)[col - 11]);

    const bad = await page.goto(`${server.url}/receivables/aging?asOf=${encodeURIComponent('2026/12/08')}`);
    expect(bad!.status()).toBe(400);
    expect(await page.locator('.msg.err').innerText()).toContain('基準日 (asOf)');
    const badCsv = await page.request.get(`${server.url}/receivables/aging.csv?asOf=2026-13-01`);
    expect(badCsv.status()).toBe(400);
    expect(await badCsv.text()).toContain('(asOf)');
    await page.context().close();
  });

  it('lists the payments of a range with their source and a CSV; a reversed one is marked and not counted; bad days are 400 naming the field', async () => {
    const page = await signedIn('viewer1');
    await page.goto(`${server.url}/receivables/payments?from=2026-09-01&to=2026-11-30`);
    await shot(page, 'receivables-payments');
    expect(await page.locator('tr.payment-row').count()).toBe(3);
    expect(await page.locator('tr.payment-row[data-payment="C-R3:bank:0005-123-1234567-00000042-2026-11-20-50000"] .source').innerText()).toContain(
      'BF-aging-1 #2',
    );
    // Keyed by a person, by name (the helper's clerk is 売掛 花子).
    expect(await page.locator('tr.payment-row[data-payment="C-R1:pay-0002"] .source').innerText()).toContain('売掛 花子');
    expect(await page.locator('tr.payment-row[data-payment="C-R1:pay-0003"]').innerText()).toContain('2026-10-05');
    expect(await page.locator('#payments-total').innerText()).toBe(yenText(90_000));
    const csv = await download(page, '#payments-csv');
    const [, ...lines] = rows(csv.text);
    expect(lines.map((r) => [r[0], r[1], r[4], r[5], r[7]])).toEqual([
      ['2026-09-10', 'C-R1', '40000', '', 'person'],
      ['2026-09-25', 'C-R1', '84700', '2026-10-05', 'person'],
      ['2026-11-20', 'C-R3', '50000', '', 'bank'],
    ]);
    const bad = await page.goto(`${server.url}/receivables/payments?from=2026-09-01&to=2026-08-01`);
    expect(bad!.status()).toBe(400);
    expect(await page.locator('.msg.err').innerText()).toContain('(to)');
    expect((await page.goto(`${server.url}/receivables/payments?from=yesterday&to=2026-08-01`))!.status()).toBe(400);
    expect(await page.locator('.msg.err').innerText()).toContain('開始日 (from)');
    await page.context().close();
  });

  it("a viewer reads the customer's page but has no forms, and a forged change is refused (403) and changes nothing", async () => {
    const page = await signedIn('viewer1');
    await page.goto(`${server.url}/customers/${f.customerA}`);
    await shot(page, 'customer-viewer');
    expect(await page.locator('h1').innerText()).toContain('株式会社エー');
    expect(await page.locator('#contracts a[href="/contracts/C-R1"]').count()).toBe(1);
    expect(await page.locator('#contracts a[href="/contracts/C-R2"]').count()).toBe(1);
    expect(await page.locator('tr.open-invoice').count()).toBe(4);
    expect(await page.locator('#balance').innerText()).toBe(yenText(287_800));
    expect(await page.locator('form#add-payer-name').count()).toBe(0);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const forged = await page.request.post(`${server.url}/customers/${f.customerA}/payer-code`, { form: { _csrf: csrf, payerCode: '1234567890' } });
    expect(forged.status()).toBe(403);
    expect((await ledger.payers.profile(f.customerA))!.payerCode).toBeNull();
    expect((await page.goto(`${server.url}/customers/cus-nobody`))!.status()).toBe(404);
    expect((await page.goto(`${server.url}/customers/${encodeURIComponent('<bad id>')}`))!.status()).toBe(400);
    await page.context().close();
  });

  it('a clerk adds a payer name and sets and clears the payer code and virtual account; each is audited with the person; a refused value names the field and changes nothing', async () => {
    const page = await signedIn('clerk1');
    await page.goto(`${server.url}/customers/${f.customerA}`);
    await page.fill('#add-payer-name input[name=name]', 'ｶ)ｴｰ');
    await Promise.all([page.waitForURL(`${server.url}/customers/${f.customerA}`), page.click('#add-payer-name button[type=submit]')]);
    expect(await page.locator('.msg.ok').innerText()).toContain('振込依頼人名を追加しました');
    expect(await page.locator('#payer-names').innerText()).toContain('ｶ)ｴｰ');

    await page.fill('#set-payer-code input[name=payerCode]', '1234567890');
    await Promise.all([page.waitForURL(`${server.url}/customers/${f.customerA}`), page.click('#set-payer-code button[type=submit]:not([name])')]);
    expect(await page.locator('#payer-code').innerText()).toBe('1234567890');
    await page.fill('#set-virtual-account input[name=virtualAccount]', '3654321');
    await Promise.all([page.waitForURL(`${server.url}/customers/${f.customerA}`), page.click('#set-virtual-account button[type=submit]:not([name])')]);
    expect(await page.locator('#virtual-account').innerText()).toBe('3654321');
    await shot(page, 'customer-clerk');

    // Customer B may not take A's payer code: refused by the ledger's uniqueness, named, nothing changed.
    await page.goto(`${server.url}/customers/${f.customerB}`);
    await page.fill('#set-payer-code input[name=payerCode]', '1234567890');
    await Promise.all([page.waitForURL(`${server.url}/customers/${f.customerB}`), page.click('#set-payer-code button[type=submit]:not([name])')]);
    expect(await page.locator('.msg.err').innerText()).toMatch(/payerCode: .*another customer/);
    expect((await ledger.payers.profile(f.customerB))!.payerCode).toBeNull();
    // A malformed value is refused before the ledger (the browser's pattern bypassed, as a script would).
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const refused = await page.request.post(`${server.url}/customers/${f.customerB}/virtual-account`, {
      form: { _csrf: csrf, virtualAccount: '12ab' },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(303);
    await page.goto(`${server.url}/customers/${f.customerB}`);
    // In the reader's language (Japanese), the field named by its label and its key.
    expect(await page.locator('.msg.err').innerText()).toContain('バーチャル口座 (virtualAccount): バーチャル口座番号は7桁の数字です');
    expect((await ledger.payers.profile(f.customerB))!.virtualAccount).toBeNull();

    // Cleared with the form's second button.
    await page.goto(`${server.url}/customers/${f.customerA}`);
    await Promise.all([page.waitForURL(`${server.url}/customers/${f.customerA}`), page.click('#set-payer-code button[name=clear]')]);
    expect(await page.locator('#payer-code').innerText()).toBe('–');

    const trail = (await ledger.audit.list({ actorId: staff.clerk1! })).filter((e) => e.details.customerId !== undefined).reverse();
    expect(trail.map((e) => [e.command, e.outcome, e.actor.via, e.details.customerId])).toEqual([
      ['addPayerName', 'accepted', 'console', f.customerA],
      ['setPayerCode', 'accepted', 'console', f.customerA],
      ['setVirtualAccount', 'accepted', 'console', f.customerA],
      ['setPayerCode', 'refused', 'console', f.customerB],
      ['setPayerCode', 'accepted', 'console', f.customerA],
    ]);
    expect(trail[3]!.message).toContain('another customer');
    expect((await ledger.payers.profile(f.customerA))!.payerNames.map((n) => [n.name, n.addedBy])).toEqual([['ｶ)ｴｰ', staff.clerk1]]);
    await page.context().close();
  });
});
