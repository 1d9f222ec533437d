import { defineConfig } from 'vitest/config';
// `npm run test:memory`: imports of generated 20 MB files in child processes under a heap cap (test/**/*.memory.test.ts),
// minutes on a loaded 2-core machine, so run by .ci/run after `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.memory.test.ts'],
    testTimeout: 700_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
