/** Checks that need the whole China exports table (npm run test:sources); the excerpt tests are in china-exports.test.ts. */
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

  it('imports the file given directly to the same records', async () => {
    const b = await importChinaExports(join(FOLDER, 'deep_dive_hs6_monthly.csv'));
    expect(b.tradeFlows).toHaveLength(flows.length);
  });
});
