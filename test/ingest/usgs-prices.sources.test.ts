/** Whole-folder checks of the USGS salient price import (npm run test:sources); excerpt tests in usgs-prices.test.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { importUsgsSalient } from '../../src/ingest/usgs/salient.ts';
import { priceHistory } from '../../src/engine/prices.ts';
import type { ImportBatch, Source } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidBatch } from './malformed.ts';

const FOLDERS = {
  2025: sharedData('usgs-mcs-2025/salient'),
  2024: sharedData('usgs-mcs-2024/salient'),
  2023: sharedData('usgs-mcs-2023/salient'),
  2022: sharedData('usgs-mcs-2022-subset'),
} as const;
const batches: ImportBatch[] = [];
beforeAll(async () => {
  for (const f of Object.values(FOLDERS)) batches.push(await importUsgsSalient(f));
});

describe('USGS salient prices, every edition', () => {
  it('reads the price columns of every edition (counts as measured), each with a money-per-mass unit', () => {
    for (const b of batches) expectValidBatch(b);
    expect(batches.map((b) => b.prices!.length)).toEqual([145, 690, 585, 635]); // MCS2022 subset, 2023, 2024, 2025 (numeric keys in ascending order);
    const prices = batches.flatMap((b) => b.prices!);
    expect(new Set(prices.map((p) => p.materialId)).size).toBeGreaterThan(70);
    // every price column is either stored or named in a warning
    for (const b of batches) for (const w of b.warnings.filter((x) => /price columns not stored/.test(x))) expect(w).toMatch(/Price/);
  });

  it('lithium: four editions overlap, the newest wins per year; tungsten in USD per mtu WO3 throughout', () => {
    const all = batches.flatMap((b) => b.prices!);
    const sources = new Map<string, Source>(batches.flatMap((b) => b.sources).map((s) => [s.id, s]));
    const [li] = priceHistory(all, sources, { materialId: 'lithium' });
    expect(li.years.map((y) => [y.year, y.value, y.edition])).toEqual([
      [2017, 15000, 2022],
      [2018, 16000, 2023],
      [2019, 12100, 2024],
      [2020, 10100, 2025],
      [2021, 14200, 2025],
      [2022, 71100, 2025],
      [2023, 41300, 2025],
      [2024, 14000, 2025],
    ]);
    const w = all.filter((p) => p.materialId === 'tungsten');
    expect(w.length).toBe(20);
    expect(w.every((p) => p.unit === 'USD/mtu WO3' && p.value! >= 150 && p.value! <= 350)).toBe(true);
  });
});
