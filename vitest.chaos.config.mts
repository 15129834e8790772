import { defineConfig } from 'vitest/config';

// `npm run chaos`: the fault tests — the short ones of test/faults (also in `npm test`) and the long
// ones of test/chaos (a killed worker, a restarted server) — one file at a time, since each file runs a
// dev server and a worker of its own and the faults are timed. A table of the figures closes the run.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 600_000,
    include: ['test/faults/**/*.test.ts', 'test/chaos/**/*.test.ts'],
    globalSetup: ['test/chaos/global-setup.ts'],
  },
});
