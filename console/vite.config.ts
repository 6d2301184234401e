import { configDefaults, defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// The console is served by `atende serve` at `/`, on the same origin as the
// API, so every request is relative and no proxy is needed in production.
// In development, `npm run dev` proxies /v1 to a local engine.
export default defineConfig({
  plugins: [preact()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/v1': { target: process.env.ATENDE_URL ?? 'http://127.0.0.1:8080', changeOrigin: false },
      '/healthz': { target: process.env.ATENDE_URL ?? 'http://127.0.0.1:8080' },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
    // The browser tests against a real server run apart: npm run test:e2e.
    exclude: [...configDefaults.exclude, 'e2e/**'],
    restoreMocks: true,
  },
});
