/**
 * The back-office console (issue 16): Fastify with its plugins for cookies, sessions (stored in the
 * ledger), CSRF and forms; server-rendered pages (views.ts). Every page but sign-in needs a session; each
 * route names the roles it admits. A command goes to the contract only through `sendContractCommand`,
 * as the signed-in person, so it is audited and the contract itself decides who may ask for what.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Ledger } from '../activities';
import { stringify } from 'csv-stringify/sync';
import { invoicePdfName, monthInvoicesCsv, renderInvoiceHtml, type AuditEntry } from '../activities';
import { audited, isRefusal, sendContractCommand } from '../backoffice/command-path';
import { ledgerAccessOf } from '../backoffice/ledger-client';
import { ROLES, type Actor, type Role } from '../domain/actor';
import { addDays, addMonths, daysBetween, jstDateOf, jstLocalToInstant, monthOf, startOfDayJst } from '../domain/calendar';
import { parseYenText } from '../domain/money';
import { sameAmountRecently } from '../domain/contract';
import { CONTRACT_STATUSES, PLAN_IDS } from '../domain/types';
import { changedContactFields, commands, contactChange, contractId as contractIdSchema, fourEyesInput, hoursText, isoDate, parseWith, yearMonth, type CommandName } from '../domain/validation';
import { latestRun } from '../backoffice/billing-runs';
import { privateDir, writeFileOnce } from '../files';
import type { Settings } from '../settings';
import { quoteCancellationQuery, stateQuery } from '../workflows/contract/messages';
import { AllowanceExceededKey, CancellationDeadlineKey, ContractStatusKey, NextDeadlineKey, OverdueYenKey, PlanKey, RenewalDeclineDeadlineKey } from '../workflows/search-attributes';
import { page, translator, type Html, type Lang, type T } from './html';
import { People, PersonError, type Person } from '../backoffice/people';
import { Sessions } from '../backoffice/sessions';
import { LedgerSessionStore } from './session-store';
import cors from '@fastify/cors';
import type { PayloadCodec } from '@temporalio/common';
import { codecRoutes } from '../infra/codec-server';
import * as views from './views';
import { oidcConfigOf, oidcRoutes } from './oidc';
import { billingRunRoutes } from './billing-routes';
import { providerActionRoutes } from './provider-routes';

declare module 'fastify' {
  interface Session {
    personId?: string;
    lang?: Lang;
    flash?: { kind: 'ok' | 'err'; text: string };
  }
  interface FastifyRequest {
    person: Person | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a session (sign-in). */
    public?: boolean;
    /** Who may use the route; unset: anyone signed in. */
    roles?: readonly Role[];
    /** Reachable while the person must still change the one-time password. */
    beforePasswordChange?: boolean;
    /** The codec server's routes: a signed-in person, JSON answers, no CSRF form token (CORS guards them). */
    codec?: boolean;
  }
}

export const SESSION_HOURS = 8;
const SESSION_MS = SESSION_HOURS * 3_600_000;
/** Who changes a contract through the console: an admin manages people, a viewer reads. */
const CONTRACT_ACTORS: readonly Role[] = ['clerk', 'supervisor'];
/** Who may read the accounting pages and the audit exports (issue 16: viewer reads audit and accounting). */
const READERS: readonly Role[] = ['viewer', 'clerk', 'supervisor', 'admin'];
/** The widest date range of one audit export. */
const AUDIT_EXPORT_MAX_DAYS = 366;

const AUDIT_CSV_HEADER = ['日時 at', '実行者 actor', '役割 role', '経路 via', '契約 contract', 'コマンド command', '依頼ID request id', '結果 outcome', 'メッセージ message'];
/** The audit trail as CSV: UTF-8 with a BOM (Excel), CRLF, one row per attempt, oldest first. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = [...entries].sort((a, b) => a.id - b.id).map((a) => [a.at, a.actor.id, a.actor.role, a.actor.via, a.contractId ?? '', a.command, a.requestId, a.outcome, a.message ?? '']);
  return `\uFEFF${stringify([AUDIT_CSV_HEADER, ...rows], { record_delimiter: 'windows' })}`;
}

export interface ConsoleDeps {
  ledger: Ledger;
  client: Client;
  settings: Settings;
  /**
   * The codec server behind the console's sign-in (issue 15, design notes): POST /codec/encode and
   * /codec/decode answer only a signed-in person's browser; CORS lets the Web UI's origins call them with
   * credentials (the Web UI's codec setting "Include cross-origin credentials").
   */
  codec?: { codec: PayloadCodec; namespace: string; allowedOrigins: readonly string[] };
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

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9:_-]{7,127}$/;
const newRequestId = (prefix: string) => `${prefix}-${randomUUID()}`;

type Body = Record<string, string | undefined>;
const bodyOf = (req: FastifyRequest): Body => {
  const b = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : undefined]));
};

