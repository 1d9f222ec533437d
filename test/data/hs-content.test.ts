/**
 * Content factors of traded products (src/data/hs-content.ts): the stoichiometric ones against the conversions the field
 * publishes, and the lookup's refusals.
 */
import { describe, expect, it } from 'vitest';
import { HS_CONTENT, LI_IN_LI2CO3, contentFactor } from '../../src/data/hs-content.ts';

describe('HS content factors', () => {
  it('lithium: 1 t Li = 5.323 t LCE (the USGS and industry factor); 1 t LiOH·H2O = 0.880 t LCE', () => {
    expect(1 / LI_IN_LI2CO3).toBeCloseTo(5.323, 3);
    const lce = contentFactor('282520', 'lithium', 'lce');
    expect(lce.factor!.central).toBeCloseTo(0.88, 3);
    // The upper bound is anhydrous LiOH (28.98 % Li)
    expect(contentFactor('28252000', 'lithium', 'contained').factor!.high).toBeCloseTo(0.2898, 4);
  });

  it('germanium dioxide counts as the germanium it holds, against contained or refined germanium (69.4 %)', () => {
    for (const basis of ['contained', 'refined'] as const) expect(contentFactor('28256000', 'germanium', basis).factor!.central).toBeCloseTo(0.6942, 4);
  });

  it('cobalt oxides span Co(OH)2 to CoO, centred on Co3O4 (73.4 % Co)', () => {
    const c = contentFactor('282200', 'cobalt', 'contained').factor!;
    expect([c.low, c.central, c.high].map((x) => Number(x.toFixed(3)))).toEqual([0.634, 0.734, 0.786]);
  });

  it('refined copper by the HS note: 99.85 % central, 97.5 % to 100 %; every subheading of refined copper matches', () => {
    for (const code of ['740311', '740312', '74031900']) {
      const c = contentFactor(code, 'copper', 'contained');
      expect(c.factor).toMatchObject({ low: 0.975, central: 0.9985, high: 1, method: 'definition' });
      expect(c.rule).toMatch(new RegExp(`^HS ${code} ×`));
    }
  });

  it('refuses ores, intermediates, alloys, another basis and another material, naming the code', () => {
    for (const [code, material] of [
      ['260500', 'cobalt'],
      ['810520', 'cobalt'],
      ['740321', 'copper'],
      ['260300', 'copper'],
    ])
      expect(contentFactor(code, material, 'contained')).toMatchObject({ factor: null, rule: expect.stringContaining(`HS ${code}: no stated conversion`) });
    expect(contentFactor('283691', 'lithium', 'oxide').factor).toBeNull();
    expect(contentFactor('283691', 'sodium', 'contained').factor).toBeNull();
  });

  it('every factor is a range low ≤ central ≤ high, cited unless no conversion is made', () => {
    for (const e of HS_CONTENT) {
      expect(e.low).toBeLessThanOrEqual(e.central);
      expect(e.central).toBeLessThanOrEqual(e.high);
      expect(e.low).toBeGreaterThan(0);
      if (e.method !== 'same product') expect(e.document).not.toBeNull();
      else expect([e.low, e.central, e.high]).toEqual([1, 1, 1]);
    }
  });
});
