/**
 * People (admins only): add a person with a one-time password (shown once, never stored or logged), set
 * a role, unlock, disable or enable, reset the password. An admin cannot take their own admin role away
 * or disable themselves, so the console always keeps one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type Actor, type Role } from '../domain/actor';
import type { OidcConfig } from './oidc';
import { PersonError, type People } from '../backoffice/people';
import { bodyOf, type Flash, type RouteKit } from './route-kit';
import * as views from './views';

export function peopleRoutes(app: FastifyInstance, k: RouteKit, d: { people: People; sso: OidcConfig | undefined }): void {
  const { people, sso } = d;

  const admin = { config: { roles: ['admin'] as const } };
  const peoplePage = async (req: FastifyRequest, reply: FastifyReply, shown?: views.OneTime, flash?: Flash) =>
    k.send(req, reply, views.people(k.ctx(req, reply), await people.list(), shown, sso?.issuer), flash);
  /** The admin acting, for the audit trail (src/backoffice/people.ts writes it). */
  const adminOf = (req: FastifyRequest): Actor => ({ id: req.person!.id, role: req.person!.role, via: 'console' });
  const problem = (err: PersonError, req: FastifyRequest) => (err.ja ? k.t(req)(err.ja, err.message) : err.message);
  app.get('/people', admin, async (req, reply) => peoplePage(req, reply));
  app.post('/people', admin, async (req, reply) => {
    const b = bodyOf(req);
    try {
      const { person, oneTimePassword } = await people.createPerson(b.login ?? '', b.displayName ?? '', (b.role ?? '') as Role, adminOf(req));
      // Rendered in this answer only: never stored in the session, never logged.
      return peoplePage(req, reply, { login: person.login, password: oneTimePassword });
    } catch (err) {
      if (err instanceof PersonError) return peoplePage(req, reply.code(400), undefined, { kind: 'err', text: problem(err, req) });
      throw err;
    }
  });
  app.post('/people/:pid/:op', admin, async (req, reply) => {
    const { pid, op } = req.params as { pid: string; op: string };
    const t = k.t(req);
    const target = /^u-[0-9a-f-]{36}$/.test(pid) ? await people.get(pid) : undefined;
    if (!target) return peoplePage(req, reply.code(404), undefined, { kind: 'err', text: t('その利用者はいません。', 'No such person.') });
    const self = target.id === req.person!.id;
    const by = adminOf(req);
    try {
      switch (op) {
        case 'role': {
          const role = bodyOf(req).role ?? '';
          if (!(ROLES as readonly string[]).includes(role)) throw new PersonError('role', `expected one of ${ROLES.join(', ')}`);
          if (self && role !== 'admin') throw new PersonError('role', t('自分自身の管理者権限は外せません。', 'you cannot take your own admin role away'));
          await people.setRole(target.id, role as Role, by);
          return peoplePage(req, reply, undefined, { kind: 'ok', text: `${target.login}: ${role}` });
        }
        case 'unlock':
          await people.unlock(target.id, by);
          return peoplePage(req, reply, undefined, { kind: 'ok', text: t(`${target.login} のロックを解除しました。`, `${target.login} unlocked.`) });
        case 'disable':
        case 'enable':
          if (self) throw new PersonError('person', t('自分自身は無効にできません。', 'you cannot disable yourself'));
          await people.setDisabled(target.id, op === 'disable', by);
          return peoplePage(req, reply, undefined, { kind: 'ok', text: `${target.login}: ${op === 'disable' ? t('無効', 'disabled') : t('有効', 'enabled')}` });
        case 'reset':
          return peoplePage(req, reply, { login: target.login, password: await people.resetPassword(target.id, by) });
        default:
          return peoplePage(req, reply.code(404), undefined, { kind: 'err', text: t('その操作はありません。', 'No such operation.') });
      }
    } catch (err) {
      if (err instanceof PersonError) return peoplePage(req, reply.code(400), undefined, { kind: 'err', text: problem(err, req) });
      throw err;
    }
  });
}
