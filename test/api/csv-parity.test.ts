/**
 * One table definition per result, the same bytes from both edges: `chokepoint … --format csv` (the real CLI, in a child
 * process, on the bundled data) and the API's format=csv, on the same store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../store/cli.ts';
import { createApp } from '../../src/api/app.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/store/knowledge-base.ts';
import { CONCENTRATION_CSV_COLUMNS } from '../../src/report/tables.ts';

let dir: string;
let db: string;
let kb: KnowledgeBase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cp-csv-'));
  db = join(dir, 'store.duckdb');
  const warm = await runCli(['materials', '--db', db], { timeoutMs: 300_000 }); // builds the store from the bundle
  expect(warm.code, warm.stderr).toBe(0);
  kb = await openKnowledgeBase({ dbPath: db });
}, 320_000);

afterAll(() => {
  kb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CLI CSV = API CSV', () => {
  it('concentration --all: the same 21 columns and the same bytes', async () => {
    const cli = await runCli(['concentration', '--all', '--stage', 'refining', '--year', '2024', '--sort', 'material', '--format', 'csv', '--db', db], {
      timeoutMs: 120_000,
    });
    expect(cli.code, cli.stderr).toBe(0);
    const res = await createApp(kb).request('/api/concentration/all?stage=refining&year=2024&format=csv');
    expect(res.status).toBe(200);
    const api = await res.text();
    expect(api.split('\n')[0]).toBe(CONCENTRATION_CSV_COLUMNS.join(','));
    // the API lists rows by HHI, the CLI here by material: compare the header and the set of lines byte for byte
    const lines = (s: string) => s.trimEnd().split('\n');
    expect(lines(cli.stdout)[0]).toBe(lines(api)[0]);
    expect(lines(cli.stdout).slice(1).sort()).toEqual(lines(api).slice(1).sort());
    expect(lines(api).length).toBeGreaterThan(5);
  }, 180_000);
});
