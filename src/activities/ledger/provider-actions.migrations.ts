/** The provider actions store's schema: its migrations, frozen once shipped (add the next one, never edit one). */
import type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 9,
    name: 'provider actions: price-list versions (D-17) and the outcomes and requests of provider-wide runs (from migration 9)',
    statements: [
      // Each price-list version as announced (the plans it changes), effective from its month; the
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
];
