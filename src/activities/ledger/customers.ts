/**
 * The customer master (Art. 12-3): name, e-mail, contact person, address, phone — the only home of the
 * customer's personal data. Temporal sees the customer id and the revision of the contact, never the
 * details. A customer (法人) holds any number of contracts (`customer_contracts`): an application names a
 * new customer (`register`) or an existing one (`link`); the row's own `contract_id` is the first.
 *
 * Idempotent by business keys: a registration or a link by the contract id (the same details again answer
 * the same customer; other details for the same contract are refused), a contact change by its request id.
 * D-8, D-31: a contract's deletion marks its link; the details are erased when none of the customer's
 * contracts keeps its data, and then every write is refused.
 */
import { randomUUID } from 'node:crypto';
import type { Contact, IsoDate } from '../../domain/types';
import { contact as contactSchema, contactChange as contactChangeSchema, contractId as contractIdSchema, type ContactChange } from '../../domain/validation';
import { FAILURE_TYPES, classifyDbError, nonRetryable, parseOrFail } from '../errors';
import { instant, num, type Sql } from './db';

export interface CustomerRecord {
  customerId: string;
  /** The contract it was asked for by (a customer holds any number: `contractsOf`). */
  contractId: string;
  /** The contract the customer was registered with. */
  firstContractId: string;
  /** Null once erased (D-8). */
  contact: Contact | null;
  /** The name on the billing records: kept after erasure (D-8: invoices carry it). */
  billingName: string;
  revision: number;
  registeredAt: string;
  changedAt: string | null;
  contactRemovedOn: IsoDate | null;
}

type Row = Record<string, unknown>;
const COLUMNS = `c.id, l.contract_id, c.contract_id AS first_contract_id, name, email, contact_person, address, phone, revision, registered_at, changed_at, contact_removed_on::text AS contact_removed_on`;
const FIELDS = ['name', 'email', 'contactPerson', 'address', 'phone'] as const;

function recordOf(row: Row): CustomerRecord {
  const opt = (v: unknown) => (v === null || v === undefined ? {} : undefined);
  const contact: Contact | null =
    row.contact_removed_on !== null && row.contact_removed_on !== undefined
      ? null
      : {
          name: String(row.name),
          email: String(row.email),
          ...(opt(row.contact_person) ?? { contactPerson: String(row.contact_person) }),
          ...(opt(row.address) ?? { address: String(row.address) }),
          ...(opt(row.phone) ?? { phone: String(row.phone) }),
        };
  return {
    customerId: String(row.id),
    contractId: String(row.contract_id),
    firstContractId: String(row.first_contract_id),
    contact,
    billingName: String(row.name),
    revision: num(row.revision),
    registeredAt: instant(row.registered_at) ?? '',
    changedAt: instant(row.changed_at),
    contactRemovedOn: row.contact_removed_on === null || row.contact_removed_on === undefined ? null : String(row.contact_removed_on),
  };
}

/** ぁ…ゖ and ァ…ヶ, code point for code point (U+3041–U+3096 → U+30A1–U+30F6). */
const HIRAGANA = Array.from({ length: 0x3096 - 0x3041 + 1 }, (_, i) => String.fromCodePoint(0x3041 + i)).join('');
const KATAKANA = Array.from({ length: 0x3096 - 0x3041 + 1 }, (_, i) => String.fromCodePoint(0x30a1 + i)).join('');

/** A name as the search compares it: NFKC, hiragana as katakana, lower case — as the SQL does to the stored name. */
export function foldName(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0x60))
    .toLowerCase();
}

const sameContact = (a: Contact, b: Contact) => FIELDS.every((f) => (a[f] ?? null) === (b[f] ?? null));

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw classifyDbError(err);
  }
}

export class Customers {
  constructor(private readonly db: Sql & { transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> }) {}

  /** Art. 7: the applicant's details, once per contract. The same details again answer the same customer. */
  async register(input: { contractId: string; contact: Contact }): Promise<{ customerId: string; alreadyRegistered: boolean }> {
    const contractId = parseOrFail(contractIdSchema, input?.contractId, FAILURE_TYPES.contactRefused, 'contractId');
    const contact = parseOrFail(contactSchema, input?.contact, FAILURE_TYPES.contactRefused, 'customer');
    const inserted = await guarded(() =>
      this.db.transaction(async (tx) => {
        const id = `cus-${randomUUID()}`;
        const created = await tx.query<Row>(
          `INSERT INTO customers (id, contract_id, name, email, contact_person, address, phone) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (contract_id) DO NOTHING RETURNING id`,
          [id, contractId, contact.name, contact.email, contact.contactPerson ?? null, contact.address ?? null, contact.phone ?? null],
        );
        if (!created.rows[0]) return undefined;
        const linked = await tx.query<Row>(
          'INSERT INTO customer_contracts (contract_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING contract_id',
          [contractId, id],
        );
        if (!linked.rows[0])
          throw nonRetryable(FAILURE_TYPES.contactRefused, `contract ${contractId} already has another customer on record; a contract id is never reused`);
        return id;
      }),
    );
    if (inserted) return { customerId: inserted, alreadyRegistered: false };
    const existing = (await this.ofContract(contractId))!;
    if (!existing.contact || existing.revision !== 1 || existing.firstContractId !== contractId || !sameContact(existing.contact, contact))
      throw nonRetryable(
        FAILURE_TYPES.contactRefused,
        `contract ${contractId} already has a customer on record with other details; a contract id is never reused`,
      );
    return { customerId: existing.customerId, alreadyRegistered: true };
  }

