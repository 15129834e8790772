/**
 * The codec server the Temporal Web UI (and the `temporal` CLI's --codec-endpoint) decode payloads
 * through: the remote-codec protocol, POST /encode and POST /decode with `{"payloads": [{"metadata":
 * {key: base64}, "data": base64}]}` in and out, the namespace in the `X-Namespace` header.
 *
 * Listens on 127.0.0.1 only; CORS lets only the Web UI's origin(s) call it, with credentials. Anyone who
 * can reach the port can decrypt: sign-in comes with the back-office console (design notes, Encryption).
 */
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { PayloadCodecError } from './codec';

export interface CodecServer {
  url: string;
  /** The address the socket is bound to (always 127.0.0.1). */
  boundAddress: string;
  close(): Promise<void>;
}

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

/** The Fastify app (not listening): tests may `inject` into it. */
export async function codecApp(opts: { codec: PayloadCodec; namespace: string; allowedOrigins: readonly string[] }): Promise<FastifyInstance> {
  // Histories are decoded a page at a time; a payload may be up to 2 MB.
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });
  await app.register(cors, {
    origin: [...opts.allowedOrigins],
    credentials: true,
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
    maxAge: 600,
  });
  // Never echo a payload or a body back in an error.
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err instanceof PayloadCodecError) return reply.code(400).send({ message: err.message });
    const status = err.statusCode ?? 500;
    const message = status >= 500 ? 'codec server error' : err.code === 'FST_ERR_VALIDATION' ? 'expected {"payloads": [{"metadata": {…}, "data": "…"}]}' : err.message;
    return reply.code(status).send({ message });
  });
  codecRoutes(app, opts);
  return app;
}

/**
 * POST /encode and /decode on `app` (the standalone server above, or the console under /codec, behind its
 * sign-in): the remote-codec protocol, the namespace checked against the X-Namespace header.
 */
export function codecRoutes(app: FastifyInstance, opts: { codec: PayloadCodec; namespace: string }, routeConfig: Record<string, unknown> = {}): void {
  for (const op of ['encode', 'decode'] as const) {
    app.post<{ Body: { payloads?: JsonPayload[] } }>(`/${op}`, { schema: { body: bodySchema }, config: routeConfig }, async (req, reply) => {
      const ns = req.headers['x-namespace'];
      if (typeof ns === 'string' && ns !== '' && ns !== opts.namespace)
        return reply.code(403).send({ message: `this codec server serves namespace '${opts.namespace}', not '${ns}'` });
      try {
        const payloads = (req.body.payloads ?? []).map(fromJson);
        const out = op === 'encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads);
        return { payloads: out.map(toJson) };
      } catch (err) {
        // Never echo a payload back: the codec's own message names the key id only.
        if (err instanceof PayloadCodecError) return reply.code(400).send({ message: err.message });
        throw err;
      }
    });
  }
}

/** Start the codec server on 127.0.0.1:`port` (0: any free port, see `url`). */
export async function startCodecServer(opts: { port: number; codec: PayloadCodec; namespace: string; allowedOrigins: readonly string[] }): Promise<CodecServer> {
  const app = await codecApp(opts);
  try {
    await app.listen({ host: '127.0.0.1', port: opts.port });
  } catch (err) {
    await app.close().catch(() => undefined);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(`port ${opts.port} on 127.0.0.1 is already in use: is another codec server running?`);
    throw err;
  }
  let closed: Promise<void> | undefined;
  const { port, address } = app.server.address() as { port: number; address: string };
  return {
    url: `http://127.0.0.1:${port}`,
    boundAddress: address,
    close: () => (closed ??= app.close()),
  };
}

/** The origins of the embedded Web UI (the browser may show it as localhost or 127.0.0.1). */
export const embeddedUiOrigins = (uiPort: number) => [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`];
