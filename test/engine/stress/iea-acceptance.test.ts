/**
 * Acceptance: IEA GCMO 2025 N-1 (2035, refined supply without the largest supplier vs demand) and the two named
 * disruption scenarios, on the bundled dataset (its IEA Critical Minerals Data Explorer 2025 and USGS MCS 2025 rows).
 * Prints the comparison with the IEA bands; asserts only what we can defend (see docs/stress-tests.md: the netted
 * reading nets the largest supplier's own use, from src/engine/demand/own-use.ts; docs/demand.md).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetIndex } from '../../../src/engine/dataset.ts';
import { n1Sweep } from '../../../src/engine/stress/sweep.ts';
import { runScenario, scenarioFromFlags } from '../../../src/scenario/run.ts';
import { bundledIndex } from '../bundled-index.ts';
import { IEA_N1_2035 } from '../../../src/data/published-iea.ts';

// IEA GCMO 2025 reported bands (netted-demand reading), read with a stated tolerance: one table for this test and the
// published-figure harness (src/data/published-iea.ts, src/report/published/iea-n1.ts).
const IEA_BANDS: Record<string, { band: [number, number]; text: string }> = Object.fromEntries(
  Object.entries(IEA_N1_2035).map(([m, b]) => [m, { band: b.band, text: b.words }]),
);
// Where the central netted reading lands in the IEA band, asserted both ways: these five must be in it, and cobalt must
// miss it, so a change in either direction fails here and the table in docs/demand.md is revisited. Cobalt misses on
// fully sourced keys (about 50% vs about 65%: the 2015 China share of cobalt use is older than the IEA's own figure,
// which must be near 60%). Rare earths land at the low edge of the band's tolerance (33%) since China's wind and other
// uses take the keys every other economy's rows take (test/engine/demand/own-use.test.ts checks the shares add up).
// The harness lists the misses with their causes computed from the figures (src/report/published/iea-n1.ts).
const CENTRAL_IN_BAND = ['graphite', 'nickel', 'lithium', 'copper', 'rare-earths'];
const CENTRAL_MISSES = ['cobalt'];

let index: DatasetIndex;
beforeAll(async () => {
  index = await bundledIndex();
});

describe('IEA N-1, 2035 refined supply', () => {
  it('world-demand reading: recomputed by hand from the raw rows, a lower bound below every IEA upper band', () => {
    for (const m of Object.keys(IEA_BANDS)) {
      const r = runScenario(index, scenarioFromFlags({ material: m, stage: 'refining', year: 2035, n1: true }));
      const c = r.coverage;
      const total = index.rows(m, 'end_use', 'demand', 2035).find((o) => o.scenario === 'STEPS' && o.sector === 'Total' && o.countryId === 'WLD')!.value!;
      const rows = index.rows(m, 'refining', 'production', 2035).filter((o) => o.scenario === 'base' && o.countryId !== 'WLD');
      const largest = rows.filter((o) => o.countryId !== 'OTH').sort((a, b) => b.value! - a.value!)[0];
      const sumEntries = rows.reduce((s, o) => s + o.value!, 0);
      expect(r.excluded.map((e) => e.countryId)).toEqual([largest.countryId]);
      expect(c.demandWorldTonnes).toBeCloseTo(total, 3);
      expect(c.remainingTonnes).toBeCloseTo(c.supplyTonnes - largest.value!, 3);
      const published = index.rows(m, 'refining', 'production', 2035).find((o) => o.scenario === 'base' && o.countryId === 'WLD')!.value!;
      expect(c.supplyTonnes).toBeCloseTo(published, 6);
      if (sumEntries > published * (1 + 1e-6)) expect(r.assumptions.join(' ')).toMatch(/more than its published total/);
      expect(c.coverageWorldRatio).toBeCloseTo(c.remainingTonnes / total, 12);
      expect(c.coverageWorldRatio!).toBeLessThanOrEqual(Math.min(1, IEA_BANDS[m].band[1]));
    }
  });

  it('graphite: battery-grade refined supply is not netted against total graphite demand (different bases)', () => {
    const r = runScenario(index, scenarioFromFlags({ material: 'graphite', stage: 'refining', year: 2035, n1: true }));
    expect(r.coverage.coverageNettedRatio).toBeNull();
    expect(r.gaps.join(' ')).toMatch(/supply is battery-grade, demand is contained: not compared without a stated conversion.*demandScope battery-grade/);
  });

  it('netted reading (IEA-style) for the six: own use with method and sources, in the IEA bands, one figure in stress and the N-1 sweep', () => {
    const lines: string[] = [];
    const sweep = n1Sweep(index, { materials: Object.keys(IEA_BANDS), stages: ['refining'], years: [2035] });
    for (const m of Object.keys(IEA_BANDS)) {
      const f = scenarioFromFlags({ material: m, stage: 'refining', year: 2035, n1: true });
      if (m === 'graphite') f.demandScope = 'battery-grade';
      const r = runScenario(index, f);
      const c = r.coverage;
      const removed = r.excluded[0].countryId;
      // Own use: one figure per removed country, with its method, basis and at least one source with a URL.
      expect(r.ownUse).toHaveLength(1);
      const u = r.ownUse[0];
      expect(u.countryId).toBe(removed);
      expect(u.sources.length).toBeGreaterThan(0);
      for (const s of u.sources) expect(s.url).toMatch(/^https?:\/\//);
      expect(u.low).toBeLessThanOrEqual(u.share);
      expect(u.high).toBeGreaterThanOrEqual(u.share);
      // Netted = R' / (D (1 - d)), recomputed here from the parts.
      expect(c.coverageNettedRatio).toBeCloseTo(c.remainingTonnes / (c.demandWorldTonnes! * (1 - u.share)), 12);
      expect(c.coverageNettedRatio!).toBeGreaterThanOrEqual(c.coverageWorldRatio!);
      // The sweep (CLI --n1 --all, /api/stress/n1, alerts) gives the same netted figure, on the same basis.
      const row = sweep.find((x) => x.materialId === m)!;
      expect(row.removed).toBe(removed);
      expect(row.coverageNettedRatio).toBeCloseTo(c.coverageNettedRatio!, 12);
      expect(row.ownUseShare).toBeCloseTo(u.share, 12);
      if (m === 'graphite') expect(row.nettedNote).toMatch(/battery-grade supply compared with the .*battery-grade.* demand series/);
      const [lo, hi] = IEA_BANDS[m].band;
      const range = c.coverageNettedRange!;
      // The IEA band must lie within reach of our estimate's range ...
      expect(range.low).toBeLessThanOrEqual(hi);
      expect(range.high === null || range.high >= lo).toBe(true);
      // ... and, where the inputs are sourced, the central reading must land in it.
      const inBand = c.coverageNettedRatio! >= lo && c.coverageNettedRatio! <= hi;
      const said = `${m}: ${(c.coverageNettedRatio! * 100).toFixed(1)}% vs IEA ${IEA_BANDS[m].text}`;
      if (CENTRAL_IN_BAND.includes(m)) expect(inBand, said).toBe(true);
      else if (CENTRAL_MISSES.includes(m)) expect(inBand, `${said}: now in band, update CENTRAL_MISSES and docs/demand.md`).toBe(false);
      else throw new Error(`${m}: neither expected in band nor a known miss`);
      lines.push(
        `${m.padEnd(12)} removed ${removed} (${(r.excluded[0].share * 100).toFixed(1)}%)  world ${(c.coverageWorldRatio! * 100).toFixed(1).padStart(5)}%  ` +
          `netted ${(c.coverageNettedRatio! * 100).toFixed(1).padStart(5)}% (${(range.low * 100).toFixed(0)}-${range.high === null ? '∞' : (range.high * 100).toFixed(0)}%)  ` +
          `IEA ${IEA_BANDS[m].text.padEnd(13)} ${inBand ? 'in band' : 'MISSES'}  own use ${(u.share * 100).toFixed(1)}% (${(u.low * 100).toFixed(0)}-${(u.high * 100).toFixed(0)}%) of ${u.demandScope}${u.assumed ? ' [partly assumed]' : ''}: ${u.sourceText}`,
      );
    }
    console.log(`\nIEA N-1 2035, netted (STEPS demand, IEA base-case refined supply):\n${lines.join('\n')}`);
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
