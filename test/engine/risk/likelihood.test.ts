import { describe, expect, it } from 'vitest';
import { gammaP, gammaQuantile, likelihoods, LIKELIHOOD_DEFAULTS, eventsFor } from '../../../src/engine/risk/likelihood.ts';
import type { TradeMeasure } from '../../../src/model/registry.ts';

const measure = (o: Partial<TradeMeasure>): TradeMeasure =>
  ({
    id: 'm',
    title: 't',
    countryId: 'AAA',
    direction: 'export',
    measureType: 'licence',
    materials: ['gallium'],
    stages: ['refining'],
    hsCodes: [],
    targets: [],
    announced: null,
    effective: '2020-01-01',
    suspended: null,
    ended: null,
    summary: '',
    url: null,
    sourceId: 's',
    ...o,
  }) as TradeMeasure;

describe('likelihood model', () => {
  it('Gamma functions match closed forms', () => {
    expect(gammaQuantile(1, 0.95)).toBeCloseTo(-Math.log(0.05), 6); // exponential
    expect(gammaP(2, 3)).toBeCloseTo(1 - 4 * Math.exp(-3), 10); // Erlang(2)
    expect(gammaP(0.5, 2)).toBeCloseTo(0.9544997361, 8); // erf(√2)
    expect(gammaQuantile(3, 0.5)).toBeCloseTo(2.674060313, 6);
  });

  it('counts export events of the counted types, window and stage; never-applied ones only on request', () => {
    const ms = [
      measure({ id: 'a' }),
      measure({ id: 'tax', measureType: 'tax' }),
      measure({ id: 'import', direction: 'import' }),
      measure({ id: 'old', effective: '2005' }),
      measure({ id: 'mine', stages: ['mining'] }),
      measure({ id: 'never', effective: '2025-11-08', suspended: '2025-11-07' }),
      measure({ id: 'other', materials: ['cobalt'] }),
    ];
    const u = { countryId: 'AAA', materialId: 'gallium', stage: 'refining' as const };
    expect(eventsFor(ms, u, LIKELIHOOD_DEFAULTS).map((m) => m.id)).toEqual(['a']);
    expect(eventsFor(ms, u, { ...LIKELIHOOD_DEFAULTS, includeNeverApplied: true }).map((m) => m.id)).toEqual(['a', 'never']);
  });

  it('pooled rate, governance scaling and the Gamma–Poisson posterior', () => {
    const universe = [
      { countryId: 'AAA', materialId: 'gallium', stage: 'refining' as const, share: 0.9 },
      { countryId: 'BBB', materialId: 'cobalt', stage: 'refining' as const, share: 0.5 },
      { countryId: 'CCC', materialId: 'gallium', stage: 'refining' as const, share: 0.05 },
    ];
    const wgi = new Map([
      ['AAA', 6],
      ['BBB', 2],
    ]);
    const p = { ...LIKELIHOOD_DEFAULTS, windowStartYear: 2011, windowEndYear: 2020 };
    const r = likelihoods([measure({ id: 'a' })], wgi, universe, universe, p);
    const major = r.pools.find((x) => x.stage === 'refining' && x.tier === 'major')!;
    expect(major).toMatchObject({ units: 2, events: 1, unitYears: 20, meanWgiScaled: 4 });
    expect(major.ratePerYear).toBeCloseTo(1.5 / 20, 12);
    const a = r.rows[0];
    expect(a.prior.governanceFactor).toBeCloseTo(1.5, 12);
    expect(a.prior.ratePerYear).toBeCloseTo((1.5 / 20) * 1.5, 12);
    const shape = a.prior.ratePerYear * 10 + 1;
    expect(a.posterior.ratePerYear).toBeCloseTo(shape / 20, 12);
    expect(a.posterior.probability).toBeCloseTo(1 - Math.pow(20 / 21, shape), 12);
    expect(r.rows[2].tier).toBe('minor');
    expect(r.notes.join(' ')).toMatch(/No WGI for CCC/);
  });
});
