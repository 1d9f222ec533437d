/**
 * Import memory against file size (issue 11, "memory under 4× file size or a streaming bound"): each import in a fresh
 * process, peak RSS growth over that process's baseline.
 * - WGI CSV (read row by row in JS and staged in the store: src/ingest/stream.ts), synthetic files of 5, 20 and 60 MB,
 *   through test/ingest/import-memory.ts (importPath into a store file);
 * - BACI CSV (streamed by DuckDB's reader into a file store), 0.3M and 3M rows, through bench/baci-import.ts.
 * Usage: tsx bench/import-memory.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COUNTRIES } from '../src/model/countries.ts';

const JS_IMPORT = fileURLToPath(new URL('../test/ingest/import-memory.ts', import.meta.url));
const BACI_IMPORT = fileURLToPath(new URL('./baci-import.ts', import.meta.url));

function wgiFile(dir: string, megabytes: number): string {
  const countries = COUNTRIES.filter((c) => c.kind === 'country');
  const lines = ['codeindyr,code,countryname,year,indicator,estimate,stddev,nsource,pctrank,pctranklower,pctrankupper'];
  let bytes = 0;
  outer: for (let y = 1000; y <= 2100; y++)
    for (const ind of ['va', 'pv', 'ge', 'rq', 'rl', 'cc'])
      for (const c of countries) {
        const l = `${c.id}${ind}${y},${c.id},"${c.name}",${y},${ind},${(Math.sin(y * 7 + c.id.charCodeAt(1)) * 2).toFixed(15)},0.2${y % 97}1234567,5,${(y % 100).toFixed(13)},1.5,99.25`;
        lines.push(l);
        bytes += l.length + 1;
        if (bytes > megabytes * 1e6) break outer;
      }
  const file = join(dir, `wgi_${megabytes}mb.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

export async function benchImportMemory(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'chokepoint-importmem-'));
  try {
    for (const mb of [5, 20, 60]) {
      const file = wgiFile(dir, mb);
      const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', JS_IMPORT, 'wgi', file, join(dir, `store-${mb}.duckdb`)], {
        encoding: 'utf8',
        env: { ...process.env, CHOKEPOINT_IMPORT_MAX_MB: '100' },
      });
      const line = r.stdout.trim().split('\n').pop() ?? '';
      if (r.status !== 0 || !line.startsWith('{')) {
        console.log(`WGI ${mb} MB: FAILED (${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')})`);
        continue;
      }
      const m = JSON.parse(line) as { bytes: number; records: number; baseRss: number; peakRss: number };
      const growth = m.peakRss - m.baseRss;
      console.log(
        `WGI CSV (streamed, JS) ${(m.bytes / 1e6).toFixed(0)} MB, ${m.records.toLocaleString('en-US')} rows: peak RSS growth ${(growth / 1e6).toFixed(0)} MB = ${(growth / m.bytes).toFixed(1)}× the file`,
      );
      rmSync(file);
    }
    for (const rows of [300_000, 3_000_000]) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', BACI_IMPORT, String(rows), '1'], { encoding: 'utf8' });
      const out = r.stdout.trim().split('\n').pop() ?? '';
      console.log(r.status === 0 ? out : `BACI ${rows} rows: FAILED (${(r.stderr || out).trim().split('\n').slice(-2).join(' | ')})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchImportMemory();
