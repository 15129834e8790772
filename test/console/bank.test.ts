/**
 * 入金 (issue 29) in headless Chromium and through the CLI, on the dev server with the real worker: a clerk
 * uploads the bank's 全銀協 file, reads what each line became, gives the unmatched line to a contract's
 * customer from the queue; a viewer reads but cannot import; the CLI's dry run sends nothing and its import
 * answers duplicates. Each step checked against the contract's state and the audit trail.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { People } from '../../src/backoffice/people';
import { startConsole } from '../../src/console/app';
import { receiptIdentity } from '../../src/domain/bank/receipts';
import { jstDateOf } from '../../src/domain/calendar';
import { stateQuery } from '../../src/workflows/contract/messages';
import { eventually, startE2e, type E2e } from '../e2e/harness';
import { transferNotice } from '../fixtures/zengin';
import { CHROMIUM, PASSWORD, SHOTS, haveChromium, launchChromium, signIn } from './support';

if (!haveChromium) console.warn(`bank.test.ts skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);

describe.skipIf(!haveChromium)(`bank statements in the console and the CLI (needs ${CHROMIUM})`, () => {
  let e2e: E2e;
  let browser: Browser;
  const today = jstDateOf(Date.now());
  // 和暦 (令和): 2019 is 令和1年.
  const wareki = `${String(Number(today.slice(0, 4)) - 2018).padStart(2, '0')}${today.slice(5, 7)}${today.slice(8, 10)}`;
  const dir = mkdtempSync(join(tmpdir(), 'bank-'));
  const file = (name: string, lines: Parameters<typeof transferNotice>[0][number]['lines']) => {
    const path = join(dir, name);
    writeFileSync(path, transferNotice([{ bankCode: '0005', branchCode: '001', accountNumber: '7654321', lines }]));
    return path;
  };
  const stateOf = (id: string) => e2e.env.client.workflow.getHandle(id).query(stateQuery);
  const signedIn = (login: string): Promise<Page> => signIn(browser, e2e.consoleUrl, login);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    e2e = await startE2e();
    browser = await launchChromium();
    const people = new People(e2e.deps.ledger.people);
    for (const [login, role] of [
      ['bank-clerk', 'clerk'],
      ['bank-viewer', 'viewer'],
    ] as const) {
      const { person, oneTimePassword } = await people.createPerson(login, `${role} ${login}`, role);
      await people.changePassword(person.id, oneTimePassword, PASSWORD);
    }
    for (const id of ['C-BANK-1', 'C-BANK-2']) {
      expect((await e2e.cli(['apply', id, '--name', `${id} 株式会社`, '--email', 'keiri@example.co.jp', '--plan', 'standard', '--linux', '1'])).code).toBe(0);
      expect((await e2e.cli(['approve', id, '--start-date', today])).code).toBe(0);
    }
    const customer = (await e2e.deps.ledger.customers.ofContract('C-BANK-1'))!.customerId;
    await e2e.deps.ledger.payers.addPayerName(customer, 'カ）バンクイチ', 'setup');
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await e2e?.teardown();
  });

  it('a clerk uploads the file: the customer’s line is applied (nothing owed yet: held as an advance), the stranger’s waits; each line’s outcome shown', async () => {
    const path = file('statement-1.txt', [
      { inquiryNumber: 11, bookedOn: wareki, amount: 30_000, payerName: 'ｶ)ﾊﾞﾝｸｲﾁ' },
      { inquiryNumber: 12, bookedOn: wareki, amount: 12_345, payerName: 'ﾀﾞﾚｶｻﾝ' },
    ]);
    const page = await signedIn('bank-clerk');
    await page.goto(`${e2e.consoleUrl}/bank`);
    await page.setInputFiles('#bank-import input[name=file]', path);
    await Promise.all([page.waitForURL(/\/bank\/files\/BF-/), page.click('#bank-import button[type=submit]')]);
    await page.screenshot({ path: join(SHOTS, 'bank-file.png'), fullPage: true });
    expect(await page.locator('tr[data-record="2"]').getAttribute('data-outcome')).toBe('over');
    expect(await page.locator('tr[data-record="3"]').getAttribute('data-outcome')).toBe('unmatched');
    expect(await page.locator('h1').innerText()).toContain('statement-1.txt');
    await eventually(
      () => stateOf('C-BANK-1'),
      (s) => s.credit === 30_000,
      20_000,
    );
    const pays = (await e2e.deps.ledger.audit.list({ contractId: 'C-BANK-1' })).filter((e) => e.command === 'pay');
    expect(pays.map((e) => [e.actor.via, e.outcome, (e.details as { amount: number }).amount])).toEqual([['bank', 'accepted', 30_000]]);
    await page.context().close();
  });

  it('the clerk gives the unmatched line to a contract’s customer from the queue; a viewer sees the queue without its forms and no upload', async () => {
    const viewer = await signedIn('bank-viewer');
    await viewer.goto(`${e2e.consoleUrl}/bank`);
    expect(await viewer.locator('#bank-import').count()).toBe(0);
    await viewer.goto(`${e2e.consoleUrl}/bank/unmatched`);
    expect(await viewer.locator('form.assign').count()).toBe(0);
    const forged = await viewer.request.post(`${e2e.consoleUrl}/bank/files/BF-x/lines/2/return`, { form: { reason: 'x' } });
    expect(forged.status()).toBe(403); // no CSRF token, and no role
    await viewer.context().close();

    const page = await signedIn('bank-clerk');
    await page.goto(`${e2e.consoleUrl}/bank/unmatched`);
    await page.screenshot({ path: join(SHOTS, 'bank-unmatched.png'), fullPage: true });
    const row = page.locator('tr[data-outcome="unmatched"]').first();
    await row.locator('form.assign input[name=customer]').fill('C-BANK-2');
    await Promise.all([page.waitForURL(`${e2e.consoleUrl}/bank/unmatched`), row.locator('form.assign button[type=submit]').click()]);
    expect(await page.locator('.msg.ok').innerText()).toContain('12,345円');
    await eventually(
      () => stateOf('C-BANK-2'),
      (s) => s.credit === 12_345,
      20_000,
    );
    const customer2 = (await e2e.deps.ledger.customers.ofContract('C-BANK-2'))!.customerId;
    expect((await e2e.deps.ledger.payers.profile(customer2))!.payerNames.map((n) => n.name)).toEqual(['ﾀﾞﾚｶｻﾝ']);
    const assigned = (await e2e.deps.ledger.audit.list({})).filter((e) => e.command === 'bankAssign');
    expect(assigned).toMatchObject([{ outcome: 'accepted', actor: { via: 'console' }, details: { record: 3, customerId: customer2 } }]);
    await page.context().close();
  });

  it('an application names an existing customer (D-32): the contract joins its contracts; details beside the id, or an unknown id, are refused', async () => {
    const customer = (await e2e.deps.ledger.customers.ofContract('C-BANK-1'))!.customerId;
    const added = await e2e.cli(['apply', 'C-BANK-3', '--customer-id', customer, '--plan', 'entry', '--linux', '1']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect((await e2e.deps.ledger.customers.ofContract('C-BANK-3'))!.customerId).toBe(customer);
    expect((await e2e.deps.ledger.payers.profile(customer))!.contracts.map((c) => c.contractId)).toEqual(['C-BANK-1', 'C-BANK-3']);
    const both = await e2e.cli(['apply', 'C-BANK-4', '--customer-id', customer, '--name', 'x', '--plan', 'entry', '--linux', '1']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--customer-id: an existing customer');
    const unknown = await e2e.cli(['apply', 'C-BANK-5', '--customer-id', 'cus-nobody', '--plan', 'entry', '--linux', '1']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('no customer cus-nobody on record');
  });

  it('an import that stopped after recording its file is carried on when the console starts again, as the person who imported it', async () => {
    const clerk = (await e2e.deps.ledger.people.byLogin('bank-clerk'))!;
    const line = {
      bankCode: '0005',
      branchCode: '001',
      accountNumber: '7654321',
      inquiryNumber: '000041',
      bookedOn: today,
      amount: 4_100,
      payerCode: null,
      payerName: 'ｶ)ﾊﾞﾝｸｲﾁ',
      edi: '',
      cancels: false,
    };
    // What importBankFile records before anything is sent; then the process "stopped".
    await e2e.deps.ledger.bankLines.recordFile(
      { fileId: 'BF-crashed', fileName: 'crashed.txt', format: 'zengin01', sha256: 'a'.repeat(64), importedBy: clerk.id },
      [{ ...line, record: 2, identity: receiptIdentity(line) }],
    );
    const before = (await stateOf('C-BANK-1')).credit;
    const restarted = await startConsole({
      ledger: e2e.deps.ledger,
      client: e2e.env.client,
      settings: { ...e2e.settings, CONSOLE_SESSION_SECRET: 'test-secret-'.padEnd(40, 'x') },
      port: 0,
    });
    await restarted.close(); // waits for the carrying on
    expect(await e2e.deps.ledger.bankLines.line('BF-crashed', 2)).toMatchObject({ state: 'done', outcome: 'over', applied: 0, advance: 4_100 });
    expect((await stateOf('C-BANK-1')).credit).toBe(before + 4_100);
    const pay = (await e2e.deps.ledger.audit.list({ contractId: 'C-BANK-1' })).find((e) => e.requestId === `bank:${receiptIdentity(line)}`);
    expect(pay).toMatchObject({ outcome: 'accepted', actor: { id: clerk.id, role: 'clerk', via: 'bank' } });
  });

  it('the CLI: a dry run records and sends nothing; the same file again is all duplicates; a broken file is refused naming the record and the field', async () => {
    const token = await e2e.tokenFor('bank-cli-clerk', 'clerk');
    const again = file('statement-1-copy.txt', [
      { inquiryNumber: 11, bookedOn: wareki, amount: 30_000, payerName: 'ｶ)ﾊﾞﾝｸｲﾁ' },
      { inquiryNumber: 12, bookedOn: wareki, amount: 12_345, payerName: 'ﾀﾞﾚｶｻﾝ' },
    ]);
    const fresh = file('statement-2.txt', [{ inquiryNumber: 21, bookedOn: wareki, amount: 1_000, payerName: 'ｶ)ﾊﾞﾝｸｲﾁ' }]);
    const files = (await e2e.deps.ledger.bankLines.files()).length;
    const dry = await e2e.cli(['bank', 'import', fresh, '--dry-run', '--json'], token);
    expect(dry.stderr).toBe('');
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, fileId: null, lines: [{ outcome: 'over', applied: 0 }] });
    expect((await e2e.deps.ledger.bankLines.files()).length).toBe(files);
    const credit = (await stateOf('C-BANK-1')).credit;
    const dup = await e2e.cli(['bank', 'import', again, '--json'], token);
    expect(JSON.parse(dup.stdout).lines.map((l: { outcome: string }) => l.outcome)).toEqual(['duplicate', 'duplicate']);
    expect((await stateOf('C-BANK-1')).credit).toBe(credit);
    const broken = join(dir, 'broken.txt');
    writeFileSync(broken, transferNotice([{ lines: [{ inquiryNumber: 31, bookedOn: wareki, amount: 500, payerName: 'ｶ)ﾊﾞﾝｸｲﾁ' }], trailer: { total: 499 } }]));
    const refused = await e2e.cli(['bank', 'import', broken], token);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('record 3 (trailer): 入金額合計: 499');
    const viewerToken = await e2e.tokenFor('bank-cli-viewer', 'viewer');
    const denied = await e2e.cli(['bank', 'import', fresh], viewerToken);
    expect(denied.code).toBe(3);
    expect(denied.stderr).toContain('importBankFile needs the role clerk or supervisor');
  });
});
