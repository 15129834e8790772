/**
 * Personal API tokens (docs/security.md): how a person's script or the CLI proves who calls the back
 * office's HTTP API. A token is `ntx_<id>_<secret>`: the id finds the row, the secret (32 random bytes) is
 * compared with the stored SHA-256 in constant time. Shown once at issue, never again; it expires (at most a
 * year) and can be revoked by its person or an admin. A call acts as the token's person with the person's
 * role at that moment: a disabled person's tokens stop at once. Issuing and revoking are audited.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiTokenRecord, ApiTokenStore, PeopleStore, Person } from '../activities';
import type { Actor } from '../domain/actor';
import { audited, EdgeRefusal } from './command-path';
import type { AuditAccess } from './ledger-client';

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;
const TOKEN = /^ntx_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export type { ApiTokenRecord };

/** A token refused at issue or revocation: the field and the reason. */
export class TokenRefusal extends EdgeRefusal {}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export class ApiTokens {
  constructor(
    private readonly tokens: ApiTokenStore,
    private readonly people: PeopleStore,
    private readonly audit: AuditAccess,
  ) {}

  /** A new token for `personId`, issued by `by` (the person themself, or an admin's script): the token text is answered once. */
  async issue(by: Actor, personId: string, opts: { label: string; days?: number; requestId: string }): Promise<{ token: string; record: ApiTokenRecord }> {
    const label = opts.label.trim();
    if (label.length < 1 || label.length > 100 || /\p{Cc}/u.test(label))
      throw new TokenRefusal('label', '1–100 characters on one line (what the token is for)');
    const days = opts.days ?? DEFAULT_TOKEN_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new TokenRefusal('days', `a whole number of days from 1 to ${MAX_TOKEN_DAYS}`);
    const person = await this.people.get(personId);
    if (!person || person.disabled) throw new TokenRefusal('person', 'no such person, or disabled');
    return audited(this.audit, {
      actor: by,
      contractId: null,
      command: 'api-token issue',
      requestId: opts.requestId,
      details: { personId, label, days },
      run: async () => {
        const id = randomBytes(8).toString('hex');
        const secret = randomBytes(32).toString('base64url');
        const record = await this.tokens.insert({
          id,
          personId,
          label,
          secretSha256: sha256(secret),
          createdBy: by.id,
          expiresAt: new Date(Date.now() + days * 86_400_000),
        });
        return { token: `ntx_${id}_${secret}`, record };
      },
      summary: (r) => `token ${r.record.id} for ${person.login}, expires ${r.record.expiresAt}`,
    });
  }

  list(personId?: string): Promise<ApiTokenRecord[]> {
    return this.tokens.list(personId);
  }

  get(id: string): Promise<ApiTokenRecord | undefined> {
    return this.tokens.get(id);
  }

  /** Revokes a token; refused when there is none or it was revoked before. */
  async revoke(by: Actor, id: string, requestId: string): Promise<void> {
    await audited(this.audit, {
      actor: by,
      contractId: null,
      command: 'api-token revoke',
      requestId,
      details: { tokenId: id },
      run: async () => {
        if (!(await this.tokens.revoke(id, by.id))) throw new TokenRefusal('token', `no unrevoked token ${id}`);
      },
      summary: () => `token ${id} revoked`,
    });
  }

  /**
   * The person a bearer token names, when the token is well-formed, its secret matches, it is neither
   * expired nor revoked, and the person is enabled; else undefined (the caller answers 401, whichever it was).
   */
  async authenticate(token: string, now = new Date()): Promise<{ person: Person; token: ApiTokenRecord } | undefined> {
    const m = TOKEN.exec(token);
    if (!m) return undefined;
    const found = await this.tokens.withSecretHash(m[1]!);
    const given = Buffer.from(sha256(m[2]!), 'hex');
    // Compared even when there is no such token, so an unknown id costs the same as a wrong secret.
    const stored = Buffer.from(found?.secretSha256 ?? '0'.repeat(64), 'hex');
    if (!timingSafeEqual(given, stored) || !found) return undefined;
    if (found.token.revokedAt !== null || Date.parse(found.token.expiresAt) <= now.getTime()) return undefined;
    const person = await this.people.get(found.token.personId);
    if (!person || person.disabled) return undefined;
    await this.tokens.touch(found.token.id, now);
    return { person, token: found.token };
  }
}
