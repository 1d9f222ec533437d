/**
 * One step of bench/trade-load.ts in its own process (so each peak RSS is its own). Prints one JSON line.
 *   build <store> <n>: the bundle and n synthetic import flows (1M distinct flows per year, years 2023 back)
 *   measure <store>: open the knowledge base as the server does (trade flows on demand), two GeoPolRisk answers through
 *     the API and the criticality worker
 *   peer <store>: plain DuckDB SQL for the same answer's customs input
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { openKnowledgeBase } from '../src/store/knowledge-base.ts';
import { Store } from '../src/store/store.ts';
import { criticalityPool } from '../src/api/workers/pool.ts';
import { createApp } from '../src/api/app.ts';
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
  // As `npm start` does: trade flows read on demand, answers through the API (its reruns) and the criticality worker.
  const c0 = process.cpuUsage();
  const kb = await openKnowledgeBase({ dbPath: path, tradeOnDemand: true });
  const c = process.cpuUsage(c0);
  const openMs = performance.now() - t0;
  const heapMiB = mib(process.memoryUsage().heapUsed);
  const app = createApp(kb);
  const geopolrisk = async (as: string) => {
    const res = await app.request(`/api/criticality?method=geopolrisk&as=${as}&year=2023`);
    if (res.status !== 200) throw new Error(`GeoPolRisk as ${as}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { geopolrisk: unknown[] }).geopolrisk.length;
  };
  const t1 = performance.now();
  const rows = await geopolrisk('USA');
  const firstMs = performance.now() - t1;
  const t2 = performance.now();
  await geopolrisk('JPN');
  const secondMs = performance.now() - t2;
  const flowsHeld = kb.index.data.tradeTable?.length ?? 0;
  await criticalityPool.close();
  kb.close();
  console.log(JSON.stringify({ openMs, openCpuMs: (c.user + c.system) / 1000, heapMiB, firstMs, secondMs, rows, flowsHeld, peakRssMiB: peakRssMiB() }));
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
