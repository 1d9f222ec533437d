/**
 * End-use rows into JS, as a CLI command pays it: `stress --n1 --all` reads supply from the series summary and, into JS,
 * only the end-use rows (world demand and own use) with sources, groupings and the registry. bench/scale.ts times the
 * same read inside its worker, which by then holds the whole scaled dataset: at 100× its garbage collector works over a
 * 4 GB heap, so that figure overstates what a command pays. Here each size is built into a store file and read by a
 * fresh process (bench/enduse-load-worker.ts), three times: the first read and the median, with the growth exponent.
 * Usage: tsx bench/enduse-load.ts (BENCH_ENDUSE_FACTORS, default 1,10,100).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openKnowledgeBase } from '../src/store/knowledge-base.ts';

const WORKER = fileURLToPath(new URL('./enduse-load-worker.ts', import.meta.url));
const child = (args: string[]) =>
  JSON.parse(
    execFileSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', WORKER, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 })
      .trim()
      .split('\n')
      .pop()!,
  ) as Record<string, number>;

export async function benchEndUseLoad(): Promise<void> {
  const factors = (process.env.BENCH_ENDUSE_FACTORS ?? '1,10,100').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'chokepoint-enduse-'));
  try {
    const bundle = join(dir, 'bundle.duckdb');
    (await openKnowledgeBase({ dbPath: bundle })).close();
    const rows: Array<Record<string, number>> = [];
    for (const f of factors) {
      const store = join(dir, `scaled-${f}.duckdb`);
      child(['build', bundle, store, String(f)]);
      const r = child(['read', bundle, store, String(f)]);
      rows.push(r);
      rmSync(store, { force: true });
    }
    console.log('End-use rows into JS in a fresh process (what stress --n1 --all loads besides the summary), CPU of all threads:');
    rows.forEach((r, i) => {
      const prev = rows[i - 1];
      const exp = prev ? Math.log(r.medianCpuMs / prev.medianCpuMs) / Math.log(r.rows / prev.rows) : NaN;
      console.log(
        `  ${String(r.factor).padStart(3)}×: ${r.rows.toLocaleString('en-US')} rows; first ${Math.round(r.firstCpuMs)} ms, median of 3 ${Math.round(r.medianCpuMs)} ms; heap ${Math.round(r.heapMiB)} MiB` +
          (prev ? `; exponent ${exp.toFixed(2)} ${exp <= 1.2 ? '(met)' : '(NOT met)'}` : ''),
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchEndUseLoad();
