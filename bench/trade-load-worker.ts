/**
 * One step of bench/trade-load.ts in its own process (so each peak RSS is its own). Prints one JSON line.
 *   build <store> <n>: the bundle and n synthetic import flows (1M distinct flows per year, years 2023 back)
 *   measure <store>: open the knowledge base, two GeoPolRisk answers through the criticality worker
 *   peer <store>: plain DuckDB SQL for the same answer's customs input
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { openKnowledgeBase } from '../src/store/knowledge-base.ts';
import { Store } from '../src/store/store.ts';
import { criticality, criticalityPool } from '../src/api/workers/pool.ts';
import { syntheticImports } from './generate.ts';

const [mode, path, nArg] = process.argv.slice(2);
const mib = (bytes: number) => Math.round(bytes / 1048576);
const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const t0 = performance.now();

if (mode === 'build') {
  const n = Number(nArg);
  (await openKnowledgeBase({ dbPath: path })).close();
  const store = await Store.open(path);
  const base = (await store.sourceRecords()).find((s) => s.dataset === 'usgs-mcs')!;
  const source = { ...base, id: 'bench-synthetic-trade', dataset: 'un-comtrade', title: 'synthetic import flows (benchmark)' };
  const PER_YEAR = 1_000_000;
  for (let done = 0, year = 2023; done < n; done += PER_YEAR, year--) {
    const flows = syntheticImports(Math.min(PER_YEAR, n - done), { years: [year], sourceId: source.id, seed: year });
    if (done === 0)
      await store.applyBatch({ kind: 'bench', file: 'synthetic', sources: [source], observations: [], tradeFlows: flows, warnings: [] }, 'synthetic');
    else await store.appendTradeFlows(flows);
  }
  store.close();
  console.log(JSON.stringify({ ms: performance.now() - t0 }));
} else if (mode === 'measure') {
  const c0 = process.cpuUsage();
  const kb = await openKnowledgeBase({ dbPath: path });
  const c = process.cpuUsage(c0);
  const openMs = performance.now() - t0;
  const heapMiB = mib(process.memoryUsage().heapUsed);
  const t1 = performance.now();
  const r = await criticality.report(kb.index, 'usa', { method: 'geopolrisk', as: 'USA', year: 2023 });
  const firstMs = performance.now() - t1;
  const t2 = performance.now();
  await criticality.report(kb.index, 'jpn', { method: 'geopolrisk', as: 'JPN', year: 2023 });
  const secondMs = performance.now() - t2;
  await criticalityPool.close();
  kb.close();
  console.log(
    JSON.stringify({ openMs, openCpuMs: (c.user + c.system) / 1000, heapMiB, firstMs, secondMs, rows: r.geopolrisk.length, peakRssMiB: peakRssMiB() }),
  );
} else if (mode === 'peer') {
  const db = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  const r = await conn.runAndReadAll(
    `select material_id, partner_id, year, sum(quantity_kg) as kg from trade_flows where flow = 'import' and reporter_id = 'USA' group by all`,
  );
  const rows = r.getRowsJS().length;
  conn.closeSync();
  db.closeSync();
  console.log(JSON.stringify({ ms: performance.now() - t0, rows, peakRssMiB: peakRssMiB() }));
} else throw new Error(`unknown mode ${mode}`);
