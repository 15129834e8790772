/**
 * Sign-in with login and password (five failures lock for 15 minutes), sign-out, and the password change
 * a one-time password requires. A new session id at sign-in and at a password change (no fixation).
 */
import type { FastifyInstance } from 'fastify';
import type { OidcConfig } from './oidc';
import { PersonError, type People } from '../backoffice/people';
import { bodyOf, type RouteKit } from './route-kit';
import * as views from './views';

export function sessionRoutes(app: FastifyInstance, k: RouteKit, d: { people: People; sso: OidcConfig | undefined }): void {
  const { people, sso } = d;

  app.get('/sign-in', { config: { public: true } }, async (req, reply) => {
    if (req.person) return reply.redirect('/', 303);
    return k.send(req, reply, views.signIn(k.t(req), reply.generateCsrf(), '', sso?.startUrl));
  });
  app.post('/sign-in', { config: { public: true } }, async (req, reply) => {
    const t = k.t(req);
    const b = bodyOf(req);
    const login = (b.login ?? '').trim();
    const password = b.password ?? '';
    if (!login || !password)
      return k.send(req, reply.code(400), views.signIn(t, reply.generateCsrf(), login, sso?.startUrl), {
        kind: 'err',
        text: t('ログインID (login) とパスワード (password) を入力してください。', 'login and password: both are required.'),
      });
    const r = await people.signIn(login, password);
    if (!r.ok) {
      const text =
        r.reason === 'locked'
          ? t(
              `失敗が続いたためアカウントはロックされています (${r.lockedUntil ? new Date(r.lockedUntil).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' }) : ''} まで)。管理者に解除を依頼できます。`,
              `The account is locked after repeated failures (until ${r.lockedUntil ?? ''}). An admin can unlock it.`,
            )
          : t('ログインIDまたはパスワードが違います。', 'Wrong login or password.');
      return k.send(req, reply.code(401), views.signIn(t, reply.generateCsrf(), login, sso?.startUrl), { kind: 'err', text });
    }
    await req.session.regenerate(['lang']); // a new session id at sign-in (no fixation)
    req.session.personId = r.person.id;
    return reply.redirect(r.person.mustChangePassword ? '/password' : '/', 303);
  });
  app.post('/sign-out', { config: { public: true } }, async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/sign-in', 303);
  });
  app.get('/password', { config: { beforePasswordChange: true } }, async (req, reply) => k.send(req, reply, views.password(k.ctx(req, reply))));
  app.post('/password', { config: { beforePasswordChange: true } }, async (req, reply) => {
    const b = bodyOf(req);
    const t = k.t(req);
    if ((b.newPassword ?? '') !== (b.confirmPassword ?? ''))
      return k.send(req, reply.code(400), views.password(k.ctx(req, reply)), {
        kind: 'err',
        text: t('新しいパスワード (confirmPassword): 確認と一致しません。', 'confirmPassword: does not match the new password.'),
      });
    try {
      await people.changePassword(req.person!.id, b.currentPassword ?? '', b.newPassword ?? '');
    } catch (err) {
      if (err instanceof PersonError) return k.send(req, reply.code(400), views.password(k.ctx(req, reply)), { kind: 'err', text: err.message });
      throw err;
    }
    await req.session.regenerate(['lang', 'personId']);
    return k.flashAndGo(req, reply, 'ok', t('パスワードを変更しました。', 'Password changed.'), '/');
  });
}
