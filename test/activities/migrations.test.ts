/**
 * The runner records each store's migrations as (store, version). A database migrated before the ledger
 * was split by store recorded one version per migration: opened now, its version N counts as every store's
 * migration N, the later ones are applied, and it ends with the schema a fresh database gets.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, openPglite, type Db } from '../../src/activities';

/** The schema as the catalog states it: columns, constraints, indexes, triggers, functions. */
async function schemaOf(db: Db): Promise<string[]> {
  const q = async (sql: string) => (await db.query(sql)).rows.map((r) => JSON.stringify(r));
  const own = `<> 'schema_migrations'`;
  return [
    ...(await q(
      `SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name ${own}`,
    )),
    ...(await q(
      `SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text ${own}`,
    )),
    ...(await q(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename ${own}`)),
    ...(await q(`SELECT tgname, pg_get_triggerdef(oid) AS d FROM pg_trigger WHERE NOT tgisinternal`)),
    ...(await q(`SELECT proname, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace`)),
  ].sort();
}

describe('the ledger migrations', () => {
  it('carry a database migrated before the split by store over, and end with the schema of a fresh one', async () => {
    const before = await openPglite();
    const fresh = await openPglite();
    try {
      // As the single list left it at version 5: the same statements, one row per version.
      await before.query(`CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      for (const m of MIGRATIONS.filter((x) => x.version <= 5)) for (const s of m.statements) await before.query(s);
      for (let v = 1; v <= 5; v++)
        await before.query(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'before the split', '2026-01-0${v}T00:00:00Z')`, [v]);

      const applied = await migrate(before);
      expect(applied).toEqual(MIGRATIONS.filter((m) => m.version > 5).map((m) => ({ store: m.store, version: m.version })));
      const rows = await before.query<{ store: string; version: number; applied_at: Date }>('SELECT store, version, applied_at FROM schema_migrations');
      expect(rows.rows.map((r) => `${r.store}@${r.version}`).sort()).toEqual(MIGRATIONS.map((m) => `${m.store}@${m.version}`).sort());
      for (const r of rows.rows.filter((x) => x.version <= 5)) expect(new Date(r.applied_at).toISOString()).toBe(`2026-01-0${r.version}T00:00:00.000Z`);
      expect(await migrate(before)).toEqual([]);

      expect(await migrate(fresh)).toHaveLength(MIGRATIONS.length);
      expect(await schemaOf(before)).toEqual(await schemaOf(fresh));
    } finally {
      await before.close();
      await fresh.close();
    }
  });
});
