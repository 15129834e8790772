/**
 * The deletion store (Art. 30, D-8): what was deleted for a contract and when, each step recorded as it
 * finishes; and the erasure of the contact details the other stores hold, in one transaction, with the
 * compaction that takes the erased values out of the database files.
 */
import type { IsoDate } from '../../domain/types';
import { Customers } from './customers';
import { instant, reclaimWal, type Db } from './db';
import { Invoices } from './invoices';
import { Notices } from './notices';
import { guarded, jsonList, str, type Row } from './values';

export const DELETION_STEPS = ['accounts', 'resources', 'storedData'] as const;
export type DeletionStep = (typeof DELETION_STEPS)[number];
const STEP_COLUMN: Record<DeletionStep, string> = { accounts: 'accounts', resources: 'resources', storedData: 'stored_data' };

export interface DeletionRecord {
  contractId: string;
  lastContractDay: IsoDate;
  deletionDay: IsoDate;
  /** What each step deleted; null while the step has not run. */
  accounts: string[] | null;
  resources: string[] | null;
  storedData: string[] | null;
  /** What was stripped from the ledger; null until the deletion completed. */
  ledgerContacts: string[] | null;
  startedAt: string;
  completedAt: string | null;
}

export class Deletions {
  constructor(private readonly db: Db) {}

  async get(contractId: string): Promise<DeletionRecord | undefined> {
    const r = await this.db.query<Row>(
      `SELECT contract_id, last_contract_day::text AS last_contract_day, deletion_day::text AS deletion_day,
         accounts, resources, stored_data, ledger_contacts, started_at, completed_at
       FROM deletions WHERE contract_id = $1`,
      [contractId],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    return {
      contractId: str(row.contract_id),
      lastContractDay: str(row.last_contract_day),
      deletionDay: str(row.deletion_day),
      accounts: jsonList(row.accounts),
      resources: jsonList(row.resources),
      storedData: jsonList(row.stored_data),
      ledgerContacts: jsonList(row.ledger_contacts),
      startedAt: instant(row.started_at) ?? '',
      completedAt: instant(row.completed_at),
    };
  }

  /** The deletion day of a completed deletion (an invoice issued after it carries no contact, D-8); null before. */
  async contactsRemovedOn(contractId: string): Promise<IsoDate | null> {
    const r = await this.db.query<Row>('SELECT deletion_day::text AS deletion_day FROM deletions WHERE contract_id = $1 AND completed_at IS NOT NULL', [
      contractId,
    ]);
    return r.rows[0] ? str(r.rows[0].deletion_day) : null;
  }

  /** Opens the deletion record of a contract (or returns the one already opened). */
  async begin(contractId: string, lastContractDay: IsoDate, deletionDay: IsoDate): Promise<DeletionRecord> {
    await guarded(() =>
      this.db.query(`INSERT INTO deletions (contract_id, last_contract_day, deletion_day) VALUES ($1, $2, $3) ON CONFLICT (contract_id) DO NOTHING`, [
        contractId,
        lastContractDay,
        deletionDay,
      ]),
    );
    const record = await this.get(contractId);
    if (!record) throw new Error(`deletion record of ${contractId} vanished`);
    return record;
  }

  /** Records what one step deleted; the first record of a step stands. */
  async recordStep(contractId: string, step: DeletionStep, deleted: string[]): Promise<void> {
    const column = STEP_COLUMN[step];
    await guarded(() =>
      this.db.query(`UPDATE deletions SET ${column} = $2::jsonb WHERE contract_id = $1 AND ${column} IS NULL`, [contractId, JSON.stringify(deleted)]),
    );
  }

  /**
   * D-8: erases the customer's contact details — the customer master keeps the id and the name, invoice
   * copies keep every amount and the name, notices keep kind, day and subject — in one transaction.
   * Re-runnable: a second run changes nothing. Answers what was stripped.
   */
  async eraseContacts(contractId: string): Promise<string[]> {
    return guarded(() =>
      this.db.transaction(async (tx) => {
        const d = await tx.query<Row>('SELECT deletion_day::text AS deletion_day FROM deletions WHERE contract_id = $1 FOR UPDATE', [contractId]);
        const row = d.rows[0];
        if (!row) throw new Error(`no deletion record for ${contractId}`);
        const day = str(row.deletion_day);
        const customers = await Customers.erase(tx, contractId, day);
        const invoices = await Invoices.removeContacts(tx, contractId, day);
        const notices = await Notices.removeRecipients(tx, contractId);
        return [
          customers.otherContractsKept > 0
            ? `ledger:the customer holds ${customers.otherContractsKept} other contract(s) whose data is kept: its contact details stay until the last is deleted (D-32)`
            : `ledger:contact details erased from ${customers.erased} customer record(s); the name kept for the invoices`,
          `ledger:contact details removed from ${invoices} invoice(s); amounts and name kept`,
          `ledger:recipient address removed from ${notices} notice record(s)`,
        ];
      }),
    );
  }

  /**
   * D-8: rewrites the tables that held the erased details, so the old row versions leave the database
   * files (an UPDATE leaves the old tuple in its page until vacuumed), then moves the write-ahead log past
   * them, so the segments that still held them are removed.
   */
  async compact(): Promise<void> {
    await Customers.compact(this.db);
    await Invoices.compact(this.db);
    await Notices.compact(this.db);
    await reclaimWal(this.db);
  }

  /** Closes the deletion record with the ledger's and the outbox's part; the first close stands. */
  async complete(contractId: string, stripped: string[]): Promise<DeletionRecord> {
    await guarded(() =>
      this.db.query(`UPDATE deletions SET ledger_contacts = $2::jsonb, completed_at = now() WHERE contract_id = $1 AND completed_at IS NULL`, [
        contractId,
        JSON.stringify(stripped),
      ]),
    );
    const record = await this.get(contractId);
    if (!record) throw new Error(`deletion record of ${contractId} vanished`);
    return record;
  }
}
