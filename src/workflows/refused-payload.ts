/**
 * What the payload codec hands a workflow in place of a payload it refuses (not encrypted with one of our
 * keys, or altered; src/infra/codec.ts): a value no command, start or signal can be, saying why. The
 * codec never throws for these in a worker: a throw fails the whole workflow task, again and again, and
 * wedges the contract; this value is refused by the code that reads it (start.ts, handlers.ts) instead.
 */
export const REFUSED_PAYLOAD = 'neutrix:refusedPayload';

/** Why the codec refused the payload this value stands for, or undefined for any other value. */
export function refusedPayloadReason(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const reason = (value as Record<string, unknown>)[REFUSED_PAYLOAD];
  return typeof reason === 'string' ? reason : undefined;
}
