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
];
