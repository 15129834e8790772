// Three years of one contract across continue-as-new: bounded history per run and per contract-year,
// state carried whole, and the recorded histories kept for replay (test/histories/, see replay.test.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { temporal as temporalProto, type temporal } from '@temporalio/proto';
import { addMonths } from '../../src/domain/calendar';
import { approveFeb2, billAndPay, contractTestEnv, standardApplication, type ContractTestEnv } from '../helpers/contract-env';

let t: ContractTestEnv;
beforeAll(async () => {
  t = await contractTestEnv();
});
afterAll(() => t?.teardown());

type History = temporal.api.history.v1.IHistory;

/** The JSON form `temporal workflow show --output json` and the Web UI export use. */
function historyJson(h: History): string {
  const { History: HistoryProto } = temporalProto.api.history.v1;
  return JSON.stringify(HistoryProto.toObject(HistoryProto.fromObject(h), { longs: String, enums: String, bytes: String }), null, 1);
}

/** Every run of a workflow id, newest first, by following continuedExecutionRunId back to the first. */
async function allRuns(workflowId: string): Promise<History[]> {
  const runs: History[] = [];
  let handle = t.env.client.workflow.getHandle(workflowId);
  for (;;) {
    const history = await handle.fetchHistory();
    runs.push(history);
    const previous = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!previous) return runs;
    handle = t.env.client.workflow.getHandle(workflowId, previous);
  }
}

it('runs three years, continuing as new at each renewal, with a bounded history', async () => {
  const d = await t.start(standardApplication('THREE-YEARS'));
  await approveFeb2(d);
  // Bill and pay every month on the 1st after it, February 2026 through November 2028.
  for (let p = '2026-02'; p <= '2028-11'; p = addMonths(p, 1)) await billAndPay(d, p);
  await d.advanceTo('2028-12-01', 10);
  // Renewal terms after the minimum term (…2027-02-01) run 2nd → 1st: the term ending 2029-01-01 starts
  // 2028-12-02, and its decline deadline is 2028-12-01 (one month before), today.
  const r = await d.command('declineRenewal', { requestId: 'decline', by: 'customer' });
  expect(r).toMatchObject({ ok: true, result: { endDate: '2029-01-01', earlyTerminationFee: 0 } });
  await billAndPay(d, '2028-12');
  await billAndPay(d, '2029-01');
  await d.advanceTo('2029-02-02', 10);

  const s = await d.state();
  expect(s.status).toBe('ended');
  expect(s.dataDeletedOn).toBe('2029-01-02');
  expect(s.invoices).toHaveLength(36);
  expect(s.invoices.every((i) => i.outstanding === 0)).toBe(true);
  // 36 invoices: February with the 50,000 initial fee (129,800), 35 months of 74,800
  expect(s.invoices.reduce((a, i) => a + i.total, 0)).toBe(129800 + 35 * 74800);
  expect(await d.closed()).toBe(true);

  const runs = await allRuns('THREE-YEARS');
  const lengths = runs.map((h) => h.events?.length ?? 0);
  // One run until the first renewal, then one per monthly renewal (Art. 11): 2027-02-02 … 2028-12-02 = 23.
  expect(runs.length).toBe(24);
  expect(Math.max(...lengths)).toBeLessThan(1000);
  const perYear = lengths.reduce((a, b) => a + b, 0) / 3;
  console.log(`history: ${runs.length} runs, longest ${Math.max(...lengths)} events, ${Math.round(perYear)} events per contract-year`);
  // Measured 266: per renewal month a run start (5), a bill (7), a payment (7) and the renewal (5); a
  // regression guard (it was 304 before the 'lean-history' patch).
  expect(perYear).toBeLessThan(280);

  if (process.env.RECORD_HISTORIES) {
    // The first run (application → first renewal) and the last (renewal → closed), for replay.test.ts.
    const dir = join(__dirname, '..', 'histories');
    writeFileSync(join(dir, 'contract-first-year.json'), historyJson(runs[runs.length - 1]!));
    writeFileSync(join(dir, 'contract-last-run.json'), historyJson(runs[0]!));
  }
}, 240_000);
