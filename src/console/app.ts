/**
 * The back-office console: Fastify with its plugins for cookies, sessions (stored in the ledger), CSRF
 * and forms; server-rendered pages (views.ts). Every page but sign-in needs a session; each route names
 * the roles it admits. The routes live in modules by concern; a command goes to the contract only through
 * the back office's command path, as the signed-in person, so it is audited and the contract itself
 * decides who may ask for what.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ledgerAccessOf } from '../backoffice/ledger-client';
import type { Ledger, Mailer } from '../backoffice/ledger-records';
import { jstDateOf } from '../domain/calendar';
import { privateDir, writeFileOnce } from '../files';
import type { Settings } from '../settings';
import { apiTokenRoutes } from './api-token-routes';
import { backOfficeRoutes } from './back-office-routes';
import { approvalMail } from '../backoffice/approval-mail';
import { ApiTokens } from '../backoffice/api-tokens';
import { API_PREFIX, registerApi } from './api';
import { finishUnfinished } from '../backoffice/bank/import';
import { billingRunRoutes } from './billing-routes';
import { registerCodec, type CodecDeps } from './codec-routes';
import { hostCheck } from './host-check';
import { page, translator, type T } from './html';
import { oidcConfigOf, oidcRoutes } from './oidc';
import { People } from '../backoffice/people';
import { Sessions } from '../backoffice/sessions';
import { peopleRoutes } from './people-routes';
import { providerActionRoutes } from './provider-routes';
import { providerStartRoutes } from './provider-start-routes';
import { bodyOf, READERS, type Content, type Flash, type RouteKit } from './route-kit';
import { sessionRoutes } from './session-routes';
import { LedgerSessionStore } from './session-store';
import * as views from './views';
import { registerWebUi, type WebUiDeps } from './web-ui-proxy';

export { auditCsv } from './accounting-routes';

export const SESSION_HOURS = 8;

/** A request to the HTTP API (its routes, and its answers for routes it does not have). */
const isApi = (req: FastifyRequest) => req.routeOptions.config?.api === true || req.url === API_PREFIX || req.url.startsWith(`${API_PREFIX}/`);
const SESSION_MS = SESSION_HOURS * 3_600_000;

export interface ConsoleDeps {
  ledger: Ledger;
  client: Client;
  settings: Settings;
  /** The codec server behind the console's sign-in (codec-routes.ts). */
  codec?: CodecDeps;
  /** The embedded Web UI, behind the console's sign-in at its own door (web-ui-proxy.ts). */
  webUi?: WebUiDeps;
  /** Mail to the staff (a four-eyes request waiting for the supervisors); the worker's mailer under `npm start`. */
  mailer?: Mailer;
}

/** CONSOLE_SESSION_SECRET, else 32 random bytes kept in DATA_DIR/keys/console-session-secret (0600), made once. */
export function sessionSecret(settings: Settings): string {
  if (settings.CONSOLE_SESSION_SECRET) return settings.CONSOLE_SESSION_SECRET;
  const dir = join(settings.DATA_DIR, 'keys');
  privateDir(settings.DATA_DIR);
  privateDir(dir);
  const path = join(dir, 'console-session-secret');
  writeFileOnce(path, randomBytes(32).toString('base64'));
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${path}: the console's session secret is shorter than 32 characters; delete the file to make a new one`);
  return secret;
}

