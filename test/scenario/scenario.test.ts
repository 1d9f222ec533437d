import { describe, expect, it } from 'vitest';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import type { GroupingMember, Observation, Source } from '../../src/model/schema.ts';
import { parseScenario, scenarioToYaml, ScenarioError, validateScenario } from '../../src/scenario/load.ts';
import { resolveExclusion, runScenario, scenarioFromFlags, ScenarioRunError } from '../../src/scenario/run.ts';
import { parametersFor } from '../../src/scenario/parameters.ts';

const src: Source = {
  id: 'test-src',
  dataset: 'iea-cm',
  editionYear: 2025,
  publisher: 'Test',
  title: 'T',
  edition: '2025',
  table: null,
  licence: 'x',
  url: null,
  file: null,
  caveat: null,
};
const obs = (materialId: string, stage: Observation['stage'], countryId: string, value: number, extra: Partial<Observation> = {}): Observation => ({
  materialId,
  stage,
  measure: 'production',
  countryId,
  year: 2035,
  value,
  unit: 't',
  basis: 'contained',
  status: 'reported',
  estimated: false,
  scenario: 'base',
  sector: null,
  detail: null,
  note: null,
  sourceId: src.id,
  ...extra,
});
const demand = (sector: string, value: number): Observation =>
  obs('nickel', 'end_use', 'WLD', value, { measure: 'demand', sector, scenario: 'STEPS', detail: 'demand' });
const groupings: GroupingMember[] = ['AAA', 'CCC'].map((countryId) => ({
  groupId: 'MSP',
  groupName: 'Minerals Security Partnership',
  countryId,
  asOf: null,
  sourceId: src.id,
}));

// Hand-sized nickel market: mining AAA 60, BBB 30, OTH 10; refining AAA 20, CCC 40, DDD 20; demand 100 (X 75, Y 25).
const observations: Observation[] = [
  obs('nickel', 'mining', 'AAA', 60),
  obs('nickel', 'mining', 'BBB', 30),
  obs('nickel', 'mining', 'OTH', 10),
  obs('nickel', 'refining', 'AAA', 20),
  obs('nickel', 'refining', 'CCC', 40),
  obs('nickel', 'refining', 'DDD', 20),
  demand('Electric vehicles', 75),
  demand('Other uses', 25),
  demand('Total clean technologies', 75),
  demand('Total', 100),
  obs('gallium', 'refining', 'CHN', 98, { scenario: null, year: 2035 }),
  obs('gallium', 'refining', 'JPN', 2, { scenario: null, year: 2035 }),
  obs('gallium', 'refining', 'JPN', 12, { scenario: null, measure: 'capacity' }),
];
const index = new DatasetIndex({ observations, sources: new Map([[src.id, src]]), governance: [], groupings });

describe('scenario files', () => {
  const yaml = `
version: 1
name: B ore ban
material: nickel
year: 2035
stage: mining
shock:
  exclude: [BBB]
  durationMonths: 6
stockpile: { days: 60 }
parameters:
  demandElasticity: { low: -0.5, central: -0.3, high: -0.1 }
  sources: { demandElasticity: "Test et al. (2024)" }
  domesticConsumptionShare: { BBB: { value: 0.1, source: "test table" } }
`;
  it('parses YAML, fills defaults, round-trips through YAML and JSON', () => {
    const s = parseScenario(yaml, 'x.yaml');
    expect(s.shock).toEqual({ exclude: ['BBB'], mode: 'export_ban', fraction: 1, durationMonths: 6 });
    expect(s.demandScenario).toBe('STEPS');
    expect(parseScenario(scenarioToYaml(s))).toEqual(s);
    expect(parseScenario(JSON.stringify(s))).toEqual(s);
  });
  it('rejects bad files naming the field', () => {
    expect(() => parseScenario(yaml.replace('version: 1', 'version: 2'))).toThrow(/version: unsupported scenario version 2/);
    expect(() => parseScenario(yaml.replace('fraction', 'x').replace('durationMonths: 6', 'durationMonths: -1'))).toThrow(ScenarioError);
    expect(() => parseScenario(yaml.replace('stockpile: { days: 60 }', 'stockpile: { days: 60, tonnes: 5 }'))).toThrow(/stockpile: give only one/);
    expect(() => validateScenario({ version: 1, material: 'nickel', year: 2035, shock: { exclude: [] } })).toThrow(/shock.exclude/);
    expect(() => validateScenario({ version: 1, material: 'nickel', year: 2035, shock: { exclude: ['X'] }, bogus: 1 })).toThrow(ScenarioError);
    expect(() => parseScenario('{ nope')).toThrow(/not valid YAML/);
    expect(() => parseScenario(yaml.replace('source: "test table"', 'source: ""'))).toThrow(/domesticConsumptionShare/);
  });
  it('shorthand flags describe the same scenario', () => {
    const s = scenarioFromFlags({ material: 'graphite', stage: 'refining', year: 2035, exclude: ['CHN'] });
    expect(validateScenario(s)).toEqual(s);
    expect(scenarioFromFlags({ material: 'graphite', year: 2035, n1: true }).shock.exclude).toEqual(['largest']);
    expect(() => scenarioFromFlags({ material: 'graphite', year: 2035 })).toThrow(ScenarioRunError);
  });
});

