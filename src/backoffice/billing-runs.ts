/**
 * Billing runs from the back office (the console's page, the CLI's `billing-run`): start one for a month
 * that is over (D-11), re-run the contracts a run could not bill, and read runs with their outcome. A
 * start is audited like a contract command (actor, request id, outcome). A run's workflow id is
 * derived from the request id, so a retried start attaches to the same run.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '../domain/actor';
import { billingRunPeriodProblem } from '../domain/deadlines';
import type { IsoDate, YearMonth } from '../domain/types';
import { contractId as contractIdSchema, parseWith, yearMonth } from '../domain/validation';
import { billingRunProgressQuery, type billingRun, type BillingRunProgress } from '../workflows/billing-run';
import { audited, checkRequestId, EdgeRefusal } from './command-path';
import type { AuditAccess } from './ledger-client';

/** A start the back office refused before anything ran: the field and the reason. */
export class BillingRunRefused extends EdgeRefusal {}

export interface StartBillingRun {
  actor: Actor;
  requestId: string;
  period: string;
  today: IsoDate;
  taskQueue: string;
  concurrency: number;
  /** A re-run: exactly these contracts (those a run could not bill). */
  contractIds?: string[];
  via: 'cli' | 'console' | 'api';
}

export const MAX_RERUN_CONTRACTS = 5000;

/** What a start would be refused for, or the checked input. */
export function checkBillingRunStart(s: { requestId: string; period: string; today: IsoDate; contractIds?: string[] }): {
  period: YearMonth;
  contractIds?: string[];
} {
  checkRequestId(s.requestId, (f, r) => new BillingRunRefused(f, r));
  const p = parseWith(yearMonth, s.period);
  if (!p.ok) throw new BillingRunRefused('period', p.problems.join('; '));
  const notOver = billingRunPeriodProblem(p.value, s.today);
  if (notOver) throw new BillingRunRefused('period', notOver);
  if (s.contractIds === undefined) return { period: p.value };
  if (s.contractIds.length === 0) throw new BillingRunRefused('contractIds', 'a re-run names at least one contract');
  if (s.contractIds.length > MAX_RERUN_CONTRACTS)
    throw new BillingRunRefused('contractIds', `at most ${MAX_RERUN_CONTRACTS} contracts (a full run covers the rest)`);
  for (const id of s.contractIds)
    if (!parseWith(contractIdSchema, id).ok) throw new BillingRunRefused('contractIds', `not a contract id: ${JSON.stringify(id).slice(0, 80)}`);
  return { period: p.value, contractIds: [...new Set(s.contractIds)].sort() };
}

export const billingRunWorkflowId = (period: YearMonth, requestId: string, rerun: boolean) => `billing-run-${period}-${rerun ? 'rerun' : 'now'}-${requestId}`;

/** Start a billing run (checked, audited); the same request id attaches to the run it started before. */
export async function startBillingRun(
  deps: { client: Client; audit: AuditAccess },
  s: StartBillingRun,
): Promise<{ workflowId: string; started: boolean; period: YearMonth }> {
  checkRequestId(s.requestId, (f, r) => new BillingRunRefused(f, r));
  // Audited from here, a refusal too (a month not yet over is the staff's slip worth a trace).
  return audited(deps.audit, {
    actor: s.actor,
    contractId: null,
    command: s.contractIds ? 'billingRunRerun' : 'billingRun',
    requestId: s.requestId,
    details: { period: s.period.slice(0, 20), ...(s.contractIds ? { contracts: s.contractIds.length } : {}) },
    summary: (r) => `${r.started ? 'started' : 'attached to'} ${r.workflowId}`,
    run: async () => {
      const checked = checkBillingRunStart(s);
      const workflowId = billingRunWorkflowId(checked.period, s.requestId, checked.contractIds !== undefined);
      let started = true;
      try {
        await deps.client.workflow.start<typeof billingRun>('billingRun', {
          taskQueue: s.taskQueue,
          workflowId,
          args: [{ period: checked.period, concurrency: s.concurrency, ...(checked.contractIds ? { contractIds: checked.contractIds } : {}) }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'USE_EXISTING',
          staticSummary: `Billing run ${checked.period}${checked.contractIds ? ` (re-run of ${checked.contractIds.length} contract(s))` : ''}, started by ${s.actor.id} (${s.via})`,
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        started = false;
      }
      return { workflowId, started, period: checked.period };
    },
  });
}

export interface BillingRunSummary {
  workflowId: string;
  runId: string;
  status: string;
  startTime: Date;
  closeTime: Date | null;
  /** The progress: live while running, the result once completed, the failure's details once failed. */
  progress: BillingRunProgress | null;
  /** Why a run failed, or why its progress could not be read. */
  note?: string;
}

/** A closed run's outcome: its result, or the progress a failed run carries in its failure (BillingRunIncomplete). */
async function outcomeOf(handle: WorkflowHandle<typeof billingRun>, status: string): Promise<Pick<BillingRunSummary, 'progress' | 'note'>> {
  try {
    if (status === 'RUNNING') return { progress: await handle.query(billingRunProgressQuery) };
    if (status === 'COMPLETED') return { progress: await handle.result() };
    if (status !== 'FAILED') return { progress: null, note: status.toLowerCase() };
    await handle.result();
    return { progress: null };
  } catch (err) {
    const cause = err instanceof WorkflowFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure) return { progress: (cause.details?.[0] as BillingRunProgress | undefined) ?? null, note: cause.message };
    return { progress: null, note: `progress not available: ${(err as Error).message}` };
  }
}

/** One run by workflow id (its latest run after continue-as-new). */
export async function billingRunSummary(client: Client, workflowId: string): Promise<BillingRunSummary> {
  const handle = client.workflow.getHandle<typeof billingRun>(workflowId);
  const d = await handle.describe();
  return {
    workflowId,
    runId: d.runId,
    status: d.status.name,
    startTime: d.startTime,
    closeTime: d.closeTime ?? null,
    ...(await outcomeOf(handle, d.status.name)),
  };
}

/**
 * The newest billing runs, newest first (at most `limit`). A run that continued as new is listed once, as
 * its latest run.
 */
export async function recentBillingRuns(client: Client, limit = 20): Promise<BillingRunSummary[]> {
  const seen = new Map<string, { workflowId: string; runId: string; status: string; startTime: Date; closeTime: Date | null }>();
  for await (const wf of client.workflow.list({ query: 'WorkflowType = "billingRun" AND ExecutionStatus != "ContinuedAsNew"', pageSize: limit })) {
    if (!seen.has(wf.workflowId))
      seen.set(wf.workflowId, { workflowId: wf.workflowId, runId: wf.runId, status: wf.status.name, startTime: wf.startTime, closeTime: wf.closeTime ?? null });
    if (seen.size >= limit) break;
  }
  const runs = [...seen.values()].sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
  return Promise.all(runs.map(async (r) => ({ ...r, ...(await outcomeOf(client.workflow.getHandle<typeof billingRun>(r.workflowId, r.runId), r.status)) })));
}

/** The newest billing run, with its progress or outcome; none yet: null. */
export async function latestRun(client: Client): Promise<BillingRunSummary | null> {
  return (await recentBillingRuns(client, 1))[0] ?? null;
}
