import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION, Store } from '../../src/store/store.ts';
import { importPath } from '../../src/ingest/index.ts';
import { BUNDLE_DIR } from '../../src/ingest/bundle.ts';
import { loadDataset } from '../../src/store/load.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { seriesConcentration } from '../../src/engine/concentration.ts';
import { concentrationSweep } from '../../src/engine/concentration-report.ts';
import { summaryConcentrationSweep, summaryN1Sweep } from '../../src/store/summary.ts';
import { n1Sweep } from '../../src/engine/stress/sweep.ts';
import type { Stage } from '../../src/model/schema.ts';

// The SQL summary against the canonical JS definition, on the bundled data: the same doubles, the same rows.
describe('series summary (SQL) on the bundle', () => {
  let store: Store;
  let index: DatasetIndex;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await importPath(store, 'bundle', BUNDLE_DIR, { replace: true });
    index = new DatasetIndex(await loadDataset(store));
  }, 120_000);
  afterAll(() => store.close());

  it('gives, for every series, the figures concentration() gives (bit for bit)', async () => {
    const rows = await store.readSeriesSummary();
    expect(rows.length).toBeGreaterThan(500);
    const ids = rows.filter((r) => r.concentration).map((r) => r.id);
    const detail = await store.readSeriesDetail(ids);
    let computed = 0;
    for (const r of rows) {
      const s = index
        .candidates({ materialId: r.materialId, stage: r.stage, measure: r.measure, year: r.year })
        .find((x) => x.source.id === r.sourceId && x.basis === r.basis && x.unit === r.unit && x.scenario === r.scenario);
      expect(s, `${r.materialId} ${r.stage} ${r.year} ${r.sourceId}`).toBeDefined();
      expect(r.entries).toBe(s!.entries.length);
      const c = seriesConcentration(s!.entries, s!.source.dataset);
      expect(r.concentration === null, `${r.materialId} ${r.stage} ${r.year} ${r.sourceId}`).toBe(c === null);
      if (!c || !r.concentration) continue;
      computed++;
      const q = r.concentration;
      // toStrictEqual on numbers is Object.is: identical doubles, not close ones.
      expect({ ...q, largest: q.largest }).toStrictEqual({
        total: c.total,
        totalBasis: c.totalBasis,
        worldTotal: c.worldTotal,
        namedTotal: c.namedTotal,
        unallocatedShare: c.unallocatedShare,
        producers: c.producers,
        hhi: c.hhi,
        top1Share: c.top1Share,
        top3Share: c.top3Share,
        top5Share: c.top5Share,
        largest: c.largest,
        chinaShare: c.chinaShare,
        gaps: c.gaps.length,
      });
      expect(detail.get(r.id) ?? { shares: [], gaps: [] }).toStrictEqual({ shares: c.shares, gaps: c.gaps });
    }
    expect(computed).toBeGreaterThan(400);
  }, 120_000);

  it('gives the same concentration sweep as the observations, row for row', async () => {
    const cases: Array<{ stages: Stage[]; years?: number[] | 'latest'; dataset?: string; materials?: string[] }> = [
      { stages: ['mining'] },
      { stages: ['refining'] },
      { stages: ['reserves'] },
      { stages: ['mining'], years: [2020, 2023] },
      { stages: ['refining'], dataset: 'iea-cm' },
      { stages: ['mining'], years: [2030, 2040], dataset: 'iea-cm' },
      { stages: ['mining', 'refining'], materials: ['cobalt', 'lithium'] },
    ];
    for (const opts of cases) {
      const fromSummary = await summaryConcentrationSweep(store, opts);
      const fromIndex = concentrationSweep(index, opts);
      expect(fromSummary.length, JSON.stringify(opts)).toBeGreaterThan(0);
      // Byte-identical JSON: the same rows, keys in the same order, the same doubles.
      expect(JSON.stringify(fromSummary), JSON.stringify(opts)).toBe(JSON.stringify(fromIndex));
    }
  }, 120_000);

  it('gives the same N-1 sweep as the observations, with demand from end-use rows only', async () => {
    const endUse = new DatasetIndex(await loadDataset(store, { stages: ['end_use'], governance: false }));
    expect(endUse.data.observations.length).toBeLessThan(index.data.observations.length / 2);
    const cases = [
      { allCountries: true },
      {},
      { stages: ['refining' as const], years: [2024, 2030], demandScenario: 'APS' },
      { materials: ['graphite', 'nickel'], dataset: 'iea-cm' },
    ];
    for (const opts of cases) {
      const fromIndex = n1Sweep(index, opts);
      expect(fromIndex.length, JSON.stringify(opts)).toBeGreaterThan(0);
      expect(fromIndex.some((r) => r.coverageNettedRatio !== null || r.demandTonnes !== null)).toBe(true);
      expect(JSON.stringify(await summaryN1Sweep(store, endUse, opts)), JSON.stringify(opts)).toBe(JSON.stringify(fromIndex));
    }
  }, 120_000);
});

describe('series summary migration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chokepoint-summary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('computes the summary when a version-4 store is opened, and refreshes it on import', async () => {
    const path = join(dir, 'v4.duckdb');
    const s = await Store.open(path);
    await importPath(s, 'bundle', BUNDLE_DIR, { replace: true });
    const before = (await s.readSeriesSummary()).length;
    // What a version-4 store looks like: no summary tables.
    await s.conn.run('drop table series_share');
    await s.conn.run('drop table series_summary');
    await s.setMeta('schema_version', '4');
    s.close();
    const v5 = await Store.open(path);
    try {
      expect(await v5.meta('schema_version')).toBe(String(SCHEMA_VERSION));
      expect((await v5.readSeriesSummary()).length).toBe(before);
      // An import that changes observations changes the summary in the same transaction.
      const src = {
        id: 'test-src',
        dataset: 'test',
        editionYear: 2099,
        publisher: 'T',
        title: 'T',
        edition: 'T',
        table: null,
        licence: 'pd',
        url: null,
        file: null,
        caveat: null,
      };
      const o = (countryId: string, value: number) => ({
        materialId: 'cobalt',
        stage: 'mining' as const,
        measure: 'production' as const,
        countryId,
        year: 2099,
        value,
        unit: 't',
        basis: 'contained' as const,
        status: 'reported' as const,
        estimated: false,
        scenario: null,
        sector: null,
        detail: null,
        note: null,
        sourceId: 'test-src',
      });
      await v5.applyBatch({ kind: 'test', file: 'a', sources: [src], observations: [o('CHN', 3), o('COD', 1)], warnings: [] }, 'h1');
      const one = (await v5.readSeriesSummary({ materials: ['cobalt'] })).find((r) => r.year === 2099)!;
      expect(one.concentration?.hhi).toBe(0.75 * 0.75 + 0.25 * 0.25);
      await v5.applyBatch({ kind: 'test', file: 'a', sources: [src], observations: [o('COD', 1)], warnings: [] }, 'h2');
      const two = (await v5.readSeriesSummary({ materials: ['cobalt'] })).filter((r) => r.year === 2099);
      expect(two.map((r) => r.concentration?.hhi)).toEqual([1]);
      expect((await v5.readSeriesSummary()).length).toBe(before + 1);
    } finally {
      v5.close();
    }
  }, 180_000);
});
