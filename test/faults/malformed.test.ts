/**
 * Malformed commands and applications — wrong types, an unknown contract or command, dates that do not
 * exist or lie outside the calendar, negative or fractional yen, enormous strings, a command in the wrong
 * state — are each refused with a message that names the field or the rule, and the contract (state and
 * history), the ledger and the outbox are exactly as before.
 */
import { OPS } from '../helpers/actors';
import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli';
import { addDays, jstDateOf } from '../../src/domain/calendar';
import type { Application } from '../../src/domain/validation';
import { loadSettings } from '../../src/settings';
import { commandFixture, messageOf, reportFigure, type CommandFixture } from './support';
import { commandUpdates } from '../../src/workflows/contract/messages';

let f: CommandFixture;
const today = jstDateOf(Date.now());
const PENDING = 'M-PENDING';
const ACTIVE = 'M-ACTIVE';
let refused = 0;
let changed = 0;

const customerIds = new Map<string, string>();
function application(contractId: string): Application {
  return {
    contractId,
    customerId: customerIds.get(contractId)!,
    terms: { plan: 'standard', components: [{ os: 'linux' }, { os: 'windows' }], metricCapRelaxations: 1, cloudMonthlyFee: 30_000 },
    appliedOn: today,
  };
}

beforeAll(async () => {
  f = await commandFixture();
  for (const id of [PENDING, ACTIVE])
    customerIds.set(
      id,
      (
        await f.deps.ledger.customers.register({
          contractId: id,
          contact: { name: '株式会社マルフォーム', email: `billing+${id.toLowerCase()}@example.co.jp` },
        })
      ).customerId,
    );
  for (const id of [PENDING, ACTIVE])
    await f.client.workflow.start('contract', { taskQueue: f.taskQueue, workflowId: id, args: [{ application: application(id) }] });
  await f.client.workflow.getHandle(ACTIVE).executeUpdate(commandUpdates.approve, { args: [{ actor: OPS, requestId: 'approve', startDate: today }] });
  await f.client.workflow.getHandle(ACTIVE).executeUpdate(commandUpdates.pay, { args: [{ actor: OPS, requestId: 'pay-1', amount: 1000 }] });
  await f.settled(ACTIVE);
  await f.settled(PENDING);
});
afterAll(async () => {
  reportFigure({
    suite: 'malformed commands and applications',
    runs: refused,
    faults: refused,
    duplicates: 0,
    lost: changed,
    note: `${refused} refused, ${changed} changed anything`,
  });
  await f?.teardown();
});

/** Every case is asked by a supervisor (unless it is not an object at all): what is wrong is the rest. */
const withActor = (arg: unknown) => (arg && typeof arg === 'object' && !Array.isArray(arg) && !('actor' in arg) ? { actor: OPS, ...arg } : arg);

type Case = [what: string, contract: string, update: string, arg: unknown, message: RegExp];

