import { defineConfig } from 'vitest/config';
// `npm run test:integration`: tests that start real services (redis-server) and several processes; run by .ci/run.
export default defineConfig({
  test: {
    include: ['test/**/*.integration.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
