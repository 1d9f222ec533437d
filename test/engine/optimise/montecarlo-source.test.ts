/**
 * The stockpile optimisation on Monte Carlo scenarios (the default source) for a small basket on the bundled knowledge
 * base: it runs, the same seed gives the same answer, another seed other scenarios, and the answer says its source and
 * seed. The stress stand-in stays available when asked for.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetIndex } from '../../../src/engine/dataset.ts';
import { OptimiseError, runOptimisation, type StockpileRequest } from '../../../src/engine/optimise/index.ts';
import { shortfallScenarios } from '../../../src/engine/risk/montecarlo.ts';
import { buildRiskSpec, validateRiskScenario } from '../../../src/scenario/risk-build.ts';
import { bundledIndex } from '../bundled-index.ts';

let ix: DatasetIndex;
beforeAll(async () => {
  ix = await bundledIndex();
}, 120_000);

const req = (o: Partial<StockpileRequest> = {}): StockpileRequest => ({
  kind: 'stockpile',
  materials: ['cobalt', 'graphite'],
  stage: 'refining',
  year: 2024,
  budget: 20_000,
  budgetKind: 'tonnes',
  holderShare: 0.1,
  seed: 7,
  samples: 400,
  ...o,
});

describe('stockpile optimisation on Monte Carlo scenarios (bundled data)', { timeout: 180_000 }, () => {
  it('runs on the risk engine by default, reproducibly for a seed, and reports source and seed', async () => {
    const a = await runOptimisation(ix, req());
    if (a.kind !== 'stockpile') throw new Error(a.kind);
    expect(a.scenarios).toMatchObject({ source: 'risk', seed: 7, samples: 400, origin: 'Monte Carlo, seed 7, 400 samples' });
    expect(a.scenarios.notes[0]).toMatch(/Monte Carlo disruption engine .*seed 7, 400 year-long draws/);
    expect(a.sources.length).toBeGreaterThan(0);

    // The scenarios are the risk engine's draws with a gap, × the holder's share.
    const built = buildRiskSpec(ix, validateRiskScenario({ version: 1, kind: 'risk', materials: ['cobalt', 'graphite'], year: 2024, seed: 7, samples: 400 }));
    const mc = shortfallScenarios(built.spec, 7, 400);
    const withGap = mc.scenarios.filter((s) => s.durationDays > 0);
    expect(a.scenarios.count).toBe(withGap.length);
    expect(a.scenarios.count).toBeGreaterThan(0);
    const expectedWithout = withGap.reduce((t, s) => t + s.weight * 0.1 * (s.shortfallTonnes[0] + s.shortfallTonnes[1]), 0);
    expect(a.result.expectedShortfallCostWithout).toBeCloseTo(expectedWithout, 6);
    expect(a.result.spent).toBeLessThanOrEqual(20_000 + 1e-6);
    expect(a.result.expectedShortfallCostWith).toBeLessThan(a.result.expectedShortfallCostWithout);

    const again = await runOptimisation(ix, req());
    if (again.kind !== 'stockpile') throw new Error(again.kind);
    expect(again.result.materials.map((m) => m.stockTonnes)).toEqual(a.result.materials.map((m) => m.stockTonnes));
    expect(again.result.expectedShortfallCostWith).toBe(a.result.expectedShortfallCostWith);

    const other = await runOptimisation(ix, req({ seed: 8 }));
    if (other.kind !== 'stockpile') throw new Error(other.kind);
    expect(other.scenarios.seed).toBe(8);
    expect(other.result.expectedShortfallCostWithout).not.toBe(a.result.expectedShortfallCostWithout);
  });

  it('keeps the stress stand-in as an explicit option, and rejects options of the other source', async () => {
    const s = await runOptimisation(ix, req({ scenarioSource: 'stress', seed: undefined, samples: undefined, materials: ['cobalt'] }));
    if (s.kind !== 'stockpile') throw new Error(s.kind);
    expect(s.scenarios).toMatchObject({ source: 'stress', seed: null, origin: 'stress-derived N-1 stand-in' });
    await expect(runOptimisation(ix, req({ probability: 0.05 }))).rejects.toThrow(/stress-derived stand-in only/);
    await expect(runOptimisation(ix, req({ scenarioSource: 'stress' }))).rejects.toThrow(/Monte Carlo scenarios only/);
    await expect(runOptimisation(ix, req({ samples: 20_001 }))).rejects.toBeInstanceOf(OptimiseError);
  });
});
