/**
 * The service's discontinuation (Art. 5, D-18) from the console, in Debian's headless Chromium on the dev
 * server with the real worker: a supervisor asks for it with a reason and dry-runs it (what each contract
 * will owe; nothing changes); she cannot approve her own request, not even by a forged POST; a clerk cannot
 * see the page; a second supervisor approves, which starts the run: each contract ends on the day with the
 * dry run's figures, mailed once; every step is in the audit. Skipped, saying why, without /usr/bin/chromium.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { People } from '../../src/backoffice/people';
import { addDays, jstDateOf } from '../../src/domain/calendar';
import { stateQuery } from '../../src/workflows/contract/messages';
import { eventually, startE2e, type E2e } from '../e2e/harness';
import { CHROMIUM, PASSWORD, SHOTS, haveChromium, launchChromium, signIn } from './support';

if (!haveChromium) console.warn(`provider-actions.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

describe.skipIf(!haveChromium)(`the service discontinuation in the console: four eyes, dry run, run (needs ${CHROMIUM})`, () => {
  const ids = ['C-END-A', 'C-END-B'];
  const today = jstDateOf(Date.now());
  const endDate = addDays(today, 30); // D-18: the posting counts as delivered on P + 30, the earliest end
  let e2e: E2e;
  let server: ConsoleServer;
  let browser: Browser;
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const owesOn = async (page: Page) =>
    Object.fromEntries(
      await Promise.all(ids.map(async (id) => [id, await page.locator(`#outcomes tr.outcome[data-contract="${id}"] td.owes`).innerText()] as const)),
    );

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e();
    const people = new People(e2e.deps.ledger.people);
    for (const [login, role] of [
      ['sv-a', 'supervisor'],
      ['sv-b', 'supervisor'],
      ['clerk-c', 'clerk'],
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
    for (const id of ids) {
      expect(
        (
          await e2e.cli([
            'apply',
            id,
            '--name',
            '廃止テスト株式会社',
            '--email',
            `billing+${id.toLowerCase()}@example.co.jp`,
            '--plan',
            'standard',
            '--linux',
            '2',
          ])
        ).code,
      ).toBe(0);
      expect((await e2e.cli(['approve', id, '--start-date', today])).code).toBe(0);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await e2e?.teardown();
  });

  it("asked, dry-run, refused to its own asker, approved by a second supervisor: each contract ends on the day with the dry run's figures", async () => {
    const a = await signIn(browser, server.url, 'sv-a');
    await a.goto(`${server.url}/provider-actions`);
    await a.fill('#request-discontinuation input[name=postedOn]', today);
    await a.fill('#request-discontinuation input[name=endDate]', endDate);
    await a.fill('#request-discontinuation input[name=reason]', 'サービス終了の決定 (取締役会)');

    // The dry run: what each contract will owe; nothing changes.
    await Promise.all([a.waitForURL(/\/provider-actions\/runs\//), a.click('#request-discontinuation button[value=dry-run]')]);
    const dryRunUrl = a.url();
    await eventually(
      async () => {
        await a.reload();
        return a.locator('#run-status').innerText();
      },
      (s) => s === 'COMPLETED',
    );
    expect(await a.locator('#outcomes tr.outcome').count()).toBe(2);
    const dryOwes = await owesOn(a);
    // Standard, 2 components: 38,000 a month; from today to the end day, every month to come is owed (each > 0).
    for (const id of ids) expect(dryOwes[id]).toMatch(/^[1-9][\d,]*円$/);
    await shot(a, 'provider-dry-run');
    for (const id of ids) expect((await e2e.env.client.workflow.getHandle(id).query(stateQuery)).endDate).toBeNull();

    // The request: it waits for another supervisor; its asker has no button, and a forged approval is refused.
    await a.goto(`${server.url}/provider-actions`);
    await a.fill('#request-discontinuation input[name=postedOn]', today);
    await a.fill('#request-discontinuation input[name=endDate]', endDate);
    await a.fill('#request-discontinuation input[name=reason]', 'サービス終了の決定 (取締役会)');
    await Promise.all([a.waitForURL(`${server.url}/provider-actions`), a.click('#request-discontinuation button[value=request]')]);
    const request = a.locator('#requests tr.request').first();
    const requestId = await request.getAttribute('data-id');
    expect(await request.innerText()).toContain('別の管理者の承認待ち');
    expect(await request.locator('form').count()).toBe(0);
    const csrf = await a.locator('#request-discontinuation input[name=_csrf]').inputValue();
    const forged = await a.request.post(`${server.url}/provider-actions/requests/${requestId}/approval`, { form: { _csrf: csrf } });
    expect(await forged.text()).toContain('asked for this; another supervisor approves it (four eyes)');
    expect((await e2e.env.client.workflow.count('WorkflowType = "providerAction" AND ExecutionStatus = "Running"')).count).toBe(0);
    await a.context().close();

    // A clerk does not see the page.
    const clerk = await signIn(browser, server.url, 'clerk-c');
    expect((await clerk.goto(`${server.url}/provider-actions`))!.status()).toBe(403);
    await clerk.context().close();

    // The second supervisor approves: the run starts and every contract ends on the day, as the dry run said.
    const b = await signIn(browser, server.url, 'sv-b');
    await b.goto(`${server.url}/provider-actions`);
    await Promise.all([b.waitForURL(/\/provider-actions\/runs\//), b.locator(`#requests tr.request[data-id="${requestId}"] button`).click()]);
    await eventually(
      async () => {
        await b.reload();
        return b.locator('#run-status').innerText();
      },
      (s) => s === 'COMPLETED',
    );
    expect(await b.locator('#outcomes tr.outcome td:nth-child(2)').allInnerTexts()).toEqual(['changed', 'changed']);
    expect(await owesOn(b)).toEqual(dryOwes);
    await shot(b, 'provider-run');
    for (const id of ids) {
      const view = await e2e.env.client.workflow.getHandle(id).query(stateQuery);
      expect(view.endDate).toBe(endDate);
      expect(view.notices.filter((n) => n.kind === 'serviceDiscontinued')).toHaveLength(1);
    }
    expect(dryRunUrl).not.toBe(b.url());
    await b.context().close();

    const audit = (await e2e.deps.ledger.audit.every({}))
      .filter((r) => r.contractId === null && /ProviderAction|providerAction/.test(r.command))
      .sort((x, y) => x.id - y.id);
    expect(audit.map((r) => [r.command, r.outcome])).toEqual([
      ['providerActionDryRun', 'accepted'],
      ['requestProviderAction', 'accepted'],
      ['approveProviderAction', 'refused'],
      ['approveProviderAction', 'accepted'],
    ]);
    const asker = audit[1]!.actor.id;
    expect(audit[2]!.actor.id).toBe(asker);
    expect(audit[3]!.actor.id).not.toBe(asker);
    expect(audit[3]!.actor.role).toBe('supervisor');
  }, 240_000);
});
