/**
 * Trade flows at scale: a store holding the bundle and N synthetic import flows (0, 1M; 10M with
 * BENCH_TRADE_FLOWS=0,1000000,10000000), then, in a fresh process per size, what a server pays: opening the knowledge base
 * as `npm start` does (every observation, no trade flow: they are read as requests ask), the first criticality answer
 * that reads customs data (GeoPolRisk as USA, every material, through the API and the criticality worker thread: the
 * flows it asks for are read, then it runs again), a second one (JPN), the flows then held, heap and peak RSS.
 * Peer, same run, same store file: a plain Node + DuckDB script computing the customs input of that answer in one SQL
 * query (USA imports by material, partner and year); its time is a floor for "read what the answer needs".
 * Then CLI commands, each in a fresh process (bench/cli-run.mjs): wall time, CPU and peak RSS per store, and the ratio
 * to the same command on the store without trade flows (measured in the same run): a command that reads only the flows
 * it needs pays for the flows of the materials it asks about (criticality as a country: its own imports, in SQL), and
 * one that needs none should stay near 1.
 * Usage: tsx bench/trade-load.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./trade-load-worker.ts', import.meta.url));
const CLI_RUN = fileURLToPath(new URL('./cli-run.mjs', import.meta.url));

/** CLI commands measured on each store (docs/architecture.md, "What a CLI command reads"). */
const CLI_COMMANDS: string[][] = [
  ['timeline', '--material', 'gallium'],
  ['data', 'sources'],
  ['materials'],
  ['coalition', 'roles'],
  ['report', '--material', 'cobalt'],
  ['stress', '--material', 'cobalt', '--stage', 'refining', '--n1'],
  ['risk', '--basket', 'battery', '--samples', '300', '--threads', '1'],
  ['criticality', '--method', 'geopolrisk', '--as', 'JPN', '--year', '2023', '--samples', '0'],
  ['criticality', '--method', 'eu', '--as', 'EU', '--year', '2023', '--samples', '0'],
  ['stress', '--n1', '--all'],
  ['importer', 'JPN'],
];

/** One command in a fresh process on a store: its wall time, CPU and peak RSS (exit code 0 required). */
function cli(store: string, args: string[]): { ms: number; cpuMs: number; peakRssMiB: number } {
  const r = spawnSync(process.execPath, [CLI_RUN, ...args], { env: { ...process.env, CHOKEPOINT_DB: store }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`chokepoint ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stderr.trim().split('\n').pop()!) as { ms: number; cpuMs: number; peakRssMiB: number };
}

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
    const noTrade = new Map<string, { ms: number; peakRssMiB: number }>();
    for (const n of sizes) {
      const path = join(dir, `trade-${n}.duckdb`);
      const built = child(['build', path, String(n)]);
      const m = child(['measure', path]);
      const p = child(['peer', path]);
      console.log(
        `${String(n.toLocaleString('en')).padStart(10)} flows (store built in ${s(built.ms)}): open ${s(m.openMs)} wall, ${s(m.openCpuMs)} CPU, heap ${m.heapMiB} MiB; ` +
          `first GeoPolRisk answer (USA, ${m.rows} materials, worker thread) ${s(m.firstMs)}, second (JPN) ${s(m.secondMs)}; ` +
          `${m.flowsHeld.toLocaleString('en')} flows then held; peak RSS ${m.peakRssMiB} MiB`,
      );
      console.log(
        `${''.padStart(10)}       peer (Node + DuckDB, one SQL query for USA's imports by material, partner, year): ${s(p.ms)} wall, ${p.rows} rows, peak RSS ${p.peakRssMiB} MiB`,
      );
      for (const args of CLI_COMMANDS) {
        const key = args.join(' ');
        const r = cli(path, args);
        if (n === sizes[0]) noTrade.set(key, r);
        const base = noTrade.get(key);
        const ratio =
          base && n !== sizes[0]
            ? `; ${(r.ms / base.ms).toFixed(2)}× the time, ${(r.peakRssMiB / base.peakRssMiB).toFixed(2)}× the RSS on ${sizes[0].toLocaleString('en')} flows`
            : '';
        console.log(
          `${''.padStart(10)}       chokepoint ${key.padEnd(72)} ${s(r.ms).padStart(8)} wall, ${s(r.cpuMs).padStart(8)} CPU, peak RSS ${r.peakRssMiB} MiB${ratio}`,
        );
      }
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchTradeLoad();
