import { noteCitation } from '../../../src/model/provenance.ts';
import { describe, expect, it } from 'vitest';
import { coverage, impliedConsumptionShare, largestSupplier } from '../../../src/engine/stress/coverage.ts';
import { priceChange, priceShock } from '../../../src/engine/stress/price.ts';
import { recoveryTimeline, stockpileTonnesFromDays } from '../../../src/engine/stress/stockpile.ts';

const countries = [
  { countryId: 'AAA', tonnes: 50 },
  { countryId: 'BBB', tonnes: 30 },
  { countryId: 'OTH', tonnes: 20 },
];

describe('coverage (N-1 / exclude set)', () => {
  it('world and netted readings by hand', () => {
    const c = coverage({
      countries,
      totalTonnes: 100,
      excluded: ['AAA'],
      demandTonnes: 120,
      consumptionShares: { AAA: { countryId: 'AAA', share: 0.5, source: noteCitation('test') } },
    });
    expect(c.remainingTonnes).toBe(50);
    expect(c.remainingSupplyShare).toBe(0.5);
    expect(c.coverageWorldRatio).toBeCloseTo(50 / 120, 12);
    expect(c.shortfallWorldTonnes).toBe(70);
    expect(c.shortfallWorldPct).toBeCloseTo(70 / 120, 12);
    expect(c.demandNettedTonnes).toBe(60);
    expect(c.coverageNettedRatio).toBeCloseTo(50 / 60, 12);
    expect(c.shortfallNettedTonnes).toBeCloseTo(10, 12);
    expect(c.baselineBalanceRatio).toBeCloseTo(100 / 120, 12);
  });

  it('netted reading is a stated gap when a consumption share is unknown; aggregates are never excluded', () => {
    const c = coverage({
      countries,
      totalTonnes: 100,
      excluded: ['AAA', 'BBB', 'OTH'],
      demandTonnes: 100,
      consumptionShares: { AAA: { countryId: 'AAA', share: 0.5, source: noteCitation('t') } },
    });
    expect(c.excludedTonnes).toBe(80);
    expect(c.coverageNettedRatio).toBeNull();
    expect(c.consumptionShareUnknown).toEqual(['BBB']);
    expect(c.excludedConsumptionShare).toBeNull();
  });

  it('surplus gives coverage above 1 and no shortfall; no demand gives nulls', () => {
    const c = coverage({ countries, totalTonnes: 100, excluded: ['BBB'], demandTonnes: 50 });
    expect(c.coverageWorldRatio).toBeCloseTo(1.4, 12);
    expect(c.shortfallWorldTonnes).toBe(0);
    expect(coverage({ countries, totalTonnes: 100, excluded: ['BBB'], demandTonnes: null }).coverageWorldRatio).toBeNull();
  });

  it('recycled input: coverage of the primary requirement R′ / (D·(1 − r)); none without a rate, a zero rate or demand', () => {
    const recycledInput = { rate: 0.2, source: noteCitation('test'), note: 'test rate' };
    // countries above: 100 t, BBB's 30 t excluded → R′ = 70; D = 100 → primary requirement 80, coverage 87.5%
    const c = coverage({ countries, totalTonnes: 100, excluded: ['BBB'], demandTonnes: 100, recycledInput });
    expect(c.recycled).toMatchObject({ rate: 0.2, recycledTonnes: 20, primaryDemandTonnes: 80 });
    expect(c.recycled!.shortfallPrimaryTonnes).toBeCloseTo(10, 9);
    expect(c.recycled!.coveragePrimaryRatio).toBeCloseTo(0.875, 12);
    expect(c.coverageWorldRatio).toBeCloseTo(0.7, 12); // the world reading is unchanged
    expect(coverage({ countries, totalTonnes: 100, excluded: ['BBB'], demandTonnes: 100 }).recycled).toBeNull();
    expect(coverage({ countries, totalTonnes: 100, excluded: ['BBB'], demandTonnes: 100, recycledInput: { ...recycledInput, rate: 0 } }).recycled).toBeNull();
    expect(coverage({ countries, totalTonnes: 100, excluded: ['BBB'], demandTonnes: null, recycledInput }).recycled).toBeNull();
  });

  it('implied consumption share inverts the netted formula', () => {
    const d = impliedConsumptionShare(50, 120, 0.8);
    expect(50 / (120 * (1 - d))).toBeCloseTo(0.8, 12);
    expect(largestSupplier([{ countryId: 'OTH', tonnes: 99 }, ...countries])!.countryId).toBe('AAA');
  });
});

