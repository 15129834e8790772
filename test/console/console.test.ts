/**
 * The back-office console in Debian's headless Chromium (playwright-core, no downloaded browser), on the
 * dev server with the real worker (test/e2e/harness.ts) and the console on a free port: roles, four eyes,
 * CSRF, sign-in and lock-out, payments, search — asserted on the contract's state and the audit trail.
 * A screenshot of each page goes to test-results/screenshots/. Skipped, with the reason, without
 * /usr/bin/chromium (CI: `apt-get install -y chromium`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { People, type Person } from '../../src/backoffice/people';
import { jstDateOf } from '../../src/domain/calendar';
import { stateQuery } from '../../src/workflows/contract/messages';
import { CancellationDeadlineKey, ContractStatusKey, NeedsAttentionKey, RenewalDeclineDeadlineKey } from '../../src/workflows/search-attributes';
import { CHROMIUM, PASSWORD, SHOTS, haveChromium, launchChromium, signIn } from './support';
import { eventually, startE2e, type E2e } from '../e2e/harness';

if (!haveChromium) console.warn(`console.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

describe.skipIf(!haveChromium)(`the back-office console in headless Chromium (needs ${CHROMIUM})`, () => {
  let e2e: E2e;
  let server: ConsoleServer;
  let browser: Browser;
  let people: People;
  const staff: Record<string, Person> = {};
  const today = jstDateOf(Date.now());

  /** A person whose one-time password was already changed (the forced change has its own test). */
  async function person(login: string, role: Person['role']): Promise<Person> {
    const { person: p, oneTimePassword } = await people.createPerson(login, `${role} ${login}`, role);
    await people.changePassword(p.id, oneTimePassword, PASSWORD);
    staff[login] = p;
    return p;
  }
  const signedIn = (login: string): Promise<Page> => signIn(browser, server.url, login);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const csrfOf = (page: Page) => page.locator('input[name=_csrf]').first().inputValue();
  const auditOf = async (contractId: string) => e2e.deps.ledger.audit.list({ contractId });
  const stateOf = (contractId: string) => e2e.env.client.workflow.getHandle(contractId).query(stateQuery);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e();
    people = new People(e2e.deps.ledger.people);
    server = await startConsole({
      ledger: e2e.deps.ledger,
      client: e2e.env.client,
      settings: { ...e2e.settings, CONSOLE_SESSION_SECRET: 'test-secret-'.padEnd(40, 'x') },
      port: 0,
    });
    browser = await launchChromium();
    await Promise.all([person('clerk1', 'clerk'), person('viewer1', 'viewer'), person('super1', 'supervisor'), person('super2', 'supervisor')]);
    const common = ['--email', 'keiri@example.co.jp', '--plan', 'standard', '--linux', '1'];
    expect((await e2e.cli(['apply', 'C-CON-PEND', '--name', 'ネオトリクス商事株式会社', ...common])).code).toBe(0);
    expect((await e2e.cli(['apply', 'C-CON-ACT', '--name', 'ＡＢＣ株式会社', ...common])).code).toBe(0);
    expect((await e2e.cli(['approve', 'C-CON-ACT', '--start-date', today])).code).toBe(0);
    expect((await e2e.cli(['apply', 'C-CON-END', '--name', '終了予定株式会社', ...common])).code).toBe(0);
    expect((await e2e.cli(['approve', 'C-CON-END', '--start-date', today])).code).toBe(0);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await e2e?.teardown();
  });

  it('sends anonymous requests to sign-in (GET) and refuses them (POST); a POST without the CSRF token is 403', async () => {
    const get = await fetch(`${server.url}/contracts/C-CON-ACT`, { redirect: 'manual' });
    expect(get.status).toBe(303);
    expect(get.headers.get('location')).toBe('/sign-in');
    const post = await fetch(`${server.url}/contracts/C-CON-ACT/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'amount=1000',
    });
    expect([401, 403]).toContain(post.status);
    const page = await signedIn('clerk1');
    const noToken = await page.request.post(`${server.url}/contracts/C-CON-ACT/pay`, { form: { amount: '1000' }, maxRedirects: 0 });
    expect(noToken.status()).toBe(403);
    expect((await auditOf('C-CON-ACT')).filter((a) => a.actor.via === 'console')).toEqual([]);
    await page.context().close();
  });

  it('throttles an account after 5 wrong passwords: the 6th attempt, with the right password, is still refused, with the same answer', async () => {
    await person('locked1', 'clerk');
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/sign-in`);
    for (let i = 1; i <= 5; i++) {
      await page.fill('input[name=login]', 'locked1');
      await page.fill('input[name=password]', `wrong password ${i}`);
      await page.click('#sign-in button[type=submit]');
      await page.waitForSelector('.msg.err');
    }
    await page.fill('input[name=login]', 'locked1');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('#sign-in button[type=submit]');
    await expect.poll(() => page.locator('.msg.err').innerText()).toContain('ログインIDまたはパスワードが違います');
    expect(page.url()).toBe(`${server.url}/sign-in`);
    await shot(page, 'sign-in-locked');
    await page.context().close();
  });

  it('forces the first admin to change the one-time password; the people page shows a new one-time password once', async () => {
    const { oneTimePassword } = await people.createPerson('admin1', '管理者', 'admin');
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/`);
    expect(page.url()).toBe(`${server.url}/sign-in`);
    await shot(page, 'sign-in');
    await page.fill('input[name=login]', 'admin1');
    await page.fill('input[name=password]', oneTimePassword);
    await Promise.all([page.waitForURL(`${server.url}/password`), page.click('#sign-in button[type=submit]')]);
    await page.goto(`${server.url}/people`); // not before the password is changed
    expect(page.url()).toBe(`${server.url}/password`);
    await shot(page, 'password-change');
    await page.fill('input[name=currentPassword]', oneTimePassword);
    await page.fill('input[name=newPassword]', PASSWORD);
    await page.fill('input[name=confirmPassword]', PASSWORD);
    await Promise.all([page.waitForURL(`${server.url}/`), page.click('#password button[type=submit]')]);
    await page.goto(`${server.url}/people`);
    await page.fill('#add-person input[name=login]', 'newclerk');
    await page.fill('#add-person input[name=displayName]', '新人 事務');
    await page.selectOption('#add-person select[name=role]', 'clerk');
    await page.click('#add-person button[type=submit]');
    const otp = await page.locator('#one-time .otp').innerText();
    expect(otp.length).toBeGreaterThanOrEqual(20);
    expect((await people.signIn('newclerk', otp)).ok).toBe(true);
    await shot(page, 'people');
    await page.goto(`${server.url}/people`);
    expect(await page.content()).not.toContain(otp); // shown once
    await page.goto(`${server.url}/people?lang=en`);
    expect(await page.locator('h1').innerText()).toBe('People');
    await page.goto(`${server.url}/`);
    expect(await page.locator('h1').innerText()).toBe('Dashboard'); // remembered in the session
    await page.context().close();
  });

  it('shows a clerk no approve button; a forged approve POST with a valid CSRF token is refused by the contract and audited as refused', async () => {
    const page = await signedIn('clerk1');
    await shot(page, 'dashboard');
    expect(await page.locator('#pending').innerText()).toContain('C-CON-PEND');
    await page.goto(`${server.url}/contracts/C-CON-PEND`);
    await shot(page, 'contract-pending');
    expect(await page.locator('#approve').count()).toBe(0);
    expect(await page.locator('#customer').innerText()).toContain('ネオトリクス商事株式会社');
    const forged = await page.request.post(`${server.url}/contracts/C-CON-PEND/approve`, { form: { _csrf: await csrfOf(page), startDate: today } });
    expect(forged.ok()).toBe(true);
    expect(await forged.text()).toContain('契約が拒否しました');
    expect((await stateOf('C-CON-PEND')).status).toBe('pending');
    const rows = (await auditOf('C-CON-PEND')).filter((a) => a.actor.via === 'console');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ command: 'approve', outcome: 'refused', actor: { id: staff.clerk1!.id, role: 'clerk', via: 'console' } });
    await page.context().close();
  });

  it('takes ８４，７００ as a payment (audited accepted, by the person, via console) and refuses 84,70 and 1,2,3 before sending anything', async () => {
    const page = await signedIn('clerk1');
    await page.goto(`${server.url}/contracts/C-CON-ACT`);
    for (const bad of ['84,70', '1,2,3']) {
      await page.fill('#pay input[name=amount]', bad);
      await page.click('#pay button[type=submit]');
      await expect.poll(() => page.locator('.msg.err').innerText()).toContain('金額 (amount)');
    }
    await shot(page, 'contract-payment-refused');
    expect((await auditOf('C-CON-ACT')).filter((a) => a.actor.via === 'console')).toEqual([]);
    await page.fill('#pay input[name=amount]', '８４，７００');
    await page.click('#pay button[type=submit]');
    await page.waitForSelector('.msg.ok');
    await shot(page, 'contract-active');
    const rows = (await auditOf('C-CON-ACT')).filter((a) => a.actor.via === 'console');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      command: 'pay',
      outcome: 'accepted',
      details: { amount: 84_700 },
      actor: { id: staff.clerk1!.id, role: 'clerk', via: 'console' },
    });
    // The person by name (the id stays in the row's data for tools), in Japan time.
    expect(await page.locator(`#audit tr.audit-row[data-actor="${staff.clerk1!.id}"]`).innerText()).toContain(staff.clerk1!.displayName);
    await page.context().close();
  });

  it("refuses a viewer's POST and shows a viewer no action forms", async () => {
    const page = await signedIn('viewer1');
    await page.goto(`${server.url}/contracts/C-CON-ACT`);
    expect(await page.locator('#actions').count()).toBe(0);
    const before = (await auditOf('C-CON-ACT')).length;
    const r = await page.request.post(`${server.url}/contracts/C-CON-ACT/pay`, { form: { _csrf: await csrfOf(page), amount: '1000' }, maxRedirects: 0 });
    expect(r.status()).toBe(403);
    expect((await auditOf('C-CON-ACT')).length).toBe(before);
    await page.context().close();
  });

  it('shows the cancellation quote (earliest end day, ETF) before the confirm button', async () => {
    const page = await signedIn('clerk1');
    await page.goto(`${server.url}/contracts/C-CON-ACT`);
    const end = new Date(Date.now() + 120 * 86_400_000);
    await page.fill('#cancel-quote input[name=endDate]', jstDateOf(end.getTime()));
    await page.click('#cancel-quote button[type=submit]');
    await page.waitForSelector('#quote');
    const text = await page.locator('#quote').innerText();
    expect(text).toContain('最短の終了日');
    expect(text).toContain('早期解約金');
    expect(await page.locator('#cancel-confirm').count()).toBe(1);
    await shot(page, 'cancel-quote');
    await page.context().close();
  });

  it('four eyes: a supervisor cannot approve their own termination request (no button; a forged approval is refused); a second supervisor can, and the contract ends', async () => {
    const a = await signedIn('super1');
    await a.goto(`${server.url}/contracts/C-CON-END`);
    await a.selectOption('#terminate select[name=kind]', 'cause');
    await a.click('#terminate button[type=submit]');
    await a.waitForSelector('#confirm');
    await a.fill('#confirm input[name=reason]', '重大な規約違反');
    await a.click('#confirm button[type=submit]');
    await a.waitForSelector('.msg.ok');
    const requestId = (await stateOf('C-CON-END')).pendingApprovals[0]!.id;
    await shot(a, 'contract-four-eyes');
    expect(await a.locator(`#approve-request-${requestId}`).count()).toBe(0);
    expect(await a.locator('#approvals').innerText()).toContain('別の監督者の承認待ち');
    const forged = await a.request.post(`${server.url}/contracts/C-CON-END/requests/approve`, {
      form: { _csrf: await csrfOf(a), approvalOf: requestId, requestId: `forged-${requestId}` },
    });
    expect(await forged.text()).toContain('a second supervisor must approve it');
    expect((await stateOf('C-CON-END')).status).toBe('active');
    const b = await signedIn('super2');
    await b.goto(`${server.url}/contracts/C-CON-END`);
    await b.click(`#approve-request-${requestId} button[type=submit]`);
    await b.waitForSelector('.msg.ok');
    expect((await stateOf('C-CON-END')).status).toBe('ended');
    const rows = (await auditOf('C-CON-END')).filter((x) => x.actor.via === 'console').reverse();
    expect(rows.map((r) => [r.command, r.outcome, r.actor.id])).toEqual([
      ['requestApproval', 'accepted', staff.super1!.id],
      ['approveRequest', 'refused', staff.super1!.id],
      ['approveRequest', 'accepted', staff.super2!.id],
    ]);
    await a.context().close();
    await b.context().close();
  });

  it("lists this month's renewal-decline and cancellation deadlines, soonest first, and the contracts that need attention", async () => {
    // A contract of this month's deadlines is 11 months old: on a dev server with the real clock none exists
    // yet, so these are visibility rows only (workflows of type contract on a queue no worker polls). What a
    // contract publishes is asserted in test/workflows/lifecycle.test.ts; here, the dashboard's queries and columns.
    const month = today.slice(0, 7);
    const rows: Array<[string, Record<string, unknown>]> = [
      ['C-DASH-DECLINE-LATE', { RenewalDeclineDeadline: `${month}-28`, ContractStatus: 'active' }],
      ['C-DASH-DECLINE-SOON', { RenewalDeclineDeadline: `${month}-02`, ContractStatus: 'active' }],
      ['C-DASH-DECLINE-NEXT', { RenewalDeclineDeadline: '2999-01-15', ContractStatus: 'active' }],
      ['C-DASH-CANCEL', { CancellationDeadline: `${month}-10`, ContractStatus: 'suspended' }],
      ['C-DASH-STUCK', { NeedsAttention: true, ContractStatus: 'active' }],
    ];
    const keys = {
      RenewalDeclineDeadline: RenewalDeclineDeadlineKey,
      CancellationDeadline: CancellationDeadlineKey,
      NeedsAttention: NeedsAttentionKey,
      ContractStatus: ContractStatusKey,
    } as const;
    for (const [id, attrs] of rows)
      await e2e.env.client.workflow.start('contract', {
        taskQueue: 'dashboard-visibility-rows',
        workflowId: id,
        args: [],
        typedSearchAttributes: Object.entries(attrs).map(([k, value]) => ({ key: keys[k as keyof typeof keys], value }) as never),
      });
    await eventually(
      async () => (await e2e.env.client.workflow.count('WorkflowId STARTS_WITH "C-DASH-"')).count,
      (n) => n === rows.length,
    );
    const page = await signedIn('clerk1');
    await page.goto(`${server.url}/?lang=en`);
    await shot(page, 'dashboard-deadlines');
    const declines = await page.locator('#renewal-declines table tr').allInnerTexts();
    expect(declines.slice(1).map((r) => r.split('\t')[0])).toEqual(['C-DASH-DECLINE-SOON', 'C-DASH-DECLINE-LATE']); // soonest first, next month's left out
    expect(declines[1]).toContain(`${month}-02`);
    if (`${month}-02` < today) expect(declines[1]).toContain('(passed)');
    const cancellations = await page.locator('#cancellations').innerText();
    expect(cancellations).toContain('C-DASH-CANCEL');
    expect(cancellations).toContain(`${month}-10`);
    expect(cancellations).not.toContain('C-DASH-DECLINE');
    expect(await page.locator('#attention').innerText()).toContain('C-DASH-STUCK');
    expect(await page.locator('#attention').innerText()).not.toContain('C-CON-ACT');
    await page.goto(`${server.url}/?lang=ja`);
    await page.context().close();
    for (const [id] of rows) await e2e.env.client.workflow.getHandle(id).terminate('dashboard test rows');
  });

  it('finds a contract by customer name whatever the width or kana, and lists by status', async () => {
    const page = await signedIn('viewer1');
    await page.goto(`${server.url}/search`);
    await page.fill('#by-customer input[name=name]', 'ねおとりくす'); // stored as katakana
    await page.click('#by-customer button[type=submit]');
    expect(await page.locator('#results').innerText()).toContain('C-CON-PEND');
    await page.fill('#by-customer input[name=name]', 'abc'); // stored full-width
    await page.click('#by-customer button[type=submit]');
    expect(await page.locator('#results').innerText()).toContain('C-CON-ACT');
    expect(page.url()).toBe(`${server.url}/search?by=customer`); // no name in the URL: a GET page after a redirect
    await shot(page, 'search');
    await eventually(
      async () => (await e2e.env.client.workflow.count('ContractStatus = "pending"')).count,
      (n) => n >= 1,
    );
    await page.goto(`${server.url}/search?status=pending`);
    expect(await page.locator('#results').innerText()).toContain('C-CON-PEND');
    await page.context().close();
  });

  it('a payment received on an earlier day, then taken back by four eyes from its row on the contract page', async () => {
    const yesterday = new Date(Date.parse(`${today}T00:00:00+09:00`) - 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
    const clerk = await signedIn('clerk1');
    await clerk.goto(`${server.url}/contracts/C-CON-ACT`);
    await clerk.fill('#pay input[name=amount]', '1,234');
    await clerk.fill('#pay input[name=receivedOn]', yesterday);
    await clerk.click('#pay button[type=submit]');
    // The contract was approved today: money cannot have come the day before.
    await clerk.waitForSelector('.msg.err');
    expect(await clerk.locator('.msg.err').innerText()).toContain(`入金日 ${yesterday} が承諾日 ${today} より前です (別表3§3 D-11)`);
    expect((await e2e.deps.ledger.listPayments('C-CON-ACT')).find((p) => p.amount === 1234)).toBeUndefined();
    await clerk.fill('#pay input[name=amount]', '1,234');
    await clerk.fill('#pay input[name=receivedOn]', today);
    await clerk.click('#pay button[type=submit]');
    await clerk.waitForSelector('.msg.ok');
    const paid = await eventually(
      async () => (await e2e.deps.ledger.listPayments('C-CON-ACT')).find((p) => p.amount === 1234),
      (p) => p !== undefined,
    ).then((p) => p!);
    expect(paid.paidOn).toBe(today);
    await clerk.context().close();

    const a = await signedIn('super1');
    await a.goto(`${server.url}/contracts/C-CON-ACT`);
    const row = a.locator('#payments tr', { hasText: paid.paymentId });
    await row.locator('input[name=reason]').fill('誤入力');
    await row.locator('button[type=submit]').click();
    await a.waitForSelector('.msg.ok');
    const asked = await a.locator('.msg.ok').innerText();
    const request = (await stateOf('C-CON-ACT')).pendingApprovals.find((p) => p.action === 'reversePayment')!;
    expect(asked).toBe(`承認の依頼 (二者承認): 「入金の取消」は ${request.expiresOn} まで別の監督者の承認を待ちます (運用 (二者承認))`);
    await shot(a, 'contract-reversal-asked');
    await a.context().close();
    const b = await signedIn('super2');
    await b.goto(`${server.url}/contracts/C-CON-ACT`);
    await b.click(`#approve-request-${request.id} button[type=submit]`);
    await b.waitForSelector('.msg.ok');
    await eventually(
      async () => (await e2e.deps.ledger.listPayments('C-CON-ACT')).find((p) => p.paymentId === paid.paymentId)?.reversal,
      (r) => r !== undefined && r !== null,
    );
    expect((await e2e.deps.ledger.listPayments('C-CON-ACT')).find((p) => p.paymentId === paid.paymentId)?.reversal).toMatchObject({
      on: today,
      reason: '誤入力',
    });
    await b.goto(`${server.url}/contracts/C-CON-ACT`);
    expect(await b.locator('#payments').innerText()).toContain(`reversed ${today}: 誤入力`.replace('reversed', '取消済み'));
    await b.context().close();
  });
});
