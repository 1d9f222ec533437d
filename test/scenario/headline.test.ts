/**
 * Headline consistency on the bundled data: for scenarios across materials, stages, datasets and shock modes, the
 * headline figures agree with each other and with the detailed report — supply removed = the excluded shares, shortfall
 * = 100% − coverage, supply after propagation = before − lost (= Σ end-use rows), price basis = the loss after
 * propagation (the same number in `headline.priceBasis`, `price.lostSupplyShare`), stockpile cover on the same loss — and
 * when the price basis differs from the supply removed, the report says why.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { importBundle } from '../../src/ingest/bundle.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { runScenario, scenarioFromFlags, type ShorthandFlags } from '../../src/scenario/run.ts';

let ix: DatasetIndex;
beforeAll(async () => {
  const b = await importBundle();
  ix = new DatasetIndex({ observations: b.observations, sources: new Map(b.sources.map((s) => [s.id, s])), governance: [], groupings: b.groupings ?? [] });
}, 120_000);

const SCENARIOS: ShorthandFlags[] = [
  { material: 'nickel', stage: 'mining', year: 2035, exclude: ['IDN'] }, // ore ban: domestic refiners keep their ore
  { material: 'nickel', stage: 'mining', year: 2035, exclude: ['IDN'], mode: 'outage' },
  { material: 'nickel', stage: 'refining', year: 2035, exclude: ['IDN'] },
  { material: 'graphite', stage: 'refining', year: 2035, n1: true },
  { material: 'cobalt', stage: 'mining', year: 2024, exclude: ['COD'], stockpileDays: 90 },
  { material: 'cobalt', stage: 'refining', year: 2030, exclude: ['CHN'], mode: 'outage', fraction: 0.5 },
  { material: 'lithium', stage: 'refining', year: 2030, exclude: ['non-MSP'] },
  { material: 'copper', stage: 'mining', year: 2035, exclude: ['CHL', 'PER'], months: 6 },
  { material: 'rare-earths', stage: 'mining', year: 2035, exclude: ['CHN'] },
  { material: 'gallium', stage: 'refining', year: 2024, exclude: ['CHN'], stockpileTonnes: 100 },
];

describe('stress headline: one consistent set of figures per scenario', () => {
  for (const f of SCENARIOS) {
    const name = `${f.material} ${f.stage} ${f.year} without ${f.n1 ? 'the largest' : f.exclude!.join('+')} (${f.mode ?? 'export_ban'}${f.fraction ? `, ${f.fraction}` : ''})`;
    it(name, () => {
      const r = runScenario(ix, scenarioFromFlags(f));
      const h = r.headline;
      // equal up to floating-point rounding (relative 1e-12: tonnes run to millions)
      const close = (a: number | null, b: number | null) =>
        a === null || b === null ? expect(a).toBe(b) : expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));

      // stage reading
      expect(h.supplyRemoved.stage).toBe(r.stage);
      close(
        h.supplyRemoved.share,
        r.excluded.reduce((a, e) => a + e.share, 0),
      );
      close(h.supplyRemoved.share, h.supplyRemoved.tonnes / h.supplyRemoved.ofTonnes);
      close(h.coverage.remainingTonnes, h.supplyRemoved.ofTonnes - h.supplyRemoved.tonnes);
      expect(h.coverage.worldRatio).toBe(r.coverage.coverageWorldRatio);
      close(h.coverage.worldRatio, h.coverage.demandTonnes === null ? null : h.coverage.remainingTonnes / h.coverage.demandTonnes);
      close(h.shortfall.shareOfDemand, h.coverage.worldRatio === null ? null : Math.max(0, 1 - h.coverage.worldRatio));
      close(h.shortfall.tonnes, h.coverage.demandTonnes === null ? null : Math.max(0, h.coverage.demandTonnes - h.coverage.remainingTonnes));

      // propagated reading
      const a = h.supplyAfterPropagation;
      expect(a.stage).toBe(r.propagation.lastStage);
      expect(a.lostTonnes).toBe(r.propagation.lostToConsumersTonnes);
      close(a.afterTonnes, a.beforeTonnes - a.lostTonnes);
      close(a.lostShare, a.lostTonnes / a.beforeTonnes);
      close(a.coverageWorldRatio, h.coverage.demandTonnes === null ? null : a.afterTonnes / h.coverage.demandTonnes);
      const endUse = r.shortfall.filter((x) => x.stage === 'end_use');
      close(
        endUse.reduce((s, x) => s + x.shortfallTonnes, 0),
        a.lostTonnes,
      );
      close(
        endUse.reduce((s, x) => s + x.afterTonnes, 0),
        a.afterTonnes,
      );
      const lastRows = r.shortfall.filter((x) => x.stage === a.stage);
      close(
        lastRows.reduce((s, x) => s + x.shortfallTonnes, 0),
        a.lostTonnes,
      );

      // the price and the stockpile use the loss after propagation, and say so
      expect(h.priceBasis.stage).toBe(a.stage);
      expect(h.priceBasis.lostShare).toBe(r.price.lostSupplyShare);
      close(h.priceBasis.lostShare, a.lostShare);
      close(h.priceBasis.netLostShare.central, Math.max(0, h.priceBasis.lostShare - r.price.spareCapacity.share.central));
      expect(h.priceBasis.netLostShare).toEqual(r.price.netLostShare);
      expect(h.stockpileCover.lostTonnesPerYear).toBe(a.lostTonnes);
      expect(h.stockpileCover.days).toBe(r.stockpile.stockpileDaysOfCover);
      expect(h.stockpileCover.stockpileTonnes).toBe(r.stockpile.stockpileTonnes);
      const holderShare = r.stockpile.holder === 'world' ? 1 : null;
      if (holderShare !== null) close(r.stockpile.totalLostTonnes, (a.lostTonnes * r.scenario.shock.durationMonths) / 12);

      // the two readings agree where nothing separates them; otherwise the report says why
      const sameReading =
        r.stage === a.stage &&
        r.scenario.shock.fraction === 1 &&
        (r.scenario.shock.mode === 'outage' || (a.upperBound && r.coverage.consumptionShareInputs.length === 0));
      if (sameReading) close(h.priceBasis.lostShare, h.supplyRemoved.share);
      if (Math.abs(h.priceBasis.lostShare - h.supplyRemoved.share) > 0.0005)
        expect(h.reconciliation).toMatch(/^The price is computed on .* not on the .* removed: /);
      else expect(h.reconciliation).toBeNull();
      for (const fig of [h.supplyRemoved, h.coverage, h.shortfall, a, h.priceBasis, h.stockpileCover]) expect(fig.measures).toMatch(/\w.{40,}/);
    });
  }

  it('the Indonesian ore ban: 72% of mined supply removed, 26% of refined supply lost, and the report says why', () => {
    const h = runScenario(ix, scenarioFromFlags({ material: 'nickel', stage: 'mining', year: 2035, exclude: ['IDN'] })).headline;
    expect(h.supplyRemoved.share).toBeGreaterThan(0.7);
    expect(h.priceBasis.lostShare).toBeLessThan(0.3);
    expect(h.reconciliation).toMatch(/IDN's own refiners keep their ore/);
  });
});

describe('recycled input in a stress test (issue 14: secondary supply)', () => {
  it('cobalt carries the EU 2020 EoL-RIR as a stated proxy; nickel, with no rate held, says so', () => {
    const co = runScenario(ix, scenarioFromFlags({ material: 'cobalt', stage: 'refining', year: 2035, n1: true }));
    const rec = co.coverage.recycled!;
    expect(rec.rate).toBe(0.22);
    expect(rec.source.status).toBe('proxy');
    expect(rec.coveragePrimaryRatio).toBeCloseTo(co.coverage.remainingTonnes / (co.coverage.demandWorldTonnes! * 0.78), 12);
    expect(rec.coveragePrimaryRatio).toBeGreaterThan(co.coverage.coverageWorldRatio!);
    expect(co.assumptions.join(' ')).toMatch(/Recycled input 22%: EU 2020 end-of-life recycling input rate, applied to world demand as a proxy/);
    const ni = runScenario(ix, scenarioFromFlags({ material: 'nickel', stage: 'refining', year: 2035, n1: true }));
    expect(ni.coverage.recycled).toBeNull();
    expect(ni.gaps.join(' ')).toMatch(/No end-of-life recycling input rate held for Nickel/);
  });

  it('recycling ramps up in the recovery timeline only at a rate the scenario gives, on the recycled input', () => {
    const flags: ShorthandFlags = { material: 'cobalt', stage: 'refining', year: 2035, n1: true, months: 12 };
    const plain = runScenario(ix, scenarioFromFlags(flags));
    expect(plain.stockpile.totalRecycledTonnes).toBe(0);
    expect(plain.assumptions.join(' ')).toMatch(/recycling is not assumed to ramp up \(no published rate/);
    const ramp = { low: 0.1, central: 0.25, high: 0.4 };
    const s = { ...scenarioFromFlags(flags), parameters: { recyclingRampSharePerYear: ramp, sources: { recyclingRampSharePerYear: 'test: an assumed rate' } } };
    const r = runScenario(ix, s);
    const S = r.coverage.recycled!.recycledTonnes;
    // the holder is the world (all affected consumers): it bears the whole loss
    expect(r.stockpile.holder).toBe('world');
    const h = 1;
    // month 1: the recycled input grows by a quarter a year, a twelfth of that after one month, a twelfth of it per month
    expect(r.stockpile.months[0].recycledTonnes).toBeCloseTo((((S * 0.25 * 1) / 12) * h) / 12, 6);
    expect(r.stockpile.totalRecycledTonnes).toBeGreaterThan(0);
    expect(r.stockpile.totalUnmetTonnes + r.stockpile.totalDrawdownTonnes).toBeLessThan(plain.stockpile.totalUnmetTonnes + plain.stockpile.totalDrawdownTonnes);
    expect(r.assumptions.join(' ')).toMatch(/end-of-life recycling adds 25% of the recycled input .* per year \(test: an assumed rate\)/);
    const ni = runScenario(ix, { ...scenarioFromFlags({ ...flags, material: 'nickel' }), parameters: { recyclingRampSharePerYear: ramp } });
    expect(ni.stockpile.totalRecycledTonnes).toBe(0);
    expect(ni.gaps.join(' ')).toMatch(/Recycling ramp-up of 25%\/yr not applied: no recycled input is held for nickel/);
  });
});
