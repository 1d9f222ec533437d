/**
 * Start-up benchmark: how long a user waits for a simple CLI answer, and for a started server's first answer.
 *
 * Compared, in the same run, with the competent alternative: a plain Node script that opens the same DuckDB store
 * read-only and computes the same HHI with one SQL query (bench/startup-sql.mjs) — the floor for "start Node, load
 * DuckDB, ask" — and with the CLI as it was before the start-up work (commit a67c239: TypeScript compiled at run time,
 * the 5 MB bundle re-parsed at every command), extracted from git into a temporary folder and run in the same run on
 * its own store. Without git history, the numbers recorded for it on a 2-core machine (2026-12-04) are printed.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/chokepoint.js', import.meta.url));
const SQL_BASELINE = fileURLToPath(new URL('./startup-sql.mjs', import.meta.url));

const BEFORE_COMMIT = 'a67c239';
/** Recorded for BEFORE_COMMIT on a 2-core machine, 2026-12-04, used only when git cannot extract it. */
const BEFORE_RECORDED = { cliMs: 2630, serverFirstAnswerMs: 4430 };
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The CLI of BEFORE_COMMIT in a temporary folder (sharing node_modules), or null without git history. */
function extractBefore(dir: string): string | null {
  try {
    const out = join(dir, 'before');
    mkdirSync(out);
    execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${BEFORE_COMMIT} bin src package.json | tar -x -C "${out}"`], { stdio: 'pipe' });
    symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
    return join(out, 'bin/chokepoint.js');
  } catch {
    return null;
  }
}

interface Run {
  wallMs: number;
  stdout: string;
  /** CPU time of the child (every thread), when it was run with CPU_PRELOAD. */
  cpuMs: number | null;
}

/** Preload that prints the process's CPU time at exit (bench/cpu-at-exit.mjs). */
const CPU_PRELOAD = fileURLToPath(new URL('./cpu-at-exit.mjs', import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(process.execPath, args, { env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${args.join(' ')}: ${stderr || err.message}`));
      const cpu = /cpu-ms ([\d.]+)/.exec(stderr);
      resolve({ wallMs: performance.now() - t0, stdout, cpuMs: cpu ? Number(cpu[1]) : null });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function serverFirstAnswer(bin: string, db: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--db', db], { stdio: 'ignore' });
  try {
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/concentration?material=cobalt&stage=mining&year=2024`);
        if (r.ok) {
          await r.json();
          return performance.now() - t0;
        }
      } catch {
        // not listening yet
      }
      if (performance.now() - t0 > 120_000) throw new Error('server did not answer within 120 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill('SIGTERM');
  }
}

export async function benchStartup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cp-bench-startup-'));
  const db = join(dir, 'store.duckdb');
  const env = { ...process.env, CHOKEPOINT_DB: db };
  const query = ['concentration', '--material', 'cobalt', '--stage', 'mining', '--year', '2024', '--format', 'json'];
  const beforeBin = extractBefore(dir);
  const beforeEnv = { ...process.env, CHOKEPOINT_DB: join(dir, 'before.duckdb') };
  try {
    const first = await run([BIN, ...query], env); // first run fills the store from the bundle
    console.log(`first command on an empty store (imports the bundle): ${(first.wallMs / 1000).toFixed(2)} s`);
    if (beforeBin) await run([beforeBin, ...query], beforeEnv);
    const ours: number[] = [];
    const oursCpu: number[] = [];
    const sqlCpu: number[] = [];
    const sql: number[] = [];
    const before: number[] = [];
    let ourHhi = NaN;
    let sqlHhi = NaN;
    for (let i = 0; i < 5; i++) {
      const a = await run(['--import', CPU_PRELOAD, BIN, ...query], env);
      ours.push(a.wallMs);
      oursCpu.push(a.cpuMs!);
      ourHhi = JSON.parse(a.stdout)[0].hhiPoints;
      const b = await run(['--import', CPU_PRELOAD, SQL_BASELINE, db], env);
      sql.push(b.wallMs);
      sqlCpu.push(b.cpuMs!);
      sqlHhi = JSON.parse(b.stdout).hhiPoints;
      if (beforeBin) before.push((await run([beforeBin, ...query], beforeEnv)).wallMs);
    }
    if (ourHhi !== sqlHhi) throw new Error(`the CLI (${ourHhi}) and the SQL baseline (${sqlHhi}) disagree on cobalt mining 2024 HHI`);
    const o = median(ours);
    const s = median(sql);
    const b = beforeBin ? median(before) : BEFORE_RECORDED.cliMs;
    const beforeLabel = beforeBin ? `before (${BEFORE_COMMIT}, this run)` : `before (${BEFORE_COMMIT}, recorded)`;
    console.log(`CLI cold start, "concentration --material cobalt --stage mining --year 2024" (median of 5, HHI ${ourHhi} both):`);
    console.log(`  chokepoint CLI             ${o.toFixed(0).padStart(6)} ms`);
    console.log(`  plain Node + DuckDB SQL    ${s.toFixed(0).padStart(6)} ms   (chokepoint / SQL = ${(o / s).toFixed(2)}×)`);
    const oc = median(oursCpu);
    const sc = median(sqlCpu);
    console.log(
      `  CPU time (every thread): chokepoint ${oc.toFixed(0)} ms ${oc < 500 ? '(< 0.5 s: met)' : '(≥ 0.5 s: NOT met)'}, plain Node + DuckDB SQL ${sc.toFixed(0)} ms`,
    );
    console.log(`  ${beforeLabel.padEnd(26)} ${b.toFixed(0).padStart(6)} ms   (${(b / o).toFixed(1)}× faster now)`);

    const median3 = async (bin: string, store: string) =>
      median([await serverFirstAnswer(bin, store), await serverFirstAnswer(bin, store), await serverFirstAnswer(bin, store)]);
    const srv = await median3(BIN, db);
    const srvBefore = beforeBin ? await median3(beforeBin, join(dir, 'before.duckdb')) : BEFORE_RECORDED.serverFirstAnswerMs;
    console.log(`server start to first answer (serve, then GET /api/concentration; median of 3):`);
    console.log(`  chokepoint serve           ${srv.toFixed(0).padStart(6)} ms`);
    console.log(
      `  ${beforeLabel.padEnd(26)} ${srvBefore.toFixed(0).padStart(6)} ms   (${(srvBefore / srv).toFixed(1)}× faster now; npm start also rebuilt web/dist every time then)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
