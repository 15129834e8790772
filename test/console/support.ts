/** What the console's browser tests share: signing a person in through the sign-in page. */
import type { Browser, Page } from 'playwright-core';

export const PASSWORD = 'a long test password';

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
