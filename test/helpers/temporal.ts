/**
 * Test environments on the real Temporal servers, from the project's own binaries (never a download).
 * One environment per test file (docs/temporal-notes.md#one-environment-per-test-file): call these in beforeAll and tear down in afterAll.
 */
import { DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { bundleWorkflows } from '../../src/infra/workflow-bundle';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { join } from 'node:path';
import { existingPath, projectRoot, temporalCliPath, temporalTestServerPath } from '../../src/infra/binaries';
import { codecDataConverter } from '../../src/infra/data-converter';
import { registerSearchAttributes } from '../../src/infra/search-attributes';
import { CONTRACT_SEARCH_ATTRIBUTES } from '../../src/workflows/search-attributes';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed in this process (IllegalStateError)
  }
  runtimeInstalled = true;
}

/** The committed test key (never used outside the tests and the bench): the recorded histories are encrypted with it. */
export const TEST_CODEC_KEYS = join(projectRoot, 'test', 'fixtures', 'codec-keys');
/** Every test client and worker encrypts its payloads with the test key, as the real system does with its own. */
export const testDataConverter: DataConverter = codecDataConverter({ NEUTRIX_CODEC_KEYS: TEST_CODEC_KEYS, DATA_DIR: '/nonexistent' });

/** The Java time-skipping server, with the contract search attributes registered through the operator service. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: existingPath(temporalTestServerPath()) },
    client: { dataConverter: testDataConverter },
  });
  await registerSearchAttributes(env.connection, 'default');
  return env;
}

/** The Temporal CLI dev server (real visibility, schedules), in memory, headless, on 127.0.0.1. */
export async function devServerEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: existingPath(temporalCliPath()),
      ip: '127.0.0.1',
      ui: false,
      searchAttributes: [...CONTRACT_SEARCH_ATTRIBUTES],
    },
    client: { dataConverter: testDataConverter },
  });
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();
/** Bundle a workflows module once per test file. */
export function workflowBundle(workflowsPath = join(projectRoot, 'src', 'workflows', 'index.ts')): Promise<WorkflowBundleWithSourceMap> {
  let b = bundles.get(workflowsPath);
  if (!b) {
    b = bundleWorkflows(workflowsPath, undefined, { simulatedClock: true }); // tests place contracts on other days
    bundles.set(workflowsPath, b);
  }
  return b;
}

let counter = 0;
/** A task queue of its own for each test, so workers of different tests never steal each other's tasks. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${process.pid}-${++counter}`;
}

/** The fixture workflows that test the platform itself. */
export const fixtureWorkflowsPath = join(projectRoot, 'test', 'fixtures', 'workflows.ts');
