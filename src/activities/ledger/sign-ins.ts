/**
 * The sign-in throttle's SQL (the rules are src/backoffice/sign-in.ts): failures in a row per account
 * (people.failed_logins, locked_until), per client address and per known browser (migration 11). Each
 * admission is one statement that counts the attempt and tells whether it may go on, so concurrent
 * guesses are admitted one by one under the row's lock and never more than the limit: the attempt is
 * counted as a failure before its password is checked, and a success clears the count.
 */
import { num, type Db } from './db';
import type { Row } from './values';

/** How a count grows: past `limit` failures in a row, wait 2^(n − limit) minutes (1, 2, 4 …), at most `capMinutes`. */
export interface ThrottleRule {
  limit: number;
  capMinutes: number;
}

/** The window after `n` failures, in SQL: `$now + least(cap, 2^(n − limit)) minutes` once n ≥ limit (the power bounded so it cannot overflow). */
const windowAfter = (n: string, now: string, limit: string, cap: string) =>
  `CASE WHEN ${n} >= ${limit} THEN ${now}::timestamptz + make_interval(mins => least(${cap}, power(2, least(${n} - ${limit}, 10))::int)) ELSE NULL END`;

export class SignIns {
  constructor(private readonly db: Db) {}

  /** Counts an attempt from `address`; false (nothing counted) while the address waits out its window. */
  async admitAddress(address: string, now: Date, rule: ThrottleRule): Promise<boolean> {
    const r = await this.db.query<Row>(
      `INSERT INTO sign_in_addresses AS a (address, failures, throttled_until, last_failure_at)
         VALUES ($1, 1, ${windowAfter('1', '$2', '$3', '$4')}, $2)
       ON CONFLICT (address) DO UPDATE SET
         failures = a.failures + 1,
         throttled_until = ${windowAfter('(a.failures + 1)', '$2', '$3', '$4')},
         last_failure_at = $2
       WHERE a.throttled_until IS NULL OR a.throttled_until <= $2
       RETURNING failures`,
      [address, now.toISOString(), rule.limit, rule.capMinutes],
    );
    return r.rows.length > 0;
  }

  /** Counts an attempt on the account; false (nothing counted) while it waits out its window. */
  async admitAccount(personId: string, now: Date, rule: ThrottleRule): Promise<boolean> {
    const r = await this.db.query<Row>(
      `UPDATE people SET
         failed_logins = failed_logins + 1,
         locked_until = ${windowAfter('(failed_logins + 1)', '$2', '$3', '$4')}
       WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2)
       RETURNING failed_logins`,
      [personId, now.toISOString(), rule.limit, rule.capMinutes],
    );
    return r.rows.length > 0;
  }

  /**
   * Counts an attempt from the person's known browser (its token's SHA-256), younger than `maxAgeDays`;
   * false when the browser is unknown, another person's, too old, or has had `limit` failures in a row.
   */
  async admitDevice(tokenSha256: string, personId: string, now: Date, limit: number, maxAgeDays: number): Promise<boolean> {
    const r = await this.db.query<Row>(
      `UPDATE sign_in_devices SET failures = failures + 1, last_used_at = $3
       WHERE token_sha256 = $1 AND person_id = $2 AND failures < $4 AND created_at > $3::timestamptz - make_interval(days => $5)
       RETURNING failures`,
      [tokenSha256, personId, now.toISOString(), limit, maxAgeDays],
    );
    return r.rows.length > 0;
  }

  /**
   * A right password: the account's, the address's and the browser's counts cleared, the browser known
   * from now on (`tokenSha256`, inserted when new), the person's browsers older than `maxAgeDays` forgotten.
   */
  async succeeded(personId: string, address: string, tokenSha256: string, now: Date, maxAgeDays: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM sign_in_devices WHERE person_id = $1 AND created_at <= $2::timestamptz - make_interval(days => $3)`, [
        personId,
        now.toISOString(),
        maxAgeDays,
      ]);
      await tx.query('UPDATE people SET failed_logins = 0, locked_until = NULL WHERE id = $1', [personId]);
      await tx.query('DELETE FROM sign_in_addresses WHERE address = $1', [address]);
      await tx.query(
        `INSERT INTO sign_in_devices (token_sha256, person_id, failures, created_at, last_used_at) VALUES ($1, $2, 0, $3, $3)
         ON CONFLICT (token_sha256) DO UPDATE SET failures = 0, last_used_at = $3 WHERE sign_in_devices.person_id = $2`,
        [tokenSha256, personId, now.toISOString()],
      );
    });
  }

  /**
   * Marks a pending one-time password used, if it was made within `maxAgeHours` and not used yet; false
   * otherwise (it signs in once, and not after it expired).
   */
  async spendOneTimePassword(personId: string, now: Date, maxAgeHours: number): Promise<boolean> {
    const r = await this.db.query(
      `UPDATE people SET one_time_password_used_at = $2
       WHERE id = $1 AND must_change_password AND one_time_password_used_at IS NULL
         AND one_time_password_issued_at > $2::timestamptz - make_interval(hours => $3)`,
      [personId, now.toISOString(), maxAgeHours],
    );
    return r.rowCount > 0;
  }

  /** Every address's count and window cleared (an admin's unlock: the person's address is not known). */
  async clearAddresses(): Promise<void> {
    await this.db.query('DELETE FROM sign_in_addresses');
  }

  /** The address's failures in a row (0 when none), for the tests and the people page. */
  async addressFailures(address: string): Promise<number> {
    const r = await this.db.query<Row>('SELECT failures FROM sign_in_addresses WHERE address = $1', [address]);
    return r.rows[0] ? num(r.rows[0].failures) : 0;
  }
}
