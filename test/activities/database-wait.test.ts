/**
 * A worker started while PostgreSQL is down waits for it: the ledger's open is retried with
 * backoff, each wait reported, and succeeds once the server answers — here a real PostgreSQL behind a TCP
 * proxy that only starts listening after the first wait. A wrong database name fails at once.
 */
import { freePort } from '../helpers/ports';
import { createServer, connect, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresWhenReachable } from '../../src/activities';
import { TEST_DATABASE_URL } from './support';

describe.runIf(Boolean(TEST_DATABASE_URL))('the ledger database down at start (TEST_DATABASE_URL)', () => {
  let proxy: Server | undefined;
  afterAll(() => new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r())));

  it('waits, reporting each attempt, and opens once PostgreSQL answers; a wrong database name is not waited for', async () => {
    const real = new URL(TEST_DATABASE_URL!);
    const port = await freePort();
    const behindProxy = new URL(TEST_DATABASE_URL!);
    behindProxy.host = `127.0.0.1:${port}`;
    const waits: Array<{ attempt: number; error: string }> = [];
    const opening = openPostgresWhenReachable(behindProxy.toString(), (attempt, err) => {
      waits.push({ attempt, error: err.message });
      // The database "comes back" after the first wait.
      if (!proxy)
        proxy = createServer((socket) => {
          const upstream = connect(Number(real.port || 5432), real.hostname);
          socket.pipe(upstream).pipe(socket);
          socket.on('error', () => upstream.destroy());
          upstream.on('error', () => socket.destroy());
        }).listen(port, '127.0.0.1');
    });
    const db = await opening;
    try {
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    } finally {
      await db.close();
    }
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0]).toEqual({ attempt: 1, error: expect.stringMatching(/ECONNREFUSED/) });

    const wrong = new URL(behindProxy.toString());
    wrong.pathname = '/no_such_database_here';
    const refusedWaits: number[] = [];
    await expect(openPostgresWhenReachable(wrong.toString(), (a) => refusedWaits.push(a))).rejects.toThrow(/no_such_database_here/);
    expect(refusedWaits).toEqual([]);
  }, 60_000);
});
