/**
 * Every importer's customs imports in one SQL pass (src/store/customs-imports.ts) against the engine's `customsImports`
 * for each country as assessor, the canonical statement of the rules: on random flows that exercise every rule (annual
 * and monthly rows, nested codes, "World" rows missing or below the partners, value-only rows, re-imports, aggregates,
 * several sources, years after the one asked), and on the BACI and Comtrade fixtures with the bundle, where the
 * importers table's GeoPolRisk must also equal a `criticality --method geopolrisk --as <country>` run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Store } from '../../src/store/store.ts';
import { importPath } from '../../src/ingest/index.ts';
import { BUNDLE_DIR } from '../../src/ingest/bundle.ts';
import { loadDataset } from '../../src/store/load.ts';
import { storeAssessorCustoms, storeImporters } from '../../src/store/customs-imports.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import {
  assessorCustomsLookup,
  assessorTradeStatus,
  customsImports,
  resolveAssessor,
  runCriticality,
  tradeDataStatus,
} from '../../src/engine/criticality/index.ts';
import { importerExposure } from '../../src/engine/importer/exposure.ts';
import { importerLookupsFromIndex, importerLookupsFromRows, importersTable, stageCodes, type ImportersQuery } from '../../src/engine/importer/importers.ts';
import type { TradeFlow } from '../../src/model/schema.ts';

/** Numbers to 12 significant digits: SQL sums the same figures in another order. */
const norm = (x: unknown): unknown =>
  typeof x === 'number'
    ? Number(x.toPrecision(12))
    : Array.isArray(x)
      ? x.map(norm)
      : x && typeof x === 'object'
        ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, norm(v)]))
        : x;

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Cobalt flows drawn to hit every rule; HS 2605 ⊃ 260500 (mining), 8105 ⊃ 810520 and 282200 (refining), 810530 not counted. */
function randomFlows(seed: number, n: number): TradeFlow[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const reporters = ['USA', 'JPN', 'DEU', 'KOR', 'FIN', 'X-EU', 'WLD'];
  const partners = ['CHN', 'COD', 'AUS', 'USA', 'JPN', 'FIN', 'ZMB', 'WLD', 'WLD', 'OTH', 'X-G7'];
  const codes = ['2605', '260500', '8105', '810520', '282200', '810530'];
  const out: TradeFlow[] = [];
  for (let i = 0; i < n; i++) {
    const u = rnd();
    out.push({
      reporterId: pick(reporters),
      partnerId: pick(partners),
      flow: rnd() < 0.85 ? 'import' : 'export',
      materialId: 'cobalt',
      hsCode: pick(codes),
      year: 2019 + Math.floor(rnd() * 6),
      month: rnd() < 0.75 ? null : 1 + Math.floor(rnd() * 12),
      quantityKg: u < 0.08 ? null : u < 0.12 ? 0 : Math.round(rnd() * 1e6),
      valueUsd: Math.round(rnd() * 1e7),
      productScope: rnd() < 0.2 ? 'scope note' : null,
      sourceId: pick(['trade-a', 'trade-b', 'trade-c']),
    });
  }
  return out;
}

