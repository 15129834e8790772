/**
 * Sign-in with login and password (throttled, audited: src/backoffice/sign-in.ts), sign-out, and the
 * password change a one-time password requires. A new session id at sign-in and at a password change (no
 * fixation). A browser that signed in keeps a random token in `neutrix.browser` (sent to /sign-in only).
 */
import type { FastifyInstance } from 'fastify';
import type { OidcConfig } from './oidc';
import { PersonError, type People } from '../backoffice/people';
import { KNOWN_BROWSER_DAYS } from '../backoffice/sign-in';
import { bodyOf, type RouteKit } from './route-kit';
import * as views from './views';

export const KNOWN_BROWSER_COOKIE = 'neutrix.browser';

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
    const r = await people.signIn(login, password, { address: req.ip, knownBrowser: req.cookies[KNOWN_BROWSER_COOKIE] });
    if (!r.ok) {
      // Unknown, wrong, throttled, disabled: one answer (sign-in.ts). Only the right one-time password, spent, is told apart.
      const text =
        r.reason === 'expired'
          ? t(
              'このワンタイムパスワードは使用済みか、発行から24時間を過ぎています。管理者に新しいものを発行してもらってください。',
              'This one-time password was used already or is more than 24 hours old. Ask an admin for a new one.',
            )
          : t(
              'ログインIDまたはパスワードが違います。失敗が続いた場合は、数分待ってからお試しください。',
              'Wrong login or password. After repeated failures, wait a few minutes before trying again.',
            );
      return k.send(req, reply.code(401), views.signIn(t, reply.generateCsrf(), login, sso?.startUrl), { kind: 'err', text });
    }
    // This browser is known from now on: a stranger's failures do not throttle its sign-ins (sign-in.ts).
    reply.setCookie(KNOWN_BROWSER_COOKIE, r.knownBrowser, {
      path: '/sign-in',
      httpOnly: true,
      sameSite: 'strict',
      secure: false, // plain HTTP on 127.0.0.1, as the session's cookie (app.ts)
      maxAge: KNOWN_BROWSER_DAYS * 86_400,
    });
    await req.session.regenerate(['lang']); // a new session id at sign-in (no fixation)
    req.session.personId = r.person.id;
    return reply.redirect(r.person.mustChangePassword ? '/password' : '/', 303);
  });
  app.post('/sign-out', { config: { public: true } }, async (req, reply) => {
    if (req.person) await people.signOut(req.person, { address: req.ip });
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
      if (err instanceof PersonError)
        return k.send(req, reply.code(400), views.password(k.ctx(req, reply)), { kind: 'err', text: err.ja ? t(err.ja, err.message) : err.message });
      throw err;
    }
    await req.session.regenerate(['lang', 'personId']);
    return k.flashAndGo(req, reply, 'ok', t('パスワードを変更しました。', 'Password changed.'), '/');
  });
}
