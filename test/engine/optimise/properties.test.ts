/**
 * Property tests: on seeded random small instances (≤ 8 suppliers or options, ≤ 3 materials, ≤ 8 scenarios) the HiGHS
 * optimum equals a brute-force enumeration (./brute.ts), and the coordinated stockpile LP behaves as its model says.
 */
import { describe, expect, it } from 'vitest';
import { optimiseCoordinated, optimiseStockpile } from '../../../src/engine/optimise/stockpile.ts';
import { optimiseCoalition, type CoalitionMaterialInput } from '../../../src/engine/optimise/coalition.ts';
import { optimisePortfolio, type PortfolioOption } from '../../../src/engine/optimise/portfolio.ts';
import type { ShortfallScenarios } from '../../../src/engine/optimise/scenarios.ts';
import { bruteCoalition, brutePortfolio, bruteStockpile, mulberry32 } from './brute.ts';

const SEEDS = Array.from({ length: 25 }, (_, i) => 1000 + i);
const MATS = ['cobalt', 'gallium', 'graphite'];

function randomScenarios(rnd: () => number, M: number, S: number, countries: string[] = []): ShortfallScenarios {
  const raw = Array.from({ length: S }, () => rnd());
  const total = raw.reduce((a, v) => a + v, 0) / (0.3 + 0.7 * rnd()); // Σ weight ≤ 1: the rest is "no disruption"
  return {
    materials: MATS.slice(0, M),
    scenarios: raw.map((w, i) => ({
      weight: w / total,
      shortfallTonnes: Array.from({ length: M }, () => (rnd() < 0.3 ? 0 : Math.round(rnd() * 1000))),
      durationDays: 30 + Math.round(rnd() * 335),
      label: `s${i}`,
      disrupted: countries.length ? [countries[Math.floor(rnd() * countries.length)]] : undefined,
    })),
  };
}

describe('stockpile LP (segment and extensive forms) = brute force over breakpoints', () => {
  for (const seed of SEEDS)
    it(`seed ${seed}`, { timeout: 60_000 }, async () => {
      const rnd = mulberry32(seed);
      const M = 1 + Math.floor(rnd() * 3);
      const S = 1 + Math.floor(rnd() * 8);
      const sc = randomScenarios(rnd, M, S);
      const terms = Object.fromEntries(
        sc.materials.map((m) => [
          m,
          {
            costPerTonne: 1 + Math.round(rnd() * 50),
            shortfallCostPerTonne: 1 + Math.round(rnd() * 100),
            triggerTonnes: rnd() < 0.5 ? 0 : Math.round(rnd() * 400),
            maxReleaseTonnesPerDay: rnd() < 0.5 ? Infinity : 1 + rnd() * 5,
            ...(rnd() < 0.3 ? { maxStockTonnes: Math.round(rnd() * 500) } : {}),
          },
        ]),
      );
      const budget = Math.round(rnd() * 20_000) + 1;
      const brute = bruteStockpile(sc, budget, terms);
      for (const formulation of ['segments', 'extensive'] as const) {
        const r = await optimiseStockpile({ scenarios: sc, budget: { kind: 'money', amount: budget }, terms, formulation });
        const lpValue = r.expectedShortfallCostWithout - r.expectedShortfallCostWith;
        expect(lpValue, formulation).toBeCloseTo(brute.value, 4);
        expect(r.spent).toBeLessThanOrEqual(budget + 1e-6);
        // the reported expected shortfall is the objective's: Σ_m p_m (E[short without] − E[release])
        const fromRows = r.materials.reduce((a, m) => a + m.shortfallCostPerTonne * m.expectedShortfallTonnesWith, 0);
        expect(fromRows).toBeCloseTo(r.expectedShortfallCostWith, 4);
      }
    });
});

describe('coalition MIP = brute force over subsets', () => {
  for (const seed of SEEDS)
    for (const reading of ['self-sufficiency', 'n1'] as const)
      it(`seed ${seed}, ${reading}`, { timeout: 60_000 }, async () => {
        const rnd = mulberry32(seed);
        const countries = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG', 'HHH'].slice(0, 3 + Math.floor(rnd() * 6));
        const bloc = [countries[0]];
        const M = 1 + Math.floor(rnd() * 3);
        const materials: CoalitionMaterialInput[] = MATS.slice(0, M).map((material) => {
          const supply = Object.fromEntries(countries.map((c) => [c, rnd() < 0.25 ? 0 : Math.round(rnd() * 1000)]));
          const total = Object.values(supply).reduce((a, v) => a + v, 0) * (1 + rnd() * 0.2);
          return { material, supply, totalTonnes: total, demandTonnes: total * (0.8 + rnd() * 0.4) };
        });
        const costs = rnd() < 0.5 ? Object.fromEntries(countries.map((c) => [c, 1 + Math.round(rnd() * 9)])) : undefined;
        const target = reading === 'n1' ? 0.3 + rnd() * 0.5 : 0.2 + rnd() * 0.6;
        const pb = { bloc, materials, target, reading, costs };
        const brute = bruteCoalition(pb);
        if (!brute) {
          await expect(optimiseCoalition(pb)).rejects.toThrow(/no coalition reaches/);
          return;
        }
        const r = await optimiseCoalition(pb);
        expect(r.cost).toBeCloseTo(brute.cost, 9);
        for (const c of r.coverage) expect(c.after).toBeGreaterThanOrEqual(target - 1e-12);
      });
});

