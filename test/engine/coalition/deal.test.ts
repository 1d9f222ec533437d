import { describe, expect, it } from 'vitest';
import { BASIS_CONVERSIONS, CoalitionError, convertBasis, dealImpact } from '../../../src/engine/coalition/index.ts';
import { fixtureIndex } from './fixture.ts';

const ix = fixtureIndex();
const err = (fn: () => unknown): CoalitionError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CoalitionError) return e;
    throw e;
  }
  throw new Error('expected a CoalitionError');
};

describe('basis conversion', () => {
  it('LCE → contained lithium × 0.1878 (cited), the inverse 5.323; anything else refused', () => {
    expect(convertBasis('lithium', 10000, 'lce', 'contained')).toMatchObject({ tonnes: 1878, factor: 0.1878 });
    expect(BASIS_CONVERSIONS.find((c) => c.from === 'lce')!.source).toMatch(/2 × 6\.941 \/ 73\.89.*USGS/);
    expect(convertBasis('lithium', 1, 'contained', 'lce').tonnes).toBeCloseTo(5.323, 12);
    expect(convertBasis('nickel', 5, 'contained', 'contained').tonnes).toBe(5);
    const e = err(() => convertBasis('nickel', 5, 'lce', 'contained'));
    expect(e.field).toBe('basis');
    expect(e.message).toMatch(/no documented conversion factor.*give the capacity in contained tonnes/);
  });
});

describe('dealImpact (hand-computed: lithium refining 2030, CHN 60,000 / CHL 20,000 / ARG 10,000 / OTH 10,000 t; demand 100,000 t)', () => {
  const d = dealImpact(ix, {
    project: { countryId: 'USA', materialId: 'lithium', stage: 'refining', tonnesPerYear: 10000, basis: 'lce' },
    year: 2030,
    members: 'MSP',
  });
  const after = 101878;

  it('adds 10,000 t LCE × 0.1878 = 1,878 t Li to the USA and to the world total', () => {
    expect(d.project.addedTonnes).toBeCloseTo(1878, 9);
    expect(d.project.conversion).toMatchObject({ from: 'lce', to: 'contained', factor: 0.1878 });
    expect(d.before.totalTonnes).toBe(100000);
    expect(d.after.totalTonnes).toBeCloseTo(after, 9);
    expect(d.assumptions.join(' ')).toMatch(/10,000 t lce × 0\.1878 = 1,878 t contained/);
    expect(d.assumptions.join(' ')).toMatch(/not listed separately/);
  });

  it('top supplier share, HHI and coalition share before / after', () => {
    expect(d.before.top).toMatchObject({ countryId: 'CHN', share: 0.6 });
    expect(d.after.top!.share).toBeCloseTo(60000 / after, 12);
    expect(d.change.topShare).toBeLessThan(0);
    expect(d.before.hhi).toBeCloseTo(0.36 + 0.04 + 0.01, 12);
    expect(d.after.hhi).toBeCloseTo((60000 ** 2 + 20000 ** 2 + 10000 ** 2 + 1878 ** 2) / after ** 2, 12);
    expect(d.before.coalitionShare).toBe(0);
    expect(d.after.coalitionShare).toBeCloseTo(1878 / after, 12);
    expect(d.after.countryShare).toBeCloseTo(1878 / after, 12);
  });

  it('N-1 coverage vs world demand (IEA style): without CHN 40% → 41.878%', () => {
    expect(d.demand).toMatchObject({ tonnes: 100000, scenario: 'STEPS' });
    expect(d.before.n1Largest).toMatchObject({ countryId: 'CHN', remainingTonnes: 40000 });
    expect(d.before.n1Largest!.coverageWorldRatio).toBeCloseTo(0.4, 12);
    expect(d.after.n1Largest!.coverageWorldRatio).toBeCloseTo(41878 / 100000, 12);
    expect(d.after.n1Excluded).toMatchObject({ countryId: 'CHN' });
    expect(d.change.coverageWithoutExcluded).toBeCloseTo(0.01878, 12);
    expect(d.sources.map((s) => s.sourceId)).toContain('iea');
    expect(d.gaps.join(' ')).toMatch(/10\.0% of refining supply is not attributed/);
  });

  it('registry projects: basis refused, multi-material asks which, unknown id is not found', () => {
    const li = dealImpact(ix, { project: 'aus-li-refinery', year: 2030, members: 'MSP', exclude: 'CHL' });
    expect(li.project).toMatchObject({ countryId: 'AUS', addedTonnes: 50000 * 0.1878, status: 'construction' });
    expect(li.project.partners[0].partnerId).toBe('JPN');
    expect(li.before.n1Excluded!.coverageWorldRatio).toBeCloseTo(0.8, 12);
    expect(li.project.source!.sourceId).toBe('reg');
    expect(err(() => dealImpact(ix, { project: 'usa-ni-refined', year: 2024 })).field).toBe('basis');
    expect(err(() => dealImpact(ix, { project: 'multi', year: 2024 })).field).toBe('material');
    const ok = dealImpact(ix, { project: 'multi', materialId: 'nickel', year: 2024 });
    expect(ok.after.countryShare).toBeCloseTo(10 / 110, 12);
    expect(ok.demand).toBeNull();
    expect(ok.gaps.join(' ')).toMatch(/No world demand/);
    const nf = err(() => dealImpact(ix, { project: 'nope', year: 2030 }));
    expect(nf.kind).toBe('not_found');
    expect(err(() => dealImpact(ix, { project: { countryId: 'USA', materialId: 'lithium', stage: 'refining', tonnesPerYear: 1 }, year: 1990 })).kind).toBe(
      'not_found',
    );
    expect(err(() => dealImpact(ix, { project: { countryId: 'ZZZ', materialId: 'lithium', stage: 'refining', tonnesPerYear: 1 }, year: 2030 })).field).toBe(
      'country',
    );
  });

  it('no basis given: the series basis is assumed and said so', () => {
    const r = dealImpact(ix, { project: { countryId: 'CHL', materialId: 'lithium', stage: 'refining', tonnesPerYear: 1000 }, year: 2030 });
    expect(r.assumptions[0]).toMatch(/taken to be tonnes of contained/);
    expect(r.after.countryShare).toBeCloseTo(21000 / 101000, 12);
  });
});
