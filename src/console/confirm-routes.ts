/**
 * The irreversible steps' confirmation pages: a decline of the renewal (第11条), a termination (第29条1項 for
 * cause, 第29条3項 for convenience) and a rejection (第10条) show what the contract would fix — the last day,
 * the ETF, the compensation, what is owed at the end (previewEnding, the contract's own query) — and are sent
 * only from that page, with the request id the contract page's form carried.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { previewEndingQuery } from '../backoffice/contract-workflows';
import type { EndingCommand } from '../domain/contract';
import { V, type Lang } from '../domain/messages';
import { parseWith, problemLine, schemasIn } from '../domain/validation';
import type { ContractCommands } from './contract-commands';
import { bodyOf, CONTRACT_ACTORS, contractIdOf, queryRequestId, type RouteKit } from './route-kit';
import * as views from './views';

const STEPS = ['decline-renewal', 'terminate', 'reject'] as const;
type Step = (typeof STEPS)[number];

export function confirmRoutes(app: FastifyInstance, k: RouteKit, d: { client: Client; commands: ContractCommands }): void {
  const { act } = d.commands;
  const actionRoute = { config: { roles: CONTRACT_ACTORS } };
  const back = (req: FastifyRequest) => `/contracts/${encodeURIComponent(contractIdOf(req) ?? '')}`;
  const invalid = (req: FastifyRequest, reply: FastifyReply, problems: string[]) =>
    k.flashAndGo(
      req,
      reply,
      'err',
      `${k.t(req)('入力が正しくありません (何も送信していません)', 'Invalid input (nothing was sent)')} — ${problems.join('; ')}`,
      back(req),
    );

  /** The step's command and its own fields from a form (the contract page's GET or the confirmation's POST). */
  function stepOf(
    step: Step,
    f: Record<string, string | undefined>,
    lang: Lang,
  ): { command: EndingCommand; input: Record<string, string> } | { problems: string[] } {
    if (step === 'reject') return { command: 'reject', input: {} };
    if (step === 'decline-renewal')
      return f.by === 'customer' || f.by === 'provider'
        ? { command: 'declineRenewal', input: { by: f.by } }
        : { problems: [problemLine('by', V.oneOf('by', ['customer', 'provider'], ' or '), lang)] };
    if (f.kind === 'cause') return { command: 'terminateForCause', input: {} };
    if (f.kind !== 'convenience') return { problems: [problemLine('kind', V.terminationKind(), lang)] };
    const endDate = parseWith(schemasIn(lang).isoDate, (f.endDate ?? '').trim(), 'endDate', lang);
    return endDate.ok ? { command: 'terminateForConvenience', input: { endDate: endDate.value } } : { problems: endDate.problems };
  }

  app.get('/contracts/:id/confirm/:step', actionRoute, async (req, reply) => {
    const id = contractIdOf(req);
    const t = k.t(req);
    const step = (req.params as { step: string }).step as Step;
    if (!id || !STEPS.includes(step)) return k.send(req, reply.code(404), views.message(t, '404', t('ページがありません。', 'No such page.')));
    const f = (req.query ?? {}) as Record<string, string | undefined>;
    const s = stepOf(step, f, k.lang(req));
    if ('problems' in s) return invalid(req, reply, s.problems);
    const preview = await d.client.workflow.getHandle(id).query(previewEndingQuery, s.command, s.input, Date.now());
    const title: Record<Step, [string, string]> = {
      'decline-renewal': ['更新拒絶の確認', 'Confirm the renewal decline'],
      terminate: ['契約終了の確認 (二者承認)', 'Confirm the termination (four eyes)'],
      reject: ['申込の不承諾の確認', 'Confirm the rejection'],
    };
    const reason: Record<Step, [string, string, boolean] | undefined> = {
      'decline-renewal': undefined,
      terminate: ['reason', t('理由 (必須, 承認する監督者が読みます)', 'Reason (required; the approving supervisor reads it)'), true],
      reject: ['internalReason', t('社内用の理由 (顧客には通知しません, 第10条)', 'Internal reason (never sent to the customer, Art. 10)'), false],
    };
    const button: Record<Step, string> = {
      'decline-renewal': t('この内容で更新を拒絶', 'Decline the renewal'),
      terminate: t('この内容で承認を依頼', 'Ask a second supervisor to approve'),
      reject: t('この内容で不承諾', 'Reject the application'),
    };
    return k.send(
      req,
      reply,
      views.confirmation(k.ctx(req, reply), {
        contractId: id,
        action: step,
        title: title[step],
        preview,
        requestId: queryRequestId(req, step),
        fields: step === 'terminate' ? { kind: f.kind ?? '', endDate: s.input.endDate ?? '' } : s.input,
        reason: reason[step],
        button: button[step],
      }),
    );
  });

  /** Sent only from the confirmation page; a POST without it is shown the confirmation first. */
  const confirmedOr = (req: FastifyRequest, reply: FastifyReply, step: Step) => {
    const b = bodyOf(req);
    if (b.confirmed === 'yes') return null;
    const q = new URLSearchParams(Object.entries({ kind: b.kind, endDate: b.endDate, by: b.by }).filter((e): e is [string, string] => e[1] !== undefined));
    return reply.redirect(`${back(req)}/confirm/${step}?${q.toString()}`, 303);
  };

  app.post('/contracts/:id/decline-renewal', actionRoute, async (req, reply) => {
    const unconfirmed = confirmedOr(req, reply, 'decline-renewal');
    if (unconfirmed) return unconfirmed;
    const s = stepOf('decline-renewal', bodyOf(req), k.lang(req));
    return 'problems' in s ? invalid(req, reply, s.problems) : act(req, reply, 'declineRenewal', s.input);
  });
  app.post('/contracts/:id/reject', actionRoute, async (req, reply) => {
    const unconfirmed = confirmedOr(req, reply, 'reject');
    if (unconfirmed) return unconfirmed;
    return act(req, reply, 'reject', { internalReason: (bodyOf(req).internalReason ?? '').trim() || undefined });
  });
  app.post('/contracts/:id/terminate', actionRoute, async (req, reply) => {
    const unconfirmed = confirmedOr(req, reply, 'terminate');
    if (unconfirmed) return unconfirmed;
    const b = bodyOf(req);
    const s = stepOf('terminate', b, k.lang(req));
    if ('problems' in s) return invalid(req, reply, s.problems);
    const reason = (b.reason ?? '').trim();
    const input = s.command === 'terminateForCause' ? { internalReason: reason || undefined } : s.input;
    // Always four eyes (routed by the back office): asked for with the reason, approved by a second supervisor.
    return act(req, reply, s.command, input, { reason });
  });
}