  /** An application of an existing customer: the contract linked to it, once. The same link again answers it; another customer for the contract is refused. */
  async link(input: { contractId: string; customerId: string }): Promise<{ customerId: string; alreadyRegistered: boolean }> {
    const contractId = parseOrFail(contractIdSchema, input?.contractId, FAILURE_TYPES.contactRefused, 'contractId');
    const customerId = String(input?.customerId ?? '');
    return guarded(() =>
      this.db.transaction(async (tx) => {
        const c = await tx.query<Row>('SELECT contact_removed_on::text AS removed FROM customers WHERE id = $1 FOR UPDATE', [customerId]);
        if (!c.rows[0]) throw nonRetryable(FAILURE_TYPES.contactRefused, `customerId: no customer ${customerId} on record`);
        const linked = await tx.query<Row>(
          'INSERT INTO customer_contracts (contract_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING contract_id',
          [contractId, customerId],
        );
        if (!linked.rows[0]) {
          const other = await tx.query<Row>('SELECT customer_id FROM customer_contracts WHERE contract_id = $1', [contractId]);
          if (String(other.rows[0]?.customer_id) !== customerId)
            throw nonRetryable(FAILURE_TYPES.contactRefused, `contract ${contractId} already has another customer on record; a contract id is never reused`);
          return { customerId, alreadyRegistered: true };
        }
        if (c.rows[0].removed !== null && c.rows[0].removed !== undefined)
          throw nonRetryable(
            FAILURE_TYPES.contactRefused,
            `customerId: the customer's data was deleted on ${c.rows[0].removed} (D-8); register the applicant as a new customer`,
          );
        return { customerId, alreadyRegistered: false };
      }),
    );
  }

