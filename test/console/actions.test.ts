/**
 * Every command of the CLI in the console (issue 30), in Debian's headless Chromium on the dev server with the
 * real worker: a new application (new and existing customer), reject, change and its approval, charges and
 * reductions, outage, damages, penalty, suspend and resume, decline renewal, cancel, terminate — each asserted
 * on the contract's state; the confirmation pages' yen equal to what the contract then fixes, nothing sent
 * before confirming; refusals naming the field; a viewer seeing no forms; a double click approving once.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { People } from '../../src/backoffice/people';
import { addDays, jstDateOf } from '../../src/domain/calendar';
import { CONVENIENCE_NOTICE_DAYS } from '../../src/domain/lifecycle';
import { quoteCancellationQuery, stateQuery } from '../../src/workflows/contract/messages';
import { eventually, startE2e, type E2e } from '../e2e/harness';
import { CHROMIUM, PASSWORD, SHOTS, haveChromium, launchChromium, signIn } from './support';

if (!haveChromium) console.warn(`actions.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

describe.skipIf(!haveChromium)(`the console's actions (needs ${CHROMIUM})`, () => {
  let e2e: E2e;
  let browser: Browser;
  const today = jstDateOf(Date.now());
  const ids: Record<string, string> = {};
  const stateOf = (id: string) => e2e.env.client.workflow.getHandle(id).query(stateQuery);
  const auditOf = (id: string) => e2e.deps.ledger.audit.list({ contractId: id });
  const signedIn = (login: string): Promise<Page> => signIn(browser, e2e.consoleUrl, login);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const yenOf = (text: string) => Number(text.replace(/[^0-9-]/g, ''));
  const open = async (page: Page, id: string) => {
    await page.goto(`${e2e.consoleUrl}/contracts/${id}`);
  };
  const submit = async (page: Page, form: string) => {
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector('.msg');
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e();
    browser = await launchChromium();
    const people = new People(e2e.deps.ledger.people);
    for (const [login, role] of [
      ['act-clerk', 'clerk'],
      ['act-viewer', 'viewer'],
      ['act-s1', 'supervisor'],
      ['act-s2', 'supervisor'],
    ] as const) {
      const { person, oneTimePassword } = await people.createPerson(login, `${role} ${login}`, role);
      await people.changePassword(person.id, oneTimePassword, PASSWORD);
      ids[login] = person.id;
    }
    const common = ['--email', 'keiri@example.co.jp', '--plan', 'standard', '--linux', '1'];
    for (const id of ['C-ACT-PEND', 'C-ACT-DBL']) expect((await e2e.cli(['apply', id, '--name', `${id} 株式会社`, ...common])).code).toBe(0);
    for (const id of ['C-ACT-A', 'C-ACT-CANCEL', 'C-ACT-CONV', 'C-ACT-DECL']) {
      expect((await e2e.cli(['apply', id, '--name', `${id} 株式会社`, ...common])).code).toBe(0);
      expect((await e2e.cli(['approve', id, '--start-date', today])).code).toBe(0);
    }
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await e2e?.teardown();
  });

  it('records a new application for a new customer, then one for that customer by its id; a bad e-mail is refused naming the field', async () => {
    const page = await signedIn('act-clerk');
    await page.goto(`${e2e.consoleUrl}/contracts/new`);
    await page.fill('#application input[name=contractId]', 'C-ACT-NEW1');
    await page.fill('#application input[name=name]', '新規商事株式会社');
    await page.fill('#application input[name=email]', 'not-an-address');
    await page.fill('#application input[name=linux]', '2');
    await page.click('#application button[type=submit]');
    await expect.poll(() => page.locator('.msg.err').innerText()).toContain('customer.email');
    expect(await page.inputValue('#application input[name=name]')).toBe('新規商事株式会社'); // kept
    await expect(e2e.env.client.workflow.getHandle('C-ACT-NEW1').describe()).rejects.toThrow();
    await page.fill('#application input[name=email]', 'keiri@shinki.example.co.jp');
    await page.click('#application button[type=submit]');
    await page.waitForSelector('.msg.ok');
    await shot(page, 'actions-application');
    expect(page.url()).toBe(`${e2e.consoleUrl}/contracts/C-ACT-NEW1`);
    const first = await stateOf('C-ACT-NEW1');
    expect(first.status).toBe('pending');
    expect(first.terms?.components).toEqual([{ os: 'linux' }, { os: 'linux' }]);

    await page.goto(`${e2e.consoleUrl}/contracts/new`);
    await page.fill('#application input[name=contractId]', 'C-ACT-NEW2');
    await page.check('#application input[name=customerMode][value=existing]');
    await page.fill('#application input[name=customerId]', first.customerId);
    await page.selectOption('#application select[name=plan]', 'premium');
    await page.fill('#application input[name=windows]', '1');
    await page.click('#application button[type=submit]');
    await page.waitForSelector('.msg.ok');
    const second = await stateOf('C-ACT-NEW2');
    expect(second.customerId).toBe(first.customerId);
    expect(second.terms?.plan).toBe('premium');
    expect((await auditOf('C-ACT-NEW2'))[0]).toMatchObject({ command: 'apply', outcome: 'accepted', actor: { id: ids['act-clerk'], via: 'console' } });
    await page.context().close();
  });

  it('rejects an application only from its confirmation page: the GET sends nothing', async () => {
    const page = await signedIn('act-s1');
    await open(page, 'C-ACT-PEND');
    await page.click('#reject button[type=submit]');
    await page.waitForSelector('#confirm');
    await shot(page, 'actions-reject-confirm');
    expect((await stateOf('C-ACT-PEND')).status).toBe('pending');
    expect((await auditOf('C-ACT-PEND')).filter((a) => a.actor.via === 'console')).toEqual([]);
    await page.fill('#confirm input[name=internalReason]', '与信審査の結果');
    await submit(page, '#confirm');
    expect((await stateOf('C-ACT-PEND')).status).toBe('rejected');
    await page.context().close();
  });

  it('a double click of 承諾する approves once: one accepted audit row', async () => {
    const page = await signedIn('act-s1');
    await open(page, 'C-ACT-DBL');
    await page.dblclick('#approve button[type=submit]');
    await page.waitForSelector('.msg');
    await eventually(
      async () => (await stateOf('C-ACT-DBL')).status,
      (s) => s === 'active',
    );
    // Both submits have had their answer once the page shows one; give a late second POST time to land.
    await page.waitForTimeout(1000);
    const rows = (await auditOf('C-ACT-DBL')).filter((a) => a.command === 'approve');
    expect(rows.filter((r) => r.outcome === 'accepted')).toHaveLength(1);
    expect(rows).toHaveLength(1);
    // The same form sent again later is answered as done, not written again.
    const again = await page.request.post(`${e2e.consoleUrl}/contracts/C-ACT-DBL/approve`, {
      form: { _csrf: await page.locator('input[name=_csrf]').first().inputValue(), requestId: rows[0]!.requestId, startDate: today },
    });
    expect(await again.text()).toContain('受付済み');
    expect((await auditOf('C-ACT-DBL')).filter((a) => a.command === 'approve')).toHaveLength(1);
    await page.context().close();
  });

  it('a change request (clerk) and its approval (supervisor) from the contract page', async () => {
    const clerk = await signedIn('act-clerk');
    await open(clerk, 'C-ACT-A');
    await clerk.selectOption('#change select[name=plan]', 'advanced');
    await submit(clerk, '#change');
    expect((await stateOf('C-ACT-A')).pendingChange?.change).toEqual({ plan: 'advanced' });
    await clerk.context().close();
    const sup = await signedIn('act-s1');
    await open(sup, 'C-ACT-A');
    expect(await sup.locator('#pending-change').innerText()).toContain('advanced');
    await submit(sup, '#approve-change');
    const s = await stateOf('C-ACT-A');
    expect(s.pendingChange).toBeNull();
    expect(s.changes.at(-1)?.change).toEqual({ plan: 'advanced' });
    await sup.context().close();
  });

  it('a charge and a reduction go on the next invoice; a bad amount is refused naming the field and sends nothing', async () => {
    const page = await signedIn('act-s1');
    await open(page, 'C-ACT-A');
    const before = (await auditOf('C-ACT-A')).length;
    await page.fill('#charge input[name=description]', '追加作業');
    await page.fill('#charge input[name=amount]', '5,000円');
    await submit(page, '#charge');
    await page.fill('#charge input[name=description]', '値引き');
    await page.fill('#charge input[name=amount]', '-1,200');
    await page.selectOption('#charge select[name=taxable]', 'no');
    await submit(page, '#charge');
    await page.fill('#charge input[name=description]', '誤り');
    await page.fill('#charge input[name=amount]', '5,0,0');
    await submit(page, '#charge');
    expect(await page.locator('.msg.err').innerText()).toContain('amount');
    const lines = (await stateOf('C-ACT-A')).pendingLines.filter((l) => l.kind === 'extraCharge');
    expect(lines.map((l) => [l.amount, l.taxable])).toEqual([
      [5000, true],
      [-1200, false],
    ]);
    expect((await auditOf('C-ACT-A')).length).toBe(before + 2);
    expect(await page.locator('#upcoming').innerText()).toContain('追加作業');
    await shot(page, 'actions-contract');
    await page.context().close();
  });

  it('an outage (clerk), damages and a penalty (supervisor) are accepted by the contract', async () => {
    const clerk = await signedIn('act-clerk');
    await open(clerk, 'C-ACT-A');
    await clerk.fill('#outage input[name=knownAt]', `${today}T01:00`);
    await clerk.fill('#outage input[name=restoredAt]', `${today}T02:30`);
    await submit(clerk, '#outage');
    expect(await clerk.locator('.msg').getAttribute('class')).toContain('ok');
    await clerk.context().close();
    const sup = await signedIn('act-s1');
    await open(sup, 'C-ACT-A');
    await sup.fill('#damages input[name=occurredOn]', today);
    await sup.fill('#damages input[name=amount]', '3,000');
    await submit(sup, '#damages');
    await sup.fill('#penalty input[name=evadedAmount]', '1,000');
    await submit(sup, '#penalty');
    const rows = (await auditOf('C-ACT-A')).filter((a) => ['reportOutage', 'recogniseDamages', 'penalty'].includes(a.command));
    expect(rows.map((r) => [r.command, r.outcome]).sort()).toEqual([
      ['penalty', 'accepted'],
      ['recogniseDamages', 'accepted'],
      ['reportOutage', 'accepted'],
    ]);
    await sup.context().close();
  });

  it('suspends with the ground and resumes', async () => {
    const page = await signedIn('act-s1');
    await open(page, 'C-ACT-A');
    await page.fill('#suspend input[name=internalReason]', '不正利用の疑い');
    await submit(page, '#suspend');
    const s = await stateOf('C-ACT-A');
    expect(s.status).toBe('suspended');
    expect(s.suspensionGrounds.map((g) => g.ground)).toEqual(['backOffice']);
    await submit(page, '#resume');
    expect((await stateOf('C-ACT-A')).status).toBe('active');
    await page.context().close();
  });

  it('refuses a payment date typed 2026/12/08 naming the field (no 500, nothing sent)', async () => {
    const page = await signedIn('act-clerk');
    await open(page, 'C-ACT-A');
    const before = (await e2e.deps.ledger.listPayments('C-ACT-A')).length;
    const r = await page.request.post(`${e2e.consoleUrl}/contracts/C-ACT-A/pay`, {
      form: { _csrf: await page.locator('input[name=_csrf]').first().inputValue(), amount: '1,000', receivedOn: '2026/12/08' },
    });
    expect(r.status()).toBe(200);
    expect(await r.text()).toContain('paidOn');
    expect((await e2e.deps.ledger.listPayments('C-ACT-A')).length).toBe(before);
    await page.context().close();
    // The CLI, through the API: refused before anything is sent, the flag named.
    const cli = await e2e.cli(['pay', 'C-ACT-A', '--amount', '1000', '--received-on', '2026/12/08']);
    expect({ code: cli.code, out: cli.stderr + cli.stdout }).toMatchObject({ code: 2 });
    expect(cli.stderr).toContain('--received-on');
    const api = await fetch(`${e2e.consoleUrl}/api/v1/contracts/C-ACT-A/commands/pay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${e2e.supervisorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: 'pay-bad-date-1', amount: 1000, paidOn: '2026/12/08' }),
    });
    expect(api.status).toBe(422);
    expect(JSON.stringify(await api.json())).toContain('paidOn');
    expect((await e2e.deps.ledger.listPayments('C-ACT-A')).length).toBe(before);
  });

  it("a cancellation's quoted ETF is the one the contract fixes, and nothing is sent before confirming", async () => {
    const page = await signedIn('act-clerk');
    const earliest = (await e2e.env.client.workflow.getHandle('C-ACT-CANCEL').query(quoteCancellationQuery, today)).earliestEndDay;
    await open(page, 'C-ACT-CANCEL');
    await page.fill('#cancel-quote input[name=endDate]', earliest);
    await page.click('#cancel-quote button[type=submit]');
    await page.waitForSelector('#cancel-confirm');
    const quoted = yenOf(await page.locator('#quote-etf').innerText());
    expect(quoted).toBeGreaterThan(0);
    expect(yenOf(await page.locator('#etf').innerText())).toBe(quoted);
    expect((await stateOf('C-ACT-CANCEL')).end).toBeNull();
    await shot(page, 'actions-cancel-confirm');
    await submit(page, '#cancel-confirm');
    const end = (await stateOf('C-ACT-CANCEL')).end!;
    expect(end).toMatchObject({ lastDay: earliest, earlyTerminationFee: quoted });
    expect(yenOf(await page.locator('#fixed-etf').innerText())).toBe(quoted);
    await page.context().close();
  });

  it('declines the renewal after showing the last day it fixes', async () => {
    const page = await signedIn('act-clerk');
    await open(page, 'C-ACT-DECL');
    await page.click('#decline-renewal button[type=submit]');
    await page.waitForSelector('#confirm');
    const shown = await page.locator('#quote').innerText();
    expect((await stateOf('C-ACT-DECL')).end).toBeNull();
    await submit(page, '#confirm');
    const end = (await stateOf('C-ACT-DECL')).end!;
    expect(end.kind).toBe('renewalDeclined');
    expect(shown).toContain(end.lastDay);
    await page.context().close();
  });

  it('terminates for convenience: the compensation confirmed is the one fixed once a second supervisor approves', async () => {
    const endDate = addDays(today, CONVENIENCE_NOTICE_DAYS + 10);
    const a = await signedIn('act-s1');
    await open(a, 'C-ACT-CONV');
    await a.selectOption('#terminate select[name=kind]', 'convenience');
    await a.fill('#terminate input[name=endDate]', endDate);
    await a.click('#terminate button[type=submit]');
    await a.waitForSelector('#confirm');
    const compensation = yenOf(await a.locator('#compensation').innerText());
    expect(compensation).toBeGreaterThan(0);
    expect((await stateOf('C-ACT-CONV')).pendingApprovals).toEqual([]);
    await shot(a, 'actions-terminate-confirm');
    await a.fill('#confirm input[name=reason]', 'データセンター移転');
    await submit(a, '#confirm');
    const request = (await stateOf('C-ACT-CONV')).pendingApprovals[0]!;
    const words = await a.locator(`tr.approval[data-id="${request.id}"]`).innerText();
    expect(words).toContain('当社都合による終了');
    expect(words).toContain('supervisor act-s1'); // the requester by name
    expect(words).not.toContain('{');
    await a.context().close();
    const b = await signedIn('act-s2');
    await open(b, 'C-ACT-CONV');
    await submit(b, `#approve-request-${request.id}`);
    const end = (await stateOf('C-ACT-CONV')).end!;
    expect(end).toMatchObject({ lastDay: endDate, kind: 'terminationForConvenience', compensation });
    expect(yenOf(await b.locator('#fixed-compensation').innerText())).toBe(compensation);
    await b.context().close();
  });

  it('shows a viewer no forms, and refuses a POST before confirming is shown the confirmation', async () => {
    const viewer = await signedIn('act-viewer');
    await open(viewer, 'C-ACT-A');
    expect(await viewer.locator('#actions').count()).toBe(0);
    expect(await viewer.locator('main form').count()).toBe(0);
    await viewer.context().close();
    const sup = await signedIn('act-s1');
    await open(sup, 'C-ACT-A');
    const r = await sup.request.post(`${e2e.consoleUrl}/contracts/C-ACT-A/decline-renewal`, {
      form: { _csrf: await sup.locator('input[name=_csrf]').first().inputValue(), by: 'customer' },
    });
    expect(r.url()).toContain('/contracts/C-ACT-A/confirm/decline-renewal');
    expect((await stateOf('C-ACT-A')).end).toBeNull();
    await sup.context().close();
  });

  it('announces maintenance from the provider-wide page (a window ending before it starts is refused naming the field)', async () => {
    const page = await signedIn('act-s1');
    const tomorrow = addDays(today, 1);
    await page.goto(`${e2e.consoleUrl}/provider-actions`);
    await page.fill('#announce-maintenance input[name=from]', `${tomorrow}T02:00`);
    await page.fill('#announce-maintenance input[name=to]', `${tomorrow}T01:00`);
    await page.click('#announce-maintenance button[value=start]');
    await expect.poll(() => page.locator('.msg.err').innerText()).toContain('to');
    await page.fill('#announce-maintenance input[name=from]', `${tomorrow}T01:00`);
    await page.fill('#announce-maintenance input[name=to]', `${tomorrow}T03:00`);
    await page.click('#announce-maintenance button[value=start]');
    await page.waitForSelector('.msg.ok');
    await shot(page, 'actions-maintenance');
    const windows = await eventually(
      async () => (await stateOf('C-ACT-DECL')).maintenance,
      (m) => m.length === 1,
    );
    expect(Date.parse(windows[0]!.from)).toBe(Date.parse(`${tomorrow}T01:00:00+09:00`));
    await page.goto(`${e2e.consoleUrl}/provider-actions`);
    await page.fill('#announce-price-list textarea[name=version]', '{"id": "PL-BAD"');
    await page.click('#announce-price-list button[value=dry-run]');
    await expect.poll(() => page.locator('.msg.err').innerText()).toContain('version');
    await page.context().close();
  });
});
