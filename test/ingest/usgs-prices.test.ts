import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importUsgsSalient } from '../../src/ingest/usgs/salient.ts';
import { importPath } from '../../src/ingest/index.ts';
import { loadDataset } from '../../src/store/load.ts';
import { Store } from '../../src/store/store.ts';
import { priceHistory } from '../../src/engine/prices.ts';
import { ImportError, type ImportBatch, type PricePoint } from '../../src/model/schema.ts';
import { expectValidBatch, fixturePath, removeTempDirs, tempDir, writeTemp } from './malformed.ts';

// whole salient files of MCS2022-2025 with price columns (test/fixtures/usgs-mcs-prices/PROVENANCE.md)
const FOLDER = fixturePath('usgs-mcs-prices');
let batch: ImportBatch;
beforeAll(async () => {
  batch = await importUsgsSalient(FOLDER);
});
afterAll(removeTempDirs);

const price = (materialId: string, series: string, year: number, edition: number): PricePoint | undefined =>
  batch.prices!.find((p) => p.materialId === materialId && p.series === series && p.year === year && p.edition === edition);

describe('USGS salient prices', () => {
  it('reads every edition of the lithium price with unit, basis, year and source edition', () => {
    expectValidBatch(batch);
    expect(batch.sources.map((s) => s.id)).toEqual(['usgs-mcs-2022-salient', 'usgs-mcs-2023-salient', 'usgs-mcs-2024-salient', 'usgs-mcs-2025-salient']);
    // lithium 2022 as each edition printed it (revised upward twice)
    expect(price('lithium', 'average', 2022, 2023)).toMatchObject({
      value: 37000,
      unit: 'USD/t',
      usdPerTonne: 37000,
      estimated: true,
      sourceId: 'usgs-mcs-2023-salient',
    });
    expect(price('lithium', 'average', 2022, 2024)).toMatchObject({ value: 68100, estimated: false, sourceId: 'usgs-mcs-2024-salient' });
    expect(price('lithium', 'average', 2022, 2025)).toMatchObject({ value: 71100, estimated: false, detail: 'Price_dt' });
    expect(price('lithium', 'average', 2024, 2025)).toMatchObject({ value: 14000, estimated: true });
    expect(price('lithium', 'average', 2017, 2022)).toMatchObject({ value: 15000, sourceId: 'usgs-mcs-2022-salient' });
    expect(price('lithium', 'average', 2024, 2025)!.basis).toMatch(/Lithium .*"Price_dt".*US dollars per metric ton/);
  });

  it('reads tungsten WO3 prices as dollars per metric ton unit, glued unit included, and says why', () => {
    const p25 = price('tungsten', 'WO3', 2024, 2025)!;
    expect(p25).toMatchObject({ value: 250, unit: 'USD/mtu WO3', usdPerTonne: 25000, detail: 'Price_WO3_dt' });
    expect(p25.note).toMatch(/metric ton unit \(10 kg\) of WO3/);
    expect(price('tungsten', 'WO3', 2023, 2024)).toMatchObject({ value: 260, unit: 'USD/mtu WO3', detail: 'Price_WO3dt' });
  });

  it('stores one price in two units once, skips columns that share a name, keeps ranges as ranges', () => {
    const nickel = batch.prices!.filter((p) => p.materialId === 'nickel');
    expect(nickel).toHaveLength(5);
    expect(nickel.find((p) => p.year === 2020)).toMatchObject({ value: 13772, unit: 'USD/t', detail: 'Price_dt' });
    expect(batch.warnings.find((w) => w.startsWith('mcs2025-nicke_salient.csv: price columns not stored'))).toMatch(/Price_dlb \(same series as Price_dt\)/);
    expect(batch.prices!.some((p) => p.materialId === 'titanium-minerals')).toBe(false);
    expect(batch.warnings.find((w) => w.startsWith('mcs2025-timin_salient.csv: price columns not stored'))).toMatch(/4 columns share the name/);
    const zeo = batch.prices!.filter((p) => p.detail === 'Price_Range_dt');
    expect(zeo).toHaveLength(5);
    expect(zeo[0]).toMatchObject({ value: null, low: 50, high: 300, usdPerTonne: null });
    expect(zeo[0].note).toMatch(/range "50–300"/);
  });

  it('refuses a price cell that is not a number or a USGS token, naming file, line and column', async () => {
    const dir = tempDir();
    const text = readFileSync(`${FOLDER}/mcs2025-lithium_salient.csv`, 'utf8').replace('10100', 'ten thousand');
    writeTemp(dir, 'mcs2025-lithium_salient.csv', text);
    const err = await importUsgsSalient(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).line).toBe(2);
    expect((err as ImportError).field).toBe('Price_dt');
    expect((err as ImportError).file).toMatch(/mcs2025-lithium_salient\.csv$/);
  });

  it('stores prices atomically beside the observations; newest edition wins, older ones kept as revisions', async () => {
    const store = await Store.open(':memory:');
    try {
      const s = await importPath(store, 'usgs-salient', FOLDER);
      expect(s.prices).toBe(batch.prices!.length);
      expect((await store.counts()).prices).toBe(batch.prices!.length);
      const data = await loadDataset(store, { materials: ['lithium'] });
      const [li] = priceHistory(data.prices!, data.sources, { materialId: 'lithium' });
      expect(li.unit).toBe('USD/t');
      expect(li.years.map((y) => y.year)).toEqual([2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]);
      const y2022 = li.years.find((y) => y.year === 2022)!;
      expect(y2022).toMatchObject({ value: 71100, edition: 2025 });
      expect(y2022.revisions).toEqual([
        { edition: 2024, value: 68100, sourceId: 'usgs-mcs-2024-salient' },
        { edition: 2023, value: 37000, sourceId: 'usgs-mcs-2023-salient' },
      ]);
      expect(y2022.yoy).toBeCloseTo(71100 / 14200 - 1, 10);
      expect(li.sources.map((x) => x.edition)).toEqual([2025, 2024, 2023, 2022]);
      // a failing re-import leaves every table as it was
      const before = await store.counts();
      const dir = tempDir();
      writeTemp(dir, 'mcs2025-lithium_salient.csv', readFileSync(`${FOLDER}/mcs2025-lithium_salient.csv`, 'utf8').replace('14000', '-14000'));
      await expect(importPath(store, 'usgs-salient', dir)).rejects.toBeInstanceOf(ImportError);
      expect(await store.counts()).toEqual(before);
    } finally {
      store.close();
    }
  });
});
