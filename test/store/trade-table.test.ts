/**
 * The store's reader of the trade column table (src/store/trade-table.ts): the table holds the rows of trade_flows, per
 * material in insertion order, for every material or some; a store without trade gives an empty table.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tradeFlowsOfMaterial } from '../../src/engine/trade-table.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { importPath } from '../../src/ingest/index.ts';
import { loadDataset } from '../../src/store/load.ts';
import { Store } from '../../src/store/store.ts';
import type { TradeFlow } from '../../src/model/schema.ts';
import { syntheticImports } from '../../bench/generate.ts';
import { removeTempDirs, tempDir } from '../ingest/malformed.ts';

afterAll(removeTempDirs);

const byMaterial = (list: readonly TradeFlow[], m: string) => list.filter((f) => f.materialId === m);

describe('trade table read from the store', () => {
  it('holds the rows of trade_flows, per material in insertion order, for all materials or some', async () => {
    const store = await Store.open(join(tempDir(), 'store.duckdb'));
    try {
      await importPath(store, 'comtrade', fileURLToPath(new URL('../fixtures/trade-comtrade-cmm-sample', import.meta.url)));
      const base = (await store.sourceRecords())[0];
      const synthetic = syntheticImports(3000, { sourceId: 'synthetic-trade' });
      await store.applyBatch(
        { kind: 'synthetic', file: 'synthetic', sources: [{ ...base, id: 'synthetic-trade' }], observations: [], tradeFlows: synthetic, warnings: [] },
        'synthetic',
      );
      const rows = await store.readTradeFlows();
      expect(rows.length).toBeGreaterThan(3000);
      const t = await store.readTradeTable();
      expect(t.length).toBe(rows.length);
      const materials = [...new Set(rows.map((f) => f.materialId))].sort();
      expect(Object.keys(t.ranges).sort()).toEqual(materials);
      for (const m of materials) expect(tradeFlowsOfMaterial(t, m)).toEqual(byMaterial(rows, m));

      const some = await store.readTradeTable(['cobalt']);
      expect(Object.keys(some.ranges)).toEqual(['cobalt']);
      expect(tradeFlowsOfMaterial(some, 'cobalt')).toEqual(byMaterial(rows, 'cobalt'));
      expect((await store.readTradeTable(['no-such-material'])).length).toBe(0);

      const data = await loadDataset(store);
      expect(data.tradeFlows).toBeUndefined();
      expect(new DatasetIndex(data).tradeFlowsOf('cobalt')).toEqual(byMaterial(rows, 'cobalt'));
    } finally {
      store.close();
    }
  });

  it('is empty for a store without trade', async () => {
    const store = await Store.open(join(tempDir(), 'empty.duckdb'));
    try {
      const t = await store.readTradeTable();
      expect(t.length).toBe(0);
      expect(new DatasetIndex(await loadDataset(store)).hasTradeFlows()).toBe(false);
    } finally {
      store.close();
    }
  });
});

it('an empty list of materials reads nothing', async () => {
  const store = await Store.open(join(tempDir(), 'none.duckdb'));
  try {
    expect((await store.readTradeTable([])).length).toBe(0);
  } finally {
    store.close();
  }
});
