import { defineConfig } from 'vitest/config';

// Console benchmarks (scripts/bench-console.sh): real Chromium against a
// real `atende serve` with a big tenant. They print figures for
// BENCHMARKS.md and are not part of the test command.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 60_000,
    reporters: ['verbose'],
  },
});
