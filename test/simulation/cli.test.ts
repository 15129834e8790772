/**
 * The real command, spawned: `tsx src/simulate.ts FILE` (what `npm run --silent simulate -- FILE` runs
 * after the set-up). Exit 2 with one line per problem for invalid files, exit 0 with nothing but the
 * outcome on standard output for a valid one. Also: the worked scenarios cover every event type and
 * every decision D-1…D-14, and each is played by exactly one test file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { projectRoot } from '../../src/infra/binaries';
import { EVENT_TYPES } from '../../src/simulation/scenario';
import { GROUPS } from './groups';
import { SCENARIOS_DIR, scenarioNames } from './scenarios';

const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'simulate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function simulate(file: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tsx, ['src/simulate.ts', file], { cwd: projectRoot, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scenarioFile(name: string, content: unknown): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

const valid = () => JSON.parse(readFileSync(join(projectRoot, 'examples', 'scenario.json'), 'utf8')) as Record<string, unknown> & { events: unknown[] };

describe('invalid files: exit 2, one line per problem naming the field, nothing run', () => {
  it('names each broken field', () => {
    const s = valid();
    s.contract = { ...(s.contract as object), plan: 'gold', components: [], cloudMonthlyFee: -1, colour: 'red' };
    s.events = [
      { on: '2026-01-20', type: 'approve', startDate: '2026-02-02' },
      { on: '2026-03-31', type: 'pay', amount: '129800' },
      { on: '2026-04-01', type: 'cancel', endDate: '31/07/2026' },
      { on: '2026-04-02', type: 'teleport' },
      { on: '2026-04-03', type: 'outage', scope: 'cloud', knownAt: '2026-04-01T09:00:00+09:00', restoredAt: '2026-04-01T08:00:00+09:00' },
      { on: '2026-04-04', type: 'approveChange', effectiveMonth: '2026-13' },
    ];
    const r = simulate(scenarioFile('broken-fields', s));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      'contract.plan: expected a plan: entry, standard, advanced, premium',
      'contract.components: at least one component (one VM) is required',
      'contract.cloudMonthlyFee: the cloud resource fee cannot be negative',
      'contract: unknown field "colour" in contract',
      'events[1].amount: expected the payment in whole yen (a number)',
      expect.stringMatching(/^events\[2\]\.endDate: expected a date YYYY-MM-DD/),
      expect.stringMatching(/^events\[3\]\.type: unknown event type "teleport"; expected one of approve, reject, /),
      'events[4].restoredAt: restoredAt must be after knownAt',
      'events[5].effectiveMonth: expected a month YYYY-MM',
    ]);
  });

  it('names each broken field of the price-list, discontinuation, maintenance, incident and ops-work events', () => {
    const s = valid();
    s.events = [
      { on: '2026-01-20', type: 'priceListChange', effectiveMonth: '2026-13', plans: { gold: { base: 1 } } },
      { on: '2026-01-20', type: 'priceListChange', effectiveMonth: '2026-07', plans: { premium: { base: 1, bands: [1, 2, 3] } } },
      { on: '2026-01-20', type: 'priceListChange', effectiveMonth: '2026-07', plans: { standard: { base: 1, bands: [1, 2] } }, metricCapOption: -5 },
      { on: '2026-01-20', type: 'priceListChange', effectiveMonth: '2026-07', plans: {} },
      { on: '2026-01-21', type: 'discontinueService', endDate: 'soon', emergency: 'yes' },
      { on: '2026-01-22', type: 'maintenance', from: '2026-02-01T10:00:00+09:00', to: '2026-02-01T09:00:00+09:00' },
      { on: '2026-01-22', type: 'maintenance', from: '2026-02-01', to: '2026-02-01T09:00:00+09:00' },
      { on: '2026-01-23', type: 'incident', at: 'yesterday' },
      { on: '2026-01-24', type: 'opsWork', hours: 0.3 },
      { on: '2026-01-24', type: 'opsWork', hours: 1, on2: 1 },
    ];
    const r = simulate(scenarioFile('broken-provider-events', s));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'events[0].effectiveMonth: expected a month YYYY-MM',
      'events[0].plans: unknown plan "gold"; expected entry, standard, advanced, premium',
      'events[1].plans.premium.windowsBands: expected the per-component prices with any Windows component as three prices [1–5, 6–20, 21+ components] in whole yen',
      'events[2].plans.standard.bands: expected the per-component prices as three prices [1–5, 6–20, 21+ components] in whole yen',
      'events[2].metricCapOption: the metric-cap option per component cannot be negative',
      'events[3].plans: a priceListChange changes at least one plan or the metricCapOption',
      'events[4].endDate: expected a date YYYY-MM-DD that exists on the calendar',
      'events[4].emergency: expected emergency: true or false',
      'events[5].to: to must be after from',
      'events[6].from: expected an instant in ISO 8601 with an offset, e.g. 2026-05-01T09:00:00+09:00',
      'events[7].at: expected an instant in ISO 8601 with an offset, e.g. 2026-05-01T09:00:00+09:00',
      'events[8].hours: the hours are counted in quarter hours (0.25 steps)',
      'events[9]: unknown field "on2" in a opsWork event',
    ]);
  });

  it('names each broken field of the customer’s payer details and of a bankStatement event (issue 29)', () => {
    const s = valid();
    s.contract = {
      ...(s.contract as { customer: object }),
      customer: { ...(s.contract as { customer: object }).customer, payerKana: ['カ）サンプル', ''], payerCode: '12345' },
    };
    s.events = [
      { on: '2026-01-20', type: 'bankStatement', format: 'zengin02', data: 'AAAA' },
      { on: '2026-01-21', type: 'bankStatement', format: 'csv', data: 'not base64!' },
      { on: '2026-01-22', type: 'bankStatement', format: 'zengin01' },
    ];
    const r = simulate(scenarioFile('broken-bank', s));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'contract.customer.payerKana[1]: a payer name is not empty',
      'contract.customer.payerCode: expected 10 digits',
      "events[0].format: expected the file's format: zengin01, zengin03, csv",
      'events[1].data: expected base64 (A–Z a–z 0–9 + /, padded with =)',
      'events[2].data: expected the file as base64 text',
    ]);
  });

  it('checks the calendar of the file: events in date order, from appliedOn to until', () => {
    const s = valid();
    s.until = '2026-05-31';
    s.events = [
      { on: '2026-01-04', type: 'approve', startDate: '2026-02-02' },
      { on: '2026-03-31', type: 'pay', amount: 129800 },
      { on: '2026-03-30', type: 'pay', amount: 1 },
      { on: '2026-06-01', type: 'pay', amount: 1 },
    ];
    const r = simulate(scenarioFile('calendar', s));
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'events[0].on: 2026-01-04 is before appliedOn 2026-01-05',
      'events[2].on: 2026-03-30 is before events[1].on 2026-03-31 (events must be in date order)',
      'events[3].on: 2026-06-01 is after until 2026-05-31',
    ]);
  });

  it('answers a missing field, a file that is not JSON, and a file that does not exist, without a stack trace', () => {
    const s = valid();
    delete s.until;
    (s.events as Array<Record<string, unknown>>).push({ on: '2026-06-01', type: 'cancel' });
    const missing = simulate(scenarioFile('missing', s));
    expect(missing.status).toBe(2);
    expect(missing.stderr.trimEnd().split('\n')).toEqual(['until: expected a date YYYY-MM-DD', 'events[4].endDate: expected a date YYYY-MM-DD']);

    const notJson = simulate(scenarioFile('not-json', '{ "contract": '));
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/^\(file\): not valid JSON: [^\n]+\n$/);

    const absent = simulate(join(dir, 'absent.json'));
    expect(absent.status).toBe(2);
    expect(absent.stderr).toBe(`${join(dir, 'absent.json')}: cannot read the scenario: no such file\n`);

    for (const r of [missing, notJson, absent]) {
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('a valid file: exit 0 and the outcome alone on standard output', () => {
  it('runs examples/scenario.json', () => {
    const r = simulate(join(projectRoot, 'examples', 'scenario.json'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const outcome = JSON.parse(r.stdout);
    expect(r.stdout).toBe(`${JSON.stringify(outcome, null, 2)}\n`); // nothing before or after the JSON
    // The example is the monthly-payments scenario under another contract id.
    const expected = JSON.parse(readFileSync(join(SCENARIOS_DIR, 'monthly-payments.expected.json'), 'utf8'));
    expect(outcome).toEqual({ ...expected, contractId: 'C-0001' });
  });
});

describe('the worked scenarios', () => {
  const names = scenarioNames();
  const scenarios = names.map((n) => JSON.parse(readFileSync(join(SCENARIOS_DIR, `${n}.json`), 'utf8')) as { events: Array<{ type: string }> });

  it('are each played by exactly one test file, with an expectation and the arithmetic beside it', () => {
    const grouped = Object.values(GROUPS).flat();
    expect([...grouped].sort()).toEqual(names);
    for (const n of names) {
      expect(existsSync(join(SCENARIOS_DIR, `${n}.expected.json`)), `${n}.expected.json`).toBe(true);
      expect(existsSync(join(SCENARIOS_DIR, `${n}.md`)), `${n}.md`).toBe(true);
    }
  });

  it('use every event type', () => {
    const used = new Set(scenarios.flatMap((s) => s.events.map((e) => e.type)));
    expect(EVENT_TYPES.filter((t) => !used.has(t))).toEqual([]);
  });

  it('work through every decision D-1 … D-28 (docs/decisions.md)', () => {
    const text = names.map((n) => readFileSync(join(SCENARIOS_DIR, `${n}.md`), 'utf8')).join('\n');
    const missing = Array.from({ length: 28 }, (_, i) => `D-${i + 1}`).filter((d) => !new RegExp(`\\b${d}\\b`).test(text));
    expect(missing).toEqual([]);
  });
});
