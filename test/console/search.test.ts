/**
 * Issue 30's defects in the search and the audit trail, in headless Chromium on the dev server with the real
 * worker: a contract id typed in another case opens the contract; a search by customer name ends on a GET
 * page (back and reload never send the form again) with the name kept out of the URL; the contract's audit
 * rows show Japan time with its zone and people by name; its notices by their Japanese names.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { People } from '../../src/backoffice/people';
import { jstDateOf } from '../../src/domain/calendar';
import { startE2e, type E2e } from '../e2e/harness';
import { CHROMIUM, PASSWORD, haveChromium, launchChromium, signIn } from './support';

describe.skipIf(!haveChromium)(`search and audit as a Japanese back office reads them (needs ${CHROMIUM})`, () => {
  let e2e: E2e;
  let browser: Browser;
  let page: Page;
  let clerkId: string;

  beforeAll(async () => {
    e2e = await startE2e();
    browser = await launchChromium();
    const people = new People(e2e.deps.ledger.people);
    const { person, oneTimePassword } = await people.createPerson('search-clerk', '検索 太郎', 'clerk');
    await people.changePassword(person.id, oneTimePassword, PASSWORD);
    clerkId = person.id;
    expect(
      (await e2e.cli(['apply', 'C-SRCH-1', '--name', '検索テスト株式会社', '--email', 'kensaku@example.co.jp', '--plan', 'entry', '--linux', '1'])).code,
    ).toBe(0);
    expect((await e2e.cli(['approve', 'C-SRCH-1', '--start-date', jstDateOf(Date.now())])).code).toBe(0);
    page = await signIn(browser, e2e.consoleUrl, 'search-clerk');
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await e2e?.teardown();
  });

  it('a contract id typed in lower case opens the contract as registered', async () => {
    await page.goto(`${e2e.consoleUrl}/search`);
    await page.fill('#by-id input[name=contract]', 'c-srch-1');
    await Promise.all([page.waitForURL(`${e2e.consoleUrl}/contracts/C-SRCH-1`), page.click('#by-id button[type=submit]')]);
    expect(await page.locator('h1').innerText()).toContain('C-SRCH-1');
  });

  it('a search by customer name ends on a GET page without the name in its address; reloading it sends no form', async () => {
    await page.goto(`${e2e.consoleUrl}/search`);
    await page.fill('#by-customer input[name=name]', 'てすと');
    await Promise.all([page.waitForURL(`${e2e.consoleUrl}/search?by=customer`), page.click('#by-customer button[type=submit]')]);
    expect(await page.locator('main').innerText()).toContain('C-SRCH-1');
    const methods: string[] = [];
    page.on('request', (r) => methods.push(r.method()));
    await page.reload();
    expect(methods).toEqual(['GET']);
    expect(decodeURIComponent(page.url())).not.toContain('てすと');
    expect(await page.locator('main').innerText()).toContain('C-SRCH-1');
  });

  it('the contract’s audit rows show Japan time with its zone, and the person by name, not by id', async () => {
    const pay = await e2e.cli(['pay', 'C-SRCH-1', '--amount', '1000'], await e2e.tokenFor('search-clerk', 'clerk'));
    expect(pay.code).toBe(0);
    await page.goto(`${e2e.consoleUrl}/contracts/C-SRCH-1`);
    const row = page.locator(`#audit tr.audit-row[data-actor="${clerkId}"]`).first();
    const text = await row.innerText();
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} JST/);
    expect(text).toContain('検索 太郎');
    expect(text).not.toContain(clerkId);
    // Notices by their Japanese names, not the program's keys.
    const notices = await page.locator('#notices').innerText();
    expect(notices).toContain('申込受付');
    expect(notices).toContain('承諾');
    expect(notices).not.toContain('applicationReceived');
  });
});
