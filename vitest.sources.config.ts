import { defineConfig } from 'vitest/config';
// `npm run test:sources`: checks that read whole public source folders (../shared/data), run by .ci/run after `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.sources.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['test/sources/shared-data.ts'],
  },
});
