import { noteCitation } from '../../../src/model/provenance.ts';
import { describe, expect, it } from 'vitest';
import { buildNetwork, oreDependence, type StageSupply } from '../../../src/engine/stress/network.ts';
import { propagate } from '../../../src/engine/stress/propagate.ts';

const stage = (st: 'mining' | 'refining', countries: Array<[string, number]>): StageSupply => ({
  stage: st,
  year: 2030,
  unit: 't',
  basis: 'contained',
  scenario: null,
  sourceId: 'test',
  countries: countries.map(([countryId, tonnes]) => ({ countryId, tonnes })),
  totalTonnes: countries.reduce((s, [, t]) => s + t, 0),
  gaps: [],
});
const flowOf = (net: ReturnType<typeof buildNetwork>, from: string, to: string) => net.flows.find((f) => f.from === from && f.to === to)?.oreTonnes ?? 0;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('supply network allocation (domestic first, dedicated routes, pro-rata pool)', () => {
  // Mining A 60, B 30, OTH 10 (100 t); refining A 20, C 40, D 20 (80 t) → k = 0.8, requirements A 25, C 50, D 25.
  const mining = stage('mining', [
    ['AAA', 60],
    ['BBB', 30],
    ['OTH', 10],
  ]);
  const refining = stage('refining', [
    ['AAA', 20],
    ['CCC', 40],
    ['DDD', 20],
  ]);
  const rule = { materialId: 'x', from: 'BBB', to: ['DDD'], note: 'B ore to D', source: noteCitation('test') };
  const net = buildNetwork('x', 2030, mining, refining, [rule]);

  it('computes the yield factor and requirements', () => {
    expect(net.yieldRefinedPerMined).toBeCloseTo(0.8, 12);
    expect(net.requirementOreTonnes).toEqual({ AAA: 25, CCC: 50, DDD: 25 });
  });

  it('allocates by hand: A→A 25 domestic, B→D 25 dedicated, pool of 50 (A 35, B 5, OTH 10) all to C', () => {
    expect(flowOf(net, 'AAA', 'AAA')).toBeCloseTo(25, 9);
    expect(flowOf(net, 'BBB', 'DDD')).toBeCloseTo(25, 9);
    expect(flowOf(net, 'AAA', 'CCC')).toBeCloseTo(35, 9);
    expect(flowOf(net, 'BBB', 'CCC')).toBeCloseTo(5, 9);
    expect(flowOf(net, 'OTH', 'CCC')).toBeCloseTo(10, 9);
    expect(net.flows).toHaveLength(5);
    expect(net.rulesApplied).toEqual([rule]);
    expect(net.assumptions.some((a) => a.includes('B ore to D'))).toBe(true);
  });

  it('conserves tonnes: every mined tonne has a buyer, every refiner gets exactly its requirement', () => {
    expect(sum(net.flows.map((f) => f.oreTonnes))).toBeCloseTo(100, 9);
    for (const m of mining.countries) expect(sum(net.flows.filter((f) => f.from === m.countryId).map((f) => f.oreTonnes))).toBeCloseTo(m.tonnes, 9);
    for (const [r, q] of Object.entries(net.requirementOreTonnes)) expect(sum(net.flows.filter((f) => f.to === r).map((f) => f.oreTonnes))).toBeCloseTo(q, 9);
    expect(oreDependence(net, 'CCC')[0]).toEqual({ from: 'AAA', oreTonnes: 35, share: 0.7 });
  });

  it('pure pro rata without rules or domestic overlap', () => {
    const n = buildNetwork(
      'x',
      2030,
      stage('mining', [
        ['AAA', 75],
        ['BBB', 25],
      ]),
      stage('refining', [
        ['CCC', 30],
        ['DDD', 10],
      ]),
    );
    // k = 0.4; C needs 75, D 25; flows = supply × need / pool
    expect(flowOf(n, 'AAA', 'CCC')).toBeCloseTo(56.25, 9);
    expect(flowOf(n, 'BBB', 'DDD')).toBeCloseTo(6.25, 9);
    expect(sum(n.flows.map((f) => f.oreTonnes))).toBeCloseTo(100, 9);
  });

  it('is single-stage when one stage is missing', () => {
    const n = buildNetwork('x', 2030, null, refining);
    expect(n.flows).toEqual([]);
    expect(n.yieldRefinedPerMined).toBeNull();
  });
});

