/**
 * Importer exposure on a small hand-made knowledge base (numbers chosen to be checked by hand): gallium refining, the
 * EU (here DEU, FRA, NLD) importing from China and Japan, Japan refining Chinese and Korean feed.
 */
import { describe, expect, it } from 'vitest';
import { DatasetIndex, type Dataset } from '../../../src/engine/dataset.ts';
import { importerExposure } from '../../../src/engine/importer/exposure.ts';
import { apparentDependence } from '../../../src/engine/demand/apparent.ts';
import { LI_IN_LI2CO3, contentFactor } from '../../../src/data/hs-content.ts';
import { InputError } from '../../../src/model/errors.ts';
import type { TradeMeasure } from '../../../src/model/registry.ts';
import type { GroupingMember, Observation, Source, TradeFlow } from '../../../src/model/schema.ts';

const src = (id: string, dataset: string): Source => ({
  id,
  dataset,
  editionYear: 2025,
  publisher: `Publisher ${id}`,
  title: 'T',
  edition: 'E',
  table: null,
  licence: 'test',
  url: null,
  file: null,
  caveat: null,
});
const obs = (countryId: string, value: number): Observation => ({
  materialId: 'gallium',
  stage: 'refining',
  measure: 'production',
  countryId,
  year: 2024,
  value,
  unit: 't',
  basis: 'refined',
  status: 'reported',
  estimated: false,
  scenario: null,
  sector: null,
  detail: 'Primary production',
  note: null,
  sourceId: 'usgs',
});
const flow = (reporterId: string, f: 'import' | 'export', partnerId: string, tonnes: number): TradeFlow => ({
  reporterId,
  partnerId,
  flow: f,
  materialId: 'gallium',
  hsCode: '811292',
  year: 2023,
  month: null,
  quantityKg: tonnes * 1000,
  valueUsd: null,
  productScope: 'HS 811292: also germanium',
  sourceId: 'customs',
});
const eu: GroupingMember[] = ['DEU', 'FRA', 'NLD'].map((countryId) => ({
  groupId: 'EU27',
  groupName: 'European Union (27)',
  countryId,
  asOf: '2020-02-01',
  sourceId: 'groups',
}));
const measure = (p: Partial<TradeMeasure> & Pick<TradeMeasure, 'id' | 'countryId'>): TradeMeasure => ({
  title: `${p.id} title`,
  direction: 'export',
  measureType: 'licence',
  materials: ['gallium'],
  stages: ['refining'],
  hsCodes: [],
  targets: [],
  announced: null,
  effective: '2023-08-01',
  suspended: null,
  suspendedUntil: null,
  ended: null,
  summary: null,
  url: null,
  sourceId: 'reg',
  ...p,
});

const FLOWS: TradeFlow[] = [
  // Germany's declared imports: 20 t China, 10 t Japan, and 35 t from EU partners (intra-bloc)
  flow('DEU', 'import', 'CHN', 20),
  flow('DEU', 'import', 'JPN', 10),
  flow('DEU', 'import', 'FRA', 30),
  flow('DEU', 'import', 'NLD', 5),
  // France: 10 t China, 4 t Germany (intra-bloc)
  flow('FRA', 'import', 'CHN', 10),
  flow('FRA', 'import', 'DEU', 4),
  // Germany's exports: 6 t to the USA (extra-bloc), 2 t to France (intra-bloc)
  flow('DEU', 'export', 'USA', 6),
  flow('DEU', 'export', 'FRA', 2),
  // Japan (a hub): its feed imports, 8 t China, 2 t Korea
  flow('JPN', 'import', 'CHN', 8),
  flow('JPN', 'import', 'KOR', 2),
];

function data(tradeFlows: TradeFlow[]): Dataset {
  return {
    observations: [obs('CHN', 750), obs('JPN', 10), obs('DEU', 10), obs('RUS', 5), obs('WLD', 775)],
    sources: new Map([src('usgs', 'usgs-mcs'), src('customs', 'un-comtrade'), src('reg', 'registry'), src('groups', 'groupings')].map((s) => [s.id, s])),
    governance: [],
    groupings: eu,
    tradeFlows,
    registry: {
      agreements: [],
      projects: [],
      measures: [
        measure({ id: 'chn-ga-licence', countryId: 'CHN', announced: '2023-07-03' }),
        measure({
          id: 'chn-ga-usa-ban',
          countryId: 'CHN',
          measureType: 'ban',
          targets: ['USA'],
          effective: '2024-12-03',
          suspended: '2025-11-09',
          suspendedUntil: '2026-11-27',
        }),
        measure({ id: 'kor-ga-plan', countryId: 'KOR', announced: '2025-06-01', effective: '2026-01-01' }),
        measure({ id: 'chn-ga-old', countryId: 'CHN', effective: '2010-01-01', ended: '2015-01-01' }),
      ],
    },
  };
}
const ON = '2025-12-01';

