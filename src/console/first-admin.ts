/**
 * `npm run console:admin -- <login> [--name "表示名"] [--reset]`: the console's first admin. There is no
 * default password: this prints a one-time password, once, which must be changed at the first sign-in.
 * `--reset` gives an existing person a new one-time password (and unlocks them) — the way back in when
 * the last admin forgot theirs.
 *
 * Both are audited (src/backoffice/people.ts) as `ops:console-admin:<the OS user>`, role admin, via cli:
 * whoever can open the ledger acts as an admin here.
 *
 * It opens the ledger as the worker does (DATABASE_URL, else PGlite in DATA_DIR/ledger). PGlite is one
 * process's database: while `npm start` holds it, stop it first (Ctrl-C), or use PostgreSQL.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Ledger, openPglite, openPostgres } from '../backoffice/ledger-records';
import { privateDir } from '../files';
import { loadSettings } from '../settings';
import { People, PersonError } from '../backoffice/people';
import type { Actor } from '../domain/actor';

/** Who runs this script, for the audit trail: the operating system's user (the ids' characters only). */
function operator(): Actor {
  let user = 'unknown';
  try {
    user =
      userInfo()
        .username.replace(/[^A-Za-z0-9._@-]/g, '_')
        .slice(0, 64) || 'unknown';
  } catch {
    // no user name on this system: the row still says the script did it
  }
  return { id: `ops:console-admin:${user}`, role: 'admin', via: 'cli' };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, reset: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length !== 1) {
    console.error('usage: npm run console:admin -- <login> [--name "表示名"] [--reset]');
    return values.help ? 0 : 2;
  }
  const login = positionals[0]!;
  const settings = loadSettings();
  let db: Awaited<ReturnType<typeof openPglite>> | Awaited<ReturnType<typeof openPostgres>>;
  try {
    if (settings.DATABASE_URL) db = await openPostgres(settings.DATABASE_URL, { max: 1 });
    else {
      privateDir(settings.DATA_DIR);
      db = await openPglite(join(settings.DATA_DIR, 'ledger'));
    }
  } catch (err) {
    const message = (err as Error).message;
    if (/is open in process/.test(message)) {
      console.error(
        `console:admin: ${message}.\n  Stop the running system (Ctrl-C in its terminal) and run this again, or use a PostgreSQL ledger (DATABASE_URL).`,
      );
    } else console.error(`console:admin: cannot open the ledger: ${message}`);
    return 1;
  }
  const ledger = await Ledger.open(db);
  try {
    const people = new People(ledger.people);
    const existing = await people.byLogin(login);
    if (existing) {
      if (!values.reset) {
        console.error(`console:admin: "${existing.login}" exists already (${existing.role}). Give --reset for a new one-time password.`);
        return 1;
      }
      const password = await people.resetPassword(existing.id, operator());
      console.log(
        `A new one-time password for ${existing.login} (${existing.role}), shown this once:\n\n  ${password}\n\nSign in with it once, within 24 hours, at http://127.0.0.1:${settings.CONSOLE_PORT}/ and choose a new password.`,
      );
      return 0;
    }
    const { person, oneTimePassword } = await people.createPerson(login, values.name ?? login, 'admin', operator());
    console.log(
      `Admin ${person.login} (${person.id}) created. One-time password, shown this once:\n\n  ${oneTimePassword}\n\nSign in with it once, within 24 hours, at http://127.0.0.1:${settings.CONSOLE_PORT}/ (npm start) and choose a new password of at least 12 characters.`,
    );
    return 0;
  } catch (err) {
    console.error(`console:admin: ${err instanceof PersonError ? err.message : (err as Error).message}`);
    return err instanceof PersonError ? 2 : 1;
  } finally {
    await ledger.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
