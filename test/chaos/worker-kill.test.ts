/**
 * The worker is killed (SIGKILL, its whole process group: no shutdown, no flush) in the middle of a
 * monthly billing run, and started again — more than once. Afterwards every contract is billed exactly
 * once and every mail sent once: counted in each contract's state, in the ledger (opened with
 * openDependencies after the worker stopped) and in the .eml outbox, with every delivery watched.
 */
import { handled } from '../../src/workflows/billing-run';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBillingRun, type CreatedContracts } from '../../bench/harness';
import type { BillingRunProgress } from '../../src/workflows/billing-run';
import { reportFigure } from '../faults/support';
import { auditBilling, billableContracts, platform, until, type Platform } from './support';

const N = Number(process.env.CHAOS_CONTRACTS ?? 150);
const KILLS = Number(process.env.CHAOS_KILLS ?? 2);

let p: Platform;
let created: CreatedContracts;

beforeAll(async () => {
  p = await platform('kill');
  created = await billableContracts(p, 'K', N);
}, 600_000);
afterAll(() => p?.teardown());

it(`bills ${N} contracts exactly once although the worker is killed ${KILLS} times during the run`, async () => {
  const run = await startBillingRun(p.server.client, { taskQueue: p.taskQueue, period: created.period, concurrency: 10, pageSize: 25 });
  const progress = () => run.query<BillingRunProgress>('progress');
  const recoveries: number[] = [];
  for (let k = 1; k <= KILLS; k++) {
    const target = Math.floor((N * k) / (KILLS + 1));
    const before = await until(`${target} contracts billed`, async () => {
      const q = await progress();
      return handled(q) >= target ? handled(q) : undefined;
    });
    await p.worker.kill();
    const killedAt = Date.now();
    await p.respawn();
    // Recovery: the run moves on once the activities lost with the killed worker time out (heartbeat 1 min).
    await until('progress after the restart', async () => {
      const q = await progress();
      return handled(q) > before || q.done ? true : undefined;
    });
    recoveries.push(Math.round((Date.now() - killedAt) / 1000));
  }
  const result = await run.result();
  expect(result.failed).toEqual([]);
  expect(handled(result)).toBe(N);

  const audit = await auditBilling(p, created);
  reportFigure({
    suite: 'worker SIGKILL during the billing run',
    runs: 1,
    faults: KILLS,
    duplicates: audit.duplicates.length,
    lost: audit.lost.length,
    note: `${N} contracts, ${N} invoices and ${3 * N} mails expected; the run resumed ${recoveries.join(' s, ')} s after each kill`,
  });
  expect(audit.duplicates).toEqual([]);
  expect(audit.lost).toEqual([]);
}, 900_000);
