/**
 * A tiny adapter over the two PostgreSQL engines the ledger runs on: PGlite (embedded, in memory or in a
 * folder) and a real server through `pg`. The ledger speaks plain SQL with `$1` parameters to both, so one
 * schema and one set of migrations serve both.
 *
 * Values are read back as the engines give them; the ledger converts: bigint/numeric to Number (pg gives
 * strings, PGlite numbers or BigInt), dates are selected as `::text` (both engines would otherwise turn a
 * DATE into a JS Date at local midnight).
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { privateDir, tightenTree } from '../../files';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Sql {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Db extends Sql {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction (READ COMMITTED): COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: the whole database as a tarball, to start other in-memory copies from (`openPglite(undefined, image)`). */
  dump?(): Promise<Blob>;
}

/**
 * PGlite: `dataDir` undefined means in memory. One connection; its own mutex serialises transactions.
 * Creating a cluster takes seconds (initdb runs in WebAssembly); starting from an `image` made by `dump()`
 * takes about one.
 */
export async function openPglite(dataDir?: string, image?: Blob): Promise<Db> {
  let unlock = () => {};
  if (dataDir !== undefined) {
    privateDir(dataDir); // it holds the customer master
    unlock = lockDirectory(dataDir);
  }
  let lite: PGlite;
  try {
    lite = await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), ...(image ? { loadDataDir: image } : {}) });
  } catch (err) {
    unlock();
    throw err;
  }
  if (dataDir !== undefined) tightenTree(dataDir);
  const wrap = (run: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[]; affectedRows?: number; rowCount?: number }>): Sql => ({
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await run(sql, params);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.affectedRows ?? r.rows.length };
    },
  });
  const top = wrap((sql, params) => lite.query(sql, params));
  let closed = false;
  return {
    engine: 'pglite',
    query: top.query,
    transaction: (fn) => lite.transaction((tx) => fn(wrap((sql, params) => tx.query(sql, params)))),
    dump: () => lite.dumpDataDir('none'),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await lite.close();
        if (dataDir !== undefined) tightenTree(dataDir); // the files PGlite made while open
      } finally {
        unlock();
      }
    },
  };
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it. A lock
 * file with the owner's pid refuses that with a clear message (a lock left by a dead process is taken over).
 */
function lockDirectory(dataDir: string): () => void {
  const path = `${resolve(dataDir)}.lock`; // beside the cluster's folder, not in it
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(`the ledger in ${dataDir} is open in process ${owner}; PGlite serves one process only (set DATABASE_URL to share a PostgreSQL ledger)`);
      }
      if (owner === process.pid) throw new Error(`the ledger in ${dataDir} is already open in this process`);
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new Error(`cannot lock the ledger in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A PostgreSQL server through a `pg` pool. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that kills the process.
  pool.on('error', () => undefined);
  const asSql = (client: pg.Pool | pg.PoolClient): Sql => ({
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await client.query(sql, params);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
  });
  // Fail at open, not at the first activity, when the server cannot be reached.
  await pool.query('SELECT 1');
  const top = asSql(pool);
  let closed = false;
  return {
    engine: 'postgres',
    query: top.query,
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        try {
          const result = await fn(asSql(client));
          await client.query('COMMIT');
          return result;
        } catch (err) {
          try {
            await client.query('ROLLBACK');
          } catch (rollbackError) {
            broken = rollbackError as Error; // the connection is unusable: drop it from the pool
          }
          throw err;
        }
      } finally {
        client.release(broken);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * Moves the write-ahead log past what was written so far and checkpoints, so the segments that held old
 * row versions are removed (D-8: erased details must leave the files, not only the tables).
 */
export async function reclaimWal(db: Db): Promise<void> {
  if (db.engine === 'pglite') {
    // A recycled WAL segment is an old one renamed, its old bytes still in it. With recycling off, each
    // switch moves to a fresh segment and the checkpoint unlinks the ones before; segments recycled ahead
    // of time are switched through until none is left ahead of the current one.
    await db.query('SET wal_recycle = off');
    for (let round = 0; round < 10; round++) {
      const ahead = await db.query<{ n: unknown }>(
        `SELECT count(*)::int AS n FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' AND name > pg_walfile_name(pg_current_wal_lsn())`,
      );
      await db.query('SELECT pg_switch_wal()');
      await db.query('CHECKPOINT');
      if (num(ahead.rows[0]?.n) === 0) break;
    }
  } else {
    // PostgreSQL: a checkpoint needs pg_checkpoint; without it the server's own checkpoints follow soon.
    await db.query('CHECKPOINT').catch((err: { code?: string }) => {
      if (err?.code !== '42501') throw err;
    });
  }
}

/** Whole yen (or a count) from what an engine returns for bigint / numeric / int columns. */
export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : Number(String(value));
  if (!Number.isFinite(n)) throw new TypeError(`not a number from the database: ${String(value)}`);
  return n;
}

/** An ISO instant from a timestamptz column (both engines give a Date; be lenient with strings). */
export function instant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}
