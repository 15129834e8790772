import { afterAll, beforeAll, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { fixtureWorkflowsPath, testDataConverter, timeSkippingEnv, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';
import { waitDays } from '../fixtures/workflows';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

// The sub-second figure is measured in `npm run bench`; here, a bound loose enough for a loaded CI machine
// that still proves the server skipped 60 days (over 170,000× faster than real time).
it('a workflow waiting 60 days completes in a moment of wall time', async () => {
  const taskQueue = uniqueTaskQueue();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(fixtureWorkflowsPath),
    dataConverter: testDataConverter,
  });
  const serverStart = await env.currentTimeMs();
  const wallStart = performance.now();
  const slept = await worker.runUntil(env.client.workflow.execute(waitDays, { args: [60], taskQueue, workflowId: `wait-${taskQueue}` }));
  const wallMs = performance.now() - wallStart;
  expect(slept).toBeGreaterThanOrEqual(60 * 86_400_000);
  expect(slept).toBeLessThan(60 * 86_400_000 + 60_000);
  expect((await env.currentTimeMs()) - serverStart).toBeGreaterThanOrEqual(60 * 86_400_000);
  expect(wallMs).toBeLessThan(30_000);
});
