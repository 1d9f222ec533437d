import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // builds web/dist once for the browser tests (test/web/*.test.ts)
    globalSetup: ['test/web/build-once.ts'],
  },
});
