/**
 * `npm start` (prestart): build the dashboard only when its inputs changed since web/dist was built. The inputs are
 * web/ (without dist), the src/ modules the pages import, the lock file and the Vite config; their content hash is
 * written to web/dist/.inputs-sha256 after a build. A content hash, not file times: a fresh checkout touches every
 * file without changing any.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'web/dist');
const STAMP = join(DIST, '.inputs-sha256');

function files(dir, skip) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (skip(p)) continue;
    if (e.isDirectory()) out.push(...files(p, skip));
    else out.push(p);
  }
  return out;
}

export function webInputsHash() {
  const inputs = [
    ...files(join(ROOT, 'web'), (p) => p === DIST || p.includes('node_modules')),
    ...files(join(ROOT, 'src'), (p) => p.endsWith('.csv') || p.includes(join('src', 'data', 'bundle'))),
    join(ROOT, 'package-lock.json'),
  ].sort();
  const h = createHash('sha256');
  for (const f of inputs) h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

const hash = webInputsHash();
if (existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === hash) {
  console.log('dashboard: web/dist is up to date (inputs unchanged), not rebuilt');
} else {
  console.log('dashboard: building web/dist (inputs changed or never built)…');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  writeFileSync(STAMP, hash + '\n');
}
