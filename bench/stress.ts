/**
 * Stress-test benchmark: the full N-1 sweep — every material × stage × year × single country removed — on the index,
 * against a straightforward baseline measured in the same run: for every removal, filter the full observation list for
 * the cell's supply and demand rows and recompute from scratch (no shared index, no per-cell reuse). Both must give the
 * same rows (checked). Then one full scenario run (network + propagation + price + stockpile) per IEA mineral.
 * The baseline is bounded: it stops after BASELINE_BUDGET_MS and extrapolates from the removals it did.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DatasetIndex } from '../src/engine/dataset.ts';
import { n1Sweep, type N1Row } from '../src/engine/stress/sweep.ts';
import { pickStageSupply, worldDemand } from '../src/engine/stress/inputs.ts';
import { runScenario, scenarioFromFlags } from '../src/scenario/run.ts';
import { isAggregateEntity, type ImportBatch, type Observation } from '../src/model/schema.ts';
import type { NetworkStage } from '../src/engine/stress/network.ts';

const SHARED = fileURLToPath(new URL('../../shared/data', import.meta.url));
const BASELINE_BUDGET_MS = 15_000;

async function loadIndex(): Promise<{ index: DatasetIndex; inputs: string[]; ms: number }> {
  const t0 = performance.now();
  const batches: ImportBatch[] = [];
  const inputs: string[] = [];
  const tryImport = async (module: string, fn: string, path: string) => {
    if (!existsSync(new URL(module, import.meta.url)) || !existsSync(path)) return;
    const mod = (await import(module)) as Record<string, (p: string) => Promise<ImportBatch>>;
    batches.push(await mod[fn](path));
    inputs.push(path.slice(SHARED.length + 1));
  };
  await tryImport('../src/ingest/iea.ts', 'importIeaCriticalMinerals', `${SHARED}/iea-critical-minerals/iea_cm_data_explorer_2025_processed.json`);
  for (const ed of ['usgs-mcs-2025', 'usgs-mcs-2024', 'usgs-mcs-2023'])
    await tryImport('../src/ingest/usgs/world.ts', 'importUsgsWorld', `${SHARED}/${ed}/world`);
  await tryImport('../src/ingest/groupings.ts', 'importGroupings', `${SHARED}/country-groupings/country_groupings.csv`);
  const index = new DatasetIndex({
    observations: batches.flatMap((b) => b.observations),
    sources: new Map(batches.flatMap((b) => b.sources).map((s) => [s.id, s])),
    governance: [],
    groupings: batches.flatMap((b) => b.groupings ?? []),
  });
  return { index, inputs, ms: performance.now() - t0 };
}

/** Baseline: per removal, rebuild the cell from the full observation list (a tiny index over the filtered rows). */
function baselineSweep(index: DatasetIndex, budgetMs: number): { rows: number; removalsDone: number; removalsTotal: number; ms: number; checksum: number } {
  const all: Observation[] = index.data.observations;
  const cells: Array<{ m: string; st: NetworkStage; y: number }> = [];
  // Cell list from a scan too (no index).
  const seen = new Set<string>();
  for (const o of all) if (o.measure === 'production' && (o.stage === 'mining' || o.stage === 'refining')) seen.add(`${o.materialId}|${o.stage}|${o.year}`);
  for (const k of seen) {
    const [m, st, y] = k.split('|');
    cells.push({ m, st: st as NetworkStage, y: Number(y) });
  }
  let removalsDone = 0;
  let removalsTotal = 0;
  let rows = 0;
  let checksum = 0;
  const t0 = performance.now();
  let stopped = false;
  for (const c of cells) {
    const build = () => {
      const obs = all.filter(
        (o) =>
          o.materialId === c.m && o.year === c.y && ((o.stage === c.st && o.measure === 'production') || (o.stage === 'end_use' && o.measure === 'demand')),
      );
      return new DatasetIndex({ observations: obs, sources: index.data.sources, governance: [], groupings: [] });
    };
    // One build to learn the suppliers of the cell (counted in the baseline time).
    const probe = build();
    const demand0 = worldDemand(probe, c.m, c.y, 'STEPS');
    const ds0 = demand0 && probe.pick({ materialId: c.m, stage: c.st, year: c.y, dataset: demand0.source.dataset }).series ? demand0.source.dataset : undefined;
    const supply0 = pickStageSupply(probe, c.m, c.st, c.y, { dataset: ds0 }).supply;
    if (!supply0) continue;
    const suppliers = supply0.countries.filter((x) => !isAggregateEntity(x.countryId)).map((x) => x.countryId);
    removalsTotal += suppliers.length;
    if (stopped) continue;
    for (const removed of suppliers) {
      const local = build();
      const demand = worldDemand(local, c.m, c.y, 'STEPS');
      const ds = demand && local.pick({ materialId: c.m, stage: c.st, year: c.y, dataset: demand.source.dataset }).series ? demand.source.dataset : undefined;
      const supply = pickStageSupply(local, c.m, c.st, c.y, { dataset: ds }).supply!;
      const remaining = supply.totalTonnes - supply.countries.find((x) => x.countryId === removed)!.tonnes;
      const D = demand && demand.source.dataset === local.source(supply.sourceId).dataset ? demand.totalTonnes : null;
      checksum += remaining / supply.totalTonnes + (D ? remaining / D : 0);
      rows++;
      removalsDone++;
      if (performance.now() - t0 > budgetMs) {
        stopped = true;
        break;
      }
    }
  }
  return { rows, removalsDone, removalsTotal, ms: performance.now() - t0, checksum };
}

