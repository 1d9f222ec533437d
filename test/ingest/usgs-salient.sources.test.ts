/** Checks that need the whole USGS MCS salient folders (npm run test:sources); the excerpt tests are in usgs-salient.test.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { importUsgsSalient } from '../../src/ingest/usgs/salient.ts';
import type { ImportBatch } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidBatch } from './malformed.ts';

const FOLDERS = {
  2025: sharedData('usgs-mcs-2025/salient'),
  2024: sharedData('usgs-mcs-2024/salient'),
  2023: sharedData('usgs-mcs-2023/salient'),
  2022: sharedData('usgs-mcs-2022-subset'),
} as const;
type Edition = keyof typeof FOLDERS;
const EDITIONS = [2025, 2024, 2023, 2022] as Edition[];

const batches = {} as Record<Edition, ImportBatch>;
beforeAll(async () => {
  for (const ed of EDITIONS) batches[ed] = await importUsgsSalient(FOLDERS[ed]);
});

describe('importUsgsSalient on the whole MCS 2022-2025 salient folders', () => {
  it('imports every edition as one schema-valid U.S.-only batch with thousands of figures', () => {
    for (const ed of EDITIONS) {
      const b = batches[ed];
      expectValidBatch(b);
      expect(b.sources.map((s) => s.id)).toEqual([`usgs-mcs-${ed}-salient`]);
      expect(b.observations.every((o) => o.countryId === 'USA' && o.measure !== 'production')).toBe(true);
      expect(new Set(b.observations.map((o) => o.measure))).toEqual(new Set(['net_import_reliance', 'imports', 'exports', 'consumption']));
      expect(b.observations.length).toBeGreaterThan(ed === 2022 ? 400 : 2000);
    }
    expect(new Set(batches[2025].observations.map((o) => o.year))).toEqual(new Set([2020, 2021, 2022, 2023, 2024]));
    expect(new Set(batches[2022].observations.map((o) => o.year))).toEqual(new Set([2017, 2018, 2019, 2020, 2021]));
  });

  it('has no two observations for the same material, measure, year and column', () => {
    for (const b of Object.values(batches)) {
      const keys = b.observations.map((o) => [o.materialId, o.measure, o.stage, o.year, o.detail].join('|'));
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('names the XLSX-only commodities of MCS2023 it cannot read', () => {
    expect(batches[2023].warnings).toContain(
      'XLSX files not read (CSV only; convert to CSV to import them): mcs2023-quartz_salient.xlsx, mcs2023-stond_salient.xlsx',
    );
  });

  it('keeps every net import reliance of MCS2024 within 0-100 % (misaligned files skipped)', () => {
    const nir = batches[2024].observations.filter((o) => o.measure === 'net_import_reliance' && o.value !== null);
    expect(nir.length).toBeGreaterThan(50);
    expect(nir.every((o) => o.value! >= 0 && o.value! <= 100)).toBe(true);
  });
});
