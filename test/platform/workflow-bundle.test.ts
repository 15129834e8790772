import { expect, it } from 'vitest';
import { PRELOADED_WORKFLOW_MODULES } from '../../src/infra/workflow-bundle';
import { workflowBundle } from '../helpers/temporal';

// A module the bundler judges free of side effects is dropped from the preload without a word (a bare
// 'zod' was: each cached workflow then carried its own zod and schemas, ≈1 MiB). Each listed module
// must be required there.
it('preloads every listed module into the shared V8 context', async () => {
  const { code } = await workflowBundle();
  const start = code.indexOf('exports.preloadModules = function preloadModules()');
  const body = code.slice(start, code.indexOf('exports.importWorkflows', start));
  const required = [...body.matchAll(/__webpack_require__\([^)]*"(\.\/[^"]+)"\)/g)].map((m) => m[1]);
  expect(required).toEqual([
    './src/workflows/contract/schemas.ts',
    './node_modules/decimal.js/decimal.js',
    './node_modules/@holiday-jp/holiday_jp/lib/holidays.js',
  ]);
  expect(required).toHaveLength(PRELOADED_WORKFLOW_MODULES.length);
});
