import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetIndex } from '../../src/engine/dataset.ts';
import { bundledIndex } from '../engine/bundled-index.ts';
import { buildRiskSpec, validateRiskScenario, RiskScenarioError } from '../../src/scenario/risk-build.ts';
import { compareRisk, runRiskScenario } from '../../src/scenario/risk-run.ts';
import { iterateSamples, runMonteCarlo, RiskInputError } from '../../src/engine/risk/montecarlo.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { validateScenario } from '../../src/scenario/load.ts';
import { RiskPool } from '../../src/api/workers/risk-pool.ts';

let index: DatasetIndex;
beforeAll(async () => {
  index = await bundledIndex();
}, 120_000);

const risk = (o: Record<string, unknown>) => validateRiskScenario({ version: 1, kind: 'risk', ...o });

describe('risk scenarios on the bundled dataset', () => {
  it('bad input gives a clear error naming the field', () => {
    expect(() => buildRiskSpec(index, risk({ materials: ['cobolt'] }))).toThrow(/unknown material "cobolt". Did you mean: cobalt/);
    expect(() => buildRiskSpec(index, risk({ basket: 'toaster' }))).toThrow(/unknown basket "toaster"; baskets: battery, magnet, defence/);
    const field = (o: Record<string, unknown>) => {
      try {
        risk(o);
      } catch (e) {
        return [(e as RiskScenarioError).field, (e as Error).message];
      }
      return null;
    };
    expect(field({ materials: ['gallium'], samples: 0 })).toEqual(['samples', 'samples: samples must be at least 1']);
    expect(field({ materials: ['gallium'], samples: 5_000_000 })?.[0]).toBe('samples');
    expect(field({ materials: ['gallium'], samples: 2.5 })?.[1]).toMatch(/whole number/);
    expect(field({ materials: ['gallium'], basket: 'battery' })?.[1]).toMatch(/either materials or basket/);
    expect(field({})?.[1]).toMatch(/either materials or basket/);
    expect(field({ materials: ['gallium'], severity: { low: 0.9, high: 0.2 } })?.[0]).toBe('severity');
    expect(field({ materials: ['gallium'], likelihood: { overrides: [{ country: 'CHN', annualProbability: 0.5 }] } })?.[0]).toBe(
      'likelihood.overrides.0.source',
    );
    expect(field({ version: 2, kind: 'risk', materials: ['gallium'] })?.[0]).toBe('version');
    expect(() => buildRiskSpec(index, risk({ materials: ['titanium'] }))).toThrow(RiskInputError);
  });

  it('a recycling ramp-up (a stress-test parameter) is said not to apply in the Monte Carlo, not listed as defaulted', () => {
    const plain = buildRiskSpec(index, risk({ materials: ['cobalt'] }));
    expect(plain.defaulted.map((d) => d.parameter)).not.toContain('cobalt.recyclingRampSharePerYear');
    expect(plain.gaps.join(' ')).not.toMatch(/recyclingRampSharePerYear/);
    const given = buildRiskSpec(index, risk({ materials: ['cobalt'], parameters: { recyclingRampSharePerYear: { low: 0.1, central: 0.2, high: 0.3 } } }));
    expect(given.gaps).toContain(
      "Cobalt: parameters.recyclingRampSharePerYear is applied in stress tests only; the Monte Carlo's recovery does not model recycling",
    );
  });

  it('likelihoods: evidence from the registry, prior from the pools, a range around the posterior, overrides', () => {
    const built = buildRiskSpec(index, risk({ materials: ['gallium'] }));
    const chn = built.likelihood.rows.find((r) => r.countryId === 'CHN' && r.stage === 'refining')!;
    expect(chn.evidence.measureIds.sort()).toEqual(['chn-dual-use-ban-usa-2024', 'chn-gallium-germanium-2023']);
    expect(chn.tier).toBe('major');
    expect(chn.posterior.low).toBeLessThan(chn.posterior.probability);
    expect(chn.posterior.probability).toBeLessThan(chn.posterior.high);
    // posterior predictive of the Gamma–Poisson model, from the reported prior and evidence
    const w = built.likelihood.params.priorWeightYears;
    const T = chn.evidence.windowYears;
    const a = chn.prior.ratePerYear * w + chn.evidence.events;
    expect(chn.posterior.probability).toBeCloseTo(1 - Math.pow((w + T) / (w + T + 1), a), 12);
    // evidence raises China above its prior; a country with no recorded control falls below its own prior
    expect(chn.posterior.probability).toBeGreaterThan(chn.prior.probability);
    const jpn = built.likelihood.rows.find((r) => r.countryId === 'JPN')!;
    expect(jpn.evidence.events).toBe(0);
    expect(jpn.posterior.probability).toBeLessThan(jpn.prior.probability);
    // pools count every supplier unit of the knowledge base
    expect(built.likelihood.pools.reduce((s, p) => s + p.units, 0)).toBeGreaterThan(500);
    // the range ends and an override
    const hi = buildRiskSpec(index, risk({ materials: ['gallium'], likelihood: { use: 'high' } }));
    expect(hi.spec.units.find((u) => u.countryId === 'CHN')!.probability).toBeCloseTo(chn.posterior.high, 12);
    const ov = buildRiskSpec(
      index,
      risk({ materials: ['gallium'], likelihood: { overrides: [{ country: 'CHN', material: 'gallium', annualProbability: 0.5, source: 'test' }] } }),
    );
    const row = ov.likelihood.rows.find((r) => r.countryId === 'CHN')!;
    expect([row.probability, row.basis, row.source]).toEqual([0.5, 'override', 'test']);
  });

  it('on real data the Monte Carlo operator loses what the stress test loses', () => {
    for (const [material, country, stage] of [
      ['gallium', 'CHN', 'refining'],
      ['nickel', 'IDN', 'mining'],
      ['cobalt', 'COD', 'mining'],
      ['graphite', 'CHN', 'refining'],
    ] as const) {
      const built = buildRiskSpec(
        index,
        risk({
          materials: [material],
          samples: 1,
          severity: { low: 1, high: 1 },
          durationMonths: { min: 12, max: 12 },
          likelihood: {
            overrides: [
              { country, material, stage, annualProbability: 1, source: 'test' },
              ...built0(material)
                .filter((c) => c !== country)
                .map((c) => ({ country: c, annualProbability: 0, source: 'test' })),
            ],
          },
        }),
      );
      // only the chosen unit can be hit
      for (const u of built.spec.units)
        expect(u.probability).toBe(u.countryId === country && u.stage === stage ? 1 : u.countryId === country ? u.probability : 0);
      const spec = { ...built.spec, units: built.spec.units.map((u) => (u.countryId === country && u.stage !== stage ? { ...u, probability: 0 } : u)) };
      const draw = [...iterateSamples(spec, 1)][0].materials[0];
      const stress = runScenario(index, validateScenario({ version: 1, material, year: built.materials[0].year, stage, shock: { exclude: [country] } }));
      expect(draw.lostTonnes).toBeCloseTo(stress.propagation.lostToConsumersTonnes, 3);
    }
  });

  it('a basket run: distributions per material and the Leontief basket; a stockpile lowers the shortfall (compare)', () => {
    const base = runRiskScenario(index, risk({ name: 'baseline', basket: 'battery', samples: 4000, seed: 3 }));
    const policy = runRiskScenario(index, risk({ name: 'policy', basket: 'battery', samples: 4000, seed: 3, stockpile: { days: 90 } }));
    expect(base.materials.map((m) => m.materialId)).toEqual(['graphite', 'nickel', 'copper', 'manganese', 'cobalt', 'lithium']);
    for (const m of base.materials) {
      expect(m.shortfallTonnes.cvar95).toBeGreaterThanOrEqual(m.shortfallTonnes.p95 - 1e-9);
      expect(m.shortfallTonnes.mean).toBeLessThanOrEqual(m.gapTonnes.mean + 1e-9);
      expect(m.gapTonnes.mean).toBeLessThanOrEqual(m.lostTonnes.mean + 1e-9);
    }
    const worst = Math.max(...base.materials.map((m) => m.shortfallTonnes.probabilityPositive));
    expect(base.basket!.shortfallShare.probabilityPositive).toBeGreaterThanOrEqual(worst);
    const c = compareRisk([base, policy]);
    expect(c.scenarios.map((s) => s.name)).toEqual(['baseline', 'policy']);
    const row = c.rows.find((r) => r.materialId === 'cobalt' && r.metric === 'expected shortfall')!;
    expect(row.deltas[0]).toBe(0);
    expect(row.values[1]).toBeLessThan(row.values[0]);
    // same seed, same draws: the stockpile cannot raise any material's chance of a shortfall
    for (const r of c.rows.filter((x) => x.metric === 'P(shortfall > 0)')) expect(r.values[1]).toBeLessThanOrEqual(r.values[0]);
    expect(() => compareRisk([base])).toThrow(/at least two/);
  }, 120_000);

  it('the worker pool gives exactly the single-thread result', async () => {
    const built = buildRiskSpec(index, risk({ basket: 'magnet', samples: 3001, seed: 5 }));
    const pool = new RiskPool(2);
    try {
      const a = await pool.run(built.spec, 5, { shards: 7 });
      expect(a).toEqual(runMonteCarlo(built.spec, 5));
      await expect(pool.run({ ...built.spec, samples: 0 }, 5)).rejects.toThrow(/samples must be a whole number/);
    } finally {
      await pool.close();
    }
  }, 120_000);
});

/** Named suppliers of a material's units (any stage), for switching all but one off. */
function built0(material: string): string[] {
  const b = buildRiskSpec(index, risk({ materials: [material], samples: 1 }));
  return [...new Set(b.spec.units.map((u) => u.countryId))];
}
