/**
 * The console's provider-wide actions (Art. 5 discontinuation, D-18): a supervisor asks for the
 * discontinuation with a reason and can dry-run it (what each contract will owe, nothing changes); a second
 * supervisor approves it here, which starts the run. The requests, the runs' answers and the audit are the
 * ledger's; everything goes through src/backoffice/provider-actions.ts (checked, audited).
 */
import type { OnApprovalAsked } from '../backoffice/approval-mail';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ledger } from '../backoffice/ledger-records';
import type { AuditAccess } from '../backoffice/ledger-client';
import { LedgerRefusal, providerActionRequestsOf } from '../backoffice/ledger-client';
import { approveProviderAction, ProviderActionRefused, requestProviderAction, startProviderAction } from '../backoffice/provider-actions';
import { jstDateOf } from '../domain/calendar';
import { statusIn, yenIn } from '../domain/messages';
import { describeProviderAction } from '../domain/provider-actions';
import type { Settings } from '../settings';
import { csrfField, html, type Html, type T } from './html';
import { edgeRefusalText } from './contract-words';
import { providerStartForms } from './provider-start-routes';
import type * as views from './views';

export interface ProviderRoutesDeps {
  client: Client;
  ledger: Ledger;
  audit: AuditAccess;
  settings: Settings;
  onApprovalAsked?: OnApprovalAsked | undefined;
  t(req: FastifyRequest): T;
  ctx(req: FastifyRequest, reply: FastifyReply): views.Ctx;
  send(req: FastifyRequest, reply: FastifyReply, content: { title: string; body: Html }, flash?: { kind: 'ok' | 'err'; text: string }): FastifyReply;
  flashAndGo(req: FastifyRequest, reply: FastifyReply, kind: 'ok' | 'err', text: string, to: string): FastifyReply;
  body(req: FastifyRequest): Record<string, string | undefined>;
}

const SUPERVISORS = { config: { roles: ['supervisor'] as const } };
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$/;

