/**
 * Contracts whose workflow the server (or someone at it) closed without the contract ending: terminated
 * (by hand, or at the history limit), failed, or timed out. Such a contract never bills, ends or deletes
 * data again, and nothing inside it can say so: it is found here, from visibility and its close event.
 * The back office adds what it still owes (src/backoffice/closed-contracts.ts); the metrics poller counts it.
 */
import type { Client } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { BilledThroughKey, ContractStatusKey, OverdueYenKey } from '../workflows/search-attributes';

/** The statuses that are not a contract's own end (which is Completed, or ContinuedAsNew between runs). */
export const ABNORMAL_STATUSES = ['TERMINATED', 'FAILED', 'TIMED_OUT'] as const;
export type AbnormalStatus = (typeof ABNORMAL_STATUSES)[number];
export const CLOSED_ABNORMALLY_QUERY = 'WorkflowType = "contract" AND ExecutionStatus IN ("Terminated", "Failed", "TimedOut")';

/** A start the contract refused (a forged or malformed input, start.ts): never a contract, nothing owed. */
const REFUSED_STARTS = new Set(['InvalidStart', 'InvalidApplication']);

export interface ClosedRun {
  contractId: string;
  runId: string;
  status: AbnormalStatus;
  closedAt: Date | null;
  /** The termination's reason, or the failure's message (never encrypted: they name no customer). */
  reason: string | null;
  /** Who terminated it, as the client said (the Web UI, the CLI, a history limit: "history service"). */
  by: string | null;
  /** The last values the contract published (search attributes are kept after the close). */
  lastStatus: string | null;
  overdueYen: number | null;
  billedThrough: string | null;
}

export function isAbnormal(status: string | undefined): status is AbnormalStatus {
  return (ABNORMAL_STATUSES as readonly string[]).includes(status ?? '');
}

/** The close event of a run (only that event is read: a history at the limit is 50 MB). */
async function closeEvent(client: Client, workflowId: string, runId: string): Promise<{ reason: string | null; by: string | null; refusedStart: boolean }> {
  const res = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    historyEventFilterType: temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
  });
  const e = res.history?.events?.[0];
  const terminated = e?.workflowExecutionTerminatedEventAttributes;
  if (terminated) return { reason: terminated.reason || null, by: terminated.identity || null, refusedStart: false };
  const failure = e?.workflowExecutionFailedEventAttributes?.failure;
  if (failure) return { reason: failure.message || null, by: null, refusedStart: REFUSED_STARTS.has(failure.applicationFailureInfo?.type ?? '') };
  if (e?.workflowExecutionTimedOutEventAttributes) return { reason: 'the run timed out', by: null, refusedStart: false };
  return { reason: null, by: null, refusedStart: false };
}

/** How a contract's latest run closed, if abnormally; null while it runs or after a normal end. */
export async function abnormalCloseOf(client: Client, contractId: string): Promise<ClosedRun | null> {
  const d = await client.workflow.getHandle(contractId).describe();
  if (!isAbnormal(d.status.name)) return null;
  const close = await closeEvent(client, contractId, d.runId);
  if (close.refusedStart) return null;
  return runOf(contractId, d.runId, d.status.name, d.closeTime ?? null, close, d.typedSearchAttributes);
}

function runOf(
  contractId: string,
  runId: string,
  status: AbnormalStatus,
  closedAt: Date | null,
  close: { reason: string | null; by: string | null },
  sa: TypedSearchAttributes,
): ClosedRun {
  return {
    contractId,
    runId,
    status,
    closedAt,
    reason: close.reason,
    by: close.by,
    lastStatus: sa.get(ContractStatusKey) ?? null,
    overdueYen: sa.get(OverdueYenKey) ?? null,
    billedThrough: sa.get(BilledThroughKey) ?? null,
  };
}

/**
 * Contracts closed abnormally, newest first, at most `limit` (`more`: the list goes on). A contract id
 * counts once, and only if its latest run is the abnormal one (not one started again since).
 */
export async function closedAbnormally(client: Client, limit = 50): Promise<{ runs: ClosedRun[]; more: boolean }> {
  const runs: ClosedRun[] = [];
  const seen = new Set<string>();
  for await (const wf of client.workflow.list({ query: CLOSED_ABNORMALLY_QUERY, pageSize: 100 })) {
    if (seen.has(wf.workflowId)) continue;
    seen.add(wf.workflowId);
    const latest = await client.workflow.getHandle(wf.workflowId).describe();
    if (latest.runId !== wf.runId || !isAbnormal(wf.status.name)) continue;
    const close = await closeEvent(client, wf.workflowId, wf.runId);
    if (close.refusedStart) continue;
    if (runs.length === limit) return { runs, more: true };
    runs.push(runOf(wf.workflowId, wf.runId, wf.status.name, wf.closeTime ?? null, close, wf.typedSearchAttributes));
  }
  return { runs, more: false };
}
