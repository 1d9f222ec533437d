/**
 * Own use by country (src/engine/demand/own-use.ts) and the netted N-1 (netted-n1.ts) on a small hand-computable
 * index: allocation sums, ranges, the USGS apparent-consumption path with its basis check, refusals and gaps.
 */
import { describe, expect, it } from 'vitest';
import { DatasetIndex } from '../../../src/engine/dataset.ts';
import type { Observation, Source, TradeFlow } from '../../../src/model/schema.ts';
import { contentFactor } from '../../../src/data/hs-content.ts';
import { basisMismatch, ownUse, parseOwnUseTable } from '../../../src/engine/demand/own-use.ts';
import { nettedN1 } from '../../../src/engine/demand/netted-n1.ts';
import { consumptionTable } from '../../../src/engine/demand/table.ts';
import { worldDemand } from '../../../src/engine/stress/inputs.ts';
import table from '../../../src/data/demand-own-use-2024.json' with { type: 'json' };

const source = (id: string, dataset: string, publisher: string): Source => ({
  id,
  dataset,
  editionYear: 2025,
  publisher,
  title: publisher,
  edition: '2025',
  table: 't',
  licence: 'test',
  url: `https://example.org/${id}`,
  file: null,
  caveat: null,
});
const o = (p: Partial<Observation> & Pick<Observation, 'materialId' | 'stage' | 'countryId' | 'year' | 'value'>): Observation => ({
  measure: 'demand',
  unit: 't',
  basis: 'contained',
  status: 'reported',
  estimated: false,
  scenario: null,
  sector: null,
  detail: 'demand',
  note: null,
  sourceId: 'iea',
  ...p,
});
const demand = (materialId: string, year: number, scenario: string | null, sectors: Record<string, number>, detail = 'demand') =>
  Object.entries(sectors).map(([sector, value]) => o({ materialId, stage: 'end_use', countryId: 'WLD', year, value, sector, scenario, detail }));

const index = new DatasetIndex({
  observations: [
    // cobalt: EVs 100 t, other uses 100 t in 2035 (STEPS); 2024: total 100 t
    ...demand('cobalt', 2035, 'STEPS', { 'Electric vehicles': 100, 'Other uses': 100, Total: 200 }),
    ...demand('cobalt', 2024, null, { 'Electric vehicles': 40, 'Other uses': 60, Total: 100 }),
    o({
      materialId: 'cobalt',
      stage: 'end_use',
      measure: 'consumption',
      countryId: 'USA',
      year: 2024,
      value: 20,
      basis: 'unspecified',
      detail: 'Consump_Apparent_t',
      sourceId: 'usgs',
    }),
    o({
      materialId: 'cobalt',
      stage: 'refining',
      measure: 'production',
      countryId: 'CHN',
      year: 2035,
      value: 150,
      scenario: 'base',
      detail: 'refining supply',
    }),
    o({ materialId: 'cobalt', stage: 'refining', measure: 'production', countryId: 'FIN', year: 2035, value: 50, scenario: 'base', detail: 'refining supply' }),
    o({
      materialId: 'cobalt',
      stage: 'refining',
      measure: 'production',
      countryId: 'WLD',
      year: 2035,
      value: 200,
      scenario: 'base',
      detail: 'refining supply',
    }),
    // graphite: total demand (all uses) and the battery-grade series
    ...demand('graphite', 2035, 'STEPS', { 'Electric vehicles': 500, 'Other uses': 500, Total: 1000 }),
    ...demand('graphite', 2035, 'STEPS', { 'Electric vehicles': 300, 'Grid battery storage': 100 }, 'demand; battery-grade graphite only'),
    ...demand('graphite', 2024, null, { 'Electric vehicles': 200, 'Other uses': 300, Total: 500 }),
    o({
      materialId: 'graphite',
      stage: 'end_use',
      measure: 'consumption',
      countryId: 'USA',
      year: 2024,
      value: 50,
      basis: 'unspecified',
      detail: 'Consump_t',
      sourceId: 'usgs',
    }),
  ],
  sources: new Map([source('iea', 'iea-cm', 'International Energy Agency'), source('usgs', 'usgs-mcs', 'U.S. Geological Survey')].map((s) => [s.id, s])),
  governance: [],
  groupings: [],
});
const at = (m: string, scope?: string) => (y: number) => worldDemand(index, m, y, 'STEPS', scope);

