import { defineConfig } from 'vitest/config';

// End-to-end tests (`npm run test:e2e`): real Chromium (Debian's, through
// playwright-core) against a real `atende serve` serving console/dist.
// They need build/atende and a built console: scripts/test-console-e2e.sh
// does both. One file at a time: the machine is small and each test runs
// its own server.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
    reporters: ['verbose'],
    // expect.poll waits for the screen: long enough for a polling round.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
