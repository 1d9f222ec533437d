/**
 * `chokepoint importers` and `GET /api/importers` on a store with the bundle and the BACI fixture (test/fixtures/baci):
 * every importer of cobalt ore side by side, the same CSV bytes from both edges, the engine's figures in the JSON, and
 * clear refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { bundledStore, runCli } from '../store/cli.ts';
import { createApp } from '../../src/api/app.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/store/knowledge-base.ts';
import { importerLookupsFromIndex, importersTable } from '../../src/engine/importer/importers.ts';
import { IMPORTERS_FIELDS } from '../../src/report/importer.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { loadDataset } from '../../src/store/load.ts';

const BACI = fileURLToPath(new URL('../fixtures/baci/BACI_HS17_Y2022_V202401-generated.csv', import.meta.url));

let store: Awaited<ReturnType<typeof bundledStore>>;
let kb: KnowledgeBase;

beforeAll(async () => {
  store = await bundledStore('cp-importers-');
  const imp = await runCli(['data', 'import', 'baci', BACI, '--db', store.db], { timeoutMs: 180_000 });
  expect(imp.code, imp.stderr).toBe(0);
  kb = await openKnowledgeBase({ dbPath: store.db });
}, 420_000);

afterAll(() => {
  kb?.close();
  store?.remove();
});

describe('chokepoint importers', () => {
  it('prints every importer of cobalt ore with its suppliers, the largest producer’s share and GeoPolRisk', async () => {
    const r = await runCli(['importers', '--material', 'cobalt', '--year', '2023', '--db', store.db], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Cobalt, mining stage, 2023: 3 importers in the customs data; supplier column: DR Congo \(COD, largest producer/);
    expect(r.stdout).toMatch(/KOR South Korea\s+2022\s+620 t\s+COD 100\.0%/);
    expect(r.stdout).toMatch(/JPN Japan\s+2022\s+1,955\.75 t\s+COD 76\.7%, RUS 15\.4%, AUS 7\.7%/);
    expect(r.stdout).toMatch(/SOURCES\n {2}- CEPII, HS17 release 2024-01/);
    expect(r.stdout).toMatch(/GeoPolRisk = HHI of global supply/);
  }, 180_000);

  it('CLI CSV = API CSV, the table definition’s columns; the JSON is the engine’s table', async () => {
    const cli = await runCli(['importers', '-m', 'cobalt', '--year', '2023', '--supplier', 'rus', '--format', 'csv', '--db', store.db], { timeoutMs: 120_000 });
    expect(cli.code, cli.stderr).toBe(0);
    const app = createApp(kb);
    const res = await app.request('/api/importers?material=cobalt&year=2023&supplier=RUS&format=csv');
    expect(res.status).toBe(200);
    const api = await res.text();
    expect(cli.stdout).toBe(api);
    const lines = api.trimEnd().split('\n');
    expect(lines[0]).toBe(IMPORTERS_FIELDS.map((f) => f.key).join(','));
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith('JPN,'))).toMatch(/,0\.1536,/); // Russia's share of Japan's ore imports

    const json = (await (await app.request('/api/importers?material=cobalt&year=2023&supplier=RUS')).json()) as any;
    const index = new DatasetIndex(await loadDataset(kb.store));
    const q = { materialId: 'cobalt', stage: 'mining' as const, year: 2023, supplier: 'RUS' };
    const engine = importersTable(index, q, importerLookupsFromIndex(index, q));
    expect(json.rows.map((r: any) => [r.importerId, r.tradeYear, r.importsTonnes])).toEqual(
      engine.rows.map((r) => [r.importerId, r.tradeYear, r.importsTonnes]),
    );
    for (const [a, b] of json.rows.map((r: any, i: number) => [r, engine.rows[i]])) expect(a.geoPolRisk).toBeCloseTo(b.geoPolRisk, 12);
  }, 180_000);

  it('refuses a bad supplier, stage or material with the field named', async () => {
    const s = await runCli(['importers', '-m', 'cobalt', '--supplier', 'Congo', '--db', store.db]);
    expect([s.code, s.stderr.trim()]).toEqual([2, 'chokepoint: --supplier: an ISO3 country code (got "Congo")']);
    const st = await runCli(['importers', '-m', 'cobalt', '--stage', 'smelting', '--db', store.db]);
    expect(st.code).not.toBe(0);
    expect(st.stderr).toMatch(/--stage.*smelting.*mining, refining/s);
    const app = createApp(kb);
    const bad = await app.request('/api/importers?material=cobalt&supplier=Congo');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).field).toBe('supplier');
    const unknown = await app.request('/api/importers?material=cobolt');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).field).toBe('material');
  }, 180_000);
});