describe('exclusion sets', () => {
  const supply = {
    stage: 'mining' as const,
    year: 2035,
    unit: 't',
    basis: 'contained' as const,
    scenario: null,
    sourceId: 's',
    totalTonnes: 100,
    gaps: [],
    countries: [
      { countryId: 'AAA', tonnes: 60 },
      { countryId: 'BBB', tonnes: 30 },
      { countryId: 'OTH', tonnes: 10 },
    ],
  };
  const groups = (g: string) => index.groupMembers(g);
  it('ISO3, unions, groupings, non-groupings and largest', () => {
    expect(resolveExclusion(['largest'], supply, groups).countries).toEqual(['AAA']);
    expect(resolveExclusion(['CHN+RUS'], supply, groups).countries).toEqual(['CHN', 'RUS']);
    expect(resolveExclusion(['MSP'], supply, groups).countries).toEqual(['AAA', 'CCC']);
    expect(resolveExclusion(['non-MSP'], supply, groups).countries).toEqual(['BBB']);
    expect(resolveExclusion(['chn', 'AAA'], supply, groups).countries).toEqual(['CHN', 'AAA']);
  });
  it('an unknown or unloaded grouping is an error, not an empty set', () => {
    expect(() => resolveExclusion(['G7'], supply, groups)).toThrow(/neither an ISO3 country code nor a grouping/);
    expect(() => resolveExclusion(['MSP'], supply, () => [])).toThrow(ScenarioRunError);
  });
});

