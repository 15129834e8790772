/**
 * What the embedded dev server leaves behind when `npm start` dies without stopping it (SIGKILL, a crash):
 * a pid file naming the process and its start time, so the next start stops that server — and only it: a
 * pid reused by another process has another start time or command line — and, when something else holds
 * a port, which process it is (Linux /proc; elsewhere the port alone is named).
 */
import { readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateDir } from '../files';

export interface PidRecord {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: the process's start time in clock ticks since boot. */
  startTime: string;
  /** The database file it serves: the same DATA_DIR's server, not another checkout's. */
  dbFile: string;
}

export const pidFileOf = (dataDir: string) => join(dataDir, 'run', 'temporal-dev-server.pid');

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The start time of `pid`, or undefined if there is no such process (or no /proc). */
export function startTimeOf(pid: number): string | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name in parentheses may hold spaces: count the fields after its closing one (field 3 on).
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

export function commandLineOf(pid: number): string[] | undefined {
  return read(`/proc/${pid}/cmdline`)?.split('\0').filter(Boolean);
}

export function writePidFile(dataDir: string, rec: PidRecord): void {
  privateDir(join(dataDir, 'run'));
  writeFileSync(pidFileOf(dataDir), `${JSON.stringify(rec)}\n`, { mode: 0o600 });
}

export function removePidFile(dataDir: string): void {
  rmSync(pidFileOf(dataDir), { force: true });
}

/** The dev server a previous start left running, if the pid file names a live process that is still it. */
export function leftoverServer(dataDir: string): PidRecord | undefined {
  const text = read(pidFileOf(dataDir));
  if (!text) return undefined;
  let rec: PidRecord;
  try {
    rec = JSON.parse(text) as PidRecord;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(rec.pid) || rec.pid <= 1) return undefined;
  if (startTimeOf(rec.pid) !== rec.startTime) return undefined; // gone, or the pid now belongs to another process
  const cmd = commandLineOf(rec.pid) ?? [];
  return cmd.includes('start-dev') && cmd.includes(rec.dbFile) ? rec : undefined;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(rec: PidRecord, graceMs = 15_000): Promise<void> {
  const alive = () => startTimeOf(rec.pid) === rec.startTime;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(rec.pid, s);
    } catch {
      // gone meanwhile
    }
  };
  signal('SIGTERM');
  const until = Date.now() + graceMs;
  while (alive()) {
    if (Date.now() > until) signal('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The socket inodes listening on `port` (IPv4 and IPv6). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(table) ?? '').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue; // 0A: LISTEN
      if (Number.parseInt(f[1]!.split(':')[1]!, 16) === port) inodes.add(f[9]!);
    }
  }
  return inodes;
}

/** Who holds `port`: "pid N (command)", or undefined when no process this account can see does. */
export function portHolder(port: number): string | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another account's process
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1]!)) return `pid ${pid} (${(commandLineOf(Number(pid)) ?? []).join(' ').slice(0, 200)})`;
    }
  }
  return undefined;
}
