/**
 * The Host header check, before anything else: the console (and the Web UI's door) answers only to its own
 * names — localhost, 127.0.0.1 and [::1] with the port the request came in on, the host of
 * OIDC_REDIRECT_URI, CONSOLE_HOSTS — so a page elsewhere that points its own name at 127.0.0.1 (DNS
 * rebinding) gets 421 and reaches nothing: no page, no session, no codec, no Web UI.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Settings } from '../settings';

export function consoleHosts(settings: Settings, port: number): Set<string> {
  const names = [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, ...(settings.CONSOLE_HOSTS ?? [])];
  if (settings.OIDC_REDIRECT_URI) names.push(new URL(settings.OIDC_REDIRECT_URI).host);
  return new Set(names.map((n) => n.toLowerCase()));
}

/** An onRequest hook refusing any other Host: 400 without one, 421 (Misdirected Request) with another. */
export function hostCheck(settings: Settings) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const host = req.headers.host?.toLowerCase();
    if (!host) return reply.code(400).type('text/plain; charset=utf-8').send('a Host header is required');
    if (!consoleHosts(settings, req.socket.localPort ?? 0).has(host))
      return reply
        .code(421)
        .type('text/plain; charset=utf-8')
        .send(`this console does not answer to the host ${JSON.stringify(host).slice(0, 100)}`);
  };
}
