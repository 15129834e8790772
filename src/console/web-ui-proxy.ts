/**
 * The Temporal Web UI behind the console's sign-in. The embedded UI listens on 127.0.0.1 on a port only
 * the console knows; the console opens the Web UI's door (TEMPORAL_UI_PORT, 127.0.0.1) and hands every
 * request there to its own routes — the Host check, the session and the roles apply — under /temporal/…
 * (forwarded to the UI with @fastify/reply-from), but /codec/… (the console's codec, on the UI's origin).
 * The UI sits at its origin's root: under a public path (--ui-public-path) UI 2.54 cannot render markdown.
 * The embedded UI has no `disableWriteActions` setting, so writes stop here: GET passes, and the one POST
 * it reads with (a query: the UI runs one for a workflow's current details); anything else answers 403.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import replyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { READERS } from './route-kit';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The Web UI's routes: only through its door; its own CSRF header guards its POSTs, not the console's form token. */
    webUi?: boolean;
  }
}

export interface WebUiDeps {
  /** The door browsers open, on 127.0.0.1 (TEMPORAL_UI_PORT). */
  port: number;
  /** The embedded Web UI's own listener on 127.0.0.1. */
  upstreamPort: number;
}

const PREFIX = '/temporal';
const THROUGH_DOOR = Symbol('through the Web UI door');
const QUERY_PATH = `${PREFIX}/api/v1/namespaces/:namespace/workflows/:workflowId/query/:queryType`;

/** Only the UI's own CSRF cookie goes upstream: the console's session cookie stays in the console. */
function upstreamHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept = (headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c.startsWith('_csrf='));
  const { cookie: _dropped, ...rest } = headers;
  return kept.length > 0 ? { ...rest, cookie: kept.join('; ') } : rest;
}

export async function registerWebUi(app: FastifyInstance, ui: WebUiDeps): Promise<void> {
  const consolePort = () => {
    const a = app.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  };
  await app.register(async (child) => {
    await child.register(replyFrom, { base: `http://127.0.0.1:${ui.upstreamPort}`, http: { requestOptions: { timeout: 90_000 } } });
    // The console's headers forbid scripts and frames; the UI needs its own scripts, styles and frames
    // (its markdown renders in a same-origin frame). Same origin only; the Referer stays on this origin
    // (the codec's audit reads the page's path from it).
    child.addHook('onSend', async (_req, reply, payload) => {
      reply.header(
        'content-security-policy',
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self'",
      );
      reply.header('x-frame-options', 'SAMEORIGIN');
      reply.header('referrer-policy', 'same-origin');
      return payload;
    });
    // The session is read by the console's hook (`public`: it does not redirect to a path of this origin).
    child.addHook('preHandler', async (req, reply) => {
      if (!(req.raw as IncomingMessage & { [THROUGH_DOOR]?: boolean })[THROUGH_DOOR]) return reply.callNotFound();
      const signIn = `http://${new URL(`http://${req.headers.host}`).hostname}:${consolePort()}`;
      if (!req.person)
        return reply
          .code(req.method === 'GET' ? 303 : 401)
          .header('location', `${signIn}/sign-in`)
          .send();
      if (req.person.mustChangePassword && req.session.signedInBy !== 'oidc') return reply.code(303).header('location', `${signIn}/password`).send();
      if (!READERS.includes(req.person.role)) return reply.code(403).send({ message: 'your role may not open the Web UI' });
    });
    const forward = (req: FastifyRequest, reply: FastifyReply) =>
      reply.from(req.url.slice(PREFIX.length) || '/', { rewriteRequestHeaders: (_req, headers) => upstreamHeaders(headers) });
    const config = { public: true, webUi: true };
    child.get(`${PREFIX}/*`, { config }, forward);
    child.post(QUERY_PATH, { config }, forward);
    child.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE'],
      url: `${PREFIX}/*`,
      config,
      handler: (_req, reply) => reply.code(403).send({ message: 'the Web UI is read-only here: act on contracts through the console or the neutrix CLI' }),
    });
  });

  // The door: its requests go through the console's own routing, the UI's paths under PREFIX.
  const door = createServer((req, res) => {
    const url = req.url ?? '/';
    req.url = url.startsWith('/codec/') ? url : `${PREFIX}${url.startsWith('/') ? url : `/${url}`}`;
    (req as IncomingMessage & { [THROUGH_DOOR]?: boolean })[THROUGH_DOOR] = true;
    app.routing(req, res);
  });
  app.addHook('onReady', async () => {
    await new Promise<void>((resolve, reject) => {
      door.once('error', reject);
      door.listen(ui.port, '127.0.0.1', () => resolve());
    });
  });
  app.addHook('onClose', async () => {
    door.closeAllConnections();
    await new Promise<void>((resolve) => door.close(() => resolve()));
  });
}
