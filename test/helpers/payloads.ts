/** Every Payload in a raw history (or any proto object), with where it sits and its encoding. */
import type { temporal } from '@temporalio/proto';

export interface FoundPayload {
  /** e.g. `events[3](WORKFLOW_EXECUTION_STARTED).workflowExecutionStartedEventAttributes.input.payloads[0]` */
  path: string;
  encoding: string;
  keyId?: string;
}

const text = (v: unknown) =>
  v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : '';

function isPayload(o: Record<string, unknown>): boolean {
  const m = o.metadata as Record<string, unknown> | null | undefined;
  return !!m && typeof m === 'object' && 'encoding' in m && (m.encoding instanceof Uint8Array || typeof m.encoding === 'string');
}

/**
 * Walks `root` and lists each payload. Search attributes are skipped: Temporal indexes them, so they are
 * plaintext by design (docs/operations.md, Encryption).
 */
export function payloadsIn(root: unknown, eventTypeName?: (t: number | string | null | undefined) => string): FoundPayload[] {
  const out: FoundPayload[] = [];
  const walk = (v: unknown, path: string) => {
    if (!v || typeof v !== 'object' || v instanceof Uint8Array) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        const label = eventTypeName && path === 'events' && x && typeof x === 'object' ? `(${eventTypeName((x as { eventType?: number }).eventType)})` : '';
        walk(x, `${path}[${i}]${label}`);
      });
      return;
    }
    const o = v as Record<string, unknown>;
    if (isPayload(o)) {
      const m = o.metadata as Record<string, unknown>;
      out.push({ path, encoding: text(m.encoding), ...(m['encryption-key-id'] ? { keyId: text(m['encryption-key-id']) } : {}) });
      return;
    }
    for (const [k, child] of Object.entries(o)) {
      if (k === 'searchAttributes') continue;
      walk(child, path ? `${path}.${k}` : k);
    }
  };
  walk(root, '');
  return out;
}

export type History = temporal.api.history.v1.IHistory;
