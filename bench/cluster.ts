/**
 * BENCH_CLUSTER=1: a round's server is a real Temporal cluster — the server built from its Go
 * module on a PostgreSQL of its own (persistence and SQL visibility), mutual TLS, exactly as
 * `npm run test:cluster` starts it (test/cluster/support.ts) — with the namespace, its retention and the
 * search attributes set up by the same code `npm start` runs. The workers get the standard TEMPORAL_*
 * settings and the worker's certificate. The server's CPU is the Temporal server's plus its PostgreSQL's
 * (the dev server's SQLite runs inside its own process, so the two figures compare).
 */
import { Client } from '@temporalio/client';
import { ensureNamespaceRetention } from '../src/infra/namespace';
import { registerSearchAttributes } from '../src/infra/search-attributes';
import { tlsEnv } from '../test/cluster/certs';
import { NAMESPACE, startCluster } from '../test/cluster/support';
import { harnessDataConverter } from './harness';
import type { BenchServer } from './platform';

const RETENTION_DAYS = 30;

export async function clusterServer(): Promise<BenchServer> {
  const cluster = await startCluster();
  try {
    const connection = await cluster.connect('billing-run');
    await ensureNamespaceRetention(connection, NAMESPACE, RETENTION_DAYS);
    await registerSearchAttributes(connection, NAMESPACE);
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
