/**
 * Data-core benchmark: full import of every shared/data source into a fresh store, and a concentration
 * sweep of all materials × stages × years. Each is printed with a baseline measured in the same run:
 * - import: reading and CSV/JSON-parsing the same files without normalising or storing them;
 * - sweep: the same sweep computed by scanning the whole observation list for every cell (no index).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../src/store/store.ts';
import { discover, importPath } from '../src/ingest/index.ts';
import { parseCsvRecords } from '../src/ingest/csv.ts';
import { loadDataset } from '../src/store/load.ts';
import { DatasetIndex } from '../src/engine/dataset.ts';
import { concentrationSweep } from '../src/engine/concentration-report.ts';
import { concentration } from '../src/engine/concentration.ts';
import type { Stage } from '../src/model/schema.ts';

const SHARED = fileURLToPath(new URL('../../shared/data', import.meta.url));

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((f) => files(join(path, f)));
}

export async function benchData(): Promise<void> {
  const { runs } = discover(SHARED);
  // Baseline: parse only.
  let t0 = performance.now();
  let parsedRecords = 0;
  for (const r of runs) {
    for (const f of files(r.path)) {
      const text = readFileSync(f, f.includes('eu-crm') ? 'latin1' : 'utf8');
      if (f.endsWith('.json')) parsedRecords += Object.keys(JSON.parse(text)).length;
      else if (f.endsWith('.csv')) parsedRecords += parseCsvRecords(text).length;
    }
  }
  const parseMs = performance.now() - t0;

  const store = await Store.open(':memory:');
  t0 = performance.now();
  let rows = 0;
  for (const r of runs) {
    const s = await importPath(store, r.kind, r.path);
    rows += s.observations + s.governance + s.groupings + s.tradeFlows;
  }
  const importMs = performance.now() - t0;
  console.log(
    `import: ${runs.length} inputs, ${rows.toLocaleString('en-US')} rows in ${importMs.toFixed(0)} ms = ${Math.round(rows / (importMs / 1000)).toLocaleString('en-US')} rows/s ` +
      `(baseline parse-only ${parseMs.toFixed(0)} ms for ${parsedRecords.toLocaleString('en-US')} records; import/parse = ${(importMs / parseMs).toFixed(1)}×; goal < 10 s: ${importMs < 10_000 ? 'met' : 'NOT met'})`,
  );

  t0 = performance.now();
  const index = new DatasetIndex(await loadDataset(store));
  const loadMs = performance.now() - t0;
  const stages: Stage[] = ['mining', 'refining', 'reserves'];
  const allYears = [...new Set(index.data.observations.map((o) => o.year))];

  t0 = performance.now();
  const sweep = concentrationSweep(index, { stages, years: allYears });
  const sweepMs = performance.now() - t0;

  // Baseline: no index, filter the full observation list for each material × stage × year cell.
  t0 = performance.now();
  let baselineCells = 0;
  for (const m of index.materials) {
    for (const st of stages) {
      for (const y of allYears) {
        const cell = index.data.observations.filter(
          (o) => o.materialId === m && o.stage === st && o.year === y && o.measure === (st === 'reserves' ? 'reserves' : 'production'),
        );
        if (!cell.length) continue;
        const bySource = new Map<string, typeof cell>();
        for (const o of cell) bySource.set(`${o.sourceId}|${o.basis}|${o.scenario}`, [...(bySource.get(`${o.sourceId}|${o.basis}|${o.scenario}`) ?? []), o]);
        for (const group of bySource.values()) if (concentration(group)) baselineCells++;
      }
    }
  }
  const baselineMs = performance.now() - t0;
  console.log(
    `concentration sweep: ${sweep.length} material×stage×year cells in ${sweepMs.toFixed(0)} ms (index built from store in ${loadMs.toFixed(0)} ms); ` +
      `baseline full-scan ${baselineMs.toFixed(0)} ms for ${baselineCells} series; baseline/indexed = ${(baselineMs / sweepMs).toFixed(1)}×`,
  );
  store.close();
}
