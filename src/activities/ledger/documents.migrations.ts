/** The documents store's schema: its migrations, frozen once shipped (add the next one, never edit one). */
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 8,
    name: 'ledger: the issued invoice document (PDF) with its SHA-256',
    statements: [
      // The invoice as the customer receives it, made once at issue (one per invoice, by its business
      // key), with what it states beyond the invoice row: the issuer's address, the transfer account, the notes
      // on a fee left out (別表3 §1). It carries the customer's name as invoiced, which D-8 keeps on invoice
      // copies, and no other contact detail: the deletion keeps it, as it keeps the invoice. Never changed.
      `CREATE TABLE invoice_documents (
         contract_id text NOT NULL,
         period text NOT NULL,
         invoice_number text NOT NULL UNIQUE REFERENCES invoices (number),
         issuer_address text NOT NULL CHECK (issuer_address <> ''),
         bank_account text NOT NULL CHECK (bank_account <> ''),
         notes jsonb NOT NULL DEFAULT '[]'::jsonb,
         sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
         pdf bytea NOT NULL CHECK (length(pdf) > 0),
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (contract_id, period),
         FOREIGN KEY (contract_id, period) REFERENCES invoices (contract_id, period)
       )`,
      `CREATE TRIGGER invoice_documents_immutable BEFORE UPDATE OR DELETE ON invoice_documents
         FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER invoice_documents_no_truncate BEFORE TRUNCATE ON invoice_documents
         FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
    ],
  },
];
