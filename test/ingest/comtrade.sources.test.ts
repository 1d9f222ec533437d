/** Checks that need the whole UN Comtrade sample folder (npm run test:sources); the excerpt tests are in comtrade.test.ts. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importComtrade } from '../../src/ingest/comtrade.ts';
import type { ImportBatch, TradeFlow } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidBatch } from './malformed.ts';

const FOLDER = sharedData('trade-comtrade-cmm-sample');

let batch: ImportBatch;
let flows: TradeFlow[];
beforeAll(async () => {
  batch = await importComtrade(FOLDER);
  flows = batch.tradeFlows!;
});

describe('importComtrade on the whole sample folder', () => {
  it('reads all 720 rows of the 8 files, with the duplicate REE file and transport-mode rows counted once', () => {
    expectValidBatch(batch);
    expect(batch.sources.map((s) => s.id)).toEqual(['un-comtrade-trade-comtrade-cmm-sample']);
    expect(batch.sources[0].caveat).toContain('5 reporters (AUS, CHN, COD, IDN, USA) and 3 partners (CHN, USA, WLD)');
    // 720 rows − 80 light-REE rows repeating the heavy-REE file − 53 rows by mode of transport = 587 rows;
    // the 40 rows of HS 811292 give two records each (gallium and germanium)
    expect(flows).toHaveLength(627);
    expect(batch.warnings).toEqual([
      'not Comtrade CSV, not read: PROVENANCE.md, collection_summary.json',
      'light_ree_trade_data.csv repeats rows of heavy_ree_trade_data.csv: 80 identical records (same reporter, partner, flow, HS code and period) imported once',
      '53 rows broken down by mode of transport (motCode ≠ 0) skipped: the all-modes total is imported',
    ]);
    const keys = flows.map((f) => [f.reporterId, f.partnerId, f.flow, f.hsCode, f.year, f.month, f.materialId].join('|'));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('covers 2020-2024 for the 8 materials', () => {
    expect(new Set(flows.map((f) => f.year))).toEqual(new Set([2020, 2021, 2022, 2023, 2024]));
    expect(new Set(flows.map((f) => f.materialId))).toEqual(
      new Set(['cobalt', 'copper', 'gallium', 'germanium', 'graphite', 'rare-earths', 'lithium', 'nickel']),
    );
  });

  it('imports the 40-row gallium file on its own as 80 records', async () => {
    const b = await importComtrade(join(FOLDER, 'gallium_trade_data.csv'));
    expect(b.tradeFlows).toHaveLength(80);
    expect(b.warnings).toEqual([]);
  });
});
