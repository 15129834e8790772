/**
 * The monthly billing run (D-11): started by the `monthly-billing` schedule at 00:05 JST on the 1st, it
 * closes the previous month on every contract. It pages through the contracts (a visibility query, read with
 * its own page token), closes them in batches with bounded concurrency, reports progress, and continues as
 * new between pages of a large run. A contract that continued as new meanwhile sorts before the token's
 * place, so a last pass sweeps the runs started since the billing run began; one that slips past both
 * (visibility lags its writes) is billed by next month's run, which closes every earlier month too (D-11).
 * Contracts de-duplicate by the business key, so running a month twice bills nothing twice.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { ApplicationFailure, defineQuery, makeContinueAsNewFunc, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { jstDateOf } from '../domain/calendar';
import { billingRunPeriodProblem, periodClosedOn } from '../domain/deadlines';
import type { YearMonth } from '../domain/types';
import type { BillingRunActivities, CloseOutcome } from './billing-run-activities';
import { workflowNow } from './clock';
import { BATCH_SIZE, BATCHES_IN_FLIGHT } from './bulk-batches';

export interface BillingRunProgress {
  period: YearMonth;
  total: number | null;
  /** Each contract counted once (CloseOutcome): invoiced, in the ledger and mailed. */
  billed: number;
  alreadyBilled: number;
  nothingToBill: number;
  /** One entry per contract, the latest reason; a contract billed later in the run leaves the list. */
  failed: Array<{ contractId: string; reason: string }>;
  /** The last contract of the last page closed (for `contractIds` runs, which page by id). */
  lastId: string | null;
  done: boolean;
  /**
   * The listing's place: every contract in visibility's order, then the sweep of runs started since the
   * billing run began (contracts that continued as new meanwhile).
   */
  cursor: { phase: 'all' | 'sweep' | 'done'; token: string | null; since: string };
}

export interface BillingRunInput {
  /** The month to close; by default the month before today (Japan time). */
  period?: YearMonth;
  /** Bill exactly these contracts instead of querying visibility (the simulator; targeted re-runs). */
  contractIds?: string[];
  concurrency?: number;
  pageSize?: number;
  /** Set by continue-as-new. */
  progress?: BillingRunProgress;
}

/** Contracts the run has an outcome for. */
export const handled = (p: BillingRunProgress) => p.billed + p.alreadyBilled + p.nothingToBill + p.failed.length;

export const billingRunProgressQuery = defineQuery<BillingRunProgress>('progress');

const retry = { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['BadBillingRunData'] };
// Listing pages through visibility and heartbeats. A batch heartbeats after each contract it closes, so a
// lost worker's batch is retried after 30 s and resumes where the heartbeat says it was.
const listing = proxyActivities<BillingRunActivities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '1 minute', retry });
const closing = proxyActivities<BillingRunActivities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '30 seconds', retry });
const acts = {
  countContractsToBill: listing.countContractsToBill,
  listContractsToBillPage: listing.listContractsToBillPage,
  closeContractPeriods: closing.closeContractPeriods,
};


/**
 * Contracts per page (~100 KB of ids: a payload fits it easily). A page is read from visibility's own token,
 * so a run reads each contract once, plus the sweep.
 */
export const PAGE_SIZE = 5000;
const PAGES_PER_RUN = 5; // continue as new after this many pages: history stays small for 100,000s of contracts

