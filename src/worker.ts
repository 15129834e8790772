/**
 * The worker: contract and billing-run workflows, and the activities on the real ledger, mail and
 * resource store. `npm run worker` runs one against TEMPORAL_ADDRESS (or 127.0.0.1:7233).
 */
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { installTelemetry } from './infra/telemetry';
import { startMetricsPoller } from './infra/metrics-poller';
import { bundleWorkflows, CONTRACT_WORKFLOWS_PATH, prebuiltWorkflowBundle, runningCompiled } from './infra/workflow-bundle';
import { createActivities, openDependencies, type ActivityDeps } from './activities';
import { connectWorker } from './infra/connection';
import { codecDataConverter } from './infra/data-converter';
import { createBillingRunActivities } from './activities/billing-run';
import { createProviderActionActivities } from './activities/provider-action';
import { exampleSettingWarnings, ledgerSocketPath, loadSettings, type Settings } from './settings';
import { startLedgerService } from './backoffice/ledger-service';
import { privateDir } from './files';
import type { ContractActivities } from './workflows/contract/activities';
import type { BillingRunActivities } from './workflows/billing-run-activities';
import type { ProviderActionActivities } from './workflows/provider-action-activities';

export const workflowsPath = CONTRACT_WORKFLOWS_PATH;

const bundles = new Map<boolean, Promise<WorkflowBundleWithSourceMap>>();
/** Bundled once per process (a few seconds); every worker of the process shares it. */
export function contractWorkflowBundle(simulatedClock = false): Promise<WorkflowBundleWithSourceMap> {
  let bundle = bundles.get(simulatedClock);
  // Compiled (production): the bundle `npm run build` made; from the sources: bundled now.
  if (!bundle) {
    bundle = runningCompiled && !simulatedClock ? Promise.resolve(prebuiltWorkflowBundle()) : bundleWorkflows(undefined, undefined, { simulatedClock });
    bundles.set(simulatedClock, bundle);
  }
  return bundle;
}

export interface WorkerArgs {
  connection: NativeConnection;
  namespace: string;
  settings: Settings;
  deps: ActivityDeps;
  /** The payload codec's converter, the same as every client's of this cluster (src/infra/data-converter.ts). */
  dataConverter: DataConverter;
  /** Tests and benchmarks only (src/simulation/worker.ts): the workflows' clock honours the simulator's memo. */
  simulatedClock?: boolean;
}

export async function createWorker(args: WorkerArgs): Promise<Worker> {
  // The port types make the compiler check that the implementations fit what the workflows call.
  const contractActivities: ContractActivities = createActivities(args.deps);
  // The billing run's updates go over the worker's own native connection (gRPC in the SDK's core, not in
  // JavaScript on the thread that also runs the ledger): one connection per worker, less CPU per contract.
  const client = new Client({ connection: args.connection, namespace: args.namespace, dataConverter: args.dataConverter });
  const billingRunActivities: BillingRunActivities = createBillingRunActivities(client);
  const providerActionActivities: ProviderActionActivities = createProviderActionActivities(client, args.deps.ledger);
  return Worker.create({
    connection: args.connection,
    namespace: args.namespace,
    taskQueue: args.settings.TASK_QUEUE,
    workflowBundle: await contractWorkflowBundle(args.simulatedClock),
    activities: { ...contractActivities, ...billingRunActivities, ...providerActionActivities },
    dataConverter: args.dataConverter,
    // Each cached contract costs memory; a bounded cache replays the rest on demand (see docs/benchmarks.md).
    maxCachedWorkflows: args.settings.WORKER_MAX_CACHED_WORKFLOWS,
  });
}

/** Logs each wait for a ledger database that is down (the worker starts once it is back). */
export function waitingForDatabase(settings: Settings) {
  return (attempt: number, err: Error, nextInMs: number) =>
    Runtime.instance().logger.warn('waiting for the ledger database', {
      attempt,
      error: err.message,
      retryInMs: nextInMs,
      database: settings.DATABASE_URL ? new URL(settings.DATABASE_URL).host : null,
    });
}

/** Run one worker until it is told to stop (SIGINT, SIGTERM). */
export async function runWorker(options: { simulatedClock?: boolean } = {}): Promise<void> {
  const settings = loadSettings();
  for (const line of exampleSettingWarnings(settings)) console.warn(line);
  const telemetry = installTelemetry(settings); // before any connection: JSON logs, the metrics endpoint
  privateDir(settings.DATA_DIR); // keys, the ledger and the outbox: this account only
  const dataConverter = codecDataConverter(settings);
  const { connection, namespace } = await connectWorker('127.0.0.1:7233');
  const deps = await openDependencies(settings, { waitingForDatabase: waitingForDatabase(settings) });
  // The process that owns the ledger serves it to the CLI (personal data never goes through Temporal).
  const ledgerService = await startLedgerService(deps.ledger, ledgerSocketPath(settings));
  try {
    const worker = await createWorker({ connection, namespace, settings, deps, dataConverter, simulatedClock: options.simulatedClock });
    const poller = startMetricsPoller(new Client({ connection, namespace, dataConverter }), (message, meta) => Runtime.instance().logger.warn(message, meta));
    Runtime.instance().logger.info('worker polling', {
      taskQueue: settings.TASK_QUEUE,
      namespace,
      ledgerService: ledgerService.path,
      metrics: telemetry.metricsUrl,
    });
    try {
      await worker.run();
    } finally {
      poller.stop();
    }
  } finally {
    await ledgerService.close();
    await deps.close();
    await connection.close();
  }
}

if (require.main === module) {
  runWorker().catch((err) => {
    console.error(`worker: ${(err as Error).message}`);
    process.exit(1);
  });
}
