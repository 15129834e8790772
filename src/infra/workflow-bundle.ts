/**
 * How the workflow code is bundled, the same for the worker, the simulator and the tests.
 *
 * The worker runs every workflow in one reusable V8 context; a module listed in `preloadModules` is
 * evaluated once there (and frozen) instead of once per workflow. Only modules with no per-workflow
 * state qualify: zod (schemas are built by our own, per-workflow modules), decimal.js (the domain works
 * on its own `Decimal.clone`), and the holiday table. The domain's modules are not listed: they are
 * small, and their module scope is the workflow's.
 */
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type Logger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

export const CONTRACT_WORKFLOWS_PATH = join(__dirname, '..', 'workflows', 'index.ts');

export const PRELOADED_WORKFLOW_MODULES = ['zod', 'decimal.js', '@holiday-jp/holiday_jp/lib/holidays'];

export function bundleWorkflows(workflowsPath = CONTRACT_WORKFLOWS_PATH, logger: Logger = new DefaultLogger('WARN')): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger, preloadModules: PRELOADED_WORKFLOW_MODULES });
}
