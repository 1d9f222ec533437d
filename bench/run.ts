/** `npm run bench`: every benchmark, each printing its own baseline measured in the same run. */
import { existsSync } from 'node:fs';
import { benchData } from './data.ts';

console.log(`Chokepoint benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
console.log('== start-up: CLI cold start, server first answer ==');
await (await import('./startup.ts')).benchStartup();
console.log('\n== data core ==');
await benchData();
for (const [name, file, fn] of [
  ['stress tests', './stress.ts', 'benchStress'],
  ['Monte Carlo disruption risk', './risk.ts', 'benchRisk'],
  ['distributed Monte Carlo (Redis queue vs local threads)', './distributed.ts', 'benchDistributed'],
  ['API latency', './api.ts', 'benchApi'],
  ['early warning and coalitions', './alerts.ts', 'benchAlerts'],
  ['dashboard bytes over the wire', './payload.ts', 'benchPayload'],
  ['optimisation (HiGHS)', './optimise.ts', 'benchOptimise'],
  ['scale: 1×, 10×, 100× the bundle against a DuckDB-SQL peer; 10M-row BACI import', './scale.ts', 'benchScale'],
  ['trade flows at scale: server start and first customs answer with 0 and 1M flows', './trade-load.ts', 'benchTradeLoad'],
  ['end-use rows into JS in a fresh process, 1×, 10×, 100×', './enduse-load.ts', 'benchEndUseLoad'],
] as const) {
  if (!existsSync(new URL(file, import.meta.url))) continue;
  console.log(`\n== ${name} ==`);
  const mod = (await import(file)) as Record<string, () => Promise<void>>;
  await mod[fn]();
}
// A worker thread's module-loader port (tsx) can keep the process up after the last bench: exit when done.
process.exit(0);
