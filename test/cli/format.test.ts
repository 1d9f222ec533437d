/** formatNumber writes numbers as toLocaleString('en-US') does, without ICU (whose first use costs a command ~0.1 s). */
import { describe, expect, it } from 'vitest';
import { formatNumber, quantity } from '../../src/cli/format.ts';
import { mulberry32 } from '../../src/engine/criticality/common.ts';

describe('formatNumber', () => {
  it('equals toLocaleString("en-US") on 30,000 random values and the rounding edge cases (but writes -0 as 0)', () => {
    const r = mulberry32(11);
    const values = [0, 1, -1, 1.005, 2.675, 999.9995, 0.0005, 12345.678, 1e14 + 0.25, 3166251005604.8633, -1234.5, 0.1 + 0.2];
    for (let i = 0; i < 10_000; i++) values.push((r() - 0.5) * 10 ** Math.floor(r() * 15));
    const mismatches: string[] = [];
    for (const v of values) {
      for (const d of [0, 2, 3]) {
        const expected = v.toLocaleString('en-US', { maximumFractionDigits: d });
        const got = formatNumber(v, d);
        if (got !== expected && !(expected === '-0' && got === '0')) mismatches.push(`${v} (${d}): ${got} vs ${expected}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(formatNumber(-0.0004, 2)).toBe('0');
  });

  it('quantities in readable units', () => {
    expect(quantity(290_000, 't')).toBe('290,000 t');
    expect(quantity(3_700_000, 't')).toBe('3.7 Mt');
    expect(quantity(760, 't')).toBe('760 t');
    expect(quantity(1234.567, 'kt')).toBe('1,234.57 kt');
  });
});