export async function consoleApp(deps: ConsoleDeps): Promise<FastifyInstance> {
  const { ledger, client, settings } = deps;
  const people = new People(ledger.people);
  const ledgerAccess = ledgerAccessOf(ledger);
  const audit = ledgerAccess.audit;
  const sso = oidcConfigOf(settings); // single sign-on (oidc.ts), when configured
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  // Before anything else (the session's lookup included): only the console's own host names.
  app.addHook('onRequest', hostCheck(settings));

  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: sessionSecret(settings),
    cookieName: 'neutrix.sid',
    store: new LedgerSessionStore(new Sessions(ledger.people), SESSION_MS),
    saveUninitialized: false,
    rolling: false, // 8 hours from sign-in, however busy
    // SameSite=Strict. Not `secure: 'auto'`: on plain HTTP the plugin then downgrades SameSite to Lax, and
    // the console listens on 127.0.0.1 over HTTP only (behind a TLS proxy, set the cookie secure there).
    cookie: { httpOnly: true, sameSite: 'strict', secure: false, path: '/', maxAge: SESSION_MS },
  });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });
  app.decorateRequest('person', null);

  // Headers for every answer: no caching of pages with personal data, no framing, no outside resources.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    return payload;
  });

  // The language: `?lang=en|ja`, remembered in the session.
  app.addHook('preHandler', async (req) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    if (q.lang === 'en' || q.lang === 'ja') req.session.lang = q.lang;
  });
  // Every POST carries the session's CSRF token (403 without it) — but the codec's and the proxied Web UI's,
  // which its pages send on this origin with the SameSite=Strict session cookie (the UI adds its own CSRF header).
  app.addHook('preHandler', (req, reply, done) => {
    // The API's routes carry a bearer token, not the session cookie: no form token to check (api/index.ts).
    if (req.method === 'POST' && !req.routeOptions.config?.codec && !req.routeOptions.config?.webUi && !isApi(req)) app.csrfProtection(req, reply, done);
    else done();
  });
  // Who is asking: the session's person, read afresh (a role change or a disabling applies at once).
  app.addHook('preHandler', async (req, reply) => {
    const config = req.routeOptions.config ?? {};
    if (isApi(req)) return; // the API's caller is its token's person (api/index.ts), never the session's
    const id = req.session.personId;
    const person = id ? await people.get(id) : undefined;
    if (person && !person.disabled) req.person = person;
    else if (id) delete req.session.personId;
    if (config.public) return;
    if (config.codec) {
      if (!req.person) return reply.code(401).send({ message: 'sign in to the back-office console to decode payloads' });
      return;
    }
    if (!req.person) {
      if (req.method === 'GET') return reply.redirect('/sign-in', 303);
      return sendPage(
        req,
        reply.code(401),
        views.message(tOf(req), tOf(req)('サインインが必要です', 'Sign-in required'), tOf(req)('サインインしてください。', 'Please sign in.')),
      );
    }
    if (req.person.mustChangePassword && req.session.signedInBy !== 'oidc' && !config.beforePasswordChange) {
      if (req.method === 'GET') return reply.redirect('/password', 303);
      return sendPage(req, reply.code(403), views.message(tOf(req), tOf(req)('パスワードの変更が必要です', 'Password change required'), ''));
    }
    if (config.roles && !config.roles.includes(req.person.role)) {
      const t = tOf(req);
      return sendPage(
        req,
        reply.code(403),
        views.message(
          t,
          t('権限がありません', 'Not allowed'),
          t(`この操作は ${config.roles.join(', ')} の役割が必要です。`, `This needs the role ${config.roles.join(' or ')}.`),
        ),
      );
    }
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const t = tOf(req);
    if (status >= 500) console.error(`console: ${req.method} ${req.routeOptions.url ?? ''}: ${err.message}`);
    const text = err.code?.startsWith('FST_CSRF')
      ? t(
          'フォームの有効期限が切れたか、不正な送信です (CSRF)。ページを開き直してください。',
          'The form expired or was not sent from this console (CSRF). Reload the page.',
        )
      : status >= 500
        ? t('内部エラーが発生しました。', 'Something went wrong.')
        : err.message;
    return sendPage(req, reply.code(status), views.message(t, `${status}`, text));
  });
  app.setNotFoundHandler((req, reply) => sendPage(req, reply.code(404), views.message(tOf(req), '404', tOf(req)('ページがありません。', 'No such page.'))));

  function tOf(req: FastifyRequest): T {
    return translator(req.session?.lang ?? 'ja');
  }
  function sendPage(req: FastifyRequest, reply: FastifyReply, content: Content, flash?: Flash): FastifyReply {
    const lang = req.session?.lang ?? 'ja';
    const shown = flash ?? req.session?.flash;
    if (req.session?.flash) delete req.session.flash;
    const path = req.url.replace(/([?&])lang=(en|ja)&?/, '$1').replace(/[?&]$/, '');
    const csrf = req.session ? reply.generateCsrf() : undefined;
    return reply.type('text/html; charset=utf-8').send(
      page(
        {
          t: translator(lang),
          lang,
          title: content.title,
          person: req.person ?? undefined,
          csrf,
          path,
          flash: shown,
          refreshSeconds: content.refreshSeconds,
          wide: content.wide,
        },
        content.body,
      ),
    );
  }
  const ctx = (req: FastifyRequest, reply: FastifyReply): views.Ctx => ({
    t: tOf(req),
    csrf: reply.generateCsrf(),
    person: req.person!,
    today: jstDateOf(Date.now()),
  });
  function flashAndGo(req: FastifyRequest, reply: FastifyReply, kind: 'ok' | 'err', text: string, to: string) {
    req.session.flash = { kind, text };
    return reply.redirect(to, 303);
  }

  const kit: RouteKit = { t: tOf, lang: (req) => req.session?.lang ?? 'ja', ctx, send: sendPage, flashAndGo, body: bodyOf };
  sessionRoutes(app, kit, { people, sso });
  const onApprovalAsked = deps.mailer && approvalMail({ mailer: deps.mailer, people: ledger.people, settings });
  await backOfficeRoutes(app, kit, { client, ledger, ledgerAccess, settings, onApprovalAsked });
  peopleRoutes(app, kit, { people, sso });
  apiTokenRoutes(app, kit, { tokens: new ApiTokens(ledger.apiTokens, ledger.people, audit), people });
  billingRunRoutes(app, { client, audit, settings, readers: READERS, ...kit });
  providerActionRoutes(app, { client, ledger, audit, settings, onApprovalAsked, ...kit });
  providerStartRoutes(app, kit, { client, audit, taskQueue: settings.TASK_QUEUE });
  if (sso)
    oidcRoutes(app, {
      config: sso,
      people,
      t: tOf,
      refuse: (req, reply, status, text) =>
        sendPage(req, reply.code(status), views.signIn(tOf(req), reply.generateCsrf(), '', sso.startUrl), { kind: 'err', text }),
    });
  if (deps.codec) await registerCodec(app, { ...deps.codec, audit });
  await registerApi(app, {
    client,
    ledger,
    ledgerAccess,
    taskQueue: settings.TASK_QUEUE,
    billingConcurrency: settings.BILLING_CONCURRENCY,
    virtualAccountRange: settings.VIRTUAL_ACCOUNT_RANGE,
    onApprovalAsked,
  });
  if (deps.webUi) await registerWebUi(app, deps.webUi);
  return app;
}

