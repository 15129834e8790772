/**
 * Files that must appear whole and only once: written beside their place (mode 0600: they hold keys or a
 * customer's mail), synced, then linked into place only if nothing is there yet. A reader never sees half
 * a file, and of several writers racing, the first wins and the rest change nothing.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The project's root folder (this file lives in src/, or dist/ once built). */
export const projectRoot = resolve(__dirname, '..');

/** Writes `data` to `path` unless it exists; true when this call put it there. */
export function writeFileOnce(path: string, data: string | Buffer): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  } finally {
    unlinkSync(tmp);
  }
}

/** A folder only its owner may enter (DATA_DIR, the ledger's socket folder): created 0700, tightened if wider. */
export function privateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o700);
}

/**
 * Takes group and world access off everything under `root` (PGlite's WebAssembly file system creates its
 * files 0666/0777 whatever the umask). Symbolic links are left alone. Answers how many entries it changed.
 */
export function tightenTree(root: string): number {
  let changed = 0;
  const visit = (path: string) => {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st || st.isSymbolicLink()) return;
    if ((st.mode & 0o077) !== 0) {
      chmodSync(path, st.mode & 0o700);
      changed++;
    }
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return changed;
}
