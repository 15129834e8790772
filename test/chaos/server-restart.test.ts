/**
 * The dev server is stopped and started again on its data file during a monthly billing run — once
 * cleanly (SIGTERM) and once as a crash (SIGKILL) — while contracts wait on timers that come due during
 * the outage. Afterwards every contract has resumed: the billing run finishes with each contract billed
 * once, each waiting timer has fired (deemed rejection on its day, Art. 8), and every mail went out once.
 */
import { handled } from '../../src/workflows/billing-run';
import { join } from 'node:path';
import { ledgerClient } from '../../src/backoffice/ledger-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { contractIds, pool, sleep, startBillingRun, type CreatedContracts } from '../../bench/harness';
import { startOfDayJst } from '../../src/domain/calendar';
import { deemedRejectionDay } from '../../src/domain/lifecycle';
import type { BillingRunProgress } from '../../src/workflows/billing-run';
import type { ContractView } from '../../src/domain/contract';
import { reportFigure } from '../faults/support';
import { auditBilling, billableContracts, platform, until, type Platform } from './support';
import { stateQuery } from '../../src/workflows/contract/messages';
import { SIMULATED_CLOCK_OFFSET_MEMO } from '../../src/simulation/workflow-clock';

const N = Number(process.env.CHAOS_CONTRACTS ?? 150);
const WAITING = 20; // contracts per outage whose timer comes due while the server is down
const DOWN_MS = 15_000;
const APPLIED_ON = '2026-05-01';
const DEEMED_ON = deemedRejectionDay(APPLIED_ON);

let p: Platform;
let created: CreatedContracts;

beforeAll(async () => {
  p = await platform('restart');
  created = await billableContracts(p, 'R', N);
}, 600_000);
afterAll(() => p?.teardown());

/** Pending applications whose 60-day window closes `dueInMs` from now on their calendar (a durable timer). */
async function waitingOnTimer(client: Client, ids: string[], dueInMs: number): Promise<void> {
  const ledger = ledgerClient(join(p.dataDir, 'run', 'ledger.sock'));
  await pool(ids, 8, async (id) => {
    const { customerId } = await ledger.register(id, { name: '株式会社タイマー', email: `billing+${id.toLowerCase()}@example.co.jp` });
    const clockOffsetMs = startOfDayJst(DEEMED_ON) - (Date.now() + dueInMs);
    await client.workflow.start('contract', {
      taskQueue: p.taskQueue,
      workflowId: id,
      args: [
        {
          application: {
            contractId: id,
            customerId,
            terms: { plan: 'entry', components: [{ os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 0 },
            appliedOn: APPLIED_ON,
          },
        },
      ],
      memo: { [SIMULATED_CLOCK_OFFSET_MEMO]: clockOffsetMs },
    });
  });
}

it(`resumes ${N} contracts and fires their timers after the server is stopped and after it crashes`, async () => {
  const client = p.server.client;
  const run = await startBillingRun(client, { taskQueue: p.taskQueue, period: created.period, concurrency: 10, pageSize: 25 });
  const faults: Array<{ kind: 'stop' | 'crash'; waiting: string[] }> = [
    { kind: 'stop', waiting: contractIds('T1', WAITING) },
    { kind: 'crash', waiting: contractIds('T2', WAITING) },
  ];
  for (const [k, fault] of faults.entries()) {
    const target = Math.floor((N * (k + 1)) / (faults.length + 1));
    await until(`${target} contracts billed`, async () => {
      const q = await run.query<BillingRunProgress>('progress');
      return handled(q) >= target ? true : undefined;
    });
    await waitingOnTimer(client, fault.waiting, 5_000);
    if (fault.kind === 'stop') await p.server.stop();
    else await p.server.crash();
    await sleep(DOWN_MS); // the timers come due while the server is down
    await p.server.start();
  }
  const result = await until('the billing run to finish', () => run.result(), 600_000, 1000);
  expect(result.failed).toEqual([]);
  expect(handled(result)).toBe(N);

  // Each waiting contract's timer fired after the restart: deemed rejected on its day, and closed.
  const waiting = faults.flatMap((f) => f.waiting);
  const late: string[] = [];
  for (const id of waiting) {
    const view = await until(`${id} to close`, () => client.workflow.getHandle(id).result() as Promise<ContractView>, 300_000, 1000);
    if (view.status !== 'rejected' || view.endedOn !== DEEMED_ON) late.push(`${id}: ${view.status} on ${view.endedOn}`);
  }
  expect(late).toEqual([]);
  // The billed contracts wait on their next steps: the overdue notice of the new invoice (a renewal is no step).
  for (const id of created.ids.slice(0, 10)) {
    const view = await client.workflow.getHandle(id).query(stateQuery);
    expect(view.nextDeadlines.map((d) => d.kind)).toEqual(['overdueNotice', 'overdueSuspension']);
  }

  const audit = await auditBilling(p, created, { ids: waiting, notices: ['applicationReceived', 'deemedRejected'] });
  reportFigure({
    suite: 'dev server stopped and crashed during the billing run',
    runs: 1,
    faults: faults.length,
    duplicates: audit.duplicates.length,
    lost: audit.lost.length + late.length,
    note: `${N} contracts billed, ${waiting.length} timers due during the outages (${DOWN_MS / 1000} s each) fired`,
  });
  expect(audit.duplicates).toEqual([]);
  expect(audit.lost).toEqual([]);
}, 900_000);