export interface ConsoleServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The console on 127.0.0.1:`port` (default CONSOLE_PORT; 0 for any free port). */
export async function startConsole(deps: ConsoleDeps & { port?: number }): Promise<ConsoleServer> {
  const app = await consoleApp(deps);
  await app.listen({ host: '127.0.0.1', port: deps.port ?? deps.settings.CONSOLE_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : deps.port;
  // Bank lines an import left unfinished (the process stopped halfway) are carried on now, each as its
  // importer, from the plan the ledger holds (D-33); in the background, so a slow contract delays nothing.
  const resumed = finishUnfinished(
    {
      client: deps.client,
      audit: ledgerAccessOf(deps.ledger).audit,
      ledger: deps.ledger,
      onApprovalAsked: deps.mailer && approvalMail({ mailer: deps.mailer, people: deps.ledger.people, settings: deps.settings }),
    },
    jstDateOf(Date.now()),
  )
    .then((r) => {
      if (r.finished || r.waiting) console.log(`console: bank lines left unfinished: ${r.finished} carried on, ${r.waiting} waiting for their importer`);
    })
    .catch((err: Error) => console.error(`console: bank lines left unfinished could not be carried on now: ${err.message}`));
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    close: async () => {
      await resumed;
      await app.close();
    },
  };
}
