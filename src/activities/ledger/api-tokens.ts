/**
 * The API tokens store: a person's tokens for the back office's HTTP API, each kept as the SHA-256 of its
 * secret. Only the SQL lives here; issuing, checking and auditing are the back office's (src/backoffice/api-tokens.ts).
 */
import { instant, type Db } from './db';
import type { Row } from './values';

export interface ApiTokenRecord {
  id: string;
  personId: string;
  label: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
}

const COLUMNS = 'id, person_id, label, created_at, created_by, expires_at, revoked_at, revoked_by, last_used_at';

function recordOf(r: Row): ApiTokenRecord {
  return {
    id: String(r.id),
    personId: String(r.person_id),
    label: String(r.label),
    createdAt: instant(r.created_at) ?? '',
    createdBy: String(r.created_by),
    expiresAt: instant(r.expires_at) ?? '',
    revokedAt: instant(r.revoked_at),
    revokedBy: r.revoked_by == null ? null : String(r.revoked_by),
    lastUsedAt: instant(r.last_used_at),
  };
}

export class ApiTokenStore {
  constructor(private readonly db: Db) {}

  async insert(t: { id: string; personId: string; label: string; secretSha256: string; createdBy: string; expiresAt: Date }): Promise<ApiTokenRecord> {
    const r = await this.db.query<Row>(
      `INSERT INTO api_tokens (id, person_id, label, secret_sha256, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [t.id, t.personId, t.label, t.secretSha256, t.createdBy, t.expiresAt.toISOString()],
    );
    return recordOf(r.rows[0]!);
  }

  async get(id: string): Promise<ApiTokenRecord | undefined> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = $1`, [id]);
    return r.rows[0] ? recordOf(r.rows[0]) : undefined;
  }

  /** The token with its stored hash, for a call's check only. */
  async withSecretHash(id: string): Promise<{ token: ApiTokenRecord; secretSha256: string } | undefined> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS}, secret_sha256 FROM api_tokens WHERE id = $1`, [id]);
    const row = r.rows[0];
    return row ? { token: recordOf(row), secretSha256: String(row.secret_sha256) } : undefined;
  }

  /** A person's tokens (or everyone's), newest first. */
  async list(personId?: string): Promise<ApiTokenRecord[]> {
    const r =
      personId === undefined
        ? await this.db.query<Row>(`SELECT ${COLUMNS} FROM api_tokens ORDER BY created_at DESC`)
        : await this.db.query<Row>(`SELECT ${COLUMNS} FROM api_tokens WHERE person_id = $1 ORDER BY created_at DESC`, [personId]);
    return r.rows.map(recordOf);
  }

  /** Revokes the token; false when there is no such token or it was revoked before. */
  async revoke(id: string, by: string): Promise<boolean> {
    const r = await this.db.query('UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL', [id, by]);
    return r.rowCount > 0;
  }

  /** Every unrevoked token of a person revoked (the person disabled); how many. */
  async revokeAllOf(personId: string, by: string): Promise<number> {
    const r = await this.db.query('UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE person_id = $1 AND revoked_at IS NULL', [personId, by]);
    return r.rowCount;
  }

  /** When it was last used, at most once a minute per token (a busy script writes little). */
  async touch(id: string, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
      [id, now.toISOString()],
    );
  }
}