describe('every importer in one SQL pass = customsImports per country', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`random flows, seed ${seed}: same year, source, codes, partners, F_A, notes, reasons and declarations for apparent consumption`, async () => {
      const flows = randomFlows(seed, 400);
      const store = await Store.open(':memory:');
      try {
        await store.appendTradeFlows(flows);
        const index = new DatasetIndex({ observations: [], sources: new Map(), governance: [], groupings: [], tradeFlows: flows });
        let compared = 0;
        let declaredSeen = 0;
        for (const stage of ['mining', 'refining'] as const)
          for (const year of [2018, 2020, 2022, 2024]) {
            const q: ImportersQuery = { materialId: 'cobalt', stage, year };
            const { counted, excluded } = stageCodes(await store.readImportCodes('cobalt'), stage);
            const { rows, gaps } = await store.readCustomsImports({ materialId: 'cobalt', year, stageCodes: counted, excludedCodes: excluded });
            const declared = await store.readDeclaredTrade({ materialId: 'cobalt', year, stageCodes: counted });
            const sql = importerLookupsFromRows(index, q, rows, gaps, declared);
            const engine = importerLookupsFromIndex(index, q);
            // Maps compared as entries (toEqual treats Map order loosely; the table iterates them in order)
            const plain = (ls: typeof sql) => ls.map((l) => ({ ...l, declared: l.declared && { ...l.declared, byCode: [...l.declared.byCode] } }));
            expect(norm(plain(sql))).toEqual(norm(plain(engine)));
            declaredSeen += engine.filter((l) => l.declared).length;
            compared += engine.length;
          }
        expect(compared).toBeGreaterThan(20);
        expect(declaredSeen).toBeGreaterThan(10);

        // One country as assessor (criticality --as): the same lookups and trade status with its inputs read in SQL,
        // also for a reporter holding only codes of one stage (CAN) or of none (NOR), and one declaring nothing (BRA).
        const only = (reporterId: string, hsCode: string): TradeFlow => ({
          ...flows[0],
          reporterId,
          partnerId: 'CHN',
          flow: 'import',
          hsCode,
          year: 2021,
          quantityKg: 5e5,
        });
        const extra = [only('CAN', '260500'), only('NOR', '810530')];
        await store.appendTradeFlows(extra);
        const all = new DatasetIndex({ ...index.data, tradeFlows: [...flows, ...extra] });
        let reasons = 0;
        for (const as of ['USA', 'JPN', 'DEU', 'KOR', 'FIN', 'CAN', 'NOR', 'BRA'])
          for (const year of [2018, 2021, 2024]) {
            const assessor = resolveAssessor(all, as);
            const sql = await storeAssessorCustoms(store, all, assessor, year);
            expect(assessorTradeStatus(sql, 'cobalt')).toBe(tradeDataStatus(all, 'cobalt', assessor));
            if (tradeDataStatus(all, 'cobalt', assessor) !== 'loaded') continue;
            for (const stage of ['mining', 'refining'] as const) {
              const engine = customsImports(all, 'cobalt', stage, assessor, year);
              expect(norm(assessorCustomsLookup(sql, 'cobalt', stage))).toEqual(norm(engine));
              if (engine.reason?.startsWith('no imports at the')) reasons++;
            }
          }
        expect(reasons).toBeGreaterThanOrEqual(4);
      } finally {
        store.close();
      }
    });
  }
});