describe('price shock', () => {
  it('exact constant-elasticity formula and its linear approximation', () => {
    // lost 20%, spare 5% → φ = 15%; ε_d = −0.2, ε_s = 0.1 → %Δp = 0.85^(−1/0.3) − 1
    const p = priceShock(20, 100, {
      demandElasticity: { low: -0.4, central: -0.2, high: -0.05 },
      supplyElasticity: { low: 0.3, central: 0.1, high: 0 },
      spareCapacityShare: { low: 0.1, central: 0.05, high: 0 },
    });
    expect(p.netLostShare.central).toBeCloseTo(0.15, 12);
    expect(p.priceChangePct.central).toBeCloseTo(Math.pow(0.85, -1 / 0.3) - 1, 12);
    expect(p.linearApproxCentralPct).toBeCloseTo(0.5, 12);
    expect(p.priceChangePct.low).toBeCloseTo(Math.pow(0.9, -1 / 0.7) - 1, 12);
    expect(Math.pow(0.8, -1 / 0.05) - 1).toBeGreaterThan(10); // +8,570%: beyond the model range → capped and flagged
    expect(p.priceChangePct.high).toBe(10);
    expect(p.beyondModelRange).toEqual({ low: false, central: false, high: true });
    expect(p.priceChangePct.low!).toBeLessThan(p.priceChangePct.central!);
    expect(p.priceChangePct.central!).toBeLessThan(p.priceChangePct.high!);
  });
  it('edge cases: no loss → 0; total loss or zero elasticities → undefined (rationing)', () => {
    expect(priceChange(0, -0.2, 0.1)).toBe(0);
    expect(priceChange(1, -0.2, 0.1)).toBeNull();
    expect(priceChange(0.1, 0, 0)).toBeNull();
    // small shocks: %Δp ≈ φ/(ε_s − ε_d)
    expect(priceChange(0.001, -0.3, 0.2)).toBeCloseTo(0.001 / 0.5, 5);
  });
});

