/**
 * The production build: `npm run build` compiles to dist/ and prebuilds the workflow bundle;
 * the compiled system runs with plain node (no tsx loader): the worker loads the prebuilt bundle and a
 * contract applied through the compiled CLI (by the HTTP API, with a token the compiled console:admin made)
 * is recorded and answers. The runtime dependencies hold
 * neither tsx nor the simulator's and the tests' packages.
 */
import { freePort } from '../helpers/ports';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { projectRoot } from '../../src/infra/binaries';

const dataDir = mkdtempSync(join(tmpdir(), 'neutrix-prod-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('keeps tsx, the test server and the test tools out of the runtime dependencies', () => {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  for (const dev of ['tsx', '@temporalio/testing', 'vitest', 'typescript', 'playwright-core', 'fast-check', 'smtp-server', 'oidc-provider'])
    expect(Object.keys(pkg.dependencies)).not.toContain(dev);
  expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['tsx', '@temporalio/testing']));
});

it('npm run build, then the compiled system with plain node: a contract applied through the compiled CLI is recorded', async () => {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, encoding: 'utf8', timeout: 300_000 });
  expect(build.status, build.stderr).toBe(0);
  for (const f of ['main.js', 'worker.js', 'client.js', 'workflow-bundle.js']) expect(existsSync(join(projectRoot, 'dist', f)), f).toBe(true);

  const [port, uiPort, consolePort] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    TEMPORAL_PORT: String(port),
    TEMPORAL_UI_PORT: String(uiPort),
    CONSOLE_PORT: String(consolePort),
    METRICS_PORT: '0',
  };
  for (const k of ['TEMPORAL_ADDRESS', 'TEMPORAL_PROFILE', 'NEUTRIX_CODEC_KEYS', 'NODE_OPTIONS']) delete env[k];
  // A supervisor and her API token, made with the compiled script before the system holds the ledger.
  const admin = spawnSync(process.execPath, [join(projectRoot, 'dist', 'console', 'first-admin.js'), 'prod-sup', '--role', 'supervisor', '--api-token'], {
    cwd: projectRoot,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(admin.status, admin.stderr).toBe(0);
  const token = /\b(ntx_[0-9a-f]{16}_[A-Za-z0-9_-]{43})\b/.exec(admin.stdout)?.[1];
  expect(token).toBeDefined();
  const child = spawn(process.execPath, [join(projectRoot, 'dist', 'main.js')], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const until = Date.now() + 120_000;
    while (!out.includes('Neutrix Cloud contracts are running.')) {
      if (child.exitCode !== null) throw new Error(`dist/main.js exited ${child.exitCode}:\n${out}`);
      if (Date.now() > until) throw new Error(`dist/main.js did not come up:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // The compiled CLI through the system's HTTP API, as the supervisor of the token: no Temporal address, no key.
    const cliEnv = { PATH: process.env.PATH, NEUTRIX_API_URL: `http://localhost:${consolePort}/api/v1`, NEUTRIX_API_TOKEN: token };
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [join(projectRoot, 'dist', 'client.js'), ...args], { cwd: projectRoot, env: cliEnv, encoding: 'utf8', timeout: 60_000 });
    const applied = cli(['apply', 'C-PROD-1', '--name', '株式会社サンプル', '--email', 'billing@example.co.jp', '--plan', 'entry', '--linux', '1']);
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    const shown = cli(['show', 'C-PROD-1']);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('Contract C-PROD-1 — pending'); // the prebuilt bundle's workflow answers its query
  } finally {
    process.kill(-child.pid!, 'SIGINT');
    expect([0, 130]).toContain(await exited);
  }
}, 420_000);
