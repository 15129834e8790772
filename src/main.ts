/**
 * `npm start`: the whole system. Without TEMPORAL_ADDRESS (or TEMPORAL_PROFILE) it starts the embedded
 * dev server with its data in DATA_DIR and the Web UI; otherwise it uses that cluster. Then the search
 * attributes, the monthly billing schedule, the ledger and outbox, the back-office console, and the worker.
 * Ctrl-C stops it all.
 */
import { openDependencies } from './activities';
import { connectClient, connectWorker, externalClusterConfigured } from './infra/connection';
import { defaultKeyFile } from './infra/codec';
import { codecDataConverter, codecOf } from './infra/data-converter';
import { freeLoopbackPort, startDevServer, type DevServer } from './infra/dev-server';
import { ensureBillingSchedule } from './infra/schedule';
import { registerSearchAttributes } from './infra/search-attributes';
import { ensureNamespaceRetention } from './infra/namespace';
import { exampleSettingWarnings, loadSettings } from './settings';
import { Runtime, type Worker } from '@temporalio/worker';
import { installTelemetry } from './infra/telemetry';
import { startMetricsPoller } from './infra/metrics-poller';
import { createWorker, waitingForDatabase } from './worker';
import { privateDir } from './files';
import { startConsole } from './console/app';

async function main(): Promise<void> {
  const settings = loadSettings();
  for (const line of exampleSettingWarnings(settings)) console.warn(line);
  let server: DevServer | undefined;
  let worker: Worker | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((e: Error) => console.error(`stopping: ${e.message}`));
  };
  // Ctrl-C at any moment, even while starting: stop the worker if it runs, else stop what was started.
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: stopping…`);
    if (worker) worker.shutdown();
    else void cleanup().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const telemetry = installTelemetry(settings); // before any connection: JSON logs, the metrics endpoint
    privateDir(settings.DATA_DIR); // keys, the ledger and the outbox: this account only
    // Every payload encrypted; the console's codec routes (behind its sign-in) let the Web UI show them decrypted.
    const dataConverter = codecDataConverter(settings);
    // The Web UI is served through the console's door (behind its sign-in), which serves /codec on the UI's own
    // origin; the `temporal` CLI reaches the same routes at the console's address.
    const codecEndpoint = `http://localhost:${settings.CONSOLE_PORT}/codec`;
    if (stopping) return;
    if (!externalClusterConfigured()) {
      server = await startDevServer({
        dataDir: settings.DATA_DIR,
        port: settings.TEMPORAL_PORT,
        uiPort: await freeLoopbackPort(), // the UI's own listener: only the console's door talks to it
        codecEndpoint: '/codec',
        log: (l) => console.error(`[temporal] ${l}`),
        onSpawn: (stop) => cleanups.push(stop),
      });
    }
    const embedded = server?.address;
    const { client, connection: clientConnection, namespace } = await connectClient(embedded, dataConverter);
    cleanups.push(() => clientConnection.close());
    const retention = await ensureNamespaceRetention(clientConnection, namespace, settings.NAMESPACE_RETENTION_DAYS).catch((e: Error) => {
      console.error(`namespace retention: ${e.message} (set it with 'temporal operator namespace update --retention ${settings.NAMESPACE_RETENTION_DAYS}d')`);
      return undefined;
    });
    if (!server)
      await registerSearchAttributes(clientConnection, namespace).catch((e: Error) =>
        console.error(`search attributes: ${e.message} (register them once with 'temporal operator search-attribute create')`),
      );
    const schedule = await ensureBillingSchedule(client, settings.TASK_QUEUE, settings.BILLING_CONCURRENCY);
    const deps = await openDependencies(settings, { waitingForDatabase: waitingForDatabase(settings) });
    cleanups.push(() => deps.close());
    // The back-office console, after the worker's dependencies: it reads and writes the same ledger.
    const consoleServer = await startConsole({
      ledger: deps.ledger,
      mailer: deps.mailer,
      client,
      settings,
      codec: { codec: codecOf(dataConverter), namespace, allowedOrigins: settings.CODEC_CORS_ORIGINS ?? [] },
      webUi: server ? { port: settings.TEMPORAL_UI_PORT, upstreamPort: server.uiPort } : undefined,
    });
    cleanups.push(() => consoleServer.close());
    const { connection } = await connectWorker(embedded);
    cleanups.push(() => connection.close());
    worker = await createWorker({ connection, namespace, settings, deps, dataConverter });
    const poller = startMetricsPoller(client, (message, meta) => Runtime.instance().logger.warn(message, meta));
    cleanups.push(async () => poller.stop());
    if (stopping) return;
    console.log(
      [
        'Neutrix Cloud contracts are running.',
        `  Temporal:     ${server ? `${server.address} (embedded dev server, data in ${settings.DATA_DIR})` : 'the configured cluster'}`,
        server
          ? `  Web UI:       http://localhost:${settings.TEMPORAL_UI_PORT} (signed-in console staff only, read-only: writes go through the console or the CLI)`
          : '',
        `  console:      http://localhost:${settings.CONSOLE_PORT} (first admin: npm run console:admin -- <login>)`,
        `  codec:        ${codecEndpoint} (signed-in console users only, every decode audited; payloads AES-256-GCM, keys ${settings.NEUTRIX_CODEC_KEYS ? 'from NEUTRIX_CODEC_KEYS' : `in ${defaultKeyFile(settings.DATA_DIR)}`})`,
        `  namespace:    ${namespace}${retention ? ` (closed workflows kept ${retention.days} days${retention.changed ? ', set now' : ''})` : ''}`,
        `  task queue:   ${settings.TASK_QUEUE}`,
        `  metrics:      ${telemetry.metricsUrl ?? 'off (METRICS_PORT=0)'} (Prometheus; alert rules in ops/prometheus/alerts.yml); logs: JSON lines`,
        `  schedule:     monthly-billing (${schedule}), 00:05 Asia/Tokyo on the 1st`,
        `  ledger:       ${settings.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${settings.DATA_DIR}/ledger`}`,
        `  HTTP API:     http://localhost:${settings.CONSOLE_PORT}/api/v1 (OpenAPI: /api/v1/openapi.json; the CLI with NEUTRIX_API_TOKEN)`,
        `  mail:         ${settings.SMTP_URL ? 'SMTP (SMTP_URL)' : `.eml files in ${settings.DATA_DIR}/outbox`}`,
        '  Back office:  npm run cli -- --help        Stop: Ctrl-C',
      ]
        .filter(Boolean)
        .join('\n'),
    );
    await worker.run(); // returns after SIGINT/SIGTERM, once in-flight tasks are done
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`npm start: ${err.message}`);
    process.exit(1);
  },
);
