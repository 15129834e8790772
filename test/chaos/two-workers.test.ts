/**
 * Two worker processes on one task queue, sharing the ledger on PostgreSQL and the outbox, bill a month
 * at once; halfway through one of them is killed (SIGKILL, its whole process group) and not restarted.
 * The other carries on alone: it takes over the killed worker's contracts (replayed from their histories)
 * and its lost billing batches (after their heartbeat timeout). Afterwards every contract has exactly one
 * invoice and every mail went out once — counted in each contract's state, the ledger and the outbox.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBillingRun, type CreatedContracts } from '../../bench/harness';
import { handled, type BillingRunProgress } from '../../src/workflows/billing-run';
import { ownPostgres, ownPostgresBinaries, type OwnPostgres } from '../helpers/postgres';
import { reportFigure } from '../faults/support';
import { auditBilling, billableContracts, platform, until, workerShares, type Platform } from './support';

const N = Number(process.env.CHAOS_CONTRACTS ?? 150);

let pg: OwnPostgres | undefined;
let p: Platform | undefined;
let created: CreatedContracts;

beforeAll(async () => {
  if (!ownPostgresBinaries()) return;
  pg = await ownPostgres();
  p = await platform('two-workers', { databaseUrl: pg.url, workers: 2 });
  created = await billableContracts(p, 'W', N);
}, 600_000);
afterAll(async () => {
  await p?.teardown();
  pg?.teardown();
});

it.runIf(Boolean(ownPostgresBinaries()))(
  `bills ${N} contracts exactly once on two workers, one of them killed halfway`,
  async () => {
    const run = await startBillingRun(p!.server.client, { taskQueue: p!.taskQueue, period: created.period, concurrency: 10, pageSize: 25 });
    const progress = () => run.query<BillingRunProgress>('progress');
    const atKill = await until(`${N / 2} contracts handled`, async () => {
      const q = await progress();
      return handled(q) >= N / 2 ? handled(q) : undefined;
    });
    const killed = p!.workers[1]!;
    await killed.kill();
    const killedAt = Date.now();
    await until('progress after the kill', async () => {
      const q = await progress();
      return handled(q) > atKill || q.done ? true : undefined;
    });
    const recoverySeconds = Math.round((Date.now() - killedAt) / 1000);
    const result = await run.result();
    expect(result.failed).toEqual([]);
    expect(handled(result)).toBe(N);
    expect(result.billed).toBe(N);
    // From the contracts' histories (each workflow task names the worker that ran it): both workers had a
    // share before the kill, only the survivor ran tasks after it, and contracts the killed one had moved.
    const share = await workerShares(p!, created.ids, killedAt);
    expect(share.before.size).toBe(2);
    expect(share.after.size).toBe(1);
    expect(share.moved).toBeGreaterThan(0);

    const audit = await auditBilling(p!, created);
    reportFigure({
      suite: 'two workers billing at once, one SIGKILLed halfway',
      runs: 1,
      faults: 1,
      duplicates: audit.duplicates.length,
      lost: audit.lost.length,
      note: `${N} contracts on a PostgreSQL ledger; ${atKill} handled at the kill; the survivor moved on ${recoverySeconds} s after it, took over ${share.moved} contracts the killed worker had run and finished alone`,
    });
    expect(audit.duplicates).toEqual([]);
    expect(audit.lost).toEqual([]);
  },
  900_000,
);