describe('portfolio MIP = brute force over subsets', () => {
  for (const seed of SEEDS)
    for (const objective of ['expected-shortfall', 'n1-coverage'] as const)
      it(`seed ${seed}, ${objective}`, { timeout: 60_000 }, async () => {
        const rnd = mulberry32(seed * 7);
        const countries = ['AAA', 'BBB', 'CCC', 'DDD'];
        const M = 1 + Math.floor(rnd() * 3);
        const sc = randomScenarios(rnd, M, 1 + Math.floor(rnd() * 8), countries);
        const mats = sc.materials;
        const options: PortfolioOption[] = Array.from({ length: 1 + Math.floor(rnd() * 8) }, (_, i) => ({
          id: `o${i}`,
          kind: (['supplier', 'project', 'offtake'] as const)[i % 3],
          countryId: countries[Math.floor(rnd() * countries.length)],
          cost: 1 + Math.round(rnd() * 20),
          tonnesPerYear: Object.fromEntries(mats.filter(() => rnd() < 0.7).map((m) => [m, Math.round(rnd() * 800)])),
        }));
        const budget = 1 + Math.round(rnd() * 40);
        const n1 = mats.map((m) => {
          const S = 500 + rnd() * 1000;
          return {
            material: m,
            supplyTonnes: S,
            largestSupplier: countries[Math.floor(rnd() * 4)],
            largestSupplierTonnes: S * (0.3 + rnd() * 0.6),
            demandTonnes: S * (0.8 + rnd() * 0.5),
          };
        });
        const pb = {
          options,
          budget,
          objective,
          scenarios: sc,
          n1,
          shortfallCostPerTonne: Object.fromEntries(mats.map((m) => [m, 1 + Math.round(rnd() * 5)])),
        };
        const r = await optimisePortfolio(pb);
        const brute = brutePortfolio(pb);
        expect(r.value).toBeCloseTo(brute, 6);
        expect(r.spent).toBeLessThanOrEqual(budget + 1e-9);
      });
});

describe('coordinated stockpiles', () => {
  for (const seed of SEEDS.slice(0, 10))
    it(`seed ${seed}: no sharing = the partners alone; sharing never costs more; more sharing never less gain`, { timeout: 60_000 }, async () => {
      const rnd = mulberry32(seed * 13);
      const M = 1 + Math.floor(rnd() * 3);
      const sc = randomScenarios(rnd, M, 1 + Math.floor(rnd() * 8));
      const H = 2 + Math.floor(rnd() * 2);
      const raw = Array.from({ length: H }, () => 0.1 + rnd());
      const sum = raw.reduce((a, v) => a + v, 0);
      const holders = raw.map((v, h) => ({ id: `H${h}`, shortfallShare: v / sum, budget: Math.round(rnd() * 800) }));
      const terms = Object.fromEntries(
        sc.materials.map((m) => [m, { shortfallCostPerTonne: 1 + Math.round(rnd() * 10), maxReleaseTonnesPerDay: rnd() < 0.5 ? Infinity : 2 + rnd() * 5 }]),
      );
      const run = (s: number) => optimiseCoordinated({ scenarios: sc, holders, budgetKind: 'tonnes', terms, shareableFraction: s });
      const none = await run(0);
      expect(none.pooledTotal).toBeCloseTo(none.aloneTotal, 5);
      let prev = none.gainOfCooperation;
      for (const s of [0.25, 0.5, 1]) {
        const r = await run(s);
        expect(r.gainOfCooperation).toBeGreaterThanOrEqual(prev - 1e-6);
        for (const h of r.holders) expect(h.gain).toBeGreaterThanOrEqual(-1e-5 * Math.max(1, h.alone.expectedShortfallCost)); // participation: nobody worse off (solver tolerance)
        prev = r.gainOfCooperation;
      }
    });
});
