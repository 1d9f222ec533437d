/**
 * Compiles the CLI and server (src/cli/main.ts and everything it imports) into one CommonJS file, dist/cli.cjs, so
 * a command does not compile TypeScript at run time. CommonJS because bin/chokepoint.js loads it through
 * v8-compile-cache (V8's code cache kept on disk; Node 20 has none for ES modules), which saves ~30% of a command's CPU. Pure-JavaScript npm packages are bundled too (loading one file
 * is much faster than resolving and wrapping hundreds of CommonJS modules); native, WebAssembly and heavy optional
 * packages stay external and load from node_modules when used.
 *
 * `npm ci` runs this (package.json "prepare"); bin/chokepoint.js runs it again when a file under src/ is newer than
 * dist/cli.mjs, so an edited checkout never runs stale code. Written to a temporary file and renamed, so processes
 * that start while it builds see the old file or the new one, never half of one.
 */
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_ENTRY = join(ROOT, 'src/cli/main.ts');
// Worker threads need a file of their own (src/api/workers/pool.ts looks for it beside the bundle).
const WORKER_ENTRY = join(ROOT, 'src/api/workers/criticality-worker.ts');
const RISK_WORKER_ENTRY = join(ROOT, 'src/api/workers/risk-worker.ts');
const OPTIMISE_WORKER_ENTRY = join(ROOT, 'src/api/workers/optimise-worker.ts');
const ANALYSIS_WORKER_ENTRY = join(ROOT, 'src/api/workers/analysis-worker.ts');
export const CLI_BUNDLE = join(ROOT, 'dist/cli.cjs');
const SRC = join(ROOT, 'src');

/** Newest modification time under src/ (code and the data files the code imports). */
function newestSource(dir = SRC) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** True when dist/cli.cjs is missing or older than a file under src/. */
export function cliBundleStale() {
  let built;
  try {
    built = statSync(CLI_BUNDLE).mtimeMs;
  } catch {
    return true;
  }
  return newestSource() > built;
}

/**
 * Modules find their data files with `new URL('../data/…', import.meta.url)`. A CommonJS bundle has no import.meta,
 * and all modules share one file, so each module's own URL is rebuilt from its path relative to the bundle.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = relative(dirname(CLI_BUNDLE), args.path).split('\\').join('/');
      const url = `require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(rel)})).href`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

export async function buildCli() {
  const tmpDir = join(dirname(CLI_BUNDLE), `.build-${process.pid}`);
  const outputs = ['cli.cjs', 'criticality-worker.cjs', 'risk-worker.cjs', 'optimise-worker.cjs', 'analysis-worker.cjs'];
  const { build } = await import('esbuild'); // only when building: bin/chokepoint.js imports this file at every run
  const result = await build({
    entryPoints: {
      cli: CLI_ENTRY,
      'criticality-worker': WORKER_ENTRY,
      'risk-worker': RISK_WORKER_ENTRY,
      'optimise-worker': OPTIMISE_WORKER_ENTRY,
      'analysis-worker': ANALYSIS_WORKER_ENTRY,
    },
    outdir: tmpDir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // native bindings, wasm, browsers and big lazily used libraries stay in node_modules
    external: ['@duckdb/node-bindings*', 'exceljs', 'playwright-core', 'highs', 'vite', 'esbuild', 'tsx', 'autocannon', 'bullmq', 'ioredis'],
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [keepModuleUrls],
    metafile: true,
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: true,
  });
  // the workers first: a CLI bundle is only ever next to a worker of the same build or a newer one
  for (const name of [...outputs].reverse()) {
    renameSync(join(tmpDir, `${name}.map`), join(dirname(CLI_BUNDLE), `${name}.map`));
    renameSync(join(tmpDir, name), join(dirname(CLI_BUNDLE), name));
  }
  rmSync(tmpDir, { recursive: true, force: true });
  return result.metafile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = performance.now();
  const meta = await buildCli();
  if (process.argv.includes('--analyze')) console.log(await (await import('esbuild')).analyzeMetafile(meta));
  console.log(`built ${relative(process.cwd(), CLI_BUNDLE)} in ${Math.round(performance.now() - t0)} ms`);
}
