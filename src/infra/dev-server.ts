/**
 * The embedded Temporal dev server of `npm start`: the project's own CLI binary, its state in a SQLite
 * file under DATA_DIR (workflows survive a restart), the Web UI (decoding payloads through the codec
 * server when given one), the contract search attributes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { temporalCliPath } from './binaries';
import { devServerSearchAttributeFlags } from './search-attributes';

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
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
  /** The codec server the Web UI decodes payloads through (`--ui-codec-endpoint`). */
  codecEndpoint?: string;
  log?: (line: string) => void;
  /** Called as soon as the process exists, so a caller stopping mid-start can stop it too. */
  onSpawn?: (stop: () => Promise<void>) => void;
}): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  if (await portOpen(ip, opts.port))
    throw new Error(
      `port ${opts.port} on ${ip} is already in use: is another 'npm start' running? (set TEMPORAL_PORT, or TEMPORAL_ADDRESS to use that server)`,
    );
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    ...(opts.codecEndpoint ? ['--ui-codec-endpoint', opts.codecEndpoint] : []),
    '--db-filename',
    join(opts.dataDir, 'temporal.db'),
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
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
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
    uiUrl: `http://localhost:${opts.uiPort}`,
    stop,
  };
}
