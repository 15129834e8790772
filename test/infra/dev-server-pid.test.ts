/**
 * The dev server's pid file names a process by pid *and* start time *and* command line, so the next start
 * stops the server a crashed start left and never a process that merely got its pid later. Real processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { leftoverServer, pidFileOf, startTimeOf, stopProcess, writePidFile } from '../../src/infra/dev-server-pid';

const dataDir = mkdtempSync(join(tmpdir(), 'neutrix-pid-'));
const dbFile = join(dataDir, 'temporal.db');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** A long-lived process whose command line carries `args`. */
async function running(args: string[]): Promise<ChildProcess> {
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...args], { stdio: 'ignore' });
  children.push(c);
  while (!startTimeOf(c.pid!)) await new Promise((r) => setTimeout(r, 20));
  return c;
}
const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

it('finds and stops the dev server its pid file names (same pid, start time, start-dev and database)', async () => {
  const server = await running(['server', 'start-dev', '--db-filename', dbFile]);
  writePidFile(dataDir, { pid: server.pid!, startTime: startTimeOf(server.pid!)!, dbFile });
  const rec = leftoverServer(dataDir);
  expect(rec?.pid).toBe(server.pid);
  await stopProcess(rec!);
  await new Promise((r) => setTimeout(r, 50));
  expect(alive(server)).toBe(false);
});

it('leaves alone a process that got the pid: another command, another start time, another database', async () => {
  const other = await running(['not-a-dev-server']);
  writePidFile(dataDir, { pid: other.pid!, startTime: startTimeOf(other.pid!)!, dbFile });
  expect(leftoverServer(dataDir)).toBeUndefined(); // its command line is not start-dev with our database
  const server = await running(['server', 'start-dev', '--db-filename', dbFile]);
  writePidFile(dataDir, { pid: server.pid!, startTime: String(Number(startTimeOf(server.pid!)) - 1), dbFile });
  expect(leftoverServer(dataDir)).toBeUndefined(); // the same pid, started at another time: a reused pid
  writePidFile(dataDir, { pid: server.pid!, startTime: startTimeOf(server.pid!)!, dbFile: join(dataDir, 'other.db') });
  expect(leftoverServer(dataDir)).toBeUndefined(); // another DATA_DIR's server
  mkdirSync(join(dataDir, 'run'), { recursive: true });
  writeFileSync(pidFileOf(dataDir), 'garbage');
  expect(leftoverServer(dataDir)).toBeUndefined();
  expect(alive(other)).toBe(true);
  expect(alive(server)).toBe(true);
});
