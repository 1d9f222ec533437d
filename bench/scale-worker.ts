/**
 * One size of the scale benchmark, in its own process so its peak RSS is its own (bench/scale.ts runs it per size).
 * Usage: tsx bench/scale-worker.ts <store file holding the bundle> <factor>
 * Prints one JSON line of timings (ms) and peak RSS (MiB).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { Store } from '../src/store/store.ts';
import { loadDataset } from '../src/store/load.ts';
import { DatasetIndex } from '../src/engine/dataset.ts';
import { concentrationSweep } from '../src/engine/concentration-report.ts';
import { n1Sweep } from '../src/engine/stress/sweep.ts';
import { runCriticality } from '../src/engine/criticality/index.ts';
import { buildNetwork, networkFlows, type StageSupply } from '../src/engine/stress/network.ts';
import { propagate } from '../src/engine/stress/propagate.ts';
import { importerLookupsFromIndex, importersTable, stageImporters } from '../src/engine/importer/importers.ts';
import { storeImporters } from '../src/store/customs-imports.ts';
import { scaledDataset, syntheticImports, prng, m49Countries } from './generate.ts';
import { loadObservationsTable, peerConcentration } from './peer-sql.ts';
import { refreshSeriesSummary, summaryConcentrationSweep, summaryN1Sweep, summarySeriesPanel } from '../src/store/summary.ts';
import type { Stage } from '../src/model/schema.ts';

const [storePath, factorArg] = process.argv.slice(2);
const factor = Number(factorArg);
const out: Record<string, number | string> = { factor };
/** Wall time (name) and CPU time of the process, every thread, DuckDB's included (name with Cpu for Ms). */
const time = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await fn();
  const c = process.cpuUsage(c0);
  out[name] = Math.round((performance.now() - t0) * 10) / 10;
  out[name.replace(/Ms$/, 'CpuMs')] = Math.round((c.user + c.system) / 100) / 10;
  return r;
};

const store = await Store.open(storePath, { readOnly: true });
const base = await loadDataset(store);
store.close();
const data = scaledDataset(base, factor);
out.observations = data.observations.length;

// Index build: the product's in-memory index over the (scaled) observations.
const index = await time('indexMs', () => new DatasetIndex(data));
out.materials = index.materials.size;
const stages: Stage[] = ['mining', 'refining', 'reserves'];
const years = [...new Set(base.observations.map((o) => o.year))].sort();
const sweep = await time('sweepMs', () => concentrationSweep(index, { stages, years }));
const n1 = await time('n1Ms', () => n1Sweep(index, { allCountries: true }));
out.sweepRows = sweep.length;
out.n1Rows = n1.length;

// The DuckDB-SQL peer over the same observations, in the same process.
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
await time('peerLoadMs', () => loadObservationsTable(conn, data.observations, data.sources));
const peer = await time('peerSqlMs', () => peerConcentration(conn));
// Same answers on the series the product picked (HHI and top-3 to 1e-9).
let compared = 0;
let differ = 0;
for (const r of sweep) {
  const p = peer.get([r.materialId, r.stage, r.year, r.source.sourceId, r.basis, r.unit, r.scenario ?? ''].join('|'));
  if (!p) continue;
  compared++;
  if (Math.abs(p.hhi - r.hhi) > 1e-9 || Math.abs(p.top3 - r.top3Share) > 1e-9) differ++;
}
// The peer again, four times: the comparisons below use each side's five runs: the first (cold: a CLI call), the median
// and the best (the bench machine is shared: the best run is the one least disturbed by other jobs, on both sides alike).
const cpuOf = async (fn: () => unknown) => {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
/** CPU ms of five runs (the first already measured), smallest first. */
const fiveRuns = async (first: number, fn: () => unknown) => {
  const runs = [first];
  for (let i = 0; i < 4; i++) runs.push(await cpuOf(fn));
  return runs.sort((a, b) => a - b);
};
const bestOf = async (first: number, fn: () => unknown) => (await fiveRuns(first, fn))[0];
const peerRuns = await fiveRuns(out.peerSqlCpuMs as number, () => peerConcentration(conn));
out.peerSqlBestCpuMs = peerRuns[0];
out.peerSqlMedianCpuMs = peerRuns[2];
out.peerCompared = compared;
out.peerDiffer = differ;
conn.closeSync();
db.closeSync();

// The product's path since issue 13 part 1: the observations in a store, whose import computes the series summary in SQL
// (timed alone too: it is what an import adds), then both sweeps read the summary (N-1: demand from end-use rows only).
const sstore = await Store.open(':memory:');
await time('storeImportMs', () =>
  sstore.applyBatch(
    { kind: 'bench', file: `scaled-${factor}`, sources: [...data.sources.values()], observations: data.observations, warnings: [] },
    `scaled-${factor}`,
  ),
);
await time('summaryRefreshMs', () => refreshSeriesSummary(sstore.conn));
const sweepSql = await time('sweepSqlMs', () => summaryConcentrationSweep(sstore, { stages, years }));
// Demand and own use come from end-use rows held in JS (the server's index has them; the CLI loads them): timed apart,
// as the peer's table load is.
const endUse = await time('endUseLoadMs', async () => new DatasetIndex(await loadDataset(sstore, { stages: ['end_use'], governance: false })));
const n1Sql = await time('n1SqlMs', () => summaryN1Sweep(sstore, endUse, { allCountries: true }));
out.sweepSqlBestCpuMs = await bestOf(out.sweepSqlCpuMs as number, () => summaryConcentrationSweep(sstore, { stages, years }));
out.n1SqlBestCpuMs = await bestOf(out.n1SqlCpuMs as number, () => summaryN1Sweep(sstore, endUse, { allCountries: true }));
// The same rows as the in-memory sweeps, byte for byte (compared row by row: one string of 100× would be huge).
const same = <T>(a: T[], b: T[]) => a.length === b.length && a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]));
out.summarySweepSame = same(sweepSql, sweep) ? 1 : 0;
out.summaryN1Same = same(n1Sql, n1) ? 1 : 0;
// The product's answer to the peer's question: HHI, top-3 and N-1 of every published series (the "by source" panel,
// src/engine/series-panel.ts), read from the summary. Checked against the peer series by series (HHI, top-3 and the share
// left without the largest supplier to 1e-9).
const panel = await time('panelSqlMs', () => summarySeriesPanel(sstore, { stages }));
const panelRuns = await fiveRuns(out.panelSqlCpuMs as number, () => summarySeriesPanel(sstore, { stages }));
out.panelSqlBestCpuMs = panelRuns[0];
out.panelSqlMedianCpuMs = panelRuns[2];
let panelCompared = 0;
let panelDiffer = 0;
for (const r of panel) {
  if (r.hhi === null) continue;
  panelCompared++;
  const p = peer.get([r.materialId, r.stage, r.year, r.sourceId, r.basis, r.unit, r.scenario ?? ''].join('|'));
  if (!p || Math.abs(p.hhi - r.hhi) > 1e-9 || Math.abs(p.top3 - r.top3Share!) > 1e-9 || Math.abs(p.n1RemainingShare - r.n1RemainingShare!) > 1e-9)
    panelDiffer++;
}
out.panelRows = panel.length;
out.panelCompared = panelCompared;
out.panelDiffer = panelDiffer;
sstore.close();

