/**
 * The HTTP API's routes as data: method, path, who may call, and zod schemas of the path, the query and the
 * body. The same table registers the Fastify routes (each input checked before the handler runs, a problem
 * naming its field) and writes the OpenAPI document (openapi.ts): one source for what the API accepts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Role } from '../../domain/actor';

export interface ApiInput {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT';
  /** Fastify's form, under /api/v1: `/contracts/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** Who may call; the contract itself still decides what each role may ask (its validator). */
  roles: readonly Role[];
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** A larger body than the API's 64 KiB (a bank file). */
  bodyLimit?: number;
  /** What a success answers, for the document: JSON unless said. */
  produces?: 'application/json' | 'application/pdf' | 'text/csv';
  handler(req: FastifyRequest, input: ApiInput, reply: FastifyReply): Promise<unknown>;
}

export const API_PREFIX = '/api/v1';
