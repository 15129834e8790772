/**
 * The console's accounting and audit pages in Debian's headless Chromium, on the dev server with the real
 * worker (test/e2e/harness.ts): the month's invoices and their CSV (tied out to the ledger to the yen),
 * each invoice's document, a contact change (ledger first, then the contract's revision) and the audit
 * exports (one row per attempt, console and CLI). Screenshots go to test-results/screenshots/. Skipped,
 * with the reason, without /usr/bin/chromium.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yenText } from '../../src/activities/mail/format';
import { applicationStartOptions } from '../../src/backoffice/commands/apply';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { People, type Person } from '../../src/backoffice/people';
import { addMonths, firstDayOf, jstDateOf, lastDayOf, monthOf, startOfDayJst } from '../../src/domain/calendar';
import type { Application } from '../../src/domain/validation';
import { SIMULATED_CLOCK_OFFSET_MEMO } from '../../src/simulation/workflow-clock';
import { stateQuery } from '../../src/workflows/contract/messages';
import type { contract } from '../../src/workflows/contract/workflow';
import { CHROMIUM, PASSWORD, SHOTS, haveChromium, launchChromium, signIn } from './support';
import { eventually, startE2e, type E2e } from '../e2e/harness';
import { havePdftoppm, pdfPng, pdfText } from '../helpers/pdf';

if (!haveChromium) console.warn(`accounting.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

type CsvRow = string[];
const parseCsv = (text: string): CsvRow[] => parse(text, { bom: true, relax_column_count: false }) as CsvRow[];

describe.skipIf(!haveChromium)(`the console's invoices, contact changes and audit exports in headless Chromium (needs ${CHROMIUM})`, () => {
  let e2e: E2e;
  let server: ConsoleServer;
  let browser: Browser;
  let people: People;
  const staff: Record<string, Person> = {};
  const today = jstDateOf(Date.now());
  // The billing run bills last month; these contracts' calendars are shifted (as C-E2E-2 in
  // test/e2e/cli.test.ts) so they start on last month's last day and live into this month.
  const period = addMonths(monthOf(today), -1);
  const billed = [
    {
      id: 'C-BO-M1',
      name: '月次一号株式会社',
      terms: { plan: 'entry' as const, components: [{ os: 'linux' as const }], metricCapRelaxations: 0, cloudMonthlyFee: 0 },
    },
    {
      id: 'C-BO-M2',
      name: '月次二号合同会社',
      terms: {
        plan: 'standard' as const,
        components: [{ os: 'linux' as const }, { os: 'windows' as const }],
        metricCapRelaxations: 1,
        cloudMonthlyFee: 30_000,
      },
    },
    {
      id: 'C-BO-M3',
      name: '月次三号株式会社',
      terms: { plan: 'entry' as const, components: [{ os: 'windows' as const }], metricCapRelaxations: 0, cloudMonthlyFee: 12_345 },
    },
  ];

  async function person(login: string, role: Person['role']): Promise<Person> {
    const { person: p, oneTimePassword } = await people.createPerson(login, `${role} ${login}`, role);
    await people.changePassword(p.id, oneTimePassword, PASSWORD);
    staff[login] = p;
    return p;
  }
  const signedIn = (login: string): Promise<Page> => signIn(browser, server.url, login, { acceptDownloads: true });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const csrfOf = (page: Page) => page.locator('input[name=_csrf]').first().inputValue();
  const auditOf = (contractId: string) => e2e.deps.ledger.audit.list({ contractId });
  const stateOf = (contractId: string) => e2e.env.client.workflow.getHandle(contractId).query(stateQuery);
  /** Clicks a download link in the browser; answers the file's text. */
  async function download(page: Page, selector: string): Promise<{ name: string; text: string }> {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    const path = await d.path();
    return { name: d.suggestedFilename(), text: readFileSync(path, 'utf8') };
  }

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
    await Promise.all([person('clerk1', 'clerk'), person('viewer1', 'viewer'), person('super1', 'supervisor')]);

    // Three contracts applied and approved on last month's last day, seconds before midnight (JST).
    const boundary = startOfDayJst(firstDayOf(monthOf(today)));
    const offset = boundary - 15_000 - Date.now();
    const day = lastDayOf(period);
    for (const c of billed) {
      const { customerId } = await e2e.deps.ledger.customers.register({
        contractId: c.id,
        contact: { name: c.name, email: `keiri@${c.id.toLowerCase()}.example` },
      });
      const app: Application = { contractId: c.id, customerId, terms: c.terms, appliedOn: day };
      await e2e.env.client.workflow.start<typeof contract>('contract', {
        ...applicationStartOptions(app, `apply-${c.id}`, e2e.settings.TASK_QUEUE),
        args: [{ application: app }],
        memo: { [SIMULATED_CLOCK_OFFSET_MEMO]: offset },
      });
      const approved = await e2e.cli(['approve', c.id, '--start-date', day]);
      expect(approved.stderr).toBe('');
      expect(approved.code).toBe(0);
    }
    // Contracts of today, for the contact change and the audit export.
    const common = ['--email', 'keiri@example.co.jp', '--plan', 'standard', '--linux', '1'];
    for (const id of ['C-BO-LIVE', 'C-BO-AUD']) {
      expect((await e2e.cli(['apply', id, '--name', `${id} 株式会社`, ...common])).code).toBe(0);
      expect((await e2e.cli(['approve', id, '--start-date', today])).code).toBe(0);
    }
    // Let the shifted contracts' clock pass midnight into this month, then bill last month.
    await new Promise((r) => setTimeout(r, Math.max(0, boundary + 500 - (Date.now() + offset))));
    const run = await e2e.cli(['billing-run', 'now']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    await eventually(
      () => e2e.deps.ledger.monthInvoices(period),
      (m) => m.invoices.length === billed.length,
      30_000,
    );
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await e2e?.teardown();
  });

  it("lists the month's invoices with their total; the CSV downloaded in the browser sums to the ledger's total, per invoice and for the month, to the yen", async () => {
    const ledgerMonth = await e2e.deps.ledger.monthInvoices(period);
    expect(ledgerMonth.invoices.map((i) => i.contractId).sort()).toEqual(billed.map((c) => c.id).sort());
    expect(ledgerMonth.invoices.every((i) => i.total > 0)).toBe(true);

    const page = await signedIn('viewer1'); // accounting reads: a viewer may
    await page.goto(`${server.url}/invoices?period=${period}`);
    await shot(page, 'month-invoices');
    const rows = page.locator('#month-invoices tr.invoice-row');
    expect(await rows.count()).toBe(billed.length);
    for (const inv of ledgerMonth.invoices) {
      const row = await page.locator(`tr.invoice-row[data-invoice="${inv.number}"]`).innerText();
      expect(row).toContain(inv.contractId);
      expect(row).toContain(billed.find((c) => c.id === inv.contractId)!.name); // the name as issued
      expect(row).toContain(yenText(inv.tax));
      expect(row).toContain(yenText(inv.total));
    }
    expect(await page.locator('#month-total').innerText()).toBe(yenText(ledgerMonth.total));

    const headers = await page.request.get(`${server.url}/invoices.csv?period=${period}`);
    expect(headers.status()).toBe(200);
    expect(headers.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(headers.headers()['content-disposition']).toBe(`attachment; filename="invoices-${period}.csv"`);

    const csv = await download(page, '#invoices-csv');
    expect(csv.name).toBe(`invoices-${period}.csv`);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff); // BOM for Excel
    const [header, ...lines] = parseCsv(csv.text);
    expect(header![0]).toContain('invoice');
    expect(header!.at(-1)).toContain('amount');
    const amount = (r: CsvRow) => Number(r.at(-1));
    expect(lines.every((r) => Number.isInteger(amount(r)))).toBe(true);
    expect(lines.reduce((s, r) => s + amount(r), 0)).toBe(ledgerMonth.total);
    for (const inv of ledgerMonth.invoices) expect(lines.filter((r) => r[0] === inv.number).reduce((s, r) => s + amount(r), 0)).toBe(inv.total);
    expect(new Set(lines.map((r) => r[0]))).toEqual(new Set(ledgerMonth.invoices.map((i) => i.number)));

    const bad = await page.goto(`${server.url}/invoices?period=2026-13`);
    expect(bad!.status()).toBe(400);
    expect(await page.locator('.msg.err').innerText()).toContain('(period)');
    expect((await page.request.get(`${server.url}/invoices.csv?period=${encodeURIComponent('2026/11')}`)).status()).toBe(400);
    await page.context().close();
  });

  it("opens each issued invoice's document from the contract page: number, the issuer's registration number, total; 404 without one", async () => {
    const inv = (await e2e.deps.ledger.findInvoice('C-BO-M2', period))!;
    expect(inv).toBeDefined();
    const page = await signedIn('viewer1');
    await page.goto(`${server.url}/contracts/C-BO-M2`);
    await Promise.all([page.waitForURL(`${server.url}/contracts/C-BO-M2/invoices/${period}`), page.click('#invoices a.invoice-doc')]);
    await shot(page, 'invoice-document');
    const text = await page.locator('body').innerText();
    expect(text).toContain(inv.number);
    expect(text).toContain(e2e.settings.INVOICE_REGISTRATION_NUMBER);
    expect(inv.issuer.registrationNumber).toBe(e2e.settings.INVOICE_REGISTRATION_NUMBER);
    expect(text).toContain(yenText(inv.total));
    const none = await page.goto(`${server.url}/contracts/C-BO-LIVE/invoices/${period}`);
    expect(none!.status()).toBe(404);
    await page.context().close();
  });

  it("links the customer's page from the contract page: its billing name, its contract, the invoice still owed and the balance", async () => {
    const inv = (await e2e.deps.ledger.findInvoice('C-BO-M2', period))!;
    const page = await signedIn('viewer1');
    await page.goto(`${server.url}/contracts/C-BO-M2`);
    await Promise.all([page.waitForURL(/\/customers\/cus-/), page.click('#customer-page')]);
    await shot(page, 'customer-from-contract');
    expect(await page.locator('h1').innerText()).toContain('月次二号合同会社');
    expect(await page.locator('#contracts a[href="/contracts/C-BO-M2"]').count()).toBe(1);
    expect(await page.locator(`tr.open-invoice[data-invoice="${inv.number}"]`).innerText()).toContain(yenText(inv.outstanding));
    expect(await page.locator('#balance').innerText()).toBe(yenText(inv.outstanding));
    await page.context().close();
  });

  it("downloads each invoice's PDF from the contract page and the month's page: application/pdf, its SHA-256 the ledger's, the waived cloud fee stated; 404 without one", async () => {
    const inv = (await e2e.deps.ledger.findInvoice('C-BO-M2', period))!;
    const stored = (await e2e.deps.ledger.documents.find('C-BO-M2', period))!;
    expect(stored.sha256).toBe(createHash('sha256').update(stored.pdf).digest('hex'));
    const page = await signedIn('viewer1'); // the HTML copy's readers
    await page.goto(`${server.url}/contracts/C-BO-M2`);
    await shot(page, 'contract-invoice-pdf-link');
    const [d] = await Promise.all([page.waitForEvent('download'), page.click('#invoices a.invoice-pdf')]);
    expect(d.suggestedFilename()).toBe(`invoice-${inv.number}.pdf`);
    const bytes = readFileSync((await d.path())!);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(stored.sha256);
    const { pages } = await pdfText(bytes);
    const text = pages.join('').replace(/\s+/g, '');
    for (const s of ['月次二号合同会社御中', inv.number, yenText(inv.total), e2e.settings.INVOICE_REGISTRATION_NUMBER, '初月分をご請求しません'])
      expect(text, s).toContain(s);
    if (havePdftoppm) pdfPng(bytes, 'console-invoice-pdf');

    const r = await page.request.get(`${server.url}/contracts/C-BO-M2/invoices/${period}.pdf`);
    expect(r.status()).toBe(200);
    expect(r.headers()['content-type']).toBe('application/pdf');
    expect(
      createHash('sha256')
        .update(await r.body())
        .digest('hex'),
    ).toBe(stored.sha256);
    await page.goto(`${server.url}/invoices?period=${period}`);
    const month = page.locator(`tr.invoice-row[data-invoice="${inv.number}"] a.invoice-pdf`);
    expect(await month.getAttribute('href')).toBe(`/contracts/C-BO-M2/invoices/${period}.pdf`);
    expect((await page.request.get(`${server.url}/contracts/C-BO-LIVE/invoices/${period}.pdf`)).status()).toBe(404);
    await page.context().close();
    // Signed out: nothing.
    expect((await fetch(`${server.url}/contracts/C-BO-M2/invoices/${period}.pdf`, { redirect: 'manual' })).status).not.toBe(200);
  });

  it('changes the contact from the contract page: an invalid e-mail is refused naming email (nothing sent); then the ledger has the new e-mail and the contract revision 2', async () => {
    const page = await signedIn('clerk1');
    await page.goto(`${server.url}/contracts/C-BO-LIVE`);
    const before = (await auditOf('C-BO-LIVE')).length;
    await page.fill('#contact input[name=email]', 'not an e-mail');
    await page.click('#contact button[type=submit]');
    await expect.poll(() => page.locator('.msg.err').innerText()).toContain('email');
    await shot(page, 'contact-change-refused');
    expect((await auditOf('C-BO-LIVE')).length).toBe(before);
    expect((await e2e.deps.ledger.customers.ofContract('C-BO-LIVE'))!.contact!.email).toBe('keiri@example.co.jp');
    expect((await stateOf('C-BO-LIVE')).contactRevision).toBe(1);

    await page.fill('#contact input[name=email]', 'shin-keiri@example.co.jp');
    await page.fill('#contact input[name=contactPerson]', '経理 佐藤');
    await page.click('#contact button[type=submit]');
    await page.waitForSelector('.msg.ok');
    await shot(page, 'contact-changed');
    expect(await page.locator('#customer').innerText()).toContain('shin-keiri@example.co.jp');
    const customer = (await e2e.deps.ledger.customers.ofContract('C-BO-LIVE'))!;
    expect(customer.contact).toMatchObject({ email: 'shin-keiri@example.co.jp', contactPerson: '経理 佐藤', name: 'C-BO-LIVE 株式会社' });
    expect(customer.revision).toBe(2);
    expect((await stateOf('C-BO-LIVE')).contactRevision).toBe(2);
    const rows = (await auditOf('C-BO-LIVE')).filter((a) => a.actor.via === 'console');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      command: 'changeContact',
      outcome: 'accepted',
      details: { contactRevision: 2 },
      actor: { id: staff.clerk1!.id, role: 'clerk' },
    });
    expect(JSON.stringify(rows[0]!.details)).not.toContain('shin-keiri'); // no contact detail in the trail
    await page.context().close();

    const viewer = await signedIn('viewer1');
    await viewer.goto(`${server.url}/contracts/C-BO-LIVE`);
    expect(await viewer.locator('#contact').count()).toBe(0);
    const r = await viewer.request.post(`${server.url}/contracts/C-BO-LIVE/contact`, {
      form: { _csrf: await csrfOf(viewer), email: 'x@example.co.jp' },
      maxRedirects: 0,
    });
    expect(r.status()).toBe(403);
    expect((await e2e.deps.ledger.customers.ofContract('C-BO-LIVE'))!.contact!.email).toBe('shin-keiri@example.co.jp');
    await viewer.context().close();
  });

  it('exports the audit trail: N commands attempted through the console and the CLI (some refused) are exactly N rows with their actors and outcomes', async () => {
    const id = 'C-BO-AUD';
    const clerk = await signedIn('clerk1');
    await clerk.goto(`${server.url}/contracts/${id}`);
    await clerk.fill('#pay input[name=amount]', '1,000');
    await clerk.click('#pay button[type=submit]');
    await clerk.waitForSelector('.msg.ok');
    const forged = await clerk.request.post(`${server.url}/contracts/${id}/approve`, { form: { _csrf: await csrfOf(clerk), startDate: today } });
    expect(await forged.text()).toContain('契約が拒否しました'); // a clerk may not approve
    expect((await e2e.cli(['pay', id, '--amount', '2,000'])).code).toBe(0);
    expect((await e2e.cli(['approve', id, '--start-date', today])).code).toBe(3); // already active: refused
    const clerkId = staff.clerk1!.id;
    const expected = [
      ['apply', 'accepted', 'api'],
      ['approve', 'accepted', 'api'],
      ['pay', 'accepted', 'console', clerkId, 'clerk'],
      ['approve', 'refused', 'console', clerkId, 'clerk'],
      ['pay', 'accepted', 'api'],
      ['approve', 'refused', 'api'],
    ];

    await clerk.goto(`${server.url}/contracts/${id}`);
    await shot(clerk, 'contract-audit');
    const csv = await download(clerk, '#audit-csv');
    expect(csv.name).toBe(`audit-${id}.csv`);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toHaveLength(9);
    expect(rows).toHaveLength(expected.length);
    const ledgerRows = [...(await auditOf(id))].reverse();
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]])).toEqual(
      ledgerRows.map((a) => [a.at, a.actor.id, a.actor.role, a.actor.via, id, a.command, a.requestId, a.outcome]),
    );
    rows.forEach((r, i) => {
      const [command, outcome, via, actorId, role] = expected[i]!;
      expect([r[5], r[7], r[3]]).toEqual([command, outcome, via]);
      if (actorId) expect([r[1], r[2]]).toEqual([actorId, role]);
      else expect(r[1]).toBe(ledgerRows[0]!.actor.id); // the person of the CLI's API token, every time
      if (outcome === 'refused') expect(r[8]).not.toBe('');
    });

    // All contracts over a date range: today's export holds these rows too, and only today's.
    const day = await clerk.request.get(`${server.url}/audit.csv?from=${today}&to=${today}`);
    expect(day.status()).toBe(200);
    expect(day.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const all = parseCsv(await day.text()).slice(1);
    expect(all.filter((r) => r[4] === id)).toHaveLength(expected.length);
    expect(all.some((r) => r[4] === 'C-BO-LIVE')).toBe(true);
    expect(all.length).toBe((await e2e.deps.ledger.audit.list({ limit: 10_000 })).length);
    const earlier = parseCsv(await (await clerk.request.get(`${server.url}/audit.csv?from=2020-01-01&to=2020-01-31`)).text());
    expect(earlier).toHaveLength(1); // the header only
    const backwards = await clerk.request.get(`${server.url}/audit.csv?from=${today}&to=2020-01-01`);
    expect(backwards.status()).toBe(400);
    expect(await backwards.text()).toContain('to');
    await clerk.context().close();
  });

  it('shows the last billing run on the dashboard, newest first, with its status and progress', async () => {
    const runs: Array<{ workflowId: string; startTime: Date; status: string }> = [];
    for await (const wf of e2e.env.client.workflow.list({ query: 'WorkflowType = "billingRun"' }))
      runs.push({ workflowId: wf.workflowId, startTime: wf.startTime, status: wf.status.name });
    expect(runs.length).toBeGreaterThan(0);
    const newest = runs.sort((a, b) => b.startTime.getTime() - a.startTime.getTime())[0]!;
    const page = await signedIn('viewer1');
    await eventually(
      async () => {
        await page.goto(`${server.url}/`);
        return page.locator('#billing-run-status').innerText();
      },
      (s) => s === 'completed',
    );
    await shot(page, 'dashboard-billing-run');
    const section = await page.locator('#billing-run').innerText();
    expect(section).toContain(newest.workflowId);
    // The three shifted contracts billed; the two of today had nothing to bill for last month.
    expect(await page.locator('#billing-run-progress').innerText()).toBe(
      `${period}: 請求 ${billed.length} · 請求済み 0 · 請求なし 2 · 失敗 0 / ${billed.length + 2} 件 · 完了`,
    );
    await page.context().close();
  });

  it('billing runs page: a clerk cannot start one; a month not over is refused and audited; a re-run bills nothing twice; a failed run is re-run from its page', async () => {
    const runsNow = async () => (await e2e.env.client.workflow.count('WorkflowType = "billingRun"')).count;
    const clerk = await signedIn('clerk1');
    await clerk.goto(`${server.url}/billing-runs`);
    expect(await clerk.locator('#start-run').count()).toBe(0);
    const forged = await clerk.request.post(`${server.url}/billing-runs`, {
      form: { _csrf: await clerk.locator('input[name=_csrf]').first().inputValue(), period },
    });
    expect(forged.status()).toBe(403);
    await clerk.context().close();

    const sup = await signedIn('super1');
    await sup.goto(`${server.url}/billing-runs?lang=en`);
    await shot(sup, 'billing-runs');
    expect(await sup.locator('#runs tr.run').count()).toBeGreaterThan(0);
    const before = await runsNow();
    await sup.fill('#start-run input[name=period]', monthOf(today));
    await sup.click('#start-run button[type=submit]');
    expect(await sup.locator('.msg.err').innerText()).toContain(`period: ${monthOf(today)} is not over yet (today is ${today})`);
    expect(await runsNow()).toBe(before); // nothing started
    const refused = (await e2e.deps.ledger.audit.list({ actorId: staff.super1!.id })).find((a) => a.command === 'billingRun');
    expect(refused).toMatchObject({ outcome: 'refused', contractId: null, actor: { role: 'supervisor', via: 'console' } });

    // Last month again: every contract was billed by the first run, so none is billed twice.
    await sup.fill('#start-run input[name=period]', period);
    await sup.click('#start-run button[type=submit]');
    expect(sup.url()).toContain('/billing-runs/billing-run-');
    // The page refreshes itself while the run goes on (a meta refresh): read it, never reload it under the refresh.
    await eventually(
      () =>
        sup
          .locator('#run-status')
          .innerText({ timeout: 5_000 })
          .catch(() => ''),
      (s) => s === 'completed',
      60_000,
    );
    await shot(sup, 'billing-run');
    expect(await sup.locator('#run-progress').innerText()).toBe(
      `${period}: billed 0 · already billed ${billed.length} · nothing to bill 2 · failed 0 of ${billed.length + 2} · done`,
    );
    for (const c of billed) expect((await e2e.deps.ledger.listInvoices(c.id)).filter((i) => i.period === period)).toHaveLength(1);

    // A targeted run naming a contract that does not exist fails, visibly; its page offers the re-run.
    const failing = await e2e.env.client.workflow.start('billingRun', {
      taskQueue: e2e.settings.TASK_QUEUE,
      workflowId: 'billing-run-console-failing',
      args: [{ period, contractIds: ['C-NO-SUCH-CONTRACT'] }],
    });
    await failing.result().catch(() => undefined);
    await sup.goto(`${server.url}/billing-runs/billing-run-console-failing`);
    expect(await sup.locator('#run-status').innerText()).toBe('failed');
    expect(await sup.locator('#failures').innerText()).toContain('C-NO-SUCH-CONTRACT');
    await shot(sup, 'billing-run-failed');
    await sup.click('#rerun button[type=submit]');
    expect(sup.url()).toContain(`/billing-runs/billing-run-${period}-rerun-`);
    const rerun = (await e2e.deps.ledger.audit.list({ actorId: staff.super1!.id })).find((a) => a.command === 'billingRunRerun');
    expect(rerun).toMatchObject({ outcome: 'accepted', details: { period, contracts: 1 } });
    // Re-running a run that does not exist is a 404 naming it, never a 500 (issue 28).
    const unknown = await sup.request.post(`${server.url}/billing-runs/billing-run-2020-01-now-none/rerun`, { form: { _csrf: await csrfOf(sup) } });
    expect(unknown.status()).toBe(404);
    expect(await unknown.text()).toContain('billing-run-2020-01-now-none');
    await sup.context().close();
  });

  it('flags a contract whose effects failed ("needs attention") on its page; one without failed effects is not flagged', async () => {
    const id = 'C-BO-FAIL';
    const mailer = e2e.deps.mailer;
    const send = mailer.send.bind(mailer);
    mailer.send = async (mail) => {
      if (mail.contractId === id && mail.kind === 'approved') throw ApplicationFailure.nonRetryable('550 mailbox unavailable', 'BadNoticeData');
      return send(mail);
    };
    try {
      expect((await e2e.cli(['apply', id, '--name', '通知失敗株式会社', '--email', 'keiri@example.co.jp', '--plan', 'entry', '--linux', '1'])).code).toBe(0);
      expect((await e2e.cli(['approve', id, '--start-date', today])).code).toBe(0);
      await eventually(
        () => stateOf(id),
        (s) => s.failedEffects.length > 0,
      );
    } finally {
      mailer.send = send;
    }
    const page = await signedIn('viewer1');
    await page.goto(`${server.url}/contracts/${id}`);
    await shot(page, 'contract-needs-attention');
    const flag = await page.locator('#attention').innerText();
    expect(flag).toContain('要対応');
    expect(flag).toContain('550 mailbox unavailable');
    expect(flag).toContain('approved');
    await page.goto(`${server.url}/contracts/C-BO-LIVE`);
    expect(await page.locator('#attention').count()).toBe(0);
    await page.context().close();
  });
});
