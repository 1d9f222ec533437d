import { noteCitation } from '../../../src/model/provenance.ts';
import { describe, expect, it } from 'vitest';
import { buildNetwork, networkFlows, oreDependence, type StageSupply, type SupplyNetwork } from '../../../src/engine/stress/network.ts';
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
const flowOf = (net: ReturnType<typeof buildNetwork>, from: string, to: string) =>
  networkFlows(net).find((f) => f.from === from && f.to === to)?.oreTonnes ?? 0;
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
    expect(networkFlows(net)).toHaveLength(5);
    // Routed flows are listed; the pool is one node (A 35, B 5, OTH 10 in; C draws 50).
    expect(net.routedFlows).toHaveLength(2);
    expect(net.pool).toEqual({ supplyOreTonnes: { AAA: 35, BBB: 5, OTH: 10 }, drawOreTonnes: { CCC: 50 }, totalDrawOreTonnes: 50 });
    expect(net.rulesApplied).toEqual([rule]);
    expect(net.assumptions.some((a) => a.includes('B ore to D'))).toBe(true);
  });

  it('conserves tonnes: every mined tonne has a buyer, every refiner gets exactly its requirement', () => {
    expect(sum(networkFlows(net).map((f) => f.oreTonnes))).toBeCloseTo(100, 9);
    for (const m of mining.countries)
      expect(
        sum(
          networkFlows(net)
            .filter((f) => f.from === m.countryId)
            .map((f) => f.oreTonnes),
        ),
      ).toBeCloseTo(m.tonnes, 9);
    for (const [r, q] of Object.entries(net.requirementOreTonnes))
      expect(
        sum(
          networkFlows(net)
            .filter((f) => f.to === r)
            .map((f) => f.oreTonnes),
        ),
      ).toBeCloseTo(q, 9);
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
    expect(sum(networkFlows(n).map((f) => f.oreTonnes))).toBeCloseTo(100, 9);
  });

  it('is single-stage when one stage is missing', () => {
    const n = buildNetwork('x', 2030, null, refining);
    expect(networkFlows(n)).toEqual([]);
    expect(n.pool).toBeNull();
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

describe('the pool as one node gives the pairwise answer', () => {
  // Reference: the mining-shock loss computed flow by flow over every miner → refiner pair (what propagate did when the
  // network listed the pool's n × n flows).
  const pairwise = (net: SupplyNetwork, S: Set<string>, f: number, mode: 'export_ban' | 'outage') => {
    const from = new Map<string, number>();
    const to = new Map<string, number>();
    for (const fl of networkFlows(net)) {
      if (!S.has(fl.from) || (mode === 'export_ban' && S.has(fl.to))) continue;
      from.set(fl.from, (from.get(fl.from) ?? 0) + f * fl.oreTonnes);
      to.set(fl.to, (to.get(fl.to) ?? 0) + f * fl.oreTonnes);
    }
    return { from, to };
  };
  // A small seeded generator (mulberry32), so a failure reproduces.
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('matches the pair flows on 200 random networks (shared countries, dedicated routes, export bans and outages)', () => {
    const r = rng(13);
    const ids = Array.from({ length: 12 }, (_, i) => `C${String(i).padStart(2, '0')}`);
    for (let trial = 0; trial < 200; trial++) {
      const pick = () => ids.filter(() => r() < 0.6);
      const m = pick().map((c) => [c, 1 + 100 * r()] as [string, number]);
      const ref = pick().map((c) => [c, 1 + 80 * r()] as [string, number]);
      if (!m.length || !ref.length) continue;
      if (r() < 0.3) m.push(['OTH', 10 * r()]);
      const rules = r() < 0.5 ? [{ materialId: 'x', from: m[0][0], to: ref.slice(0, 2).map(([c]) => c), note: 'route', source: noteCitation('test') }] : [];
      const net = buildNetwork('x', 2030, stage('mining', m), stage('refining', ref), rules);
      const shocked = new Set(m.filter(() => r() < 0.4).map(([c]) => c));
      if (!shocked.size) shocked.add(m[0][0]);
      const f = r() < 0.5 ? 1 : r();
      for (const mode of ['export_ban', 'outage'] as const) {
        const p = propagate(net, { stage: 'mining', countries: [...shocked], fraction: f, mode }, { sectors: [], demandTonnes: null });
        const want = pairwise(net, shocked, f, mode);
        const k = net.yieldRefinedPerMined!;
        for (const row of p.rows) {
          const expected =
            row.stage === 'mining' ? (want.from.get(row.countryId!) ?? 0) : row.stage === 'refining' ? (want.to.get(row.countryId!) ?? 0) * k : null;
          if (expected !== null) expect(row.shortfallTonnes, `trial ${trial} ${mode} ${row.stage} ${row.countryId}`).toBeCloseTo(expected, 9);
        }
        expect(p.withheldOreTonnes).toBeCloseTo(sum([...want.from.values()]), 9);
        expect(p.conservationErrorTonnes).toBeLessThan(1e-9);
      }
      // Conservation of the listed pairs, and each refiner's dependence from the pool node equals the pairs'.
      expect(sum(networkFlows(net).map((x) => x.oreTonnes))).toBeCloseTo(sum(m.map(([, t]) => t)), 9);
      for (const [c] of ref) {
        const pairs = networkFlows(net).filter((x) => x.to === c);
        const dep = oreDependence(net, c);
        expect(sum(dep.map((d) => d.oreTonnes))).toBeCloseTo(sum(pairs.map((x) => x.oreTonnes)), 9);
        for (const x of pairs) expect(dep.find((d) => d.from === x.from)!.oreTonnes).toBeCloseTo(x.oreTonnes, 9);
      }
    }
  });
});
