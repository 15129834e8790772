/**
 * The receivables and customers routes of the HTTP API over real HTTP, and the CLI's commands against them
 * (runCli in-process, its API client over HTTP): roles, 422 naming the field, 404 for an unknown customer,
 * the payer changes audited with the token's person. A PGlite ledger filled through its stores; no
 * Temporal server (these routes reach no contract).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInMemoryLedger, type Ledger } from '../../src/activities';
import { agingCsv, paymentsCsv } from '../../src/backoffice/receivables-csv';
import { runCli } from '../../src/cli';
import { apiClient } from '../../src/cli/api-client';
import { startConsole, type ConsoleServer } from '../../src/console/app';
import { loadSettings } from '../../src/settings';
import { personWithToken } from '../helpers/api-token';
import { fillReceivables, type Filled } from '../helpers/receivables';

describe('receivables and customers in the API and the CLI', { timeout: 60_000 }, () => {
  let ledger: Ledger;
  let server: ConsoleServer;
  let dataDir: string;
  let api: string;
  let f: Filled;
  const tokens: Record<string, { token: string; personId: string }> = {};
  const call = async (method: string, path: string, who: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]!.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: the answers are read field by field in the assertions
    return { status: res.status, text, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null) as Record<string, any> };
  };
  async function cli(who: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      out: (t) => void out.push(t),
      err: (t) => void err.push(t),
      env: {},
      settings: () => loadSettings({ DATA_DIR: dataDir }),
      api: () => apiClient(api, tokens[who]!.token),
      writeFile: async () => undefined,
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'receivables-api-'));
    ledger = await openInMemoryLedger();
    f = await fillReceivables(ledger);
    server = await startConsole({
      ledger,
      client: {} as never,
      settings: loadSettings({ DATA_DIR: dataDir, CONSOLE_SESSION_SECRET: 'test-secret-'.padEnd(40, 'x') }),
      port: 0,
    });
    api = `${server.url.replace('127.0.0.1', 'localhost')}/api/v1`;
    for (const [login, role] of [
      ['api-viewer', 'viewer'],
      ['api-clerk', 'clerk'],
      ['api-admin', 'admin'],
    ] as const)
      tokens[login] = await personWithToken(ledger, login, role);
  });
  afterAll(async () => {
    await server?.close();
    await ledger?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the aging, the payments and a customer (any role); bad days are 422 naming the field; an unknown customer is 404', async () => {
    const aging = await call('GET', '/receivables/aging?asOf=2026-11-15', 'api-viewer');
    expect(aging.status).toBe(200);
    expect(aging.body).toMatchObject({ asOf: '2026-11-15', total: 372_500, buckets: { over90: 84_700 } });
    const csv = await call('GET', '/receivables/aging.csv?asOf=2026-11-15', 'api-viewer');
    expect((parse(csv.text, { bom: true }) as string[][]).slice(1).reduce((s, r) => s + Number(r[10]), 0)).toBe(372_500);
    const payments = await call('GET', '/receivables/payments?from=2026-09-01&to=2026-11-30', 'api-viewer');
    expect(payments.body.payments.map((p: { source: { kind: string } }) => p.source.kind)).toEqual(['person', 'person', 'bank']);
    const customer = await call('GET', `/customers/${f.customerA}`, 'api-viewer');
    expect(customer.body).toMatchObject({ owed: 287_800, profile: { billingName: '株式会社エー' } });

    const bad = await call('GET', `/receivables/aging?asOf=${encodeURIComponent('2026/12/08')}`, 'api-viewer');
    expect(bad.status).toBe(422);
    expect(bad.body.error.problems.join()).toMatch(/^asOf: /);
    const range = await call('GET', '/receivables/payments?from=2026-09-01&to=2026-01-01', 'api-viewer');
    expect(range.status).toBe(422);
    expect(range.body.error.problems).toEqual(['to: must not be before from']);
    expect((await call('GET', '/customers/cus-nobody', 'api-viewer')).status).toBe(404);
    const doc = (await (await fetch(`${api}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/receivables/aging', '/api/v1/customers/{customerId}/payer-code']));
  });

  it('changes the payer for clerks (audited via api, with the person); a viewer or an admin gets 403; a bad value is 422 naming it and changes nothing', async () => {
    const path = `/customers/${f.customerB}`;
    expect((await call('PUT', `${path}/payer-code`, 'api-viewer', { requestId: 'pc-viewer-1', payerCode: '2222222222' })).status).toBe(403);
    expect((await call('PUT', `${path}/payer-code`, 'api-admin', { requestId: 'pc-admin-1', payerCode: '2222222222' })).status).toBe(403);
    const bad = await call('PUT', `${path}/virtual-account`, 'api-clerk', { requestId: 'va-bad-1', virtualAccount: '12ab' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.problems).toEqual(['virtualAccount: expected 7 digits (the virtual account number)']);
    // Not one of the provider's virtual accounts (VIRTUAL_ACCOUNT_RANGE, 3000000-3999999 by default).
    const outside = await call('PUT', `${path}/virtual-account`, 'api-clerk', { requestId: 'va-bad-2', virtualAccount: '7654321' });
    expect(outside.status).toBe(422);
    expect(outside.body.error.problems).toEqual([
      expect.stringMatching(/^virtualAccount: 7654321 is not one of the provider's virtual accounts \(3000000–3999999/),
    ]);
    expect((await ledger.payers.profile(f.customerB))!.virtualAccount).toBeNull();
    const ok = await call('PUT', `${path}/payer-code`, 'api-clerk', { requestId: 'pc-clerk-1', payerCode: '2222222222' });
    expect(ok.status).toBe(200);
    expect(ok.body.profile.payerCode).toBe('2222222222');
    // Another customer's code: refused by the ledger, named, nothing changed.
    const taken = await call('PUT', `/customers/${f.customerA}/payer-code`, 'api-clerk', { requestId: 'pc-clerk-2', payerCode: '2222222222' });
    expect(taken.status).toBe(422);
    expect(taken.body.error.problems[0]).toMatch(/^payerCode: .*another customer/);
    expect((await ledger.payers.profile(f.customerA))!.payerCode).toBeNull();
    const cleared = await call('PUT', `${path}/payer-code`, 'api-clerk', { requestId: 'pc-clerk-3', payerCode: null });
    expect(cleared.body.profile.payerCode).toBeNull();
    const name = await call('POST', `${path}/payer-names`, 'api-clerk', { requestId: 'pn-clerk-1', name: 'ﾋﾞｰ(ﾄﾞ' });
    expect(name.status).toBe(200);
    expect(name.body.profile.payerNames.map((n: { name: string }) => n.name)).toEqual(['ﾋﾞｰ(ﾄﾞ']);

    const rows = (await ledger.audit.list({ actorId: tokens['api-clerk']!.personId })).filter((e) => e.details.customerId).reverse();
    expect(rows.map((e) => [e.command, e.requestId, e.outcome, e.actor.via])).toEqual([
      ['setPayerCode', 'pc-clerk-1', 'accepted', 'api'],
      ['setPayerCode', 'pc-clerk-2', 'refused', 'api'],
      ['setPayerCode', 'pc-clerk-3', 'accepted', 'api'],
      ['addPayerName', 'pn-clerk-1', 'accepted', 'api'],
    ]);
  });

  it('the CLI: aging, payments, customer and add-payer-name through the API; bad flags exit 2 naming the flag', async () => {
    const aging = await cli('api-viewer', ['aging', '--as-of', '2026-11-15']);
    expect(aging.code).toBe(0);
    expect(aging.out).toContain('株式会社エー');
    expect(aging.out).toMatch(/TOTAL.*372,500円/);
    const csv = await cli('api-viewer', ['aging', '--as-of', '2026-11-15', '--csv']);
    expect(csv.out.split('\n')[0]).toContain('owed');
    const badDay = await cli('api-viewer', ['aging', '--as-of', '2026/11/15']);
    expect(badDay.code).toBe(2);
    expect(badDay.err).toContain('--as-of');
    const payments = await cli('api-viewer', ['payments', '--from', '2026-09-01', '--to', '2026-11-30']);
    expect(payments.code).toBe(0);
    expect(payments.out).toContain('bank BF-aging-1 #2');
    expect(payments.out).toContain('received 90,000円');
    expect((await cli('api-viewer', ['payments', '--from', '2026-09-01'])).code).toBe(2);
    const shown = await cli('api-viewer', ['customer', f.customerA]);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('balance 287,800円');
    const added = await cli('api-clerk', ['customer', 'add-payer-name', f.customerA, 'ｶ)ｴｰ', '--request-id', 'cli-pn-1']);
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect((await ledger.payers.profile(f.customerA))!.payerNames.map((n) => n.name)).toContain('ｶ)ｴｰ');
    const refused = await cli('api-viewer', ['customer', 'add-payer-name', f.customerA, 'ｶ)ｴｰ']);
    expect(refused.code).toBe(3); // a viewer may not
  });

  it('CSV cells a customer or a caller wrote never become formulas', () => {
    const evil = '=HYPERLINK("http://attacker.example/")';
    const aging = agingCsv({
      asOf: '2026-12-01',
      buckets: { current: 0, days1to30: 1, days31to60: 0, days61to90: 0, over90: 0 },
      total: 1,
      customers: [
        {
          customerId: '@cus',
          billingName: evil,
          contracts: ['C-1'],
          buckets: { current: 0, days1to30: 1, days31to60: 0, days61to90: 0, over90: 0 },
          total: 1,
          invoices: [
            {
              customerId: '@cus',
              contractId: 'C-1',
              invoiceNumber: 'INV-1',
              period: '2026-10',
              issuedOn: '2026-11-01',
              dueOn: '2026-11-30',
              total: 1,
              paid: 0,
              owed: 1,
              daysPastDue: 1,
              bucket: 'days1to30',
            },
          ],
        },
      ],
    });
    const [, row] = parse(aging, { bom: true }) as string[][];
    expect([row![0], row![1], row![10]]).toEqual(["'@cus", `'${evil}`, '1']);
    const payments = paymentsCsv({
      from: '2026-12-01',
      to: '2026-12-01',
      total: 5,
      reversed: 0,
      payments: [
        {
          paymentId: 'C-1:-x',
          contractId: 'C-1',
          customerId: null,
          billingName: evil,
          paidOn: '2026-12-01',
          amount: 5,
          recordedAt: '',
          reversal: { on: '2026-12-02', reason: '+1 bounced' },
          requestId: '-x',
          source: { kind: 'unknown' },
        },
      ],
    });
    const [, p] = parse(payments, { bom: true }) as string[][];
    expect([p![3], p![4], p![6], p![11]]).toEqual([`'${evil}`, '5', "'+1 bounced", "'-x"]);
  });
});
