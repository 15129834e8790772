/**
 * The provider's resource API (accounts, cloud resources, stored data) is outside this project. This is the
 * seam: three irreversible, idempotent deletions, each returning what it deleted (nothing when it is
 * already gone). Two implementations ship: a folder per contract under DATA_DIR/resources, and an
 * in-memory one for the simulator and tests. A real adapter implements the same interface.
 */
import { mkdirSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILURE_TYPES, nonRetryable } from './errors';

export interface ResourceApi {
  /** Deletes the contract's accounts (Art. 13); returns the account ids deleted now. */
  deleteAccounts(contractId: string): Promise<string[]>;
  /** Deletes the contract's cloud resources (VMs and the like); returns their ids. */
  deleteResources(contractId: string): Promise<string[]>;
  /** Deletes the contract's stored data; returns what was deleted. */
  deleteStoredData(contractId: string): Promise<string[]>;
}

/** What a contract holds, for provisioning the stand-ins (tests, simulator, a demo). */
export interface Holdings {
  accounts?: string[];
  resources?: string[];
  /** Stored data: name → content. */
  data?: Record<string, string>;
}

const CATEGORY = { accounts: 'accounts', resources: 'resources', data: 'data' } as const;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

function safeSegment(value: string, what: string): string {
  // A contract id becomes a folder name, and the folder is removed recursively: nothing but a plain name.
  if (!SAFE_NAME.test(value)) {
    throw nonRetryable(FAILURE_TYPES.badDeletionRequest, `${what} "${value}" is not a plain name (letters, digits, '.', '_', '-')`);
  }
  return value;
}

/** DATA_DIR/resources/<contractId>/{accounts,resources,data}/<entry>. */
export class DirectoryResourceApi implements ResourceApi {
  constructor(readonly root: string) {}

  private dir(contractId: string, category?: keyof typeof CATEGORY): string {
    const base = join(this.root, safeSegment(contractId, 'contract id'));
    return category ? join(base, CATEGORY[category]) : base;
  }

  /** Creates the contract's holdings (idempotent: existing entries are overwritten). */
  async provision(contractId: string, holdings: Holdings): Promise<void> {
    const put = (category: keyof typeof CATEGORY, name: string, content: string) => {
      const dir = this.dir(contractId, category);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, safeSegment(name, `${category} entry`)), content);
    };
    for (const a of holdings.accounts ?? []) put('accounts', a, `account ${a} of ${contractId}\n`);
    for (const r of holdings.resources ?? []) put('resources', r, `resource ${r} of ${contractId}\n`);
    for (const [name, content] of Object.entries(holdings.data ?? {})) put('data', name, content);
  }

  /** What the contract still holds. */
  async holdings(contractId: string): Promise<Required<Pick<Holdings, 'accounts' | 'resources'>> & { data: string[] }> {
    return { accounts: this.list(contractId, 'accounts'), resources: this.list(contractId, 'resources'), data: this.list(contractId, 'data') };
  }

  private list(contractId: string, category: keyof typeof CATEGORY): string[] {
    try {
      return readdirSync(this.dir(contractId, category)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  private remove(contractId: string, category: keyof typeof CATEGORY): string[] {
    const entries = this.list(contractId, category);
    const dir = this.dir(contractId, category);
    for (const e of entries) rmSync(join(dir, e), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    try {
      rmdirSync(this.dir(contractId)); // the contract's folder goes with its last category
    } catch {
      /* not empty yet, or already gone */
    }
    return entries;
  }

  async deleteAccounts(contractId: string): Promise<string[]> {
    return this.remove(contractId, 'accounts');
  }
  async deleteResources(contractId: string): Promise<string[]> {
    return this.remove(contractId, 'resources');
  }
  async deleteStoredData(contractId: string): Promise<string[]> {
    return this.remove(contractId, 'data');
  }
}

export class InMemoryResourceApi implements ResourceApi {
  private readonly store = new Map<string, { accounts: Set<string>; resources: Set<string>; data: Map<string, string> }>();
  /** Every call made, in order: lets a test see that a re-run deleted nothing twice. */
  readonly calls: Array<{ method: keyof ResourceApi; contractId: string; deleted: string[] }> = [];

  private entry(contractId: string) {
    let e = this.store.get(contractId);
    if (!e) {
      e = { accounts: new Set(), resources: new Set(), data: new Map() };
      this.store.set(contractId, e);
    }
    return e;
  }

  async provision(contractId: string, holdings: Holdings): Promise<void> {
    const e = this.entry(contractId);
    for (const a of holdings.accounts ?? []) e.accounts.add(a);
    for (const r of holdings.resources ?? []) e.resources.add(r);
    for (const [k, v] of Object.entries(holdings.data ?? {})) e.data.set(k, v);
  }

  async holdings(contractId: string): Promise<{ accounts: string[]; resources: string[]; data: string[] }> {
    const e = this.store.get(contractId);
    return { accounts: [...(e?.accounts ?? [])].sort(), resources: [...(e?.resources ?? [])].sort(), data: [...(e?.data.keys() ?? [])].sort() };
  }

  private take(method: keyof ResourceApi, contractId: string, pick: (e: ReturnType<InMemoryResourceApi['entry']>) => string[]): string[] {
    const e = this.store.get(contractId);
    const deleted = e ? pick(e).sort() : [];
    this.calls.push({ method, contractId, deleted });
    return deleted;
  }

  async deleteAccounts(contractId: string): Promise<string[]> {
    return this.take('deleteAccounts', contractId, (e) => {
      const out = [...e.accounts];
      e.accounts.clear();
      return out;
    });
  }
  async deleteResources(contractId: string): Promise<string[]> {
    return this.take('deleteResources', contractId, (e) => {
      const out = [...e.resources];
      e.resources.clear();
      return out;
    });
  }
  async deleteStoredData(contractId: string): Promise<string[]> {
    return this.take('deleteStoredData', contractId, (e) => {
      const out = [...e.data.keys()];
      e.data.clear();
      return out;
    });
  }
}
