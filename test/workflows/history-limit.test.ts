// Issue 28 (6): signals a contract ignores still grow its history, and the server terminates a run at 50 MB.
// A contract whose history passes its limits continues as new at its next safe point, its state whole.
import { randomBytes } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_LIMITS, historyTooBig } from '../../src/workflows/contract/history';
import { TEST_HISTORY_LIMITS_MEMO } from '../../src/simulation/workflow-history-limits';
import { approveFeb2, billMonth, contractTestEnv, standardApplication, type ContractTestEnv } from '../helpers/contract-env';

describe('the decision', () => {
  const quiet = { historyLength: 200, historySize: 100_000, continueAsNewSuggested: false };
  it('continues as new when the server suggests it, or at either of our limits, well under the server’s', () => {
    expect(historyTooBig(quiet, HISTORY_LIMITS)).toBe(false);
    expect(historyTooBig({ ...quiet, continueAsNewSuggested: true }, HISTORY_LIMITS)).toBe(true);
    expect(historyTooBig({ ...quiet, historyLength: HISTORY_LIMITS.events }, HISTORY_LIMITS)).toBe(true);
    expect(historyTooBig({ ...quiet, historySize: HISTORY_LIMITS.bytes }, HISTORY_LIMITS)).toBe(true);
    expect(HISTORY_LIMITS.events).toBeLessThanOrEqual(51_200 / 10);
    expect(HISTORY_LIMITS.bytes).toBeLessThanOrEqual((50 * 1024 * 1024) / 8);
  });
});

describe('a contract flooded with large signals', () => {
  let t: ContractTestEnv;
  beforeAll(async () => {
    t = await contractTestEnv();
  });
  afterAll(() => t?.teardown());

  it('continues as new once past its (lowered) byte limit, balances and invoices carried to the yen', async () => {
    const limit = 400_000;
    const d = await t.start(standardApplication('C-FLOOD'), { [TEST_HISTORY_LIMITS_MEMO]: { bytes: limit } });
    await approveFeb2(d);
    await billMonth(d, '2026-02');
    expect((await d.command('pay', { requestId: 'pay-part', amount: 50_000 })).ok).toBe(true);
    const before = await d.state();
    expect(before.outstanding).toBe(129_800 - 50_000);
    const firstRun = (await d.handle.describe()).runId;

    // As the raw client did: signals the contract drops, each recorded in full (100 KB of noise each).
    const raw = t.env.client.workflow.getHandle('C-FLOOD');
    for (let i = 0; i < 8; i++) await raw.signal('junk', randomBytes(75_000).toString('base64'));
    await expect.poll(async () => (await raw.describe()).runId, { timeout: 30_000, interval: 200 }).not.toBe(firstRun);

    expect((await t.env.client.workflow.getHandle('C-FLOOD', firstRun).describe()).status.name).toBe('CONTINUED_AS_NEW');
    // The new run starts small: the state, not the noise.
    const bytes = (h: Awaited<ReturnType<typeof raw.fetchHistory>>) => temporal.api.history.v1.History.encode(h).finish().length;
    expect(bytes(await t.env.client.workflow.getHandle('C-FLOOD', firstRun).fetchHistory())).toBeGreaterThan(limit);
    expect(bytes(await raw.fetchHistory())).toBeLessThan(limit / 4);

    const after = await d.state();
    expect(after.status).toBe('active');
    expect(after.invoices).toEqual(before.invoices);
    expect([after.outstanding, after.credit, after.balance]).toEqual([79_800, before.credit, before.balance]);
    // The new run takes commands: the rest is paid, to the yen.
    expect((await d.command('pay', { requestId: 'pay-rest', amount: 79_800 })).ok).toBe(true);
    const paid = await d.state();
    expect(paid.outstanding).toBe(0);
    expect(paid.invoices.find((i) => i.period === '2026-02')).toMatchObject({ total: 129_800, paid: 129_800, outstanding: 0 });
  }, 120_000);
});
