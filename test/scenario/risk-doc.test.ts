/** The worked example of docs/risk.md §5: the doc's numbers are this test's numbers (bundled dataset). */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetIndex } from '../../src/engine/dataset.ts';
import { bundledIndex } from '../engine/bundled-index.ts';
import { validateRiskScenario } from '../../src/scenario/risk-build.ts';
import { compareRisk, runRiskScenario } from '../../src/scenario/risk-run.ts';

let index: DatasetIndex;
beforeAll(async () => {
  index = await bundledIndex();
}, 120_000);

const pct = (x: number, d = 1) => `${(x * 100).toFixed(d)}%`;

describe('docs/risk.md worked example', () => {
  it('gallium: likelihood and a 20,000-sample run', () => {
    const r = runRiskScenario(index, validateRiskScenario({ version: 1, kind: 'risk', materials: ['gallium'], samples: 20_000, seed: 1 }));
    const chn = r.likelihood.units.find((u) => u.countryId === 'CHN')!;
    expect([pct(chn.prior.probability, 2), pct(chn.posterior.probability), pct(chn.posterior.low), pct(chn.posterior.high)]).toEqual([
      '2.81%',
      '8.3%',
      '1.8%',
      '18.1%',
    ]);
    expect(chn.evidence.events).toBe(2);
    const pool = r.likelihood.pools.find((p) => p.stage === 'refining' && p.tier === 'major')!;
    expect([pool.units, pool.events, pool.unitYears]).toEqual([30, 13, 480]);
    const m = r.materials[0];
    expect([
      pct(m.shortfallTonnes.probabilityPositive),
      m.shortfallTonnes.mean.toFixed(2),
      m.shortfallTonnes.stdErr.toFixed(2),
      m.shortfallTonnes.p95.toFixed(2),
      m.shortfallTonnes.cvar95.toFixed(2),
      pct(m.shortfallShareOfDemand.cvar95),
      Math.round(m.daysShort.mean),
      Math.round(m.daysShort.cvar95),
      pct(m.priceChange.p95, 0),
      pct(m.priceChange.p99, 0),
    ]).toEqual(['8.0%', '18.66', '0.58', '107.51', '328.77', '43.3%', 24, 420, '21%', '542%']);
  }, 120_000);

  it('battery basket: baseline vs a 60-day stockpile', () => {
    const base = runRiskScenario(index, validateRiskScenario({ version: 1, kind: 'risk', basket: 'battery', samples: 100_000, seed: 1 }));
    const stock = runRiskScenario(
      index,
      validateRiskScenario({ version: 1, kind: 'risk', basket: 'battery', samples: 100_000, seed: 1, stockpile: { policy: 'japan-60' } }),
    );
    const c = compareRisk([base, stock]);
    const v = (id: string, metric: string) => c.rows.find((r) => r.materialId === id && r.metric === metric)!.values.map((x) => pct(x));
    expect(v('basket', 'P(basket short)')).toEqual(['28.0%', '11.6%']);
    expect(v('basket', 'CVaR 95% basket shortfall (share of demand)')).toEqual(['70.6%', '54.1%']);
    expect(v('nickel', 'P(shortfall > 0)')).toEqual(['12.7%', '1.0%']);
    expect(v('cobalt', 'P(shortfall > 0)')).toEqual(['9.0%', '7.3%']);
  }, 300_000);
});
