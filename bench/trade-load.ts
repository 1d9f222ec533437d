/**
 * Trade flows at scale: a store holding the bundle and N synthetic import flows (0, 1M; 10M with
 * BENCH_TRADE_FLOWS=0,1000000,10000000), then, in a fresh process per size, what a server pays: opening the knowledge base
 * (every table read, trade flows as the column table of src/engine/trade-table.ts), the first criticality answer that
 * reads customs data (GeoPolRisk as USA, every material, through the criticality worker thread, so the dataset is sent
 * to it), a second one (JPN), heap and peak RSS.
 * Peer, same run, same store file: a plain Node + DuckDB script computing the customs input of that answer in one SQL
 * query (USA imports by material, partner and year); its time is a floor for "read what the answer needs".
 * Usage: tsx bench/trade-load.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./trade-load-worker.ts', import.meta.url));

function child(args: string[]): Record<string, number> {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', WORKER, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
}

export async function benchTradeLoad(): Promise<void> {
  const sizes = (process.env.BENCH_TRADE_FLOWS ?? '0,1000000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'chokepoint-trade-'));
  try {
    const s = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
    for (const n of sizes) {
      const path = join(dir, `trade-${n}.duckdb`);
      const built = child(['build', path, String(n)]);
      const m = child(['measure', path]);
      const p = child(['peer', path]);
      console.log(
        `${String(n.toLocaleString('en')).padStart(10)} flows (store built in ${s(built.ms)}): open ${s(m.openMs)} wall, ${s(m.openCpuMs)} CPU, heap ${m.heapMiB} MiB; ` +
          `first GeoPolRisk answer (USA, ${m.rows} materials, worker thread) ${s(m.firstMs)}, second (JPN) ${s(m.secondMs)}; peak RSS ${m.peakRssMiB} MiB`,
      );
      console.log(
        `${''.padStart(10)}       peer (Node + DuckDB, one SQL query for USA's imports by material, partner, year): ${s(p.ms)} wall, ${p.rows} rows, peak RSS ${p.peakRssMiB} MiB`,
      );
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchTradeLoad();
