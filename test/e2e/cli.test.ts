/**
 * The back office end to end, on a real dev server with the real worker (ledger, .eml outbox): the
 * `neutrix` CLI drives contracts through apply → approve → billing run → pay → cancel, and the Temporal
 * CLI sees and drives the same contracts (visibility, the `state` query, the monthly-billing schedule).
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stateQuery } from '../../src/workflows/contract/messages';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceDueDay } from '../../src/domain/billing';
import { addDays, addMonths, firstDayOf, jstDateOf, lastDayOf, monthOf, startOfDayJst } from '../../src/domain/calendar';
import { cancellationDeadline, earliestCancellationEnd, minimumTermEnd } from '../../src/domain/lifecycle';
import { applicationStartOptions } from '../../src/backoffice/commands/apply';
import { ApiTokens } from '../../src/backoffice/api-tokens';
import { ledgerAccessOf } from '../../src/backoffice/ledger-client';
import { People } from '../../src/backoffice/people';
import { personWithToken } from '../helpers/api-token';
import { ensureBillingSchedule } from '../../src/infra/schedule';
import type { Application } from '../../src/domain/validation';
import type { contract } from '../../src/workflows/contract/workflow';
import { eventually, startE2e, type CliRun, type E2e } from './harness';
import { SIMULATED_CLOCK_OFFSET_MEMO } from '../../src/simulation/workflow-clock';

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e?.teardown());

/** Months from the month after `a` through `b` (the ETF's remaining months, D-4). */
function monthsAfter(a: string, b: string): number {
  const n = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  return n(b.slice(0, 7)) - n(a.slice(0, 7));
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe('a clerk with the spawned CLI, in real time', () => {
  const id = 'C-E2E-1';
  const today = jstDateOf(Date.now());

  it('apply: records the application with fees and the decision deadline; a repeat is safe, a reused id is refused', async () => {
    const args = [
      'apply',
      id,
      '--name',
      '株式会社サンプル',
      '--email',
      'billing@example.co.jp',
      '--plan',
      'standard',
      '--linux',
      '1',
      '--windows',
      '1',
      '--cloud-fee',
      '30,000',
    ];
    const first = await e2e.spawnCli([...args, '--request-id', 'apply-e2e-1']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('C-E2E-1 apply: application recorded');
    expect(first.stdout).toMatch(/monthly fee\s+68,000円 before tax \(managed 38,000円 \+ cloud 30,000円\)/);
    expect(first.stdout).toMatch(/initial fee\s+50,000円/);
    expect(first.stdout).toContain(`decide by    ${addDays(today, 60)}`);
    expect(first.stdout).toContain('--request-id apply-e2e-1');

    const repeat = await e2e.cli([...args, '--request-id', 'apply-e2e-1']);
    expect(repeat.code).toBe(0);
    expect(repeat.stdout).toContain('already recorded with this request id; nothing changed');

    const reused = await e2e.cli([...args]);
    expect(reused.code).toBe(3);
    expect(lines(reused.stderr)).toHaveLength(1);
    expect(reused.stderr).toContain('already exists');

    // No personal data where the Web UI shows it unencrypted.
    const d = await e2e.env.client.workflow.getHandle(id).describe();
    expect(await d.staticSummary()).toBe('Contract C-E2E-1: standard, 2 component(s)');
    expect(`${await d.staticSummary()} ${await d.staticDetails()}`).not.toMatch(/サンプル|example\.co\.jp/);
  });

  it('invalid arguments are refused before anything is sent, naming the flag (exit 2)', async () => {
    const bad = await e2e.spawnCli(['approve', id, '--start-date', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('neutrix approve: --start-date: expected a date YYYY-MM-DD that exists on the calendar (got "2026-02-30")');
    const huge = await e2e.cli(['approve', id, '--start-date', '9'.repeat(100_000)]);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain(`--start-date: expected a date YYYY-MM-DD that exists on the calendar (got "${'9'.repeat(59)}… (100000 characters)")`);
    expect(huge.stderr.length).toBeLessThan(1000); // the value is not echoed whole
    const unknown = await e2e.cli(['pay', id, '--amout', '100']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--amout'");
    // Amounts as a clerk types them: commas must group three digits.
    for (const amount of ['1,2,3', '84,70']) {
      const r = await e2e.cli(['pay', id, '--amount', amount]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--amount: expected the payment in whole yen (a number) (got "${amount}")`);
    }
    const future = await e2e.cli([
      'apply',
      'C-E2E-FUTURE',
      '--name',
      '株式会社未来',
      '--email',
      'mirai@example.co.jp',
      '--plan',
      'entry',
      '--linux',
      '1',
      '--applied-on',
      addDays(today, 1),
    ]);
    expect(future.code).toBe(3);
    expect(future.stderr).toContain(`the application is dated ${addDays(today, 1)}, after today ${today}`);
    const old = await e2e.cli([
      'apply',
      'C-E2E-OLD',
      '--name',
      '株式会社過去',
      '--email',
      'kako@example.co.jp',
      '--plan',
      'entry',
      '--linux',
      '1',
      '--applied-on',
      addDays(today, -61),
    ]);
    expect(old.code).toBe(3);
    expect(old.stderr).toContain('is older than its 60-day approval window');
    expect(await e2e.deps.ledger.customers.ofContract('C-E2E-FUTURE')).toBeUndefined(); // nothing written
    expect((await e2e.cli(['show', id, '--json'])).stdout).toContain('"status": "pending"'); // still pending: nothing was sent
  });

  it('approve, billing run, payment, quote and cancellation', async () => {
    const approved = await e2e.spawnCli(['approve', id, '--start-date', today]);
    expect(approved.code).toBe(0);
    const minEnd = minimumTermEnd(today);
    expect(approved.stdout).toContain(`approved; usage starts ${today}, minimum term ends ${minEnd}`);

    const period = addMonths(monthOf(today), -1);
    const run = await e2e.spawnCli(['billing-run', 'now']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`billing run for ${period}`);
    expect(run.stdout).toMatch(/done: \d+ contract\(s\) billed for \d{4}-\d{2}/);

    // Nothing is billed yet (the first month is billed on the 1st of the next): the payment is an advance.
    const pay = await e2e.cli(['pay', id, '--amount', '10,000', '--request-id', 'pay-e2e-1']);
    expect(pay.code).toBe(0);
    expect(pay.stdout).toContain('payment of 10,000円 applied; 10,000円 held as advance payment');
    expect(pay.stdout).not.toMatch(/said|"code"/); // the catalogue's code is for screens, not printed as a fact
    const again = await e2e.cli(['pay', id, '--amount', '10000', '--request-id', 'pay-e2e-1']);
    expect(again.code).toBe(0);
    const shown = JSON.parse((await e2e.cli(['show', id, '--json'])).stdout) as { credit: number; status: string };
    expect(shown).toMatchObject({ status: 'active', credit: 10_000 }); // the repeat took effect once

    const earliest = earliestCancellationEnd(today);
    const late = await e2e.spawnCli(['cancel', id, '--end-date', addDays(today, 30)]);
    expect(late.code).toBe(3);
    expect(late.stdout).toBe('');
    expect(lines(late.stderr)).toHaveLength(1);
    expect(late.stderr).toContain(`neutrix cancel: C-E2E-1: refused (第28条): notice for ${addDays(today, 30)} had to arrive by`);
    expect(late.stderr).toContain(`the earliest end day a notice given today can reach is ${earliest}`);
    // NEUTRIX_LANG=ja: the same refusal in the back office's Japanese (the message catalogue), nothing sent either.
    const lateJa = await e2e.spawnCli(['cancel', id, '--end-date', addDays(today, 30)], { NEUTRIX_LANG: 'ja' });
    expect(lateJa.code).toBe(3);
    expect(lateJa.stderr).toContain(`に終了するには ${cancellationDeadline(addDays(today, 30))} までに通知が必要でした`);
    expect(lateJa.stderr).toContain(`今日の通知で指定できる最も早い終了日は ${earliest} です`);

    const etf = 68_000 * monthsAfter(earliest, minEnd);
    const quote = await e2e.cli(['quote-cancel', id]);
    expect(quote.code).toBe(0);
    expect(quote.stdout).toMatch(new RegExp(`end day\\s+${earliest}  possible`));
    expect(quote.stdout).toContain(`${etf.toLocaleString('en-US')}円 (不課税, 第11条2項)`);

    const cancel = await e2e.cli(['cancel', id, '--end-date', earliest, '--json', '--request-id', 'cancel-e2e-1']);
    expect(cancel.code).toBe(0);
    expect(JSON.parse(cancel.stdout)).toMatchObject({ ok: true, requestId: 'cancel-e2e-1', result: { endDate: earliest, earlyTerminationFee: etf } });

    const show = await e2e.cli(['show', id]);
    expect(show.stdout).toMatch(
      new RegExp(`end\\s+${earliest} \\(cancellation, by the customer, fixed ${today}\\); early termination fee ${etf.toLocaleString('en-US')}円`),
    );
    expect(show.stdout).toMatch(/credit\s+10,000円/);

    // The customer was mailed at each step (.eml files in DATA_DIR/outbox).
    const outbox = join(e2e.dataDir, 'outbox');
    const mails = await eventually(
      async () => (existsSync(outbox) ? readdirSync(outbox).filter((f) => f.startsWith(`${id}~`)) : []),
      (m) => m.some((f) => f.includes('cancellationAccepted')),
    );
    expect(mails.map((f) => f.split('~')[1]!.split('_')[1]).sort()).toEqual(['applicationReceived', 'approved', 'cancellationAccepted', 'paymentReceived']);

    // Art. 12-3: a contact change goes to the ledger (through its socket), the contract hears the revision only.
    const contact = await e2e.spawnCli(['contact', id, '--email', 'new-keiri@example.co.jp', '--phone', '06-1234-5678', '--request-id', 'contact-e2e-1']);
    expect(contact.stderr).toBe('');
    expect(contact.code).toBe(0);
    expect(contact.stdout).toContain('contact revision 2 on record');
    const contactAgain = await e2e.cli(['contact', id, '--email', 'new-keiri@example.co.jp', '--phone', '06-1234-5678', '--request-id', 'contact-e2e-1']);
    expect(contactAgain.stdout).toContain('contact revision 2 on record');
    const showContact = await e2e.cli(['show', id]);
    expect(showContact.stdout).toContain('株式会社サンプル <new-keiri@example.co.jp> · 06-1234-5678 (revision 2)');
    const state = await e2e.env.client.workflow.getHandle(id).query(stateQuery);
    expect(state).toMatchObject({ contactRevision: 2, contactChangedOn: today });
    expect(JSON.stringify(state)).not.toContain('@');
    // The same request id with another address: the ledger refuses, no contract hears of it, and the attempt
    // is in the audit trail as refused, with the field names only (no address).
    const reused = await e2e.cli(['contact', id, '--email', 'other@example.co.jp', '--request-id', 'contact-e2e-1']);
    expect(reused.code).not.toBe(0);
    expect((await e2e.env.client.workflow.getHandle(id).query(stateQuery)).contactRevision).toBe(2);
    const rows = (await e2e.deps.ledger.audit.list({ contractId: id })).filter((a) => a.command === 'changeContact');
    expect(rows.map((a) => a.outcome)).toEqual(['refused', 'accepted', 'accepted']); // newest first
    expect(rows[0]!.details).toEqual({ fields: ['email'] });
    expect(JSON.stringify(rows)).not.toContain('other@example');
  });
});

describe('a month billed, paid and shown as an invoice document', () => {
  const id = 'C-E2E-2';
  // Real time cannot wait for a month to end, so this contract's calendar is shifted (the simulator's
  // workflow clock, src/simulation/workflow-clock.ts): it lives a few seconds before midnight at the end
  // of last month, is approved then, and is in this month — the month of the billing run — once approved.
  const realMonth = monthOf(jstDateOf(Date.now()));
  const period = addMonths(realMonth, -1);
  const day = lastDayOf(period);

  it('apply and approve on the last day of the month, then bill it with the CLI', async () => {
    const boundary = startOfDayJst(firstDayOf(realMonth));
    const offset = boundary - 10_000 - Date.now();
    const app: Application = {
      contractId: id,
      customerId: (await e2e.deps.ledger.customers.register({ contractId: id, contact: { name: 'テスト工業株式会社', email: 'keiri@test-kogyo.example' } }))
        .customerId,
      terms: { plan: 'entry', components: [{ os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 0 },
      appliedOn: day,
    };
    await e2e.env.client.workflow.start<typeof contract>('contract', {
      ...applicationStartOptions(app, 'apply-e2e-2', e2e.settings.TASK_QUEUE),
      args: [{ application: app }],
      memo: { [SIMULATED_CLOCK_OFFSET_MEMO]: offset },
    });
    const approved = await e2e.cli(['approve', id, '--start-date', day]);
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    // Let the contract's clock pass midnight into the month after.
    await new Promise((r) => setTimeout(r, Math.max(0, boundary + 500 - (Date.now() + offset))));

    const run = await e2e.spawnCli(['billing-run', 'now']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`billing run for ${period}`);
    expect(run.stdout).toMatch(new RegExp(`${period}: (\\d+)/\\1 contracts — billed 1 · already billed 0 · nothing to bill \\d+ · failed 0 · done`));

    // 別表2: entry 10,000 + 1 × 4,000 = 14,000; initial fee 50,000; tax 10% of 64,000 = 6,400 → 70,400.
    const invoices = await eventually(
      () => e2e.cli(['invoices', id]),
      (r) => /INV-\d{6}/.test(r.stdout),
    );
    const row = lines(invoices.stdout).find((l) => l.includes(period))!;
    expect(row.split(/\s{2,}/)).toEqual([
      expect.stringMatching(/^INV-\d{6}$/),
      period,
      firstDayOf(realMonth),
      invoiceDueDay(period),
      '70,400円',
      '0円',
      '70,400円',
    ]);
  });

  it('renders the invoice as a qualified-invoice HTML document (spawned CLI, to a file)', async () => {
    const out = join(e2e.dataDir, 'invoice.html');
    const r = await e2e.spawnCli(['invoice', id, '--period', period, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`INV-\\d{6} \\(${period}, total 70,400円, due ${invoiceDueDay(period)}\\) written to`));
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('適格請求書');
    expect(html).toContain(e2e.settings.INVOICE_REGISTRATION_NUMBER);
    expect(html).toContain('テスト工業株式会社');
    expect(html).toContain('70,400円');
    expect(html).toContain('6,400円');
    const toStdout = await e2e.cli(['invoice', id]);
    expect(toStdout.stdout.startsWith('<!DOCTYPE html>')).toBe(true);

    // The PDF mailed at issue, through the ledger's service: the stored bytes, their SHA-256 the ledger's.
    const pdfOut = join(e2e.dataDir, `invoice-${period}.pdf`);
    const pdf = await e2e.spawnCli(['invoice', id, '--period', period, '--pdf', '--out', pdfOut]);
    expect(pdf.stderr).toBe('');
    expect(pdf.code).toBe(0);
    const stored = (await e2e.deps.ledger.documents.find(id, period))!;
    expect(pdf.stdout).toContain(`${stored.invoiceNumber} (${period}) PDF written to ${pdfOut}`);
    expect(createHash('sha256').update(readFileSync(pdfOut)).digest('hex')).toBe(stored.sha256);
    expect(pdf.stdout).toContain(stored.sha256);
    expect((await e2e.cli(['invoice', id, '--pdf'])).code).toBe(2); // a PDF goes to a file
  });

  it("exports the month's invoices for accounting: a CSV whose amounts sum to the ledger's totals", async () => {
    const file = join(e2e.dataDir, `invoices-${period}.csv`);
    const r = await e2e.spawnCli(['month-invoices', '--period', period, '--csv', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ledgerTotal = (await e2e.deps.ledger.monthInvoices(period)).total;
    expect(ledgerTotal).toBeGreaterThanOrEqual(70_400); // this contract's invoice at least (others of the file may be there)
    expect(r.stdout).toContain(`total ${ledgerTotal.toLocaleString('en-US')}円`);
    const csv = readFileSync(file, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(csv.slice(1), { columns: true }) as Array<Record<string, string>>;
    expect(rows.reduce((sum, row) => sum + Number(row['金額 amount (円)']), 0)).toBe(ledgerTotal);
    expect(rows.filter((row) => row['契約 contract'] === id).map((row) => [row['種別 kind'], Number(row['金額 amount (円)'])])).toEqual([
      ['initialFee', 50_000],
      ['managedMonthly', 14_000],
      ['tax', 6_400],
    ]);
  });

  it('pays the invoice in full, then refuses a late cancellation with one line', async () => {
    const pay = await e2e.cli(['pay', id, '--amount', '70,400円']);
    expect(pay.code).toBe(0);
    expect(pay.stdout).toMatch(new RegExp(`allocations\\s+${period} 70,400円`));
    const inv = await e2e.cli(['invoices', id]);
    expect(inv.stdout).toContain('outstanding 0円 · credit 0円 · balance 0円');

    const late = await e2e.cli(['cancel', id, '--end-date', addDays(firstDayOf(realMonth), 10)]);
    expect(late.code).toBe(3);
    expect(late.stdout).toBe('');
    expect(lines(late.stderr)).toEqual([
      expect.stringMatching(
        /^neutrix cancel: C-E2E-2: refused \(第28条\): notice for .* the earliest end day a notice given today can reach is \d{4}-\d{2}-\d{2}$/,
      ),
    ]);
  });
});

describe('the Temporal CLI sees and drives the same contracts', () => {
  it('lists active contracts by the ContractStatus search attribute, and queries their state', async () => {
    const listed = await eventually(
      async () => {
        const r = await e2e.temporal(['workflow', 'list', '--query', 'ContractStatus="active"', '-o', 'json']);
        return (JSON.parse(r.stdout || '[]') as Array<{ execution: { workflowId: string } }>).map((w) => w.execution.workflowId).sort();
      },
      (ids) => ids.length >= 2,
    );
    expect(listed).toEqual(['C-E2E-1', 'C-E2E-2']);
    const mine = await e2e.cli(['list', '--status', 'active', '--plan', 'entry']);
    expect(mine.stdout).toMatch(/C-E2E-2\s+active\s+entry/);
    expect(mine.stdout).not.toContain('C-E2E-1');
    expect(mine.stdout).toContain('page 1 of 1 · 1 contract(s)');

    const q = await e2e.temporal(['workflow', 'query', '--workflow-id', 'C-E2E-2', '--type', 'state', '-o', 'json']);
    expect(q.code).toBe(0);
    const state = (JSON.parse(q.stdout) as { queryResult: Array<{ status: string; invoices: Array<{ total: number; outstanding: number }> }> }).queryResult[0]!;
    expect(state.status).toBe('active');
    expect(state.invoices).toEqual([expect.objectContaining({ total: 70_400, outstanding: 0 })]);
  });

  it('triggers the monthly-billing schedule; the CLI shows the run and the next action times', async () => {
    await ensureBillingSchedule(e2e.env.client, e2e.settings.TASK_QUEUE, 4);
    const t = await e2e.temporal(['schedule', 'trigger', '--schedule-id', 'monthly-billing']);
    expect(t.code).toBe(0);
    const runs = await eventually(
      async () => {
        const r = await e2e.temporal(['workflow', 'list', '--query', 'TemporalScheduledById="monthly-billing" AND ExecutionStatus="Completed"', '-o', 'json']);
        return JSON.parse(r.stdout || '[]') as unknown[];
      },
      (r) => r.length > 0,
      30_000,
    );
    expect(runs).toHaveLength(1);
    const status = await e2e.cli(['billing-run', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Latest billing run: billing-run-/);
    expect(status.stdout).toMatch(/status\s+completed/);
    expect(status.stdout).toMatch(new RegExp(`progress\\s+${addMonths(monthOf(jstDateOf(Date.now())), -1)}: \\d+/\\d+ contracts`));
    const nextMonth = firstDayOf(addMonths(monthOf(jstDateOf(Date.now())), 1));
    expect(status.stdout).toContain('Schedule monthly-billing: active');
    expect(status.stdout).toMatch(new RegExp(`next runs\\s+${nextMonth} 00:05 JST`));
  });
});

describe('who asked: roles, four eyes and the audit trail', () => {
  it('every command attempted through the CLI — accepted or refused — is one audit row with its actor and outcome', async () => {
    const id = 'C-E2E-AUDIT';
    const today = jstDateOf(Date.now());
    // Three people, each with their own token: who acts is the token's person, whatever the environment says.
    const token = async (login: string, role: 'clerk' | 'supervisor') => ({ NEUTRIX_API_TOKEN: await e2e.tokenFor(login, role) });
    const clerk = { ...(await token('clerk-1', 'clerk')), OPS_ACTOR_ID: 'ops:sup-b', OPS_ROLE: 'supervisor' }; // the old variables count for nothing
    const supA = await token('sup-a', 'supervisor');
    const supB = await token('sup-b', 'supervisor');
    const idOf = async (login: string) => (await new People(e2e.deps.ledger.people).byLogin(login))!.id;
    const [clerkId, supAId, supBId] = [await idOf('clerk-1'), await idOf('sup-a'), await idOf('sup-b')];
    const steps: Array<[env: Record<string, string>, args: string[], code: number]> = [
      [clerk, ['apply', id, '--name', '株式会社監査', '--email', 'kansa@example.co.jp', '--plan', 'entry', '--linux', '1'], 0],
      [clerk, ['approve', id, '--start-date', today], 3], // a clerk may not approve
      [supA, ['approve', id, '--start-date', today], 0],
      [clerk, ['pay', id, '--amount', '1,000', '--request-id', 'audit-pay'], 0],
      [clerk, ['pay', id, '--amount', '2,000', '--request-id', 'audit-pay'], 3], // the same request id, other content
      [supA, ['reverse-payment', id, '--payment', 'audit-pay', '--reason', '誤入力', '--request-id', 'audit-rev'], 0], // four eyes: asked
      [supB, ['approve-request', id, '--request', 'audit-rev'], 0],
      [supA, ['terminate', id, '--for-cause', '--reason', '不正利用', '--request-id', 'audit-cause'], 0], // asked for approval
      [supA, ['approve-request', id, '--request', 'audit-cause'], 3], // not by the one who asked
      [supB, ['approve-request', id, '--request', 'audit-cause'], 0],
    ];
    const runs: CliRun[] = [];
    for (const [env, args, code] of steps) {
      const r = await e2e.spawnCli(args, env);
      runs.push(r);
      expect({ args: args.slice(0, 2), code: r.code, err: r.stderr }).toMatchObject({ args: args.slice(0, 2), code });
    }
    expect(runs[1]!.stderr).toContain(`clerk ${clerkId} (api) may not ask for approve; it takes a supervisor`);
    expect(runs[4]!.stderr).toContain('request id audit-pay was already used for another pay');
    expect(runs[5]!.stdout).toContain('reversePayment waits for a second supervisor');
    expect(runs[6]!.stdout).toContain(`payment audit-pay of 1,000円 (received ${today}) reversed: 0円 owed again, 1,000円 of advance withdrawn`);
    expect(runs[7]!.stdout).toContain('terminateForCause waits for a second supervisor');
    expect(runs[8]!.stderr).toContain('a second supervisor must approve it');
    expect(runs[9]!.stdout).toContain(`approved by supervisor ${supBId} (api)`);
    // The reversal reached the ledger: the payment stays, marked taken back.
    expect((await e2e.deps.ledger.listPayments(id)).map((p) => [p.amount, p.reversal?.reason])).toEqual([[1000, '誤入力']]);
    const view = await e2e.env.client.workflow.getHandle(id).query(stateQuery);
    expect(view).toMatchObject({ status: 'ended', pendingApprovals: [] });

    const trail = (await e2e.deps.ledger.audit.list({ contractId: id })).reverse();
    expect(trail.map((e) => [e.actor.id, e.actor.via, e.command, e.outcome])).toEqual([
      [clerkId, 'api', 'apply', 'accepted'],
      [clerkId, 'api', 'approve', 'refused'],
      [supAId, 'api', 'approve', 'accepted'],
      [clerkId, 'api', 'pay', 'accepted'],
      [clerkId, 'api', 'pay', 'refused'],
      [supAId, 'api', 'requestApproval', 'accepted'],
      [supBId, 'api', 'approveRequest', 'accepted'],
      [supAId, 'api', 'requestApproval', 'accepted'],
      [supAId, 'api', 'approveRequest', 'refused'],
      [supBId, 'api', 'approveRequest', 'accepted'],
    ]);
    expect(trail[1]!.message).toContain('may not ask for approve');
    expect(trail[3]!.details).toMatchObject({ requestId: 'audit-pay', amount: 1000 });
    expect(JSON.stringify(trail)).not.toContain('kansa@example.co.jp'); // ids and figures only
    // Append-only, whoever holds the ledger.
    await expect(e2e.deps.ledger.db.query('DELETE FROM audit_trail WHERE contract_id = $1', [id])).rejects.toThrow(/append-only/);
    await expect(e2e.deps.ledger.db.query("UPDATE audit_trail SET outcome = 'accepted' WHERE id = $1", [trail[1]!.id])).rejects.toThrow(/append-only/);
    // And the CLI shows it.
    const shown = await e2e.cli(['audit', id]);
    expect(shown.stdout).toMatch(new RegExp(`supervisor ${supBId} \\(api\\)\\s+approveRequest\\s+\\S+\\s+accepted\\s+terminated for cause on`));
  }, 180_000);

  it('without a token, with a revoked one or an unknown one, the CLI changes nothing; a token acts only as its own person', async () => {
    const id = 'C-E2E-TOKENS';
    const apply = ['apply', id, '--name', '株式会社トークン', '--email', 'token@example.co.jp', '--plan', 'entry', '--linux', '1'];
    const none = await e2e.spawnCli(apply, { NEUTRIX_API_TOKEN: '', OPS_ACTOR_ID: 'system:billing-run', OPS_ROLE: 'supervisor' });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('NEUTRIX_API_TOKEN is not set');
    const forged = await e2e.cli(apply, `ntx_${'0'.repeat(16)}_${'A'.repeat(43)}`);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain('a valid personal API token is needed');
    // A viewer's token is refused a change (403), and a revoked token is refused everything.
    const viewer = await personWithToken(e2e.deps.ledger, 'viewer-1', 'viewer');
    const asViewer = await e2e.cli(apply, viewer.token);
    expect(asViewer.code).toBe(3);
    expect(asViewer.stderr).toContain('needs the role clerk or supervisor; viewer-1 is viewer');
    const clerk = await personWithToken(e2e.deps.ledger, 'clerk-revoked', 'clerk');
    await new ApiTokens(e2e.deps.ledger.apiTokens, e2e.deps.ledger.people, ledgerAccessOf(e2e.deps.ledger).audit).revoke(
      { id: 'system:test', role: 'system', via: 'system' },
      clerk.tokenId,
      'revoke-clerk',
    );
    const revoked = await e2e.cli(apply, clerk.token);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain('a valid personal API token is needed');
    // Nothing was started and nothing but the refusals' absence is in the audit trail for the contract.
    await expect(e2e.env.client.workflow.getHandle(id).describe()).rejects.toThrow(/not found/i);
    expect(await e2e.deps.ledger.audit.list({ contractId: id })).toEqual([]);
    // The revocation itself is audited.
    expect((await e2e.deps.ledger.audit.list({})).find((e) => e.command === 'api-token revoke')).toMatchObject({
      outcome: 'accepted',
      details: { tokenId: clerk.tokenId },
    });
  });
});

describe('the same amount twice', () => {
  it('a second payment of the same amount within 7 days needs --same-amount-ok; nothing is sent without it', async () => {
    const id = 'C-E2E-SAME';
    const today = jstDateOf(Date.now());
    expect((await e2e.cli(['apply', id, '--name', '株式会社同額', '--email', 'dougaku@example.co.jp', '--plan', 'entry', '--linux', '1'])).code).toBe(0);
    expect((await e2e.cli(['approve', id, '--start-date', today])).code).toBe(0);
    expect((await e2e.cli(['pay', id, '--amount', '5,000', '--request-id', 'same-1'])).code).toBe(0);
    expect((await e2e.cli(['pay', id, '--amount', '5,000', '--request-id', 'same-1'])).code).toBe(0); // a retry of that one: fine
    const again = await e2e.cli(['pay', id, '--amount', '5000']);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain(
      `a payment of 5,000円 was recorded on ${today} (request id same-1); if this is another payment, repeat with --same-amount-ok (nothing was sent)`,
    );
    expect((await e2e.cli(['pay', id, '--amount', '5000', '--same-amount-ok'])).code).toBe(0);
    const view = await e2e.env.client.workflow.getHandle(id).query(stateQuery);
    expect(view.payments.map((p) => p.amount)).toEqual([5000, 5000]);
    expect((await e2e.deps.ledger.audit.list({ contractId: id })).filter((a) => a.command === 'pay').map((a) => a.outcome)).toEqual([
      'accepted',
      'accepted',
      'accepted',
    ]);
  });
});
