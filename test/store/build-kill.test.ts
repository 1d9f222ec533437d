/**
 * `data build` is all or nothing (issue: 15 of 40 builds killed with SIGKILL left a mix of old and new sources). The
 * imports run on a copy of the store that replaces it by one rename; a build killed at any moment leaves the store
 * wholly old or wholly new, and one failing file leaves it old.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, runCli } from './cli.ts';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../../src/store/store.ts';
import { mulberry32 } from '../../src/engine/criticality/common.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

const cli = (args: string[]) => runCli(args, { timeoutMs: 180_000 });

/** The data a store holds: every source with its row counts per table. */
async function snapshot(path: string): Promise<string> {
  const store = await Store.open(path);
  try {
    return JSON.stringify((await store.sources()).map((s) => [s.id, s.observations, s.governance, s.groupings, s.tradeFlows, s.registry]));
  } finally {
    store.close();
  }
}

describe('data build: all or nothing', () => {
  let dir: string;
  let oldStore: string;
  let oldState: string;
  let newState: string;
  let buildMs: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-build-'));
    oldStore = join(dir, 'old.duckdb');
    expect((await cli(['materials', '--db', oldStore])).code).toBe(0); // the bundled store
    oldState = await snapshot(oldStore);
    const full = join(dir, 'full.duckdb');
    copyFileSync(oldStore, full);
    const t0 = performance.now();
    const r = await cli(['data', 'build', '--from', FIXTURES, '--replace', '--db', full]);
    buildMs = performance.now() - t0;
    expect(r.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/imports done in .*, applied together/);
    newState = await snapshot(full);
    expect(newState).not.toBe(oldState);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('one failing file leaves the store as it was', async () => {
    const t = join(dir, 'refused.duckdb');
    copyFileSync(oldStore, t);
    const r = await cli(['data', 'build', '--from', FIXTURES, '--db', t]); // without --replace the excerpts are refused
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the store was left as it was/);
    expect(await snapshot(t)).toBe(oldState);
  }, 300_000);

  it('killed with SIGKILL at random moments, the store is wholly old or wholly new', async () => {
    const r = mulberry32(40);
    const seen = { old: 0, new: 0 };
    for (let trial = 0; trial < 6; trial++) {
      const t = join(dir, `kill-${trial}.duckdb`);
      copyFileSync(oldStore, t);
      const child = spawn(process.execPath, [BIN, 'data', 'build', '--from', FIXTURES, '--replace', '--db', t], { stdio: 'ignore' });
      const exited = new Promise((res) => child.on('exit', res));
      const delay = r() * buildMs * 1.1;
      await new Promise((res) => setTimeout(res, delay));
      child.kill('SIGKILL');
      await exited;
      const state = await snapshot(t);
      expect([oldState, newState], `trial ${trial}, killed after ${Math.round(delay)} ms of a ${Math.round(buildMs)} ms build`).toContain(state);
      seen[state === oldState ? 'old' : 'new']++;
    }
    // a later build over a killed one's leftovers completes
    const t = join(dir, 'kill-0.duckdb');
    const again = await cli(['data', 'build', '--from', FIXTURES, '--replace', '--db', t]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await snapshot(t)).toBe(newState);
    console.log(`killed builds: ${seen.old} left the old store, ${seen.new} the new one; none a mix`);
  }, 600_000);
});
