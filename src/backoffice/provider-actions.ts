/**
 * Provider-wide actions from the back office (Art. 4 price list, Art. 5 discontinuation, Art. 17
 * maintenance): checked at the edge (the command's own schema, D-17/D-18 timing), audited, and run as one
 * providerAction workflow. A dry run any supervisor may start; a real discontinuation needs a second
 * supervisor: asked for with a reason (console or CLI), approved by another supervisor in the console, where
 * people are signed in — the approval starts the run.
 */
import type { OnApprovalAsked } from './approval-mail';
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '../domain/actor';
import {
  describeProviderAction,
  FOUR_EYES_PROVIDER_ACTIONS,
  parseProviderAction,
  providerActionKey,
  providerActionProblem,
  type ProviderAction,
} from '../domain/provider-actions';
import type { IsoDate } from '../domain/types';
import type { ProviderActionRequest } from '../activities/ledger/provider-actions';
import { providerActionProgressQuery, type providerAction, type ProviderActionProgress } from '../workflows/provider-action';
import { audited, checkRequestId, EdgeRefusal } from './command-path';
import type { AuditAccess } from './ledger-client';

/** Refused before anything ran: the field and the reason (exit status 3 in the CLI, like a contract's refusal). */
export class ProviderActionRefused extends EdgeRefusal {}

/** Where the back office keeps four-eyes requests (the ledger; the CLI reaches it through the ledger service). */
export interface ProviderActionRequests {
  request(r: { id: string; action: ProviderAction; reason: string; requestedBy: string }): Promise<ProviderActionRequest>;
  approve(id: string, approvedBy: string): Promise<ProviderActionRequest>;
}

const isSupervisor = (a: Actor) => a.role === 'supervisor';

/** One real run per action (a second start attaches, or changes nothing once the first is done); a dry run per request. */
export function providerActionWorkflowId(action: ProviderAction, dryRun: boolean, requestId: string): string {
  const key = createHash('sha256').update(providerActionKey(action)).digest('hex').slice(0, 12);
  return dryRun ? `provider-action-dry-${action.command}-${key}-${requestId}` : `provider-action-${action.command}-${key}`;
}

/** The checked action, or the refusal naming the field. */
export function checkProviderAction(raw: unknown, today: IsoDate): ProviderAction {
  const parsed = parseProviderAction(raw);
  if (!parsed.ok) {
    const [first] = parsed.problems;
    const [field] = first!.split(':', 1);
    throw new ProviderActionRefused(field!, parsed.problems.map((p) => p.slice(p.indexOf(':') + 1).trim()).join('; '));
  }
  const problem = providerActionProblem(parsed.value, today);
  if (problem) throw new ProviderActionRefused(problem.field, `${problem.message} (${problem.rule})`, problem);
  return parsed.value;
}

export interface StartProviderAction {
  actor: Actor;
  requestId: string;
  action: unknown;
  dryRun: boolean;
  today: IsoDate;
  taskQueue: string;
  via: 'cli' | 'console' | 'api';
}