describe('importer exposure', () => {
  const index = new DatasetIndex(data(FLOWS));

  it('a bloc counts only extra-bloc imports: intra-EU trade is excluded', () => {
    const e = importerExposure(index, { importer: 'eu27', materials: ['gallium'], on: ON });
    expect(e).toMatchObject({ importer: 'EU27', kind: 'bloc', members: ['DEU', 'FRA', 'NLD'], customsLoaded: true });
    const r = e.rows.find((x) => x.stage === 'refining')!;
    expect(r.customsGap).toBeNull();
    expect(r.imports.basis).toBe('declared');
    // 20 + 10 from China, 10 from Japan; the 30 + 5 + 4 t between members are not imports of the bloc
    expect(r.imports.totalTonnes).toBeCloseTo(40, 9);
    expect(r.imports.suppliers.map((s) => [s.countryId, s.share])).toEqual([
      ['CHN', 0.75],
      ['JPN', 0.25],
    ]);
    expect(r.imports.source.sourceId).toBe('customs');
    // dependence = 40 / (10 production + 40 imports − 6 extra-bloc exports)
    expect(r.dependence!.ratio).toBeCloseTo(40 / 44, 12);
    expect(r.dependence!.exportsTonnes).toBeCloseTo(6, 9);
    // Germany alone: imports from its EU partners count
    const d = importerExposure(index, { importer: 'DEU', materials: ['gallium'], on: ON }).rows.find((x) => x.stage === 'refining')!;
    expect(d.imports.totalTonnes).toBeCloseTo(65, 9);
    expect(d.imports.suppliers.map((s) => s.countryId)).toEqual(['FRA', 'CHN', 'JPN', 'NLD']);
    expect(d.dependence!.ratio).toBeCloseTo(65 / (10 + 65 - 8), 12);
    // unwrought gallium against refined-metal production: the same product, so no conversion and no range
    expect(d.dependence!.basis).toBe('refined');
    expect(d.dependence!.ratioRange).toEqual({ low: d.dependence!.ratio, high: d.dependence!.ratio });
    expect(d.dependence!.conversions.map((c) => [c.hsCode, c.method, c.factor.central])).toEqual([['811292', 'same product', 1]]);
  });

  it('converts customs product weight to the production basis by HS code, with the range of the factors', () => {
    const lith = (hsCode: string, f: 'import' | 'export', tonnes: number): TradeFlow => ({ ...flow('DEU', f, 'CHL', tonnes), materialId: 'lithium', hsCode });
    const imports = [lith('283691', 'import', 100), lith('282520', 'import', 50)];
    const exports = [lith('283691', 'export', 20)];
    const d = apparentDependence('lithium', 'contained', 10, imports, exports);
    if ('gap' in d) throw new Error(d.gap);
    const hydroxide = contentFactor('282520', 'lithium', 'contained').factor!;
    // 100 t Li2CO3 at 18.79 % Li and 50 t LiOH·H2O at 16.54 % Li in; 20 t Li2CO3 out; 10 t Li mined
    const m = 100 * LI_IN_LI2CO3 + 50 * hydroxide.central;
    const x = 20 * LI_IN_LI2CO3;
    expect(d.importsTonnes).toBeCloseTo(m, 9);
    expect(d.exportsTonnes).toBeCloseTo(x, 9);
    expect(d.ratio).toBeCloseTo(m / (10 + m - x), 12);
    // the hydroxide's upper bound (anhydrous LiOH) raises imports and so the ratio
    const mHigh = 100 * LI_IN_LI2CO3 + 50 * hydroxide.high;
    expect(d.ratioRange.low).toBeCloseTo(d.ratio, 12);
    expect(d.ratioRange.high).toBeCloseTo(mHigh / (10 + mHigh - x), 12);
    expect(d.conversions.map((c) => [c.hsCode, c.productTonnes, c.source.sourceId])).toEqual([
      ['282520', 50, 'ciaaw-2021'],
      ['283691', 120, 'ciaaw-2021'],
    ]);
    // Lithium carbonate equivalent: the carbonate counts one for one
    const lce = apparentDependence('lithium', 'lce', 0, imports.slice(0, 1), []);
    expect('gap' in lce ? lce.gap : lce.ratio).toBe(1);
  });

  it('refuses to compare contained production with ores or intermediates of unstated grade, naming the code', () => {
    const co = (hsCode: string, tonnes: number): TradeFlow => ({ ...flow('DEU', 'import', 'COD', tonnes), materialId: 'cobalt', hsCode });
    const d = apparentDependence('cobalt', 'contained', 0, [co('282200', 10), co('810520', 40)], []);
    expect(d).toEqual({ gap: expect.stringMatching(/customs tonnes are product weight; HS 810520: no stated conversion from product weight to contained/) });
    expect(apparentDependence('cobalt', 'unspecified', 0, [co('282200', 10)], [])).toMatchObject({ gap: expect.stringContaining('HS 282200') });
  });

  it('indirect exposure through a processing hub: Japanese gallium refined from Chinese feed counts against China', () => {
    const r = importerExposure(index, { importer: 'EU27', materials: ['gallium'], on: ON }).rows.find((x) => x.stage === 'refining')!;
    const jpn = r.hubs.find((h) => h.hubId === 'JPN')!;
    expect(jpn.feed.map((f) => [f.countryId, f.share])).toEqual([
      ['CHN', 0.8],
      ['KOR', 0.2],
    ]);
    // no mining series: Japan's own mine feed is unknown, so all its feed counts as imported (an upper bound, said so)
    expect(jpn.upperBound).toBe(true);
    expect(jpn.notes.join(' ')).toMatch(/upper bound/);
    const chn = r.exposure.find((x) => x.countryId === 'CHN')!;
    expect(chn.direct).toBeCloseTo(0.75, 12);
    expect(chn.viaHubs).toBeCloseTo(0.25 * 0.8, 12);
    expect(chn.total).toBeCloseTo(0.95, 12);
    expect(chn.hubs).toEqual(['JPN']);
    expect(chn.sources.map((c) => c.sourceId)).toEqual(['customs']);
    expect(r.exposure.find((x) => x.countryId === 'KOR')).toMatchObject({ direct: 0, hubs: ['JPN'] });
    expect(r.exposure.find((x) => x.countryId === 'KOR')!.viaHubs).toBeCloseTo(0.05, 12);
    // China's own feed: no customs data on its imports, a stated gap
    expect(r.hubs.find((h) => h.hubId === 'CHN')!.gap).toMatch(/no customs data on China's imports/);
  });

  it('lists the measures that hit it, with status from their dates, and the stress test to run', () => {
    const r = importerExposure(index, { importer: 'EU27', materials: ['gallium'], on: ON }).rows.find((x) => x.stage === 'refining')!;
    // the ban targeting the USA does not hit the EU; the ended one is left out; Korea's hits it through the Japanese hub
    expect(r.measures.map((m) => [m.id, m.state, m.via])).toEqual([
      ['kor-ga-plan', 'announced', 'JPN'],
      ['chn-ga-licence', 'in_effect', 'direct'],
    ]);
    expect(r.measures[1].status).toBe('in effect since 2023-08-01');
    expect(r.measures[1].source.sourceId).toBe('reg');
    const usa = importerExposure(index, { importer: 'USA', materials: ['gallium'], on: ON }).rows.find((x) => x.stage === 'refining')!;
    expect(usa.measures.find((m) => m.id === 'chn-ga-usa-ban')).toMatchObject({ state: 'suspended', status: 'suspended 2025-11-09 until 2026-11-27' });
    expect(r.stress).toMatchObject({ materialId: 'gallium', stage: 'refining', year: 2024, exclude: ['CHN'] });
    expect(r.stress!.query).toEqual({ material: 'gallium', stage: 'refining', year: '2024', exclude: 'CHN', mode: 'export_ban' });
  });

  it('states the gap when no customs data is loaded and labels the world-share supplier mix as a proxy', () => {
    const bare = new DatasetIndex(data([]));
    const e = importerExposure(bare, { importer: 'EU27', materials: ['gallium'], on: ON });
    expect(e.customsLoaded).toBe(false);
    expect(e.gaps.join(' ')).toMatch(/No customs or trade flows are loaded for EU27 or its 3 members/);
    const r = e.rows.find((x) => x.stage === 'refining')!;
    expect(r.customsGap).toMatch(/no customs or trade flows loaded for EU27's refining-stage gallium imports/);
    expect(r.imports.basis).toBe('proxy');
    expect(r.imports.source.status).toBe('proxy');
    expect(r.imports.source.sourceId).toBe('usgs');
    // world refining output without the members' own (DEU 10 t): 750 + 10 + 5 = 765 t
    expect(r.imports.suppliers.map((s) => [s.countryId, s.share])).toEqual([
      ['CHN', 750 / 765],
      ['JPN', 10 / 765],
      ['RUS', 5 / 765],
    ]);
    expect(r.dependence).toBeNull();
    expect(r.dependenceGap).toMatch(/no customs data for EU27/);
    expect(r.productionTonnes).toBe(10);
    expect(r.stress!.exclude).toEqual(['CHN']);
  });

  it('an unknown importer is not_found with suggestions', () => {
    let err: unknown;
    try {
      importerExposure(index, { importer: 'EU28' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ kind: 'not_found', field: 'id' });
    expect((err as Error).message).toMatch(/unknown importer "EU28". Did you mean: EU27/);
  });
});