describe('stockpile and recovery', () => {
  it('monthly drawdown with spare capacity after a lead time and ramp-up, by hand', () => {
    // lost 120 t/yr; spare 12 t/yr after 2 months; others 100 t/yr ramp 12%/yr → replacement rate at month m = m (+12 after month 2)
    const r = recoveryTimeline({
      lostTonnesPerYear: 120,
      holderShare: 1,
      holderConsumptionTonnesPerYear: 365,
      stockpileTonnes: 15,
      durationMonths: 6,
      spareCapacityTonnesPerYear: 12,
      spareLeadMonths: 2,
      othersSupplyTonnesPerYear: 100,
      rampUpSharePerYear: 0.12,
    });
    expect(r.months.map((m) => m.replacedTonnes)).toEqual([1, 2, 15, 16, 17, 18].map((x) => expect.closeTo(x / 12, 12)));
    expect(r.months[0].drawdownTonnes).toBeCloseTo(10 - 1 / 12, 12);
    expect(r.months[1].drawdownTonnes).toBeCloseTo(15 - (10 - 1 / 12), 12);
    expect(r.months[1].unmetTonnes).toBeCloseTo(10 - 2 / 12 - (15 - (10 - 1 / 12)), 12);
    expect(r.stockpileExhaustedMonth).toBe(2);
    expect(r.stockpileDaysOfCover).toBeCloseTo(15 / (120 / 365), 12);
    expect(r.stockpileDaysOfConsumption).toBeCloseTo(15, 12);
    expect(r.monthsToFullReplacement).toBeNull();
    // conservation: replaced + drawdown + unmet = lost
    expect(r.totalReplacedTonnes + r.totalDrawdownTonnes + r.totalUnmetTonnes).toBeCloseTo(r.totalLostTonnes, 9);
    expect(r.totalLostTonnes).toBeCloseTo(60, 9);
  });
  it('holder share, full replacement and partial months', () => {
    const r = recoveryTimeline({
      lostTonnesPerYear: 12,
      holderShare: 0.5,
      holderConsumptionTonnesPerYear: null,
      stockpileTonnes: 100,
      durationMonths: 2.5,
      spareCapacityTonnesPerYear: 12,
      spareLeadMonths: 1,
      othersSupplyTonnesPerYear: 0,
      rampUpSharePerYear: 0,
    });
    expect(r.months).toHaveLength(3);
    expect(r.months[0].lostTonnes).toBeCloseTo(0.5, 12);
    expect(r.months[2].lostTonnes).toBeCloseTo(0.25, 12);
    expect(r.monthsToFullReplacement).toBe(2);
    expect(r.stockpileExhaustedMonth).toBeNull();
    expect(r.totalLostTonnes).toBeCloseTo(1.25, 12);
    expect(r.totalReplacedTonnes + r.totalDrawdownTonnes + r.totalUnmetTonnes).toBeCloseTo(1.25, 12);
    expect(stockpileTonnesFromDays(60, 365)).toBe(60);
  });
  it('extra recycling: the recycled input ramps up by r_s of itself per year, after other suppliers, and closes the gap', () => {
    // lost 120 t/yr; others' output 1,440 t/yr growing 10%/yr → 12·m t/yr in month m; recycled input 720 t/yr growing
    // 20%/yr → 12·m t/yr too. Holder's half, per month: lost 5, replaced m/2, recycled min(5 − m/2, m/2)
    const base = {
      lostTonnesPerYear: 120,
      holderShare: 0.5,
      holderConsumptionTonnesPerYear: null,
      stockpileTonnes: 0,
      durationMonths: 6,
      spareCapacityTonnesPerYear: 0,
      spareLeadMonths: 0,
      othersSupplyTonnesPerYear: 1440,
      rampUpSharePerYear: 0.1,
    };
    const without = recoveryTimeline(base);
    const r = recoveryTimeline({ ...base, recycledInputTonnesPerYear: 720, recyclingRampSharePerYear: 0.2 });
    expect(r.months.map((m) => m.replacedTonnes)).toEqual(without.months.map((m) => expect.closeTo(m.replacedTonnes, 12)));
    expect(r.months.map((m) => m.recycledTonnes)).toEqual([0.5, 1, 1.5, 2, 2.5, 2].map((x) => expect.closeTo(x, 12)));
    expect(r.months.map((m) => m.unmetTonnes)).toEqual([4, 3, 2, 1, 0, 0].map((x) => expect.closeTo(x, 12)));
    expect(r.monthsToFullReplacement).toBe(5);
    expect(without.monthsToFullReplacement).toBeNull();
    expect(without.totalRecycledTonnes).toBe(0);
    expect(r.totalReplacedTonnes + r.totalRecycledTonnes + r.totalDrawdownTonnes + r.totalUnmetTonnes).toBeCloseTo(r.totalLostTonnes, 12);
  });
});

describe('price shock beyond the model range', () => {
  it('caps values above +1000% and flags them instead of printing false precision', () => {
    const p = priceShock(84, 100, {
      demandElasticity: { low: -0.4, central: -0.2, high: -0.05 },
      supplyElasticity: { low: 0.3, central: 0.1, high: 0 },
      spareCapacityShare: { low: 0.1, central: 0.05, high: 0 },
    });
    expect(p.priceChangePct.high).toBe(10);
    expect(p.beyondModelRange.high).toBe(true);
    expect(p.notes.join(' ')).toMatch(/> \+1000%/);
  });
});
