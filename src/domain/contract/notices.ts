/** Notices to the customer (to the latest contact, Art. 12-4), each idempotent by a business key. */
import type { IsoDate, NoticeFacts, NoticeKind } from '../types';
import type { ContractState, Effect } from './state';

/** A notice, idempotent by a business key: `contract:kind:key` (never a run id). */
export function notice(s: ContractState, kind: NoticeKind, on: IsoDate, key: string, facts: NoticeFacts = {}): Effect {
  const id = `${s.contractId}:${kind}:${key}`;
  s.notices.push({ id, kind, on });
  return { type: 'notice', id, kind, on, facts };
}
