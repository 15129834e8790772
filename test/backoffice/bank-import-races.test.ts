// 入金消込's guarantees (issue 29, D-33) on the real contract workflows of one customer with two contracts:
// importing any file twice changes nothing the second time (a property), and the same file imported twice
// at once — in one process on PGlite, and by two ledger connections on PostgreSQL, as two processes would —
// applies each line once.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, openPostgres } from '../../src/activities';
import { importBankFile, type BankImportResult } from '../../src/backoffice/bank/import';
import { ledgerAccessOf } from '../../src/backoffice/ledger-client';
import type { Actor } from '../../src/domain/actor';
import { ContractDriver } from '../../src/simulation/driver';
import { postgresEngine, TEST_DATABASE_URL } from '../activities/support';
import { transferNotice, type FixtureLine } from '../fixtures/zengin';
import { approveFeb2, billMonth, contractTestEnv, standardApplication, type ContractTestEnv } from '../helpers/contract-env';

let t: ContractTestEnv;
let drivers: ContractDriver[];
const clerk: Actor = { id: 'u-clerk', role: 'clerk', via: 'console' };
const CONTRACTS = ['RACE-A', 'RACE-B'];

const depsOf = (ledger: Ledger) => ({ client: t.env.client, audit: ledgerAccessOf(ledger).audit, ledger });
const file = (lines: FixtureLine[]) => transferNotice([{ bankCode: '0009', branchCode: '100', accountNumber: '1111111', lines }]);
/** What the money did: each contract's payments, what its invoices still owe, what it holds. */
async function snapshot() {
  return Promise.all(
    drivers.map(async (d) => {
      const s = await d.state();
      return { payments: s.payments.map((p) => [p.requestId, p.amount, p.paidOn]), owed: s.invoices.map((i) => [i.period, i.outstanding]), credit: s.credit };
    }),
  );
}
/** The customer (in `ledger`) whose contracts the drivers run, under the payer name ｶ)ﾚｰｽ. */
async function registerCustomer(ledger: Ledger): Promise<void> {
  const { customerId } = await ledger.customers.register({ contractId: CONTRACTS[0]!, contact: { name: '株式会社レース', email: 'keiri@race.example' } });
  await ledger.customers.link({ contractId: CONTRACTS[1]!, customerId });
  await ledger.payers.addPayerName(customerId, 'カ）レース', clerk.id);
}

beforeAll(async () => {
  t = await contractTestEnv();
  const first = await t.start(standardApplication(CONTRACTS[0]!));
  const customerId = (await t.deps.ledger.customers.ofContract(CONTRACTS[0]!))!.customerId;
  await t.deps.ledger.customers.link({ contractId: CONTRACTS[1]!, customerId });
  await t.deps.ledger.payers.addPayerName(customerId, 'カ）レース', clerk.id);
  const { customer: _c, ...form } = standardApplication(CONTRACTS[1]!);
  drivers = [first, await ContractDriver.start(t.env, { taskQueue: t.taskQueue, application: { ...form, customerId } })];
  for (const d of drivers) await approveFeb2(d);
  for (const period of ['2026-02', '2026-03']) for (const d of drivers) await billMonth(d, period);
  await drivers[0]!.advanceTo('2026-04-02', 10);
}, 180_000);
afterAll(() => t?.teardown());

const lineArb = fc.record({
  inquiryNumber: fc.integer({ min: 1, max: 999_999 }),
  bookedOn: fc.constantFrom('080331', '080401', '080402'),
  amount: fc.integer({ min: 1, max: 200_000 }),
  payerName: fc.constantFrom('ｶ)ﾚｰｽ', 'ﾚ-ｽ(ｶ', 'ﾀﾆﾝ'),
  edi: fc.constantFrom('', 'RACE-B', 'INV-999999'),
});

