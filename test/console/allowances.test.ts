/**
 * D-19 in the console, in Debian's headless Chromium on the dev server with the real worker: a clerk
 * records incident responses and ops work on a Standard contract (3 incidents and 0 ops hours included a
 * month); the table shows each month beside what is included, the excess flagged and not billed; a
 * refusal shows the decider's message and changes nothing; a viewer sees the table without the forms;
 * the dashboard lists the contract by AllowanceExceeded; every attempt is one audit row.
 * Screenshots go to test-results/screenshots/. Skipped, saying why, without /usr/bin/chromium.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { People } from '../../src/backoffice/people';
import { addDays, jstDateOf, monthOf } from '../../src/domain/calendar';
import { stateQuery } from '../../src/workflows/contract/messages';
import { AllowanceExceededKey } from '../../src/workflows/search-attributes';
import { eventually, startE2e, type E2e } from '../e2e/harness';
import { CHROMIUM, PASSWORD, SHOTS, haveChromium, launchChromium, signIn } from './support';

if (!haveChromium) console.warn(`allowances.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

describe.skipIf(!haveChromium)(`allowances (別表2, D-19) in the console, in headless Chromium (needs ${CHROMIUM})`, () => {
  const id = 'C-ALW-STD';
  const today = jstDateOf(Date.now());
  const month = monthOf(today);
  let e2e: E2e;
  let server: ConsoleServer;
  let browser: Browser;

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const stateOf = () => e2e.env.client.workflow.getHandle(id).query(stateQuery);
  const auditOf = () => e2e.deps.ledger.audit.list({ contractId: id });
  const row = (page: Page) => page.locator(`#allowances tr.allowance[data-month="${month}"]`);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e();
    const people = new People(e2e.deps.ledger.people);
    for (const [login, role] of [
      ['clerk-a', 'clerk'],
      ['viewer-a', 'viewer'],
    ] as const) {
      const { person, oneTimePassword } = await people.createPerson(login, `${role} ${login}`, role);
      await people.changePassword(person.id, oneTimePassword, PASSWORD);
    }
    server = await startConsole({
      ledger: e2e.deps.ledger,
      client: e2e.env.client,
      settings: { ...e2e.settings, CONSOLE_SESSION_SECRET: 'test-secret-'.padEnd(40, 'x') },
      port: 0,
    });
    browser = await launchChromium();
    expect((await e2e.cli(['apply', id, '--name', '障害対応株式会社', '--email', 'ops@example.co.jp', '--plan', 'standard', '--linux', '1'])).code).toBe(0);
    expect((await e2e.cli(['approve', id, '--start-date', today])).code).toBe(0);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await e2e?.teardown();
  });

  it('a clerk records 4 incident responses in one month: the table shows 4 / 3 and flags 1 over, not billed', async () => {
    const page = await signIn(browser, server.url, 'clerk-a');
    await page.goto(`${server.url}/contracts/${id}`);
    expect(await page.locator('#allowances').innerText()).toContain('記録なし');
    for (const [i, minute] of ['10', '20', '30', '40'].entries()) {
      // datetime-local, Japan time: sent as the exact instant `${today}T00:${minute}:00+09:00`.
      await page.fill('#record-incident input[name=at]', `${today}T00:${minute}`);
      await Promise.all([page.waitForURL(`${server.url}/contracts/${id}`), page.click('#record-incident button[type=submit]')]);
      expect(await page.locator('.msg.ok').innerText()).toContain(`障害対応の記録: ${month}: 障害対応 ${i + 1}回 (プラン内 3回)`);
    }
    expect((await row(page).locator('td').allInnerTexts()).slice(0, 3)).toEqual([month, '4 / 3', '0 / 0']);
    expect(await row(page).getAttribute('data-exceeded')).toBe('true');
    expect(await row(page).locator('td.excess').innerText()).toContain('超過: 障害対応 1 件');
    await shot(page, 'allowances-exceeded');

    const v = await stateOf();
    expect(v.allowances).toEqual([
      {
        month,
        incidents: 4,
        incidentsIncluded: 3,
        incidentsExcess: 1,
        opsHours: 0,
        opsHoursIncluded: 0,
        opsHoursExcess: 0,
        exceeded: true,
        rule: '別表2 D-19',
      },
    ]);
    // Flagged, never billed by itself: nothing waits for the next invoice.
    expect(v.pendingLines).toEqual([]);
    await page.context().close();
  });

  it('ops work: 1.5 hours on a day is recorded (0 included on Standard); 0.3 hours is refused at the edge naming hours, nothing sent', async () => {
    const page = await signIn(browser, server.url, 'clerk-a');
    await page.goto(`${server.url}/contracts/${id}`);
    await page.fill('#record-ops-work input[name=on]', today);
    await page.fill('#record-ops-work input[name=hours]', '1.5');
    await Promise.all([page.waitForURL(`${server.url}/contracts/${id}`), page.click('#record-ops-work button[type=submit]')]);
    expect(await page.locator('.msg.ok').innerText()).toContain('運用作業 1.5時間 (プラン内 0時間) — プランの範囲を超えています');
    expect((await row(page).locator('td').allInnerTexts()).slice(0, 3)).toEqual([month, '4 / 3', '1.5 / 0']);
    expect(await row(page).locator('td.excess').innerText()).toContain('運用代行 1.5 時間');

    // The browser's step="0.25" stops 0.3 in the form; a forged POST meets the schema, before anything is sent.
    const before = (await auditOf()).length;
    const csrf = await page.locator('#record-ops-work input[name=_csrf]').inputValue();
    const forged = await page.request.post(`${server.url}/contracts/${id}/ops-work`, { form: { _csrf: csrf, on: today, hours: '0.3' } });
    expect(await forged.text()).toContain('時間 (hours): 時間は 15 分 (0.25) 単位で入力してください');
    expect((await stateOf()).allowances[0]!.opsHours).toBe(1.5);
    expect((await auditOf()).length).toBe(before);
    await page.context().close();
  });

  it("an incident before the usage start is refused with the decider's message naming at; nothing changes", async () => {
    const page = await signIn(browser, server.url, 'clerk-a');
    await page.goto(`${server.url}/contracts/${id}`);
    const yesterday = addDays(today, -1);
    await page.fill('#record-incident input[name=at]', `${yesterday}T23:30`);
    await Promise.all([page.waitForURL(`${server.url}/contracts/${id}`), page.click('#record-incident button[type=submit]')]);
    expect(await page.locator('.msg.err').innerText()).toBe(`契約が拒否しました: at: ${yesterday} は利用開始日 ${today} より前です (別表2 D-19)`);
    await shot(page, 'allowances-refused');
    const v = await stateOf();
    expect(v.allowances.map((a) => [a.month, a.incidents, a.opsHours])).toEqual([[month, 4, 1.5]]);
    expect(await page.locator('#allowances tr.allowance').count()).toBe(1);
    await page.context().close();
  });

  it('a viewer sees the table but no recording forms; a viewer POST is refused by role', async () => {
    const page = await signIn(browser, server.url, 'viewer-a');
    await page.goto(`${server.url}/contracts/${id}`);
    expect((await row(page).locator('td').allInnerTexts()).slice(0, 3)).toEqual([month, '4 / 3', '1.5 / 0']);
    expect(await page.locator('#record-incident').count()).toBe(0);
    expect(await page.locator('#record-ops-work').count()).toBe(0);
    await shot(page, 'allowances-viewer');
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const forged = await page.request.post(`${server.url}/contracts/${id}/incident`, { form: { _csrf: csrf, at: `${today}T00:50` } });
    expect(forged.status()).toBe(403);
    expect((await stateOf()).allowances[0]!.incidents).toBe(4);
    await page.context().close();
  });

  it('the dashboard lists the contract under "allowance exceeded" by its AllowanceExceeded search attribute', async () => {
    const sa = await eventually(
      async () => (await e2e.env.client.workflow.getHandle(id).describe()).typedSearchAttributes.get(AllowanceExceededKey),
      (m) => m === month,
    );
    expect(sa).toBe(month);
    const page = await signIn(browser, server.url, 'viewer-a');
    const listed = await eventually(
      async () => {
        await page.goto(`${server.url}/`);
        return page.locator('#allowances-exceeded').innerText();
      },
      (text) => text.includes(id),
    );
    expect(listed).toContain(id);
    expect(listed).toContain(month);
    await shot(page, 'dashboard-allowances');
    await page.context().close();
  });

  it('the audit trail has one row per attempt: 4 incidents and 1 ops work accepted, 1 incident refused, each by the clerk via the console', async () => {
    const rows = (await auditOf()).filter((a) => a.command === 'recordIncident' || a.command === 'recordOpsWork');
    const counted = rows.map((a) => `${a.command} ${a.outcome} ${a.actor.role} ${a.actor.via}`).sort();
    expect(counted).toEqual([
      ...Array(4).fill('recordIncident accepted clerk console'),
      'recordIncident refused clerk console',
      'recordOpsWork accepted clerk console',
    ]);
    expect(rows.find((a) => a.outcome === 'refused')!.message).toContain('is before the usage start');
    // The datetime-local in Japan time went out as the exact +09:00 instant.
    expect(
      rows
        .filter((a) => a.command === 'recordIncident')
        .map((a) => a.details.at)
        .sort(),
    ).toEqual([`${addDays(today, -1)}T23:30:00+09:00`, ...['10', '20', '30', '40'].map((m) => `${today}T00:${m}:00+09:00`)]);
    expect(rows.find((a) => a.command === 'recordOpsWork')!.details).toMatchObject({ on: today, hours: 1.5 });
  });
});
