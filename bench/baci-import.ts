/**
 * BACI import at scale: a generated BACI-layout file of N rows (default 10M) imported into a fresh file store through
 * `importPath` (DuckDB's CSV reader, SQL validation, one transaction). Prints wall time, rows stored and peak RSS of
 * this process (DuckDB's memory included: it runs in-process). Goal (issue 13): 10M rows in under 60 s.
 * Usage: tsx bench/baci-import.ts [rows] [mappedShare]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBaciCsv } from './generate.ts';
import { importPath } from '../src/ingest/index.ts';
import { Store } from '../src/store/store.ts';

export async function benchBaciImport(rows = 10_000_000, mappedShare = 1): Promise<{ ms: number; stored: number; peakRssMiB: number; fileMiB: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'chokepoint-baci-'));
  try {
    const file = join(dir, 'BACI_HS17_Y2013-2022_V202401-synthetic.csv');
    const t0 = performance.now();
    await writeBaciCsv(file, rows, { mappedShare });
    const genMs = performance.now() - t0;
    const fileMiB = statSync(file).size / 1024 / 1024;
    const store = await Store.open(join(dir, 'store.duckdb'));
    const t1 = performance.now();
    const s = await importPath(store, 'baci', file);
    const ms = performance.now() - t1;
    store.close();
    const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(
      `BACI import: ${rows.toLocaleString('en-US')} rows (${fileMiB.toFixed(0)} MiB, ${Math.round(mappedShare * 100)}% of rows on our HS codes; generated in ${(genMs / 1000).toFixed(1)} s) ` +
        `→ ${s.tradeFlows.toLocaleString('en-US')} trade-flow rows stored in ${(ms / 1000).toFixed(1)} s; peak RSS ${peakRssMiB} MiB ` +
        `(goal < 60 s: ${ms < 60_000 ? 'met' : 'NOT met'})`,
    );
    return { ms, stored: s.tradeFlows, peakRssMiB, fileMiB };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBaciImport(Number(process.argv[2] ?? 10_000_000), Number(process.argv[3] ?? 1));
