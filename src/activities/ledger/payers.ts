/**
 * What identifies a customer's money on a bank statement (issue 29): the payer names it registered
 * (振込依頼人名, as entered and in the matching form of D-30), its 10-digit 振込依頼人コード and its virtual
 * account (バーチャル口座) — both unique across customers — and the contracts it holds. Only the SQL lives
 * here; who may change what, and the audit, are the back office's.
 */
import { payerNameKey } from '../../domain/bank/payer-name';
import type { IsoDate } from '../../domain/types';
import { FAILURE_TYPES, nonRetryable } from '../errors';
import type { Db } from './db';
import { guarded, str, strOrNull, type Row } from './values';

export interface CustomerProfile {
  customerId: string;
  billingName: string;
  erasedOn: IsoDate | null;
  payerNames: Array<{ name: string; matchKey: string; addedBy: string; addedAt: string }>;
  payerCode: string | null;
  virtualAccount: string | null;
  contracts: Array<{ contractId: string; dataDeletedOn: IsoDate | null }>;
}

/** A snapshot of the keys a file's lines name: enough to match every line without a query per line. */
export interface DirectorySnapshot {
  virtualAccounts: Map<string, string>;
  payerCodes: Map<string, string>;
  references: Map<string, string>;
  payerNames: Map<string, string[]>;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

export class Payers {
  constructor(private readonly db: Db) {}

  async profile(customerId: string): Promise<CustomerProfile | undefined> {
    const c = await this.db.query<Row>('SELECT id, name, payer_code, virtual_account, contact_removed_on::text AS erased FROM customers WHERE id = $1', [
      customerId,
    ]);
    const row = c.rows[0];
    if (!row) return undefined;
    const names = await this.db.query<Row>(
      'SELECT name, match_key, added_by, added_at FROM customer_payer_names WHERE customer_id = $1 ORDER BY added_at, match_key',
      [customerId],
    );
    return {
      customerId: str(row.id),
      billingName: str(row.name),
      erasedOn: strOrNull(row.erased),
      payerNames: names.rows.map((n) => ({
        name: str(n.name),
        matchKey: str(n.match_key),
        addedBy: str(n.added_by),
        addedAt: new Date(n.added_at as string).toISOString(),
      })),
      payerCode: strOrNull(row.payer_code),
      virtualAccount: strOrNull(row.virtual_account),
      contracts: await this.contractsOf(customerId),
    };
  }

  async contractsOf(customerId: string): Promise<Array<{ contractId: string; dataDeletedOn: IsoDate | null }>> {
    const r = await this.db.query<Row>(
      'SELECT contract_id, data_deleted_on::text AS deleted FROM customer_contracts WHERE customer_id = $1 ORDER BY linked_at, contract_id',
      [customerId],
    );
    return r.rows.map((x) => ({ contractId: str(x.contract_id), dataDeletedOn: strOrNull(x.deleted) }));
  }

  /**
   * The contract id as it was registered, for one typed in another case (c-0001 → C-0001): the exact id if
   * on record, else the one id that differs only in case, else undefined.
   */
  async contractIdAsRegistered(typed: string): Promise<string | undefined> {
    const r = await this.db.query<Row>('SELECT contract_id FROM customer_contracts WHERE lower(contract_id) = lower($1) ORDER BY contract_id LIMIT 3', [typed]);
    const ids = r.rows.map((x) => str(x.contract_id));
    return ids.includes(typed) ? typed : ids.length === 1 ? ids[0] : undefined;
  }

  async customerOfContract(contractId: string): Promise<string | undefined> {
    const r = await this.db.query<Row>('SELECT customer_id FROM customer_contracts WHERE contract_id = $1', [contractId]);
    return r.rows[0] ? str(r.rows[0].customer_id) : undefined;
  }

  /** A payer name registered to the customer, once (the same matching form again answers `added: false`). */
  async addPayerName(customerId: string, name: string, addedBy: string): Promise<{ added: boolean; matchKey: string }> {
    const text = name.normalize('NFKC').trim();
    const matchKey = payerNameKey(text);
    if (!text || text.length > 48 || !matchKey) throw nonRetryable(FAILURE_TYPES.contactRefused, 'payerName: expected a payer name in kana of 1–48 characters');
    return guarded(async () => {
      await this.requireLive(customerId);
      const r = await this.db.query(
        'INSERT INTO customer_payer_names (customer_id, name, match_key, added_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [customerId, name.trim(), matchKey, addedBy],
      );
      return { added: r.rowCount === 1, matchKey };
    });
  }

  /** The customer's 振込依頼人コード (10 digits) or virtual account (7 digits), or null to remove it; unique across customers. */
  async setKey(customerId: string, field: 'payerCode' | 'virtualAccount', value: string | null): Promise<void> {
    const pattern = field === 'payerCode' ? /^[0-9]{10}$/ : /^[0-9]{7}$/;
    if (value !== null && !pattern.test(value))
      throw nonRetryable(FAILURE_TYPES.contactRefused, `${field}: expected ${field === 'payerCode' ? '10' : '7'} digits`);
    const column = field === 'payerCode' ? 'payer_code' : 'virtual_account';
    await this.requireLive(customerId);
    try {
      await this.db.query(`UPDATE customers SET ${column} = $2 WHERE id = $1`, [customerId, value]);
    } catch (err) {
      if (isUniqueViolation(err)) throw nonRetryable(FAILURE_TYPES.contactRefused, `${field}: ${value} is registered to another customer`);
      throw err;
    }
  }

  /** The keys the given lines name, looked up at once (one query per kind). */
  async directory(keys: { accounts: string[]; codes: string[]; references: string[]; nameKeys: string[] }): Promise<DirectorySnapshot> {
    const pairs = async (sql: string, values: string[]) =>
      values.length === 0 ? [] : (await this.db.query<Row>(sql, [values])).rows.map((r) => [str(r.k), str(r.customer_id)] as const);
    const live = 'contact_removed_on IS NULL';
    const virtualAccounts = new Map(
      await pairs(`SELECT virtual_account AS k, id AS customer_id FROM customers WHERE ${live} AND virtual_account = ANY($1)`, keys.accounts),
    );
    const payerCodes = new Map(await pairs(`SELECT payer_code AS k, id AS customer_id FROM customers WHERE ${live} AND payer_code = ANY($1)`, keys.codes));
    const references = new Map([
      ...(await pairs('SELECT contract_id AS k, customer_id FROM customer_contracts WHERE contract_id = ANY($1)', keys.references)),
      ...(await pairs(
        'SELECT i.number AS k, l.customer_id FROM invoices i JOIN customer_contracts l ON l.contract_id = i.contract_id WHERE i.number = ANY($1)',
        keys.references,
      )),
    ]);
    const payerNames = new Map<string, string[]>();
    for (const [k, customerId] of await pairs('SELECT match_key AS k, customer_id FROM customer_payer_names WHERE match_key = ANY($1)', keys.nameKeys))
      payerNames.set(k, [...(payerNames.get(k) ?? []), customerId]);
    return { virtualAccounts, payerCodes, references, payerNames };
  }

  private async requireLive(customerId: string): Promise<void> {
    const r = await this.db.query<Row>('SELECT contact_removed_on::text AS erased FROM customers WHERE id = $1', [customerId]);
    if (!r.rows[0]) throw nonRetryable(FAILURE_TYPES.contactRefused, `customerId: no customer ${customerId} on record`);
    if (r.rows[0].erased !== null)
      throw nonRetryable(FAILURE_TYPES.contactRefused, `customerId: the customer's data was deleted on ${str(r.rows[0].erased)} (D-8)`);
  }
}
