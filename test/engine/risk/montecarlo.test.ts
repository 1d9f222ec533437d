import { describe, expect, it } from 'vitest';
import {
  iterateSamples,
  mergeSummaries,
  runMonteCarlo,
  runMonteCarloShard,
  shortfallScenarios,
  RiskInputError,
  type RiskSummary,
} from '../../../src/engine/risk/montecarlo.ts';
import { sketchMean, sketchStd } from '../../../src/engine/risk/sketch.ts';
import { buildNetwork } from '../../../src/engine/stress/network.ts';
import { propagate } from '../../../src/engine/stress/propagate.ts';
import { recoveryTimeline } from '../../../src/engine/stress/stockpile.ts';
import { specOf, stageSupply } from './helpers.ts';

const REFINERS: Array<[string, number]> = [
  ['CHN', 600],
  ['IDN', 250],
  ['AUS', 100],
  ['OTH', 50],
];
const P: Record<string, number> = { CHN: 0.3, IDN: 0.1, AUS: 0.02 };

describe('Monte Carlo over disruptions', () => {
  it('converges to the closed form: independent full controls of known shares → E[loss] = Σ p·tonnes', () => {
    const spec = specOf([{ id: 'x', mining: null, refining: REFINERS }], (c) => P[c] ?? 0, { samples: 40_000 });
    const s = runMonteCarlo(spec, 7);
    const m = s.materials[0];
    const expected = 600 * 0.3 + 250 * 0.1 + 100 * 0.02; // 12-month episodes: one year's tonnes
    const mean = sketchMean(m.lost);
    const se = sketchStd(m.lost) / Math.sqrt(m.lost.count);
    expect(se).toBeGreaterThan(0);
    expect(Math.abs(mean - expected)).toBeLessThan(4 * se);
    // no recovery and no stockpile: the shortfall is the loss
    expect(sketchMean(m.shortfall)).toBeCloseTo(mean, 6);
    // probability that some supplier is hit = 1 − Π(1 − p)
    const pAny = 1 - (1 - 0.3) * (1 - 0.1) * (1 - 0.02);
    const hitShare = (m.lost.count - m.lost.zeros) / m.lost.count;
    expect(Math.abs(hitShare - pAny)).toBeLessThan(4 * Math.sqrt((pAny * (1 - pAny)) / m.lost.count));
    // each country's hit frequency is its probability
    for (const c of ['CHN', 'IDN']) {
      const k = spec.countries.indexOf(c);
      const f = m.countryHits[k] / m.lost.count;
      expect(Math.abs(f - P[c])).toBeLessThan(4 * Math.sqrt((P[c] * (1 - P[c])) / m.lost.count));
    }
  });

  it('same seed ⇒ identical result; another seed ⇒ another sample', () => {
    const spec = specOf([{ id: 'x', mining: null, refining: REFINERS }], (c) => P[c] ?? 0, {
      samples: 3_000,
      severity: { low: 0.2, high: 1 },
      durationMonths: { min: 2, max: 18 },
    });
    expect(runMonteCarlo(spec, 42)).toEqual(runMonteCarlo(spec, 42));
    expect(runMonteCarlo(spec, 43).materials[0].lost.sumQ).not.toBe(runMonteCarlo(spec, 42).materials[0].lost.sumQ);
  });

  it('shards merged in any order and grouping ⇒ identical to the single run', () => {
    const spec = specOf(
      [
        {
          id: 'x',
          mining: [
            ['AUS', 500],
            ['CHN', 300],
            ['OTH', 200],
          ],
          refining: REFINERS,
        },
        {
          id: 'y',
          mining: null,
          refining: [
            ['CHN', 90],
            ['USA', 10],
          ],
        },
      ],
      (c, m) => (m === 'y' ? 0.2 : (P[c] ?? 0.05)),
      { samples: 5_003, correlation: 0.6, severity: { low: 0.3, high: 1 }, durationMonths: { min: 3, max: 24 }, basket: { id: 't', name: 'test' } },
    );
    const single = runMonteCarlo(spec, 11);
    for (const shardCount of [1, 4, 9]) {
      const parts: RiskSummary[] = [];
      for (let i = 0; i < shardCount; i++) parts.push(runMonteCarloShard(spec, { seed: 11, shardIndex: i, shardCount }));
      expect(mergeSummaries([...parts].reverse())).toEqual(single);
      if (shardCount === 9) {
        const left = mergeSummaries([parts[3], parts[0], parts[7], parts[1]]);
        const right = mergeSummaries([parts[8], parts[2], parts[6], parts[4], parts[5]]);
        expect(mergeSummaries([right, left])).toEqual(single);
        expect(() => mergeSummaries([left, parts[0]])).toThrow(/two summaries/);
      }
    }
    expect(() => mergeSummaries([single, runMonteCarlo(spec, 12)])).toThrow(/different runs/);
  });

  it('correlation: a country’s controls on two materials come together as ρ → 1', () => {
    const mats = [
      {
        id: 'a',
        mining: null,
        refining: [
          ['CHN', 100],
          ['OTH', 10],
        ] as Array<[string, number]>,
      },
      {
        id: 'b',
        mining: null,
        refining: [
          ['CHN', 100],
          ['OTH', 10],
        ] as Array<[string, number]>,
      },
    ];
    const joint = (rho: number) => {
      const spec = specOf(mats, () => 0.2, { samples: 20_000, correlation: rho });
      let both = 0;
      for (const s of iterateSamples(spec, 5)) if (s.materials[0].lostTonnes > 0 && s.materials[1].lostTonnes > 0) both++;
      return both / spec.samples;
    };
    expect(joint(1)).toBeCloseTo(0.2, 1);
    expect(Math.abs(joint(0) - 0.04)).toBeLessThan(0.01);
  });

  it('a mining control propagates as propagate() says: the operator reproduces the stress engine', () => {
    const mining: Array<[string, number]> = [
      ['IDN', 700],
      ['PHL', 200],
      ['OTH', 100],
    ];
    const refining: Array<[string, number]> = [
      ['IDN', 300],
      ['CHN', 400],
      ['FIN', 50],
      ['OTH', 50],
    ];
    for (const [stage, country] of [
      ['mining', 'IDN'],
      ['refining', 'CHN'],
      ['mining', 'PHL'],
    ] as const) {
      const spec = specOf([{ id: 'ni', mining, refining }], (c, _m, st) => (c === country && st === stage ? 1 : 0), { samples: 1 });
      const draw = [...iterateSamples(spec, 1)][0].materials[0];
      const net = buildNetwork('ni', 2024, stageSupply('mining', mining), stageSupply('refining', refining));
      const prop = propagate(net, { stage, countries: [country], fraction: 1, mode: 'export_ban' }, { sectors: [], demandTonnes: 1000 });
      expect(draw.lostTonnes).toBeCloseTo(prop.lostToConsumersTonnes, 6);
      expect(draw.withheldOreTonnes).toBeCloseTo(prop.withheldOreTonnes, 6);
    }
  });

  it('the month-by-month recovery equals the stress engine’s recoveryTimeline', () => {
    const inputs = { spareCapacityShare: 0.05, spareLeadMonths: 3, rampUpSharePerYear: 0.1, stockpileTonnes: 40 };
    const spec = specOf([{ id: 'x', mining: null, refining: REFINERS, inputs }], (c) => (c === 'CHN' ? 1 : 0), {
      samples: 1,
      durationMonths: { min: 9, max: 9 },
    });
    const d = [...iterateSamples(spec, 3)][0].materials[0];
    const rec = recoveryTimeline({
      lostTonnesPerYear: 600,
      holderShare: 1,
      holderConsumptionTonnesPerYear: 1000,
      stockpileTonnes: 40,
      durationMonths: 9,
      spareCapacityTonnesPerYear: 0.05 * 1000,
      spareLeadMonths: 3,
      othersSupplyTonnesPerYear: 400,
      rampUpSharePerYear: 0.1,
    });
    expect(d.lostTonnes).toBeCloseTo(rec.totalLostTonnes, 9);
    expect(d.shortfallTonnes).toBeCloseTo(rec.totalUnmetTonnes, 9);
    expect(d.gapTonnes).toBeCloseTo(rec.totalUnmetTonnes + rec.totalDrawdownTonnes, 9);
  });

  it('scenario set for the optimiser: weights sum to 1, quiet samples pooled, gaps per material', () => {
    const spec = specOf(
      [
        { id: 'a', mining: null, refining: REFINERS },
        {
          id: 'b',
          mining: null,
          refining: [
            ['CHN', 50],
            ['USA', 50],
          ],
        },
      ],
      (c) => P[c] ?? 0.05,
      { samples: 2_000 },
    );
    const set = shortfallScenarios(spec, 9);
    expect(set.materials).toEqual(['a', 'b']);
    expect(set.scenarios.reduce((a, s) => a + s.weight, 0)).toBeCloseTo(1, 12);
    expect(set.scenarios[0].shortfallTonnes).toEqual([0, 0]);
    expect(set.scenarios.slice(1).every((s) => s.shortfallTonnes.some((x) => x > 0) && s.durationDays > 0)).toBe(true);
    const meanA = set.scenarios.reduce((a, s) => a + s.weight * s.shortfallTonnes[0], 0);
    expect(meanA).toBeCloseTo(sketchMean(runMonteCarlo(spec, 9).materials[0].gap), 2);
  });

  it('bad input gives a clear error', () => {
    const spec = specOf([{ id: 'x', mining: null, refining: REFINERS }], () => 0.1);
    expect(() => runMonteCarlo({ ...spec, samples: 0 }, 1)).toThrow(RiskInputError);
    expect(() => runMonteCarlo({ ...spec, samples: 0 }, 1)).toThrow(/samples must be a whole number ≥ 1/);
    expect(() => runMonteCarlo({ ...spec, materials: [], units: [] }, 1)).toThrow(/no material/);
    expect(() => runMonteCarlo(spec, -1)).toThrow(/seed/);
    expect(() => runMonteCarloShard(spec, { seed: 1, shardIndex: 3, shardCount: 3 })).toThrow(/shardIndex/);
    expect(() => runMonteCarlo({ ...spec, severity: { low: 0.9, high: 0.1 } }, 1)).toThrow(/severity/);
  });
});
