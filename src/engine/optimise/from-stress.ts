/**
 * Inputs for the optimisations built from the knowledge base with the stress engine: the stand-in kept as an explicit
 * option (`scenarioSource: 'stress'`) beside the Monte Carlo scenarios (./from-risk.ts, the default for the stockpile
 * models), and the portfolio's expected-shortfall scenarios. Labelled as a stand-in in every result:
 *
 *  - shortfall scenarios: one scenario per country among the top-k suppliers of any basket material — that country's
 *    export ban (`chokepoint stress --exclude <c>`), hitting every basket material it supplies at once. Shortfall of
 *    material m = the stress engine's tonnes lost to consumers (annual rate, after propagation) × durationDays ÷ 365 ×
 *    the holder's share. Each scenario gets the same stated probability; the rest is "no disruption".
 *    These probabilities are an input, not an estimate.
 *  - N-1 baselines: the stress engine's N-1 (largest supplier stops) for each material.
 */
import { getMaterial } from '../../model/materials.ts';
import { isAggregateEntity } from '../../model/schema.ts';
import { runScenario, ScenarioRunError, scenarioFromFlags, type StressReport } from '../../scenario/run.ts';
import type { Citation } from '../../model/provenance.ts';
import type { DatasetIndex } from '../dataset.ts';
import type { NetworkStage } from '../stress/network.ts';
import type { ShortfallScenarios } from './scenarios.ts';
import type { N1Baseline } from './portfolio.ts';
import { OptimiseError } from './solver.ts';

export interface StressScenarioOptions {
  materials: string[];
  stage: NetworkStage;
  year: number;
  /** Suppliers per material whose export ban becomes a scenario (default 3). */
  topSuppliers?: number;
  /** Probability of each scenario (default 0.05: a stated assumption, not an estimate). */
  probability?: number;
  durationDays?: number; // default 365
  /** Share of each world loss the holder bears (default 1: the holder stands for all affected consumers). */
  holderShare?: number;
  dataset?: string;
  demandScenario?: string;
}

export interface StressScenarioSet {
  scenarios: ShortfallScenarios;
  demandTonnes: number[]; // world demand per material (the stress engine's, proxy where flagged)
  notes: string[];
  sources: Citation[];
}

function stress(index: DatasetIndex, flags: Parameters<typeof scenarioFromFlags>[0]): StressReport {
  try {
    return runScenario(index, scenarioFromFlags(flags));
  } catch (e) {
    if (e instanceof ScenarioRunError)
      throw new OptimiseError(e.field === 'year' ? 'year' : 'material', `${getMaterial(flags.material)?.name ?? flags.material}: ${e.message}`, 'not_found');
    throw e;
  }
}

export function stressScenarios(index: DatasetIndex, o: StressScenarioOptions): StressScenarioSet {
  const k = o.topSuppliers ?? 3;
  const p = o.probability ?? 0.05;
  const days = o.durationDays ?? 365;
  const share = o.holderShare ?? 1;
  if (!(k >= 1 && Number.isInteger(k))) throw new OptimiseError('topSuppliers', `topSuppliers must be a whole number ≥ 1, got ${k}`);
  if (!(p > 0 && p <= 1)) throw new OptimiseError('probability', `probability must be in (0, 1], got ${p}`);
  if (!(days > 0)) throw new OptimiseError('durationDays', `durationDays must be > 0, got ${days}`);
  if (!(share > 0 && share <= 1)) throw new OptimiseError('holderShare', `holderShare must be in (0, 1], got ${share}`);
  const sources = new Map<string, Citation>();
  const base = o.materials.map((material) => {
    const r = stress(index, { material, stage: o.stage, year: o.year, n1: true, dataset: o.dataset, demandScenario: o.demandScenario });
    for (const s of r.sources) sources.set(s.text, s);
    const stage = r.network[r.stage];
    const top = (stage?.countries ?? [])
      .filter((c) => !isAggregateEntity(c.countryId) && c.tonnes > 0)
      .sort((a, b) => b.tonnes - a.tonnes)
      .slice(0, k)
      .map((c) => c.countryId);
    return { material, r, top };
  });
  const countries = [...new Set(base.flatMap((b) => b.top))];
  if (p * countries.length > 1)
    throw new OptimiseError('probability', `${countries.length} scenarios × probability ${p} = ${p * countries.length} > 1; give a smaller probability`);
  const scenarios = countries.map((c) => ({
    weight: p,
    durationDays: days,
    label: `${c} export ban`,
    disrupted: [c],
    shortfallTonnes: base.map((b) => {
      const supplies = b.r.network[b.r.stage]?.countries.some((x) => x.countryId === c && x.tonnes > 0);
      if (!supplies) return 0;
      const r = stress(index, {
        material: b.material,
        stage: o.stage,
        year: o.year,
        exclude: [c],
        dataset: b.r.scenario.dataset ?? o.dataset,
        demandScenario: o.demandScenario,
      });
      for (const s of r.sources) sources.set(s.text, s);
      return r.propagation.lostToConsumersTonnes * (days / 365) * share;
    }),
  }));
  const notes = [
    `Scenarios are the stress-engine stand-in (scenario source "stress"; the stockpile models default to the Monte Carlo engine): one export ban per country among the top ${k} ${o.stage} suppliers of each material (${countries.join(', ')}), each with a stated probability of ${p} (an assumption, not an estimate), lasting ${days} days; "no disruption" has the remaining ${(1 - p * countries.length).toFixed(2)}.`,
    `Shortfall = tonnes lost to consumers after propagation (stress engine, ${o.year}) × ${days}/365${share !== 1 ? ` × holder share ${share}` : ' (the holder stands for all affected consumers)'}.`,
  ];
  for (const b of base) if (b.r.demand?.proxy) notes.push(`${b.r.material}: world demand is a proxy (world production).`);
  return {
    scenarios: { materials: o.materials, scenarios, origin: 'stress-derived N-1 stand-in' },
    demandTonnes: base.map((b) => b.r.demand?.totalTonnes ?? NaN),
    notes,
    sources: [...sources.values()],
  };
}

/** N-1 figures per material for the portfolio's coverage objective (the stress engine's `--n1`). */
export function n1Baselines(
  index: DatasetIndex,
  o: { materials: string[]; stage: NetworkStage; year: number; dataset?: string; demandScenario?: string },
): { baselines: N1Baseline[]; sources: Citation[] } {
  const sources = new Map<string, Citation>();
  const baselines = o.materials.map((material) => {
    const r = stress(index, { material, stage: o.stage, year: o.year, n1: true, dataset: o.dataset, demandScenario: o.demandScenario });
    for (const s of r.sources) sources.set(s.text, s);
    if (!r.demand) throw new OptimiseError('material', `${r.material}: no demand figure for ${o.year}; N-1 coverage cannot be computed`, 'not_found');
    const L = r.excluded[0];
    return {
      material,
      supplyTonnes: r.coverage.supplyTonnes,
      largestSupplier: L.countryId,
      largestSupplierTonnes: r.coverage.excludedTonnes,
      demandTonnes: r.demand.totalTonnes,
    };
  });
  return { baselines, sources: [...sources.values()] };
}
