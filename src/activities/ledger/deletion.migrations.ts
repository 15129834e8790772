/** The deletion store's schema: its migrations, frozen once shipped (add the next one, never edit one). */
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'deletion: what was deleted for a contract and when (Art. 30, D-8, from migration 1)',
    statements: [
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
    ],
  },
];
