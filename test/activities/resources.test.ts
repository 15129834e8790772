/** The default ResourceApi over DATA_DIR/resources/<contractId>/: irreversible, idempotent, no path tricks. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryResourceApi } from '../../src/activities';
import { expectNonRetryable, tempDir } from './support';

describe('DirectoryResourceApi', () => {
  const tmp = tempDir('neutrix-resources-');
  afterEach(() => tmp.remove());

  it('deletes each category once, reports what it deleted, then reports nothing', async () => {
    const api = new DirectoryResourceApi(join(tmp.dir, 'resources'));
    await api.provision('C-0001', { accounts: ['admin', 'ops'], resources: ['vm-1'], data: { 'db.dump': 'rows', 'notes.txt': 'text' } });
    await api.provision('C-0002', { accounts: ['other'] });
    expect(await api.holdings('C-0001')).toEqual({ accounts: ['admin', 'ops'], resources: ['vm-1'], data: ['db.dump', 'notes.txt'] });

    expect(await api.deleteAccounts('C-0001')).toEqual(['admin', 'ops']);
    expect(await api.deleteAccounts('C-0001')).toEqual([]);
    expect(await api.deleteResources('C-0001')).toEqual(['vm-1']);
    expect(await api.deleteStoredData('C-0001')).toEqual(['db.dump', 'notes.txt']);
    expect(await api.deleteStoredData('C-0001')).toEqual([]);
    expect(existsSync(join(tmp.dir, 'resources', 'C-0001'))).toBe(false);
    expect(await api.holdings('C-0002')).toMatchObject({ accounts: ['other'] }); // another contract untouched
    expect(await api.deleteResources('C-never')).toEqual([]);
  });

  it('refuses a contract id that is not a plain name (it becomes a folder removed recursively)', async () => {
    const api = new DirectoryResourceApi(join(tmp.dir, 'resources'));
    for (const id of ['../etc', 'a/b', '.', '..', '', ' C-1']) {
      await expectNonRetryable(api.deleteStoredData(id), 'BadDeletionRequest');
    }
  });
});
