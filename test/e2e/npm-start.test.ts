/**
 * `npm start` as a user runs it (src/main.ts, spawned): the dev server's frontend and Web UI come up (the UI
 * behind the console's sign-in, at its door), a worker polls `contracts`, the console's codec routes answer
 * (behind its sign-in) with the key made at first start in DATA_DIR, Ctrl-C stops everything with no process
 * left, and a contract started before a stop is still there, still answering, after the next start (its
 * state and its key live in DATA_DIR). After a crash (SIGKILL) the next start stops the dev server the
 * crashed one left (its pid file); a port held by another process is named with that process.
 */
import { freePort } from '../helpers/ports';
import { eventually } from './harness';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { projectRoot } from '../../src/infra/binaries';
import { defaultKeyFile } from '../../src/infra/codec';
import { codecDataConverter } from '../../src/infra/data-converter';
import { loadSettings } from '../../src/settings';
import { stateQuery } from '../../src/workflows/contract/messages';
import type { ContractView } from '../../src/domain/contract';

const dataDir = mkdtempSync(join(tmpdir(), 'neutrix-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  output: () => string;
}

function spawnStart(port: number, uiPort: number, consolePort: number, metricsPort = 0): Started {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    TEMPORAL_PORT: String(port),
    TEMPORAL_UI_PORT: String(uiPort),
    CONSOLE_PORT: String(consolePort),
    METRICS_PORT: String(metricsPort),
  };
  delete env.TEMPORAL_ADDRESS;
  delete env.TEMPORAL_PROFILE;
  delete env.NEUTRIX_CODEC_KEYS;
  // What `npm start` runs (node with tsx's loader: no tsx process in between, which would SIGKILL main.ts
  // when it does not acknowledge Ctrl-C within 30 ms — on a busy machine, mid-shutdown). Its own process
  // group, so a stop can signal the whole group as a terminal's Ctrl-C does.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return { child, output: () => out };
}

async function npmStart(port: number, uiPort: number, consolePort: number, metricsPort = 0): Promise<Started> {
  const started = spawnStart(port, uiPort, consolePort, metricsPort);
  const { child, output } = started;
  const until = Date.now() + 120_000;
  while (!output().includes('Neutrix Cloud contracts are running.')) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output()}`);
    if (Date.now() > until) throw new Error(`npm start did not come up:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return started;
}

async function stop(s: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
  process.kill(-s.child.pid!, 'SIGINT'); // what Ctrl-C sends: every process of the foreground group
  return exited;
}

function devServerProcesses(): Promise<string> {
  return new Promise((resolve) => {
    const ps = spawn('ps', ['-eo', 'args']);
    let out = '';
    ps.stdout.on('data', (b: Buffer) => (out += b.toString()));
    ps.on('close', () =>
      resolve(
        out
          .split('\n')
          .filter((l) => l.includes('start-dev') && l.includes(dataDir))
          .join('\n'),
      ),
    );
  });
}

