import { defineConfig } from 'vitest/config';

// `npm run test:cluster`: the suite on a real Temporal cluster (test/cluster), built from its Go module by
// scripts/setup-cluster.sh and cached outside the clone. One file, one process: it starts the server,
// PostgreSQL, the system and its workers itself.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
    include: ['test/cluster/**/*.test.ts'],
  },
});
