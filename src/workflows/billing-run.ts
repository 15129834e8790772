/**
 * The monthly billing run (D-11): started by the `monthly-billing` schedule at 00:05 JST on the 1st, it
 * closes the previous month on every contract. It pages through the contracts (visibility query), closes
 * them in batches with bounded concurrency, reports progress, and continues as new between pages of a
 * large run.
 * Contracts de-duplicate by the business key, so running a month twice bills nothing twice.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { condition, continueAsNew, defineQuery, patched, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { addMonths, jstDateOf, monthOf } from '../domain/calendar';
import type { YearMonth } from '../domain/types';
import type { BillingRunActivities, CloseOutcome } from './billing-run-activities';

export interface BillingRunProgress {
  period: YearMonth;
  total: number | null;
  billed: number;
  alreadyBilled: number;
  failed: Array<{ contractId: string; reason: string }>;
  lastId: string | null;
  done: boolean;
}

export interface BillingRunInput {
  /** The month to close; by default the month before today (Japan time). */
  period?: YearMonth;
  /** Bill exactly these contracts instead of querying visibility (the simulator; targeted re-runs). */
  contractIds?: string[];
  concurrency?: number;
  pageSize?: number;
  /** Simulation only: the calendar offset of the contracts it drives. */
  clockOffsetMs?: number;
  /** Set by continue-as-new. */
  progress?: BillingRunProgress;
}

export const billingRunProgressQuery = defineQuery<BillingRunProgress>('progress');

const retry = { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['BadBillingRunData'] };
// Listing pages through visibility and heartbeats. A batch heartbeats after each contract it closes, so a
// lost worker's batch is retried after 30 s and resumes where the heartbeat says it was.
const listing = proxyActivities<BillingRunActivities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '1 minute', retry });
const closing = proxyActivities<BillingRunActivities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '30 seconds', retry });
const closingOne = proxyActivities<BillingRunActivities>({ startToCloseTimeout: '30 seconds', retry });
const acts = {
  countContractsToBill: listing.countContractsToBill,
  listContractsToBill: listing.listContractsToBill,
  closeContractPeriods: closing.closeContractPeriods,
  closeContractPeriod: closingOne.closeContractPeriod,
};

/** Contracts per activity; two batches run at once, so one batch's last slow update does not idle the run. */
const BATCH_SIZE = 100;
const BATCHES_IN_FLIGHT = 2;

/**
 * Contracts per page. A page is the first ids after the last one billed, and visibility cannot sort by id,
 * so each listing reads every contract not yet billed: about N²/(2 × PAGE_SIZE) + N/2 rows in a run (10,000:
 * 15,000 rows with pages of 5,000, 105,000 with pages of 500). A page's ids (~100 KB) fit a payload easily.
 */
export const PAGE_SIZE = 5000;
const PAGES_PER_RUN = 5; // continue as new after this many pages: history stays small for 100,000s of contracts

/** Set by the server on schedule-started runs: a backfill of an old 1st closes that old month, not today's. */
const ScheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export async function billingRun(input: BillingRunInput): Promise<BillingRunProgress> {
  const scheduledAt = workflowInfo().typedSearchAttributes.get(ScheduledStartTime);
  const today = jstDateOf((scheduledAt ? scheduledAt.getTime() : Date.now()) + (input.clockOffsetMs ?? 0));
  const period = input.period ?? addMonths(monthOf(today), -1);
  const concurrency = Math.max(1, input.concurrency ?? 20);
  const pageSize = Math.max(1, input.pageSize ?? PAGE_SIZE);
  const p: BillingRunProgress = input.progress ?? { period, total: null, billed: 0, alreadyBilled: 0, failed: [], lastId: null, done: false };
  setHandler(billingRunProgressQuery, () => p);
  const show = () =>
    setCurrentDetails(
      `**Billing run ${p.period}**\n\nbilled ${p.billed} · already billed ${p.alreadyBilled} · failed ${p.failed.length} · remaining ${p.total === null ? '?' : Math.max(0, p.total - p.billed - p.alreadyBilled - p.failed.length)}` +
        (p.failed.length ? `\n\nfailed: ${p.failed.slice(0, 20).map((f) => `${f.contractId} (${f.reason})`).join('; ')}` : ''),
    );

  // Rolled out with a patch: a run in flight when the batches came keeps one activity per contract.
  const close = patched('billing-batches') ? closeAll : closeEach;
  if (p.total === null) p.total = input.contractIds ? input.contractIds.length : await acts.countContractsToBill();
  show();

  for (let pages = 0; pages < PAGES_PER_RUN; pages++) {
    const ids = input.contractIds
      ? [...input.contractIds].sort().filter((id) => p.lastId === null || id > p.lastId).slice(0, pageSize)
      : await acts.listContractsToBill({ afterId: p.lastId, pageSize });
    if (ids.length === 0) {
      p.done = true;
      show();
      return p;
    }
    await close(ids, period, concurrency, (o) => {
      if (o.outcome === 'billed') p.billed++;
      else if (o.outcome === 'alreadyBilled') p.alreadyBilled++;
      else if ('reason' in o) p.failed.push({ contractId: o.contractId, reason: o.reason });
      show();
    });
    p.lastId = ids[ids.length - 1]!;
    if (workflowInfo().continueAsNewSuggested) break;
  }
  return await continueAsNew<typeof billingRun>({ ...input, period, progress: p });
}

/** Close every contract of a page: batches of BATCH_SIZE, BATCHES_IN_FLIGHT at once, `concurrency` updates in all. */
async function closeAll(ids: string[], period: YearMonth, concurrency: number, record: (o: CloseOutcome) => void): Promise<void> {
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += BATCH_SIZE) batches.push(ids.slice(i, i + BATCH_SIZE));
  const perBatch = Math.max(1, Math.ceil(concurrency / BATCHES_IN_FLIGHT));
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const contractIds = batches[next++]!;
      const summary = `close ${period} for ${contractIds.length} contracts (${contractIds[0]} … ${contractIds[contractIds.length - 1]})`;
      try {
        const outcomes = await acts.closeContractPeriods.executeWithOptions({ summary }, [{ period, contractIds, concurrency: perBatch }]);
        outcomes.forEach(record);
      } catch (err) {
        for (const contractId of contractIds) record({ contractId, outcome: 'failed', reason: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, batches.length) }, lane));
}

/** Before 'billing-batches': one activity per contract, at most `concurrency` in flight. */
async function closeEach(ids: string[], period: YearMonth, concurrency: number, record: (o: CloseOutcome) => void): Promise<void> {
  let inFlight = 0;
  const all: Promise<void>[] = [];
  for (const contractId of ids) {
    await condition(() => inFlight < concurrency);
    inFlight++;
    all.push(
      acts.closeContractPeriod
        .executeWithOptions({ summary: `close ${period} for ${contractId}` }, [{ contractId, period }])
        .then(record, (err: Error) => record({ contractId, outcome: 'failed', reason: err.message }))
        .finally(() => void inFlight--),
    );
  }
  await Promise.all(all);
}