async function start(
  client: Client,
  s: { action: ProviderAction; dryRun: boolean; requestId: string; taskQueue: string; requestedBy: string; approvedBy?: string },
) {
  const workflowId = providerActionWorkflowId(s.action, s.dryRun, s.requestId);
  let started = true;
  try {
    await client.workflow.start<typeof providerAction>('providerAction', {
      taskQueue: s.taskQueue,
      workflowId,
      args: [{ action: s.action, dryRun: s.dryRun, requestedBy: s.requestedBy, ...(s.approvedBy ? { approvedBy: s.approvedBy } : {}) }],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `${s.dryRun ? 'Dry run: ' : ''}${describeProviderAction(s.action)}, asked by ${s.requestedBy}${s.approvedBy ? `, approved by ${s.approvedBy}` : ''}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    started = false;
  }
  return { workflowId, started };
}

/** A dry run of any action, or a real run of one that needs no second supervisor (price list, maintenance). Audited. */
export function startProviderAction(deps: { client: Client; audit: AuditAccess }, s: StartProviderAction): Promise<{ workflowId: string; started: boolean }> {
  checkRequestId(s.requestId, (f, r) => new ProviderActionRefused(f, r));
  return audited(deps.audit, {
    actor: s.actor,
    contractId: null,
    command: s.dryRun ? 'providerActionDryRun' : 'providerAction',
    requestId: s.requestId,
    details: { action: s.action as Record<string, unknown> },
    summary: (r) => `${r.started ? 'started' : 'attached to'} ${r.workflowId}`,
    run: async () => {
      if (!isSupervisor(s.actor))
        throw new ProviderActionRefused('actor', `${s.actor.id} (${s.actor.role}) may not start a provider-wide action; it takes a supervisor`);
      const action = checkProviderAction(s.action, s.today);
      if (!s.dryRun && FOUR_EYES_PROVIDER_ACTIONS.includes(action.command))
        throw new ProviderActionRefused(
          'approval',
          `${action.command} needs a second supervisor: ask for it with a reason, and another supervisor approves it in the console (four eyes)`,
        );
      return start(deps.client, { action, dryRun: s.dryRun, requestId: s.requestId, taskQueue: s.taskQueue, requestedBy: s.actor.id });
    },
  });
}

/** Ask for a four-eyes action (Art. 5): checked now as it would be at approval, stored with the reason. Audited. */
export function requestProviderAction(
  deps: { audit: AuditAccess; requests: ProviderActionRequests; onApprovalAsked?: OnApprovalAsked | undefined },
  s: { actor: Actor; requestId: string; action: unknown; reason: string; today: IsoDate },
): Promise<ProviderActionRequest> {
  checkRequestId(s.requestId, (f, r) => new ProviderActionRefused(f, r));
  return audited(deps.audit, {
    actor: s.actor,
    contractId: null,
    command: 'requestProviderAction',
    requestId: s.requestId,
    details: { action: s.action as Record<string, unknown>, reason: s.reason.slice(0, 500) },
    summary: (r) => `request ${r.id} awaits a second supervisor`,
    run: async () => {
      if (!isSupervisor(s.actor))
        throw new ProviderActionRefused('actor', `${s.actor.id} (${s.actor.role}) may not ask for a provider-wide action; it takes a supervisor`);
      const reason = s.reason.trim();
      if (reason.length < 5 || reason.length > 500) throw new ProviderActionRefused('reason', 'say why in 5–500 characters');
      const action = checkProviderAction(s.action, s.today);
      if (!FOUR_EYES_PROVIDER_ACTIONS.includes(action.command))
        throw new ProviderActionRefused('command', `${action.command} needs no second supervisor; start it directly`);
      const request = await deps.requests.request({ id: s.requestId, action, reason, requestedBy: s.actor.id });
      // The other supervisors are told a request waits for them; the mail never stands in the request's way.
      void deps
        .onApprovalAsked?.({ contractId: null, requestId: request.id, action: action.command, input: action.input, actor: s.actor, expiresOn: undefined })
        .catch((err: Error) => console.error(`four-eyes mail for ${request.id}: ${err.message}`));
      return request;
    },
  });
}

/** The second supervisor's approval (console only): another person than the requester; it starts the run. Audited. */
export function approveProviderAction(
  deps: { client: Client; audit: AuditAccess; requests: ProviderActionRequests },
  s: { actor: Actor; requestId: string; approvalOf: string; today: IsoDate; taskQueue: string },
): Promise<{ workflowId: string; started: boolean }> {
  checkRequestId(s.requestId, (f, r) => new ProviderActionRefused(f, r));
  return audited(deps.audit, {
    actor: s.actor,
    contractId: null,
    command: 'approveProviderAction',
    requestId: s.requestId,
    details: { approvalOf: s.approvalOf },
    summary: (r) => `${r.started ? 'started' : 'attached to'} ${r.workflowId}`,
    run: async () => {
      if (!isSupervisor(s.actor))
        throw new ProviderActionRefused('actor', `${s.actor.id} (${s.actor.role}) may not approve a provider-wide action; it takes a supervisor`);
      const approved = await deps.requests.approve(s.approvalOf, s.actor.id);
      // Checked again on the day of the approval: D-18's 30 days count from the posting, not from the request.
      const action = checkProviderAction(approved.action, s.today);
      return start(deps.client, {
        action,
        dryRun: false,
        requestId: approved.id,
        taskQueue: s.taskQueue,
        requestedBy: approved.requestedBy,
        approvedBy: s.actor.id,
      });
    },
  });
}

export interface ProviderRunSummary {
  workflowId: string;
  status: string;
  /** Live while running, the result once completed, a failed run's from its failure. */
  progress: ProviderActionProgress | null;
  note: string | null;
}

/** Where a provider-wide run stands. */
export async function providerRunSummary(client: Client, workflowId: string): Promise<ProviderRunSummary> {
  const handle = client.workflow.getHandle(workflowId);
  const d = await handle.describe();
  if (d.status.name === 'RUNNING') return { workflowId, status: d.status.name, progress: await handle.query(providerActionProgressQuery), note: null };
  try {
    return { workflowId, status: d.status.name, progress: (await handle.result()) as ProviderActionProgress, note: null };
  } catch (err) {
    const cause = err instanceof WorkflowFailedError ? err.cause : undefined;
    const details = cause instanceof ApplicationFailure ? (cause.details?.[0] as ProviderActionProgress | undefined) : undefined;
    return { workflowId, status: d.status.name, progress: details && 'changed' in details ? details : null, note: cause?.message ?? (err as Error).message };
  }
}
