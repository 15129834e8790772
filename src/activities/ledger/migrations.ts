/**
 * The ledger's schema: one list of migrations for PGlite and PostgreSQL alike, applied in order at open.
 * Each migration is a list of single statements (PGlite's extended protocol runs one statement per query)
 * and runs in its own transaction under an advisory lock, so two workers opening the same database at once
 * apply each migration exactly once. Never edit a migration that has shipped: add the next one.
 */
import type { Db } from './db';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** Any advisory-lock key the project does not use elsewhere. */
const MIGRATION_LOCK_KEY = 7_305_221_001;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger: invoices, payments, notices, deletions',
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

      // Payments, idempotent by the payment id; allocations to invoices by (contract, period).
      `CREATE TABLE payments (
         payment_id text PRIMARY KEY,
         contract_id text NOT NULL,
         paid_on date NOT NULL,
         amount bigint NOT NULL CHECK (amount > 0),
         recorded_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX payments_by_contract ON payments (contract_id, paid_on)`,
      `CREATE TABLE payment_allocations (
         payment_id text NOT NULL REFERENCES payments (payment_id),
         contract_id text NOT NULL,
         period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
         amount bigint NOT NULL CHECK (amount > 0),
         PRIMARY KEY (payment_id, period)
       )`,
      `CREATE INDEX payment_allocations_by_invoice ON payment_allocations (contract_id, period)`,

      // Notices: one row per notice id; 'sent' once the mail left (idempotency of sendNotice).
      `CREATE TABLE notices (
         notice_id text PRIMARY KEY,
         contract_id text NOT NULL,
         kind text NOT NULL,
         on_date date NOT NULL,
         status text NOT NULL CHECK (status IN ('sending', 'sent')),
         subject text,
         recipient_email text,
         message_id text,
         location text,
         created_at timestamptz NOT NULL DEFAULT now(),
         sent_at timestamptz
       )`,
      `CREATE INDEX notices_by_contract ON notices (contract_id, on_date)`,

      // Art. 30, D-8: what was deleted for a contract and when; steps recorded as they finish.
      `CREATE TABLE deletions (
         contract_id text PRIMARY KEY,
         last_contract_day date NOT NULL,
         deletion_day date NOT NULL CHECK (deletion_day > last_contract_day),
         accounts jsonb,
         resources jsonb,
         stored_data jsonb,
         ledger_contacts jsonb,
         started_at timestamptz NOT NULL DEFAULT now(),
         completed_at timestamptz
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
      `CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION '% rows are part of the issued record and cannot be changed (%)', TG_TABLE_NAME, TG_OP
           USING ERRCODE = 'P0001';
       END $$`,
      `CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
         FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments
         FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER payment_allocations_immutable BEFORE UPDATE OR DELETE ON payment_allocations
         FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON invoices
         FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER ledger_lines_no_truncate BEFORE TRUNCATE ON invoice_lines
         FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER ledger_payments_no_truncate BEFORE TRUNCATE ON payments
         FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
    ],
  },
  {
    version: 2,
    name: 'ledger: credit from a negative invoice set against a later one',
    statements: [
      // D-7, D-12: an invoice whose total is negative is a credit note; the contract sets that credit against
      // the next invoices (as it does an advance payment). Recorded here so the ledger settles each invoice
      // as the contract does: paid = payments + credit set against it − credit drawn from it.
      `CREATE TABLE credit_applications (
         contract_id text NOT NULL,
         from_period text NOT NULL,
         to_period text NOT NULL,
         amount bigint NOT NULL CHECK (amount > 0),
         recorded_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (contract_id, from_period, to_period),
         CHECK (from_period < to_period),
         FOREIGN KEY (contract_id, from_period) REFERENCES invoices (contract_id, period),
         FOREIGN KEY (contract_id, to_period) REFERENCES invoices (contract_id, period)
       )`,
      `CREATE INDEX credit_applications_to ON credit_applications (contract_id, to_period)`,
      `CREATE TRIGGER credit_applications_immutable BEFORE UPDATE OR DELETE ON credit_applications
         FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER credit_applications_no_truncate BEFORE TRUNCATE ON credit_applications
         FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
    ],
  },
  {
    version: 3,
    name: 'ledger: the customer master; invoice copies keep the name only (D-8 as revised)',
    statements: [
      // Art. 12-3: the only home of the customer's contact details (Temporal holds the id). Erased at D-8's
      // deletion: every detail NULL but the name — the billing record's, which the invoices still to be issued
      // (the last month's, on the 1st after the end) must carry, as the copies kept for 7 years do.
      `CREATE TABLE customers (
         id text PRIMARY KEY,
         contract_id text NOT NULL UNIQUE,
         name text,
         email text,
         contact_person text,
         address text,
         phone text,
         revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
         registered_at timestamptz NOT NULL DEFAULT now(),
         changed_at timestamptz,
         contact_removed_on date,
         CONSTRAINT customers_contact_or_erased CHECK (
           (contact_removed_on IS NULL AND name IS NOT NULL AND email IS NOT NULL)
           OR (contact_removed_on IS NOT NULL AND name IS NOT NULL AND email IS NULL AND contact_person IS NULL
               AND address IS NULL AND phone IS NULL))
       )`,
      // A contact change, once per request id: which revision it made (no personal data).
      `CREATE TABLE contact_changes (
         request_id text PRIMARY KEY,
         customer_id text NOT NULL REFERENCES customers (id),
         revision integer NOT NULL CHECK (revision >= 2),
         changed_at timestamptz NOT NULL DEFAULT now(),
         UNIQUE (customer_id, revision)
       )`,
      // Which contact revision a notice went to, instead of a copy of the address; 'withheld': due after
      // D-8 erased the contact, so recorded and not mailed.
      `ALTER TABLE notices ADD COLUMN contact_revision integer`,
      `ALTER TABLE notices DROP CONSTRAINT notices_status_check`,
      `ALTER TABLE notices ADD CONSTRAINT notices_status_check CHECK (status IN ('sending', 'sent', 'withheld'))`,
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
    version: 4,
    name: 'ledger: the audit trail of every command attempted',
    statements: [
      // Issue 16: every command attempted through the console or the CLI, accepted or refused: who, when,
      // which contract, what (the update's input: ids and figures, no personal data), the request id, and
      // how it ended. Written before the command is sent ('pending'), its outcome once, and never again.
      `CREATE TABLE audit_trail (
         id bigserial PRIMARY KEY,
         at timestamptz NOT NULL DEFAULT now(),
         actor_id text NOT NULL CHECK (actor_id <> ''),
         actor_role text NOT NULL CHECK (actor_role IN ('viewer', 'clerk', 'supervisor', 'admin', 'system')),
         via text NOT NULL CHECK (via IN ('console', 'cli', 'system')),
         contract_id text,
         command text NOT NULL,
         request_id text NOT NULL,
         details jsonb NOT NULL DEFAULT '{}'::jsonb,
         outcome text NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'accepted', 'refused', 'failed')),
         message text,
         decided_at timestamptz,
         CHECK ((outcome = 'pending') = (decided_at IS NULL))
       )`,
      `CREATE INDEX audit_trail_by_contract ON audit_trail (contract_id, id)`,
      `CREATE INDEX audit_trail_by_actor ON audit_trail (actor_id, id)`,
      // Append-only: no row is deleted; a row's facts never change; its outcome is set once, from pending.
      `CREATE FUNCTION audit_trail_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           RAISE EXCEPTION 'the audit trail is append-only: row % cannot be deleted', OLD.id USING ERRCODE = 'P0001';
         END IF;
         IF OLD.outcome <> 'pending' THEN
           RAISE EXCEPTION 'the audit trail is append-only: row % is decided (%)', OLD.id, OLD.outcome USING ERRCODE = 'P0001';
         END IF;
         IF (NEW.id, NEW.at, NEW.actor_id, NEW.actor_role, NEW.via, NEW.contract_id, NEW.command, NEW.request_id, NEW.details)
            IS DISTINCT FROM (OLD.id, OLD.at, OLD.actor_id, OLD.actor_role, OLD.via, OLD.contract_id, OLD.command, OLD.request_id, OLD.details) THEN
           RAISE EXCEPTION 'the audit trail is append-only: only the outcome of row % may be recorded', OLD.id USING ERRCODE = 'P0001';
         END IF;
         RETURN NEW;
       END $$`,
      `CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON audit_trail FOR EACH ROW EXECUTE FUNCTION audit_trail_guard()`,
      `CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
    ],
  },
  {
    version: 5,
    name: 'console: people and their sessions',
    statements: [
      // Issue 16: the back-office console's people. No default password: a person is created with a
      // one-time password (shown once) that must be changed at first sign-in. The hash is scrypt's,
      // `scrypt$N$r$p$salt$hash` (src/console/people.ts); never the password itself.
      `CREATE TABLE people (
         id text PRIMARY KEY CHECK (id ~ '^u-[0-9a-f-]{36}$'),
         login text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
         display_name text NOT NULL CHECK (display_name <> ''),
         role text NOT NULL CHECK (role IN ('viewer', 'clerk', 'supervisor', 'admin')),
         password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
         must_change_password boolean NOT NULL DEFAULT true,
         failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
         locked_until timestamptz,
         disabled boolean NOT NULL DEFAULT false,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      // The console's sessions (@fastify/session's store): the signed-in person's id, the language, the
      // CSRF secret. Expired rows are ignored on read and swept on write.
      `CREATE TABLE console_sessions (
         sid text PRIMARY KEY,
         data jsonb NOT NULL,
         expires_at timestamptz NOT NULL
       )`,
      `CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)`,
    ],
  },
  {
    version: 6,
    name: 'ledger: payment reversals',
    statements: [
      // A payment taken back (issue 16: four eyes): the payment and its allocations stay as recorded; the
      // reversal is a row of its own, once per payment, and the invoices' paid amounts leave it out.
      `CREATE TABLE payment_reversals (
         payment_id text PRIMARY KEY REFERENCES payments (payment_id),
         contract_id text NOT NULL,
         reversed_on date NOT NULL,
         reason text NOT NULL CHECK (reason <> ''),
         recorded_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TRIGGER payment_reversals_immutable BEFORE UPDATE OR DELETE ON payment_reversals
         FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER payment_reversals_no_truncate BEFORE TRUNCATE ON payment_reversals
         FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
    ],
  },
  {
    version: 7,
    name: 'console: people linked to a single sign-on identity',
    statements: [
      // Single sign-on by OpenID Connect (src/console/oidc.ts): an admin links a person to the identity
      // provider's issuer and subject (`sub`), the one stable identifier OpenID Connect gives; an ID token
      // signs in the person linked to its issuer and subject, nobody else. Both or neither; one person per identity.
      `ALTER TABLE people ADD COLUMN oidc_issuer text, ADD COLUMN oidc_subject text`,
      `ALTER TABLE people ADD CONSTRAINT people_oidc_identity_whole CHECK (
         (oidc_issuer IS NULL) = (oidc_subject IS NULL)
         AND (oidc_subject IS NULL OR (oidc_issuer <> '' AND oidc_subject <> '' AND length(oidc_subject) <= 255))
       )`,
      `CREATE UNIQUE INDEX people_oidc_identity ON people (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL`,
    ],
  },
  {
    version: 8,
    name: 'ledger: the issued invoice document (PDF) with its SHA-256',
    statements: [
      // Issue 17: the invoice as the customer receives it, made once at issue (one per invoice, by its business
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
  {
    version: 9,
    name: 'ledger: price-list versions (D-17) and the outcomes of provider-wide runs',
    statements: [
      // Issue 18: each price-list version as announced (the plans it changes), effective from its month; the
      // first version (Appendix 2, 2025-04) is the catalog itself. Never changed: a correction is a new version.
      `CREATE TABLE price_list_versions (
         id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
         effective_month text NOT NULL UNIQUE CHECK (effective_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
         change jsonb NOT NULL,
         announced_on text NOT NULL,
         announced_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE TRIGGER price_list_versions_immutable BEFORE UPDATE OR DELETE ON price_list_versions
         FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
      // D-17: each invoice line priced from the list names the version it used (null: not from the list).
      `ALTER TABLE invoice_lines ADD COLUMN price_list text`,
      // What each contract answered a provider-wide run (or its dry run): one row per run and contract, the
      // latest attempt's (a retried batch writes its row again). The report staff read; the audit is elsewhere.
      `CREATE TABLE provider_action_outcomes (
         run_id text NOT NULL,
         contract_id text NOT NULL,
         command text NOT NULL,
         dry_run boolean NOT NULL,
         outcome text NOT NULL CHECK (outcome IN ('changed', 'unchanged', 'refused', 'failed')),
         reason text,
         preview jsonb,
         recorded_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (run_id, contract_id)
       )`,
      // Four eyes on a provider-wide action (Art. 5 discontinuation): asked by one supervisor with a reason,
      // approved by another, once; the approval starts the run. Withdrawn or approved, a request is closed.
      `CREATE TABLE provider_action_requests (
         id text PRIMARY KEY,
         action jsonb NOT NULL,
         reason text NOT NULL CHECK (reason <> ''),
         requested_by text NOT NULL,
         requested_at timestamptz NOT NULL DEFAULT now(),
         approved_by text,
         approved_at timestamptz,
         CHECK (approved_by IS NULL OR approved_by <> requested_by)
       )`,
    ],
  },
  {
    version: 10,
    name: 'credit settles older invoices too (D-27)',
    statements: [
      // D-27: credit settles the oldest due invoice first, so it may go to an earlier invoice than its own.
      `ALTER TABLE credit_applications DROP CONSTRAINT credit_applications_check`,
      `ALTER TABLE credit_applications ADD CONSTRAINT credit_applications_other_invoice CHECK (from_period <> to_period)`,
    ],
  },
];

/** Applies every migration not yet recorded in `schema_migrations`. Returns the versions applied now. */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (seen.rows.length > 0) return false;
      for (const statement of m.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}
