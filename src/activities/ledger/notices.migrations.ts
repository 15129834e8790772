/** The notices store's schema: its migrations, frozen once shipped (add the next one, never edit one). */
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'notices: one row per notice id (from migration 1)',
    statements: [
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
    ],
  },
  {
    version: 3,
    name: 'notices: the contact revision, and withheld notices (D-8, from migration 3)',
    statements: [
      // Which contact revision a notice went to, instead of a copy of the address; 'withheld': due after
      // D-8 erased the contact, so recorded and not mailed.
      `ALTER TABLE notices ADD COLUMN contact_revision integer`,
      `ALTER TABLE notices DROP CONSTRAINT notices_status_check`,
      `ALTER TABLE notices ADD CONSTRAINT notices_status_check CHECK (status IN ('sending', 'sent', 'withheld'))`,
    ],
  },
];
