/** `chokepoint risk` as a user runs it: all cores and one thread give the same JSON; bad input exits 2 with the reason. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli.ts';

describe('chokepoint risk', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cp-risk-'));
    db = join(dir, 'store.duckdb');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (args: string[]) => runCli([...args, '--db', db], { timeoutMs: 300_000 });

  it('the worker pool and one thread give the same report; likelihood and compare subcommands run', async () => {
    const pool = await cli(['risk', '--material', 'gallium', '-n', '3000', '--seed', '9', '--threads', '2', '--format', 'json']);
    expect(pool.stderr).toBe('');
    expect(pool.code).toBe(0);
    const one = await cli(['risk', '--material', 'gallium', '-n', '3000', '--seed', '9', '--threads', '1', '--format', 'json']);
    expect(JSON.parse(one.stdout).materials).toEqual(JSON.parse(pool.stdout).materials);
    const lik = await cli(['risk', 'likelihood', '--material', 'gallium']);
    expect(lik.code).toBe(0);
    expect(lik.stdout).toMatch(/CHN\s+gallium\s+refining/);
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    writeFileSync(a, 'version: 1\nkind: risk\nname: base\nmaterials: [gallium]\nsamples: 2000\n');
    writeFileSync(b, 'version: 1\nkind: risk\nname: stock\nmaterials: [gallium]\nsamples: 2000\nstockpile: { days: 90 }\n');
    const cmp = await cli(['risk', 'compare', a, b]);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toMatch(/Comparison: \[1\] base .* \[2\] stock/);
  }, 600_000);

  it('bad input exits 2 and says what is wrong', async () => {
    const unknown = await cli(['risk', '--material', 'cobolt']);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([
      2,
      'chokepoint: --material: unknown material "cobolt". Did you mean: cobalt, boron, cement? (run "chokepoint materials" for the list)',
    ]);
    const zero = await cli(['risk', '--material', 'gallium', '-n', '0']);
    expect([zero.code, zero.stderr.trim()]).toEqual([2, 'chokepoint: samples: samples must be at least 1']);
    const many = await cli(['risk', '--material', 'gallium', '-n', '5000000']);
    expect([many.code, many.stderr.trim()]).toEqual([2, 'chokepoint: samples: at most 2,000,000 samples']);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nkind: risk\nbasket: battery\ncorrelation: 3\n');
    const file = await cli(['risk', '--scenario', bad]);
    expect([file.code, file.stderr.trim()]).toEqual([2, `chokepoint: ${bad}: correlation: Too big: expected number to be <=1`]);
  }, 300_000);
});
