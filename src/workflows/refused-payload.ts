/**
 * What the payload codec hands a workflow in place of a payload it refuses (src/infra/codec.ts,
 * operations.md#encryption): a value no command, start or signal can be, saying why. The codec never throws
 * for these in a worker: a throw fails the whole workflow task, again and again, and wedges the contract;
 * this value is refused by the code that reads it (start.ts, handlers.ts, the bulk runs) instead.
 */
export const REFUSED_PAYLOAD = 'neutrix:refusedPayload';

export interface RefusedPayload {
  /** Why, never what it held. */
  reason: string;
  /**
   * Not encrypted at all: never one of ours. Otherwise it claims one of our key ids and fails authentication
   * — altered, or ours read with the wrong key material (a misconfigured worker), so a start or a
   * command accepted before waits (its task retried) rather than fail for good.
   */
  plaintext: boolean;
}

/** The refusal this value stands for, or undefined for any other value. */
export function refusedPayloadOf(value: unknown): RefusedPayload | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = (value as Record<string, unknown>)[REFUSED_PAYLOAD] as Partial<RefusedPayload> | undefined;
  return typeof r?.reason === 'string' && typeof r.plaintext === 'boolean' ? { reason: r.reason, plaintext: r.plaintext } : undefined;
}
