/** What the console's browser tests share: Debian's Chromium, the screenshots' folder, signing a person in. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Ledger } from '../../src/activities';
import { People, type Person } from '../../src/backoffice/people';
import type { Role } from '../../src/domain/actor';
import { projectRoot } from '../../src/infra/binaries';

/** Debian's Chromium (CI: `apt-get install -y chromium`); without it the browser tests are skipped, saying why. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
export const SHOTS = join(projectRoot, 'test-results', 'screenshots');

/** Headless Chromium without the network chatter of a desktop browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const PASSWORD = 'a long test password';

/** A member of staff who can sign in with PASSWORD (their one-time password already changed): the person. */
export async function staffMember(ledger: Ledger, login: string, displayName: string, role: Role): Promise<Person> {
  const people = new People(ledger.people);
  const { person, oneTimePassword } = await people.createPerson(login, displayName, role);
  await people.changePassword(person.id, oneTimePassword, PASSWORD);
  return person;
}

/** A fresh browser context signed in as `login` (its one-time password already changed to PASSWORD). */
export async function signIn(browser: Browser, consoleUrl: string, login: string, contextOptions: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'ja-JP', ...contextOptions });
  const page = await context.newPage();
  await page.goto(`${consoleUrl}/sign-in`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${consoleUrl}/`), page.click('#sign-in button[type=submit]')]);
  return page;
}

/**
 * Every page of the console a supervisor opens, for one contract and its customer: the accessibility and the
 * translation scans read the same list, so a page added here is checked by both.
 */
export function consolePages(contractId: string, customerId: string, today: string): string[] {
  const contract = `/contracts/${encodeURIComponent(contractId)}`;
  return [
    '/',
    '/search',
    '/contracts',
    '/contracts/new',
    contract,
    `${contract}/cancel?endDate=${today.slice(0, 4)}-12-31`,
    `${contract}/confirm/terminate?kind=cause`,
    '/work',
    '/calendar',
    '/invoices',
    '/bank',
    '/bank/unmatched',
    '/receivables/aging',
    '/receivables/payments',
    `/customers/${customerId}`,
    '/billing-runs',
    '/provider-actions',
    '/people/tokens',
    '/password',
  ];
}
