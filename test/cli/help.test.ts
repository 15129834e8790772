/** `neutrix --help` lists every command the CLI runs; `console:admin` prints the address the Web UI's codec works with. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_COMMANDS, mainHelp, runCli, type CliIo } from '../../src/cli/index';
import { loadSettings } from '../../src/settings';

const every = ALL_COMMANDS.map((c) => c.name);

describe('neutrix --help', () => {
  it('lists every registered command, each once, with its summary', async () => {
    let out = '';
    const io: CliIo = { out: (t) => void (out += t), err: () => {}, env: {}, settings: () => loadSettings({}), writeFile: async () => {} };
    expect(await runCli(['--help'], io)).toBe(0);
    expect(out).toBe(mainHelp());
    const listed = out.split('\n').flatMap((l) => /^ {2}(\S+(?: (?!<)[a-z-]+)?)/.exec(l)?.[1] ?? []);
    for (const name of every) expect(listed, name).toContain(name);
    for (const name of ['audit', 'reverse-payment', 'approve-request', 'withdraw-request', 'retry-effects']) expect(listed).toContain(name);
    expect(new Set(listed).size).toBe(listed.length);
  });
});

describe('npm run console:admin', () => {
  it('points at http://localhost:<CONSOLE_PORT>/ (the Web UI codec needs the localhost session), never 127.0.0.1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'neutrix-admin-'));
    // Not the test runner's IPC channel: the child would take it for its own.
    const { NODE_CHANNEL_FD: _fd, NODE_CHANNEL_SERIALIZATION_MODE: _mode, DATABASE_URL: _db, ...env } = process.env;
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/console/first-admin.ts', 'help-admin'], {
        env: { ...env, DATA_DIR: dir, CONSOLE_PORT: '4123' },
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('http://localhost:4123/');
      expect(r.stdout + r.stderr).not.toContain('127.0.0.1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