describe('importers table on the BACI and Comtrade fixtures with the bundle', () => {
  let store: Store;
  let index: DatasetIndex;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await importPath(store, 'bundle', BUNDLE_DIR);
    await importPath(store, 'baci', fileURLToPath(new URL('../fixtures/baci/BACI_HS17_Y2022_V202401-generated.csv', import.meta.url)));
    await importPath(store, 'comtrade', fileURLToPath(new URL('../fixtures/trade-comtrade-cmm-sample/cobalt_trade_data.csv', import.meta.url)));
    index = new DatasetIndex(await loadDataset(store));
  }, 300_000);
  afterAll(() => store?.close());

  it('the store table equals the engine table; GeoPolRisk per importer equals a criticality run as that country', async () => {
    let scored = 0;
    let withDependence = 0;
    for (const [stage, year] of [
      ['mining', 2023],
      ['refining', 2023],
      ['refining', 2024],
    ] as const) {
      const q: ImportersQuery = { materialId: 'cobalt', stage, year };
      const fromStore = await storeImporters(store, index, q);
      const fromEngine = importersTable(index, q, importerLookupsFromIndex(index, q));
      expect(norm(fromStore)).toEqual(norm(fromEngine));
      expect(fromStore.rows.length).toBeGreaterThan(2);
      for (const row of fromStore.rows.filter((r) => r.geoPolRisk !== null).slice(0, 4)) {
        const rep = runCriticality(index, { method: 'geopolrisk', as: row.importerId, year, materials: ['cobalt'], samples: 0 });
        const st = rep.geopolrisk[0].stages.find((s) => s.stage === stage)!;
        // the criticality report rounds to 4 decimals
        expect(Math.round(row.geoPolRisk! * 1e4) / 1e4).toBe(st.score);
        expect(Math.round(row.importRisk! * 1e4) / 1e4).toBe(st.importRisk);
        scored++;
      }
      // import dependence per importer = the importer view's (chokepoint importer <ISO3>), figure or gap
      for (const row of fromStore.rows) {
        const view = importerExposure(index, { importer: row.importerId, materials: ['cobalt'], year }).rows.find((r) => r.stage === stage);
        if (view?.dependence) {
          expect(row.dependence).toBeCloseTo(view.dependence.ratio, 12);
          expect(row.apparentTonnes).toBeCloseTo(view.dependence.apparentTonnes, 6);
          withDependence++;
        } else {
          expect(row.dependence).toBeNull();
          if (view?.dependenceGap && row.dependenceTrade) expect(row.dependenceGap).toBe(view.dependenceGap);
        }
      }
    }
    expect(scored).toBeGreaterThan(2);
    expect(withDependence).toBeGreaterThan(0);
  });

  it('criticality as one country with its customs inputs read in SQL and no trade flow in JS = the run on the trade table', async () => {
    const noTrade = new DatasetIndex(await loadDataset(store, { trade: false }));
    let scored = 0;
    for (const as of ['JPN', 'KOR', 'CHN', 'USA', 'DEU', 'BRA'])
      for (const year of [2022, 2023]) {
        const opts = { method: 'all' as const, as, year, samples: 20, seed: 3 };
        const customs = await storeAssessorCustoms(store, noTrade, resolveAssessor(noTrade, as), year);
        const withTable = runCriticality(index, opts);
        expect(runCriticality(noTrade, { ...opts, customs })).toEqual(withTable);
        scored += withTable.geopolrisk.filter((g) => g.score !== null).length;
      }
    expect(scored).toBeGreaterThan(5);
    // inputs read for one assessor and year are refused for another
    const jpn = await storeAssessorCustoms(store, noTrade, resolveAssessor(noTrade, 'JPN'), 2023);
    expect(() => runCriticality(noTrade, { method: 'geopolrisk', as: 'KOR', year: 2023, customs: jpn })).toThrow(/read for JPN 2023, the run is for KOR 2023/);
  });

  it('criticality as a group with only the flows touching its members read = the run on the whole trade table', async () => {
    const noTrade = new DatasetIndex(await loadDataset(store, { trade: false }));
    let scored = 0;
    for (const as of ['JPN,KOR', 'USA,CAN,MEX', 'G7'])
      for (const year of [2022, 2023]) {
        const opts = { method: 'geopolrisk' as const, as, year, samples: 20, seed: 3 };
        const members = resolveAssessor(noTrade, as).members;
        const touching = noTrade.withTrade(await store.readTradeTable([], undefined, members));
        const withTable = runCriticality(index, opts);
        expect(runCriticality(touching, opts)).toEqual(withTable);
        scored += withTable.geopolrisk.filter((g) => g.score !== null).length;
      }
    expect(scored).toBeGreaterThan(5);
    // a read for another group is refused, not answered as "no imports"
    const jpnKor = noTrade.withTrade(await store.readTradeTable([], undefined, ['JPN', 'KOR']));
    expect(() => runCriticality(jpnKor, { method: 'geopolrisk', as: 'USA,CAN', year: 2023, samples: 0 })).toThrow(/not read/);
  });

  it('names the supplier asked, else the largest producer, and its share of each importer', async () => {
    const t = await storeImporters(store, index, { materialId: 'cobalt', stage: 'mining', year: 2023 });
    expect(t.supplier?.countryId).toBe('COD');
    expect(t.supplier?.why).toMatch(/largest producer at the mining stage in 2023/);
    const jpn = t.rows.find((r) => r.importerId === 'JPN')!;
    expect(jpn.supplierShare).toBeGreaterThan(0);
    expect(jpn.topSuppliers[0].share).toBeGreaterThanOrEqual(jpn.supplierShare);
    const chn = await storeImporters(store, index, { materialId: 'cobalt', stage: 'mining', year: 2023, supplier: 'CHN' });
    expect(chn.supplier).toEqual({ countryId: 'CHN', country: 'China', why: 'asked' });
  });
});
