/**
 * End-to-end harness: a real dev server, the real worker (createWorker, with the ledger, .eml outbox and
 * resource store on a temporary DATA_DIR), and the back-office CLI run two ways — spawned as a child
 * process exactly as a clerk runs it, or in-process (runCli with captured output) where speed matters.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { openDependencies } from '../../src/activities';
import { runCli } from '../../src/cli';
import { existingPath, projectRoot, temporalCliPath } from '../../src/infra/binaries';
import { startConsole } from '../../src/console/app';
import { codecOf } from '../../src/infra/data-converter';
import { webUiFlags } from '../../src/infra/dev-server';
import { ledgerSocketPath, loadSettings, type Settings } from '../../src/settings';
import { startLedgerService } from '../../src/backoffice/ledger-service';
import { createWorker } from '../../src/worker';
import { CONTRACT_SEARCH_ATTRIBUTES } from '../../src/workflows/search-attributes';
import type { Role } from '../../src/domain/actor';
import { personWithToken } from '../helpers/api-token';
import { signedInCookie } from '../helpers/console-session';
import { freePort } from '../helpers/ports';
import { devServerEnv, TEST_CODEC_KEYS, testDataConverter, uniqueTaskQueue } from '../helpers/temporal';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface E2e {
  env: TestWorkflowEnvironment;
  settings: Settings;
  /**
   * The console's /codec, behind its sign-in, that the Web UI (`--ui-codec-endpoint`) and the Temporal CLI
   * (`--codec-endpoint`) decode payloads through, as with `npm start`; on localhost, the Web UI's site.
   */
  codecEndpoint: string;
  /** The Cookie header of a person signed in to that console (started on first use). */
  codecSession(): Promise<string>;
  dataDir: string;
  deps: Awaited<ReturnType<typeof openDependencies>>;
  /** The console (with the back office's HTTP API) the CLI calls. */
  consoleUrl: string;
  /** The API token of the supervisor the CLI acts as by default (`e2e-supervisor`). */
  supervisorToken: string;
  /** A person of `role` with an API token of their own (made once per login). */
  tokenFor(login: string, role: Role): Promise<string>;
  /** The CLI as a child process: `tsx src/client.ts …` calling the console's API as the supervisor (or `env`'s NEUTRIX_API_TOKEN). */
  spawnCli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliRun>;
  /** The CLI's main function in this process, with captured output (fast); `token`: act as another person. */
  cli(args: string[], token?: string): Promise<CliRun>;
  /** The Temporal CLI binary against the test server, decoding payloads through the codec server. */
  temporal(args: string[]): Promise<CliRun>;
  teardown(): Promise<void>;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeout = 120_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: projectRoot, env, timeout, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function startE2e(opts: { ui?: { port: number } } = {}): Promise<E2e> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed in this process
  }
  // As `npm start` does: the Web UI, proxied by the console, decodes payloads through the console's /codec,
  // behind its sign-in. The console starts once the ledger is open, on a port chosen now.
  const consolePort = await freePort();
  const codecEndpoint = `http://localhost:${consolePort}/codec`;
  const uiUpstream = await freePort();
  const env = opts.ui
    ? await TestWorkflowEnvironment.createLocal({
        server: {
          executable: existingPath(temporalCliPath()),
          ip: '127.0.0.1',
          ui: true,
          uiPort: uiUpstream,
          searchAttributes: [...CONTRACT_SEARCH_ATTRIBUTES],
          // As `npm start`: the UI's own listener on 127.0.0.1; browsers use the console's door at opts.ui.port.
          extraArgs: webUiFlags(uiUpstream, '/codec'),
        },
        client: { dataConverter: testDataConverter },
      })
    : await devServerEnv();
  const dataDir = await mkdtemp(join(tmpdir(), 'neutrix-e2e-'));
  const taskQueue = uniqueTaskQueue('e2e');
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: 'default',
    TASK_QUEUE: taskQueue,
    DATA_DIR: dataDir,
    BILLING_CONCURRENCY: '4',
    NEUTRIX_CODEC_KEYS: TEST_CODEC_KEYS, // the CLI child process encrypts with the same key as env.client and the worker
  };
  const settings = loadSettings(childEnv);
  const deps = await openDependencies(settings);
  // As `npm start`: the process that owns the ledger serves it to the CLI on its socket in DATA_DIR.
  const ledgerService = await startLedgerService(deps.ledger, ledgerSocketPath(settings));
  let worker: Worker;
  try {
    worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      settings,
      deps,
      dataConverter: testDataConverter,
      simulatedClock: true,
    });
  } catch (err) {
    await ledgerService.close();
    await deps.close();
    await env.teardown();
    throw err;
  }
  const running = worker.run();
  const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');
  const cliPath = join(projectRoot, 'src', 'client.ts');
  // As `npm start`: the console serves the HTTP API the CLI calls, and the codec the Web UI decodes through.
  const server = await startConsole({
    ledger: deps.ledger,
    client: env.client,
    settings: { ...settings, CONSOLE_SESSION_SECRET: 'e2e-codec-session-secret-'.padEnd(40, 'x') },
    port: consolePort,
    codec: {
      codec: codecOf(testDataConverter),
      namespace: 'default',
      allowedOrigins: [],
    },
    webUi: opts.ui ? { port: opts.ui.port, upstreamPort: uiUpstream } : undefined,
  });
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (login: string, role: Role) => {
    if (!tokens.has(login))
      tokens.set(
        login,
        personWithToken(deps.ledger, login, role).then((p) => p.token),
      );
    return tokens.get(login)!;
  };
  const supervisorToken = await tokenFor('e2e-supervisor', 'supervisor');
  const apiUrl = `http://localhost:${consolePort}/api/v1`;
  childEnv.NEUTRIX_API_URL = apiUrl;
  childEnv.NEUTRIX_API_TOKEN = supervisorToken;
  let codecCookie: Promise<string> | undefined;
  const codecSession = () => {
    codecCookie ??= signedInCookie(deps.ledger, server.url, 'codec-e2e');
    return codecCookie;
  };

  return {
    env,
    settings,
    codecEndpoint,
    codecSession,
    dataDir,
    deps,
    consoleUrl: server.url,
    supervisorToken,
    tokenFor,
    spawnCli: (args, env = {}) => run(tsx, [cliPath, ...args], { ...childEnv, ...env }),
    temporal: async (args) =>
      run(
        temporalCliPath(),
        [...args, '--address', env.address, '--namespace', 'default', '--codec-endpoint', codecEndpoint, '--codec-header', `Cookie=${await codecSession()}`],
        childEnv,
        60_000,
      ),
    async cli(args, token = supervisorToken) {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, {
        out: (t) => void (stdout += t.endsWith('\n') ? t : `${t}\n`),
        err: (t) => void (stderr += t.endsWith('\n') ? t : `${t}\n`),
        env: { ...childEnv, NEUTRIX_API_TOKEN: token },
        settings: () => loadSettings(childEnv),
        writeFile: async (path, data) => {
          const { writeFile } = await import('node:fs/promises');
          await writeFile(path, data, 'utf8');
        },
        pollMs: 200,
      });
      return { code, stdout, stderr };
    },
    async teardown() {
      worker.shutdown();
      await running.catch(() => undefined);
      await server.close();
      await ledgerService.close();
      await deps.close();
      await env.teardown();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Poll until `ok` holds (visibility is eventually consistent), within a bounded wait. */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000, every = 250): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, every));
  }
}
