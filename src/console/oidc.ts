/**
 * Single sign-on to the console by OpenID Connect, only when OIDC_ISSUER, OIDC_CLIENT_ID and
 * OIDC_CLIENT_SECRET are set. The console is the relying party (openid-client): the authorization code
 * flow with PKCE (S256), `state` and `nonce`, all three kept in the server-side session for one use and
 * checked by the library's callback validation, which also validates the ID token (issuer, audience,
 * expiry, nonce).
 *
 * Who signs in: the identity provider proves who someone is; the console decides what they may do. An
 * admin links a person to the provider's subject (`sub`) on the People page; a valid ID token signs in the
 * enabled person linked to its issuer and subject — nobody else: never a new person, never by e-mail or
 * name (an address can be reassigned at the provider; issuer and `sub` are OpenID Connect's one stable,
 * unique identifier). So only the `openid` scope is asked for: no e-mail, no profile.
 *
 * A person whose one-time password is still to be changed may sign in by single sign-on (no password is
 * used); the password path still forces the change. The password's lock-out does not apply to single
 * sign-on (it guards the password against guessing), and single sign-on does not reset it.
 *
 * The session cookie is SameSite=Strict, so the browser leaves it off the provider's redirect back (a
 * navigation from another site): the callback then answers a page that loads the same address again from
 * this origin, and that request carries the cookie.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import { OIDC_REQUIRED, type Settings } from '../settings';
import { html, type T } from './html';
import { PersonError, type People } from '../backoffice/people';

declare module 'fastify' {
  interface Session {
    /** A single sign-on under way: what its callback must show (used once, whatever the outcome). */
    oidc?: { state: string; nonce: string; codeVerifier: string; startedAt: number };
    /** Set at a single sign-on: the forced change of a one-time password is the password path's. */
    signedInBy?: 'oidc';
  }
}

export const OIDC_START_PATH = '/sign-in/oidc';
export const OIDC_CALLBACK_PATH = '/sign-in/oidc/callback';
/** How long a started single sign-on waits for its callback. */
const PENDING_MS = 10 * 60_000;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface OidcConfig {
  /** The issuer as people are linked to it (OIDC_ISSUER, normalised as a URL). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: URL;
  /** Where the sign-in page's button goes: the start on the redirect URI's own origin, so the callback finds the session. */
  startUrl: string;
}

/** Single sign-on's settings, or undefined when none is set. Some but not all: an error naming what is missing. */
export function oidcConfigOf(settings: Settings): OidcConfig | undefined {
  const missing = OIDC_REQUIRED.filter((k) => !settings[k]);
  if (missing.length === OIDC_REQUIRED.length) return undefined;
  if (missing.length > 0)
    throw new Error(`single sign-on: ${missing.join(', ')} not set (set ${OIDC_REQUIRED.join(', ')} together, or none of them for the password only)`);
  const issuer = new URL(settings.OIDC_ISSUER!);
  const redirectUri = new URL(settings.OIDC_REDIRECT_URI ?? `http://127.0.0.1:${settings.CONSOLE_PORT}${OIDC_CALLBACK_PATH}`);
  for (const [name, u] of [
    ['OIDC_ISSUER', issuer],
    ['OIDC_REDIRECT_URI', redirectUri],
  ] as const)
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname)))
      throw new Error(`${name}: expected an https:// URL (http:// only on localhost or 127.0.0.1)`);
  if (!redirectUri.pathname.endsWith(OIDC_CALLBACK_PATH) || redirectUri.search)
    throw new Error(`OIDC_REDIRECT_URI: expected the console's callback, a URL ending in ${OIDC_CALLBACK_PATH}`);
  return {
    issuer: issuer.href,
    clientId: settings.OIDC_CLIENT_ID!,
    clientSecret: settings.OIDC_CLIENT_SECRET!,
    redirectUri,
    startUrl: redirectUri.href.slice(0, -'/callback'.length),
  };
}

export interface OidcRoutesDeps {
  config: OidcConfig;
  people: People;
  /** The request's language. */
  t(req: FastifyRequest): T;
  /** Answers the sign-in page with this refusal; no one is signed in. */
  refuse(req: FastifyRequest, reply: FastifyReply, status: number, text: string): FastifyReply;
}

