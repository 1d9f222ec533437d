/**
 * One `chokepoint` command in this process, as `bin/chokepoint.js` runs it, then its wall time, CPU and peak RSS as one
 * JSON line on stderr (bench/trade-load.ts reads it; the command's own output goes to stdout).
 * Usage: CHOKEPOINT_DB=<store> node bench/cli-run.mjs <command args...>
 */
import { createRequire } from 'node:module';
import { buildCli, cliBundleStale, CLI_BUNDLE } from '../scripts/build-cli.mjs';

if (cliBundleStale()) await buildCli();
const t0 = performance.now();
process.on('exit', () => {
  const u = process.resourceUsage();
  const line = { ms: performance.now() - t0, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, peakRssMiB: Math.round(u.maxRSS / 1024) };
  process.stderr.write(`\n${JSON.stringify(line)}\n`);
});
const { main } = createRequire(import.meta.url)(CLI_BUNDLE);
await main(['node', 'chokepoint', ...process.argv.slice(2)]);
