/** The bank lines store's schema: its migrations, frozen once shipped (add the next one, never edit one). */
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 13,
    name: 'bank: statement files, their lines and what each line became (入金消込, issue 29)',
    statements: [
      // Each import of a bank file, whatever it is called: who, when, its hash and its line count.
      `CREATE TABLE bank_files (
         id text PRIMARY KEY CHECK (id ~ '^BF-[0-9A-Za-z-]{1,60}$'),
         file_name text NOT NULL CHECK (file_name <> '' AND length(file_name) <= 255),
         format text NOT NULL CHECK (format IN ('zengin01', 'zengin03', 'csv')),
         sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
         line_count integer NOT NULL CHECK (line_count >= 0),
         imported_by text NOT NULL,
         imported_at timestamptz NOT NULL DEFAULT now()
       )`,
      // Every data line of every file, duplicates included, with its outcome. state: 'pending' (recorded, not
      // yet planned), 'planned' (its outcome and payments fixed, being sent), 'done'. The line's fields never change.
      `CREATE TABLE bank_lines (
         file_id text NOT NULL REFERENCES bank_files (id),
         record integer NOT NULL CHECK (record >= 1),
         identity text NOT NULL,
         bank_code text NOT NULL,
         branch_code text NOT NULL,
         account_number text NOT NULL,
         inquiry_number text NOT NULL,
         booked_on date NOT NULL,
         amount bigint NOT NULL CHECK (amount >= 0),
         payer_name text NOT NULL,
         payer_code text,
         edi text NOT NULL,
         cancels boolean NOT NULL,
         state text NOT NULL CHECK (state IN ('pending', 'planned', 'done')),
         outcome text CHECK (outcome IN ('matched', 'short', 'over', 'unmatched', 'duplicate', 'cancelled', 'returned')),
         customer_id text,
         matched_by text CHECK (matched_by IN ('virtualAccount', 'payerCode', 'reference', 'payerName', 'clerk')),
         applied bigint NOT NULL DEFAULT 0 CHECK (applied >= 0),
         advance bigint NOT NULL DEFAULT 0 CHECK (advance >= 0),
         shortfall bigint NOT NULL DEFAULT 0 CHECK (shortfall >= 0),
         likely_fee boolean NOT NULL DEFAULT false,
         note text,
         decided_by text,
         decided_at timestamptz,
         PRIMARY KEY (file_id, record),
         CHECK ((state = 'pending') = (outcome IS NULL))
       )`,
      `CREATE INDEX bank_lines_by_identity ON bank_lines (identity)`,
      `CREATE INDEX bank_lines_open ON bank_lines (state, outcome)`,
      `CREATE INDEX bank_lines_by_customer ON bank_lines (customer_id, booked_on)`,
      // The first line with each identity (bank, branch, account, 照会番号, 勘定日, amount, 取消): whichever process
      // inserts it first owns it; any later line with the same identity is a duplicate, never applied.
      `CREATE TABLE bank_receipts (
         identity text PRIMARY KEY,
         file_id text NOT NULL,
         record integer NOT NULL,
         FOREIGN KEY (file_id, record) REFERENCES bank_lines (file_id, record)
       )`,
      // The payments a line was planned into, once: one per contract, each sent as the contract's pay with
      // this request id (so a retry or a second process is answered, not applied twice).
      `CREATE TABLE bank_line_payments (
         identity text NOT NULL REFERENCES bank_receipts (identity),
         contract_id text NOT NULL,
         amount bigint NOT NULL CHECK (amount > 0),
         request_id text NOT NULL,
         outcome text,
         PRIMARY KEY (identity, contract_id)
       )`,
      `CREATE TRIGGER bank_files_immutable BEFORE UPDATE OR DELETE ON bank_files FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER bank_receipts_immutable BEFORE UPDATE OR DELETE ON bank_receipts FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER bank_files_no_truncate BEFORE TRUNCATE ON bank_files FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
    ],
  },
];
