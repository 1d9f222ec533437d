/** Checks that need the whole China exports table (npm run test:sources); the synthetic-file tests are in china-exports.test.ts. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importChinaExports } from '../../src/ingest/china-exports.ts';
import type { ImportBatch, TradeFlow } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidBatch } from './malformed.ts';

const FOLDER = sharedData('trade-china-cm-exports');

let batch: ImportBatch;
let flows: TradeFlow[];
beforeAll(async () => {
  batch = await importChinaExports(FOLDER);
  flows = batch.tradeFlows!;
});

describe('importChinaExports on the whole folder', () => {
  it('reads all 6,442 rows (HS 811292 twice: gallium and germanium) and counts the 146 zero-quantity rows', () => {
    expectValidBatch(batch);
    expect(flows).toHaveLength(6442 + 1181);
    expect(batch.warnings).toEqual([
      'tables without HS6 by destination not imported: concentration_destination_hhi.csv, concentration_product_hhi.csv, country_monthly_stats.csv, geopolitics_qty.csv, overview_monthly.csv',
      '146 rows with a positive value but zero quantity (uv "inf"): quantity taken as not reported (null)',
    ]);
  });

  it('resolves all 39 destinations and covers 96 months, 1-12 in every year', () => {
    expect(new Set(flows.map((f) => f.partnerId)).size).toBe(39);
    expect(new Set(flows.map((f) => `${f.year}-${f.month}`)).size).toBe(96);
    expect(new Set(flows.map((f) => f.year))).toEqual(new Set([2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]));
  });

  it("has China's natural-graphite exports to Japan in March 2024 with the exact kilograms", () => {
    const rows = flows.filter((f) => f.partnerId === 'JPN' && f.hsCode === '250410' && f.year === 2024 && f.month === 3);
    expect(rows).toEqual([
      {
        reporterId: 'CHN',
        partnerId: 'JPN',
        flow: 'export',
        materialId: 'graphite',
        hsCode: '250410',
        year: 2024,
        month: 3,
        quantityKg: 2_296_340,
        valueUsd: 4_024_958,
        productScope: 'HS 250410: natural graphite in powder or flakes',
        sourceId: 'china-cm-exports-2024',
      },
    ]);
    expect(flows.filter((f) => f.partnerId === 'JPN' && f.hsCode === '250410' && f.year === 2024)).toHaveLength(12);
  });

  it("reads Belgium's HS 811292 of January 2017 (qty 0.0, uv inf) as gallium and germanium without a quantity", () => {
    const be = flows.filter((f) => f.partnerId === 'BEL' && f.hsCode === '811292' && f.year === 2017 && f.month === 1);
    expect(be.map((f) => f.materialId).sort()).toEqual(['gallium', 'germanium']);
    expect(be[0]).toMatchObject({ quantityKg: null, valueUsd: 87_500 });
  });

  it('imports the file given directly to the same records', async () => {
    const b = await importChinaExports(join(FOLDER, 'deep_dive_hs6_monthly.csv'));
    expect(b.tradeFlows).toHaveLength(flows.length);
  });
});
