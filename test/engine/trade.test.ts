import { describe, expect, it } from 'vitest';
import { allocateLossToImporters, exportDestinations } from '../../src/engine/trade.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { runScenario, scenarioFromFlags } from '../../src/scenario/run.ts';
import type { Observation, Source, TradeFlow } from '../../src/model/schema.ts';
import { bundledIndex } from './bundled-index.ts';

const src = (id: string): Source => ({
  id,
  dataset: id,
  editionYear: 2024,
  publisher: 'Test',
  title: 'T',
  edition: 'E',
  table: null,
  licence: 'test',
  url: null,
  file: null,
  caveat: null,
});
const flow = (partnerId: string, year: number, month: number | null, kg: number, sourceId = 'trade', hsCode = '811292'): TradeFlow => ({
  reporterId: 'CHN',
  partnerId,
  flow: 'export',
  materialId: 'gallium',
  hsCode,
  year,
  month,
  quantityKg: kg,
  valueUsd: kg * 300,
  productScope: 'HS 811292: also germanium',
  sourceId,
});
const sources = new Map([
  ['trade', src('trade')],
  ['other', src('other')],
]);

describe('exports by destination', () => {
  const flows = [
    flow('JPN', 2023, 1, 30),
    flow('JPN', 2023, 2, 30),
    flow('DEU', 2023, 1, 20),
    flow('USA', 2023, 5, 20),
    flow('JPN', 2022, null, 1000),
    flow('WLD', 2023, null, 120),
    flow('KOR', 2023, 3, 5, 'other'),
  ];
  it('sums months and HS codes per partner for the latest year ≤ the asked year, by hand', () => {
    const d = exportDestinations(flows, sources, 'CHN', 'gallium', 2035)!;
    expect(d.year).toBe(2023);
    expect(d.source.id).toBe('trade'); // more destinations than "other"
    expect(d.months).toBe(12); // the annual World row counts as a full year
    expect(d.namedTotalKg).toBe(100);
    expect(d.worldTotalKg).toBe(120);
    expect(d.destinations.map((x) => [x.partnerId, x.share])).toEqual([
      ['JPN', 0.6],
      ['DEU', 0.2],
      ['USA', 0.2],
    ]);
    expect(exportDestinations(flows, sources, 'CHN', 'gallium', 2022)!.destinations).toEqual([expect.objectContaining({ partnerId: 'JPN', share: 1 })]);
  });
  it('counts the months of monthly data and returns null without data', () => {
    const d = exportDestinations(
      flows.filter((f) => f.partnerId !== 'WLD'),
      sources,
      'CHN',
      'gallium',
      2023,
    )!;
    expect(d.months).toBe(3); // months 1, 2 and 5 in the source used
    expect(exportDestinations(flows, sources, 'RUS', 'gallium')).toBeNull();
    expect(exportDestinations(flows, sources, 'CHN', 'cobalt')).toBeNull();
  });
  it('allocates a loss pro rata and conserves it', () => {
    const d = exportDestinations(flows, sources, 'CHN', 'gallium')!;
    const loss = allocateLossToImporters(d, 750);
    expect(loss.map((x) => x.lostTonnes)).toEqual([450, 150, 150]);
    expect(loss.reduce((a, x) => a + x.lostTonnes, 0)).toBeCloseTo(750, 9);
  });
});

