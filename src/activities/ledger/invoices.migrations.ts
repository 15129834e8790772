/** The invoices store's schema: its migrations, frozen once shipped (add the next one, never edit one). */
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'invoices: the counter, the invoices and their lines, immutable (from migration 1)',
    statements: [
      // Gap-free invoice numbers: one counter row, advanced in the transaction that inserts the invoice.
      `CREATE TABLE invoice_counter (
         id smallint PRIMARY KEY CHECK (id = 1),
         last_number bigint NOT NULL CHECK (last_number >= 0)
       )`,
      `INSERT INTO invoice_counter (id, last_number) VALUES (1, 0)`,

      // 適格請求書 (qualified invoice): issuer and registration number, issue date, customer, lines, the
      // taxable subtotal and tax per rate, non-taxable lines apart. Issued once per (contract, period).
      `CREATE TABLE invoices (
         number text PRIMARY KEY,
         seq bigint NOT NULL UNIQUE,
         contract_id text NOT NULL,
         period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
         issued_on date NOT NULL,
         due_on date NOT NULL,
         issuer_name text NOT NULL CHECK (issuer_name <> ''),
         issuer_registration_number text NOT NULL CHECK (issuer_registration_number ~ '^T[0-9]{13}$'),
         customer_name text,
         customer_email text,
         contact_removed_on date,
         tax_rate_percent integer NOT NULL CHECK (tax_rate_percent = 10),
         taxable_subtotal bigint NOT NULL,
         tax bigint NOT NULL,
         non_taxable_subtotal bigint NOT NULL,
         total bigint NOT NULL,
         recorded_at timestamptz NOT NULL DEFAULT now(),
         CONSTRAINT invoices_one_per_period UNIQUE (contract_id, period),
         CONSTRAINT invoices_total_adds_up CHECK (total = taxable_subtotal + tax + non_taxable_subtotal),
         CONSTRAINT invoices_contact_or_removed CHECK (
           (contact_removed_on IS NULL AND customer_name IS NOT NULL AND customer_email IS NOT NULL)
           OR (contact_removed_on IS NOT NULL AND customer_name IS NULL AND customer_email IS NULL))
       )`,
      `CREATE INDEX invoices_by_contract ON invoices (contract_id, period)`,
      `CREATE TABLE invoice_lines (
         invoice_number text NOT NULL REFERENCES invoices (number),
         line_no integer NOT NULL CHECK (line_no >= 1),
         kind text NOT NULL,
         description text NOT NULL,
         amount bigint NOT NULL,
         taxable boolean NOT NULL,
         tax_rate_percent integer CHECK ((taxable AND tax_rate_percent = 10) OR (NOT taxable AND tax_rate_percent IS NULL)),
         rule text NOT NULL,
         PRIMARY KEY (invoice_number, line_no)
       )`,

      // Immutability: an issued invoice never changes. The one change allowed is D-8's removal of the
      // customer's contact details (name and e-mail become NULL, the day is recorded), once.
      `CREATE FUNCTION ledger_invoice_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           RAISE EXCEPTION 'invoice % is issued and cannot be deleted', OLD.number USING ERRCODE = 'P0001';
         END IF;
         IF (NEW.number, NEW.seq, NEW.contract_id, NEW.period, NEW.issued_on, NEW.due_on, NEW.issuer_name,
             NEW.issuer_registration_number, NEW.tax_rate_percent, NEW.taxable_subtotal, NEW.tax,
             NEW.non_taxable_subtotal, NEW.total, NEW.recorded_at)
            IS DISTINCT FROM
            (OLD.number, OLD.seq, OLD.contract_id, OLD.period, OLD.issued_on, OLD.due_on, OLD.issuer_name,
             OLD.issuer_registration_number, OLD.tax_rate_percent, OLD.taxable_subtotal, OLD.tax,
             OLD.non_taxable_subtotal, OLD.total, OLD.recorded_at) THEN
           RAISE EXCEPTION 'invoice % is issued and immutable', OLD.number USING ERRCODE = 'P0001';
         END IF;
         IF OLD.contact_removed_on IS NOT NULL
            AND (NEW.customer_name, NEW.customer_email, NEW.contact_removed_on)
                IS DISTINCT FROM (OLD.customer_name, OLD.customer_email, OLD.contact_removed_on) THEN
           RAISE EXCEPTION 'the contact details of invoice % were removed and cannot be restored', OLD.number
             USING ERRCODE = 'P0001';
         END IF;
         IF OLD.contact_removed_on IS NULL AND NEW.contact_removed_on IS NULL
            AND (NEW.customer_name, NEW.customer_email) IS DISTINCT FROM (OLD.customer_name, OLD.customer_email) THEN
           RAISE EXCEPTION 'invoice % is issued: its customer can only be removed (D-8), not changed', OLD.number
             USING ERRCODE = 'P0001';
         END IF;
         RETURN NEW;
       END $$`,
      `CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
         FOR EACH ROW EXECUTE FUNCTION ledger_invoice_guard()`,
      `CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
         FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON invoices
         FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER ledger_lines_no_truncate BEFORE TRUNCATE ON invoice_lines
         FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
    ],
  },
  {
    version: 3,
    name: 'invoices: copies keep the name only (D-8 as revised, from migration 3)',
    statements: [
      // D-8 as revised: an invoice copy keeps the customer's name (a qualified invoice carries it) and loses
      // every other detail; new invoices snapshot the name only. Rows removed before this keep no name.
      `ALTER TABLE invoices DROP CONSTRAINT invoices_contact_or_removed`,
      `ALTER TABLE invoices ADD CONSTRAINT invoices_name_kept CHECK (customer_name IS NOT NULL OR contact_removed_on IS NOT NULL)`,
      `ALTER TABLE invoices ADD CONSTRAINT invoices_email_removed CHECK (contact_removed_on IS NULL OR customer_email IS NULL)`,
      `CREATE OR REPLACE FUNCTION ledger_invoice_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           RAISE EXCEPTION 'invoice % is issued and cannot be deleted', OLD.number USING ERRCODE = 'P0001';
         END IF;
         IF (NEW.number, NEW.seq, NEW.contract_id, NEW.period, NEW.issued_on, NEW.due_on, NEW.issuer_name,
             NEW.issuer_registration_number, NEW.customer_name, NEW.tax_rate_percent, NEW.taxable_subtotal, NEW.tax,
             NEW.non_taxable_subtotal, NEW.total, NEW.recorded_at)
            IS DISTINCT FROM
            (OLD.number, OLD.seq, OLD.contract_id, OLD.period, OLD.issued_on, OLD.due_on, OLD.issuer_name,
             OLD.issuer_registration_number, OLD.customer_name, OLD.tax_rate_percent, OLD.taxable_subtotal, OLD.tax,
             OLD.non_taxable_subtotal, OLD.total, OLD.recorded_at) THEN
           RAISE EXCEPTION 'invoice % is issued and immutable', OLD.number USING ERRCODE = 'P0001';
         END IF;
         IF OLD.contact_removed_on IS NOT NULL
            AND (NEW.customer_email, NEW.contact_removed_on) IS DISTINCT FROM (OLD.customer_email, OLD.contact_removed_on) THEN
           RAISE EXCEPTION 'the contact details of invoice % were removed and cannot be restored', OLD.number
             USING ERRCODE = 'P0001';
         END IF;
         IF NEW.contact_removed_on IS NULL AND NEW.customer_email IS DISTINCT FROM OLD.customer_email THEN
           RAISE EXCEPTION 'invoice % is issued: its contact details can only be removed (D-8), not changed', OLD.number
             USING ERRCODE = 'P0001';
         END IF;
         RETURN NEW;
       END $$`,
    ],
  },
  {
    version: 9,
    name: 'invoices: the price-list version of each line (D-17, from migration 9)',
    statements: [
      // D-17: each invoice line priced from the list names the version it used (null: not from the list).
      `ALTER TABLE invoice_lines ADD COLUMN price_list text`,
    ],
  },
];
