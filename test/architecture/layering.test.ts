/**
 * The layers of src/ (README "Architecture"): a module may import its own layer and the layers below, never one above.
 *   data → model → engine + scenario (pure analytics and their orchestration) → ingest → store + queue (Redis job queue) → report
 *   → api, cli
 * The engine stays pure: it never reaches the store, the importers, the API or the CLI. Type-only imports are erased at
 * run time and allowed; so are imports of a leaf utility (a module that imports nothing from src/, e.g. csv.ts).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const RANK: Record<string, number> = { data: 0, model: 1, engine: 2, scenario: 2, ingest: 3, store: 4, queue: 4, report: 5, api: 6, cli: 6 };

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

/** Run-time imports of a module (static and dynamic), as absolute paths; `import type` left out. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^import\s+(?!type\s)([^;]*?)\s+from\s+'(\.[^']+)'/gm)) {
    const names = m[1];
    // `import { type A, type B } from` is type-only too
    if (
      /^\{[^}]*\}$/.test(names.trim()) &&
      names
        .replace(/[{}\s]/g, '')
        .split(',')
        .every((n) => n === '' || n.startsWith('type'))
    )
      continue;
    out.push(resolve(dirname(file), m[2]));
  }
  for (const m of text.matchAll(/^export\s+(?!type\s)[^;]*?\s+from\s+'(\.[^']+)'/gm)) out.push(resolve(dirname(file), m[1]));
  for (const m of text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)) out.push(resolve(dirname(file), m[1]));
  return out.filter((p) => p.startsWith(SRC));
}

const layer = (file: string) => relative(SRC, file).split('/')[0];

describe('layering', () => {
  const all = files(SRC);
  const imports = new Map(all.map((f) => [f, runtimeImports(f)]));
  const isLeaf = (f: string) => (imports.get(f) ?? []).length === 0;

  it('knows the layer of every module under src/', () => {
    expect(all.length).toBeGreaterThan(50);
    expect([...new Set(all.map(layer))].filter((l) => !(l in RANK) && !/\.tsx?$/.test(l))).toEqual([]);
  });

  it('no module imports a layer above its own', () => {
    const violations: string[] = [];
    for (const [from, targets] of imports) {
      for (const to of targets) {
        if (!(layer(from) in RANK) || !(layer(to) in RANK) || isLeaf(to)) continue;
        if (RANK[layer(to)] > RANK[layer(from)]) violations.push(`${relative(SRC, from)} → ${relative(SRC, to)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the check sees a violation when there is one', () => {
    // the same rule on a made-up edge: an engine module importing the store
    const from = join(SRC, 'engine/x.ts');
    const to = join(SRC, 'store/store.ts');
    expect(RANK[layer(to)] > RANK[layer(from)] && !isLeaf(to)).toBe(true);
  });
});
