/**
 * The OpenAPI 3.1 document of the HTTP API, written from the route table (route-table.ts): each route's
 * path, query and body as JSON Schema (zod's own conversion), who may call it, and the error body every
 * refusal shares. Served at /api/v1/openapi.json, so a client is generated from what the server checks.
 */
import { z } from 'zod';
import { API_PREFIX, type ApiRoute } from './route-table';

type Json = Record<string, unknown>;

const schemaOf = (s: z.ZodType): Json => {
  const { $schema: _s, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
};

function parameters(route: ApiRoute): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const s = schemaOf(schema) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, p] of Object.entries(s.properties ?? {}))
      out.push({ name, in: where, required: where === 'path' || (s.required ?? []).includes(name), schema: p });
  }
  return out;
}

const ERROR_BODY: Json = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['status', 'code', 'message'],
      properties: {
        status: { type: 'integer' },
        code: {
          type: 'string',
          enum: ['invalid-input', 'unauthenticated', 'forbidden', 'not-found', 'refused', 'same-amount', 'too-large', 'unavailable', 'internal'],
        },
        message: { type: 'string' },
        problems: { type: 'array', items: { type: 'string' }, description: 'invalid-input: one "field: reason" per problem' },
        rule: { type: ['string', 'null'], description: 'refused: the article (第N条) or decision (D-n)' },
        reason: {
          type: 'object',
          description:
            "refused by a rule of the contract: the message catalogue's code and its facts (`message` is its text, in Japanese when the request's Accept-Language prefers ja)",
          properties: { code: { type: 'string' }, facts: { type: 'object' } },
        },
      },
    },
  },
};
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function openApiDocument(routes: readonly ApiRoute[]): Json {
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    const path = `${API_PREFIX}${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    const produces = r.produces ?? 'application/json';
    paths[path] ??= {};
    paths[path]![r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      description: `Roles: ${r.roles.join(', ')}.`,
      tags: [r.tag],
      parameters: parameters(r),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.body) } } } } : {}),
      responses: {
        200: {
          description: 'done',
          content: { [produces]: produces === 'application/json' ? { schema: {} } : { schema: { type: 'string', format: 'binary' } } },
        },
        401: errorResponse('no token, or one that is unknown, expired or revoked'),
        403: errorResponse("the token's person may not call this"),
        404: errorResponse('no such contract, invoice or run'),
        409: errorResponse('refused by the contract or a rule of the back office; nothing changed'),
        422: errorResponse('the input is not valid (each problem names its field); nothing was sent'),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Neutrix Cloud back office',
      version: '1',
      description:
        'The one door for every command (docs/security.md): each call acts as the person of its personal API token, is checked, audited, and sent to the contract. Commands carry a requestId: repeating one with the same id takes effect once.',
    },
    servers: [{ url: '/' }],
    security: [{ token: [] }],
    components: {
      securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'a personal API token: ntx_<id>_<secret>' } },
      schemas: { Error: ERROR_BODY },
    },
    paths,
  };
}
