/**
 * What the HTTP API's routes share: who calls (the person a personal API token names), the actor a command
 * carries, and one mapping from every way a command can fail to a status and a JSON body that names the
 * field or the rule — so a script, the CLI and a person at the console read the same reasons.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiTokenRecord } from '../../backoffice/api-tokens';
import { EdgeRefusal, isRefusal, messageOf } from '../../backoffice/command-path';
import { ApplicationRefused } from '../../backoffice/commands/apply';
import { InvalidCommand, SameAmountPaid } from '../../backoffice/commands/contract-command';
import { LedgerRefusal } from '../../backoffice/ledger-client';
import { ProviderActionRefused } from '../../backoffice/provider-actions';
import type { Person } from '../../backoffice/people';
import type { ApiErrorBody as ApiError_ } from '../../backoffice/api-error';
import type { Actor } from '../../domain/actor';
import { refusalIn, type Lang } from '../../domain/messages';
import { refusalOf } from '../contract-words';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API's caller: the person a valid token names, and the token. */
    apiCaller: { person: Person; token: ApiTokenRecord } | null;
  }
  interface FastifyContextConfig {
    /** A route of the HTTP API (src/console/api): a bearer token, JSON answers, no session or CSRF form token. */
    api?: boolean;
  }
}

/** The body of every answer that is not a success. */
export interface ApiErrorBody {
  error: ApiError_;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const actorOf = (req: FastifyRequest): Actor => ({ id: req.apiCaller!.person.id, role: req.apiCaller!.person.role, via: 'api' });

export const notFound = (what: string) => new ApiError(404, 'not-found', what);

/** The caller's language: Japanese when Accept-Language puts ja first, else English (the API's default). */
export const langOf = (req: FastifyRequest): Lang => (/^\s*ja\b/i.test(req.headers['accept-language'] ?? '') ? 'ja' : 'en');

/** The answer for `err`: a known refusal with its reason (in `lang`), else 500 without details (logged). */
export function errorBody(err: unknown, lang: Lang = 'en'): ApiErrorBody {
  const e = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): ApiErrorBody => ({
    error: { status, code, message, ...extra },
  });
  if (err instanceof ApiError) return e(err.status, err.code, err.message, err.extra);
  if (err instanceof InvalidCommand) return e(422, 'invalid-input', 'the input is not valid; nothing was sent', { problems: err.problems });
  // A provider-wide action's own rules (D-17, D-18, four eyes) refuse it; a wrong field of its file is invalid input.
  const refusal = refusalOf(err);
  const refused = (r: NonNullable<typeof refusal>) =>
    e(409, 'refused', (r.code && r.facts && refusalIn(lang, r.code, r.facts)) || r.message || messageOf(err), {
      rule: r.rule ?? null,
      ...(r.code ? { reason: { code: r.code, facts: r.facts } } : {}),
    });
  if (err instanceof ProviderActionRefused && !/^(input|command|\(input\))/.test(err.field)) return e(409, 'refused', err.message, { rule: null });
  if (err instanceof EdgeRefusal) return e(422, 'invalid-input', err.message, { problems: [`${err.field}: ${err.reason}`] });
  if (err instanceof SameAmountPaid) return e(409, 'same-amount', err.message, { earlier: err.earlier });
  if (err instanceof ApplicationRefused) return e(409, 'refused', err.message, { rule: err.rule });
  if (err instanceof WorkflowNotFoundError && /already completed/i.test(err.message))
    return e(
      409,
      'refused',
      "the contract's workflow is closed (ended by the terms, or terminated by the server: neutrix show says which); nothing can change it any more",
      {
        rule: null,
      },
    );
  if (err instanceof WorkflowNotFoundError) return e(404, 'not-found', `no contract or run ${err.workflowId ?? ''}`.trim());
  const cause = err instanceof WorkflowUpdateFailedError ? (err.cause ?? err) : err;
  if (cause instanceof ApplicationFailure && cause.type === 'InvalidCommand') return e(422, 'invalid-input', cause.message, { problems: [cause.message] });
  if (cause instanceof ApplicationFailure && cause.type === 'Refused') return refusal ? refused(refusal) : e(409, 'refused', cause.message, { rule: null });
  if (cause instanceof LedgerRefusal || isRefusal(err)) return e(409, 'refused', (cause as Error).message, { rule: null });
  const status = (err as { statusCode?: number }).statusCode;
  if (status === 413) return e(413, 'too-large', 'the request body is larger than the API accepts');
  if (status && status >= 400 && status < 500) return e(status, 'invalid-input', (err as Error).message, { problems: [(err as Error).message] });
  return e(500, 'internal', 'something went wrong; if it was a command, it may or may not have taken effect — repeat it with the same request id');
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const body = errorBody(err, langOf(req));
  if (body.error.status >= 500) console.error(`api: ${req.method} ${req.routeOptions.url ?? req.url}: ${(err as Error)?.message ?? String(err)}`);
  if (body.error.status === 401) reply.header('www-authenticate', 'Bearer realm="neutrix"');
  return reply.code(body.error.status).type('application/json; charset=utf-8').send(body);
}