const checksumOf = (rows: N1Row[]) => rows.reduce((s, r) => s + r.remainingSupplyShare + (r.coverageWorldRatio ?? 0), 0);

export async function benchStress(): Promise<void> {
  const { index, inputs, ms: loadMs } = await loadIndex();
  if (!inputs.length) {
    console.log('stress: no importer/data available yet (need src/ingest/iea.ts and shared/data) — skipped');
    return;
  }
  const materials = [...index.materials];
  console.log(
    `stress: index from ${inputs.join(', ')} — ${index.data.observations.length.toLocaleString('en-US')} observations, ${materials.length} materials, built in ${loadMs.toFixed(0)} ms`,
  );

  // Indexed sweep: median of 5 runs.
  const times: number[] = [];
  let rows: N1Row[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    rows = n1Sweep(index, { allCountries: true });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const sweepMs = times[2];
  const cells = new Set(rows.map((r) => `${r.materialId}|${r.stage}|${r.year}`)).size;
  console.log(
    `N-1 sweep (every material × stage × year × single country removed): ${rows.length.toLocaleString('en-US')} removals in ${cells} cells in ${sweepMs.toFixed(1)} ms (median of 5; goal < 1 s: ${sweepMs < 1000 ? 'met' : 'NOT met'})`,
  );

  const base = baselineSweep(index, BASELINE_BUDGET_MS);
  const complete = base.removalsDone === base.removalsTotal;
  const baselineMs = complete ? base.ms : (base.ms / Math.max(1, base.removalsDone)) * base.removalsTotal;
  const same = complete ? Math.abs(base.checksum - checksumOf(rows)) < 1e-6 * Math.max(1, Math.abs(base.checksum)) && base.rows === rows.length : null;
  console.log(
    `baseline (filter the full observation list and recompute for every removal): ${complete ? `${base.ms.toFixed(0)} ms for ${base.rows.toLocaleString('en-US')} removals` : `stopped after ${base.ms.toFixed(0)} ms at ${base.removalsDone}/${base.removalsTotal} removals, extrapolated ${baselineMs.toFixed(0)} ms`}; ` +
      `baseline/indexed = ${(baselineMs / sweepMs).toFixed(0)}×${same === null ? '' : same ? '; same results' : '; RESULTS DIFFER'}`,
  );

  // Full scenario runs (network, propagation, price, stockpile timeline).
  const ieaMinerals = ['copper', 'cobalt', 'lithium', 'nickel', 'graphite', 'rare-earths'].filter((m) => index.years(m, 'refining').includes(2035));
  if (ieaMinerals.length) {
    const t0 = performance.now();
    let n = 0;
    for (const m of ieaMinerals)
      for (const y of index.years(m, 'refining'))
        for (const st of ['mining', 'refining'] as const) {
          runScenario(index, scenarioFromFlags({ material: m, stage: st, year: y, n1: true }));
          n++;
        }
    const ms = performance.now() - t0;
    console.log(
      `full scenario runs (network + propagation + price + 12-month stockpile timeline): ${n} runs in ${ms.toFixed(0)} ms (${(ms / n).toFixed(2)} ms each)`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStress();
