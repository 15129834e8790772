/**
 * Issue 30's tables in headless Chromium, on the dev server with the real worker: 契約一覧 `/contracts`
 * (filters, sort, paging, its CSV tied out to the rows shown, a bad filter answered 400 naming the field),
 * the work queue `/work` (a four-eyes request shown to the other supervisor, not to its requester; an
 * application near its deemed rejection with its day), the calendar `/calendar`, a viewer reading all
 * three, and the supervisors' mail when a request is asked, received by a real SMTP server.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailer } from '../../src/activities';
import { People } from '../../src/backoffice/people';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { addDays, jstDateOf, monthOf } from '../../src/domain/calendar';
import { approvalDeadline } from '../../src/domain/lifecycle';
import { stateQuery } from '../../src/workflows/contract/messages';
import { startSmtpServer } from '../activities/support';
import { eventually, startE2e, type E2e } from '../e2e/harness';
import { personWithToken } from '../helpers/api-token';
import { CHROMIUM, PASSWORD, SHOTS, haveChromium, launchChromium, signIn } from './support';

if (!haveChromium) console.warn(`tables.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

describe.skipIf(!haveChromium)(`contracts, work queue and calendar in the console (needs ${CHROMIUM})`, () => {
  let e2e: E2e;
  let server: ConsoleServer;
  let browser: Browser;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let mailer: SmtpMailer;
  const today = jstDateOf(Date.now());
  const oldApplication = addDays(today, -57); // decide by today + 3 (D-2)
  let requestId = '';
  const ids = { pending: 'C-TBL-P1', old: 'C-TBL-OLD', active: ['C-TBL-A1', 'C-TBL-A2', 'C-TBL-A3'], premium: 'C-TBL-PR' };
  const signedIn = (login: string): Promise<Page> => signIn(browser, server.url, login);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const rowIds = (page: Page) => page.locator('#contracts tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-contract')));

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e();
    smtp = await startSmtpServer();
    mailer = new SmtpMailer(smtp.url, 'Neutrix Back Office <backoffice@neutrix.example>');
    server = await startConsole({
      ledger: e2e.deps.ledger,
      client: e2e.env.client,
      settings: {
        ...e2e.settings,
        CONSOLE_SESSION_SECRET: 'tables-test-secret-'.padEnd(40, 'x'),
        STAFF_MAIL_DOMAIN: 'staff.example',
        CONSOLE_URL: 'https://console.neutrix.example',
      },
      mailer,
      port: 0,
    });
    browser = await launchChromium();
    const people = new People(e2e.deps.ledger.people);
    for (const [login, role, name] of [
      ['tbl-super-a', 'supervisor', '監督 青木'],
      ['tbl-super-b', 'supervisor', '監督 馬場'],
      ['tbl-viewer', 'viewer', '閲覧 山田'],
    ] as const) {
      const { person, oneTimePassword } = await people.createPerson(login, name, role);
      await people.changePassword(person.id, oneTimePassword, PASSWORD);
    }
    const common = ['--email', 'keiri@example.co.jp', '--linux', '1'];
    const ok = async (args: string[]) => expect((await e2e.cli(args)).code, args.join(' ')).toBe(0);
    await ok(['apply', ids.pending, '--name', '審査中株式会社', '--plan', 'standard', ...common]);
    await ok(['apply', ids.old, '--name', '期限間近株式会社', '--plan', 'entry', '--applied-on', oldApplication, ...common]);
    for (const id of ids.active) {
      await ok(['apply', id, '--name', `${id} 株式会社`, '--plan', 'standard', ...common]);
      await ok(['approve', id, '--start-date', today]);
    }
    await ok(['apply', ids.premium, '--name', '上位株式会社', '--plan', 'premium', ...common]);
    await ok(['approve', ids.premium, '--start-date', today]);
    await eventually(
      async () => (await e2e.env.client.workflow.count('WorkflowType = "contract" AND ContractStatus = "active"')).count,
      (n) => n === 4,
    );
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await mailer?.close();
    await smtp?.close();
    await e2e?.teardown();
  });

  it('a four-eyes request mails every other supervisor (no customer data) and waits in the other supervisor’s queue, not the requester’s', async () => {
    const { token } = await personWithToken(e2e.deps.ledger, 'tbl-super-a', 'supervisor');
    requestId = `tbl-term-${Date.now()}`;
    const res = await fetch(`${server.url}/api/v1/contracts/C-TBL-A1/commands/terminateForCause`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId, reason: '重大な規約違反 (担当: 佐藤)' }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ fourEyes: true, command: 'requestApproval' });

    const mails = await eventually(
      async () => smtp.received.filter((m) => m.parsed.subject?.includes('C-TBL-A1')),
      (m) => m.length >= 2,
    );
    const to = mails.flatMap((m) => m.to).sort();
    expect(to).toEqual(['e2e-supervisor@staff.example', 'tbl-super-b@staff.example']); // every supervisor but the requester
    const text = mails[0]!.parsed.text ?? '';
    expect(text).toContain('C-TBL-A1');
    expect(text).toContain('契約解除');
    expect(text).toContain('監督 青木'); // the requester by name
    expect(text).toContain(`承認期限: ${addDays(today, 7)}`);
    expect(text).toContain('https://console.neutrix.example/work');
    expect(text).toContain('https://console.neutrix.example/contracts/C-TBL-A1');
    for (const personal of ['C-TBL-A1 株式会社', 'keiri@example.co.jp', '佐藤', '重大な規約違反']) expect(text).not.toContain(personal);

    const b = await signedIn('tbl-super-b');
    await b.goto(`${server.url}/work`);
    await shot(b, 'work-queue');
    expect(await b.locator(`#approvals tr[data-request="${requestId}"]`).count()).toBe(1);
    expect(await b.locator(`#approvals tr[data-request="${requestId}"]`).innerText()).toContain('監督 青木');
    // Near its deemed rejection (D-2): the old application, with its last day; the fresh one is not.
    expect(await b.locator(`#near-rejection tr[data-contract="${ids.old}"] .decide-by`).innerText()).toBe(approvalDeadline(oldApplication));
    expect(await b.locator(`#near-rejection tr[data-contract="${ids.pending}"]`).count()).toBe(0);
    await b.click(`#approvals tr[data-request="${requestId}"] a[href*="#approve-request-"]`);
    expect(b.url()).toContain('/contracts/C-TBL-A1');
    await b.context().close();

    const a = await signedIn('tbl-super-a');
    await a.goto(`${server.url}/work`);
    expect(await a.locator('#approvals tr[data-request]').count()).toBe(0);
    await a.context().close();
  });

  it('a provider-wide request (第5条) mails every other supervisor too, naming every contract and the provider actions page', async () => {
    const { token } = await personWithToken(e2e.deps.ledger, 'tbl-super-a', 'supervisor');
    const requestId = `tbl-disc-${Date.now()}`;
    const res = await fetch(`${server.url}/api/v1/provider-actions/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        requestId,
        action: { command: 'discontinueService', input: { postedOn: today, endDate: addDays(today, 40), emergency: false } },
        reason: 'データセンター閉鎖のため',
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const mails = await eventually(
      async () => smtp.received.filter((m) => m.parsed.subject?.includes('サービス廃止の告知')),
      (m) => m.length >= 2,
    );
    expect(mails.flatMap((m) => m.to).sort()).toEqual(['e2e-supervisor@staff.example', 'tbl-super-b@staff.example']);
    expect(mails[0]!.parsed.subject).toBe('【二者承認のお願い】全契約 サービス廃止の告知 / Approval requested: Service discontinuation on every contract');
    const text = mails[0]!.parsed.text ?? '';
    expect(text).toContain('契約: 全契約 (当社全体の操作)');
    expect(text).toContain('依頼者: 監督 青木');
    expect(text).toContain('https://console.neutrix.example/provider-actions');
    expect(text).not.toContain('データセンター閉鎖'); // the reason stays in the console
  });
  it('filters by status and plan, sorts by any column both ways, pages, and its CSV ties out to the rows shown', async () => {
    const page = await signedIn('tbl-viewer'); // a viewer reads the table
    await page.goto(`${server.url}/contracts`);
    expect(await page.locator('#total').getAttribute('data-total')).toBe('6');
    await page.selectOption('#contract-filters select[name=status]', 'active');
    await page.selectOption('#contract-filters select[name=plan]', 'standard');
    await Promise.all([page.waitForURL(/status=active/), page.click('#contract-filters button[type=submit]')]);
    expect((await rowIds(page)).sort()).toEqual([...ids.active].sort());
    // Sort by contract id: ascending, then descending by clicking the header again.
    await Promise.all([page.waitForURL(/sort=contractId&order=asc/), page.click('a.sort[data-sort=contractId]')]);
    expect(await rowIds(page)).toEqual(['C-TBL-A1', 'C-TBL-A2', 'C-TBL-A3']);
    await Promise.all([page.waitForURL(/order=desc/), page.click('a.sort[data-sort=contractId]')]);
    expect(await rowIds(page)).toEqual(['C-TBL-A3', 'C-TBL-A2', 'C-TBL-A1']);
    expect(await page.locator('th[aria-sort=descending]').count()).toBe(1);
    await shot(page, 'contracts-table');
    // The CSV: the same filters and order, one row per contract listed.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#contracts-csv')]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toContain('契約 contract');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(await rowIds(page));
    expect(lines.slice(1).every((l) => l.split(',')[1] === 'active' && l.split(',')[2] === 'standard')).toBe(true);

    // Paging (2 a page here; 50 by default): every contract once, in order, with next and previous.
    await page.goto(`${server.url}/contracts?sort=plan&order=asc&pageSize=2`);
    const seen: string[] = [];
    for (let p = 1; ; p++) {
      expect(await page.locator('#page-of').innerText()).toBe(`${p} / 3 ページ`);
      seen.push(...((await rowIds(page)) as string[]));
      if ((await page.locator('#next-page').count()) === 0) break;
      await Promise.all([page.waitForURL(new RegExp(`page=${p + 1}`)), page.click('#next-page')]);
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen.slice(0, 1)).toEqual([ids.old]); // entry first, then premium, then the standard ones by id
    await Promise.all([page.waitForURL(/page=2/), page.click('#prev-page')]);
    await page.context().close();
  });

  it('filters by overdue, needs attention and deadline month (visibility), in the page and the API alike', async () => {
    const page = await signedIn('tbl-viewer');
    await page.goto(`${server.url}/contracts?overdue=1`);
    expect(await page.locator('#total').getAttribute('data-total')).toBe('0');
    await page.goto(`${server.url}/contracts?attention=1`);
    expect(await page.locator('#total').getAttribute('data-total')).toBe('0');
    // The old application's last day to decide falls in its month; the active contracts' notice deadlines months later.
    const month = monthOf(approvalDeadline(oldApplication));
    await page.goto(`${server.url}/contracts?deadlineMonth=${month}&sort=contractId`);
    expect(await rowIds(page)).toContain(ids.old);
    // C-TBL-A1's four-eyes request (asked above) lapses within the week, so it has a deadline this month too;
    // C-TBL-A3 has none.
    expect(await rowIds(page)).not.toContain('C-TBL-A3');
    const renewal = (await e2e.env.client.workflow.getHandle('C-TBL-A2').query(stateQuery)).noticeDeadlines.renewalDecline!.on;
    await page.goto(`${server.url}/contracts?deadlineMonth=${monthOf(renewal)}&status=active`);
    expect((await rowIds(page)).sort()).toEqual([...ids.active, ids.premium].sort());
    const token = await e2e.tokenFor('tbl-api-viewer', 'viewer');
    const api = await fetch(`${server.url}/api/v1/contracts?deadlineMonth=${monthOf(renewal)}&sort=contractId&order=desc&pageSize=2`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await api.json()) as { total: number; pages: number; contracts: Array<{ contractId: string }> };
    expect(body.total).toBe(4);
    expect(body.pages).toBe(2);
    expect(body.contracts.map((c) => c.contractId)).toEqual(['C-TBL-PR', 'C-TBL-A3']);
    const bad = await fetch(`${server.url}/api/v1/contracts?sort=customer`, { headers: { authorization: `Bearer ${token}` } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('sort: expected a column');
    // The CLI's list, a client of the same API.
    const cli = await e2e.cli(['list', '--deadline-month', monthOf(renewal), '--sort', 'contractId', '--order', 'desc']);
    expect(cli.code).toBe(0);
    expect(cli.stdout.indexOf('C-TBL-PR')).toBeLessThan(cli.stdout.indexOf('C-TBL-A1'));
    expect(cli.stdout).toContain('page 1 of 1 · 4 contract(s)');
    const wrong = await e2e.cli(['list', '--sort', 'customer']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr + wrong.stdout).toContain('--sort');
    await page.context().close();
  });

  it('a bad filter answers 400 naming the field, in the page and the CSV, never 500', async () => {
    const page = await signedIn('tbl-viewer');
    for (const [query, named] of [
      ['status=bogus', '状態 (status)'],
      ['plan=gold', 'プラン (plan)'],
      ['deadlineMonth=2026-13', '期限の月 (deadlineMonth)'],
      ['sort=customer', '並べ替え (sort)'],
      ['order=up&sort=plan', '順序 (order)'],
      ['page=0', 'ページ (page)'],
      ['overdue=maybe', '延滞あり (overdue)'],
    ] as const) {
      const res = await page.goto(`${server.url}/contracts?${query}`);
      expect(res!.status(), query).toBe(400);
      expect(await page.locator('.msg.err').innerText()).toContain(named);
      const csv = await page.request.get(`${server.url}/contracts.csv?${query}`);
      expect(csv.status(), query).toBe(400);
      expect(await csv.text()).toContain(named);
    }
    await shot(page, 'contracts-bad-filter');
    const cal = await page.goto(`${server.url}/calendar?months=13`);
    expect(cal!.status()).toBe(400);
    expect(await page.locator('main').innerText()).toContain('(months)');
    await page.context().close();
  });

  it('the calendar shows the deemed rejection, the request’s last day and, 12 months ahead, the notice deadlines; a viewer reads it and the work queue', async () => {
    const page = await signedIn('tbl-viewer');
    await page.goto(`${server.url}/calendar`);
    expect(await page.locator('section.month').count()).toBe(3);
    const rejection = addDays(approvalDeadline(oldApplication), 1);
    expect(await page.locator(`tr.event[data-kind=deemedRejection][data-contract="${ids.old}"]`).getAttribute('data-on')).toBe(rejection);
    expect(await page.locator('tr.event[data-kind=approvalExpiry][data-contract="C-TBL-A1"]').getAttribute('data-on')).toBe(addDays(today, 7));
    expect(await page.locator('tr.event[data-kind=renewalDeclineDeadline]').count()).toBe(0);
    await page.goto(`${server.url}/calendar?months=12`);
    expect(await page.locator('section.month').count()).toBe(12);
    const renewal = (await e2e.env.client.workflow.getHandle('C-TBL-A2').query(stateQuery)).noticeDeadlines.renewalDecline!.on;
    expect(await page.locator(`#month-${monthOf(renewal)} tr.event[data-kind=renewalDeclineDeadline][data-contract="C-TBL-A2"]`).count()).toBe(1);
    await shot(page, 'calendar');
    await page.goto(`${server.url}/calendar?lang=en`);
    expect(await page.locator('h1').innerText()).toBe('Deadline calendar');
    const work = await page.goto(`${server.url}/work`);
    expect(work!.status()).toBe(200);
    expect(await page.locator('#approvals tr[data-request]').count()).toBe(0); // a viewer approves nothing
    expect(await page.locator(`#near-rejection tr[data-contract="${ids.old}"]`).count()).toBe(1);
    await page.context().close();
  });
});
