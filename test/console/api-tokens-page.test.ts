/**
 * People › API tokens in Debian's headless Chromium: a clerk makes a token (shown once), the API answers it
 * as that clerk, the clerk revokes it and the API refuses it; another person's token is not the clerk's to
 * see or revoke; an admin sees everyone's. Skipped, saying why, without /usr/bin/chromium.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { People } from '../../src/backoffice/people';
import { personWithToken } from '../helpers/api-token';
import { startE2e, type E2e } from '../e2e/harness';
import { CHROMIUM, PASSWORD, haveChromium, launchChromium, signIn } from './support';

if (!haveChromium) console.warn(`api-tokens-page.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

describe.skipIf(!haveChromium)(`People › API tokens (needs ${CHROMIUM})`, () => {
  let e2e: E2e;
  let browser: Browser;
  const me = (token: string) => fetch(`${e2e.consoleUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    e2e = await startE2e();
    const people = new People(e2e.deps.ledger.people);
    for (const [login, role] of [
      ['tok-clerk', 'clerk'],
      ['tok-admin', 'admin'],
    ] as const) {
      const { person, oneTimePassword } = await people.createPerson(login, `${role} ${login}`, role);
      await people.changePassword(person.id, oneTimePassword, PASSWORD);
    }
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await e2e?.teardown();
  });

  it('a person makes a token, sees it once, uses it as themself, and revokes it', async () => {
    const other = await personWithToken(e2e.deps.ledger, 'tok-other', 'supervisor');
    const page = await signIn(browser, e2e.consoleUrl, 'tok-clerk');
    await page.click('header a[href="/people/tokens"]');
    await page.fill('#make-token input[name=label]', '自分の CLI');
    await page.fill('#make-token input[name=days]', '30');
    await page.click('#make-token button[type=submit]');
    const token = await page.locator('#new-token code.token').innerText();
    expect(token).toMatch(/^ntx_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const answer = await me(token);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ person: { login: 'tok-clerk', role: 'clerk' } });
    // Shown once: a reload shows the row, never the token again.
    await page.goto(`${e2e.consoleUrl}/people/tokens`);
    expect(await page.content()).not.toContain(token);
    const id = token.slice(4, 20);
    const row = page.locator(`tr[data-token="${id}"]`);
    expect(await row.innerText()).toContain('自分の CLI');
    // Another person's token is neither listed nor revocable by a clerk (404, as if it did not exist).
    expect(await page.locator(`tr[data-token="${other.tokenId}"]`).count()).toBe(0);
    const csrf = await page.locator('#make-token input[name=_csrf]').getAttribute('value');
    const forged = await page.request.post(`${e2e.consoleUrl}/people/tokens/${other.tokenId}/revoke`, { form: { _csrf: csrf! } });
    expect(forged.status()).toBe(404);
    expect((await me(other.token)).status).toBe(200);
    await row.locator('button[type=submit]').click();
    await page.waitForSelector(`tr[data-token="${id}"] >> text=失効`);
    expect((await me(token)).status).toBe(401);
    const trail = await e2e.deps.ledger.audit.list({});
    expect(trail.filter((e) => e.command.startsWith('api-token') && e.details.label === '自分の CLI').map((e) => e.outcome)).toEqual(['accepted']);
    expect(trail.find((e) => e.command === 'api-token revoke' && e.details.tokenId === id)).toMatchObject({ outcome: 'accepted', actor: { via: 'console' } });
    await page.context().close();
  });

  it("an admin sees everyone's tokens and may revoke any", async () => {
    const victim = await personWithToken(e2e.deps.ledger, 'tok-leaver', 'clerk');
    const page = await signIn(browser, e2e.consoleUrl, 'tok-admin');
    await page.goto(`${e2e.consoleUrl}/people/tokens`);
    const row = page.locator(`tr[data-token="${victim.tokenId}"]`);
    expect(await row.innerText()).toContain('tok-leaver');
    await row.locator('button[type=submit]').click();
    await page.waitForSelector(`tr[data-token="${victim.tokenId}"] >> text=失効`);
    expect((await me(victim.token)).status).toBe(401);
    await page.context().close();
  });
});
