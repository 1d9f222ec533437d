/**
 * The column table of trade flows (src/engine/trade-table.ts):
 * every flow comes back as it went in (nulls, months, product scopes), per material in dataset order; filtering by the
 * countries a flow touches gives what filtering the list gives; the arrays are shared
 * with worker threads, not copied.
 */
import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { materialsTradedBy, tradeFlowsOfMaterial, tradeTableFrom } from '../../src/engine/trade-table.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import type { TradeFlow } from '../../src/model/schema.ts';

const flow = (over: Partial<TradeFlow>): TradeFlow => ({
  reporterId: 'USA',
  partnerId: 'CHN',
  flow: 'import',
  materialId: 'gallium',
  hsCode: '811292',
  year: 2023,
  month: null,
  quantityKg: 1000,
  valueUsd: 5000,
  productScope: null,
  sourceId: 'src-a',
  ...over,
});

const FLOWS: TradeFlow[] = [
  flow({}),
  flow({ materialId: 'cobalt', hsCode: '260500', reporterId: 'COD', partnerId: 'CHN', flow: 'export', month: 3, quantityKg: null }),
  flow({ partnerId: 'WLD', valueUsd: null, productScope: 'HS 811292: unwrought gallium, germanium' }),
  flow({ materialId: 'cobalt', hsCode: '810520', reporterId: 'JPN', partnerId: 'FIN', sourceId: 'src-b', month: 12 }),
  flow({ reporterId: 'DEU', partnerId: 'CHN', quantityKg: 0, year: 2021 }),
];

const byMaterial = (list: readonly TradeFlow[], m: string) => list.filter((f) => f.materialId === m);

describe('trade table from a list', () => {
  const t = tradeTableFrom(FLOWS);

  it('gives every flow back, per material in list order, nulls and months included', () => {
    expect(t.length).toBe(FLOWS.length);
    for (const m of ['gallium', 'cobalt']) expect(tradeFlowsOfMaterial(t, m)).toEqual(byMaterial(FLOWS, m));
    expect(tradeFlowsOfMaterial(t, 'lithium')).toEqual([]);
  });

  it('filters by the countries a flow touches as the list filter does', () => {
    for (const countries of [['CHN'], ['DEU'], ['FIN', 'COD'], ['WLD'], ['BRA']]) {
      const set = new Set(countries);
      for (const m of ['gallium', 'cobalt'])
        expect(tradeFlowsOfMaterial(t, m, set)).toEqual(byMaterial(FLOWS, m).filter((f) => set.has(f.reporterId) || set.has(f.partnerId)));
    }
    expect(materialsTradedBy(t, new Set(['FIN']))).toEqual(['cobalt']);
    expect(materialsTradedBy(t, new Set(['CHN']))).toEqual(['cobalt', 'gallium']);
    expect(materialsTradedBy(t, new Set(['BRA']))).toEqual([]);
  });

  it('codes large dictionaries in 32 bits', () => {
    const many = Array.from({ length: 70_000 }, (_, i) => flow({ sourceId: `s${i}` }));
    const big = tradeTableFrom(many);
    expect(big.source).toBeInstanceOf(Uint32Array);
    expect(tradeFlowsOfMaterial(big, 'gallium')[69_999].sourceId).toBe('s69999');
  });

  it('is shared with another thread, not copied', async () => {
    const { port1, port2 } = new MessageChannel();
    const got = new Promise<typeof t>((resolve) => port2.once('message', resolve));
    port1.postMessage(t);
    const copy = await got;
    port1.close();
    expect(copy.quantityKg.buffer).toBeInstanceOf(SharedArrayBuffer);
    (t.quantityKg as Float64Array)[0] = 1234; // a write on one side is seen on the other: one memory
    expect(copy.quantityKg[0]).toBe(1234);
  });

  it('an index answers from a list and from a table alike, and refuses both at once', () => {
    const fromList = new DatasetIndex({ observations: [], sources: new Map(), governance: [], groupings: [], tradeFlows: FLOWS });
    const fromTable = new DatasetIndex({ observations: [], sources: new Map(), governance: [], groupings: [], tradeTable: tradeTableFrom(FLOWS) });
    for (const index of [fromList, fromTable]) {
      expect(index.hasTradeFlows()).toBe(true);
      expect(index.tradeFlowsOf('cobalt')).toEqual(byMaterial(FLOWS, 'cobalt'));
      expect(index.tradeFlowsOf('gallium', ['DEU'])).toEqual([FLOWS[4]]);
      expect(index.materialsTradedBy(['JPN'])).toEqual(['cobalt']);
    }
    const none = new DatasetIndex({ observations: [], sources: new Map(), governance: [], groupings: [] });
    expect(none.hasTradeFlows()).toBe(false);
    const both = new DatasetIndex({
      observations: [],
      sources: new Map(),
      governance: [],
      groupings: [],
      tradeFlows: FLOWS,
      tradeTable: tradeTableFrom(FLOWS),
    });
    expect(() => both.tradeFlowsOf('cobalt')).toThrow(/not both/);
  });
});
