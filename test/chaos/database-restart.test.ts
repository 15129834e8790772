/**
 * The ledger's PostgreSQL goes away in the middle of a monthly billing run — once as a crash (`pg_ctl -m
 * immediate`: no checkpoint, every connection cut, open transactions lost) for 30 s, and once as a clean
 * stop for longer than a close waits for its mail (OUTAGES) — and comes back. The worker keeps running. Afterwards every contract has exactly one invoice
 * (the domain's total, numbers gap-free), every mail went out once, nothing is lost; a contract the run
 * could not report as billed in time is named in the run's failure, and a re-run of those finds them billed.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sleep, startBillingRun, type CreatedContracts } from '../../bench/harness';
import { handled, type BillingRunProgress } from '../../src/workflows/billing-run';
import { ownPostgres, ownPostgresBinaries, type OwnPostgres } from '../helpers/postgres';
import { reportFigure } from '../faults/support';
import { auditBilling, billableContracts, platform, until, type Platform } from './support';

const N = Number(process.env.CHAOS_CONTRACTS ?? 150);
/** A crash for a restart's time, then a stop longer than a close waits for its ledger entry and mail (2 minutes). */
const OUTAGES = [
  { mode: 'immediate', downMs: 30_000 },
  { mode: 'fast', downMs: 150_000 },
] as const;

let pg: OwnPostgres | undefined;
let p: Platform | undefined;
let created: CreatedContracts;

beforeAll(async () => {
  if (!ownPostgresBinaries()) return;
  pg = await ownPostgres();
  p = await platform('pg-restart', { databaseUrl: pg.url });
  created = await billableContracts(p, 'P', N);
}, 600_000);
afterAll(async () => {
  await p?.teardown();
  pg?.teardown();
});

it.runIf(Boolean(ownPostgresBinaries()))(
  `bills ${N} contracts exactly once although the ledger's PostgreSQL crashes and is stopped during the run`,
  async () => {
    const client = p!.server.client;
    const run = await startBillingRun(client, { taskQueue: p!.taskQueue, period: created.period, concurrency: 10, pageSize: 25 });
    for (const [k, { mode, downMs }] of OUTAGES.entries()) {
      const target = Math.floor((N * (k + 1)) / (OUTAGES.length + 1));
      await until(`${target} contracts handled`, async () => {
        const q = await run.query<BillingRunProgress>('progress');
        return handled(q) >= target ? true : undefined;
      });
      pg!.stop(mode);
      await sleep(downMs);
      pg!.start();
    }
    // The run ends billed, or failed naming what it could not confirm in time (billed means ledger and mail).
    const progress = await run.result().then(
      (r) => r,
      (err: unknown) => {
        const cause = err instanceof WorkflowFailedError ? err.cause : err;
        if (!(cause instanceof ApplicationFailure) || cause.type !== 'BillingRunIncomplete') throw err;
        return cause.details![0] as BillingRunProgress;
      },
    );
    expect(handled(progress)).toBe(N);
    expect(progress.billed + progress.failed.length).toBe(N);
    // The long outage outlasts the closes in flight: the run cannot call them billed, and says so.
    expect(progress.failed.length).toBeGreaterThan(0);
    for (const f of progress.failed) expect(f.reason).toMatch(/^invoiced \d{4}-\d{2}; the ledger entry or the mail is still under way/);
    const again = await client.workflow.start('billingRun', {
      taskQueue: p!.taskQueue,
      workflowId: `pg-restart-rerun-${Date.now()}`,
      args: [{ period: created.period, contractIds: progress.failed.map((f) => f.contractId) }],
    });
    const rerun = (await again.result()) as BillingRunProgress;
    expect(rerun.failed).toEqual([]);
    expect(rerun.billed).toBe(0); // invoiced in the first run: only its report was late
    expect(rerun.alreadyBilled).toBe(progress.failed.length);

    // The outages reached the worker: ledger calls failed while the database was away (JSON log lines).
    const refused = (
      p!.worker.output().match(/ECONNREFUSED|terminating connection|Connection terminated|the database system is (shutting down|starting up)/g) ?? []
    ).length;
    expect(refused).toBeGreaterThan(0);

    const audit = await auditBilling(p!, created);
    reportFigure({
      suite: 'ledger PostgreSQL crashed, then stopped, during the billing run',
      runs: 2,
      faults: OUTAGES.length,
      duplicates: audit.duplicates.length,
      lost: audit.lost.length,
      note: `${N} contracts; down ${OUTAGES.map((o) => `${o.downMs / 1000} s (${o.mode})`).join(', then ')}; ${refused} ledger errors in the worker's log; the run reported ${progress.billed} billed and ${progress.failed.length} not confirmed in time, which a re-run found already billed`,
    });
    expect(audit.duplicates).toEqual([]);
    expect(audit.lost).toEqual([]);
  },
  900_000,
);
