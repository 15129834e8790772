/**
 * The codec routes the Temporal Web UI (and the `temporal` CLI's --codec-endpoint) decode payloads
 * through: the remote-codec protocol, POST /encode and POST /decode with `{"payloads": [{"metadata":
 * {key: base64}, "data": base64}]}` in and out, the namespace in the `X-Namespace` header.
 *
 * Served only by the back-office console, under /codec behind its sign-in (docs/operations.md, encryption),
 * on the same origin as the Web UI it proxies; every decode audited. There is no server without sign-in.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { AesGcmPayloadCodec, PayloadCodecError } from './codec';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

// `payloads` may be absent: Go clients (the `temporal` CLI) send `{}` for no payloads (protojson).
const bodySchema = {
  type: 'object',
  properties: {
    payloads: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          metadata: { type: 'object', additionalProperties: { type: 'string' } },
          data: { type: 'string' },
        },
      },
    },
  },
} as const;

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

/**
 * POST /decode (and /encode, refused: 403) on `app` (the console under /codec, behind its sign-in): the remote-codec
 * protocol, the namespace checked against the X-Namespace header.
 */
export function codecRoutes(
  app: FastifyInstance,
  opts: { codec: PayloadCodec; namespace: string },
  routeConfig: Record<string, unknown> = {},
  /** Runs each decode (e.g. between its audit row's attempt and outcome). */
  aroundDecode: (req: FastifyRequest, payloads: number, decode: () => Promise<Payload[]>) => Promise<Payload[]> = (_r, _n, decode) => decode(),
): void {
  for (const op of ['encode', 'decode'] as const) {
    app.post<{ Body: { payloads?: JsonPayload[] } }>(`/${op}`, { schema: { body: bodySchema }, config: routeConfig }, async (req, reply) => {
      // Encrypting is the back office's alone (docs/security.md): a payload the codec accepts is one our own
      // service sent, so this server never makes one for a caller — with it and the frontend, one could forge a command.
      // (A client encoding nothing — the `temporal` CLI's query without arguments — is answered nothing.)
      if (op === 'encode' && (req.body.payloads ?? []).length > 0)
        return reply.code(403).send({ message: 'this codec server only decodes: the back office encrypts only what it sends itself' });
      if (op === 'encode') return { payloads: [] };
      const ns = req.headers['x-namespace'];
      if (typeof ns === 'string' && ns !== '' && ns !== opts.namespace)
        return reply.code(403).send({ message: `this codec server serves namespace '${opts.namespace}', not '${ns}'` });
      try {
        const payloads = (req.body.payloads ?? []).map(fromJson);
        // Shown as stored: a plaintext payload (a raw client's, which the worker refused) unchanged.
        const decode = (p: Payload[]) => (opts.codec instanceof AesGcmPayloadCodec ? opts.codec.decodeForDisplay(p) : opts.codec.decode(p));
        const out = await aroundDecode(req, payloads.length, () => decode(payloads));
        return { payloads: out.map(toJson) };
      } catch (err) {
        // Never echo a payload back: the codec's own message names the key id only.
        if (err instanceof PayloadCodecError) return reply.code(400).send({ message: err.message });
        throw err;
      }
    });
  }
}