/** A GET with the Host header a DNS-rebinding page would send: its status. */
function foreignHost(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: `rebind.evil.example:${port}` }, setHost: false }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The console's codec routes: the HTTP status of an anonymous decode (401: up and behind the sign-in), or null when down. */
async function codecAnswers(consolePort: number): Promise<number | null> {
  try {
    const r = await fetch(`http://127.0.0.1:${consolePort}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"payloads":[]}',
    });
    return r.status;
  } catch {
    return null;
  }
}

/** The README's first step, `npm run console:admin -- <login> --role supervisor` before the system starts, with `--api-token` for the CLI. */
function supervisorToken(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/console/first-admin.ts', 'start-sup', '--role', 'supervisor', '--api-token'], {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      const token = /\b(ntx_[0-9a-f]{16}_[A-Za-z0-9_-]{43})\b/.exec(out)?.[1];
      if (code === 0 && token) resolve(token);
      else reject(new Error(`console:admin exited ${code}:\n${out}`));
    });
  });
}

it('comes up, keeps a contract across a restart, and leaves nothing running', async () => {
  const [port, uiPort, consolePort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const token = await supervisorToken();
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`http://localhost:${consolePort}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const first = await npmStart(port, uiPort, consolePort, metricsPort);
  expect(first.output()).toContain(`metrics:      http://127.0.0.1:${metricsPort}/metrics`);
  expect(first.output()).toContain(`Web UI:       http://localhost:${uiPort} (signed-in console staff only, read-only`);
  expect(first.output()).toContain(`codec:        http://localhost:${consolePort}/codec (signed-in console users only, every decode audited`);
  // The Web UI's door: to the console's sign-in without a session, 421 for another Host, no terminate.
  const door = await fetch(`http://127.0.0.1:${uiPort}/namespaces/default/workflows`, { redirect: 'manual' });
  expect(door.status).toBe(303);
  expect(door.headers.get('location')).toBe(`http://127.0.0.1:${consolePort}/sign-in`);
  expect(await foreignHost(uiPort)).toBe(421);
  expect(await foreignHost(consolePort)).toBe(421);
  const terminate = await fetch(`http://127.0.0.1:${uiPort}/api/v1/namespaces/default/workflows/C-ANY/terminate`, { method: 'POST', redirect: 'manual' });
  expect(terminate.status).toBe(401);
  expect(await codecAnswers(consolePort)).toBe(401); // up, and it decrypts nothing for anyone not signed in
  // The back-office console: up, and a page without a session goes to sign-in.
  expect(first.output()).toContain(`console:      http://localhost:${consolePort}`);
  expect((await fetch(`http://127.0.0.1:${consolePort}/`, { redirect: 'manual' })).headers.get('location')).toBe('/sign-in');
  // The key made at first start: only its owner may read it.
  expect(statSync(defaultKeyFile(dataDir)).mode & 0o777).toBe(0o600);
  const dataConverter = codecDataConverter(loadSettings({ DATA_DIR: dataDir }));

  let connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  let client = new Client({ connection, dataConverter });
  const pollers = await connection.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: 'contracts' },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  expect(pollers.pollers?.length).toBeGreaterThan(0);
  // The application through the one door, as the supervisor of the token: the customer into the ledger, then the contract.
  const applied = await api('POST', '/contracts', {
    requestId: 'npm-start-apply',
    application: {
      contractId: 'C-RESTART',
      customer: { name: '株式会社サンプル', email: 'billing@example.co.jp' },
      terms: { plan: 'entry', components: [{ os: 'linux' }], metricCapRelaxations: 0, cloudMonthlyFee: 0 },
      appliedOn: '2026-11-23',
    },
  });
  expect(applied.status).toBe(200);
  const before = await client.workflow.getHandle('C-RESTART').query(stateQuery);
  expect(before.status).toBe('pending');
  // The worker's Prometheus endpoint — the SDK's metrics and the project's — once the
  // application's notice went out; and the logs are JSON lines.
  const scrape = () => fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
  await eventually(scrape, (m) => /^neutrix_notices_sent\{kind="applicationReceived"\} 1$/m.test(m), 30_000);
  const metrics = await scrape();
  expect(metrics).toMatch(/^temporal_workflow_task_execution_latency_count\{/m);
  expect(metrics).toMatch(/^neutrix_contracts_needing_attention 0$/m);
  expect(metrics).toMatch(/^neutrix_effects_waiting_contracts 0$/m);
  const logLines = first
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'));
  expect(logLines.length).toBeGreaterThan(0);
  for (const l of logLines) expect(JSON.parse(l)).toMatchObject({ time: expect.any(String), level: expect.any(String), message: expect.any(String) });
  await connection.close();

  expect([0, 130]).toContain(await stop(first)); // 0 after a graceful stop, 130 (the shell convention) if it was still starting
  expect(await devServerProcesses()).toBe('');
  expect(await codecAnswers(consolePort)).toBeNull();

  const second = await npmStart(port, uiPort, consolePort);
  connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  client = new Client({ connection, dataConverter }); // the same key, read back from DATA_DIR
  const after: ContractView = await client.workflow.getHandle('C-RESTART').query(stateQuery);
  expect(after).toMatchObject({ contractId: 'C-RESTART', status: 'pending', appliedOn: '2026-11-23' });
  expect(after.nextDeadlines[0]).toMatchObject({ kind: 'deemedRejection', on: '2027-01-23' }); // A + 61
  expect(after).not.toHaveProperty('customer');
  const shown = (await (await api('GET', '/contracts/C-RESTART')).json()) as { customer: { contact: unknown } };
  expect(shown.customer.contact).toEqual({ name: '株式会社サンプル', email: 'billing@example.co.jp' });
  expect(second.output()).toContain('monthly-billing (updated)');
  await connection.close();
  expect([0, 130]).toContain(await stop(second));
  expect(await devServerProcesses()).toBe('');
  expect(await codecAnswers(consolePort)).toBeNull();
  // Only the system's account may enter DATA_DIR, and nothing in it is writable by others.
  expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  const worldWritable = readdirSync(dataDir, { recursive: true })
    .map(String)
    .filter((f) => {
      const st = lstatSync(join(dataDir, f));
      return !st.isSymbolicLink() && (st.mode & 0o002) !== 0;
    });
  expect(worldWritable).toEqual([]);
}, 300_000);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('after a crash (SIGKILL), the next start stops the dev server the crashed one left, and starts', async () => {
  const [port, uiPort, consolePort] = [await freePort(), await freePort(), await freePort()];
  const crashed = await npmStart(port, uiPort, consolePort);
  const pidFile = join(dataDir, 'run', 'temporal-dev-server.pid');
  const left = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number; startTime: string };
  const exited = new Promise((resolve) => crashed.child.once('exit', resolve));
  process.kill(crashed.child.pid!, 'SIGKILL'); // the main process only: its dev server is left running
  await exited;
  expect(alive(left.pid)).toBe(true);
  expect(await devServerProcesses()).toContain('start-dev');

  const next = await npmStart(port, uiPort, consolePort);
  expect(next.output()).toContain(`stopping the dev server an earlier start left running (pid ${left.pid})`);
  expect(alive(left.pid)).toBe(false);
  expect(JSON.parse(readFileSync(pidFile, 'utf8')).pid).not.toBe(left.pid); // the new server's
  const code = await stop(next);
  expect([0, 130], next.output().slice(-3000)).toContain(code);
  expect(await devServerProcesses()).toBe('');
  expect(existsSync(pidFile)).toBe(false); // a clean stop leaves no pid file
}, 300_000);

it('names the process that holds the frontend port, and starts nothing', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as { port: number }).port;
  try {
    const run = spawnStart(port, await freePort(), await freePort());
    const code = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
    expect(code).toBe(1);
    expect(run.output()).toContain(`port ${port} on 127.0.0.1 (the Temporal frontend) is held by pid ${process.pid} (`);
    expect(await devServerProcesses()).toBe('');
  } finally {
    holder.close();
  }
}, 120_000);
