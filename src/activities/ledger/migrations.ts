/**
 * The ledger's schema, store by store: each store (invoices.ts, payments.ts, notices.ts, deletion.ts,
 * customers.ts, audit.ts, people.ts, documents.ts, provider-actions.ts, api-tokens.ts, bank-lines.ts) owns its tables and their
 * migrations; this runner applies them and records each as (store, version). Each migration is a list of
 * single statements (PGlite's extended protocol runs one statement per query) and runs in its own
 * transaction under an advisory lock, so two workers opening the same database at once apply each exactly
 * once. Never edit a migration that has shipped: add the next one to its store.
 *
 * Versions order migrations across the stores too (a store may rely on an earlier one's tables: credits and
 * documents refer to invoices). The versions 1–9 are the one list the ledger had before it was split by
 * store; each keeps its number and statements, so a fresh database ends with the same schema as before.
 */
import type { Db } from './db';
import { MIGRATIONS as API_TOKENS } from './api-tokens.migrations';
import { MIGRATIONS as AUDIT } from './audit.migrations';
import { MIGRATIONS as BANK_LINES } from './bank-lines.migrations';
import { MIGRATIONS as CUSTOMERS } from './customers.migrations';
import { MIGRATIONS as DELETION } from './deletion.migrations';
import { MIGRATIONS as DOCUMENTS } from './documents.migrations';
import { MIGRATIONS as INVOICES } from './invoices.migrations';
import { MIGRATIONS as NOTICES } from './notices.migrations';
import { MIGRATIONS as PAYMENTS } from './payments.migrations';
import { MIGRATIONS as PEOPLE } from './people.migrations';
import { MIGRATIONS as PROVIDER_ACTIONS } from './provider-actions.migrations';

import type { Migration } from './migration';
export type { Migration };

export interface StoreMigration extends Migration {
  store: string;
}

/** Any advisory-lock key the project does not use elsewhere. */
const MIGRATION_LOCK_KEY = 7_305_221_001;

/** The trigger function every store's issued records share; no table of its own. */
const COMMON: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger: the guard that refuses any change to an issued record (from migration 1)',
    statements: [
      `CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION '% rows are part of the issued record and cannot be changed (%)', TG_TABLE_NAME, TG_OP
           USING ERRCODE = 'P0001';
       END $$`,
    ],
  },
];

/** The stores in the order they are applied within one version. */
const STORES: ReadonlyArray<readonly [string, readonly Migration[]]> = [
  ['common', COMMON],
  ['invoices', INVOICES],
  ['payments', PAYMENTS],
  ['notices', NOTICES],
  ['deletion', DELETION],
  ['customers', CUSTOMERS],
  ['audit', AUDIT],
  ['people', PEOPLE],
  ['documents', DOCUMENTS],
  ['provider-actions', PROVIDER_ACTIONS],
  ['api-tokens', API_TOKENS],
  ['bank-lines', BANK_LINES],
];

/** Every store's migrations in the order they are applied: by version, then by store. */
export const MIGRATIONS: readonly StoreMigration[] = STORES.flatMap(([store, list]) => list.map((m) => ({ store, ...m }))).sort(
  (a, b) => a.version - b.version, // stable: the stores' order within a version
);

/** Applies every migration not yet recorded in `schema_migrations`. Returns those applied now. */
export async function migrate(db: Db, migrations: readonly StoreMigration[] = MIGRATIONS): Promise<Array<{ store: string; version: number }>> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const columns = await tx.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`,
    );
    const before = columns.rows.length > 0 && !columns.rows.some((c) => c.column_name === 'store');
    // A database migrated before the split recorded one version per migration: its version N is every
    // store's migration N, applied at the same time. Recorded again by store, in a table of the new shape.
    const old = before ? (await tx.query<{ version: unknown; applied_at: unknown }>('SELECT version, applied_at FROM schema_migrations')).rows : [];
    if (before) await tx.query('DROP TABLE schema_migrations');
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
       store text NOT NULL,
       version integer NOT NULL,
       name text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (store, version)
     )`);
    for (const row of old) {
      for (const m of MIGRATIONS.filter((x) => x.version === Number(row.version))) {
        await tx.query('INSERT INTO schema_migrations (store, version, name, applied_at) VALUES ($1, $2, $3, $4)', [
          m.store,
          m.version,
          m.name,
          row.applied_at,
        ]);
      }
    }
  });
  const applied: Array<{ store: string; version: number }> = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE store = $1 AND version = $2', [m.store, m.version]);
      if (seen.rows.length > 0) return false;
      for (const statement of m.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (store, version, name) VALUES ($1, $2, $3)', [m.store, m.version, m.name]);
      return true;
    });
    if (done) applied.push({ store: m.store, version: m.version });
  }
  return applied;
}
