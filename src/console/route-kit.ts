/**
 * What every route module of the console shares: the request's person and language, the page and flash
 * helpers app.ts builds, the roles, and reading a form, a contract id and a request id.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../domain/actor';
import { contractId as contractIdSchema, parseWith } from '../domain/validation';
import type { Html, Lang, T } from './html';
import type { Person } from '../backoffice/people';
import type { Ctx } from './views';

declare module 'fastify' {
  interface Session {
    personId?: string;
    lang?: Lang;
    flash?: { kind: 'ok' | 'err'; text: string };
    /** The last search by customer name or e-mail: personal data, so kept here and never in a URL. */
    customerSearch?: { name: string; email: string };
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

export type Flash = { kind: 'ok' | 'err'; text: string };
export type Content = { title: string; body: Html; refreshSeconds?: number; wide?: boolean };

/** The helpers app.ts gives each route module. */
export interface RouteKit {
  t(req: FastifyRequest): T;
  /** The reader's language (the session's; Japanese by default). */
  lang(req: FastifyRequest): Lang;
  ctx(req: FastifyRequest, reply: FastifyReply): Ctx;
  send(req: FastifyRequest, reply: FastifyReply, content: Content, flash?: Flash): FastifyReply;
  flashAndGo(req: FastifyRequest, reply: FastifyReply, kind: 'ok' | 'err', text: string, to: string): FastifyReply;
  body(req: FastifyRequest): Record<string, string | undefined>;
}

/** Who changes a contract through the console: an admin manages people, a viewer reads. */
export const CONTRACT_ACTORS: readonly Role[] = ['clerk', 'supervisor'];
/** Who may read the accounting pages and the audit exports (a viewer reads audit and accounting). */
export const READERS: readonly Role[] = ['viewer', 'clerk', 'supervisor', 'admin'];

type Body = Record<string, string | undefined>;
export const bodyOf = (req: FastifyRequest): Body => {
  const b = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : undefined]));
};

export function contractIdOf(req: FastifyRequest): string | undefined {
  const r = parseWith(contractIdSchema, (req.params as { id?: string }).id);
  return r.ok ? r.value : undefined;
}

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9:_-]{7,127}$/;
export const newRequestId = (prefix: string) => `${prefix}-${randomUUID()}`;
/** The form's request id when it is one, else a new one: a resent form takes effect once. */
export const requestIdOf = (req: FastifyRequest, name: string) => {
  const given = bodyOf(req).requestId;
  return given && REQUEST_ID.test(given) ? given : newRequestId(name);
};
/** The request id a GET form carried to its confirmation page, when it is one, else a new one. */
export const queryRequestId = (req: FastifyRequest, name: string) => {
  const given = ((req.query ?? {}) as Record<string, unknown>).requestId;
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : newRequestId(name);
};