describe('a bank file imported again', () => {
  it('changes nothing the second time, whatever the file holds: every line a duplicate, every contract as it was (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { minLength: 1, maxLength: 6 }), async (lines) => {
        run++;
        const bytes = file(lines);
        const deps = depsOf(t.deps.ledger);
        const first = await importBankFile(deps, {
          actor: clerk,
          fileName: `p${run}.txt`,
          format: 'zengin01',
          bytes,
          dryRun: false,
          today: '2026-04-02',
          requestId: `prop-${run}-a`,
        });
        expect(first.lines).toHaveLength(lines.length);
        const before = await snapshot();
        const second = await importBankFile(deps, {
          actor: clerk,
          fileName: `p${run}-copy.txt`,
          format: 'zengin01',
          bytes,
          dryRun: false,
          today: '2026-04-02',
          requestId: `prop-${run}-b`,
        });
        expect(second.lines.map((l) => l.outcome)).toEqual(lines.map(() => 'duplicate'));
        expect(second.lines.every((l) => l.applied === 0)).toBe(true);
        expect(await snapshot()).toEqual(before);
      }),
      { numRuns: 12 },
    );
  }, 180_000);
});

/** Each line's money reached the contracts once: the one import that owns it says what it applied; the other calls it a duplicate. */
async function expectAppliedOnce(results: BankImportResult[], lines: FixtureLine[], before: Awaited<ReturnType<typeof snapshot>>) {
  for (const [i] of lines.entries()) {
    const owners = results.filter((r) => r.lines[i]!.outcome !== 'duplicate');
    expect(owners).toHaveLength(1);
  }
  const after = await snapshot();
  const received = (s: typeof after) => s.flatMap((c) => c.payments).reduce((sum, p) => sum + (p[1] as number), 0);
  expect(received(after) - received(before)).toBe(lines.filter((l) => l.payerName !== 'ﾀﾆﾝ').reduce((s, l) => s + l.amount, 0));
}

describe('the same file imported twice at once', () => {
  const lines: FixtureLine[] = [
    { inquiryNumber: 900_001, bookedOn: '080402', amount: 10_000, payerName: 'ｶ)ﾚｰｽ' },
    { inquiryNumber: 900_002, bookedOn: '080402', amount: 20_000, payerName: 'ｶ)ﾚｰｽ', edi: 'RACE-B' },
    { inquiryNumber: 900_003, bookedOn: '080402', amount: 30_000, payerName: 'ﾀﾆﾝ' },
    { inquiryNumber: 900_004, bookedOn: '080402', amount: 40_000, payerName: 'ﾚ-ｽ(ｶ' },
  ];

  it('in one process (PGlite): each line applied once', async () => {
    const before = await snapshot();
    const deps = depsOf(t.deps.ledger);
    const bytes = file(lines);
    const results = await Promise.all(
      ['x', 'y'].map((k) =>
        importBankFile(deps, {
          actor: clerk,
          fileName: `same-${k}.txt`,
          format: 'zengin01',
          bytes,
          dryRun: false,
          today: '2026-04-02',
          requestId: `same-${k}`,
        }),
      ),
    );
    await expectAppliedOnce(results, lines, before);
  });

  it.skipIf(!TEST_DATABASE_URL)('by two connections to one PostgreSQL ledger, as two processes would: each line applied once', async () => {
    const one = await postgresEngine.open();
    const url = one.ledger; // the first connection pool; the second opens the same schema
    await registerCustomer(url);
    const schema = (await url.db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
    const u = new URL(TEST_DATABASE_URL!);
    u.searchParams.set('options', `-c search_path=${schema}`);
    const other = await Ledger.open(await openPostgres(u.toString(), { max: 4 }));
    try {
      const pgLines = lines.map((l) => ({ ...l, inquiryNumber: (l.inquiryNumber ?? 0) + 50_000 }));
      const bytes = file(pgLines);
      const before = await snapshot();
      const results = await Promise.all(
        [url, other].map((ledger, k) =>
          importBankFile(depsOf(ledger), {
            actor: clerk,
            fileName: `pg-${k}.txt`,
            format: 'zengin01',
            bytes,
            dryRun: false,
            today: '2026-04-02',
            requestId: `pg-${k}`,
          }),
        ),
      );
      await expectAppliedOnce(results, pgLines, before);
    } finally {
      await other.close();
      await one.dispose();
    }
  });
});
