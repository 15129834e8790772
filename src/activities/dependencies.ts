/**
 * The real components from the settings, and throwaway ones for the simulator and tests. The ledger's
 * connection is opened here and handed to the Ledger, whose stores alone query it.
 */
import { join } from 'node:path';
import { loadSettings, type Settings } from '../settings';
import type { ActivityDeps } from './effects';
import { openPglite, openPostgres } from './ledger/db';
import { Ledger } from './ledger/ledger';
import { CaptureMailer, OutboxMailer, SmtpMailer, type Mailer } from './mail/mailer';
import { DirectoryResourceApi, InMemoryResourceApi } from './resources';

/** Errors of a database that is not there yet (down, restarting, starting up): worth waiting for. */
export function databaseUnreachable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '57P03', '57P01'].includes(e?.code ?? '') ||
    /timeout exceeded when trying to connect|Connection terminated/i.test(e?.message ?? '')
  );
}

/**
 * PostgreSQL, waited for when it is down (a worker started while the database is down waits, then
 * starts): retried with backoff up to every 30 s, each wait reported. A wrong password or database
 * name fails at once — waiting would not fix it.
 */
export async function openPostgresWhenReachable(
  url: string,
  waiting: (attempt: number, err: Error, nextInMs: number) => void,
  signal?: AbortSignal,
): Promise<Awaited<ReturnType<typeof openPostgres>>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openPostgres(url);
    } catch (err) {
      if (!databaseUnreachable(err) || signal?.aborted) throw err;
      const next = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
      waiting(attempt, err as Error, next);
      await new Promise((r) => setTimeout(r, next));
    }
  }
}

/**
 * The real components from the settings: PostgreSQL when DATABASE_URL is set, else PGlite in
 * DATA_DIR/ledger; SMTP when SMTP_URL is set, else .eml files in DATA_DIR/outbox; resources in
 * DATA_DIR/resources. Migrations are applied at open.
 */
export async function openDependencies(
  settings: Settings,
  options: { waitingForDatabase?: (attempt: number, err: Error, nextInMs: number) => void; signal?: AbortSignal } = {},
): Promise<ActivityDeps & { close(): Promise<void> }> {
  const db = settings.DATABASE_URL
    ? options.waitingForDatabase
      ? await openPostgresWhenReachable(settings.DATABASE_URL, options.waitingForDatabase, options.signal)
      : await openPostgres(settings.DATABASE_URL)
    : await openPglite(join(settings.DATA_DIR, 'ledger'));
  let ledger: Ledger;
  try {
    ledger = await Ledger.open(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const mailer: Mailer = settings.SMTP_URL
    ? new SmtpMailer(settings.SMTP_URL, settings.MAIL_FROM)
    : new OutboxMailer(join(settings.DATA_DIR, 'outbox'), settings.MAIL_FROM);
  const resources = new DirectoryResourceApi(join(settings.DATA_DIR, 'resources'));
  return {
    ledger,
    mailer,
    resources,
    settings,
    async close() {
      await mailer.close();
      await ledger.close();
    },
  };
}

/** A migrated, empty in-memory ledger image, made once per process: later in-memory ledgers start from it. */
let emptyLedgerImage: Promise<Blob> | undefined;

/** A fresh, empty ledger in memory (PGlite), with the real schema. */
export async function openInMemoryLedger(): Promise<Ledger> {
  if (emptyLedgerImage) {
    const image = await emptyLedgerImage.catch(() => undefined);
    if (image) return Ledger.open(await openPglite(undefined, image));
  }
  const db = await openPglite();
  const ledger = await Ledger.open(db);
  emptyLedgerImage ??= db.dump!();
  await emptyLedgerImage.catch(() => undefined);
  return ledger;
}

/**
 * Throwaway stand-ins for the scenario simulator and tests: PGlite in memory (the real schema and
 * migrations), a mailer that keeps each mail in `mailer.mails`, resources in memory.
 */
export async function openInMemoryDependencies(
  settings: Settings = loadSettings(process.env),
): Promise<ActivityDeps & { mailer: CaptureMailer; resources: InMemoryResourceApi; close(): Promise<void> }> {
  const ledger = await openInMemoryLedger();
  const mailer = new CaptureMailer(settings.MAIL_FROM);
  const resources = new InMemoryResourceApi();
  return {
    ledger,
    mailer,
    resources,
    settings,
    async close() {
      await ledger.close();
    },
  };
}
