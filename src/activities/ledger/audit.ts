/**
 * The audit trail: every command attempted through the console or the CLI — who, when, which
 * contract, what, the request id — written before it is sent, and how it ended, written once. The
 * database refuses any other change (migration 4), so the trail is append-only whoever holds the ledger.
 */
import type { Actor } from '../../domain/actor';
import { actor as actorSchema } from '../../domain/validation';
import { FAILURE_TYPES, classifyDbError, nonRetryable, parseOrFail } from '../errors';
import { instant, num, type Sql } from './db';

export type AuditOutcome = 'pending' | 'accepted' | 'refused' | 'failed';

export interface AuditEntry {
  id: number;
  at: string;
  actor: Actor;
  contractId: string | null;
  command: string;
  requestId: string;
  details: Record<string, unknown>;
  outcome: AuditOutcome;
  message: string | null;
  decidedAt: string | null;
}

export interface AuditAttempt {
  actor: Actor;
  contractId: string | null;
  command: string;
  requestId: string;
  /** The command's input as sent to the contract: ids and figures only, never a contact detail. */
  details?: Record<string, unknown>;
}

type Row = Record<string, unknown>;
const COLUMNS = 'id, at, actor_id, actor_role, via, contract_id, command, request_id, details, outcome, message, decided_at';

function entryOf(r: Row): AuditEntry {
  return {
    id: num(r.id),
    at: instant(r.at) ?? '',
    actor: { id: String(r.actor_id), role: String(r.actor_role) as Actor['role'], via: String(r.via) as Actor['via'] },
    contractId: r.contract_id === null || r.contract_id === undefined ? null : String(r.contract_id),
    command: String(r.command),
    requestId: String(r.request_id),
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : (r.details ?? {})) as Record<string, unknown>,
    outcome: String(r.outcome) as AuditOutcome,
    message: r.message === null || r.message === undefined ? null : String(r.message),
    decidedAt: instant(r.decided_at),
  };
}

const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (err) {
    throw classifyDbError(err);
  }
};

export class AuditTrail {
  constructor(private readonly db: Sql) {}

  /** Records an attempt before it is sent; answers its row id. */
  async attempt(a: AuditAttempt): Promise<number> {
    const actor = parseOrFail(actorSchema, a?.actor, FAILURE_TYPES.auditRefused, 'actor');
    if (typeof a.command !== 'string' || !/^[a-zA-Z][a-zA-Z -]{0,63}$/.test(a.command))
      throw nonRetryable(FAILURE_TYPES.auditRefused, 'command: expected a command name');
    if (typeof a.requestId !== 'string' || a.requestId.length < 1 || a.requestId.length > 128)
      throw nonRetryable(FAILURE_TYPES.auditRefused, 'requestId: expected 1–128 characters');
    const r = await guarded(() =>
      this.db.query<Row>(
        `INSERT INTO audit_trail (actor_id, actor_role, via, contract_id, command, request_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id`,
        [actor.id, actor.role, actor.via, a.contractId ?? null, a.command, a.requestId, JSON.stringify(a.details ?? {})],
      ),
    );
    return num(r.rows[0]!.id);
  }

  /** Records how an attempt ended, once. */
  async decide(id: number, outcome: Exclude<AuditOutcome, 'pending'>, message: string | null): Promise<void> {
    await guarded(() =>
      this.db.query(`UPDATE audit_trail SET outcome = $2, message = $3, decided_at = now() WHERE id = $1 AND outcome = 'pending'`, [
        id,
        outcome,
        message === null ? null : message.slice(0, 2000),
      ]),
    );
  }

  /**
   * Newest first; of one contract, or of everyone; at most `limit`, before row `before` (for paging);
   * `since` (inclusive) and `until` (exclusive), instants, bound when the attempt was made.
   */
  async list(filter: { contractId?: string; actorId?: string; limit?: number; before?: number; since?: string; until?: string } = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.contractId !== undefined) where.push(`contract_id = $${params.push(filter.contractId)}`);
    if (filter.actorId !== undefined) where.push(`actor_id = $${params.push(filter.actorId)}`);
    if (filter.before !== undefined) where.push(`id < $${params.push(filter.before)}`);
    if (filter.since !== undefined) where.push(`at >= $${params.push(filter.since)}::timestamptz`);
    if (filter.until !== undefined) where.push(`at < $${params.push(filter.until)}::timestamptz`);
    const limit = Math.min(Math.max(1, filter.limit ?? 100), 10_000);
    const r = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM audit_trail ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`,
      params,
    );
    return r.rows.map(entryOf);
  }

  /** The rows of `command` sent with any of `requestIds` (who keyed a payment: its request id), oldest first. */
  async ofRequests(command: string, requestIds: readonly string[]): Promise<AuditEntry[]> {
    if (requestIds.length === 0) return [];
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM audit_trail WHERE command = $1 AND request_id = ANY($2) ORDER BY id`, [
      command,
      [...requestIds],
    ]);
    return r.rows.map(entryOf);
  }

  /** Every row of a filter, newest first, read `pageSize` at a time: an export or a contract's trail is never cut short. */
  async every(filter: { contractId?: string; since?: string; until?: string } = {}, pageSize = 10_000): Promise<AuditEntry[]> {
    const all: AuditEntry[] = [];
    for (let before: number | undefined; ; ) {
      const rows = await this.list({ ...filter, limit: pageSize, ...(before === undefined ? {} : { before }) });
      all.push(...rows);
      if (rows.length < pageSize) return all;
      before = rows[rows.length - 1]!.id;
    }
  }
}
