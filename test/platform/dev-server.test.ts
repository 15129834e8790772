import { afterAll, beforeAll, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServerEnv, fixtureWorkflowsPath, testDataConverter, uniqueTaskQueue, workflowBundle } from '../helpers/temporal';
import { finish, tagged } from '../fixtures/workflows';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServerEnv();
});
afterAll(() => env?.teardown());

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('finds a running workflow by a custom search attribute on the dev server', async () => {
  const taskQueue = uniqueTaskQueue();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace,
    taskQueue,
    workflowBundle: await workflowBundle(fixtureWorkflowsPath),
    dataConverter: testDataConverter,
  });
  await worker.runUntil(async () => {
    const marker = `probe-${taskQueue}`;
    const handle = await env.client.workflow.start(tagged, { args: [marker], taskQueue, workflowId: `tagged-${taskQueue}` });
    const list = async () => {
      const ids: string[] = [];
      for await (const wf of env.client.workflow.list({ query: `ContractStatus = "${marker}"` })) ids.push(wf.workflowId);
      return ids;
    };
    expect(await eventually(list, (ids) => ids.length > 0)).toEqual([handle.workflowId]);
    await handle.signal(finish);
    await handle.result();
  });
});
