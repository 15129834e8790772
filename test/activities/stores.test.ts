/**
 * The ledger is split by the data each store owns: only a store's module writes SQL on its tables, and
 * only the stores query the connection (the Ledger opens it and hands it to them).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const LEDGER = 'src/activities/ledger/';

/** Each table and the module(s) of the store that owns it (its schema beside it, in <store>.migrations.ts). */
const OWNERS: Record<string, string[]> = {
  invoice_counter: ['invoices.ts'],
  // receivables.ts reads across the stores (owns no table); payers.ts looks an invoice number up for a bank line.
  invoices: ['invoices.ts', 'accounting.ts', 'receivables.ts', 'payers.ts'],
  invoice_lines: ['invoices.ts', 'accounting.ts'],
  payments: ['payments.ts', 'receivables.ts'],
  payment_allocations: ['payments.ts', 'receivables.ts'],
  payment_reversals: ['payments.ts', 'receivables.ts'],
  credit_applications: ['payments.ts', 'receivables.ts'],
  notices: ['notices.ts'],
  deletions: ['deletion.ts'],
  // payers.ts is the customers store's (payer names, payer code, virtual account).
  customers: ['customers.ts', 'payers.ts', 'receivables.ts'],
  contact_changes: ['customers.ts'],
  audit_trail: ['audit.ts'],
  // The people store: its sign-in throttle's SQL in sign-ins.ts, its schema in people.migrations.ts.
  people: ['people.ts', 'sign-ins.ts'],
  console_sessions: ['people.ts'],
  sign_in_addresses: ['people.ts', 'sign-ins.ts'],
  sign_in_devices: ['people.ts', 'sign-ins.ts'],
  invoice_documents: ['documents.ts'],
  price_list_versions: ['provider-actions.ts'],
  provider_action_outcomes: ['provider-actions.ts'],
  provider_action_requests: ['provider-actions.ts'],
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The code without its comments, so prose naming a table is not taken for SQL. */
const code = (path: string) =>
  readFileSync(join(ROOT, path), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

describe('the ledger stores', () => {
  const files = sources('src').map((p) => relative(ROOT, join(ROOT, p)));

  it('only a store runs SQL on its tables', () => {
    const strays: string[] = [];
    for (const path of files) {
      const text = code(path);
      for (const [table, owners] of Object.entries(OWNERS)) {
        const sql = new RegExp(`\\b(FROM|JOIN|INTO|UPDATE|TABLE|ON|FULL)\\s+${table}\\b`);
        // A store's schema lives beside it: invoices.ts and invoices.migrations.ts are one store.
        const owned = owners.some((o) => path === LEDGER + o || path === LEDGER + o.replace(/\.ts$/, '.migrations.ts'));
        if (sql.test(text) && !owned) strays.push(`${path}: ${table}`);
      }
    }
    expect(strays).toEqual([]);
  });

  it('only the stores query the connection', () => {
    const outside = files.filter((p) => !p.startsWith(LEDGER));
    const strays = outside.filter((p) => /\.db\.(query|transaction)\b|\bledger\.db\b/.test(code(p)));
    // Opening it is the dependencies' (index.ts re-exports the openers for the entry points and the tests).
    const importers = outside.filter((p) => /from '[./]*(activities\/)?ledger\/db'/.test(code(p)));
    expect(strays).toEqual([]);
    expect(importers).toEqual(['src/activities/dependencies.ts', 'src/activities/index.ts']);
  });
});
