/**
 * Reading some materials' trade flows only (DatasetScope.trade): what a scoped read holds answers as the whole read does,
 * and what it left out is refused by name, never answered as "no trade". The store holds the bundle, China's graphite and
 * gallium exports (test fixture) and a BACI year (cobalt among others), so the stress tests below use customs data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Store } from '../../src/store/store.ts';
import { importPath } from '../../src/ingest/index.ts';
import { BUNDLE_DIR } from '../../src/ingest/bundle.ts';
import { loadDataset, withAskedTrade } from '../../src/store/load.ts';
import { summaryN1Sweep } from '../../src/store/summary.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { runScenario, scenarioFromFlags } from '../../src/scenario/run.ts';
import { validateScenario } from '../../src/scenario/load.ts';
import { resolveAssessor, tradeDataStatus } from '../../src/engine/criticality/inputs.ts';

const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));

let store: Store;
let whole: DatasetIndex;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await importPath(store, 'bundle', BUNDLE_DIR);
  await importPath(store, 'china-exports', fixture('trade-china-cm-exports/deep_dive_hs6_monthly.csv'));
  await importPath(store, 'baci', fixture('baci/BACI_HS17_Y2022_V202401-generated.csv'));
  whole = new DatasetIndex(await loadDataset(store));
}, 300_000);
afterAll(() => store?.close());

describe('a scoped read of trade flows', () => {
  it('a stress test reading only its material’s flows gives the report the whole read gives, customs data used', async () => {
    let exposed = 0;
    for (const material of ['graphite', 'gallium', 'cobalt']) {
      const scoped = new DatasetIndex(await loadDataset(store, { trade: [material] }));
      for (const flags of [
        { stage: 'refining' as const, exclude: ['CHN'], tradeYear: 2023 },
        { stage: 'refining' as const, n1: true },
        { stage: 'mining' as const, exclude: ['CHN'], stockpileDays: 60 },
      ]) {
        const year = whole
          .years(material, flags.stage)
          .filter((y) => y <= 2024)
          .pop();
        if (year === undefined) continue;
        const scenario = { ...validateScenario(scenarioFromFlags({ material, year, ...flags })), material };
        const a = runScenario(whole, scenario);
        expect(runScenario(scoped, scenario)).toEqual(a);
        exposed += a.importerExposure.length;
      }
    }
    // the comparison means something only if some stress test used the trade flows
    expect(exposed).toBeGreaterThan(0);
  });

  it('refuses, naming the material, what it left out; and still knows the store holds trade', async () => {
    const graphiteOnly = new DatasetIndex(await loadDataset(store, { trade: ['graphite'] }));
    expect(graphiteOnly.tradeFlowsOf('graphite').length).toBeGreaterThan(0);
    expect(() => graphiteOnly.tradeFlowsOf('cobalt')).toThrow(/trade flows of cobalt were not read \(only those of graphite\)/);
    expect(() => graphiteOnly.materialsTradedBy(['JPN'])).toThrow(/trade flows of every material touching JPN were not read/);
    expect(graphiteOnly.hasTradeFlows()).toBe(true);

    const none = new DatasetIndex(await loadDataset(store, { trade: false }));
    expect(() => none.tradeFlowsOf('graphite')).toThrow(/trade flows of graphite were not read \(none\)/);
    expect(none.hasTradeFlows()).toBe(true);
    // GeoPolRisk's trade status for an assessor asks for the material's flows: refused, not "no imports"
    expect(() => tradeDataStatus(none, 'cobalt', resolveAssessor(none, 'JPN'))).toThrow(/not read/);
    const cobalt = new DatasetIndex(await loadDataset(store, { materials: ['cobalt'] }));
    for (const as of ['JPN', 'KOR', 'ISL'])
      expect(tradeDataStatus(cobalt, 'cobalt', resolveAssessor(cobalt, as))).toBe(tradeDataStatus(whole, 'cobalt', resolveAssessor(whole, as)));
  });

  it('asked flows only: the N-1 sweep reads the flows own use asks for and gives the whole read’s rows', async () => {
    const base = new DatasetIndex(await loadDataset(store, { stages: ['end_use'], governance: false, trade: false }));
    const wholeEndUse = new DatasetIndex(await loadDataset(store, { stages: ['end_use'], governance: false }));
    for (const opts of [{}, { stages: ['refining' as const], years: [2035] }]) {
      let read: DatasetIndex | null = null;
      const rows = await withAskedTrade(store, base, (index) => {
        read = index;
        return summaryN1Sweep(store, index, opts);
      });
      expect(rows).toEqual(await summaryN1Sweep(store, wholeEndUse, opts));
      expect(rows.length).toBeGreaterThan(3);
      // it read flows touching the removed suppliers only, not every flow
      const t = (read as unknown as { tradeTable(): { length: number; partial?: { touching?: Record<string, string[]> } } }).tradeTable();
      expect(t.partial?.touching && Object.keys(t.partial.touching).length).toBeGreaterThan(0);
      expect(t.length).toBeGreaterThan(0);
      expect(t.length).toBeLessThan((wholeEndUse as unknown as { tradeTable(): { length: number } }).tradeTable().length);
    }
  });

  it('asks that depend on flows read take more runs; the result is the whole read’s', async () => {
    const base = new DatasetIndex(await loadDataset(store, { trade: false }));
    // an importer's partners, then each partner's own flows and the materials it trades: like the importer view's hubs
    const compute = (index: DatasetIndex) => {
      const partners = [...new Set(index.tradeFlowsOf('graphite', ['JPN']).map((f) => (f.reporterId === 'JPN' ? f.partnerId : f.reporterId)))].sort();
      return partners.map((p) => ({ p, flows: index.tradeFlowsOf('graphite', [p]).length, traded: index.materialsTradedBy([p]) }));
    };
    let runs = 0;
    const got = await withAskedTrade(store, base, (index) => {
      runs++;
      return compute(index);
    });
    expect(got).toEqual(compute(whole));
    expect(got.length).toBeGreaterThan(2);
    expect(runs).toBe(3); // no flows; JPN's; its partners' (and the materials they trade)
    await expect(withAskedTrade(store, base, compute, 2)).rejects.toThrow(/still asked for trade flows not read after 2 runs/);
  });

  it('a table read touching some countries refuses flows touching others, and a material’s whole flows', async () => {
    const t = new DatasetIndex(await loadDataset(store, { trade: false }));
    const touching = new DatasetIndex({ ...t.data, tradeTable: await store.readTradeTable([], { graphite: ['JPN', 'KOR'] }) });
    const jpn = touching.tradeFlowsOf('graphite', ['JPN']);
    expect(jpn.length).toBeGreaterThan(0);
    expect(jpn).toEqual(whole.tradeFlowsOf('graphite', ['JPN']));
    expect(touching.tradeFlowsOf('graphite', ['JPN', 'KOR'])).toEqual(whole.tradeFlowsOf('graphite', ['JPN', 'KOR']));
    expect(() => touching.tradeFlowsOf('graphite', ['USA'])).toThrow(/graphite touching USA were not read \(only those of graphite touching JPN, KOR\)/);
    expect(() => touching.tradeFlowsOf('graphite')).toThrow(/trade flows of graphite were not read/);
    expect(touching.tradeFlowsOf('cobalt', [])).toEqual([]); // no country asked for: nothing to refuse
  });

  it('one material’s scope reads that material’s flows, every one of them', async () => {
    const cobalt = new DatasetIndex(await loadDataset(store, { materials: ['cobalt'] }));
    expect(cobalt.tradeFlowsOf('cobalt')).toEqual(whole.tradeFlowsOf('cobalt'));
    expect(cobalt.tradeFlowsOf('cobalt').length).toBeGreaterThan(10);
  });
});
