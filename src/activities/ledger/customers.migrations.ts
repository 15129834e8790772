/** The customers store's schema: its migrations, frozen once shipped (add the next one, never edit one). */
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 3,
    name: 'customers: the customer master and its contact changes (Art. 12-3, from migration 3)',
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
    ],
  },
  {
    version: 13,
    name: 'customers: a customer holds any number of contracts; payer names, payer code and virtual account (issue 29)',
    statements: [
      // A customer (法人) holds any number of contracts; the row's contract_id stays as the contract it was
      // registered with. D-8: a contract's deletion marks its link; the customer's contact details are
      // erased when no contract of theirs is left whose data is kept (docs/decisions.md D-32).
      `CREATE TABLE customer_contracts (
         contract_id text PRIMARY KEY,
         customer_id text NOT NULL REFERENCES customers (id),
         linked_at timestamptz NOT NULL DEFAULT now(),
         data_deleted_on date
       )`,
      `CREATE INDEX customer_contracts_by_customer ON customer_contracts (customer_id, contract_id)`,
      `INSERT INTO customer_contracts (contract_id, customer_id, linked_at, data_deleted_on)
         SELECT contract_id, id, registered_at, contact_removed_on FROM customers`,
      // 振込依頼人コード and バーチャル口座: unique across customers (a bank line names one customer at most).
      `ALTER TABLE customers ADD COLUMN payer_code text UNIQUE CHECK (payer_code ~ '^[0-9]{10}$')`,
      `ALTER TABLE customers ADD COLUMN virtual_account text UNIQUE CHECK (virtual_account ~ '^[0-9]{7}$')`,
      // 振込依頼人名 as entered and in the matching form (D-30); one name may be registered to two customers —
      // then it names neither (a line is matched by name only to exactly one customer).
      `CREATE TABLE customer_payer_names (
         customer_id text NOT NULL REFERENCES customers (id),
         name text NOT NULL CHECK (name <> '' AND length(name) <= 48),
         match_key text NOT NULL CHECK (match_key <> ''),
         added_by text NOT NULL,
         added_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (customer_id, match_key)
       )`,
      `CREATE INDEX customer_payer_names_by_key ON customer_payer_names (match_key)`,
    ],
  },
];
