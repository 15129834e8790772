/**
 * The embedded Temporal dev server of `npm start`: the project's own CLI binary, its state in a SQLite
 * file under DATA_DIR (workflows survive a restart), the Web UI on 127.0.0.1 on a port only the console
 * knows (the console opens the UI's door, behind its sign-in; src/console/web-ui-proxy.ts), decoding
 * payloads through the console's /codec, the contract search attributes. A pid file lets the next start stop a server a crashed one left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { temporalCliPath } from './binaries';
import { leftoverServer, portHolder, removePidFile, startTimeOf, stopProcess, writePidFile } from './dev-server-pid';
import { devServerSearchAttributeFlags } from './search-attributes';

/**
 * The Web UI's flags: its own listener on 127.0.0.1 only, no newsfeed from outside; the codec a path on
 * the UI's origin (the console's door serves /codec there: same origin, the session cookie goes along).
 */
export const webUiFlags = (uiPort: number, codecEndpoint?: string): string[] => [
  '--ui-ip',
  '127.0.0.1',
  '--ui-port',
  String(uiPort),
  '--ui-disable-news-fetch',
  ...(codecEndpoint ? ['--ui-codec-endpoint', codecEndpoint] : []),
];

export interface DevServer {
  address: string;
  /** The Web UI's own listener (127.0.0.1): for the console's door, not for browsers. */
  uiPort: number;
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 now (the Web UI's own listener: only the console needs to know it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startDevServer(opts: {
  dataDir: string;
  ip?: string;
  port: number;
  uiPort: number;
  /** The codec the Web UI decodes payloads through (`--ui-codec-endpoint`): `/codec`, on the console's origin. */
  codecEndpoint?: string;
  log?: (line: string) => void;
  /** Called as soon as the process exists, so a caller stopping mid-start can stop it too. */
  onSpawn?: (stop: () => Promise<void>) => void;
}): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const dbFile = join(opts.dataDir, 'temporal.db');
  mkdirSync(opts.dataDir, { recursive: true });
  // The server a crashed start left running (its pid file, checked against the live process): stop it.
  const left = leftoverServer(opts.dataDir);
  if (left) {
    opts.log?.(`stopping the dev server an earlier start left running (pid ${left.pid})`);
    await stopProcess(left);
  }
  removePidFile(opts.dataDir);
  if (await portOpen(ip, opts.port)) {
    const holder = portHolder(opts.port);
    throw new Error(
      `port ${opts.port} on ${ip} (the Temporal frontend) is held by ${holder ?? 'a process this account cannot see'}: stop it, or set TEMPORAL_PORT (or TEMPORAL_ADDRESS to use that server)`,
    );
  }
  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(opts.port),
    ...webUiFlags(opts.uiPort, opts.codecEndpoint),
    '--db-filename',
    dbFile,
    '--log-level',
    'warn',
    // WAL: readers do not block the writer, and a crash loses nothing committed.
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=NORMAL',
    ...devServerSearchAttributeFlags(),
  ];
  const child: ChildProcess = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (chunk: Buffer) => opts.log?.(chunk.toString().trimEnd());
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      removePidFile(opts.dataDir);
      resolve(code);
    }),
  );
  const startTime = child.pid ? startTimeOf(child.pid) : undefined;
  if (child.pid && startTime) writePidFile(opts.dataDir, { pid: child.pid, startTime, dbFile });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  opts.onSpawn?.(stop);

  const deadline = Date.now() + 60_000;
  while (!(await portOpen(ip, opts.port))) {
    if (child.exitCode !== null) throw new Error(`the Temporal dev server exited with code ${child.exitCode} (see its output above)`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the Temporal dev server did not open its port within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    address: `${ip}:${opts.port}`,
    uiPort: opts.uiPort,
    stop,
  };
}
