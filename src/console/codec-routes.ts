/**
 * The codec server behind the console's sign-in: POST /codec/encode and /codec/decode answer only a
 * signed-in person's browser; CORS lets the Web UI's origins call them with credentials (the Web UI's
 * codec setting "Include cross-origin credentials"). Its own context, so only its routes answer CORS.
 */
import cors from '@fastify/cors';
import type { PayloadCodec } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { codecRoutes } from '../infra/codec-server';

export interface CodecDeps {
  codec: PayloadCodec;
  namespace: string;
  allowedOrigins: readonly string[];
}

export async function registerCodec(app: FastifyInstance, codec: CodecDeps): Promise<void> {
  await app.register(
    async (child) => {
      await child.register(cors, {
        origin: [...codec.allowedOrigins],
        credentials: true,
        methods: ['POST', 'OPTIONS'],
        allowedHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
        maxAge: 600,
      });
      codecRoutes(child, codec, { codec: true });
    },
    { prefix: '/codec' },
  );
}