  /**
   * Art. 12-3: the changed fields, once per request id; answers the new revision. A repeat of the request
   * answers the revision it made; the same request id with other details is refused.
   */
  async changeContact(input: {
    requestId: string;
    contractId: string;
    change: ContactChange;
  }): Promise<{ customerId: string; revision: number; alreadyChanged: boolean }> {
    const requestId = typeof input?.requestId === 'string' && input.requestId.length > 0 && input.requestId.length <= 128 ? input.requestId : undefined;
    if (!requestId) throw nonRetryable(FAILURE_TYPES.contactRefused, 'requestId: expected a request id of 1–128 characters');
    const contractId = parseOrFail(contractIdSchema, input.contractId, FAILURE_TYPES.contactRefused, 'contractId');
    const change = parseOrFail(contactChangeSchema, input.change, FAILURE_TYPES.contactRefused, 'contact');
    return guarded(() =>
      this.db.transaction(async (tx) => {
        const r = await tx.query<Row>(
          `SELECT ${COLUMNS} FROM customer_contracts l JOIN customers c ON c.id = l.customer_id WHERE l.contract_id = $1 FOR UPDATE OF c`,
          [contractId],
        );
        const row = r.rows[0];
        if (!row) throw nonRetryable(FAILURE_TYPES.noContactOnRecord, `no customer on record for contract ${contractId}`);
        const current = recordOf(row);
        const done = await tx.query<Row>('SELECT customer_id, revision FROM contact_changes WHERE request_id = $1', [requestId]);
        if (done.rows[0]) {
          // A repeat answers the revision it made. While that revision is the latest, its details must be the
          // ones asked for now; once later changes (or D-8) replaced them, no copy is kept to compare with.
          const revision = num(done.rows[0].revision);
          const sameTarget = String(done.rows[0].customer_id) === current.customerId;
          const differs =
            current.contact !== null && revision === current.revision && FIELDS.some((f) => change[f] !== undefined && change[f] !== current.contact![f]);
          if (!sameTarget || differs) throw nonRetryable(FAILURE_TYPES.contactRefused, `request id ${requestId} was already used for another contact change`);
          return { customerId: current.customerId, revision, alreadyChanged: true };
        }
        if (!current.contact)
          throw nonRetryable(
            FAILURE_TYPES.contactRefused,
            `the customer's data was deleted on ${current.contactRemovedOn} (Art. 30, D-8): no contact can be changed`,
          );
        const next = { ...current.contact, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) } as Contact;
        const revision = current.revision + 1;
        await tx.query(
          `UPDATE customers SET name = $2, email = $3, contact_person = $4, address = $5, phone = $6, revision = $7, changed_at = now() WHERE id = $1`,
          [current.customerId, next.name, next.email, next.contactPerson ?? null, next.address ?? null, next.phone ?? null, revision],
        );
        await tx.query('INSERT INTO contact_changes (request_id, customer_id, revision) VALUES ($1, $2, $3)', [requestId, current.customerId, revision]);
        return { customerId: current.customerId, revision, alreadyChanged: false };
      }),
    );
  }

  /**
   * The console's look-up by name, width- and kana-insensitive: both sides NFKC-normalised
   * (full-width letters and digits, half-width katakana), hiragana folded to katakana, letters lower-cased.
   * Erased customers (D-8) keep only their billing name and are found by it too. At most `limit`.
   */
  async findByName(text: string, limit = 50): Promise<CustomerRecord[]> {
    const needle = foldName(text);
    if (!needle) return [];
    const r = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM customer_contracts l JOIN customers c ON c.id = l.customer_id
       WHERE strpos(lower(translate(normalize(name, NFKC), $2, $3)), $1) > 0
       ORDER BY l.contract_id LIMIT ${Math.min(Math.max(1, limit), 500)}`,
      [needle, HIRAGANA, KATAKANA],
    );
    return r.rows.map(recordOf);
  }

  /** The console's look-up by e-mail: the address contains `text`, case-insensitive. */
  async findByEmail(text: string, limit = 50): Promise<CustomerRecord[]> {
    const needle = text.normalize('NFKC').trim().toLowerCase();
    if (!needle) return [];
    const r = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM customer_contracts l JOIN customers c ON c.id = l.customer_id WHERE strpos(lower(email), $1) > 0 ORDER BY l.contract_id LIMIT ${Math.min(Math.max(1, limit), 500)}`,
      [needle],
    );
    return r.rows.map(recordOf);
  }

  async ofContract(contractId: string): Promise<CustomerRecord | undefined> {
    const r = await this.db.query<Row>(`SELECT ${COLUMNS} FROM customer_contracts l JOIN customers c ON c.id = l.customer_id WHERE l.contract_id = $1`, [
      contractId,
    ]);
    return r.rows[0] ? recordOf(r.rows[0]) : undefined;
  }

  /**
   * The latest contact of the contract's customer, when a notice is sent (Art. 12-4), or the day D-8 erased
   * it. The customer id the contract holds must be that contract's: a workflow reaches no other customer.
   */
  async contactFor(contractId: string, customerId: string): Promise<{ contact: Contact; revision: number } | { erasedOn: IsoDate }> {
    const r = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM customer_contracts l JOIN customers c ON c.id = l.customer_id WHERE l.contract_id = $1 AND c.id = $2`,
      [contractId, customerId],
    );
    const row = r.rows[0];
    if (!row) throw nonRetryable(FAILURE_TYPES.noContactOnRecord, `no customer ${customerId} on record for contract ${contractId}`);
    const record = recordOf(row);
    return record.contact ? { contact: record.contact, revision: record.revision } : { erasedOn: record.contactRemovedOn! };
  }

  /** The name an invoice carries (kept after erasure, D-8), for the contract's own customer only. */
  async billingNameFor(contractId: string, customerId: string): Promise<string> {
    const r = await this.db.query<Row>(
      'SELECT name FROM customer_contracts l JOIN customers c ON c.id = l.customer_id WHERE l.contract_id = $1 AND c.id = $2',
      [contractId, customerId],
    );
    const row = r.rows[0];
    if (!row) throw nonRetryable(FAILURE_TYPES.noContactOnRecord, `no customer ${customerId} on record for contract ${contractId}`);
    return String(row.name);
  }

  /**
   * D-8, D-31: the contract's data deleted, in the deletion's transaction. The customer's contact details
   * (and its payer names, code and virtual account) are erased when no other contract of theirs keeps its
   * data; the id, the day and the billing name stay. Answers the records erased now (0 or 1) and how many
   * other contracts of the customer still keep theirs.
   */
  static async erase(tx: Sql, contractId: string, day: IsoDate): Promise<{ erased: number; otherContractsKept: number }> {
    const link = await tx.query<Row>(
      'UPDATE customer_contracts SET data_deleted_on = coalesce(data_deleted_on, $2::date) WHERE contract_id = $1 RETURNING customer_id',
      [contractId, day],
    );
    const customerId = link.rows[0]?.customer_id;
    if (customerId === undefined) return { erased: 0, otherContractsKept: 0 };
    const kept = await tx.query<Row>('SELECT count(*) AS n FROM customer_contracts WHERE customer_id = $1 AND data_deleted_on IS NULL', [customerId]);
    const otherContractsKept = num(kept.rows[0]?.n);
    if (otherContractsKept > 0) return { erased: 0, otherContractsKept };
    await tx.query('DELETE FROM customer_payer_names WHERE customer_id = $1', [customerId]);
    const r = await tx.query(
      `UPDATE customers SET email = NULL, contact_person = NULL, address = NULL, phone = NULL, payer_code = NULL, virtual_account = NULL,
         contact_removed_on = $2
       WHERE id = $1 AND contact_removed_on IS NULL`,
      [customerId, day],
    );
    return { erased: r.rowCount, otherContractsKept: 0 };
  }

  /** D-8: the table rewritten, so the old row versions with the erased details leave the files. */
  static async compact(db: Sql): Promise<void> {
    await db.query('VACUUM FULL customers');
    await db.query('VACUUM FULL customer_payer_names');
  }
}
