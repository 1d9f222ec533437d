/**
 * What each source says (src/engine/series-panel.ts) on the bundled data: every series of a cell side by side, rank 1 the
 * series the headline uses, the same rows from the index and from the store's series summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.ts';
import { importPath } from '../../src/ingest/index.ts';
import { BUNDLE_DIR } from '../../src/ingest/bundle.ts';
import { loadDataset } from '../../src/store/load.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { concentrationSweep } from '../../src/engine/concentration-report.ts';
import { seriesPanel, seriesPanelFromSummary } from '../../src/engine/series-panel.ts';
import type { Stage } from '../../src/model/schema.ts';

describe('series panel on the bundle', () => {
  let store: Store;
  let index: DatasetIndex;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await importPath(store, 'bundle', BUNDLE_DIR, { replace: true });
    index = new DatasetIndex(await loadDataset(store));
  }, 120_000);
  afterAll(() => store.close());

  const stages: Stage[] = ['mining', 'refining', 'reserves'];

  it('the store path gives the index path’s rows, figure for figure', async () => {
    const fromIndex = seriesPanel(index, { stages });
    const sources = new Map((await store.sourceRecords()).map((s) => [s.id, s]));
    const fromSummary = seriesPanelFromSummary(await store.readSeriesFigures({ stages }), sources, { stages });
    expect(fromIndex.length).toBeGreaterThan(500);
    expect(fromSummary).toStrictEqual(fromIndex);
  });

  it('rank 1 is the series the headline uses: the concentration sweep’s figures and source, cell by cell', () => {
    const panel = seriesPanel(index, { stages: ['mining', 'refining'] });
    const sweep = concentrationSweep(index, { stages: ['mining', 'refining'], years: [...new Set(panel.map((r) => r.year))] });
    expect(sweep.length).toBeGreaterThan(100);
    for (const s of sweep) {
      const first = panel.find((r) => r.materialId === s.materialId && r.stage === s.stage && r.year === s.year && r.rank === 1)!;
      expect(first, `${s.materialId} ${s.stage} ${s.year}`).toBeDefined();
      if (s.producers === 0) {
        // every named country withheld: the sweep's row has HHI 0; the panel says it is a gap instead
        expect(first.gap).toMatch(/every named country is withheld/);
        continue;
      }
      expect([first.sourceId, first.basis, first.scenario, first.hhi, first.top3Share, first.chinaShare]).toStrictEqual([
        s.source.sourceId,
        s.basis,
        s.scenario,
        s.hhi,
        s.top3Share,
        s.chinaShare,
      ]);
      expect(first.source).toStrictEqual(s.source);
    }
  });

  it('cobalt mining 2024: USGS and the IEA side by side, N-1 = 1 − top-1, ranks 1..n in each cell', () => {
    const rows = seriesPanel(index, { materials: ['cobalt'], stages: ['mining'], years: [2024] });
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.map((r) => r.dataset)).toEqual(['usgs-mcs', 'iea-cm']);
    // The two publishers' figures differ (HHI 5,867 vs 4,582 points): the panel shows both; the headline uses USGS.
    expect(rows[0].hhi! - rows[1].hhi!).toBeGreaterThan(0.05);
    expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
    for (const r of rows) {
      expect(r.largest!.countryId).toBe('COD');
      expect(r.n1RemainingShare).toBeCloseTo(1 - r.largest!.share, 12);
      expect(r.top3Share!).toBeGreaterThanOrEqual(r.top1Share!);
      expect(r.hhi!).toBeGreaterThan(r.top1Share! * r.top1Share! - 1e-12);
      expect(r.source.sourceId).toBe(r.sourceId);
      expect(r.source.text.length).toBeGreaterThan(10);
    }
  });

  it('a series without country shares is listed with a gap, not left out or filled with zeros', () => {
    const rows = seriesPanel(index, { stages: ['mining', 'refining', 'reserves'] });
    const gaps = rows.filter((r) => r.gap !== null);
    for (const r of gaps) expect([r.hhi, r.top3Share, r.n1RemainingShare, r.largest]).toEqual([null, null, null, null]);
    for (const r of rows.filter((x) => x.gap === null)) expect(r.hhi).not.toBeNull();
  });
});
