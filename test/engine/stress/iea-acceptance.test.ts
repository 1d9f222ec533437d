/**
 * Acceptance: IEA GCMO 2025 N-1 (2035, refined supply without the largest supplier vs demand) and the two named
 * disruption scenarios, on the bundled dataset (its IEA Critical Minerals Data Explorer 2025 and USGS MCS 2025 rows).
 * Prints the comparison with the IEA bands; asserts only what we can defend (see docs/stress-tests.md: the netted
 * reading needs the largest supplier's own 2035 demand, which the public data lacks).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetIndex } from '../../../src/engine/dataset.ts';
import { impliedConsumptionShare } from '../../../src/engine/stress/coverage.ts';
import { n1Sweep } from '../../../src/engine/stress/sweep.ts';
import { runScenario, scenarioFromFlags } from '../../../src/scenario/run.ts';
import { bundledIndex } from '../bundled-index.ts';

// IEA GCMO 2025 reported bands (netted-demand reading), as [low, high] fractions.
const IEA_BANDS: Record<string, { band: [number, number]; text: string }> = {
  graphite: { band: [0.35, 0.4], text: 'about 35-40%' },
  'rare-earths': { band: [0.35, 0.4], text: 'about 35-40%' },
  nickel: { band: [0, 0.55], text: 'under 55%' },
  lithium: { band: [0.6, 0.7], text: 'about 65%' },
  cobalt: { band: [0.6, 0.7], text: 'about 65%' },
  copper: { band: [0.9, 1.0], text: 'nearly full' },
};

let index: DatasetIndex;
beforeAll(async () => {
  index = await bundledIndex();
});

describe('IEA N-1, 2035 refined supply', () => {
  it('computes coverage for the six IEA minerals and compares it honestly with the IEA bands', () => {
    const lines: string[] = [];
    const results: Record<string, number> = {};
    for (const m of Object.keys(IEA_BANDS)) {
      const r = runScenario(index, scenarioFromFlags({ material: m, stage: 'refining', year: 2035, n1: true }));
      const c = r.coverage;
      // Recompute by hand from the raw rows: world demand 'Total' (STEPS) and the refining series.
      const total = index.rows(m, 'end_use', 'demand', 2035).find((o) => o.scenario === 'STEPS' && o.sector === 'Total' && o.countryId === 'WLD')!.value!;
      const rows = index.rows(m, 'refining', 'production', 2035).filter((o) => o.scenario === 'base' && o.countryId !== 'WLD');
      const largest = rows.filter((o) => o.countryId !== 'OTH').sort((a, b) => b.value! - a.value!)[0];
      const sumEntries = rows.reduce((s, o) => s + o.value!, 0);
      expect(r.excluded.map((e) => e.countryId)).toEqual([largest.countryId]);
      expect(c.demandWorldTonnes).toBeCloseTo(total, 3);
      expect(c.remainingTonnes).toBeCloseTo(c.supplyTonnes - largest.value!, 3);
      // S is the IEA's published total (its convention, and the concentration module's: one share per cell); where its
      // rows add up to more (nickel, graphite), the report says so.
      const published = index.rows(m, 'refining', 'production', 2035).find((o) => o.scenario === 'base' && o.countryId === 'WLD')!.value!;
      expect(c.supplyTonnes).toBeCloseTo(published, 6);
      if (sumEntries > published * (1 + 1e-6)) expect(r.assumptions.join(' ')).toMatch(/more than its published total/);
      expect(c.coverageWorldRatio).toBeCloseTo(c.remainingTonnes / total, 12);
      // No country demand in the data: the netted reading is a stated gap, never a guess.
      expect(c.coverageNettedRatio).toBeNull();
      expect(r.gaps.join(' ')).toMatch(/own consumption of .* unknown/i);
      // Netting can only raise coverage, so the world reading is a lower bound; it must not exceed the IEA's upper band.
      expect(c.coverageWorldRatio!).toBeLessThanOrEqual(IEA_BANDS[m].band[1]);
      results[m] = c.coverageWorldRatio!;
      const mid = (IEA_BANDS[m].band[0] + IEA_BANDS[m].band[1]) / 2;
      const implied = impliedConsumptionShare(c.remainingTonnes, total, m === 'nickel' ? 0.55 : mid);
      const alt = r.demand!.alternatives.map((a) => `${a.scope}: ${(a.coverageWorldRatio * 100).toFixed(1)}%`).join('; ');
      lines.push(
        `${m.padEnd(12)} removed ${largest.countryId} (${(r.excluded[0].share * 100).toFixed(1)}%)  world-demand ${(c.coverageWorldRatio! * 100).toFixed(1).padStart(5)}%  ` +
          `remaining-share ${(c.remainingSupplyShare * 100).toFixed(1).padStart(5)}%  IEA ${IEA_BANDS[m].text.padEnd(13)} netted: gap (IEA figure implies ${largest.countryId} uses ${(Math.max(0, implied) * 100).toFixed(0)}% of demand)` +
          (alt ? `  [alt demand ${alt}]` : ''),
      );
    }
    console.log(`\nIEA N-1 2035 comparison (STEPS demand, IEA base-case refined supply):\n${lines.join('\n')}`);
    // Nickel sits in the IEA band even on the world-demand reading; copper has the highest coverage of the six.
    expect(results.nickel).toBeLessThan(0.55);
    expect(Math.max(...Object.values(results))).toBe(results.copper);
  });

  it('netted coverage uses a sourced consumption share when the scenario supplies one', () => {
    const s = scenarioFromFlags({ material: 'copper', stage: 'refining', year: 2035, n1: true });
    s.parameters = { domesticConsumptionShare: { CHN: { value: 0.5, source: 'user-supplied for this test' } } };
    const r = runScenario(index, s);
    expect(r.coverage.coverageNettedRatio).toBeCloseTo(r.coverage.remainingTonnes / (r.coverage.demandWorldTonnes! * 0.5), 12);
    expect(r.coverage.consumptionShareInputs[0].source.text).toBe('user-supplied for this test');
  });

  it('Indonesia nickel-ore export ban (2035): per-stage, per-country, per-sector shortfall, price range, days of cover', () => {
    const r = runScenario(index, scenarioFromFlags({ material: 'nickel', stage: 'mining', year: 2035, exclude: ['IDN'] }));
    const stages = new Set(r.shortfall.map((x) => x.stage));
    expect([...stages]).toEqual(['mining', 'refining', 'intermediate', 'end_use']);
    const refinedChn = r.shortfall.find((x) => x.stage === 'refining' && x.countryId === 'CHN')!;
    const refinedIdn = r.shortfall.find((x) => x.stage === 'refining' && x.countryId === 'IDN')!;
    expect(refinedChn.shortfallTonnes).toBeGreaterThan(0);
    expect(refinedIdn.shortfallTonnes).toBe(0); // Indonesian refiners keep Indonesian ore
    expect(r.propagation.conservationErrorTonnes).toBeLessThan(1e-3);
    expect(r.assumptions.join(' ')).toMatch(/Indonesia has banned nickel ore exports/);
    const p = r.price.priceChangePct;
    expect(p.low!).toBeGreaterThan(0);
    expect(p.low!).toBeLessThanOrEqual(p.central!);
    expect(r.stockpile.stockpileDaysOfCover).toBeGreaterThan(0);
    expect(r.sources.length).toBeGreaterThan(0);
  });

  it('N-1 sweep of the IEA series covers every material × stage × year of the six (2024, 2030, 2035, 2040)', () => {
    const rows = n1Sweep(index, { allCountries: true, dataset: 'iea-cm', materials: Object.keys(IEA_BANDS) });
    const cells = new Set(rows.map((r) => `${r.materialId}|${r.stage}|${r.year}`));
    expect(cells.size).toBe(6 * 2 * 4);
    expect([...new Set(rows.map((r) => r.year))].sort()).toEqual([2024, 2030, 2035, 2040]);
    expect(new Set(rows.map((r) => r.sourceId))).toEqual(new Set(['iea-cm-2025']));
    expect(rows.filter((r) => r.isLargest)).toHaveLength(48);
  });
});

describe('China gallium export ban (USGS MCS 2025: China ~98% of primary gallium in 2024)', () => {
  it('produces the shortfall table, price range and days of cover, with demand proxied and stated', () => {
    const r = runScenario(index, scenarioFromFlags({ material: 'gallium', stage: 'refining', year: 2024, exclude: ['CHN'] }));
    // USGS MCS 2025, gallium primary production 2024 (estimated): China 750 t of a world 760 t
    expect(r.excluded[0].countryId).toBe('CHN');
    expect(r.excluded[0].share).toBeGreaterThan(0.98);
    expect(r.sources[0]).toMatchObject({ sourceId: 'usgs-mcs-2025-world', edition: 'MCS2025' });
    expect(r.demand!.proxy).toBe(true);
    expect(r.shortfall.some((x) => x.stage === 'end_use')).toBe(true);
    expect(r.stockpile.stockpileDaysOfCover).toBeGreaterThan(0);
    expect(r.price.priceChangePct.low).not.toBeNull();
    console.log(
      `gallium 2024: CHN ${(r.excluded[0].share * 100).toFixed(1)}%, coverage ${(r.coverage.coverageWorldRatio! * 100).toFixed(1)}%, price ${JSON.stringify(r.price.priceChangePct)}, spare capacity from data: ${r.price.spareCapacity.fromData}`,
    );
  });
});