const MB = 1024 * 1024;
const cases: Case[] = [
  // wrong types and shapes
  ['amount as text', ACTIVE, 'pay', { requestId: 'x1', amount: '1000' }, /^pay: amount: expected the payment in whole yen \(a number\)/],
  ['start date as a number', PENDING, 'approve', { requestId: 'x2', startDate: 20261201 }, /^approve: startDate: expected a date YYYY-MM-DD/],
  ['no argument at all', ACTIVE, 'pay', undefined, /^pay: \(input\): .*expected object/],
  ['an array instead of an object', ACTIVE, 'pay', [1000], /^pay: \(input\): .*expected object/],
  ['an unknown field', ACTIVE, 'pay', { requestId: 'x3', amount: 1000, currency: 'USD' }, /^pay: .*currency/],
  ['no request id', ACTIVE, 'pay', { amount: 1000 }, /^pay: requestId: expected a request id/],
  [
    'taxable as text',
    ACTIVE,
    'charge',
    { requestId: 'x4', description: 'rack', amount: 1000, taxable: 'yes' },
    /^charge: taxable: expected taxable: true or false/,
  ],
  ['an unknown plan', ACTIVE, 'requestChange', { requestId: 'x5', plan: 'gold' }, /^requestChange: plan: expected a plan: entry, standard, advanced, premium/],
  // dates that do not exist or lie out of range
  [
    '30 February',
    PENDING,
    'approve',
    { requestId: 'x6', startDate: '2027-02-30' },
    /^approve: startDate: expected a date YYYY-MM-DD that exists on the calendar/,
  ],
  ['month 13', ACTIVE, 'cancel', { requestId: 'x7', endDate: '2027-13-01' }, /^cancel: endDate: expected a date YYYY-MM-DD that exists on the calendar/],
  [
    'a year after the calendar',
    PENDING,
    'approve',
    { requestId: 'x8', startDate: '2051-01-01' },
    /^approve: startDate: expected a date between 2000-01-01 and 2050-12-31/,
  ],
  [
    'a year before the calendar',
    ACTIVE,
    'recogniseDamages',
    { requestId: 'x9', occurredOn: '1999-12-31', amount: 1000 },
    /^recogniseDamages: occurredOn: expected a date between 2000-01-01 and 2050-12-31/,
  ],
  ['a word for a date', ACTIVE, 'cancel', { requestId: 'x10', endDate: 'tomorrow' }, /^cancel: endDate: expected a date YYYY-MM-DD/],
  [
    'an instant without an offset',
    ACTIVE,
    'reportOutage',
    { requestId: 'x11', scope: 'cloud', knownAt: '2026-11-01T10:00:00', restoredAt: '2026-11-01T12:00:00+09:00' },
    /^reportOutage: knownAt: expected an instant in ISO 8601 with an offset/,
  ],
  [
    'restored before known',
    ACTIVE,
    'reportOutage',
    { requestId: 'x12', scope: 'cloud', knownAt: '2026-11-01T12:00:00+09:00', restoredAt: '2026-11-01T10:00:00+09:00' },
    /^reportOutage: restoredAt: restoredAt must be after knownAt/,
  ],
  ['month 00', ACTIVE, 'closeBillingPeriod', { requestId: 'x13', period: '2026-00' }, /^closeBillingPeriod: period: expected a month YYYY-MM/],
  // money: negative, fractional, zero, implausible
  ['a negative payment', ACTIVE, 'pay', { requestId: 'x14', amount: -1000 }, /^pay: amount: the payment must be at least 1 yen/],
  ['a fractional payment', ACTIVE, 'pay', { requestId: 'x15', amount: 1000.5 }, /^pay: amount: expected the payment in whole yen, without fractions/],
  ['a zero payment', ACTIVE, 'pay', { requestId: 'x16', amount: 0 }, /^pay: amount: the payment must be at least 1 yen/],
  ['a payment of 10^13 yen', ACTIVE, 'pay', { requestId: 'x17', amount: 1e13 }, /^pay: amount: the payment is implausibly large/],
  ['Infinity (null on the wire)', ACTIVE, 'pay', { requestId: 'x18', amount: Infinity }, /^pay: amount: expected the payment in whole yen \(a number\)/],
  [
    'a fractional charge',
    ACTIVE,
    'charge',
    { requestId: 'x19', description: 'rack', amount: 0.5, taxable: true },
    /^charge: amount: expected the amount in whole yen, without fractions/,
  ],
  ['a zero charge', ACTIVE, 'charge', { requestId: 'x20', description: 'rack', amount: 0, taxable: true }, /^charge: amount: the amount cannot be zero/],
  [
    'a negative cloud fee',
    ACTIVE,
    'requestChange',
    { requestId: 'x21', cloudMonthlyFee: -1 },
    /^requestChange: cloudMonthlyFee: the cloud resource fee cannot be negative/,
  ],
  [
    'negative damages',
    ACTIVE,
    'recogniseDamages',
    { requestId: 'x22', occurredOn: today, amount: -5 },
    /^recogniseDamages: amount: the damages must be at least 1 yen/,
  ],
  // enormous strings (below the platform's 2 MB payload limit; see the next describe for above it)
  [
    'a 100,000-character description',
    ACTIVE,
    'charge',
    { requestId: 'x23', description: 'あ'.repeat(100_000), amount: 1000, taxable: true },
    /^charge: the command is larger than 65536 bytes/, // refused by its size first, before any field is read
  ],
  // Personal data never rides an update: the contract takes the ledger's contact revision only.
  [
    'an e-mail address in a contact change',
    ACTIVE,
    'changeContact',
    { requestId: 'x24', contactRevision: 2, email: 'new@example.co.jp' },
    /^changeContact: .*email/,
  ],
  ['a 10,000-character request id', ACTIVE, 'pay', { requestId: 'r'.repeat(10_000), amount: 1000 }, /^pay: requestId: /],
  ['a 1 MiB amount string', ACTIVE, 'pay', { requestId: 'x25', amount: '9'.repeat(MB) }, /^pay: the command is larger than 65536 bytes/],
  [
    'contact revision 1 (the application’s)',
    ACTIVE,
    'changeContact',
    { requestId: 'x26', contactRevision: 1 },
    /^changeContact: contactRevision: the contact revision of a change is at least 2/,
  ],
  // the wrong state for the command
  ['payment before approval', PENDING, 'pay', { requestId: 'x27', amount: 1000 }, /^pay refused \(.+\): nothing is owed before the application is approved/],
  [
    'approving an active contract',
    ACTIVE,
    'approve',
    { requestId: 'x28', startDate: today },
    /^approve refused \(.+\): approval is not possible while the contract is active/,
  ],
  ['resuming an active contract', ACTIVE, 'resume', { requestId: 'x29' }, /^resume refused \(.+\): resuming is not possible while the contract is active/],
  [
    'cancelling a pending application',
    PENDING,
    'cancel',
    { requestId: 'x30', endDate: addDays(today, 60) },
    /^cancel refused \(.+\): cancellation is not possible while the contract is pending \(awaiting approval\)/,
  ],
  [
    'deciding a change nobody requested',
    ACTIVE,
    'approveChange',
    { requestId: 'x31' },
    /^approveChange refused \(.+\): there is no change request awaiting a decision/,
  ],
  [
    'billing the month not yet over',
    ACTIVE,
    'closeBillingPeriod',
    { requestId: 'x32', period: today.slice(0, 7) },
    /^closeBillingPeriod refused \(.+\): \d{4}-\d{2} is not over yet/,
  ],
  [
    'a usage start before the approval day',
    PENDING,
    'approve',
    { requestId: 'x33', startDate: addDays(today, -1) },
    /^approve refused \(.+\): the usage start date .* is before the approval day/,
  ],
  [
    'a request id already used by another command',
    ACTIVE,
    'pay',
    { requestId: 'approve', amount: 1000 },
    /^pay refused \(requestId\): request id approve was already used for approve/,
  ],
  ['an unknown command', ACTIVE, 'frobnicate', { requestId: 'x34' }, /No registered handler for update: frobnicate/],
];

