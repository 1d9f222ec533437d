import { describe, expect, it } from 'vitest';
import { wgiScaled } from '../../src/engine/governance.ts';

const all = (v: number) => ({ va: v, pv: v, ge: v, rq: v, rl: v, cc: v });

describe('wgiScaled (EU JRC rescaling of the mean WGI estimate)', () => {
  it('maps +2.5 to 0, 0 to 5 and -2.5 to 10', () => {
    expect(wgiScaled(all(2.5))).toBe(0);
    expect(wgiScaled(all(0))).toBe(5);
    expect(wgiScaled(all(-2.5))).toBe(10);
  });

  it('averages the six estimates before rescaling', () => {
    // mean = (1 - 1 + 0.5 + 0.5 + 1 + 1) / 6 = 0.5 -> (2.5 - 0.5) * 2 = 4
    expect(wgiScaled({ va: 1, pv: -1, ge: 0.5, rq: 0.5, rl: 1, cc: 1 })).toBeCloseTo(4, 12);
  });

  it('clamps means beyond +-2.5 to the 0..10 scale', () => {
    expect(wgiScaled(all(-3.3))).toBe(10);
    expect(wgiScaled(all(2.6))).toBe(0);
  });

  it('returns null unless all six indicators are present and finite', () => {
    const { cc: _dropped, ...five } = all(0);
    expect(wgiScaled(five)).toBeNull();
    expect(wgiScaled({ ...all(0), pv: Number.NaN })).toBeNull();
    expect(wgiScaled({})).toBeNull();
  });
});
