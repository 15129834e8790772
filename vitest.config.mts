import { defineConfig } from 'vitest/config';

// The Temporal SDK's native bridge does not survive worker threads: forks only (docs/temporal-notes.md#one-environment-per-test-file).
// One Temporal environment per test file; files run in parallel in separate processes.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    include: ['test/**/*.test.ts'],
    exclude: ['test/chaos/**', 'test/cluster/**', 'node_modules/**'],
  },
});
