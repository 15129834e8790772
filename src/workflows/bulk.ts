/**
 * The one bulk mechanism (docs/architecture.md, where each concern lives): the billing run and the provider-wide runs
 * (Art. 4, 5, 17) list contracts by visibility's page token, act on them in batches with heartbeats, keep
 * their progress in the run's details and query, and continue as new between pages. This module is the
 * shape they share; each run says which contracts it lists and what it does to one. Deterministic, no I/O.
 */
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';

/** Ids per activity, and batches in flight at once, so one batch's last slow update does not idle the run. */
export const BATCH_SIZE = 100;
export const BATCHES_IN_FLIGHT = 2;
/** Contracts per page (~100 KB of ids, well inside a payload), read from visibility's own token. */
export const PAGE_SIZE = 5000;
/** Continue as new after this many pages: the run's history stays small for 100,000s of contracts. */
export const PAGES_PER_RUN = 5;

/** One page in visibility's own order, and the token of the next (null after the last). */
export interface ContractsPage {
  ids: string[];
  nextPageToken: string | null;
}

/**
 * Where a listing stands: every contract, then the sweep of runs started since the bulk run began (contracts
 * that continued as new meanwhile sort before the token's place), then done.
 */
export interface BulkCursor {
  phase: 'all' | 'sweep' | 'done';
  token: string | null;
  since: string;
}

export const startCursor = (since: Date): BulkCursor => ({ phase: 'all', token: null, since: since.toISOString() });

/** Read one page of the listing or the sweep (an activity). */
export type ListPageFn = (args: { pageSize: number; nextPageToken: string | null; sweepSince: string | null }) => Promise<ContractsPage>;

/**
 * The next page of contracts: the given ids in id order after `lastId` (targeted runs), else the listing by
 * its token, then the sweep. Empty when there is nothing left.
 */
export async function nextPage(args: {
  contractIds?: readonly string[];
  lastId: string | null;
  pageSize: number;
  cursor: BulkCursor;
  list: ListPageFn;
}): Promise<{ ids: string[]; sweep: boolean }> {
  const { cursor: c, lastId, pageSize } = args;
  if (args.contractIds)
    return {
      ids: [...args.contractIds]
        .sort()
        .filter((id) => lastId === null || id > lastId)
        .slice(0, pageSize),
      sweep: false,
    };
  while (c.phase !== 'done') {
    const sweep = c.phase === 'sweep';
    const page = await args.list({ pageSize, nextPageToken: c.token, sweepSince: sweep ? c.since : null });
    c.token = page.nextPageToken;
    // One pass each: a contract the sweep finds again is answered as a repeat by the contract itself.
    if (c.token === null) c.phase = sweep ? 'done' : 'sweep';
    if (page.ids.length > 0) return { ids: page.ids, sweep };
  }
  return { ids: [], sweep: true };
}

/**
 * Act on a page: batches of BATCH_SIZE, BATCHES_IN_FLIGHT at once, `concurrency` contracts in flight in all.
 * `act` runs one batch (an activity) with its share of the concurrency; a batch that fails as a whole is
 * recorded as failed for each of its contracts by `failed`.
 */
export async function actInBatches<O>(
  ids: readonly string[],
  concurrency: number,
  act: (batch: string[], perBatch: number) => Promise<O[]>,
  record: (o: O) => void,
  failed: (contractId: string, reason: string) => O,
): Promise<void> {
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += BATCH_SIZE) batches.push(ids.slice(i, i + BATCH_SIZE));
  const perBatch = Math.max(1, Math.ceil(concurrency / BATCHES_IN_FLIGHT));
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      try {
        (await act(batch, perBatch)).forEach(record);
      } catch (err) {
        for (const contractId of batch) record(failed(contractId, (err as Error).message));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, batches.length) }, lane));
}

/** One entry per contract, the latest reason; a contract that succeeds later in the run leaves the list. */
export function noteFailure(failed: Array<{ contractId: string; reason: string }>, contractId: string, reason: string | null): boolean {
  const i = failed.findIndex((f) => f.contractId === contractId);
  if (reason !== null) {
    if (i >= 0) failed[i] = { contractId, reason };
    else failed.push({ contractId, reason });
  } else if (i >= 0) failed.splice(i, 1);
  return i >= 0;
}

/**
 * A run's pages: up to PAGES_PER_RUN (fewer when the server suggests continuing as new), each acted on in
 * batches, `lastId` and the cursor kept in `progress`. True once nothing is left (the run finishes); false
 * when the run should continue as new with its progress.
 */
export async function eachPage<O>(args: {
  contractIds?: readonly string[];
  pageSize: number;
  concurrency: number;
  progress: { lastId: string | null; cursor: BulkCursor };
  list: ListPageFn;
  /** One batch (an activity); `runId` names the run's own updates, the sweep's apart. */
  act: (contractIds: string[], perBatch: number, runId: string) => Promise<O[]>;
  record: (o: O, sweep: boolean) => void;
  failed: (contractId: string, reason: string) => O;
}): Promise<boolean> {
  const p = args.progress;
  for (let pages = 0; pages < PAGES_PER_RUN; pages++) {
    const { ids, sweep } = await nextPage({ contractIds: args.contractIds, lastId: p.lastId, pageSize: args.pageSize, cursor: p.cursor, list: args.list });
    if (ids.length === 0) return true;
    // The sweep meets again contracts the first pass asked (visibility lags): its updates are its own, and a
    // contract answers a repeat as such.
    const runId = `${workflowInfo().workflowId}${sweep ? ':sweep' : ''}`;
    await actInBatches(
      ids,
      args.concurrency,
      (batch, perBatch) => args.act(batch, perBatch, runId),
      (o) => args.record(o, sweep),
      args.failed,
    );
    p.lastId = ids[ids.length - 1]!;
    if (workflowInfo().continueAsNewSuggested) break;
  }
  return false;
}

/**
 * A run that could not reach every contract ends failed, so the Web UI, the schedule and the alerts see it;
 * the first few contracts are named, and its progress travels in the failure's details.
 */
export function incompleteRun<P extends { failed: Array<{ contractId: string }> }>(
  type: string,
  what: string,
  progress: P,
  notDone: string,
): ApplicationFailure {
  const { failed } = progress;
  const named = failed
    .slice(0, 5)
    .map((f) => f.contractId)
    .join(', ');
  return ApplicationFailure.create({
    type,
    message: `${what}: ${failed.length} contract(s) ${notDone}: ${named}${failed.length > 5 ? ', …' : ''}`,
    nonRetryable: true,
    details: [progress],
  });
}