/** GET /sign-in/oidc, GET /sign-in/oidc/callback, and POST /people/:pid/oidc (an admin links or unlinks a person). */
export function oidcRoutes(app: FastifyInstance, deps: OidcRoutesDeps): void {
  const { config, people, refuse } = deps;

  // The provider's metadata, fetched at the first sign-in (the console starts, password and all, while the
  // provider is away) and kept; a failure is retried at the next.
  let discovered: Promise<oidc.Configuration> | undefined;
  const provider = (): Promise<oidc.Configuration> => {
    if (!discovered) {
      const issuer = new URL(config.issuer);
      discovered = oidc.discovery(issuer, config.clientId, undefined, oidc.ClientSecretBasic(config.clientSecret), {
        // Plain HTTP only for a provider on this machine (the settings refuse it elsewhere).
        execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      });
      discovered.catch(() => (discovered = undefined));
    }
    return discovered;
  };

  app.get(OIDC_START_PATH, { config: { public: true } }, async (req, reply) => {
    if (req.person) return reply.redirect('/', 303);
    const t = deps.t(req);
    let c: oidc.Configuration;
    try {
      c = await provider();
    } catch (err) {
      console.error(`console: single sign-on: ${config.issuer}: ${(err as Error).message}`);
      return refuse(
        req,
        reply,
        503,
        t(
          'シングルサインオンの認証サーバーに接続できません。しばらくしてからもう一度お試しいただくか、パスワードでサインインしてください。',
          'The single sign-on provider cannot be reached. Try again later, or sign in with your password.',
        ),
      );
    }
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    req.session.oidc = { state, nonce, codeVerifier, startedAt: Date.now() };
    const url = oidc.buildAuthorizationUrl(c, {
      redirect_uri: config.redirectUri.href,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return reply.redirect(url.href, 303);
  });

  app.get(OIDC_CALLBACK_PATH, { config: { public: true } }, async (req, reply) => {
    const t = deps.t(req);
    const search = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    const pending = req.session.oidc;
    if (!pending && req.headers['sec-fetch-site'] === 'cross-site') {
      // The provider's redirect: the SameSite=Strict cookie stayed behind. The same address again, from here.
      const again = `${config.redirectUri.pathname}${search}`;
      return reply.type('text/html; charset=utf-8').send(
        html`<!doctype html><html lang="${req.session.lang ?? 'ja'}"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${again}"><title>${t('サインイン中', 'Signing in')}</title></head>
<body><p><a id="continue" href="${again}">${t('続ける', 'Continue')}</a></p></body></html>`.value,
      );
    }
    delete req.session.oidc; // one use, whatever comes of it
    if (!pending || Date.now() - pending.startedAt > PENDING_MS)
      return refuse(
        req,
        reply,
        400,
        t(
          '進行中のシングルサインオンがありません (期限切れか、別のブラウザーで始められたものです)。もう一度お試しください。',
          'No single sign-on is under way here (it expired, or was started in another browser). Please try again.',
        ),
      );
    let subject: string;
    try {
      const currentUrl = new URL(config.redirectUri);
      currentUrl.search = search;
      // Checks state, exchanges the code with the PKCE verifier, and validates the ID token and its nonce.
      const tokens = await oidc.authorizationCodeGrant(await provider(), currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims?.sub) throw new Error('the ID token names no subject');
      subject = claims.sub;
    } catch (err) {
      // The provider's own error (e.g. access_denied), else the check that failed (the library's wording).
      const cause = (err as Error).cause;
      const why =
        err instanceof oidc.AuthorizationResponseError
          ? `${err.error}${err.error_description ? ` (${err.error_description})` : ''}`
          : `${(err as Error).message}${cause instanceof Error ? `: ${cause.message}` : ''}`;
      return refuse(req, reply, 401, `${t('シングルサインオンに失敗しました', 'Single sign-on failed')}: ${why}`);
    }
    const r = await people.signInByOidc(config.issuer, subject, { address: req.ip });
    if (!r.ok)
      return refuse(
        req,
        reply,
        403,
        r.reason === 'disabled'
          ? t('この利用者は無効にされています。管理者にお問い合わせください。', 'This person is disabled. Ask an admin.')
          : t(
              `この ID (発行者 ${config.issuer}、subject「${subject}」) はコンソールの利用者に結び付けられていません。管理者に「利用者」ページで結び付けるよう依頼してください。`,
              `This identity (issuer ${config.issuer}, subject "${subject}") is not linked to a person of the console. Ask an admin to link it on the People page.`,
            ),
      );
    await req.session.regenerate(['lang']); // a new session id at sign-in (no fixation), as the password path
    req.session.personId = r.person.id;
    req.session.signedInBy = 'oidc';
    return reply.redirect('/', 303);
  });

  // An admin links a person to a subject of the configured issuer; an empty subject unlinks.
  app.post('/people/:pid/oidc', { config: { roles: ['admin'] } }, async (req, reply) => {
    const t = deps.t(req);
    const { pid } = req.params as { pid: string };
    const raw = ((req.body ?? {}) as Record<string, unknown>).subject;
    const subject = typeof raw === 'string' ? raw.trim() : '';
    const target = /^u-[0-9a-f-]{36}$/.test(pid) ? await people.get(pid) : undefined;
    const done = (kind: 'ok' | 'err', text: string) => {
      req.session.flash = { kind, text };
      return reply.redirect('/people', 303);
    };
    if (!target) return done('err', t('その利用者はいません。', 'No such person.'));
    try {
      const by = { id: req.person!.id, role: req.person!.role, via: 'console' } as const; // audited by people.ts
      if (subject) await people.linkOidc(target.id, config.issuer, subject, by);
      else await people.unlinkOidc(target.id, by);
    } catch (err) {
      if (err instanceof PersonError) return done('err', err.message);
      throw err;
    }
    return done(
      'ok',
      subject
        ? t(
            `${target.login} をシングルサインオンの subject「${subject}」に結び付けました。`,
            `${target.login} is linked to the single sign-on subject "${subject}".`,
          )
        : t(`${target.login} のシングルサインオンを解除しました。`, `${target.login} is no longer linked to single sign-on.`),
    );
  });
}
