/** The payments store's schema: its migrations, frozen once shipped (add the next one, never edit one). */
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'payments: payments and their allocations, immutable (from migration 1)',
    statements: [
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
      `CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments
         FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
      `CREATE TRIGGER payment_allocations_immutable BEFORE UPDATE OR DELETE ON payment_allocations
         FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
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
    version: 6,
    name: 'ledger: payment reversals',
    statements: [
      // A payment taken back (four eyes): the payment and its allocations stay as recorded; the
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
    version: 10,
    name: 'credit settles older invoices too (D-27)',
    statements: [
      // D-27: credit settles the oldest due invoice first, so it may go to an earlier invoice than its own.
      `ALTER TABLE credit_applications DROP CONSTRAINT credit_applications_check`,
      `ALTER TABLE credit_applications ADD CONSTRAINT credit_applications_other_invoice CHECK (from_period <> to_period)`,
    ],
  },
];
