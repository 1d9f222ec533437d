/**
 * GeoPolRisk for assessors other than the EU, from customs imports by partner (bilateral trade flows):
 * hand-computed fixtures, the messages when trade data is missing, the HS → stage table, and the UN Comtrade sample
 * excerpt (test/fixtures/engine-comtrade-cmm-sample) imported with the bundle into an in-memory store, assessed as the USA.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DatasetIndex } from '../../../src/engine/dataset.ts';
import { HS_MATERIALS } from '../../../src/ingest/comtrade.ts';
import { printReport } from '../../../src/cli/criticality.ts';
import type { Governance, Observation, Source, TradeFlow } from '../../../src/model/schema.ts';
import { HS_STAGE, assertNoNaN, hsStage, runCriticality, type GeoPolRiskResult } from '../../../src/engine/criticality/index.ts';
import { geoPolRiskAsUsa } from './geopolrisk-usa.ts';

const SRC: Source[] = [
  {
    id: 'eu-crm-2023',
    dataset: 'eu-crm',
    editionYear: 2023,
    publisher: 'EC',
    title: 'CRM 2023',
    edition: '2023',
    table: 'supply',
    licence: 'CC BY 4.0',
    url: null,
    file: null,
    caveat: null,
  },
  {
    id: 'wgi',
    dataset: 'wgi',
    editionYear: 2024,
    publisher: 'World Bank',
    title: 'WGI',
    edition: '2024',
    table: null,
    licence: 'CC BY 4.0',
    url: null,
    file: null,
    caveat: null,
  },
  {
    id: 'usgs',
    dataset: 'usgs-mcs',
    editionYear: 2025,
    publisher: 'USGS',
    title: 'MCS',
    edition: 'MCS2025',
    table: 'world',
    licence: 'public domain',
    url: null,
    file: null,
    caveat: null,
  },
  {
    id: 'un-comtrade-fixture',
    dataset: 'un-comtrade',
    editionYear: 2024,
    publisher: 'UN Comtrade',
    title: 'extract',
    edition: '2022-2024',
    table: 'imports',
    licence: 'UN Comtrade terms',
    url: null,
    file: null,
    caveat: null,
  },
];
const share = (materialId: string, stage: 'mining' | 'refining', detail: 'global' | 'eu_sourcing', countryId: string, s: number): Observation[] => {
  const base = {
    materialId,
    stage,
    countryId,
    year: 2023,
    basis: 'ratio' as const,
    status: 'reported' as const,
    estimated: false,
    scenario: null,
    sector: null,
    detail,
    note: null,
    sourceId: 'eu-crm-2023',
  };
  return [
    { ...base, measure: 'supply_share', value: s, unit: 'fraction' },
    { ...base, measure: 'trade_variable_t', value: 1, unit: 'index' },
  ];
};
const production = (materialId: string, countryId: string, value: number | null, basis: Observation['basis']): Observation => ({
  materialId,
  stage: 'refining',
  measure: 'production',
  countryId,
  year: 2023,
  value,
  unit: 't',
  basis,
  status: value === null ? 'withheld' : 'reported',
  estimated: false,
  scenario: null,
  sector: null,
  detail: null,
  note: null,
  sourceId: 'usgs',
});
/** All six WGI estimates equal to `est`, so WGI-PV risk g = (2.5 − est)/5. */
const gov = (countryId: string, est: number): Governance[] =>
  [2017, 2018, 2019, 2020, 2021].flatMap((year) =>
    (['va', 'pv', 'ge', 'rq', 'rl', 'cc'] as const).map((indicator) => ({
      countryId,
      year,
      indicator,
      estimate: est,
      stdErr: 0.2,
      percentileRank: null,
      sourceId: 'wgi',
    })),
  );
const flow = (reporterId: string, partnerId: string, materialId: string, hsCode: string, year: number, kg: number | null): TradeFlow => ({
  reporterId,
  partnerId,
  flow: 'import',
  materialId,
  hsCode,
  year,
  month: null,
  quantityKg: kg,
  valueUsd: 1,
  productScope: null,
  sourceId: 'un-comtrade-fixture',
});

