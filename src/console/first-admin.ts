/**
 * `npm run console:admin -- <login> [--name "表示名"] [--role ROLE] [--reset] [--api-token [--days N]]`: the
 * console's first admin (or a person of another role). There is no
 * default password: this prints a one-time password, once, which must be changed at the first sign-in.
 * `--reset` gives an existing person a new one-time password (and unlocks them) — the way back in when
 * the last admin forgot theirs. `--api-token` also issues the person a personal API token for the CLI
 * (NEUTRIX_API_TOKEN), shown once; for a person who exists, only the token.
 *
 * Both are audited (src/backoffice/people.ts) as `ops:console-admin:<the OS user>`, role admin, via cli:
 * whoever can open the ledger acts as an admin here.
 *
 * It opens the ledger as the worker does (DATABASE_URL, else PGlite in DATA_DIR/ledger). PGlite is one
 * process's database: while `npm start` holds it, stop it first (Ctrl-C), or use PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Ledger, openPglite, openPostgres } from '../backoffice/ledger-records';
import { privateDir } from '../files';
import { loadSettings } from '../settings';
import { People, PersonError } from '../backoffice/people';
import { ApiTokens, MAX_TOKEN_DAYS, TokenRefusal } from '../backoffice/api-tokens';
import { ledgerAccessOf } from '../backoffice/ledger-client';
import { ROLES, type Actor, type Role } from '../domain/actor';

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
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      reset: { type: 'boolean' },
      'api-token': { type: 'boolean' },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.error('usage: npm run console:admin -- <login> [--name "表示名"] [--role admin|supervisor|clerk|viewer] [--reset] [--api-token [--days N]]');
    return values.help ? 0 : 2;
  }
  const role = values.role ?? 'admin';
  if (!(ROLES as readonly string[]).includes(role)) {
    console.error(`console:admin: --role: expected one of ${ROLES.join(', ')} (got "${role}")`);
    return 2;
  }
  const days = values.days === undefined ? undefined : /^\d{1,3}$/.test(values.days) ? Number(values.days) : Number.NaN;
  if (days !== undefined && (!values['api-token'] || !Number.isInteger(days))) {
    console.error(`console:admin: --days: a whole number of days (1–${MAX_TOKEN_DAYS}) with --api-token`);
    return 2;
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
    const tokens = new ApiTokens(ledger.apiTokens, ledger.people, ledgerAccessOf(ledger).audit);
    const issueToken = async (personId: string, personLogin: string) => {
      const { token, record } = await tokens.issue(operator(), personId, { label: 'console:admin', days, requestId: `console-admin-${randomUUID()}` });
      console.log(
        `\nA personal API token for ${personLogin}, shown this once (expires ${record.expiresAt}):\n\n  ${token}\n\nFor the CLI: export NEUTRIX_API_TOKEN=<the token>`,
      );
    };
    const existing = await people.byLogin(login);
    if (existing && values['api-token'] && !values.reset) {
      await issueToken(existing.id, existing.login);
      return 0;
    }
    if (existing) {
      if (!values.reset) {
        console.error(`console:admin: "${existing.login}" exists already (${existing.role}). Give --reset for a new one-time password.`);
        return 1;
      }
      const password = await people.resetPassword(existing.id, operator());
      console.log(
        `A new one-time password for ${existing.login} (${existing.role}), shown this once:\n\n  ${password}\n\nSign in with it once, within 24 hours, at http://localhost:${settings.CONSOLE_PORT}/ and choose a new password.`,
      );
      if (values['api-token']) await issueToken(existing.id, existing.login);
      return 0;
    }
    const { person, oneTimePassword } = await people.createPerson(login, values.name ?? login, role as Role, operator());
    console.log(
      `${person.role} ${person.login} (${person.id}) created. One-time password, shown this once:\n\n  ${oneTimePassword}\n\nSign in with it once, within 24 hours, at http://localhost:${settings.CONSOLE_PORT}/ (npm start) and choose a new password of at least 12 characters.`,
    );
    if (values['api-token']) await issueToken(person.id, person.login);
    return 0;
  } catch (err) {
    console.error(`console:admin: ${err instanceof PersonError || err instanceof TokenRefusal ? err.message : (err as Error).message}`);
    return err instanceof PersonError || err instanceof TokenRefusal ? 2 : 1;
  } finally {
    await ledger.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
