/**
 * How the workflow code is bundled, the same for the worker, the simulator and the tests.
 *
 * The worker runs every workflow in one reusable V8 context; a module listed in `preloadModules` is
 * evaluated once there (and what it exports is frozen) instead of once per workflow. Only modules with
 * no per-workflow state qualify: the contract's schemas (with zod and the domain modules they load), decimal.js (the
 * domain works on its own `Decimal.clone`), and the holiday table. zod itself is not listed: it declares
 * itself free of side effects, so webpack drops a bare `require('zod')` and nothing would be preloaded.
 * The domain's other modules are small, and their module scope is the workflow's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type Logger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** The prebuilt bundle's file name in dist/ (scripts/bundle-workflows.ts writes it at `npm run build`). */
export const PREBUILT_WORKFLOW_BUNDLE = 'workflow-bundle.js';
/** Running the compiled code (dist/…/*.js), not the sources through tsx. */
export const runningCompiled = __filename.endsWith('.js');

/**
 * The production worker's bundle, built ahead of time: dist/workflow-bundle.js next to the compiled code.
 * Without it the compiled worker refuses to start (bundling at start needs the sources and webpack).
 */
export function prebuiltWorkflowBundle(): WorkflowBundleWithSourceMap {
  const path = join(__dirname, '..', PREBUILT_WORKFLOW_BUNDLE);
  if (!existsSync(path)) throw new Error(`${path} is missing: run 'npm run build' (it compiles the code and prebuilds the workflow bundle)`);
  return { code: readFileSync(path, 'utf8'), sourceMap: existsSync(`${path}.map`) ? readFileSync(`${path}.map`, 'utf8') : '' };
}

export const CONTRACT_WORKFLOWS_PATH = join(__dirname, '..', 'workflows', 'index.ts');

export const PRELOADED_WORKFLOW_MODULES = [join(__dirname, '..', 'workflows', 'contract', 'schemas.ts'), 'decimal.js', '@holiday-jp/holiday_jp/lib/holidays'];

const WORKFLOW_CLOCK = join(__dirname, '..', 'workflows', 'clock.ts');
const SIMULATED_WORKFLOW_CLOCK = join(__dirname, '..', 'simulation', 'workflow-clock.ts');
const HISTORY_LIMITS = join(__dirname, '..', 'workflows', 'contract', 'history-limits.ts');
const TEST_HISTORY_LIMITS = join(__dirname, '..', 'simulation', 'workflow-history-limits.ts');

/**
 * `simulatedClock`: the simulator's and the tests' workers only — the workflows' clock module is replaced
 * by the simulator's, which shifts the calendar by an offset in the workflow's memo, and the contract's
 * history limits by ones a memo can lower. A production bundle (the default) has neither: no input can
 * move a contract's clock or its limits.
 */
export function bundleWorkflows(
  workflowsPath = CONTRACT_WORKFLOWS_PATH,
  logger: Logger = new DefaultLogger('WARN'),
  options: { simulatedClock?: boolean } = {},
): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath,
    logger,
    preloadModules: PRELOADED_WORKFLOW_MODULES,
    ...(options.simulatedClock
      ? {
          webpackConfigHook: (c) => ({
            ...c,
            resolve: {
              ...c.resolve,
              alias: {
                ...(c.resolve?.alias as Record<string, string>),
                [WORKFLOW_CLOCK]: SIMULATED_WORKFLOW_CLOCK,
                [HISTORY_LIMITS]: TEST_HISTORY_LIMITS,
              },
            },
          }),
        }
      : {}),
  });
}