describe('stress test with customs data: who loses the exporter supply', () => {
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
  const usgs = { ...src('usgs'), dataset: 'usgs-mcs' };
  const index = new DatasetIndex({
    observations: [obs('CHN', 750), obs('JPN', 10), obs('WLD', 760)],
    sources: new Map([
      ['usgs', usgs],
      ['trade', src('trade')],
    ]),
    governance: [],
    groupings: [],
    tradeFlows: [flow('JPN', 2023, 1, 60), flow('DEU', 2023, 1, 20), flow('USA', 2023, 1, 20)],
  });
  // Before issue 14 part 5 this pinned 750 t (China's whole lost output) spread over its destinations. Importers
  // share the lost EXPORTS (output − own use); with China's own use unknown, the 750 t is kept only as a stated upper bound.
  it("without China's own use, allocates its lost 750 t output as an upper bound and says so", () => {
    const r = runScenario(index, scenarioFromFlags({ material: 'gallium', stage: 'refining', year: 2024, exclude: ['CHN'] }));
    expect(r.importerExposure).toHaveLength(1);
    const e = r.importerExposure[0];
    expect(e.allocation).toBe('upper_bound');
    expect(e.ownUseTonnes).toBeNull();
    expect(e.lostTonnes).toBeCloseTo(750, 9);
    expect(e.importers.map((x) => [x.countryId, Math.round(x.lostTonnes)])).toEqual([
      ['JPN', 450],
      ['DEU', 150],
      ['USA', 150],
    ]);
    expect(r.sources.some((s) => s.sourceId === 'trade')).toBe(true);
    expect(r.assumptions.join(' ')).toMatch(/pro rata to their share of its 2023 exports/);
    expect(r.gaps.join(' ')).toMatch(/Own use of CHN unknown: importers' losses are an upper bound/);
  });
  it("spreads China's lost exports (output − own use), not its output, when its own use is known", () => {
    const base = scenarioFromFlags({ material: 'gallium', stage: 'refining', year: 2024, exclude: ['CHN'] });
    const own = { value: 0.5, source: 'test: half of world demand' };
    const r = runScenario(index, { ...base, parameters: { domesticConsumptionShare: { CHN: own } } });
    const e = r.importerExposure[0];
    // demand = world production 760 t (proxy); own use 0.5 × 760 = 380 t stays in China; 750 − 380 = 370 t is exported
    expect(e.allocation).toBe('exports');
    expect(e.lostOutputTonnes).toBeCloseTo(750, 9);
    expect(e.ownUseTonnes).toBeCloseTo(380, 9);
    expect(e.lostTonnes).toBeCloseTo(370, 9);
    expect(e.importers.map((x) => [x.countryId, x.lostTonnes])).toEqual([
      ['JPN', expect.closeTo(222, 9)],
      ['DEU', expect.closeTo(74, 9)],
      ['USA', expect.closeTo(74, 9)],
    ]);
    expect(e.importers.reduce((a, x) => a + x.lostTonnes, 0)).toBeCloseTo(370, 9);
    expect(r.assumptions.join(' ')).toMatch(/lost exports, not its lost output: 750 t lost output − 380 t own use/);
    // half the flows stopped: half the output lost, half the own use netted (0.5 × (750 − 380) = 185 t)
    const half = runScenario(index, { ...base, shock: { ...base.shock, fraction: 0.5 }, parameters: { domesticConsumptionShare: { CHN: own } } });
    expect(half.importerExposure[0].lostTonnes).toBeCloseTo(185, 9);
    // an outage takes China's whole output (750 t at the stage) but importers lose only its exports: the 380 t of own
    // use is lost by China's own consumers (the old allocation gave importers all 750 t)
    const outage = runScenario(index, { ...base, shock: { ...base.shock, mode: 'outage' }, parameters: { domesticConsumptionShare: { CHN: own } } });
    const o = outage.importerExposure[0];
    expect(outage.shortfall.find((x) => x.stage === 'refining' && x.countryId === 'CHN')!.shortfallTonnes).toBeCloseTo(750, 9);
    expect([o.allocation, o.lostOutputTonnes, o.ownUseTonnes, o.lostTonnes]).toEqual(['exports', 750, expect.closeTo(380, 9), expect.closeTo(370, 9)]);
    expect(o.importers.reduce((a, x) => a + x.lostTonnes, 0)).toBeCloseTo(370, 9);
  });
  it('uses the trade year asked for (before an export control), and says when it falls back to an earlier one', () => {
    const withYears = new DatasetIndex({ ...index.data, tradeFlows: [...index.data.tradeFlows!, flow('KOR', 2022, 1, 100)] });
    const base = scenarioFromFlags({ material: 'gallium', stage: 'refining', year: 2024, exclude: ['CHN'] });
    const r2022 = runScenario(withYears, { ...base, tradeYear: 2022 });
    expect(r2022.importerExposure[0].tradeYear).toBe(2022);
    expect(r2022.importerExposure[0].importers).toEqual([expect.objectContaining({ countryId: 'KOR', lostTonnes: 750 })]);
    const r2020 = runScenario(withYears, { ...base, tradeYear: 2020 });
    expect(r2020.importerExposure[0].tradeYear).toBe(2022); // nothing ≤ 2020: the earliest year there is
    expect(r2020.assumptions.join(' ')).toMatch(/for 2020; the nearest year with data \(2022\)/);
    expect(runScenario(withYears, { ...base, tradeYear: 2023 }).assumptions.join(' ')).not.toMatch(/nearest year with data/);
  });

  it('says so when no customs data is loaded', () => {
    const bare = new DatasetIndex({ ...index.data, tradeFlows: [] });
    const r = runScenario(bare, scenarioFromFlags({ material: 'gallium', stage: 'refining', year: 2024, exclude: ['CHN'] }));
    expect(r.importerExposure).toEqual([]);
    expect(r.gaps.join(' ')).toMatch(/No exports-by-destination data for CHN/);
  });
});

describe('China gallium export ban on the bundled dataset (no customs data is bundled)', () => {
  it("takes China's 750 t from USGS MCS 2025 and states that who loses it is unknown", async () => {
    const r = runScenario(await bundledIndex(), scenarioFromFlags({ material: 'gallium', stage: 'refining', year: 2024, exclude: ['CHN'] }));
    expect(r.excluded[0]).toMatchObject({ countryId: 'CHN' });
    expect(r.sources[0].sourceId).toBe('usgs-mcs-2025-world');
    expect(r.coverage.supplyTonnes - r.coverage.remainingTonnes).toBeCloseTo(750, 9);
    // customs extracts are not redistributable, so a fresh clone has none: a stated gap, never a guessed allocation
    expect(r.importerExposure).toEqual([]);
    expect(r.gaps.join(' ')).toMatch(/No exports-by-destination data for CHN/);
  });
});