// Criticality, every method, every material the year has (EU assessor, as the dashboard's default view).
const crit = await time('criticalityMs', () => runCriticality(index, { method: 'all', as: 'EU', year: 2023 }));
out.criticalityMaterials = crit.comparison.length;

// GeoPolRisk with customs imports: 10k × factor synthetic import flows, 10 single-country assessors.
const flows = syntheticImports(10_000 * factor);
const tradeIndex = new DatasetIndex({ ...base, tradeTable: undefined, tradeFlows: flows });
const assessors = ['USA', 'JPN', 'KOR', 'IND', 'CAN', 'AUS', 'GBR', 'BRA', 'ZAF', 'MEX'];
let gprScores = 0;
await time('geopolriskMs', () => {
  for (const as of assessors) gprScores += runCriticality(tradeIndex, { method: 'geopolrisk', as, year: 2023 }).geopolrisk.length;
});
out.geopolriskFlows = flows.length;
out.geopolriskResults = gprScores;

// Every importer of one material (the one with the most synthetic flows): the customs inputs of all its importers in one
// SQL pass over a store holding the flows (what `chokepoint importers` and /api/importers run), against the engine's
// customsImports per importer over the in-memory trade table. Both build the same table; the bench checks they agree.
{
  const perMaterial = new Map<string, number>();
  for (const f of flows) perMaterial.set(f.materialId, (perMaterial.get(f.materialId) ?? 0) + 1);
  const [materialId, materialFlows] = [...perMaterial].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  const stage = (['mining', 'refining'] as const).find((st) => stageImporters(tradeIndex, materialId, st).length) ?? 'refining';
  const tstore = await Store.open(':memory:');
  await tstore.appendTradeFlows(flows);
  const q = { materialId, stage, year: 2023 };
  const sqlTable = await time('importersSqlMs', () => storeImporters(tstore, tradeIndex, q));
  const engineTable = await time('importersEngineMs', () => importersTable(tradeIndex, q, importerLookupsFromIndex(tradeIndex, q)));
  tstore.close();
  out.importersMaterialFlows = materialFlows;
  out.importers = sqlTable.rows.length;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  out.importersDiffer =
    sqlTable.rows.length !== engineTable.rows.length
      ? -1
      : sqlTable.rows.filter(
          (r, i) =>
            r.importerId !== engineTable.rows[i].importerId ||
            !close(r.importsTonnes, engineTable.rows[i].importsTonnes) ||
            !close(r.geoPolRisk ?? NaN, engineTable.rows[i].geoPolRisk ?? NaN),
        ).length;
}

// Propagation: a two-stage network with 16 × factor countries per stage (mining → refining), shock on the largest miner.
const countries = m49Countries().map((c) => c.id);
const rnd = prng(3);
const nodes = 16 * factor;
const supply = (stage: 'mining' | 'refining'): StageSupply => {
  const list = Array.from({ length: nodes }, (_, i) => ({ countryId: i < countries.length ? countries[i] : `C${i}`, tonnes: 1 + rnd() * 1000 }));
  list.sort((a, b) => b.tonnes - a.tonnes);
  const total = list.reduce((s, c) => s + c.tonnes, 0);
  return { stage, year: 2023, unit: 't', basis: 'contained', scenario: null, sourceId: 'bench', countries: list, totalTonnes: total, gaps: [] };
};
const mining = supply('mining');
const refining = supply('refining');
const net = await time('networkMs', () => buildNetwork('bench', 2023, mining, refining, []));
await time('propagateMs', () =>
  propagate(net, { stage: 'mining', countries: [mining.countries[0].countryId], fraction: 1, mode: 'export_ban' }, { sectors: [], demandTonnes: null }),
);
out.networkNodes = nodes;
// Miner → refiner pairs the network stands for (the pool's included), counted outside the timings.
out.networkFlows = networkFlows(net).length;

out.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out));
