import { describe, expect, it } from 'vitest';
import {
  concentration,
  concentrationChange,
  DEFAULT_HHI_NORMALISATION,
  hhiNormalisationNote,
  normalisedHhi,
  normalisedHhiFor,
  hhiPoints,
} from '../../src/engine/concentration.ts';

const e = (countryId: string, value: number | null, status: 'reported' | 'withheld' | 'not_available' | 'lower_bound' = 'reported') => ({
  countryId,
  value,
  status,
});

describe('concentration', () => {
  it('computes shares of the published world total, HHI, top-k and China share by hand', () => {
    // 100 t world: A 50, B 30, CHN 10, other countries 10
    const c = concentration([e('AAA', 50), e('BBB', 30), e('CHN', 10), e('OTH', 10), e('WLD', 100)])!;
    expect(c.totalBasis).toBe('world_total');
    expect(c.shares.map((s) => [s.countryId, s.share])).toEqual([
      ['AAA', 0.5],
      ['BBB', 0.3],
      ['CHN', 0.1],
    ]);
    expect(c.hhi).toBeCloseTo(0.25 + 0.09 + 0.01, 12);
    expect(c.hhiUpper).toBeCloseTo(0.35 + 0.01, 12); // residual 10% as one supplier
    expect(c.top1Share).toBeCloseTo(0.5);
    expect(c.top3Share).toBeCloseTo(0.9);
    expect(c.top5Share).toBeCloseTo(0.9);
    expect(c.chinaShare).toBeCloseTo(0.1);
    expect(c.unallocatedShare).toBeCloseTo(0.1);
    expect(c.largest?.countryId).toBe('AAA');
    expect(hhiPoints(c.hhi)).toBe(3500);
  });

  it('never ranks or squares aggregates, and falls back to the sum of entries without a usable world total', () => {
    const c = concentration([e('AAA', 60), e('OTH', 40), e('X-USA+CAN', 0)])!;
    expect(c.totalBasis).toBe('sum_of_entries');
    expect(c.shares).toHaveLength(1);
    expect(c.hhi).toBeCloseTo(0.36);
  });

  it('uses the sum of entries when the published world total is smaller (e.g. world total excludes one country)', () => {
    const c = concentration([e('AAA', 60), e('BBB', 60), e('WLD', 100)])!;
    expect(c.totalBasis).toBe('sum_of_entries');
    expect(c.top1Share).toBeCloseTo(0.5);
  });

  it('reports withheld and missing values as gaps, never as zero, and China as unknown when China is a gap', () => {
    const c = concentration([e('AAA', 80), e('USA', null, 'withheld'), e('CHN', null, 'not_available'), e('WLD', 100)])!;
    expect(c.gaps).toEqual([
      { countryId: 'USA', status: 'withheld' },
      { countryId: 'CHN', status: 'not_available' },
    ]);
    expect(c.chinaShare).toBeNull();
    expect(c.unallocatedShare).toBeCloseTo(0.2);
  });

  it('keeps bounds flagged', () => {
    const c = concentration([e('AAA', 10, 'lower_bound'), e('BBB', 10)])!;
    expect(c.shares.find((s) => s.countryId === 'AAA')?.bound).toBe('lower');
  });

  it('returns null when neither the world total nor the rest of the world is known (only one country listed)', () => {
    // USGS dimension stone: United States 2,300 kt, Other countries NA, World total NA
    expect(concentration([e('USA', 2300), e('OTH', null, 'not_available'), e('WLD', null, 'not_available')])).toBeNull();
    // with the rest of the world known, the sum of entries is the world
    expect(concentration([e('USA', 2300), e('OTH', 700), e('WLD', null, 'not_available')])!.shares[0].share).toBeCloseTo(2300 / 3000, 12);
  });

  it('China not listed: share 0 only when the listed countries make up the total, unknown when a residual could hold it', () => {
    expect(concentration([e('COD', 75), e('IDN', 25), e('WLD', 100)])!.chinaShare).toBe(0);
    // USGS MCS2025 cobalt: China is not listed and "Other countries" holds 4,100 t of 290,000 t
    expect(concentration([e('COD', 220_000), e('IDN', 28_000), e('OTH', 4_100), e('WLD', 290_000)])!.chinaShare).toBeNull();
  });

  it('returns null when there is no positive supply', () => {
    expect(concentration([e('AAA', 0), e('WLD', 0)])).toBeNull();
    expect(concentration([])).toBeNull();
  });

  it('normalised HHI is 0 for equal suppliers and 1 for a monopoly', () => {
    expect(normalisedHhi(0.25, 4)).toBeCloseTo(0);
    expect(normalisedHhi(1, 1)).toBe(1);
    expect(normalisedHhi(0.5, 2)).toBeCloseTo(0);
    expect(normalisedHhi(0.625, 2)).toBeCloseTo(0.25);
  });

  it('offers two named normalisations: N = producers (default) and a fixed N = 10', () => {
    // two producers 75/25: HHI 0.625; N = 2 → (0.625 − 0.5)/0.5 = 0.25; N = 10 → (0.625 − 0.1)/0.9 = 0.5833
    const c = concentration([e('AAA', 75), e('BBB', 25)])!;
    expect(c.hhiNormalised).toBeCloseTo(0.25, 10);
    expect(c.hhiNormalisedFixed10).toBeCloseTo(0.525 / 0.9, 10);
    expect(normalisedHhiFor(c, 'producers')).toBe(c.hhiNormalised);
    expect(normalisedHhiFor(c, 'fixed-10')).toBe(c.hhiNormalisedFixed10);
    expect(DEFAULT_HHI_NORMALISATION).toBe('producers');
    // twenty equal producers: HHI 0.05 < 1/10 → clamped to 0 under N = 10, and 0 under N = 20 too
    const flat = concentration(Array.from({ length: 20 }, (_, i) => e(`A${String.fromCharCode(65 + i)}X`, 5)))!;
    expect(flat.hhi).toBeCloseTo(0.05, 10);
    expect(flat.hhiNormalisedFixed10).toBe(0);
    // a monopoly is 1 under both
    const mono = concentration([e('AAA', 10)])!;
    expect([mono.hhiNormalised, mono.hhiNormalisedFixed10]).toEqual([1, 1]);
    expect(hhiNormalisationNote('fixed-10')).toContain('N = 10');
  });

  it('computes change between years country by country', () => {
    const a = concentration([e('AAA', 50), e('BBB', 50)])!;
    const b = concentration([e('AAA', 75), e('CCC', 25)])!;
    const d = concentrationChange(a, 2020, b, 2024);
    expect(d.hhiChange).toBeCloseTo(0.625 - 0.5);
    expect(d.shareChanges.find((s) => s.countryId === 'BBB')).toEqual({ countryId: 'BBB', from: 0.5, to: 0, change: -0.5 });
  });
});