export function providerActionRoutes(app: FastifyInstance, d: ProviderRoutesDeps): void {
  const requests = providerActionRequestsOf(d.ledger);
  const actorOf = (req: FastifyRequest) => ({ id: req.person!.id, role: req.person!.role, via: 'console' as const });
  const discontinuation = (b: Record<string, string | undefined>) => ({
    command: 'discontinueService',
    input: { postedOn: (b.postedOn ?? '').trim(), endDate: (b.endDate ?? '').trim(), emergency: b.emergency === 'on' },
  });
  const refused = (req: FastifyRequest, reply: FastifyReply, err: unknown, what: string) => {
    if (err instanceof ProviderActionRefused || err instanceof LedgerRefusal)
      return d.flashAndGo(req, reply, 'err', `${what} — ${edgeRefusalText(d.t(req), err)}`, '/provider-actions');
    throw err;
  };

  app.get('/provider-actions', SUPERVISORS, async (req, reply) => {
    const c = d.ctx(req, reply);
    const t = c.t;
    const list = await d.ledger.providerActions.requests(50);
    const body = html`<section><h2>${t('サービスの廃止を依頼 (第5条 D-18)', 'Ask for the service discontinuation (Art. 5, D-18)')}</h2>
<form method="post" action="/provider-actions/requests" id="request-discontinuation">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="console-${randomUUID()}">
<label>${t('掲載日', 'Posted on')} <input name="postedOn" type="date" required></label>
<label>${t('終了日 (掲載日+30日以降)', 'End day (posting + 30 days or later)')} <input name="endDate" type="date" required></label>
<label><input name="emergency" type="checkbox"> ${t('緊急 (第5条2項ただし書き)', 'Emergency (Art. 5-2 proviso)')}</label>
<label>${t('理由', 'Reason')} <input name="reason" required minlength="5" maxlength="500"></label>
<button type="submit" name="mode" value="request">${t('依頼する (別の管理者が承認)', 'Ask (another supervisor approves)')}</button>
<button type="submit" name="mode" value="dry-run">${t('試算のみ (何も変えません)', 'Dry run (changes nothing)')}</button></form></section>
${providerStartForms(c)}
<section id="requests"><h2>${t('依頼', 'Requests')}</h2>${
      list.length === 0
        ? html`<p>${t('まだありません', 'None yet')}</p>`
        : html`<table><tr><th>${t('依頼', 'Request')}</th><th>${t('内容', 'Action')}</th><th>${t('理由', 'Reason')}</th><th>${t('依頼者', 'Asked by')}</th><th>${t('承認', 'Approval')}</th></tr>${list.map(
            (r) =>
              html`<tr class="request" data-id="${r.id}"><td>${r.id}</td><td>${describeProviderAction(r.action)}</td><td>${r.reason}</td><td>${r.requestedBy}</td><td>${
                r.approvedBy
                  ? html`${t('承認済み', 'approved by')} ${r.approvedBy}`
                  : r.requestedBy === c.person.id
                    ? t('別の管理者の承認待ち', 'awaiting another supervisor')
                    : html`<form method="post" action="/provider-actions/requests/${encodeURIComponent(r.id)}/approval">${csrfField(c.csrf)}<input type="hidden" name="requestId" value="console-${randomUUID()}"><button type="submit">${t('承認して実行', 'Approve and run')}</button></form>`
              }</td></tr>`,
          )}</table>`
    }</section>`;
    return d.send(req, reply, { title: t('提供者の一斉措置', 'Provider-wide actions'), body });
  });

  app.post('/provider-actions/requests', SUPERVISORS, async (req, reply) => {
    const t = d.t(req);
    const b = d.body(req);
    const requestId = /^[A-Za-z0-9_.:-]{8,128}$/.test(b.requestId ?? '') ? b.requestId! : `console-${randomUUID()}`;
    const today = jstDateOf(Date.now());
    try {
      if (b.mode === 'dry-run') {
        const r = await startProviderAction(
          { client: d.client, audit: d.audit },
          { actor: actorOf(req), requestId, action: discontinuation(b), dryRun: true, today, taskQueue: d.settings.TASK_QUEUE, via: 'console' },
        );
        return d.flashAndGo(req, reply, 'ok', t('試算を開始しました。', 'Dry run started.'), `/provider-actions/runs/${encodeURIComponent(r.workflowId)}`);
      }
      const r = await requestProviderAction(
        { audit: d.audit, requests, onApprovalAsked: d.onApprovalAsked },
        { actor: actorOf(req), requestId, action: discontinuation(b), reason: b.reason ?? '', today },
      );
      return d.flashAndGo(
        req,
        reply,
        'ok',
        t(`依頼 ${r.id} を受け付けました。別の監督者が承認します。`, `Request ${r.id} recorded; another supervisor approves it.`),
        '/provider-actions',
      );
    } catch (err) {
      return refused(req, reply, err, t('受け付けられません (何も変えていません)', 'Not accepted (nothing changed)'));
    }
  });

  app.post('/provider-actions/requests/:id/approval', SUPERVISORS, async (req, reply) => {
    const t = d.t(req);
    const approvalOf = (req.params as { id: string }).id;
    try {
      const r = await approveProviderAction(
        { client: d.client, audit: d.audit, requests },
        { actor: actorOf(req), requestId: `console-${randomUUID()}`, approvalOf, today: jstDateOf(Date.now()), taskQueue: d.settings.TASK_QUEUE },
      );
      return d.flashAndGo(
        req,
        reply,
        'ok',
        t('承認しました。一斉措置を実行中です。', 'Approved: the run has started.'),
        `/provider-actions/runs/${encodeURIComponent(r.workflowId)}`,
      );
    } catch (err) {
      return refused(req, reply, err, t('承認できません', 'Not approved'));
    }
  });

  app.get('/provider-actions/runs/:workflowId', SUPERVISORS, async (req, reply) => {
    const c = d.ctx(req, reply);
    const t = c.t;
    const workflowId = (req.params as { workflowId: string }).workflowId;
    if (!RUN_ID.test(workflowId)) return reply.code(400).send('not a run id');
    const status = await d.client.workflow
      .getHandle(workflowId)
      .describe()
      .then((x) => x.status.name)
      .catch(() => 'NOT_FOUND');
    const rows = await d.ledger.providerActions.outcomes(workflowId);
    const yen = (v: number | undefined) => (v === undefined ? '' : yenIn(t.lang, v));
    const body = html`<section id="run"><p>${workflowId} — <span id="run-status">${status}</span>${status === 'RUNNING' ? t(' (再読み込みで更新)', ' (reload to update)') : ''}</p></section>
<section id="outcomes"><h2>${t('契約ごとの結果', 'Each contract')}</h2><table><tr><th>${t('契約', 'Contract')}</th><th>${t('結果', 'Outcome')}</th><th>${t('状態', 'Status')}</th><th>${t('最終日', 'Last day')}</th><th>${t('最終残高 (請求予定を含む)', 'Owes at the end (invoices to come)')}</th><th>${t('備考', 'Note')}</th></tr>${rows.map(
      (o) =>
        html`<tr class="outcome" data-contract="${o.contractId}"><td>${o.contractId}</td><td>${o.outcome}</td><td>${o.preview ? statusIn(t.lang, o.preview.status) : ''}</td><td>${o.preview?.lastDay ?? ''}</td><td class="owes">${yen(o.preview?.owes)}</td><td>${o.reason ?? ''}</td></tr>`,
    )}</table></section>`;
    return d.send(req, reply, { title: t('一斉措置の実行', 'Provider-wide run'), body });
  });
}