const OBS: Observation[] = [
  // cobalt: refining CHN 60 %, FIN 30 %, JPN 10 % → HHI 0.46; mining COD 70 %, AUS 30 %
  ...share('cobalt', 'refining', 'global', 'CHN', 0.6),
  ...share('cobalt', 'refining', 'global', 'FIN', 0.3),
  ...share('cobalt', 'refining', 'global', 'JPN', 0.1),
  ...share('cobalt', 'mining', 'global', 'COD', 0.7),
  ...share('cobalt', 'mining', 'global', 'AUS', 0.3),
  production('cobalt', 'USA', 250, 'refined'),
  production('cobalt', 'WLD', 1000, 'refined'),
  // nickel: refining CHN 50 %, IDN 50 % → HHI 0.5 (IDN has no WGI)
  ...share('nickel', 'refining', 'global', 'CHN', 0.5),
  ...share('nickel', 'refining', 'global', 'IDN', 0.5),
  // gallium: refining CHN 90 %, DEU 10 %, with an EU sourcing table (CHN 60 %, DEU 40 %)
  ...share('gallium', 'refining', 'global', 'CHN', 0.9),
  ...share('gallium', 'refining', 'global', 'DEU', 0.1),
  ...share('gallium', 'refining', 'eu_sourcing', 'CHN', 0.6),
  ...share('gallium', 'refining', 'eu_sourcing', 'DEU', 0.4),
];
// g: CHN 0.6, FIN 0.2, JPN 0.3, COD 0.8, USA 0.4, DEU 0.2
const GOV = [...gov('CHN', -0.5), ...gov('FIN', 1.5), ...gov('JPN', 1), ...gov('COD', -1.5), ...gov('USA', 0.5), ...gov('DEU', 1.5)];
const FLOWS: TradeFlow[] = [
  // USA cobalt 2023: HS 282200 CHN 300 t, FIN 100 t, World 500 t; HS 810520 CHN 200 t, World 500 t; scrap (not counted)
  flow('USA', 'CHN', 'cobalt', '282200', 2023, 300_000),
  flow('USA', 'FIN', 'cobalt', '282200', 2023, 100_000),
  flow('USA', 'WLD', 'cobalt', '282200', 2023, 500_000),
  flow('USA', 'CHN', 'cobalt', '810520', 2023, 200_000),
  flow('USA', 'WLD', 'cobalt', '810520', 2023, 500_000),
  flow('USA', 'CHN', 'cobalt', '810530', 2023, 1_000_000),
  // JPN cobalt 2023: HS 282200 USA 50 t (inside a USA+JPN group), CHN 100 t, World 200 t
  flow('JPN', 'USA', 'cobalt', '282200', 2023, 50_000),
  flow('JPN', 'CHN', 'cobalt', '282200', 2023, 100_000),
  flow('JPN', 'WLD', 'cobalt', '282200', 2023, 200_000),
  // KOR cobalt: World only
  flow('KOR', 'WLD', 'cobalt', '282200', 2023, 400_000),
  // USA nickel: 2022 only by partner, no World row; 2024 is after the assessment year
  flow('USA', 'CHN', 'nickel', '7502', 2022, 100_000),
  flow('USA', 'IDN', 'nickel', '7502', 2022, 300_000),
  flow('USA', 'CHN', 'nickel', '7502', 2024, 999_000),
  // EU member imports of gallium: must not change the EU result (EU sourcing table)
  flow('DEU', 'CHN', 'gallium', '811292', 2023, 5_000),
  flow('DEU', 'WLD', 'gallium', '811292', 2023, 6_000),
];
const fixture = (tradeFlows: TradeFlow[] | undefined = FLOWS) =>
  new DatasetIndex({ observations: OBS, sources: new Map(SRC.map((s) => [s.id, s])), governance: GOV, groupings: [], tradeFlows });
const gpr = (index: DatasetIndex, as: string, materialId: string, samples = 0): GeoPolRiskResult => {
  const rep = runCriticality(index, { method: 'geopolrisk', as, year: 2023, materials: [materialId], samples });
  assertNoNaN(rep);
  return rep.geopolrisk.find((r) => r.materialId === materialId)!;
};
const input = (r: GeoPolRiskResult, name: string, stage: string | null = 'refining') => r.inputs.find((i) => i.input === name && i.stage === stage);