describe('runScenario on a hand-sized market', () => {
  it('ore export ban: coverage, netted coverage, propagation, price, stockpile — all consistent by hand', () => {
    const r = runScenario(
      index,
      parseScenario(`
version: 1
material: nickel
year: 2035
stage: mining
shock: { exclude: [BBB], durationMonths: 6 }
stockpile: { days: 60 }
parameters:
  domesticConsumptionShare: { BBB: { value: 0.1, source: "test table" } }
`),
    );
    expect(r.excluded.map((e) => e.countryId)).toEqual(['BBB']);
    expect(r.demand!.totalTonnes).toBe(100);
    expect(r.demand!.sectors.map((s) => s.sector)).toEqual(['Electric vehicles', 'Other uses']);
    // mining coverage: 70 remaining of 100 demand; netted demand 90
    expect(r.coverage.coverageWorldRatio).toBeCloseTo(0.7, 12);
    expect(r.coverage.coverageNettedRatio).toBeCloseTo(70 / 90, 12);
    // propagation (no flow rules for these ids): k = 0.8; A→A 25 domestic; pool A 35, B 30, OTH 10 → C 50, D 25
    // B sends 30 × 50/75 = 20 to C and 10 to D → refined loss 24
    expect(r.propagation.lostToConsumersTonnes).toBeCloseTo(24, 9);
    expect(r.headline.supplyAfterPropagation.coverageWorldRatio).toBeCloseTo((80 - 24) / 100, 9);
    expect(r.propagation.conservationErrorTonnes).toBeLessThan(1e-9);
    const endUse = r.shortfall.filter((x) => x.stage === 'end_use');
    expect(endUse.reduce((s, x) => s + x.shortfallTonnes, 0)).toBeCloseTo(24, 9);
    expect(r.shortfall.find((x) => x.stage === 'intermediate')!.sector).toMatch(/battery/);
    // price: lost 24/80 = 30%, default spare 5% → φ = 25%
    expect(r.price.netLostShare.central).toBeCloseTo(0.25, 12);
    expect(r.price.priceChangePct.central).toBeCloseTo(Math.pow(0.75, -1 / 0.3) - 1, 9);
    // stockpile: 60 days of the affected (netted) consumption 90 t/yr
    expect(r.stockpile.stockpileTonnes).toBeCloseTo((60 * 90) / 365, 9);
    expect(r.stockpile.stockpileDaysOfConsumption).toBeCloseTo(60, 9);
    expect(r.stockpile.stockpileDaysOfCover).toBeCloseTo((60 * 90) / 365 / (24 / 365), 9);
    expect(r.stockpile.months).toHaveLength(6);
    expect(r.defaulted.map((d) => d.parameter)).toContain('demandElasticity');
    expect(new Set(r.sources.map((s) => s.sourceId))).toEqual(new Set(['test-src']));
  });

  it('headline: supply removed, coverage, shortfall, supply after propagation and price basis, by hand, each saying what it measures', () => {
    const r = runScenario(
      index,
      parseScenario(`
version: 1
material: nickel
year: 2035
stage: mining
shock: { exclude: [BBB] }
stockpile: { days: 60 }
`),
    );
    const h = r.headline;
    // stage reading: BBB mines 30 of 100; 70 left for demand 100
    expect(h.supplyRemoved).toMatchObject({ stage: 'mining', countries: ['BBB'], tonnes: 30, ofTonnes: 100 });
    expect(h.supplyRemoved.share).toBeCloseTo(0.3, 12);
    expect(h.coverage.worldRatio).toBeCloseTo(0.7, 12);
    expect(h.shortfall.tonnes).toBeCloseTo(30, 12);
    expect(h.shortfall.shareOfDemand).toBeCloseTo(0.3, 12);
    // propagated reading: refiners lose 24 of 80 refined (see the test above); price on 30% of refined supply
    expect(h.supplyAfterPropagation).toMatchObject({ stage: 'refining', beforeTonnes: 80 });
    expect(h.supplyAfterPropagation.lostTonnes).toBeCloseTo(24, 9);
    expect(h.supplyAfterPropagation.afterTonnes).toBeCloseTo(56, 9);
    expect(h.supplyAfterPropagation.lostShare).toBeCloseTo(0.3, 9);
    expect(h.priceBasis.lostShare).toBe(h.supplyAfterPropagation.lostShare);
    expect(h.priceBasis.netLostShare.central).toBeCloseTo(0.25, 12);
    expect(h.stockpileCover.lostTonnesPerYear).toBe(h.supplyAfterPropagation.lostTonnes);
    expect(h.stockpileCover.days).toBe(r.stockpile.stockpileDaysOfCover);
    for (const f of [h.supplyRemoved, h.coverage, h.shortfall, h.supplyAfterPropagation, h.priceBasis, h.stockpileCover])
      expect(f.measures.length).toBeGreaterThan(40);
    expect(h.supplyRemoved.measures).toMatch(/mined supply/);
    expect(h.supplyAfterPropagation.measures).toMatch(/refined supply that still reaches consumers/);
    // 30% mined and 30% refined by coincidence of this market: the same number, so no reconciliation is needed
    expect(h.reconciliation).toBeNull();

    // AAA's ore ban: AAA mines 60% but its own refiners keep 25 t of ore, so the price basis is smaller and says why
    const a = runScenario(
      index,
      parseScenario(`
version: 1
material: nickel
year: 2035
stage: mining
shock: { exclude: [AAA] }
`),
    ).headline;
    expect(a.supplyRemoved.share).toBeCloseTo(0.6, 12);
    expect(a.priceBasis.lostShare).toBeLessThan(a.supplyRemoved.share);
    expect(a.reconciliation).toMatch(
      /^The price is computed on \d+\.\d% of refined supply lost after propagation, not on the 60\.0% of mined supply removed: the ban stops AAA's ore going to refiners abroad, but AAA's own refiners keep their ore/,
    );
  });

  it('single-stage material without demand: proxy demand and capacity-based spare capacity are stated', () => {
    const r = runScenario(index, scenarioFromFlags({ material: 'gallium', stage: 'refining', year: 2035, exclude: ['CHN'] }));
    expect(r.demand!.proxy).toBe(true);
    expect(r.coverage.coverageWorldRatio).toBeCloseTo(0.02, 12);
    expect(r.coverage.coverageNettedRatio).toBeNull();
    expect(r.gaps.some((g) => g.includes('CHN') && g.includes('unknown'))).toBe(true);
    expect(r.propagation.upperBound).toBe(true);
    expect(r.price.spareCapacity.fromData).toBe(true);
    expect(r.price.spareCapacity.tonnes).toBe(10);
    expect(r.defaulted.some((d) => d.parameter === 'stockpile')).toBe(true);
    expect(r.assumptions.some((a) => a.includes('Single-stage'))).toBe(true);
  });

  it('a year without data is a clear error', () => {
    expect(() => runScenario(index, scenarioFromFlags({ material: 'nickel', year: 2020, exclude: ['AAA'] }))).toThrow(/years with data: 2035/);
  });

  it('parameters carry sources or default flags', () => {
    const { params, defaulted } = parametersFor('nickel', {
      demandElasticity: { low: -1, central: -0.5, high: -0.1 },
      sources: { demandElasticity: 'X 2020' },
    });
    expect(params.demandElasticity.source.text).toBe('X 2020');
    expect(defaulted).not.toContain('demandElasticity');
    expect(defaulted).toContain('supplyElasticity');
    expect(params.supplyElasticity.source).toMatchObject({ status: 'default', text: 'default — no published value' });
    expect(params.flowRules.map((r) => r.from)).toEqual(['IDN']);
    expect(params.flowRules[0].source.text).toMatch(/Regulation No. 11\/2019/);
  });
});

describe('shipped example scenarios', () => {
  it('every fixture validates', async () => {
    const { readdirSync } = await import('node:fs');
    const { loadScenarioFile } = await import('../../src/scenario/load.ts');
    const { loadRiskScenarioFile } = await import('../../src/scenario/risk-build.ts');
    const dir = new URL('./fixtures/', import.meta.url).pathname;
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThanOrEqual(5);
    // `kind: risk` files are Monte Carlo scenarios (src/scenario/risk-build.ts); the rest are stress scenarios.
    const risk = files.filter((f) => /^risk-/.test(f));
    expect(risk.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect((risk.includes(f) ? loadRiskScenarioFile(dir + f) : loadScenarioFile(dir + f)).version).toBe(1);
  });
});