describe('own use: allocation from our sourced table', () => {
  it('China cobalt 2035 = (59% of EVs + 48.9% of other uses) / total, with the range from each key', () => {
    const d = worldDemand(index, 'cobalt', 2035, 'STEPS')!;
    const r = ownUse(index, 'cobalt', 'CHN', 2035, d, at('cobalt'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.method).toBe('allocation');
    expect(r.value.share).toBeCloseTo((0.59 * 100 + 0.489 * 100) / 200, 12);
    expect(r.value.low).toBeCloseTo((0.5 * 100 + 0.4 * 100) / 200, 12);
    expect(r.value.high).toBeCloseTo((0.77 * 100 + 0.7 * 100) / 200, 12);
    expect(r.value.tonnes).toBeCloseTo(r.value.share * 200, 9);
    expect(r.value.sources.map((s) => s.id).sort()).toEqual(['iea-gevo-2025-ev-battery-demand', 'ri-2016-china-cobalt-consumption']);
    expect(r.value.estimate).toBe(true);
  });

  it('a country whose keys cover only some sectors is a gap, never a partial sum', () => {
    // The EU27's keys cover EV and grid batteries; total graphite demand also has other uses (no EU key).
    const d = worldDemand(index, 'graphite', 2035, 'STEPS')!;
    expect(d.sectors.map((s) => s.sector)).toContain('Other uses');
    const r = ownUse(index, 'graphite', 'EU27', 2035, d, at('graphite'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.gap.reason).toMatch(/no allocation key for EU27's use of graphite in Other uses.*partial sum is not used/);
  });

  it('battery-grade keys are not applied to total graphite demand; they are to the battery-grade series', () => {
    const total = worldDemand(index, 'graphite', 2035, 'STEPS')!;
    const r = ownUse(index, 'graphite', 'CHN', 2035, total, at('graphite'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.gap.reason).toMatch(/battery-grade basis not applied to contained demand/);
    const bg = worldDemand(index, 'graphite', 2035, 'STEPS', 'battery-grade')!;
    const ok = ownUse(index, 'graphite', 'CHN', 2035, bg, at('graphite', 'battery-grade'));
    expect(ok.ok && ok.value.share).toBeCloseTo(0.59, 12);
  });
});

describe('own use: published apparent consumption', () => {
  it('USGS U.S. cobalt apparent consumption 2024 ÷ world demand 2024, carried to 2035 as an estimate', () => {
    const d = worldDemand(index, 'cobalt', 2035, 'STEPS')!;
    const r = ownUse(index, 'cobalt', 'USA', 2035, d, at('cobalt'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.method).toBe('apparent-consumption');
    expect(r.value.share).toBeCloseTo(20 / 100, 12);
    expect(r.value.tonnes).toBeCloseTo(0.2 * 200, 9);
    expect(r.value.estimate).toBe(true);
    expect(r.value.sourceText).toMatch(/U.S. Geological Survey.*2024.*carried to 2035/);
  });

  it('USGS natural graphite (gross weight) is not compared with contained or battery-grade demand', () => {
    const d = worldDemand(index, 'graphite', 2035, 'STEPS')!;
    const r = ownUse(index, 'graphite', 'USA', 2035, d, at('graphite'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.gap.reason).toMatch(/gross weight.*not compared without a stated conversion/);
  });
});

describe('own use: apparent consumption from customs', () => {
  // Finland refines 10 t of cobalt (2024); declares 12 t of cobalt oxides in from the DRC, 2 t out to Sweden (world demand 100 t)
  const flow = (f: 'import' | 'export', partnerId: string, tonnes: number, hsCode = '282200'): TradeFlow => ({
    reporterId: 'FIN',
    partnerId,
    flow: f,
    materialId: 'cobalt',
    hsCode,
    year: 2024,
    month: null,
    quantityKg: tonnes * 1000,
    valueUsd: null,
    productScope: null,
    sourceId: 'customs',
  });
  const withFlows = (tradeFlows: TradeFlow[]) =>
    new DatasetIndex({
      ...index.data,
      observations: [
        ...index.data.observations,
        ...[
          ['FIN', 10],
          ['CHN', 80],
          ['WLD', 100],
        ].map(([countryId, value]) =>
          o({
            materialId: 'cobalt',
            stage: 'refining',
            measure: 'production',
            countryId: countryId as string,
            year: 2024,
            value: value as number,
            sourceId: 'usgs',
            detail: 'refinery',
          }),
        ),
      ],
      sources: new Map([...index.data.sources, ['customs', source('customs', 'un-comtrade', 'UN Comtrade')]]),
      tradeFlows,
    });
  const ask = (idx: DatasetIndex) =>
    ownUse(idx, 'cobalt', 'FIN', 2035, worldDemand(idx, 'cobalt', 2035, 'STEPS')!, (y) => worldDemand(idx, 'cobalt', y, 'STEPS'));

  it('production + imports − exports, oxide tonnes converted to contained cobalt, ÷ world demand of the customs year', () => {
    const r = ask(withFlows([flow('import', 'COD', 12), flow('export', 'SWE', 2)]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const f = contentFactor('282200', 'cobalt', 'contained').factor!;
    expect(r.value.method).toBe('apparent-consumption');
    // (10 + 12 f − 2 f) / 100, at the factor's central value and at its ends
    expect(r.value.share).toBeCloseTo((10 + 10 * f.central) / 100, 12);
    expect(r.value.low).toBeCloseTo((10 + 10 * f.low) / 100, 12);
    expect(r.value.high).toBeCloseTo((10 + 10 * f.high) / 100, 12);
    expect(r.value.tonnes).toBeCloseTo(r.value.share * 200, 9);
    expect(r.value.sourceText).toMatch(
      /FIN refining-stage apparent consumption 2024 = production 10 t \+ imports 9 t − exports 1 t .* = 17 t ÷ International Energy Agency world demand 2024; share carried to 2035/,
    );
    expect(r.value.sources.map((s) => s.id)).toEqual(['customs', 'usgs', 'ciaaw-2021']);
    expect(r.value.estimate).toBe(true);
    expect(r.value.notes.join(' ')).toMatch(/material inside imported intermediate and finished goods is not counted/);
    // the consumption table lists every country whose own declarations are loaded, beside the curated holders
    const idx = withFlows([flow('import', 'COD', 12), flow('export', 'SWE', 2)]);
    const rows = consumptionTable(idx, { materials: ['cobalt'], year: 2035 });
    expect(rows.find((x) => x.countryId === 'FIN')).toMatchObject({ method: 'apparent-consumption', share: r.value.share, gap: null });
    expect(rows.map((x) => x.countryId)).toEqual(expect.arrayContaining(['CHN', 'JPN', 'USA', 'FIN']));
    expect(consumptionTable(withFlows([]), { materials: ['cobalt'], year: 2035 }).map((x) => x.countryId)).not.toContain('FIN');
    // customs that give no figure (an intermediate without a factor): not listed by default, the gap when asked for
    const noFigure = withFlows([flow('import', 'COD', 30, '810520')]);
    expect(consumptionTable(noFigure, { materials: ['cobalt'], year: 2035 }).map((x) => x.countryId)).not.toContain('FIN');
    expect(consumptionTable(noFigure, { materials: ['cobalt'], year: 2035, countries: ['FIN'] })[0].gap).toMatch(/HS 810520/);
  });

  it('an intermediate of unstated grade (HS 810520) is a named gap; mirror data alone is not used', () => {
    const r = ask(withFlows([flow('import', 'COD', 12), flow('import', 'COD', 30, '810520'), flow('export', 'SWE', 2)]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.gap.reason).toMatch(/^apparent consumption from customs: .*HS 810520: no stated conversion from product weight to contained/);
    // where an allocation key exists, it is used and says why customs were not (Japan holds keys for cobalt)
    const jpn = ownUse(
      withFlows([{ ...flow('import', 'COD', 30, '810520'), reporterId: 'JPN' }]),
      'cobalt',
      'JPN',
      2035,
      worldDemand(index, 'cobalt', 2035, 'STEPS')!,
      at('cobalt'),
    );
    expect(jpn.ok && jpn.value.method).toBe('allocation');
    expect(jpn.ok && jpn.value.notes.join(' ')).toMatch(/apparent consumption from customs: .*HS 810520.*; the allocation is used instead/);
    const mirror: TradeFlow = { ...flow('export', 'FIN', 12), reporterId: 'COD' };
    const m = ask(withFlows([mirror]));
    expect(!m.ok && m.gap.reason).not.toMatch(/customs/);
  });
});

describe('netted N-1', () => {
  it('R′ / (D (1 − d)) with the range; the removed country’s own use shown', () => {
    const d = worldDemand(index, 'cobalt', 2035, 'STEPS')!;
    const n = nettedN1(index, {
      materialId: 'cobalt',
      stage: 'refining',
      year: 2035,
      dataset: 'iea-cm',
      basis: 'contained',
      remainingTonnes: 50,
      removed: ['CHN'],
      demandScenario: 'STEPS',
      demand: d,
    });
    const share = (0.59 * 100 + 0.489 * 100) / 200;
    expect(n.coverageNettedRatio).toBeCloseTo(50 / (200 * (1 - share)), 12);
    expect(n.coverageNettedRange!.low).toBeCloseTo(50 / (200 * (1 - 0.45)), 12);
    expect(n.coverageNettedRange!.high).toBeCloseTo(50 / (200 * (1 - 0.735)), 12);
    expect(n.ownUse[0].countryId).toBe('CHN');
  });

  it('graphite: battery-grade refined supply is compared with battery-grade demand, and it says so', () => {
    const total = worldDemand(index, 'graphite', 2035, 'STEPS')!;
    const n = nettedN1(index, {
      materialId: 'graphite',
      stage: 'refining',
      year: 2035,
      dataset: 'iea-cm',
      basis: 'contained',
      remainingTonnes: 100,
      removed: ['CHN'],
      demandScenario: 'STEPS',
      demand: total,
    });
    expect(n.demandTonnes).toBe(400);
    expect(n.basisNote).toMatch(/battery-grade supply compared with the .*battery-grade.* demand series/);
    expect(n.coverageNettedRatio).toBeCloseTo(100 / (400 * 0.41), 12);
  });

  it('different bases without a stated conversion are refused', () => {
    expect(basisMismatch('graphite', 'battery-grade', 'contained')).toMatch(/not compared without a stated conversion/);
    expect(basisMismatch('copper', 'refined', 'contained')).toBeNull(); // stated conversion
    expect(basisMismatch('nickel', 'refined', 'contained')).toMatch(/not compared/);
  });
});

describe('our curated table is validated when loaded', () => {
  const clone = () => JSON.parse(JSON.stringify(table));
  it('the bundled table parses; every sourced row names a key with a value for its country', () => {
    expect(() => parseOwnUseTable(table)).not.toThrow();
  });
  it("the named economies' central shares of one sector's demand add to at most 100% (the EU27 counted once)", async () => {
    const { bundledIndex } = await import('../bundled-index.ts');
    const { eu27Members } = await import('../../../src/engine/coalition/share.ts');
    const members = new Set(eu27Members(await bundledIndex()).members);
    const { keys, rows } = parseOwnUseTable(table);
    const sums = new Map<string, { total: number; who: string[] }>();
    for (const r of rows) {
      for (const sector of r.sectors) {
        const cell = `${r.materialId} ${r.basis} ${sector}`;
        // An EU member is inside the EU27 figure where the table has one for the same sector.
        const euRow = rows.some((x) => x.countryId === 'EU27' && x.materialId === r.materialId && x.basis === r.basis && x.sectors.includes(sector));
        if (euRow && members.has(r.countryId)) continue;
        const central = r.central ?? keys.get(r.key!)!.values[r.countryId];
        const s = sums.get(cell) ?? { total: 0, who: [] };
        s.total += central;
        s.who.push(`${r.countryId} ${central}`);
        sums.set(cell, s);
      }
    }
    expect(sums.size).toBeGreaterThan(10);
    for (const [cell, s] of sums) expect(s.total, `${cell}: ${s.who.join(' + ')}`).toBeLessThanOrEqual(1 + 1e-9);
  });
  it('a share above 1, an unknown key or a row with both key and central is refused, naming the field', () => {
    const a = clone();
    a.keys[0].values.CHN = 59;
    expect(() => parseOwnUseTable(a)).toThrow(/demand-own-use-2024.json: keys.0.values.CHN: /);
    const b = clone();
    b.rows[0].key = 'no-such-key';
    expect(() => parseOwnUseTable(b)).toThrow(/rows.0: unknown key "no-such-key"/);
    const c = clone();
    c.rows[0].central = 0.5;
    expect(() => parseOwnUseTable(c)).toThrow(/rows.0: a row has a key or an assumed central value/);
    const e = clone();
    e.rows[0].basis = 'tonnes';
    expect(() => parseOwnUseTable(e)).toThrow(/rows.0.basis/);
  });
});
