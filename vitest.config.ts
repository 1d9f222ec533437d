import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // whole-source-folder checks run with `npm run test:sources` (vitest.sources.config.ts); tests with real services
    // (redis-server) with `npm run test:integration` (vitest.integration.config.ts); large-file import memory with
    // `npm run test:memory` (vitest.memory.config.ts)
    exclude: ['test/**/*.sources.test.ts', 'test/**/*.integration.test.ts', 'test/**/*.memory.test.ts', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // builds web/dist once for the browser tests (test/web/*.test.ts)
    globalSetup: ['test/web/build-once.ts'],
  },
});
