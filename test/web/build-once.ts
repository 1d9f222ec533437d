/**
 * Vitest global setup: build the dashboard once per test run, before any browser test starts. The browser test files
 * run in parallel and serve web/dist; building from each of them would race (a rebuild empties web/dist under a
 * running test). Skipped when the run is filtered to files that are not browser tests.
 */
import { fileURLToPath } from 'node:url';

export default async function buildDashboard(): Promise<void> {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-') && a !== 'run' && a !== 'watch');
  if (filters.length && !filters.some((f) => f.includes('web'))) return;
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
