/**
 * The platform floor's worker process (bench/platform.ts spawns it like the contract worker, through
 * spawnWorker): bench/floor-workflow.ts on its own task queue, WORKER_MAX_CACHED_WORKFLOWS cached, and the
 * activity that sends the updates over this worker's own native connection — where and how the billing run
 * sends its updates (src/worker.ts, src/activities/billing-run.ts), so the two processes' CPU compare.
 * Environment: the standard TEMPORAL_* settings (address, namespace, TLS: src/infra/connection.ts), TASK_QUEUE, WORKER_MAX_CACHED_WORKFLOWS, NEUTRIX_CODEC_KEYS (its
 * payloads are encrypted like the contract worker's, so the floor pays the codec too).
 */
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { connectWorker } from '../src/infra/connection';
import { codecDataConverter } from '../src/infra/data-converter';
import { pingUpdate } from './floor-messages';
import type { FloorActivities } from './floor-workflow';

function floorActivities(client: Client): FloorActivities {
  return {
    /**
     * `concurrency` lanes over the ids, one update each, with an update id like the billing
     * run's `closeOne` (without its heartbeats: those serve the billing run's resumption, not the update).
     */
    async sendFloorUpdates({ ids, concurrency, round }) {
      let next = 0;
      let answered = 0;
      const lane = async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          const requestId = `ping:${id}:${round}`;
          const r = await client.workflow.getHandle(id).executeUpdate(pingUpdate, { args: [requestId], updateId: requestId });
          if (r === requestId) answered++;
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, ids.length)) }, lane));
      return answered;
    },
  };
}

async function main(): Promise<void> {
  const env = process.env;
  const taskQueue = env.TASK_QUEUE ?? 'bench-floor';
  const dataConverter = codecDataConverter({
    NEUTRIX_CODEC_KEYS: env.NEUTRIX_CODEC_KEYS,
    DATA_DIR: env.DATA_DIR ?? 'data',
    TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
  });
  const { connection, namespace } = await connectWorker();
  try {
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue,
      workflowsPath: require.resolve('./floor-workflow'),
      activities: floorActivities(new Client({ connection, namespace, dataConverter })),
      dataConverter,
      maxCachedWorkflows: Number(env.WORKER_MAX_CACHED_WORKFLOWS ?? 2000),
    });
    // spawnWorker waits for this line: the production worker's JSON log line (WORKER_POLLING).
    console.log(JSON.stringify({ level: 'INFO', message: 'worker polling', taskQueue, namespace }));
    await worker.run(); // until SIGTERM (the SDK's default shutdown signals)
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(`floor worker: ${(err as Error).message}`);
  process.exit(1);
});
