/**
 * The API's runs over many contracts — the monthly billing run (D-11), provider-wide actions (第4条, 第5条,
 * 第17条) — and the month's invoices for accounting, plus who the caller is.
 */
import type { OnApprovalAsked } from '../../backoffice/approval-mail';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { billingRunSummary, latestRun, startBillingRun } from '../../backoffice/billing-runs';
import { EdgeRefusal } from '../../backoffice/command-path';
import type { LedgerAccess } from '../../backoffice/ledger-client';
import { monthInvoicesCsv } from '../../backoffice/ledger-records';
import { providerRunSummary, requestProviderAction, startProviderAction } from '../../backoffice/provider-actions';
import { jstDateOf } from '../../domain/calendar';
import { periodClosedOn } from '../../domain/deadlines';
import { yearMonth } from '../../domain/validation';
import { BILLING_SCHEDULE_ID } from '../../infra/schedule';
import { READERS } from '../route-kit';
import { actorOf } from './kit';
import type { ApiRoute } from './route-table';

const SUPERVISORS = ['supervisor'] as const;
const requestIdField = z.string({ error: 'expected the request id (the same id retries safely)' });
const runParams = z.object({ workflowId: z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/, { message: 'expected a workflow id' }) });

export function runApi(d: {
  client: Client;
  ledger: LedgerAccess;
  taskQueue: string;
  billingConcurrency: number;
  onApprovalAsked?: OnApprovalAsked | undefined;
}): ApiRoute[] {
  const { client, ledger } = d;
  const today = () => jstDateOf(Date.now());
  return [
    {
      method: 'GET',
      path: '/me',
      operationId: 'me',
      summary: 'Who the token acts as: the person and the role every call of it carries.',
      tag: 'people',
      roles: READERS,
      handler: async (req) => {
        const { person, token } = req.apiCaller!;
        return {
          person: { id: person.id, login: person.login, displayName: person.displayName, role: person.role },
          token: { id: token.id, expiresAt: token.expiresAt },
        };
      },
    },
    {
      method: 'POST',
      path: '/billing-runs',
      operationId: 'startBillingRun',
      summary: 'Start the billing run of a closed month now (D-11), or re-run the contracts an earlier run could not bill.',
      tag: 'billing',
      roles: SUPERVISORS,
      body: z.object({
        requestId: requestIdField,
        period: yearMonth.optional().describe('default: the last closed month'),
        concurrency: z.number().int().min(1).max(1000).optional(),
        rerunFailed: z.string().optional().describe("an earlier run's workflow id: its month, its failed contracts"),
      }),
      async handler(req, { body }) {
        const b = body as { requestId: string; period?: string; concurrency?: number; rerunFailed?: string };
        let period = b.period ?? periodClosedOn(today());
        let contractIds: string[] | undefined;
        if (b.rerunFailed !== undefined) {
          const earlier = await billingRunSummary(client, b.rerunFailed);
          if (!earlier.progress)
            throw new EdgeRefusal('rerunFailed', `${b.rerunFailed} has no progress to re-run (${earlier.note ?? earlier.status.toLowerCase()})`);
          if (earlier.progress.failed.length === 0) throw new EdgeRefusal('rerunFailed', `${b.rerunFailed} failed no contract; nothing to re-run`);
          period = earlier.progress.period;
          contractIds = earlier.progress.failed.map((f) => f.contractId);
        }
        const started = await startBillingRun(
          { client, audit: ledger.audit },
          {
            actor: actorOf(req),
            requestId: b.requestId,
            period,
            today: today(),
            taskQueue: d.taskQueue,
            concurrency: b.concurrency ?? d.billingConcurrency,
            via: 'api',
            ...(contractIds ? { contractIds } : {}),
          },
        );
        return { ...started, rerunOf: contractIds?.length ?? null };
      },
    },
    {
      method: 'GET',
      path: '/billing-runs/latest',
      operationId: 'latestBillingRun',
      summary: 'The latest billing run and the monthly schedule (paused?, next action times).',
      tag: 'billing',
      roles: READERS,
      async handler() {
        const run = await latestRun(client);
        try {
          const s = await client.schedule.getHandle(BILLING_SCHEDULE_ID).describe();
          const schedule = {
            id: BILLING_SCHEDULE_ID,
            paused: s.state.paused,
            note: s.state.note ?? null,
            nextActionTimes: s.info.nextActionTimes,
            recent: s.info.recentActions.map((a) => ({ scheduledAt: a.scheduledAt, workflowId: a.action.workflow.workflowId })),
          };
          return { latestRun: run, schedule };
        } catch (err) {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
          return { latestRun: run, schedule: null };
        }
      },
    },
    {
      method: 'GET',
      path: '/billing-runs/:workflowId',
      operationId: 'billingRun',
      summary: "A billing run's status and progress (its failed contracts with the reason).",
      tag: 'billing',
      roles: READERS,
      params: runParams,
      handler: (_req, { params }) => billingRunSummary(client, params.workflowId!),
    },
    {
      method: 'POST',
      path: '/provider-actions/runs',
      operationId: 'startProviderAction',
      summary: 'Carry a price list (第4条) or a maintenance window (第17条) to every contract it reaches; dryRun: what each would do, changing nothing.',
      tag: 'provider',
      roles: SUPERVISORS,
      body: z.object({ requestId: requestIdField, action: z.unknown(), dryRun: z.boolean().default(false) }),
      handler: (req, { body }) => {
        const b = body as { requestId: string; action: unknown; dryRun: boolean };
        return startProviderAction(
          { client, audit: ledger.audit },
          { actor: actorOf(req), requestId: b.requestId, action: b.action, dryRun: b.dryRun, today: today(), taskQueue: d.taskQueue, via: 'api' },
        );
      },
    },
    {
      method: 'GET',
      path: '/provider-actions/runs/:workflowId',
      operationId: 'providerActionRun',
      summary: "A provider-wide run's progress and what each contract answered.",
      tag: 'provider',
      roles: READERS,
      params: runParams,
      handler: async (_req, { params }) => ({
        ...(await providerRunSummary(client, params.workflowId!)),
        outcomes: await ledger.providerActionOutcomes(params.workflowId!),
      }),
    },
    {
      method: 'POST',
      path: '/provider-actions/requests',
      operationId: 'requestProviderAction',
      summary: 'Ask for a service discontinuation (第5条); a second supervisor approves it in the console.',
      tag: 'provider',
      roles: SUPERVISORS,
      body: z.object({ requestId: requestIdField, action: z.unknown(), reason: z.string() }),
      handler: (req, { body }) => {
        const b = body as { requestId: string; action: unknown; reason: string };
        return requestProviderAction(
          {
            audit: ledger.audit,
            requests: { request: ledger.requestProviderAction, approve: () => Promise.reject(new Error('approved in the console')) },
            onApprovalAsked: d.onApprovalAsked,
          },
          { actor: actorOf(req), requestId: b.requestId, action: b.action, reason: b.reason, today: today() },
        );
      },
    },
    {
      method: 'GET',
      path: '/invoices',
      operationId: 'monthInvoices',
      summary: "The month's issued invoices with their lines and totals (accounting).",
      tag: 'invoices',
      roles: READERS,
      query: z.object({ period: yearMonth }),
      handler: (_req, { query }) => ledger.monthInvoices(query.period as string),
    },
    {
      method: 'GET',
      path: '/invoices.csv',
      operationId: 'monthInvoicesCsv',
      summary: "The month's invoices as CSV, one row per line (UTF-8 with BOM, for Excel; formulas neutralised).",
      tag: 'invoices',
      roles: READERS,
      query: z.object({ period: yearMonth }),
      produces: 'text/csv',
      handler: async (_req, { query }, reply) =>
        reply.type('text/csv; charset=utf-8').send(monthInvoicesCsv(await ledger.monthInvoices(query.period as string))),
    },
  ];
}
