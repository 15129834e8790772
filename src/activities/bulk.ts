/**
 * The one bulk mechanism's activity side (docs/architecture.md, where each concern lives), shared by the billing run
 * and the provider-wide runs: a page of contracts in visibility's own order from its token, and a batch of
 * contracts acted on `concurrency` at a time with heartbeats, so a retried attempt (a lost worker) resumes
 * after what is done. What is done to each contract is the caller's.
 */
import { activityInfo, ApplicationFailure, CancelledFailure, cancellationSignal, heartbeat } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ContractsPage } from '../workflows/bulk';

/** How often a batch records the outcomes so far (at most); a retried attempt resumes after them. */
const HEARTBEAT_INTERVAL_MS = 1000;

/**
 * One page of `query` in visibility's own order, from the token where the last one ended. The token is a
 * keyset cursor (start time, run id): a contract is never repeated, and one whose run starts after the bulk
 * run began (continued as new) sorts before it — the caller's sweep finds those. Visibility gives at most
 * 1,000 per call, so a page may take several.
 */
export async function listPage(client: Client, query: string, pageSize: number, nextPageToken: string | null): Promise<ContractsPage> {
  const ids: string[] = [];
  let token = nextPageToken ? Buffer.from(nextPageToken, 'base64') : undefined;
  do {
    const r = await client.workflowService.listWorkflowExecutions({
      namespace: client.options.namespace,
      query,
      pageSize: Math.min(1000, pageSize - ids.length),
      ...(token ? { nextPageToken: token } : {}),
    });
    for (const e of r.executions) if (e.execution?.workflowId) ids.push(e.execution.workflowId);
    token = r.nextPageToken?.length ? Buffer.from(r.nextPageToken) : undefined;
    heartbeat(ids.length);
  } while (token && ids.length < pageSize);
  return { ids, nextPageToken: token ? token.toString('base64') : null };
}

/**
 * Act on each contract of a batch, `concurrency` at a time, heartbeating the outcomes so far; `one` answers
 * for a contract or throws a transient error, which ends the attempt for Temporal to retry (the heartbeat
 * says what is done). One activity per batch rather than per contract keeps the run's own history small.
 */
export async function inBatch<O extends { contractId: string }>(
  contractIds: readonly string[],
  concurrency: number,
  one: (contractId: string) => Promise<O>,
  what: string,
): Promise<O[]> {
  const done = new Map<string, O>();
  for (const o of (activityInfo().heartbeatDetails as O[] | undefined) ?? []) done.set(o.contractId, o);
  const todo = contractIds.filter((id) => !done.has(id));
  const signal = cancellationSignal();
  let next = 0;
  let transient: unknown;
  // The SDK sends the latest details to the server only every 0.8 × heartbeat timeout but encodes them on
  // every call: once a second is as safe and spares the worker ~100 encodings of a growing list.
  let lastBeat = 0;
  const beat = () => {
    lastBeat = Date.now();
    heartbeat([...done.values()]);
  };
  const lane = async () => {
    while (next < todo.length && transient === undefined && !signal.aborted) {
      const contractId = todo[next++]!;
      try {
        done.set(contractId, await one(contractId));
        if (Date.now() - lastBeat >= HEARTBEAT_INTERVAL_MS) beat();
      } catch (err) {
        transient = err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, todo.length)) }, lane));
  if (transient !== undefined) {
    beat();
    throw transient;
  }
  if (signal.aborted) throw new CancelledFailure(`${what} cancelled`);
  return contractIds.map((id) => done.get(id)!);
}

/**
 * Why asking one contract failed for good — the contract refused, no such running workflow, or it is closed
 * (gRPC NOT_FOUND) — as the reason the run records. Otherwise it throws: bad run data (a TypeError) as the
 * non-retryable `badDataType`, anything else as transient, so the batch is retried from its heartbeat.
 */
export function failedForGood(err: unknown, badDataType: string): string {
  if (err instanceof WorkflowUpdateFailedError) return err.cause?.message ?? err.message;
  if (err instanceof WorkflowNotFoundError) return 'no running contract workflow with this id';
  if ((err as { code?: number }).code === 5) return 'the contract workflow is closed';
  if (err instanceof TypeError) throw ApplicationFailure.nonRetryable(err.message, badDataType);
  throw err;
}
