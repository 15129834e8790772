/**
 * The codec server behind the console's sign-in: POST /codec/decode answers only a
 * signed-in person. The console's door for the Web UI serves them on the UI's origin too (web-ui-proxy.ts),
 * so its calls are same-origin; CORS only for the origins CODEC_CORS_ORIGINS names (a Web UI served elsewhere). Every decode
 * leaves an audit row: who, how many payloads, the namespace, and the workflow the UI's page shows (its
 * Referer: the UI sends no workflow id of its own). Its own context, so only its routes answer CORS.
 */
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import type { PayloadCodec } from '@temporalio/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { audited } from '../backoffice/command-path';
import type { AuditAccess } from '../backoffice/ledger-client';
import { codecRoutes } from '../infra/codec-server';

export interface CodecDeps {
  codec: PayloadCodec;
  namespace: string;
  /** Other origins allowed to call the codec with credentials (CORS); none for the proxied Web UI. */
  allowedOrigins: readonly string[];
}

const CONTRACT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** What the Referer says the decode was for: the page's path, and the workflow id in it, if any. */
export function decodedFor(req: FastifyRequest): { page: string | null; workflowId: string | null } {
  let path: string;
  try {
    path = new URL(req.headers.referer ?? '').pathname;
  } catch {
    return { page: null, workflowId: null };
  }
  const segments = path.split('/');
  const at = segments.indexOf('workflows');
  let id: string | null = null;
  try {
    id = at >= 0 && segments[at + 1] ? decodeURIComponent(segments[at + 1]!) : null;
  } catch {
    id = null;
  }
  return { page: path.slice(0, 300), workflowId: id && CONTRACT_ID.test(id) ? id : null };
}

export async function registerCodec(app: FastifyInstance, codec: CodecDeps & { audit: AuditAccess }): Promise<void> {
  await app.register(
    async (child) => {
      await child.register(cors, {
        origin: [...codec.allowedOrigins],
        credentials: true,
        methods: ['POST', 'OPTIONS'],
        allowedHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
        maxAge: 600,
      });
      codecRoutes(child, codec, { codec: true }, (req, payloads, decode) => {
        const person = req.person!; // the codec's routes answer signed-in people only (app.ts)
        const { page, workflowId } = decodedFor(req);
        const ns = req.headers['x-namespace'];
        return audited(codec.audit, {
          actor: { id: person.id, role: person.role, via: 'console' },
          contractId: workflowId,
          command: 'codecDecode',
          requestId: `codec:${randomUUID()}`,
          details: { payloads, namespace: typeof ns === 'string' && ns ? ns.slice(0, 100) : codec.namespace, page },
          run: decode,
          summary: () => `${payloads} payload(s) decoded`,
        });
      });
    },
    { prefix: '/codec' },
  );
}
