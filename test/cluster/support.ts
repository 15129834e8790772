/**
 * A real Temporal cluster on this machine for `npm run test:cluster`: the server built from its
 * Go module with our claim mapper (ops/cluster/server, by scripts/setup-cluster.sh, cached outside the
 * clone), started with the repo's config (ops/cluster/temporal-server.yaml) and roles file
 * (ops/cluster/certificate-roles.yaml) on a PostgreSQL of the test's own for persistence and SQL
 * visibility, the schema made with the server's own temporal-sql-tool, mutual TLS with throwaway CAs.
 * Then, as the operator would once with the admin certificate, the namespace (with its retention) and the
 * contracts' search attributes — the back office and the workers are only writers on the namespace.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { cpuSeconds, harnessDataConverter, sleep } from '../../bench/harness';
import { projectRoot } from '../../src/infra/binaries';
import { freePortRange } from '../helpers/ports';
import { ownPostgres, type OwnPostgres } from '../helpers/postgres';
import { ensureNamespaceRetention } from '../../src/infra/namespace';
import { registerSearchAttributes } from '../../src/infra/search-attributes';
import { makeCertificates, type Certificates, type ClientName } from './certs';

/** The namespace ops/cluster/certificate-roles.yaml grants its roles on. */
export const NAMESPACE = 'neutrix';
export const RETENTION_DAYS = 30;

/** The server's cache folder (bin/, schema/), building it first if needed (scripts/setup-cluster.sh: minutes, once). */
export function clusterBinaries(): string {
  return execFileSync('bash', [join(projectRoot, 'scripts', 'setup-cluster.sh')], { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();
}

export interface Cluster {
  address: string;
  /** The internal-frontend (the server's own way in): internode TLS, the cluster's CA only. */
  internalFrontend: string;
  pg: OwnPostgres;
  certs: Certificates;
  /** A database of its own on the same PostgreSQL, for the ledger. */
  ledgerUrl: string;
  /** A client presenting `name`'s certificate, with the harness's codec. */
  client(name: ClientName): Promise<Client>;
  connect(name: ClientName | null): Promise<Connection>;
  output(): string;
  /** CPU seconds used so far by the Temporal server and its PostgreSQL (persistence and visibility). */
  cpuSeconds(): number;
  teardown(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const cache = clusterBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'neutrix-cluster-'));
  const pgServer = await ownPostgres();
  const certs = makeCertificates(dir);
  const sqlTool = (db: string, ...args: string[]) =>
    execFileSync(
      join(cache, 'bin', 'temporal-sql-tool'),
      ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pgServer.port), '-u', 'postgres', '--db', db, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  // The schema, by the server's own tool: the databases, the base version, then every versioned step.
  for (const [db, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    sqlTool(db, 'create-database');
    sqlTool(db, 'setup-schema', '-v', '0.0');
    sqlTool(db, 'update-schema', '-d', join(cache, 'schema', 'postgresql', 'v12', schema, 'versioned'));
  }
  const admin = new pg.Client({ connectionString: pgServer.url });
  await admin.connect();
  await admin.query('CREATE DATABASE neutrix_ledger');
  await admin.end();
  // The frontend, then the services' gRPC and membership ports, the internal-frontend's last (ops/cluster/temporal-server.yaml).
  const frontendPort = await freePortRange(10);
  const portBase = frontendPort;
  const address = `127.0.0.1:${frontendPort}`;
  let out = '';
  const server: ChildProcess = spawn(
    join(cache, 'bin', 'temporal-server'),
    [
      '--config-file',
      join(projectRoot, 'ops', 'cluster', 'temporal-server.yaml'),
      '--certificate-roles',
      join(projectRoot, 'ops', 'cluster', 'certificate-roles.yaml'),
      'start',
    ],
    {
      env: {
        ...process.env,
        NEUTRIX_PG_HOST: '127.0.0.1',
        NEUTRIX_PG_PORT: String(pgServer.port),
        NEUTRIX_PG_USER: 'postgres',
        NEUTRIX_PG_PASSWORD: '',
        NEUTRIX_TLS_DIR: certs.dir,
        NEUTRIX_FRONTEND_PORT: String(frontendPort),
        NEUTRIX_PORT_BASE: String(portBase),
        NEUTRIX_DYNAMIC_CONFIG: join(projectRoot, 'ops', 'cluster', 'dynamicconfig.yaml'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (b: Buffer) => void (out = (out + b.toString()).slice(-200_000));
  server.stdout!.on('data', keep);
  server.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => server.once('exit', () => r()));

  const connect = async (name: ClientName | null) => {
    const tls = {
      serverNameOverride: 'localhost',
      serverRootCACertificate: readFileSync(certs.ca),
      ...(name ? { clientCertPair: { crt: readFileSync(certs.client(name).cert), key: readFileSync(certs.client(name).key) } } : {}),
    };
    return Connection.connect({ address, tls, connectTimeout: 5000 });
  };
  // Ready when the frontend answers a client with a certificate (the services join within seconds).
  const until = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the Temporal server exited (${server.exitCode}):\n${out.slice(-4000)}`);
    try {
      const c = await connect('worker');
      await c.workflowService.getSystemInfo({});
      await c.close();
      break;
    } catch (err) {
      if (Date.now() > until) throw new Error(`the Temporal server did not answer within 120 s (${(err as Error).message}):\n${out.slice(-4000)}`);
      await sleep(1000);
    }
  }
  // The operator's provisioning, with the admin certificate: the namespace and its retention, the search attributes.
  try {
    const provisioning = await connect('admin');
    await ensureNamespaceRetention(provisioning, NAMESPACE, RETENTION_DAYS);
    await registerSearchAttributes(provisioning, NAMESPACE);
    await provisioning.close();
  } catch (err) {
    server.kill('SIGKILL');
    pgServer.teardown();
    throw new Error(`provisioning the namespace with the admin certificate: ${(err as Error).message}\n${out.slice(-4000)}`);
  }
  const ledgerUrl = pgServer.url.replace(/\/postgres$/, '/neutrix_ledger');
  return {
    address,
    internalFrontend: `127.0.0.1:${portBase + 8}`,
    pg: pgServer,
    certs,
    ledgerUrl,
    connect,
    async client(name) {
      return new Client({ connection: await connect(name), namespace: NAMESPACE, dataConverter: harnessDataConverter() });
    },
    output: () => out,
    cpuSeconds: () => cpuSeconds(server.pid!) + cpuSeconds(pgServer.pid(), { reaped: true }),
    async teardown() {
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (server.exitCode === null) server.kill('SIGKILL');
      pgServer.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
