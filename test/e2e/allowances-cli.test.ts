/**
 * D-19 with the CLI on a real dev server and the real worker: `neutrix incident` and `neutrix ops-work`
 * record against a Premium contract of 2 components (3 incidents and 2 ops hours included a month);
 * `neutrix show` prints each month beside what is included and the excess, not billed. Bad input exits 2
 * naming the flag with nothing sent or audited; a refusal exits 3 with the decider's message, audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, jstDateOf, monthOf } from '../../src/domain/calendar';
import { stateQuery } from '../../src/workflows/contract/messages';
import { startE2e, type E2e } from './harness';

let e2e: E2e;
const id = 'C-ALW-CLI';
const today = jstDateOf(Date.now());
const month = monthOf(today);
const yesterday = addDays(today, -1);

beforeAll(async () => {
  e2e = await startE2e();
  expect((await e2e.cli(['apply', id, '--name', '運用代行株式会社', '--email', 'ops@example.co.jp', '--plan', 'premium', '--linux', '2'])).code).toBe(0);
  expect((await e2e.cli(['approve', id, '--start-date', today])).code).toBe(0);
});
afterAll(() => e2e?.teardown());

const auditOf = async () =>
  (await e2e.deps.ledger.audit.list({ contractId: id })).filter((a) => a.command === 'recordIncident' || a.command === 'recordOpsWork');
const allowances = async () => (await e2e.env.client.workflow.getHandle(id).query(stateQuery)).allowances;

describe('neutrix incident and neutrix ops-work (別表2 D-19)', () => {
  it('bad input exits 2 naming the flag and the reason; nothing is sent or audited', async () => {
    const cases: Array<[string[], string]> = [
      [['incident', id], 'neutrix incident: missing --at <INSTANT>'],
      [
        ['incident', id, '--at', `${today} 09:00`],
        `neutrix incident: --at: expected an instant in ISO 8601 with an offset, e.g. 2026-05-01T09:00:00+09:00 (got "${today} 09:00")`,
      ],
      [['ops-work', id, '--on', today], 'neutrix ops-work: missing --hours <N>'],
      [['ops-work', id, '--on', today, '--hours', '0.3'], 'neutrix ops-work: --hours: the hours are counted in quarter hours (0.25 steps) (got "0.3")'],
      [['ops-work', id, '--on', today, '--hours', 'two'], 'neutrix ops-work: --hours: expected the hours as a number (got "two")'],
      [['ops-work', id, '--on', today, '--hours', '25'], 'neutrix ops-work: --hours: at most 24 hours on one day (got "25")'],
      [['ops-work', id, '--on', '2026-13-01', '--hours', '1'], 'neutrix ops-work: --on:'],
    ];
    for (const [args, error] of cases) {
      const r = await e2e.cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim(), args.join(' ')).toContain(error);
    }
    expect(await auditOf()).toEqual([]);
    expect(await allowances()).toEqual([]);
  });

  it('records 4 incidents and 2.5 ops hours in the month (the first by the spawned CLI); show prints 4/3 and 2.5/2 and the excess', async () => {
    const spawned = await e2e.spawnCli(['incident', id, '--at', `${today}T00:10:00+09:00`, '--request-id', 'incident-cli-1']);
    expect(spawned.stderr).toBe('');
    expect(spawned.code).toBe(0);
    expect(spawned.stdout).toContain(`${id} incident: ${month}: 1 incident response(s) of 3 included, 0 ops hour(s) of 2 included`);
    expect(spawned.stdout).toContain('--request-id incident-cli-1');
    // A repeat with the same request id takes effect once.
    expect((await e2e.cli(['incident', id, '--at', `${today}T00:10:00+09:00`, '--request-id', 'incident-cli-1'])).code).toBe(0);
    // 00:20 JST is the same Japan day as 15:20 UTC the day before.
    for (const at of [`${today}T00:20:00+09:00`, `${yesterday}T15:30:00Z`, `${today}T00:40:00+09:00`])
      expect((await e2e.cli(['incident', id, '--at', at])).code).toBe(0);
    expect((await e2e.cli(['ops-work', id, '--on', today, '--hours', '1.5'])).code).toBe(0);
    const last = await e2e.cli(['ops-work', id, '--on', today, '--hours', '1']);
    expect(last.code).toBe(0);
    expect(last.stdout).toContain(
      `${month}: 4 incident response(s) of 3 included, 2.5 ops hour(s) of 2 included — beyond the plan: quote and charge the excess`,
    );

    expect(await allowances()).toEqual([
      {
        month,
        incidents: 4,
        incidentsIncluded: 3,
        incidentsExcess: 1,
        opsHours: 2.5,
        opsHoursIncluded: 2,
        opsHoursExcess: 0.5,
        exceeded: true,
        rule: '別表2 D-19',
      },
    ]);
    const show = await e2e.cli(['show', id]);
    expect(show.code).toBe(0);
    const lines = show.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Allowances (別表2 D-19'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]!.trim().split(/\s{2,}/)).toEqual(['MONTH', 'INCIDENTS', 'OPS HOURS', 'EXCESS']);
    expect(lines[at + 3]!.trim().split(/\s{2,}/)).toEqual([month, '4/3', '2.5/2', 'yes']);
    expect(lines[at + 4]).toBe(
      `  ${month}  excess: 1 incident over the 3 included, 0.5 ops hours over the 2 included — not billed; add a charge with a reason if the customer is to pay it`,
    );
    // Never billed by itself: nothing is waiting for the next invoice.
    expect(show.stdout).not.toContain('On a coming invoice');
    const json = JSON.parse((await e2e.cli(['show', id, '--json'])).stdout) as { allowances: unknown[] };
    expect(json.allowances).toHaveLength(1);
  });

  it("a day before the usage start or after today exits 3 with the decider's message naming the field; nothing changes", async () => {
    const before = await e2e.cli(['incident', id, '--at', `${yesterday}T23:59:00+09:00`]);
    expect(before.code).toBe(3);
    expect(before.stderr.trim()).toBe(`neutrix incident: ${id}: refused (別表2 D-19): at: ${yesterday} is before the usage start ${today}`);
    const tomorrow = addDays(today, 1);
    const ahead = await e2e.cli(['ops-work', id, '--on', tomorrow, '--hours', '2']);
    expect(ahead.code).toBe(3);
    expect(ahead.stderr.trim()).toBe(`neutrix ops-work: ${id}: refused (別表2 D-19): on: ${tomorrow} is after today ${today}; record it once it happened`);
    expect((await allowances()).map((a) => [a.month, a.incidents, a.opsHours])).toEqual([[month, 4, 2.5]]);
  });

  it("every attempt sent is one audit row with the CLI's person (via the API): 5 incidents (a repeat answered once) and 2 ops work accepted, 2 refused", async () => {
    const rows = await auditOf();
    expect(rows.every((a) => a.actor.via === 'api' && a.actor.role === 'supervisor')).toBe(true);
    expect(rows.map((a) => `${a.command} ${a.outcome}`).sort()).toEqual([
      ...Array(5).fill('recordIncident accepted'),
      'recordIncident refused',
      'recordOpsWork accepted',
      'recordOpsWork accepted',
      'recordOpsWork refused',
    ]);
    expect(rows.filter((a) => a.requestId === 'incident-cli-1')).toHaveLength(2);
  });
});