describe('malformed commands are refused and change nothing', () => {
  it.each(cases)('%s', async (_what, id, update, arg, message) => {
    const before = await f.snapshot(id);
    const err = await f.client.workflow
      .getHandle(id)
      .executeUpdate(update, { args: (arg === undefined ? [] : [withActor(arg)]) as [unknown] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err, 'the command was accepted').toBeInstanceOf(WorkflowUpdateFailedError);
    expect(messageOf(err)).toMatch(message);
    expect(messageOf(err).length, 'a message for a clerk, not a dump of the input').toBeLessThan(400);
    refused++;
    const after = await f.snapshot(id);
    if (JSON.stringify(after) !== JSON.stringify(before)) changed++;
    expect(after).toEqual(before);
  });

  it('a command to an unknown contract: not found, and nothing is created', async () => {
    const err = await f.client.workflow
      .getHandle('NO-SUCH-CONTRACT')
      .executeUpdate(commandUpdates.pay, { args: [{ actor: OPS, requestId: 'x40', amount: 1000 }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(WorkflowNotFoundError);
    expect(messageOf(err)).toMatch(/not found/i);
    refused++;
    const after = await f.snapshot('NO-SUCH-CONTRACT');
    expect(after).toEqual({ exists: false, events: [], invoices: [], payments: [], notices: [], outbox: [] });
  });
});

describe('malformed applications are refused before a contract exists', () => {
  const settings = () => loadSettings({ DATA_DIR: f.dataDir, TASK_QUEUE: f.taskQueue });
  async function cli(args: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(args, {
      out: (t) => void (out += `${t}\n`),
      err: (t) => void (err += `${t}\n`),
      env: { TEMPORAL_ADDRESS: f.env.address, TASK_QUEUE: f.taskQueue, DATA_DIR: f.dataDir },
      // Every case here is refused by the CLI's own checks: nothing may reach the back office.
      api: () => {
        throw new Error('the CLI called the back office for input it should have refused');
      },
      settings,
      writeFile: async () => undefined,
      pollMs: 100,
    });
    return { code, out, err };
  }
  const ok = ['--name', '株式会社サンプル', '--email', 'billing@example.co.jp', '--plan', 'standard', '--linux', '1'];
  const set = (flag: string, value: string) => {
    const i = ok.indexOf(flag);
    return i < 0 ? [...ok, flag, value] : [...ok.slice(0, i), flag, value, ...ok.slice(i + 2)];
  };
  const appCases: Array<[what: string, id: string, args: string[], message: RegExp]> = [
    ['an unknown plan', 'A-BAD-1', set('--plan', 'gold'), /--plan: expected a plan/],
    ['a malformed e-mail address', 'A-BAD-2', set('--email', 'billing-at-example'), /--email: expected an e-mail address/],
    ['a negative component count', 'A-BAD-3', set('--linux', '-1'), /--linux/],
    ['a fractional component count', 'A-BAD-4', set('--linux', '1.5'), /--linux/],
    ['a negative cloud fee', 'A-BAD-5', [...ok, '--cloud-fee=-5'], /--cloud-fee: the cloud resource fee cannot be negative/],
    ['a negative cloud fee as a separate argument', 'A-BAD-5B', set('--cloud-fee', '-5'), /--cloud-fee/],
    ['a fractional cloud fee', 'A-BAD-6', set('--cloud-fee', '10.5'), /--cloud-fee/],
    ['30 February', 'A-BAD-7', set('--applied-on', '2026-02-30'), /--applied-on: expected a date YYYY-MM-DD that exists on the calendar/],
    ['a date after the calendar', 'A-BAD-8', set('--applied-on', '2051-01-01'), /--applied-on: expected a date between 2000-01-01 and 2050-12-31/],
    ['a 10,000-character name', 'A-BAD-9', set('--name', 'x'.repeat(10_000)), /--name: the customer name \(契約者名\) is longer than 200 characters/],
    [
      'more relaxations than components',
      'A-BAD-10',
      set('--metric-cap-relaxations', '3'),
      /--metric-cap-relaxations: more metric-cap relaxations than components/,
    ],
    ['personal data in the contract id', 'taro@example.co.jp', ok, /<contract>: a contract id is 1–64 letters, digits, - or _/],
    ['a 100-character contract id', 'C'.repeat(100), ok, /<contract>: a contract id is 1–64 letters/],
  ];

  it.each(appCases)('by the CLI: %s', async (_what, id, args, message) => {
    const r = await cli(['apply', id, ...args]);
    expect(r.code, r.out + r.err).toBe(2);
    expect(r.err).toMatch(message);
    // The reason comes first; the CLI may echo the value after it (in full, even 10,000 characters: reported).
    expect(r.err.search(message)).toBeLessThan(200);
    refused++;
    const after = await f.snapshot(id);
    if (after.exists) changed++;
    expect(after).toEqual({ exists: false, events: [], invoices: [], payments: [], notices: [], outbox: [] });
  });

  it('started directly with a malformed application, the contract workflow refuses it before any notice', async () => {
    const bad = {
      contractId: 'A-BAD-DIRECT',
      customerId: '',
      terms: { plan: 'gold', components: [{ os: 'mac' }], metricCapRelaxations: -1, cloudMonthlyFee: 1.5 },
      appliedOn: '2026-02-30',
    };
    const handle = await f.client.workflow.start('contract', { taskQueue: f.taskQueue, workflowId: bad.contractId, args: [{ application: bad }] });
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const message = messageOf(err);
    for (const field of ['application.customerId', 'application.terms.plan', 'application.terms.components[0].os', 'application.appliedOn'])
      expect(message).toContain(field);
    refused++;
    const after = await f.snapshot(bad.contractId);
    expect(after.notices).toEqual([]);
    expect(after.outbox).toEqual([]);
    expect(after.invoices).toEqual([]);
    expect(after.events).toEqual(['EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', 'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED']);
  });
});

describe('an update above the platform payload limit (2 MiB)', () => {
  it('is refused by the platform, and the contract is unchanged and answers again afterwards', async () => {
    const before = await f.snapshot(ACTIVE);
    const t0 = Date.now();
    const err = await f.client.workflow
      .getHandle(ACTIVE)
      .executeUpdate(commandUpdates.charge, { args: [{ actor: OPS, requestId: 'x50', description: 'x'.repeat(3 * MB), amount: 1000, taxable: true }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    // The worker's rejection echoes the request, which exceeds the limit: the workflow task fails until
    // the server gives up on the update (about 20 s). The client sees no clear refusal (reported): not the
    // contract's answer, but the server's precondition failure.
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(WorkflowUpdateFailedError);
    expect(messageOf(err)).toMatch(/FAILED_PRECONDITION: Unable to perform workflow execution update due to Workflow Task in failed state/);
    const refusedAfterMs = Date.now() - t0;
    refused++;
    let after = before;
    const until = Date.now() + 60_000;
    for (;;) {
      try {
        after = await f.snapshot(ACTIVE);
        break;
      } catch (e) {
        if (Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    console.log(
      `oversized update: refused after ${refusedAfterMs} ms with "${messageOf(err).slice(0, 160)}"; contract answered again ${Date.now() - t0} ms after it was sent`,
    );
    if (JSON.stringify(after) !== JSON.stringify(before)) changed++;
    expect(after).toEqual(before);
  }, 120_000);
});
