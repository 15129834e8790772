/**
 * The console's billing runs: the recent runs with their counts, one run's progress and
 * failures, a start for a month that is over, and a re-run of the contracts a run could not bill. A
 * supervisor starts; everyone signed in reads. Starts go through `startBillingRun` (checked, audited).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BillingRunRefused, billingRunSummary, recentBillingRuns, startBillingRun } from '../backoffice/billing-runs';
import type { AuditAccess } from '../backoffice/ledger-client';
import type { Role } from '../domain/actor';
import { jstDateOf } from '../domain/calendar';
import { periodClosedOn } from '../domain/deadlines';
import type { Settings } from '../settings';
import type { Html, T } from './html';
import * as views from './views';

export interface BillingRoutesDeps {
  client: Client;
  audit: AuditAccess;
  settings: Settings;
  readers: readonly Role[];
  t(req: FastifyRequest): T;
  ctx(req: FastifyRequest, reply: FastifyReply): views.Ctx;
  send(
    req: FastifyRequest,
    reply: FastifyReply,
    content: { title: string; body: Html; refreshSeconds?: number },
    flash?: { kind: 'ok' | 'err'; text: string },
  ): FastifyReply;
  flashAndGo(req: FastifyRequest, reply: FastifyReply, kind: 'ok' | 'err', text: string, to: string): FastifyReply;
  body(req: FastifyRequest): Record<string, string | undefined>;
}

/** Billing run workflow ids: the schedule's and the back office's (letters, digits, - _ . : @). */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$/;
const SUPERVISORS = { config: { roles: ['supervisor'] as const } };

export function billingRunRoutes(app: FastifyInstance, d: BillingRoutesDeps): void {
  const readers = { config: { roles: d.readers } };
  const runPath = (workflowId: string) => `/billing-runs/${encodeURIComponent(workflowId)}`;
  const requestIdOf = (req: FastifyRequest) => {
    const r = (d.body(req).requestId ?? '').trim();
    return /^[A-Za-z0-9_.:-]{8,128}$/.test(r) ? r : `console-${randomUUID()}`;
  };

  app.get('/billing-runs', readers, async (req, reply) => {
    const c = d.ctx(req, reply);
    const runs = await recentBillingRuns(d.client, 20).catch((err: Error) => ({ error: err.message }));
    return d.send(req, reply, views.billingRuns(c, { runs, defaultPeriod: periodClosedOn(c.today), requestId: `console-${randomUUID()}` }));
  });

  app.post('/billing-runs', SUPERVISORS, async (req, reply) => {
    const t = d.t(req);
    const person = req.person!;
    const b = d.body(req);
    try {
      const r = await startBillingRun(
        { client: d.client, audit: d.audit },
        {
          actor: { id: person.id, role: person.role, via: 'console' },
          requestId: requestIdOf(req),
          period: (b.period ?? '').trim(),
          today: jstDateOf(Date.now()),
          taskQueue: d.settings.TASK_QUEUE,
          concurrency: d.settings.BILLING_CONCURRENCY,
          via: 'console',
        },
      );
      return d.flashAndGo(
        req,
        reply,
        'ok',
        r.started
          ? t(`${r.period} の請求実行を開始しました。`, `Billing run for ${r.period} started.`)
          : t('この依頼の請求実行は開始済みです。', 'This request had started the run already.'),
        runPath(r.workflowId),
      );
    } catch (err) {
      if (err instanceof BillingRunRefused)
        return d.flashAndGo(req, reply, 'err', `${t('開始できません (何も実行していません)', 'Not started (nothing ran)')} — ${err.message}`, '/billing-runs');
      throw err;
    }
  });

  /** The run's summary, or its 404 page sent (an unknown run is never a 500) and undefined. */
  async function summaryOr404(req: FastifyRequest, reply: FastifyReply, workflowId: string) {
    try {
      return await billingRunSummary(d.client, workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const t = d.t(req);
      d.send(req, reply.code(404), views.message(t, '404', t(`請求実行 ${workflowId} はありません。`, `No billing run ${workflowId}.`)));
      return undefined;
    }
  }

  app.get('/billing-runs/:workflowId', readers, async (req, reply) => {
    const t = d.t(req);
    const workflowId = (req.params as { workflowId: string }).workflowId;
    if (!RUN_ID.test(workflowId))
      return d.send(req, reply.code(400), views.message(t, '400', t('請求実行のIDの形式が正しくありません。', 'Not a billing run id.')));
    const run = await summaryOr404(req, reply, workflowId);
    if (!run) return reply;
    return d.send(req, reply, views.billingRun(d.ctx(req, reply), { run, requestId: `console-${randomUUID()}` }));
  });

  app.post('/billing-runs/:workflowId/rerun', SUPERVISORS, async (req, reply) => {
    const t = d.t(req);
    const workflowId = (req.params as { workflowId: string }).workflowId;
    if (!RUN_ID.test(workflowId))
      return d.send(req, reply.code(400), views.message(t, '400', t('請求実行のIDの形式が正しくありません。', 'Not a billing run id.')));
    const earlier = await summaryOr404(req, reply, workflowId);
    if (!earlier) return reply;
    const failed = earlier.progress?.failed ?? [];
    if (earlier.status === 'RUNNING' || failed.length === 0)
      return d.flashAndGo(
        req,
        reply,
        'err',
        t('再実行する契約がありません (実行中か、失敗がありません)。', 'Nothing to re-run: the run is still going, or nothing failed.'),
        runPath(workflowId),
      );
    const person = req.person!;
    try {
      const r = await startBillingRun(
        { client: d.client, audit: d.audit },
        {
          actor: { id: person.id, role: person.role, via: 'console' },
          requestId: requestIdOf(req),
          period: earlier.progress!.period,
          today: jstDateOf(Date.now()),
          taskQueue: d.settings.TASK_QUEUE,
          concurrency: d.settings.BILLING_CONCURRENCY,
          contractIds: failed.map((f) => f.contractId),
          via: 'console',
        },
      );
      return d.flashAndGo(
        req,
        reply,
        'ok',
        t(`失敗した ${failed.length} 件を再実行しました。`, `Re-running the ${failed.length} failed contract(s).`),
        runPath(r.workflowId),
      );
    } catch (err) {
      if (err instanceof BillingRunRefused)
        return d.flashAndGo(req, reply, 'err', `${t('再実行できません', 'Not re-run')} — ${err.message}`, runPath(workflowId));
      throw err;
    }
  });
}