/** A refusal by the contract: its message and the article, as the CLI shows it. */
function refusalText(err: unknown, t: T): string {
  const cause = err instanceof WorkflowUpdateFailedError ? (err.cause ?? err) : err;
  if (cause instanceof ApplicationFailure && cause.type === 'Refused') {
    const r = cause.details?.[0] as { rule?: string; message?: string } | undefined;
    if (r?.message) return `${t('契約が拒否しました', 'Refused by the contract')} (${r.rule ?? '—'}): ${r.message}`;
  }
  return `${t('拒否されました', 'Refused')}: ${cause instanceof Error ? cause.message : String(cause)}`;
}

export async function consoleApp(deps: ConsoleDeps): Promise<FastifyInstance> {
  const { ledger, client, settings } = deps;
  const people = new People(ledger.people);
  const audit = ledgerAccessOf(ledger).audit;
  const sso = oidcConfigOf(settings); // single sign-on (oidc.ts), when configured
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });

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
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    return payload;
  });

  // The language: `?lang=en|ja`, remembered in the session.
  app.addHook('preHandler', async (req) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    if (q.lang === 'en' || q.lang === 'ja') req.session.lang = q.lang;
  });
  // Every POST carries the session's CSRF token (403 without it) — but the codec's, which a page of the Web
  // UI sends with the session cookie: read-only transforms, answered only to the Web UI's origins (CORS).
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method === 'POST' && !req.routeOptions.config?.codec) app.csrfProtection(req, reply, done);
    else done();
  });
  // Who is asking: the session's person, read afresh (a role change or a disabling applies at once).
  app.addHook('preHandler', async (req, reply) => {
    const config = req.routeOptions.config ?? {};
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
      return sendPage(req, reply.code(401), views.message(tOf(req), tOf(req)('サインインが必要です', 'Sign-in required'), tOf(req)('サインインしてください。', 'Please sign in.')));
    }
    if (req.person.mustChangePassword && req.session.signedInBy !== 'oidc' && !config.beforePasswordChange) {
      if (req.method === 'GET') return reply.redirect('/password', 303);
      return sendPage(req, reply.code(403), views.message(tOf(req), tOf(req)('パスワードの変更が必要です', 'Password change required'), ''));
    }
    if (config.roles && !config.roles.includes(req.person.role)) {
      const t = tOf(req);
      return sendPage(req, reply.code(403), views.message(t, t('権限がありません', 'Not allowed'), t(`この操作は ${config.roles.join(', ')} の役割が必要です。`, `This needs the role ${config.roles.join(' or ')}.`)));
    }
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const t = tOf(req);
    if (status >= 500) console.error(`console: ${req.method} ${req.routeOptions.url ?? ''}: ${err.message}`);
    const text = err.code?.startsWith('FST_CSRF')
      ? t('フォームの有効期限が切れたか、不正な送信です (CSRF)。ページを開き直してください。', 'The form expired or was not sent from this console (CSRF). Reload the page.')
      : status >= 500
        ? t('内部エラーが発生しました。', 'Something went wrong.')
        : err.message;
    return sendPage(req, reply.code(status), views.message(t, `${status}`, text));
  });
  app.setNotFoundHandler((req, reply) => sendPage(req, reply.code(404), views.message(tOf(req), '404', tOf(req)('ページがありません。', 'No such page.'))));

  function tOf(req: FastifyRequest): T {
    return translator(req.session?.lang ?? 'ja');
  }
  function sendPage(req: FastifyRequest, reply: FastifyReply, content: { title: string; body: Html; refreshSeconds?: number }, flash?: { kind: 'ok' | 'err'; text: string }): FastifyReply {
    const lang = req.session?.lang ?? 'ja';
    const shown = flash ?? req.session?.flash;
    if (req.session?.flash) delete req.session.flash;
    const path = req.url.replace(/([?&])lang=(en|ja)&?/, '$1').replace(/[?&]$/, '');
    const csrf = req.session ? reply.generateCsrf() : undefined;
    return reply.type('text/html; charset=utf-8').send(page({ t: translator(lang), lang, title: content.title, person: req.person ?? undefined, csrf, path, flash: shown, refreshSeconds: content.refreshSeconds }, content.body));
  }
  const ctx = (req: FastifyRequest, reply: FastifyReply): views.Ctx => ({ t: tOf(req), csrf: reply.generateCsrf(), person: req.person!, today: jstDateOf(Date.now()) });
  function flashAndGo(req: FastifyRequest, reply: FastifyReply, kind: 'ok' | 'err', text: string, to: string) {
    req.session.flash = { kind, text };
    return reply.redirect(to, 303);
  }

  // ---- sign-in, sign-out, password -----------------------------------------------------------------

  app.get('/sign-in', { config: { public: true } }, async (req, reply) => {
    if (req.person) return reply.redirect('/', 303);
    return sendPage(req, reply, views.signIn(tOf(req), reply.generateCsrf(), '', sso?.startUrl));
  });
  app.post('/sign-in', { config: { public: true } }, async (req, reply) => {
    const t = tOf(req);
    const b = bodyOf(req);
    const login = (b.login ?? '').trim();
    const password = b.password ?? '';
    if (!login || !password) return sendPage(req, reply.code(400), views.signIn(t, reply.generateCsrf(), login, sso?.startUrl), { kind: 'err', text: t('ログインID (login) とパスワード (password) を入力してください。', 'login and password: both are required.') });
    const r = await people.signIn(login, password);
    if (!r.ok) {
      const text =
        r.reason === 'locked'
          ? t(`失敗が続いたためアカウントはロックされています (${r.lockedUntil ? new Date(r.lockedUntil).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' }) : ''} まで)。管理者に解除を依頼できます。`, `The account is locked after repeated failures (until ${r.lockedUntil ?? ''}). An admin can unlock it.`)
          : t('ログインIDまたはパスワードが違います。', 'Wrong login or password.');
      return sendPage(req, reply.code(401), views.signIn(t, reply.generateCsrf(), login, sso?.startUrl), { kind: 'err', text });
    }
    await req.session.regenerate(['lang']); // a new session id at sign-in (no fixation)
    req.session.personId = r.person.id;
    return reply.redirect(r.person.mustChangePassword ? '/password' : '/', 303);
  });
  app.post('/sign-out', { config: { public: true } }, async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/sign-in', 303);
  });
  app.get('/password', { config: { beforePasswordChange: true } }, async (req, reply) => sendPage(req, reply, views.password(ctx(req, reply))));
  app.post('/password', { config: { beforePasswordChange: true } }, async (req, reply) => {
    const b = bodyOf(req);
    const t = tOf(req);
    if ((b.newPassword ?? '') !== (b.confirmPassword ?? '')) return sendPage(req, reply.code(400), views.password(ctx(req, reply)), { kind: 'err', text: t('新しいパスワード (confirmPassword): 確認と一致しません。', 'confirmPassword: does not match the new password.') });
    try {
      await people.changePassword(req.person!.id, b.currentPassword ?? '', b.newPassword ?? '');
    } catch (err) {
      if (err instanceof PersonError) return sendPage(req, reply.code(400), views.password(ctx(req, reply)), { kind: 'err', text: err.message });
      throw err;
    }
    await req.session.regenerate(['lang', 'personId']);
    return flashAndGo(req, reply, 'ok', t('パスワードを変更しました。', 'Password changed.'), '/');
  });

  // ---- dashboard and search -----------------------------------------------------------------------

  /** At most `limit` contracts of a visibility query; `more` says the list goes on (never cut silently). */
  async function listContracts(query: string, limit = 50): Promise<views.Listed> {
    const out: views.ListedContract[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowType = "contract" AND ${query}`, pageSize: limit + 1 })) {
      if (out.length === limit) return { contracts: out, more: true };
      const sa = wf.typedSearchAttributes;
      out.push({
        contractId: wf.workflowId,
        status: sa.get(ContractStatusKey) ?? null,
        plan: sa.get(PlanKey) ?? null,
        nextDeadline: sa.get(NextDeadlineKey) ?? null,
        overdueYen: sa.get(OverdueYenKey) ?? null,
        renewalDeclineDeadline: sa.get(RenewalDeclineDeadlineKey) ?? null,
        cancellationDeadline: sa.get(CancellationDeadlineKey) ?? null,
        allowanceExceeded: sa.get(AllowanceExceededKey) ?? null,
      });
    }
    return { contracts: out, more: false };
  }
  const tryList = (query: string) => listContracts(query).catch((err: Error) => ({ error: err.message }));

  app.get('/', async (req, reply) => {
    const today = jstDateOf(Date.now());
    const month = monthOf(today);
    const monthStart = `${month}-01`;
    const nextMonthStart = `${addMonths(month, 1)}-01`;
    // Month bounds in Japan time, as instants (NextDeadline is a datetime); the notice deadlines are days.
    const from = new Date(startOfDayJst(monthStart)).toISOString();
    const to = new Date(startOfDayJst(nextMonthStart)).toISOString();
    const inMonth = (key: string) => `${key} >= "${monthStart}" AND ${key} < "${nextMonthStart}"`;
    const [pending, overdue, suspended, renewalDeclines, cancellations, attention, steps, allowances, billing] = await Promise.all([
      tryList('ContractStatus = "pending"'),
      tryList('OverdueYen > 0'),
      tryList('ContractStatus = "suspended"'),
      tryList(inMonth(RenewalDeclineDeadlineKey.name)),
      tryList(inMonth(CancellationDeadlineKey.name)),
      tryList('NeedsAttention = true'),
      tryList(`NextDeadline >= "${from}" AND NextDeadline < "${to}"`),
      // D-19: an excess this month or last (the latest exceeded month; none is ahead of today, D-24).
      tryList(`${AllowanceExceededKey.name} >= "${addMonths(month, -1)}"`),
      latestRun(client).catch((err: Error) => ({ error: err.message })),
    ]);
    return sendPage(req, reply, views.dashboard(ctx(req, reply), { pending, overdue, suspended, renewalDeclines, cancellations, attention, steps, allowances, month, billing }));
  });

  app.get('/search', async (req, reply) => {
    const q = (req.query ?? {}) as Record<string, string | undefined>;
    const t = tOf(req);
    const c = ctx(req, reply);
    if (q.contract !== undefined && q.contract !== '') {
      const id = parseWith(contractIdSchema, q.contract.trim());
      if (!id.ok) return sendPage(req, reply.code(400), views.search(c, {}), { kind: 'err', text: `${t('契約ID', 'contract id')} (contract): ${id.problems.join('; ')}` });
      return reply.redirect(`/contracts/${encodeURIComponent(id.value)}`, 303);
    }
    const status = q.status || undefined;
    const plan = q.plan || undefined;
    if (status === undefined && plan === undefined) return sendPage(req, reply, views.search(c, {}));
    if (status !== undefined && !(CONTRACT_STATUSES as readonly string[]).includes(status)) return sendPage(req, reply.code(400), views.search(c, {}), { kind: 'err', text: `status: ${t('次のいずれか', 'one of')} ${CONTRACT_STATUSES.join(', ')}` });
    if (plan !== undefined && !(PLAN_IDS as readonly string[]).includes(plan)) return sendPage(req, reply.code(400), views.search(c, {}), { kind: 'err', text: `plan: ${t('次のいずれか', 'one of')} ${PLAN_IDS.join(', ')}` });
    // Only validated values reach the query: nothing can be injected.
    const query = [status && `ContractStatus = "${status}"`, plan && `Plan = "${plan}"`].filter(Boolean).join(' AND ');
    return sendPage(req, reply, views.search(c, { listed: await tryList(query), status, plan }));
  });
  // Name and e-mail are personal data: posted, never in a URL.
  app.post('/search', async (req, reply) => {
    const b = bodyOf(req);
    const t = tOf(req);
    const c = ctx(req, reply);
    const name = (b.name ?? '').trim();
    const email = (b.email ?? '').trim();
    if (!name && !email) return sendPage(req, reply.code(400), views.search(c, {}), { kind: 'err', text: t('顧客名 (name) かメールアドレス (email) を入力してください。', 'name or email: give one.') });
    if (name.length > 200 || email.length > 254) return sendPage(req, reply.code(400), views.search(c, {}), { kind: 'err', text: t('検索語が長すぎます。', 'The search text is too long.') });
    const customers = name ? await ledger.customers.findByName(name) : await ledger.customers.findByEmail(email);
    return sendPage(req, reply, views.search(c, { customers, name, email }));
  });

  // ---- the contract page --------------------------------------------------------------------------

  function contractIdOf(req: FastifyRequest): string | undefined {
    const r = parseWith(contractIdSchema, (req.params as { id?: string }).id);
    return r.ok ? r.value : undefined;
  }

  app.get('/contracts/:id', async (req, reply) => {
    const id = contractIdOf(req);
    const t = tOf(req);
    if (!id) return sendPage(req, reply.code(400), views.message(t, '400', t('契約IDの形式が正しくありません。', 'Not a contract id.')));
    let view;
    try {
      view = await client.workflow.getHandle(id).query(stateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return sendPage(req, reply.code(404), views.message(t, '404', t(`契約 ${id} はありません。`, `No contract ${id}.`)));
      throw err;
    }
    const [customer, trail, payments] = await Promise.all([ledger.customers.ofContract(id), ledger.audit.list({ contractId: id, limit: views.CONTRACT_PAGE_AUDIT_ROWS }), ledger.listPayments(id)]);
    return sendPage(req, reply, views.contract(ctx(req, reply), { view, customer, trail, payments, requestId: newRequestId }));
  });

  app.get('/contracts/:id/cancel', { config: { roles: CONTRACT_ACTORS } }, async (req, reply) => {
    const id = contractIdOf(req);
    const t = tOf(req);
    if (!id) return sendPage(req, reply.code(400), views.message(t, '400', t('契約IDの形式が正しくありません。', 'Not a contract id.')));
    const endDate = ((req.query ?? {}) as Record<string, string | undefined>).endDate ?? '';
    const d = parseWith(isoDate, endDate.trim());
    if (!d.ok) return flashAndGo(req, reply, 'err', `${t('終了日', 'end date')} (endDate): ${d.problems.join('; ')}`, `/contracts/${encodeURIComponent(id)}`);
    const quote = await client.workflow.getHandle(id).query(quoteCancellationQuery, d.value);
    return sendPage(req, reply, views.cancelQuote(ctx(req, reply), id, quote, newRequestId('cancel')));
  });

  /** Validates at the edge (clear message naming the field, nothing sent), then sends as the person. */
  const requestIdOf = (req: FastifyRequest, name: string) => {
    const given = bodyOf(req).requestId;
    return given && REQUEST_ID.test(given) ? given : newRequestId(name);
  };
  async function act(req: FastifyRequest, reply: FastifyReply, name: CommandName, raw: Record<string, unknown>, fixedRequestId?: string): Promise<FastifyReply> {
    const id = contractIdOf(req);
    const t = tOf(req);
    if (!id) return sendPage(req, reply.code(400), views.message(t, '400', t('契約IDの形式が正しくありません。', 'Not a contract id.')));
    const back = `/contracts/${encodeURIComponent(id)}`;
    const person = req.person!;
    const actor: Actor = { id: person.id, role: person.role, via: 'console' };
    const requestId = fixedRequestId ?? requestIdOf(req, name);
    const parsed = parseWith(commands[name], { requestId, actor, ...raw });
    if (!parsed.ok) return flashAndGo(req, reply, 'err', `${t('入力が正しくありません', 'Invalid input')} — ${parsed.problems.join('; ')}`, back);
    const { actor: _actor, ...input } = parsed.value as { actor: Actor; requestId: string } & Record<string, unknown>;
    try {
      const result = await sendContractCommand({ client, audit }, { actor, contractId: id, name, input });
      return flashAndGo(req, reply, 'ok', `${name}: ${result.summary}`, back);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return flashAndGo(req, reply, 'err', t(`契約 ${id} はありません。`, `No contract ${id}.`), back);
      if (isRefusal(err)) return flashAndGo(req, reply, 'err', refusalText(err, t), back);
      return flashAndGo(req, reply, 'err', `${t('送信できませんでした (変更されたかは不明。同じ画面から再送すると一度だけ反映されます)', 'Could not be sent (it may or may not have taken effect; resending the same form takes effect once)')}: ${(err as Error).message}`, back);
    }
  }
  const actionRoute = { config: { roles: CONTRACT_ACTORS } };

  app.post('/contracts/:id/pay', actionRoute, async (req, reply) => {
    const t = tOf(req);
    const text = bodyOf(req).amount ?? '';
    const amount = parseYenText(text);
    if (amount === undefined) {
      const id = contractIdOf(req) ?? '';
      return flashAndGo(
        req,
        reply,
        'err',
        t(`金額 (amount): 「${text}」は金額として読めません。84700、84,700、８４，７００、84,700円 のように、カンマは3桁ごとに入力してください。何も送信していません。`, `amount: "${text}" is not an amount. Write 84700, 84,700, ８４，７００ or 84,700円 (commas group three digits). Nothing was sent.`),
        `/contracts/${encodeURIComponent(id)}`,
      );
    }
    // The day the money was received (the bank statement's); empty: today.
    const paidOn = (bodyOf(req).receivedOn ?? '').trim() || undefined;
    // The same amount within 7 days: the same transfer keyed twice? Recorded only once confirmed.
    if (bodyOf(req).sameAmountOk !== 'yes') {
      const id = contractIdOf(req) ?? '';
      const view = await client.workflow.getHandle(id).query(stateQuery).catch(() => undefined);
      const earlier = view ? sameAmountRecently(view, amount, paidOn ?? jstDateOf(Date.now())) : undefined;
      if (earlier)
        return flashAndGo(
          req,
          reply,
          'err',
          t(
            `同じ金額 ${amount.toLocaleString('ja-JP')}円 の入金が ${earlier.paidOn} に記録されています (${earlier.requestId})。別の入金であれば「同額の別入金」に印を付けて送信してください。何も送信していません。`,
            `A payment of the same amount, ${amount.toLocaleString('en-US')} yen, was recorded on ${earlier.paidOn} (${earlier.requestId}). If this is another payment, tick "another payment of the same amount" and send again. Nothing was sent.`,
          ),
          `/contracts/${encodeURIComponent(id)}`,
        );
    }
    return act(req, reply, 'pay', { amount, paidOn });
  });
  // A payment taken back: four eyes — asked for here with the reason, approved by a second supervisor.
  app.post('/contracts/:id/payments/reverse', actionRoute, async (req, reply) => {
    const b = bodyOf(req);
    const input = { paymentRequestId: (b.paymentRequestId ?? '').trim(), reason: (b.reason ?? '').trim() };
    const checked = parseWith(fourEyesInput.reversePayment, input);
    if (!checked.ok) return flashAndGo(req, reply, 'err', `${tOf(req)('入力が正しくありません', 'Invalid input')} — ${checked.problems.join('; ')}`, `/contracts/${encodeURIComponent(contractIdOf(req) ?? '')}`);
    return act(req, reply, 'requestApproval', { action: 'reversePayment', input: checked.value, reason: input.reason });
  });
  app.post('/contracts/:id/approve', actionRoute, async (req, reply) => act(req, reply, 'approve', { startDate: (bodyOf(req).startDate ?? '').trim() || jstDateOf(Date.now()) }));
  app.post('/contracts/:id/cancel', actionRoute, async (req, reply) => act(req, reply, 'cancel', { endDate: (bodyOf(req).endDate ?? '').trim() }));
  app.post('/contracts/:id/terminate', actionRoute, async (req, reply) => {
    const b = bodyOf(req);
    const t = tOf(req);
    const action = b.kind === 'cause' ? 'terminateForCause' : b.kind === 'convenience' ? 'terminateForConvenience' : undefined;
    if (!action) return flashAndGo(req, reply, 'err', t('種類 (kind): 解除 (cause) か都合による終了 (convenience) を選んでください。', 'kind: choose cause or convenience.'), `/contracts/${encodeURIComponent(contractIdOf(req) ?? '')}`);
    const input = action === 'terminateForCause' ? { internalReason: b.reason?.trim() || undefined } : { endDate: (b.endDate ?? '').trim() };
    const checked = parseWith(fourEyesInput[action], input);
    if (!checked.ok) return flashAndGo(req, reply, 'err', `${t('入力が正しくありません', 'Invalid input')} — ${checked.problems.join('; ')}`, `/contracts/${encodeURIComponent(contractIdOf(req) ?? '')}`);
    // Four eyes: a termination is asked for, with the reason; a second supervisor approves it.
    return act(req, reply, 'requestApproval', { action, input: checked.value, reason: b.reason ?? '' });
  });
  // D-19, D-24: the form's datetime-local is Japan time, sent as an exact +09:00 instant; hours in 0.25 steps.
  app.post('/contracts/:id/incident', actionRoute, async (req, reply) => act(req, reply, 'recordIncident', { at: jstLocalToInstant(bodyOf(req).at ?? '') }));
  app.post('/contracts/:id/ops-work', actionRoute, async (req, reply) => {
    const b = bodyOf(req);
    return act(req, reply, 'recordOpsWork', { on: (b.on ?? '').trim(), hours: hoursText(b.hours ?? '') });
  });
  app.post('/contracts/:id/retry-effects', actionRoute, async (req, reply) => act(req, reply, 'retryFailedEffects', {}));
  app.post('/contracts/:id/requests/approve', actionRoute, async (req, reply) => act(req, reply, 'approveRequest', { approvalOf: bodyOf(req).approvalOf ?? '' }));
  app.post('/contracts/:id/requests/withdraw', actionRoute, async (req, reply) => act(req, reply, 'withdrawRequest', { approvalOf: bodyOf(req).approvalOf ?? '', reason: bodyOf(req).reason ?? '' }));

  // ---- contact change: the ledger keeps the contact, the contract learns its revision only ---------

  app.post('/contracts/:id/contact', actionRoute, async (req, reply) => {
    const id = contractIdOf(req);
    const t = tOf(req);
    if (!id) return sendPage(req, reply.code(400), views.message(t, '400', t('契約IDの形式が正しくありません。', 'Not a contract id.')));
    const back = `/contracts/${encodeURIComponent(id)}`;
    const b = bodyOf(req);
    // Only the fields that changed: an empty field is left as it is.
    const given = (k: string) => {
      const v = (b[k] ?? '').trim();
      return v === '' ? undefined : v;
    };
    const change = parseWith(contactChange, { email: given('email'), name: given('name'), contactPerson: given('contactPerson'), address: given('address'), phone: given('phone') });
    if (!change.ok) return flashAndGo(req, reply, 'err', `${t('入力が正しくありません (何も送信していません)', 'Invalid input (nothing was sent)')} — ${change.problems.join('; ')}`, back);
    const person = req.person!;
    const actor: Actor = { id: person.id, role: person.role, via: 'console' };
    const requestId = requestIdOf(req, 'contact');
    let revision: number;
    try {
      // As the CLI's `contact`: the ledger first (idempotent by request id), then the contract's update.
      revision = (await ledgerAccessOf(ledger).changeContact(requestId, id, change.value)).revision;
    } catch (err) {
      // A write the ledger refused reached no contract; the attempt is audited all the same (field names only).
      await audited(audit, { actor, contractId: id, command: 'changeContact', requestId, details: { fields: changedContactFields(change.value) }, run: () => Promise.reject(err) }).catch(() => undefined);
      if (isRefusal(err)) return flashAndGo(req, reply, 'err', `${t('台帳が拒否しました', 'Refused by the ledger')}: ${(err as Error).message}`, back);
      throw err;
    }
    return act(req, reply, 'changeContact', { contactRevision: revision }, requestId);
  });

  // ---- the month's invoices, the CSV, each invoice's document --------------------------------------

  const periodOf = (req: FastifyRequest, t: T): { ok: true; period: string } | { ok: false; text: string } => {
    const raw = ((req.query ?? {}) as Record<string, string | undefined>).period;
    // Without a period: last month, the one the latest billing run issued.
    if (raw === undefined || raw === '') return { ok: true, period: addMonths(monthOf(jstDateOf(Date.now())), -1) };
    const p = parseWith(yearMonth, raw.trim());
    return p.ok ? { ok: true, period: p.value } : { ok: false, text: `${t('請求月', 'billing month')} (period): ${p.problems.join('; ')}` };
  };
  app.get('/invoices', { config: { roles: READERS } }, async (req, reply) => {
    const t = tOf(req);
    const p = periodOf(req, t);
    if (!p.ok) return sendPage(req, reply.code(400), views.monthInvoices(ctx(req, reply), undefined), { kind: 'err', text: p.text });
    return sendPage(req, reply, views.monthInvoices(ctx(req, reply), await ledger.monthInvoices(p.period)));
  });
  app.get('/invoices.csv', { config: { roles: READERS } }, async (req, reply) => {
    const t = tOf(req);
    const p = periodOf(req, t);
    if (!p.ok) return sendPage(req, reply.code(400), views.message(t, '400', p.text));
    const csv = monthInvoicesCsv(await ledger.monthInvoices(p.period));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="invoices-${p.period}.csv"`).send(csv);
  });
  // `<YYYY-MM>` the HTML copy, `<YYYY-MM>.pdf` the PDF stored at issue (issue 17): the same readers.
  app.get('/contracts/:id/invoices/:period', async (req, reply) => {
    const id = contractIdOf(req);
    const t = tOf(req);
    const raw = (req.params as { period?: string }).period ?? '';
    const asPdf = raw.endsWith('.pdf');
    const period = parseWith(yearMonth, asPdf ? raw.slice(0, -'.pdf'.length) : raw);
    if (!id || !period.ok) return sendPage(req, reply.code(400), views.message(t, '400', !id ? t('契約IDの形式が正しくありません。', 'Not a contract id.') : `${t('請求月', 'billing month')} (period): ${period.ok ? '' : period.problems.join('; ')}`));
    if (asPdf) {
      const doc = await ledger.documents.find(id, period.value);
      if (!doc) return sendPage(req, reply.code(404), views.message(t, '404', t(`契約 ${id} の ${period.value} の請求書PDFはありません。`, `No invoice PDF of ${id} for ${period.value}.`)));
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${invoicePdfName(doc.invoiceNumber)}"`)
        .header('x-content-sha256', doc.sha256)
        .send(doc.pdf);
    }
    const stored = await ledger.findInvoice(id, period.value);
    if (!stored) return sendPage(req, reply.code(404), views.message(t, '404', t(`契約 ${id} の ${period.value} の請求書はありません。`, `No invoice of ${id} for ${period.value}.`)));
    // The issued copy as its own self-contained document (its renderer escapes every value).
    return reply.type('text/html; charset=utf-8').send(renderInvoiceHtml(stored));
  });

  // ---- audit exports -------------------------------------------------------------------------------

  const sendAuditCsv = (reply: FastifyReply, name: string, entries: AuditEntry[]) =>
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(auditCsv(entries));
  app.get('/contracts/:id/audit.csv', { config: { roles: READERS } }, async (req, reply) => {
    const id = contractIdOf(req);
    const t = tOf(req);
    if (!id) return sendPage(req, reply.code(400), views.message(t, '400', t('契約IDの形式が正しくありません。', 'Not a contract id.')));
    return sendAuditCsv(reply, `audit-${id}.csv`, await ledger.audit.every({ contractId: id }));
  });
  app.get('/audit.csv', { config: { roles: READERS } }, async (req, reply) => {
    const t = tOf(req);
    const q = (req.query ?? {}) as Record<string, string | undefined>;
    const from = parseWith(isoDate, (q.from ?? '').trim());
    const to = parseWith(isoDate, (q.to ?? '').trim());
    const problems = [...(from.ok ? [] : [`${t('開始日', 'from')} (from): ${from.problems.join('; ')}`]), ...(to.ok ? [] : [`${t('終了日', 'to')} (to): ${to.problems.join('; ')}`])];
    if (from.ok && to.ok && daysBetween(from.value, to.value) < 0) problems.push(t('終了日 (to) は開始日 (from) 以降にしてください。', 'to: must not be before from'));
    if (from.ok && to.ok && daysBetween(from.value, to.value) >= AUDIT_EXPORT_MAX_DAYS) problems.push(t(`期間 (from–to) は ${AUDIT_EXPORT_MAX_DAYS} 日以内にしてください。`, `from–to: at most ${AUDIT_EXPORT_MAX_DAYS} days`));
    if (problems.length || !from.ok || !to.ok) return sendPage(req, reply.code(400), views.message(t, '400', problems.join('; ')));
    // Days in Japan time: from 00:00 JST of `from` to 00:00 JST of the day after `to`.
    const since = new Date(startOfDayJst(from.value)).toISOString();
    const until = new Date(startOfDayJst(addDays(to.value, 1))).toISOString();
    return sendAuditCsv(reply, `audit-${from.value}-${to.value}.csv`, await ledger.audit.every({ since, until }));
  });

  // ---- people (admins) ----------------------------------------------------------------------------

  const admin = { config: { roles: ['admin'] as const } };
  const peoplePage = async (req: FastifyRequest, reply: FastifyReply, shown?: views.OneTime, flash?: { kind: 'ok' | 'err'; text: string }) =>
    sendPage(req, reply, views.people(ctx(req, reply), await people.list(), shown, sso?.issuer), flash);
  app.get('/people', admin, async (req, reply) => peoplePage(req, reply));
  app.post('/people', admin, async (req, reply) => {
    const b = bodyOf(req);
    try {
      const { person, oneTimePassword } = await people.createPerson(b.login ?? '', b.displayName ?? '', (b.role ?? '') as Role);
      // Rendered in this answer only: never stored in the session, never logged.
      return peoplePage(req, reply, { login: person.login, password: oneTimePassword });
    } catch (err) {
      if (err instanceof PersonError) return peoplePage(req, reply.code(400), undefined, { kind: 'err', text: err.message });
      throw err;
    }
  });
  app.post('/people/:pid/:op', admin, async (req, reply) => {
    const { pid, op } = req.params as { pid: string; op: string };
    const t = tOf(req);
    const target = /^u-[0-9a-f-]{36}$/.test(pid) ? await people.get(pid) : undefined;
    if (!target) return peoplePage(req, reply.code(404), undefined, { kind: 'err', text: t('その利用者はいません。', 'No such person.') });
    const self = target.id === req.person!.id;
    try {
      switch (op) {
        case 'role': {
          const role = bodyOf(req).role ?? '';
          if (!(ROLES as readonly string[]).includes(role)) throw new PersonError('role', `expected one of ${ROLES.join(', ')}`);
          if (self && role !== 'admin') throw new PersonError('role', t('自分自身の管理者権限は外せません。', 'you cannot take your own admin role away'));
          await people.setRole(target.id, role as Role);
          return peoplePage(req, reply, undefined, { kind: 'ok', text: `${target.login}: ${role}` });
        }
        case 'unlock':
          await people.unlock(target.id);
          return peoplePage(req, reply, undefined, { kind: 'ok', text: t(`${target.login} のロックを解除しました。`, `${target.login} unlocked.`) });
        case 'disable':
        case 'enable':
          if (self) throw new PersonError('person', t('自分自身は無効にできません。', 'you cannot disable yourself'));
          await people.setDisabled(target.id, op === 'disable');
          return peoplePage(req, reply, undefined, { kind: 'ok', text: `${target.login}: ${op === 'disable' ? t('無効', 'disabled') : t('有効', 'enabled')}` });
        case 'reset':
          return peoplePage(req, reply, { login: target.login, password: await people.resetPassword(target.id) });
        default:
          return peoplePage(req, reply.code(404), undefined, { kind: 'err', text: t('その操作はありません。', 'No such operation.') });
      }
    } catch (err) {
      if (err instanceof PersonError) return peoplePage(req, reply.code(400), undefined, { kind: 'err', text: err.message });
      throw err;
    }
  });

  billingRunRoutes(app, { client, audit, settings, readers: READERS, t: tOf, ctx, send: sendPage, flashAndGo, body: bodyOf });
  providerActionRoutes(app, { client, ledger, audit, settings, t: tOf, ctx, send: sendPage, flashAndGo, body: bodyOf });
  if (sso) oidcRoutes(app, { config: sso, people, t: tOf, refuse: (req, reply, status, text) => sendPage(req, reply.code(status), views.signIn(tOf(req), reply.generateCsrf(), '', sso.startUrl), { kind: 'err', text }) });

  // The codec server, behind the sign-in: its own context, so only its routes answer CORS.
  if (deps.codec) {
    const codec = deps.codec;
    await app.register(
      async (child) => {
        await child.register(cors, { origin: [...codec.allowedOrigins], credentials: true, methods: ['POST', 'OPTIONS'], allowedHeaders: ['Content-Type', 'X-Namespace', 'Authorization'], maxAge: 600 });
        codecRoutes(child, codec, { codec: true });
      },
      { prefix: '/codec' },
    );
  }
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
  return { url: `http://127.0.0.1:${port}`, app, close: () => app.close() };
}

