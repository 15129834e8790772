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
import { refusedPayloadOf } from './refused-payload';
import { ApplicationFailure, defineQuery, makeContinueAsNewFunc, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { jstDateOf } from '../domain/calendar';
import { billingRunPeriodProblem, periodClosedOn } from '../domain/deadlines';
import type { YearMonth } from '../domain/types';
import type { BillingRunActivities, CloseOutcome } from './billing-run-activities';
import { workflowNow } from './clock';
import { eachPage, incompleteRun, noteFailure, PAGE_SIZE, startCursor, type BulkCursor, type ListPageFn } from './bulk';

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
  cursor: BulkCursor;
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

/** Set by the server on schedule-started runs: a backfill of an old 1st closes that old month, not today's. */
const ScheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export async function billingRun(input: BillingRunInput): Promise<BillingRunProgress> {
  // A start the codec refused (not from our clients) would otherwise bill last month for everyone.
  const refused = refusedPayloadOf(input);
  if (refused?.plaintext)
    throw ApplicationFailure.create({ type: 'InvalidStart', message: `billing run start refused: its input is ${refused.reason}`, nonRetryable: true });
  if (refused) throw new Error(`billing run start waits: its input is ${refused.reason} (NEUTRIX_CODEC_KEYS)`);
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
    cursor: startCursor(workflowInfo().startTime),
  };
  setHandler(billingRunProgressQuery, () => p);
  const show = () =>
    setCurrentDetails(
      `**Billing run ${p.period}**\n\nbilled ${p.billed} · already billed ${p.alreadyBilled} · nothing to bill ${p.nothingToBill} · failed ${p.failed.length} · remaining ${p.total === null ? '?' : Math.max(0, p.total - handled(p))}` +
        (p.failed.length
          ? `\n\nfailed: ${p.failed
              .slice(0, 20)
              .map((f) => `${f.contractId} (${f.reason})`)
              .join('; ')}`
          : ''),
    );

  if (p.total === null) p.total = input.contractIds ? input.contractIds.length : await listing.countContractsToBill();
  show();
  // The sweep lists only runs that have not billed the period yet.
  const list: ListPageFn = ({ pageSize, nextPageToken, sweepSince }) =>
    listing.listContractsToBillPage({ pageSize, nextPageToken, ...(sweepSince ? { startedSince: { instant: sweepSince, period } } : {}) });

  const finished = await eachPage({
    contractIds: input.contractIds,
    pageSize,
    concurrency,
    progress: p,
    list,
    act: (contractIds, perBatch, runId) =>
      closing.closeContractPeriods.executeWithOptions(
        { summary: `close ${period} for ${contractIds.length} contracts (${contractIds[0]} … ${contractIds[contractIds.length - 1]})` },
        [{ period, contractIds, concurrency: perBatch, runId }],
      ),
    record: (o: CloseOutcome, sweeping) => {
      const wasFailed = noteFailure(p.failed, o.contractId, o.outcome === 'failed' ? o.reason : null);
      if (o.outcome === 'billed') p.billed++;
      else if (o.outcome === 'nothingToBill') p.nothingToBill++;
      // A repeat in the sweep was counted in the first pass, so it is not counted again.
      else if (o.outcome === 'alreadyBilled' && (wasFailed || !sweeping)) p.alreadyBilled++;
      show();
    },
    failed: (contractId, reason): CloseOutcome => ({ contractId, outcome: 'failed', reason }),
  });
  if (finished) {
    p.done = true;
    show();
    if (p.failed.length > 0) throw incompleteRun('BillingRunIncomplete', `billing run ${p.period}`, p, 'not billed');
    return p;
  }
  return await makeContinueAsNewFunc<typeof billingRun>({ memo: workflowInfo().memo })({ ...input, period, progress: p });
}
