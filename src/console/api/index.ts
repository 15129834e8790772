/**
 * The back office's HTTP API (/api/v1), served by the console's process: every call is authenticated by a
 * personal API token (the person and their role, never what the caller says), its input checked against the
 * route's schemas (each problem naming its field), and every command sent through the back office's command
 * path (audited, four eyes). The CLI is its first client; integrations come the same way.
 */
import type { OnApprovalAsked } from '../../backoffice/approval-mail';
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiTokens } from '../../backoffice/api-tokens';
import type { LedgerAccess } from '../../backoffice/ledger-client';
import type { Ledger } from '../../backoffice/ledger-records';
import { describeIssues } from '../../domain/validation';
import { bankApi } from './bank-api';
import { contractApi } from './contract-api';
import { ApiError, sendError } from './kit';
import { openApiDocument } from './openapi';
import { API_PREFIX, type ApiInput, type ApiRoute } from './route-table';
import { receivablesApi } from './receivables-api';
import { runApi } from './run-api';

export { API_PREFIX } from './route-table';

/** A command's body is small; a larger one is refused before anything reads it. */
export const API_BODY_LIMIT = 64 * 1024;

export interface ApiDeps {
  client: Client;
  ledger: Ledger;
  ledgerAccess: LedgerAccess;
  taskQueue: string;
  billingConcurrency: number;
  /** VIRTUAL_ACCOUNT_RANGE: the provider's virtual accounts. */
  virtualAccountRange: string;
  /** The supervisors' mail when a four-eyes request is asked (src/backoffice/approval-mail.ts). */
  onApprovalAsked?: OnApprovalAsked | undefined;
}

function inputOf(route: ApiRoute, req: FastifyRequest): ApiInput {
  const problems: string[] = [];
  const parse = (schema: unknown, value: unknown, prefix: string) => {
    if (!schema) return value;
    const r = (schema as import('zod').ZodType).safeParse(value ?? {});
    if (r.success) return r.data;
    problems.push(...describeIssues(r.error, prefix));
    return undefined;
  };
  const params = parse(route.params, req.params, '') as Record<string, string>;
  const query = parse(route.query, req.query, '') as Record<string, unknown>;
  const body = route.body ? parse(route.body, req.body, '') : undefined;
  if (route.body && (req.body === undefined || req.body === null))
    throw new ApiError(422, 'invalid-input', 'a JSON body is required', { problems: ['(body): required'] });
  if (problems.length) throw new ApiError(422, 'invalid-input', 'the input is not valid; nothing was sent', { problems });
  return { params: params ?? {}, query: query ?? {}, body };
}

export function apiRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    ...runApi({
      client: deps.client,
      ledger: deps.ledgerAccess,
      taskQueue: deps.taskQueue,
      billingConcurrency: deps.billingConcurrency,
      onApprovalAsked: deps.onApprovalAsked,
    }),
    ...contractApi({ client: deps.client, ledger: deps.ledgerAccess, taskQueue: deps.taskQueue, onApprovalAsked: deps.onApprovalAsked }),
    ...bankApi({ client: deps.client, ledger: deps.ledger, audit: deps.ledgerAccess.audit, onApprovalAsked: deps.onApprovalAsked }),
    ...receivablesApi({ ledger: deps.ledger, audit: deps.ledgerAccess.audit, virtualAccountRange: deps.virtualAccountRange }),
  ];
}

export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const tokens = new ApiTokens(deps.ledger.apiTokens, deps.ledger.people, deps.ledgerAccess.audit);
  const routes = apiRoutes(deps);
  const document = openApiDocument(routes);
  app.decorateRequest('apiCaller', null);
  await app.register(
    async (api) => {
      api.setErrorHandler((err, req, reply) => sendError(req, reply, err));
      api.setNotFoundHandler((req, reply) => sendError(req, reply, new ApiError(404, 'not-found', `no route ${req.method} ${req.url.split('?')[0]}`)));
      api.get('/openapi.json', { config: { api: true, public: true } }, async () => document);
      api.addHook('preHandler', async (req) => {
        if (req.routeOptions.config?.public) return;
        const header = req.headers.authorization ?? '';
        const m = /^Bearer (\S+)$/.exec(header);
        const caller = m ? await tokens.authenticate(m[1]!) : undefined;
        if (!caller) throw new ApiError(401, 'unauthenticated', 'a valid personal API token is needed (Authorization: Bearer ntx_…; made on the People page)');
        req.apiCaller = caller;
      });
      for (const route of routes)
        api.route({
          method: route.method,
          url: route.path,
          config: { api: true },
          ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
          handler: async (req, reply) => {
            if (!route.roles.includes(req.apiCaller!.person.role))
              throw new ApiError(
                403,
                'forbidden',
                `${route.operationId} needs the role ${route.roles.join(' or ')}; ${req.apiCaller!.person.login} is ${req.apiCaller!.person.role}`,
              );
            const answer = await route.handler(req, inputOf(route, req), reply);
            return reply.sent ? reply : answer;
          },
        });
    },
    { prefix: API_PREFIX },
  );
}
