/**
 * One contract's whole life through the console alone (issue 30, item 7), in Debian's headless Chromium: a
 * new customer's application at /contracts/new, its approval, the first month's invoice from a billing run
 * started on the billing runs page, the payment keyed on the contract page, a cancellation quoted and
 * confirmed in yen, the last day, the end and the deletion of the customer's data the day after (D-8), and
 * the final invoice with the fee from a last billing run. Every step is a full-page screenshot
 * (walk-NN-<step>.png) and is asserted on the page, on the contract's state, on the audit rows (person and
 * command), on the outbox's mails and, at the end, on the ledger holding nothing of the customer but the
 * name on the billing records (as test/e2e/personal-data.test.ts checks). Only the staff are made directly.
 *
 * Months pass, so the console and the real activities run against the time-skipping server. Two stand-ins
 * for what that server lacks, both outside the console: (1) this process's Date.now() follows the server's
 * clock, as a real server's follows the wall clock, so the console's "today" is the contract's today; (2) the
 * server has no visibility queries, so the billing run's listing activities answer with this walk's contract
 * instead of a query (the run itself, its start and its closing of the contract are the real ones). The
 * console's lists that read visibility (the dashboard's, the contracts table) say they could not read it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, openDependencies } from '../../src/activities';
import { createBillingRunActivities } from '../../src/activities/billing-run';
import { createProviderActionActivities } from '../../src/activities/provider-action';
import { addDays, jstDateOf, lastDayOf, monthOf, monthsBetween, nthBusinessDay, startOfDayJst } from '../../src/domain/calendar';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { loadSettings } from '../../src/settings';
import type { ListPage } from '../../src/workflows/billing-run-activities';
import { quoteCancellationQuery, stateQuery } from '../../src/workflows/contract/messages';
import { eventually } from '../e2e/harness';
import { TEST_CODEC_KEYS, testDataConverter, timeSkippingEnv, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';
import { CHROMIUM, SHOTS, haveChromium, launchChromium, signIn, staffMember } from './support';

if (!haveChromium) console.warn(`life-walk.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

const ID = 'C-WALK-1';
const CUSTOMER = {
  name: '株式会社ウォーク商事',
  email: 'keiri@walk-shoji.example.co.jp',
  contactPerson: '歩田 一郎',
  address: '東京都千代田区丸の内9-9-9',
  phone: '03-9999-0001',
};
const HOUR = 3_600_000;

describe.skipIf(!haveChromium)(`a contract's whole life through the console (needs ${CHROMIUM})`, () => {
  let dir: string;
  let env: TestWorkflowEnvironment;
  let deps: Awaited<ReturnType<typeof openDependencies>>;
  let worker: Worker;
  let running: Promise<void>;
  let server: ConsoleServer;
  let browser: Browser;
  const people: Record<string, string> = {};
  const realNow = Date.now;
  let skew = 0;
  let shotNo = 0;

  const url = (path: string) => `${server.url}${path}`;
  const stateOf = () => env.client.workflow.getHandle(ID).query(stateQuery);
  /** The contract's audit rows, newest first. */
  const auditOf = async () =>
    (await deps.ledger.audit.list({ contractId: ID })).map((a) => ({ person: a.actor.id, via: a.actor.via, command: a.command, outcome: a.outcome }));
  const shot = (page: Page, step: string) => page.screenshot({ path: join(SHOTS, `walk-${String(++shotNo).padStart(2, '0')}-${step}.png`), fullPage: true });
  const outbox = () => (existsSync(join(dir, 'outbox')) ? readdirSync(join(dir, 'outbox')).filter((f) => f.startsWith(`${ID}~`)) : []);
  /** The server's clock, which the console reads as the wall clock. */
  const today = () => jstDateOf(Date.now());
  /** Let the server's clock run to `hour` JST on `day` (the contract's timers fire on the way), then settle. */
  const passTo = async (day: string, hour: number) => {
    const delta = startOfDayJst(day) + hour * HOUR - (await env.currentTimeMs());
    if (delta > 0) await env.sleep(delta);
    skew = (await env.currentTimeMs()) - realNow();
    await eventually(stateOf, (s) => s.pendingEffects === 0 && !s.nextDeadlines.some((d) => Date.parse(d.dueAt) <= Date.now()));
  };
  const jstHour = () => Math.floor((Date.now() / HOUR + 9) % 24);
  const yen = (n: number) => `${n.toLocaleString('en-US')}円`;
  const q = (sql: string) => deps.ledger.db.query(sql, [ID]).then((r) => r.rows);
  const customerRow = async () =>
    (await q('SELECT name, email, contact_person, address, phone, contact_removed_on::text AS removed FROM customers WHERE contract_id = $1'))[0];
  const notices = async () =>
    (await q('SELECT kind, status, recipient_email FROM notices WHERE contract_id = $1 ORDER BY on_date, kind')) as Array<{
      kind: string;
      status: string;
      recipient_email: string | null;
    }>;
  /** The outbox's mails of this contract, oldest first: the notice kind (from the file's name), the recipient and the text. */
  const mails = async () => {
    const files = outbox().sort((a, b) => statSync(join(dir, 'outbox', a)).mtimeMs - statSync(join(dir, 'outbox', b)).mtimeMs);
    return Promise.all(
      files.map(async (f) => {
        const m = await simpleParser(readFileSync(join(dir, 'outbox', f)));
        return { kind: f.split('_')[1]!, to: (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address, text: m.text ?? '' };
      }),
    );
  };
  /** Reload a billing run's page until the run has completed. */
  const runCompletes = (page: Page) =>
    expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('#run-status').innerText();
        },
        { timeout: 60_000, interval: 500 },
      )
      .toMatch(/完了|completed/);
  /** Follow a link and wait for its page. */
  const submitLink = async (page: Page, link: string) => {
    await Promise.all([page.waitForNavigation(), page.click(link)]);
  };
  /** Sign in anew (a session lapses while months pass). */
  const again = async (page: Page, login: string) => {
    await page.context().close();
    return signIn(browser, server.url, login);
  };
  const submit = async (page: Page, form: string) => {
    await Promise.all([page.waitForNavigation(), page.click(`${form} button[type=submit]`)]);
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = await mkdtemp(join(tmpdir(), 'neutrix-walk-'));
    env = await timeSkippingEnv();
    Date.now = () => realNow() + skew;
    skew = (await env.currentTimeMs()) - realNow();
    const settings = loadSettings({ DATA_DIR: dir, TASK_QUEUE: uniqueTaskQueue('walk'), NEUTRIX_CODEC_KEYS: TEST_CODEC_KEYS });
    deps = await openDependencies(settings);
    const client = new Client({ connection: env.nativeConnection, dataConverter: testDataConverter });
    const nothing = { ids: [] as string[], nextPageToken: null };
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: settings.TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: {
        ...createActivities(deps),
        ...createBillingRunActivities(client),
        ...createProviderActionActivities(client, deps.ledger),
        // The time-skipping server answers no visibility query: the run's listing is this walk's one contract.
        countContractsToBill: async () => 1,
        listContractsToBillPage: async (p: ListPage) => (p.startedSince || p.nextPageToken ? nothing : { ids: [ID], nextPageToken: null }),
      },
      dataConverter: testDataConverter,
    });
    running = worker.run();
    server = await startConsole({
      ledger: deps.ledger,
      // A plain client, as in production: the time-skipping client's result() would let the server's clock run.
      client: new Client({ connection: env.connection, dataConverter: testDataConverter }),
      settings: { ...settings, CONSOLE_SESSION_SECRET: 'walk-session-secret-'.padEnd(40, 'x') },
      port: 0,
    });
    for (const [login, role] of [
      ['walk-clerk', 'clerk'],
      ['walk-sup', 'supervisor'],
    ] as const)
      people[login] = (await staffMember(deps.ledger, login, `${role} ${login}`, role)).id;
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    worker?.shutdown();
    await running?.catch(() => undefined);
    await deps?.close();
    await env?.teardown();
    Date.now = realNow;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('walks from the application to the deletion of the customer’s data', async () => {
    const applied = today();
    // 1. The clerk signs in and records the application of a new customer.
    let clerk = await signIn(browser, server.url, 'walk-clerk');
    await shot(clerk, 'signed-in');
    await submitLink(clerk, 'header a[href="/contracts/new"]');
    await clerk.fill('#application input[name=contractId]', ID);
    await clerk.fill('#application input[name=name]', CUSTOMER.name);
    await clerk.fill('#application input[name=email]', CUSTOMER.email);
    await clerk.fill('#application input[name=contactPerson]', CUSTOMER.contactPerson);
    await clerk.fill('#application input[name=address]', CUSTOMER.address);
    await clerk.fill('#application input[name=phone]', CUSTOMER.phone);
    await clerk.selectOption('#application select[name=plan]', 'standard');
    await clerk.fill('#application input[name=linux]', '2');
    await clerk.fill('#application input[name=cloudMonthlyFee]', '30,000');
    await shot(clerk, 'application-form');
    await submit(clerk, '#application');
    expect(clerk.url()).toBe(url(`/contracts/${ID}`));
    expect(await clerk.getAttribute('.msg', 'class')).toContain('ok');
    await shot(clerk, 'application-recorded');
    const pending = await stateOf();
    expect(pending).toMatchObject({ status: 'pending', appliedOn: applied });
    expect(pending.terms).toMatchObject({ plan: 'standard', components: [{ os: 'linux' }, { os: 'linux' }], cloudMonthlyFee: 30000 });
    expect((await deps.ledger.customers.ofContract(ID))?.contact).toMatchObject(CUSTOMER);
    expect(await auditOf()).toEqual([{ person: people['walk-clerk'], via: 'console', command: 'apply', outcome: 'accepted' }]);
    expect(await clerk.locator('#approve').count()).toBe(0); // a clerk does not approve

    // 2. The supervisor approves it, usage starting today (the form's default): managed 20,000 + 2 × 9,000, cloud 30,000.
    let sup = await signIn(browser, server.url, 'walk-sup');
    await sup.goto(url(`/contracts/${ID}`));
    expect(await sup.inputValue('#approve input[name=startDate]')).toBe(applied);
    await submit(sup, '#approve');
    expect(await sup.getAttribute('.msg', 'class')).toContain('ok');
    await passTo(applied, jstHour() + 1); // an hour on: the approval's mail is out
    await sup.reload();
    await shot(sup, 'approved');
    expect(await stateOf()).toMatchObject({ status: 'active', startDate: applied, fees: { managedTotal: 38000, cloudMonthly: 30000, fixedMonthlyFee: 68000 } });
    expect((await auditOf())[0]).toEqual({ person: people['walk-sup'], via: 'console', command: 'approve', outcome: 'accepted' });
    expect((await mails()).map(({ kind, to }) => ({ kind, to }))).toEqual([
      { kind: 'applicationReceived', to: CUSTOMER.email },
      { kind: 'approved', to: CUSTOMER.email },
    ]);

    // 3. On the 1st of the next month: the month's invoice, from a billing run the supervisor starts on the billing runs page.
    const period = applied.slice(0, 7);
    await passTo(addDays(lastDayOf(period), 1), 0.25);
    sup = await again(sup, 'walk-sup'); // weeks on, the old session has lapsed
    await submitLink(sup, 'header a[href="/billing-runs"]');
    expect(await sup.inputValue('#start-run input[name=period]')).toBe(period); // the month just over
    await shot(sup, 'billing-runs');
    await submit(sup, '#start-run');
    expect(sup.url()).toContain('/billing-runs/');
    await runCompletes(sup);
    await shot(sup, 'billing-run-done');
    expect(await sup.locator('#run-progress').innerText()).toMatch(/請求 1 |billed 1 /);
    const invoice = (await stateOf()).invoices.find((i) => i.period === period)!;
    // The initial fee (50,000 for two components) and the month's managed fee (38,000), the cloud fee (30,000) only
    // when S is before the month's 2nd business day (Appendix 3), 10 % tax once on the sum (D-10).
    const taxable = 50000 + 38000 + (applied < nthBusinessDay(period, 2) ? 30000 : 0);
    expect(invoice).toMatchObject({
      issuedOn: today(),
      taxableSubtotal: taxable,
      tax: taxable / 10,
      total: taxable + taxable / 10,
      outstanding: taxable + taxable / 10,
    });
    expect((await deps.ledger.audit.list({ actorId: people['walk-sup'] })).map((a) => [a.command, a.outcome, a.details])).toContainEqual([
      'billingRun',
      'accepted',
      { period },
    ]);
    const invoiceMail = (await mails()).at(-1)!;
    expect(invoiceMail).toMatchObject({ kind: 'invoiceIssued', to: CUSTOMER.email });
    expect(invoiceMail.text).toContain(yen(invoice.total));

    // 4. The clerk keys the customer's payment of that invoice on the contract page, the amount as the page shows it.
    clerk = await again(clerk, 'walk-clerk');
    await clerk.goto(url(`/contracts/${ID}`));
    const owed = await clerk.locator('#outstanding').innerText();
    expect(owed).toBe(yen(invoice.total));
    await clerk.fill('#pay input[name=amount]', owed);
    await shot(clerk, 'payment-form');
    await submit(clerk, '#pay');
    expect(await clerk.getAttribute('.msg', 'class')).toContain('ok');
    await shot(clerk, 'payment-recorded');
    expect(await clerk.locator('#outstanding').innerText()).toBe(yen(0));
    expect((await stateOf()).invoices.find((i) => i.period === period)).toMatchObject({ paid: invoice.total, outstanding: 0 });
    expect((await deps.ledger.listPayments(ID)).map((p) => [p.amount, p.paidOn])).toEqual([[invoice.total, today()]]);
    expect((await auditOf())[0]).toEqual({ person: people['walk-clerk'], via: 'console', command: 'pay', outcome: 'accepted' });
    await eventually(mails, (m) => m.at(-1)?.kind === 'paymentReceived');
    expect((await mails()).at(-1)).toMatchObject({ kind: 'paymentReceived', to: CUSTOMER.email });

    // 5. The customer cancels (Art. 28: 60 days' notice) at the earliest end day: quoted, then confirmed, the fee in yen on both pages.
    const { earliestEndDay: lastDay } = await env.client.workflow.getHandle(ID).query(quoteCancellationQuery, today());
    expect(lastDay >= addDays(today(), 60)).toBe(true);
    await clerk.fill('#cancel-quote input[name=endDate]', lastDay);
    await submit(clerk, '#cancel-quote');
    const etfShown = await clerk.locator('#quote-etf').innerText();
    const owesShown = await clerk.locator('#owes').innerText(); // after the last invoice, if nothing more is paid
    expect(await clerk.locator('#etf').innerText()).toBe(etfShown);
    // Art. 11: the minimum term's last day is S + 1 year − 1 day; D-4: the fixed monthly fee (68,000) for every month after the end's through that one.
    const minimumTermEnd = addDays(`${Number(applied.slice(0, 4)) + 1}${applied.slice(4)}`, -1);
    const monthsLeft = monthsBetween(monthOf(lastDay), monthOf(minimumTermEnd));
    expect((await stateOf()).minimumTermEnd).toBe(minimumTermEnd);
    expect(etfShown).toBe(yen(68000 * monthsLeft));
    expect((await stateOf()).end).toBeNull(); // nothing sent before confirming
    await shot(clerk, 'cancel-confirm');
    await submit(clerk, '#cancel-confirm');
    await shot(clerk, 'cancelled');
    expect((await stateOf()).end).toMatchObject({ kind: 'cancellation', lastDay, earlyTerminationFee: 68000 * monthsLeft });
    expect(await clerk.locator('#fixed-etf').innerText()).toBe(etfShown);
    expect((await auditOf())[0]).toEqual({ person: people['walk-clerk'], via: 'console', command: 'cancel', outcome: 'accepted' });
    // The contract page's audit section names the people, newest first: cancel, pay (the clerk), approve (the supervisor), apply (the clerk).
    const auditRows = await clerk
      .locator('#audit tr')
      .evaluateAll((rows) => rows.slice(1).map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    // Each row's person (the second cell) and command (the third, by its Japanese name).
    expect(auditRows.map((r) => [/walk-(clerk|sup)/.exec(r[1] ?? '')?.[0], r[2]])).toEqual([
      ['walk-clerk', '解約'],
      ['walk-clerk', '入金の記録'],
      ['walk-sup', '承諾'],
      ['walk-clerk', '申込'],
    ]);
    await eventually(mails, (m) => m.at(-1)?.kind === 'cancellationAccepted');
    expect((await mails()).map((m) => m.kind)).toEqual(['applicationReceived', 'approved', 'invoiceIssued', 'paymentReceived', 'cancellationAccepted']);

    // 6. The last day: still in service, its end shown.
    await passTo(lastDay, 12);
    clerk = await again(clerk, 'walk-clerk');
    await clerk.goto(url(`/contracts/${ID}`));
    await shot(clerk, 'last-day');
    expect(await stateOf()).toMatchObject({ status: 'active', dataDeletedOn: null });
    expect(await clerk.locator('#fixed-end').innerText()).toContain(lastDay);

    // 7. The day after (D-8): the contract has ended and the customer's data is deleted; the name stays on the billing records.
    const deletedOn = addDays(lastDay, 1);
    await passTo(deletedOn, 9);
    clerk = await again(clerk, 'walk-clerk');
    await clerk.goto(url(`/contracts/${ID}`));
    await shot(clerk, 'ended-data-deleted');
    expect(await stateOf()).toMatchObject({ status: 'ended', endDate: lastDay, dataDeletedOn: deletedOn, failedEffects: [] });
    expect(await clerk.locator('#customer').innerText()).toContain(deletedOn);
    expect(await clerk.locator('#customer').innerText()).not.toContain(CUSTOMER.email);
    expect(await customerRow()).toEqual({ name: CUSTOMER.name, email: null, contact_person: null, address: null, phone: null, removed: deletedOn });
    expect(outbox()).toEqual([]); // the mails' copies are gone with the contact
    expect(await notices()).toContainEqual({ kind: 'dataDeleted', status: 'sent', recipient_email: null });
    expect((await notices()).every((n) => n.recipient_email === null)).toBe(true);

    // 8. The 1st after the last month: the final invoice, from the console again, carries the fee confirmed in step 5 and
    // leaves owed what the confirmation said; it is not mailed (no contact).
    const lastPeriod = lastDay.slice(0, 7);
    await passTo(addDays(lastDayOf(lastPeriod), 1), 0.25);
    sup = await again(sup, 'walk-sup');
    await sup.goto(url('/billing-runs'));
    expect(await sup.inputValue('#start-run input[name=period]')).toBe(lastPeriod);
    await submit(sup, '#start-run');
    await runCompletes(sup);
    await shot(sup, 'final-billing-run');
    const final = (await stateOf()).invoices.find((i) => i.period === lastPeriod)!;
    expect(final.lines.filter((l) => l.kind === 'earlyTermination').map((l) => [l.amount, l.taxable])).toEqual([[68000 * monthsLeft, false]]);
    expect(await notices()).toContainEqual({ kind: 'invoiceIssued', status: 'withheld', recipient_email: null });
    expect(outbox()).toEqual([]);
    await sup.goto(url(`/contracts/${ID}`));
    await shot(sup, 'final-invoice');
    expect(await sup.locator('#invoices').innerText()).toContain(etfShown);
    // What the confirmation said would be owed after the last invoice: every month billed since the payment, none paid.
    const owedAtEnd = (await stateOf()).invoices.reduce((sum, i) => sum + i.outstanding, 0);
    expect(await sup.locator('#outstanding').innerText()).toBe(yen(owedAtEnd));
    expect(yen(owedAtEnd)).toBe(owesShown);
    expect(await customerRow()).toMatchObject({ email: null, removed: deletedOn });
    await clerk.context().close();
    await sup.context().close();
  }, 600_000);
});