/** Set by the server on schedule-started runs: a backfill of an old 1st closes that old month, not today's. */
const ScheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export async function billingRun(input: BillingRunInput): Promise<BillingRunProgress> {
  const scheduledAt = workflowInfo().typedSearchAttributes.get(ScheduledStartTime);
  const today = jstDateOf(scheduledAt ? scheduledAt.getTime() : workflowNow());
  const period = input.period ?? periodClosedOn(today);
  const concurrency = Math.max(1, input.concurrency ?? 20);
  const pageSize = Math.max(1, input.pageSize ?? PAGE_SIZE);
  // D-11: a month not yet over is refused before anything starts (the CLI and the console check first).
  const notOver = billingRunPeriodProblem(period, today);
  if (notOver) throw ApplicationFailure.create({ type: 'BillingPeriodNotOver', message: notOver, nonRetryable: true });
  const p: BillingRunProgress = input.progress ?? {
    period,
    total: null,
    billed: 0,
    alreadyBilled: 0,
    nothingToBill: 0,
    failed: [],
    lastId: null,
    done: false,
    cursor: { phase: 'all', token: null, since: workflowInfo().startTime.toISOString() },
  };
  setHandler(billingRunProgressQuery, () => p);
  const show = () =>
    setCurrentDetails(
      `**Billing run ${p.period}**\n\nbilled ${p.billed} · already billed ${p.alreadyBilled} · nothing to bill ${p.nothingToBill} · failed ${p.failed.length} · remaining ${p.total === null ? '?' : Math.max(0, p.total - handled(p))}` +
        (p.failed.length ? `\n\nfailed: ${p.failed.slice(0, 20).map((f) => `${f.contractId} (${f.reason})`).join('; ')}` : ''),
    );

  if (p.total === null) p.total = input.contractIds ? input.contractIds.length : await acts.countContractsToBill();
  show();

  /** The next page by token: every contract, then those whose run started since this billing run began. */
  async function nextPage(c: BillingRunProgress['cursor']): Promise<{ ids: string[]; sweep: boolean }> {
    while (c.phase !== 'done') {
      const sweep = c.phase === 'sweep';
      const page = await acts.listContractsToBillPage({ pageSize, nextPageToken: c.token, ...(sweep ? { startedSince: { instant: c.since, period } } : {}) });
      c.token = page.nextPageToken;
      // One pass each: a contract with nothing to bill stays in the sweep's result, so it is not repeated.
      if (c.token === null) c.phase = sweep ? 'done' : 'sweep';
      if (page.ids.length > 0) return { ids: page.ids, sweep };
    }
    return { ids: [], sweep: true };
  }

  for (let pages = 0; pages < PAGES_PER_RUN; pages++) {
    const { ids, sweep: sweeping } = input.contractIds
      ? { ids: [...input.contractIds].sort().filter((id) => p.lastId === null || id > p.lastId).slice(0, pageSize), sweep: false }
      : await nextPage(p.cursor);
    if (ids.length === 0) {
      p.done = true;
      show();
      // A run that could not bill everyone ends failed, so the Web UI, the schedule and the alerts see it;
      // its progress travels in the failure's details.
      if (p.failed.length > 0)
        throw ApplicationFailure.create({ type: 'BillingRunIncomplete', message: `billing run ${p.period}: ${p.failed.length} contract(s) not billed: ${p.failed.slice(0, 5).map((f) => f.contractId).join(', ')}${p.failed.length > 5 ? ', …' : ''}`, nonRetryable: true, details: [p] });
      return p;
    }
    // The sweep meets again contracts seen in the first pass (visibility lags): its closes are updates of their
    // own, and a repeat there was counted before, so it is not counted again.
    await closeAll(ids, period, concurrency, `${workflowInfo().workflowId}${sweeping ? ':sweep' : ''}`, (o) => {
      const before = p.failed.findIndex((f) => f.contractId === o.contractId);
      if (o.outcome === 'failed') {
        if (before >= 0) p.failed[before] = { contractId: o.contractId, reason: o.reason };
        else p.failed.push({ contractId: o.contractId, reason: o.reason });
      } else {
        if (before >= 0) p.failed.splice(before, 1);
        if (o.outcome === 'billed') p.billed++;
        else if (o.outcome === 'nothingToBill') p.nothingToBill++;
        else if (before >= 0 || !sweeping) p.alreadyBilled++;
      }
      show();
    });
    p.lastId = ids[ids.length - 1]!;
    if (workflowInfo().continueAsNewSuggested) break;
  }
  return await makeContinueAsNewFunc<typeof billingRun>({ memo: workflowInfo().memo })({ ...input, period, progress: p });
}

/** Close every contract of a page: batches of BATCH_SIZE, BATCHES_IN_FLIGHT at once, `concurrency` updates in all. */
async function closeAll(ids: string[], period: YearMonth, concurrency: number, runId: string, record: (o: CloseOutcome) => void): Promise<void> {
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += BATCH_SIZE) batches.push(ids.slice(i, i + BATCH_SIZE));
  const perBatch = Math.max(1, Math.ceil(concurrency / BATCHES_IN_FLIGHT));
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const contractIds = batches[next++]!;
      const summary = `close ${period} for ${contractIds.length} contracts (${contractIds[0]} … ${contractIds[contractIds.length - 1]})`;
      try {
        const outcomes = await acts.closeContractPeriods.executeWithOptions({ summary }, [{ period, contractIds, concurrency: perBatch, runId }]);
        outcomes.forEach(record);
      } catch (err) {
        for (const contractId of contractIds) record({ contractId, outcome: 'failed', reason: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, batches.length) }, lane));
}
