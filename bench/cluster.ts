/**
 * BENCH_CLUSTER=1: a round's server is a real Temporal cluster — the server built from its Go
 * module on a PostgreSQL of its own (persistence and SQL visibility), mutual TLS, exactly as
 * `npm run test:cluster` starts it (test/cluster/support.ts) — with the namespace, its retention and the
 * search attributes provisioned there with the admin certificate. The bench's client holds the back
 * office's certificate; the workers get the standard TEMPORAL_* settings and the worker's certificate. The
 * server's CPU is the Temporal server's plus its PostgreSQL's (the dev server's SQLite runs inside its own
 * process, so the two figures compare).
 */
import { Client } from '@temporalio/client';
import { tlsEnv } from '../test/cluster/certs';
import { NAMESPACE, startCluster } from '../test/cluster/support';
import { harnessDataConverter } from './harness';
import type { BenchServer } from './platform';

export async function clusterServer(): Promise<BenchServer> {
  const cluster = await startCluster();
  try {
    const connection = await cluster.connect('backoffice');
    const client = new Client({ connection, namespace: NAMESPACE, dataConverter: harnessDataConverter() });
    return {
      address: cluster.address,
      client,
      workerEnv: tlsEnv(cluster.certs, 'worker', cluster.address, NAMESPACE),
      cpuSeconds: () => cluster.cpuSeconds(),
      output: () => cluster.output(),
      async close() {
        await connection.close().catch(() => undefined);
        await cluster.teardown();
      },
    };
  } catch (err) {
    await cluster.teardown();
    throw err;
  }
}