describe('propagation', () => {
  const net = buildNetwork(
    'x',
    2030,
    stage('mining', [
      ['AAA', 60],
      ['BBB', 30],
      ['OTH', 10],
    ]),
    stage('refining', [
      ['AAA', 20],
      ['CCC', 40],
      ['DDD', 20],
    ]),
    [{ materialId: 'x', from: 'BBB', to: ['DDD'], note: 'B ore to D', source: noteCitation('test') }],
  );
  const sectors = [
    { sector: 'X', tonnes: 75 },
    { sector: 'Y', tonnes: 25 },
  ];

  it('ore export ban: refiners abroad lose k × the ore they no longer get; sectors lose pro rata; conservation holds', () => {
    const p = propagate(
      net,
      { stage: 'mining', countries: ['BBB'], fraction: 1, mode: 'export_ban' },
      { sectors, demandTonnes: 100, intermediateOf: { X: 'cells' } },
    );
    // B→D 25 and B→C 5 stop: D loses 25 × 0.8 = 20 (all of it), C loses 4.
    const row = (st: string, id: string) => p.rows.find((r) => r.stage === st && (r.countryId === id || r.sector === id))!;
    expect(p.withheldOreTonnes).toBeCloseTo(30, 9);
    expect(row('refining', 'DDD').shortfallTonnes).toBeCloseTo(20, 9);
    expect(row('refining', 'DDD').shortfallPct).toBeCloseTo(1, 9);
    expect(row('refining', 'CCC').shortfallTonnes).toBeCloseTo(4, 9);
    expect(row('refining', 'AAA').shortfallTonnes).toBe(0);
    expect(row('mining', 'BBB').shortfallTonnes).toBeCloseTo(30, 9);
    expect(p.lostToConsumersTonnes).toBeCloseTo(24, 9);
    // end uses: 80 t refined before, X 75% / Y 25% → X 60 → loses 18, Y 20 → loses 6 (30% each)
    expect(row('end_use', 'X').beforeTonnes).toBeCloseTo(60, 9);
    expect(row('end_use', 'X').shortfallTonnes).toBeCloseTo(18, 9);
    expect(row('end_use', 'Y').shortfallTonnes).toBeCloseTo(6, 9);
    expect(row('end_use', 'Y').shortfallPct).toBeCloseTo(0.3, 9);
    expect(row('intermediate', 'cells').shortfallTonnes).toBeCloseTo(18, 9);
    expect(p.conservationErrorTonnes).toBeLessThan(1e-9);
    // stage totals: refined lost = k × ore withheld; Σ sectors = refined lost
    const refinedLost = sum(p.rows.filter((r) => r.stage === 'refining').map((r) => r.shortfallTonnes));
    expect(refinedLost).toBeCloseTo(0.8 * p.withheldOreTonnes, 9);
    expect(sum(p.rows.filter((r) => r.stage === 'end_use').map((r) => r.shortfallTonnes))).toBeCloseTo(refinedLost, 9);
  });

  it("ore outage also cuts the country's own refiners; a half shock halves everything", () => {
    const full = propagate(net, { stage: 'mining', countries: ['AAA'], fraction: 1, mode: 'outage' }, { sectors, demandTonnes: 100 });
    // A's 60 t: A→A 25 and A→C 35 lost → A refining −20, C −28
    expect(full.lostToConsumersTonnes).toBeCloseTo(48, 9);
    const half = propagate(net, { stage: 'mining', countries: ['AAA'], fraction: 0.5, mode: 'outage' }, { sectors, demandTonnes: 100 });
    expect(half.lostToConsumersTonnes).toBeCloseTo(24, 9);
    const ban = propagate(net, { stage: 'mining', countries: ['AAA'], fraction: 1, mode: 'export_ban' }, { sectors, demandTonnes: 100 });
    expect(ban.lostToConsumersTonnes).toBeCloseTo(28, 9);
  });

  it("refining export ban nets the country's own use when known, else counts all output (upper bound)", () => {
    const known = propagate(
      net,
      { stage: 'refining', countries: ['CCC'], fraction: 1, mode: 'export_ban' },
      { sectors, demandTonnes: 100, consumptionShares: { CCC: { countryId: 'CCC', share: 0.15, source: noteCitation('test') } } },
    );
    expect(known.lostToConsumersTonnes).toBeCloseTo(40 - 15, 9);
    expect(known.upperBound).toBe(false);
    const unknown = propagate(net, { stage: 'refining', countries: ['CCC'], fraction: 1, mode: 'export_ban' }, { sectors, demandTonnes: 100 });
    expect(unknown.lostToConsumersTonnes).toBeCloseTo(40, 9);
    expect(unknown.upperBound).toBe(true);
    const outage = propagate(net, { stage: 'refining', countries: ['CCC', 'DDD'], fraction: 1, mode: 'outage' }, { sectors: [], demandTonnes: 100 });
    expect(outage.lostToConsumersTonnes).toBeCloseTo(60, 9);
    expect(outage.rows.find((r) => r.stage === 'end_use')!.sector).toBe('All uses');
    // mining rows are shown unchanged for a refining shock
    expect(sum(outage.rows.filter((r) => r.stage === 'mining').map((r) => r.shortfallTonnes))).toBe(0);
  });
});
