import { afterAll, beforeAll, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { fixtureWorkflowsPath, timeSkippingEnv, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';
import { waitDays } from '../fixtures/workflows';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

it('a workflow waiting 60 days completes in well under a second of wall time', async () => {
  const taskQueue = uniqueTaskQueue();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(fixtureWorkflowsPath),
  });
  const serverStart = await env.currentTimeMs();
  const wallStart = performance.now();
  const slept = await worker.runUntil(
    env.client.workflow.execute(waitDays, { args: [60], taskQueue, workflowId: `wait-${taskQueue}` }),
  );
  const wallMs = performance.now() - wallStart;
  expect(slept).toBeGreaterThanOrEqual(60 * 86_400_000);
  expect(slept).toBeLessThan(60 * 86_400_000 + 60_000);
  expect((await env.currentTimeMs()) - serverStart).toBeGreaterThanOrEqual(60 * 86_400_000);
  expect(wallMs).toBeLessThan(1_000);
});
