/**
 * Data-core benchmark: full import of every shared/data source into a fresh store, and a concentration
 * sweep of all materials × stages × years. Each is printed with a competent alternative measured in the same run:
 * - import: reading and CSV/JSON-parsing the same files without normalising or storing them;
 * - sweep: HHI and top-3 of every series computed by one DuckDB SQL statement over the same observations
 *   (bench/peer-sql.ts), checked to give the same figures on the series the product picks.
 * (Until issue 13 the sweep was compared with a full rescan of the observation list per cell, a strawman; its figures
 * are kept as history in docs/performance.md.)
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
import { DuckDBInstance } from '@duckdb/node-api';
import { loadObservationsTable, peerConcentration } from './peer-sql.ts';
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

  // Competent alternative: the same figures in DuckDB SQL over the same observations (table load timed apart).
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await loadObservationsTable(conn, index.data.observations, index.data.sources);
  t0 = performance.now();
  const peer = await peerConcentration(conn);
  const peerMs = performance.now() - t0;
  conn.closeSync();
  db.closeSync();
  let same = 0;
  for (const r of sweep) {
    const p = peer.get([r.materialId, r.stage, r.year, r.source.sourceId, r.basis, r.unit, r.scenario ?? ''].join('|'));
    if (p && Math.abs(p.hhi - r.hhi) < 1e-9 && Math.abs(p.top3 - r.top3Share) < 1e-9) same++;
  }
  console.log(
    `concentration sweep: ${sweep.length} material×stage×year cells in ${sweepMs.toFixed(0)} ms (index built from store in ${loadMs.toFixed(0)} ms); ` +
      `DuckDB-SQL peer (HHI, top-3, N-1 of all ${peer.size} series) ${peerMs.toFixed(0)} ms; product/peer = ${(sweepMs / peerMs).toFixed(2)}×; same HHI and top-3 on ${same}/${sweep.length} cells`,
  );
  store.close();
}
