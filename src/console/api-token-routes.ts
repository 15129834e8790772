/**
 * People › API tokens: every signed-in person makes and revokes their own personal API tokens (the CLI's
 * NEUTRIX_API_TOKEN); an admin sees everyone's and may revoke any. A token is shown in the answer that made
 * it and never again; making and revoking are audited (src/backoffice/api-tokens.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ApiTokens, TokenRefusal } from '../backoffice/api-tokens';
import type { People } from '../backoffice/people';
import type { Actor } from '../domain/actor';
import { apiTokens, type TokenRow } from './pages/api-tokens';
import { bodyOf, newRequestId, type Flash, type RouteKit } from './route-kit';

export function apiTokenRoutes(app: FastifyInstance, k: RouteKit, d: { tokens: ApiTokens; people: People }): void {
  const { tokens, people } = d;
  const actorOf = (req: FastifyRequest): Actor => ({ id: req.person!.id, role: req.person!.role, via: 'console' });
  const withLogins = async (list: Awaited<ReturnType<ApiTokens['list']>>): Promise<TokenRow[]> => {
    const logins = new Map((await people.list()).map((p) => [p.id, p.login]));
    return list.map((r) => ({ ...r, login: logins.get(r.personId) ?? r.personId }));
  };
  const show = async (req: FastifyRequest, reply: FastifyReply, shown?: { token: string; expiresAt: string }, flash?: Flash) => {
    const own = await withLogins(await tokens.list(req.person!.id));
    const everyone = req.person!.role === 'admin' ? await withLogins(await tokens.list()) : null;
    return k.send(req, reply, apiTokens(k.ctx(req, reply), own, everyone, shown), flash);
  };

  app.get('/people/tokens', async (req, reply) => show(req, reply));
  app.post('/people/tokens', async (req, reply) => {
    const b = bodyOf(req);
    const days = (b.days ?? '').trim() === '' ? undefined : /^\d{1,4}$/.test((b.days ?? '').trim()) ? Number(b.days) : Number.NaN;
    try {
      const { token, record } = await tokens.issue(actorOf(req), req.person!.id, { label: b.label ?? '', days, requestId: newRequestId('api-token') });
      // Rendered in this answer only: never stored in the session, never logged.
      return show(req, reply, { token, expiresAt: record.expiresAt });
    } catch (err) {
      if (err instanceof TokenRefusal) return show(req, reply.code(400), undefined, { kind: 'err', text: err.message });
      throw err;
    }
  });
  app.post('/people/tokens/:tid/revoke', async (req, reply) => {
    const { tid } = req.params as { tid: string };
    const t = k.t(req);
    const target = /^[0-9a-f]{16}$/.test(tid) ? await tokens.get(tid) : undefined;
    // Only one's own, or an admin: anyone else's is answered as if it did not exist.
    if (!target || (target.personId !== req.person!.id && req.person!.role !== 'admin'))
      return show(req, reply.code(404), undefined, { kind: 'err', text: t('そのトークンはありません。', 'No such token.') });
    try {
      await tokens.revoke(actorOf(req), tid, newRequestId('api-token-revoke'));
    } catch (err) {
      if (err instanceof TokenRefusal) return show(req, reply.code(400), undefined, { kind: 'err', text: err.message });
      throw err;
    }
    return show(req, reply, undefined, { kind: 'ok', text: t(`トークン ${tid} を失効させました。`, `Token ${tid} revoked.`) });
  });
}