describe('GeoPolRisk from customs imports (hand-computed fixtures)', () => {
  it('country: Σ g_i·f_Ai/(p_A + F_A) with the World row as F_A, the unattributed rest weighted like the other producers', () => {
    const r = gpr(fixture(), 'USA', 'cobalt', 50);
    // named: CHN 300 + 200 = 500 t, FIN 100 t; F_A = 500 + 500 = 1000 t (World rows); rest 400 t; p_A = 250 t (refined)
    // rest mix: producers other than USA, CHN, FIN → JPN (g 0.3)
    // import risk = (0.6·500 + 0.2·100 + 0.3·400) / (250 + 1000) = 440 / 1250 = 0.352; score = 0.46 · 0.352 = 0.16192
    expect(r.stages).toHaveLength(1);
    expect(r.stages[0]).toMatchObject({ stage: 'refining', imports: 'customs', hhi: 0.46, importRisk: 0.352 });
    expect(r.score).toBeCloseTo(0.1619, 4);
    expect(r.stages[0].customs).toEqual({
      year: 2023,
      partners: [
        { countryId: 'CHN', tonnes: 500 },
        { countryId: 'FIN', tonnes: 100 },
      ],
      totalImports: 1000,
      unattributed: 400,
      ownProduction: 250,
    });
    expect(input(r, 'imports by partner f_Ai (customs)')).toMatchObject({ status: 'data', source: { publisher: 'UN Comtrade', status: 'data' } });
    expect(input(r, 'imports by partner f_Ai (customs)')!.note).toMatch(/not counted: HS 810530 → not counted \(cobalt waste and scrap/);
    expect(input(r, 'total imports F_A')).toMatchObject({ value: 1000, status: 'data' });
    expect(input(r, 'total imports F_A')!.note).toMatch(/HS 282200: "World" row 500 t; HS 810520: "World" row 500 t/);
    // production in t refined vs customs product weight: bases differ → proxy
    expect(input(r, 'own production p_A')).toMatchObject({ value: 250, status: 'proxy' });
    expect(input(r, 'own production p_A')!.note).toMatch(/basis differs from customs net weight/);
    expect(input(r, 'imports not attributed to a partner')).toMatchObject({ status: 'proxy', value: '400 t (40 % of F_A)' });
    expect(input(r, 'imports not attributed to a partner')!.note).toMatch(/g = 0\.300; import risk with g = 0 for this part: 0\.2560, with g = 1: 0\.5760/);
    // extraction has a global table but no ore imports: named as missing
    expect(input(r, 'imports by partner f_Ai (customs)', 'mining')).toMatchObject({
      status: 'missing',
      note: expect.stringMatching(/no imports at the extraction stage/),
    });
    expect(r.messages.join(' ')).toMatch(/40 % of .*imports \(2023\) not attributed to a partner/);
    expect(r.partial).toBe(true);
    expect(r.defaulted).toEqual([]);
  });

  it('latest year ≤ the assessment year, F_A from the partners when no World row, a missing WGI-PV defaulted', () => {
    const r = gpr(fixture(), 'USA', 'nickel');
    // 2022: CHN 100 t (g 0.6), IDN 300 t (no WGI → 0.5); F_A = 400 t (sum of partners); p_A = 0 (USA not a producer)
    // import risk = (60 + 150)/400 = 0.525; score = 0.5 · 0.525 = 0.2625
    expect(r.stages[0]).toMatchObject({ importRisk: 0.525, score: 0.2625 });
    expect(r.stages[0].customs?.year).toBe(2022);
    expect(input(r, 'imports by partner f_Ai (customs)')!.note).toMatch(/2022 \(latest year ≤ 2023 with imports by partner\)/);
    expect(input(r, 'total imports F_A')!.note).toMatch(/sum of partners \("World" not reported\) 400 t/);
    expect(input(r, 'own production p_A')).toMatchObject({ value: 0, status: 'derived' });
    expect(r.defaulted).toEqual(['WGI-PV IDN (0.5)']);
    expect(r.messages.join(' ')).toMatch(/"World" total of HS 7502 not reported for 2022: F_A counts only the partners listed/);
  });

  it("group: members' imports from non-members; intra-group imports taken out of F_A; no producer left for the rest → 0.5", () => {
    const r = gpr(fixture(), 'USA,JPN', 'cobalt');
    // HS 282200: USA World 500 + JPN (World 200 − 50 from USA) = 650; HS 810520: USA 500 → F_A = 1150 t
    // named: CHN 500 + 100 = 600 t, FIN 100 t; rest 450 t at g 0.5 (every other producer is a member or named)
    // p_A = USA 250 t + JPN 0 (listed producer without tonnes: default) = 250
    // import risk = (0.6·600 + 0.2·100 + 0.5·450)/1400 = 605/1400; score = 0.46 · 605/1400
    expect(r.stages[0].importRisk).toBeCloseTo(605 / 1400, 4);
    expect(r.score).toBeCloseTo((0.46 * 605) / 1400, 4);
    expect(r.stages[0].customs).toMatchObject({ totalImports: 1150, unattributed: 450, ownProduction: 250 });
    expect(input(r, 'total imports F_A')!.note).toMatch(/JPN "World" row minus 50 t from members 150 t/);
    expect(input(r, 'own production p_A')!.status).toBe('default');
    expect(r.defaulted).toEqual(
      expect.arrayContaining(['own production p_A (processing) (0 t)', 'g of imports not attributed to a partner (processing) (0.5)']),
    );
  });

  it('says what is missing: no trade data, no imports of the material, partner only "World"', () => {
    const none = gpr(fixture([]), 'USA', 'cobalt');
    expect(none.score).toBeNull();
    expect(none.messages[0]).toMatch(
      /^Cobalt: GeoPolRisk not computed — input "import shares by partner" missing for .+ \(bilateral trade data not loaded: chokepoint data import comtrade <path>\)$/,
    );
    expect(none.messages[0]).toMatch(/bilateral trade data not loaded: chokepoint data import comtrade <path>/);
    const ga = gpr(fixture(), 'USA', 'gallium');
    expect(ga.score).toBeNull();
    expect(ga.messages[0]).toMatch(/bilateral trade data loaded, but no imports of Gallium reported by/);
    const kor = gpr(fixture(), 'KOR', 'cobalt');
    expect(kor.score).toBeNull();
    expect(kor.messages[0]).toMatch(/processing: partner only "World": no imports from a named partner reported \(2023\)/);
    expect(input(kor, 'imports by partner f_Ai (customs)')).toMatchObject({ status: 'missing' });
  });

  it('the EU keeps its sourcing table: loading trade flows does not change its result', () => {
    const withTrade = gpr(fixture(), 'EU', 'gallium', 30);
    const without = gpr(fixture([]), 'EU', 'gallium', 30);
    expect(withTrade).toEqual(without);
    // HHI 0.82; EU sourcing outside the EU: CHN 60 % · 0.6 → 0.36; score 0.2952
    expect(withTrade.stages[0]).toMatchObject({ imports: 'eu-sourcing', hhi: 0.82, importRisk: 0.36, score: 0.2952 });
  });
});

describe('HS code → stage', () => {
  it('every HS code the Comtrade importer maps has a stated stage; unknown codes get a stated assumption', () => {
    for (const code of Object.keys(HS_MATERIALS)) expect(hsStage(code).known, code).toBe(true);
    expect(hsStage('260500').stage).toBe('mining');
    expect(hsStage('282200').stage).toBe('refining');
    expect(hsStage('810530').stage).toBeNull();
    expect(hsStage('81129210').stage).toBe('refining');
    expect(hsStage('81129910').stage).toBeNull();
    expect(hsStage('261590')).toMatchObject({ stage: 'mining', known: false, rule: expect.stringMatching(/not in our table; chapter 26/) });
    expect(hsStage('811259')).toMatchObject({ stage: 'refining', known: false });
    for (const e of Object.values(HS_STAGE)) expect(e.what.length).toBeGreaterThan(5);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Real data: the bundle plus an 8-row excerpt of the UN Comtrade sample (US imports 2023 from China and the World of
// cobalt, gallium and natural graphite; test/fixtures/engine-comtrade-cmm-sample), assessed as the USA

const EXCERPT = fileURLToPath(new URL('../../fixtures/engine-comtrade-cmm-sample', import.meta.url));

describe('GeoPolRisk as the USA on the bundle + UN Comtrade excerpt', async () => {
  const { rep, flows } = await geoPolRiskAsUsa(EXCERPT, ['cobalt', 'gallium', 'graphite']);

  it('prints the inputs (chokepoint criticality --method geopolrisk --as USA --inputs)', () => {
    const out: string[] = [];
    printReport((s) => out.push(s), rep, 'table', true);
    console.log(out.join('\n'));
    assertNoNaN(rep);
    expect(rep.geopolrisk.map((r) => r.materialId).sort()).toEqual(['cobalt', 'gallium', 'graphite']);
  });

  it('cobalt: a finite score within [0, HHI], partners as in the excerpt, F_A from the World rows', () => {
    const co = rep.geopolrisk.find((r) => r.materialId === 'cobalt')!;
    expect(co.score).not.toBeNull();
    const st = co.stages.find((s) => s.stage === co.stage)!;
    expect(st.imports).toBe('customs');
    expect(co.score!).toBeGreaterThan(0);
    expect(co.score!).toBeLessThanOrEqual(st.hhi);
    expect(st.importRisk).toBeGreaterThan(0);
    expect(st.importRisk).toBeLessThanOrEqual(1);
    // US cobalt imports (HS 282200, 8105: processing) in 2023, by partner other than World
    const imports = flows.filter((f) => f.reporterId === 'USA' && f.flow === 'import' && f.materialId === 'cobalt' && f.year === 2023);
    expect(imports).toHaveLength(4);
    const kg = (p: string) => imports.filter((f) => f.partnerId === p).reduce((a, f) => a + f.quantityKg!, 0);
    expect(st.customs!.partners.map((p) => p.countryId)).toEqual(['CHN']);
    expect(st.customs!.partners[0].tonnes).toBeCloseTo((54_150 + 113_785) / 1000, 3);
    expect(st.customs!.partners[0].tonnes).toBeCloseTo(kg('CHN') / 1000, 3);
    expect(st.customs!.totalImports).toBeCloseTo((1_391_479 + 10_199_605) / 1000, 3);
    expect(st.customs!.totalImports).toBeCloseTo(kg('WLD') / 1000, 3);
    expect(st.customs!.ownProduction).toBe(0); // the USA is not among the refined-cobalt producers
    expect(co.stage).toBe('refining');
    const band = rep.comparison.find((c) => c.materialId === 'cobalt')!.geopolrisk!.band!;
    expect(band.p5).toBeLessThanOrEqual(co.score!);
    expect(band.p95).toBeGreaterThanOrEqual(co.score!);
  });

  it('gallium at processing and natural graphite at extraction, from the HS code of their imports', () => {
    expect(rep.geopolrisk.find((r) => r.materialId === 'gallium')!.stage).toBe('refining'); // HS 811292
    expect(rep.geopolrisk.find((r) => r.materialId === 'graphite')!.stage).toBe('mining'); // HS 250410
  });

  it('every material computed stays within [0, HHI] and names UN Comtrade as its source', () => {
    for (const r of rep.geopolrisk) {
      expect(r.score, r.materialId).not.toBeNull();
      for (const s of r.stages) {
        expect(s.score, `${r.materialId} ${s.stage}`).toBeGreaterThanOrEqual(0);
        expect(s.score, `${r.materialId} ${s.stage}`).toBeLessThanOrEqual(s.hhi);
        expect(s.customs!.partners.map((p) => p.countryId)).toEqual(['CHN']); // the excerpt's only partner country
      }
      expect(r.inputs.find((i) => i.input === 'imports by partner f_Ai (customs)' && i.value !== null)!.source.text).toMatch(/UN Comtrade/);
    }
  });
});
