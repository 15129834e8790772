/**
 * Files that must appear whole and only once: written beside their place (mode 0600: they hold keys or a
 * customer's mail), synced, then linked into place only if nothing is there yet. A reader never sees half
 * a file, and of several writers racing, the first wins and the rest change nothing.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, unlinkSync, writeSync } from 'node:fs';

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
