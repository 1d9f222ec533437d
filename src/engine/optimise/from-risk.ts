/**
 * Shortfall scenarios for the stockpile optimisations from the Monte Carlo disruption engine (src/engine/risk,
 * docs/risk.md): the spec is built from the knowledge base (src/scenario/risk-build.ts, the `chokepoint risk` defaults:
 * likelihoods from the export-measure registry × governance × concentration, correlation, severity, duration), then
 * `shortfallScenarios(spec, seed, samples)` gives one scenario per year-long draw with a supply gap — the gap after spare
 * capacity and other producers' ramp-up, before any stockpile, for all consumers — each of weight 1 ÷ samples. Draws
 * without a gap are "no disruption" (the weight left over). The same seed and samples give the same scenarios.
 */
import type { Citation } from '../../model/provenance.ts';
import { buildRiskSpec, RiskScenarioError, validateRiskScenario } from '../../scenario/risk-build.ts';
import type { DatasetIndex } from '../dataset.ts';
import { RiskInputError, shortfallScenarios } from '../risk/montecarlo.ts';
import type { ShortfallScenarios } from './scenarios.ts';
import { OptimiseError } from './solver.ts';

/** Samples (draws) per optimisation: each draw with a gap is one LP scenario, so this bounds the model's size. */
export const RISK_SAMPLES_DEFAULT = 2_000;
export const RISK_SAMPLES_MAX = 20_000;
export const RISK_SEED_DEFAULT = 1;

export interface RiskScenarioOptions {
  materials: string[];
  year: number;
  dataset?: string;
  demandScenario?: string;
  seed?: number;
  samples?: number;
  /** Share of each world gap the holder bears (default 1: the holder stands for all affected consumers). */
  holderShare?: number;
}

export interface RiskScenarioSet {
  scenarios: ShortfallScenarios;
  demandTonnes: number[];
  seed: number;
  samples: number;
  notes: string[];
  sources: Citation[];
}

export function riskScenarios(index: DatasetIndex, o: RiskScenarioOptions): RiskScenarioSet {
  const seed = o.seed ?? RISK_SEED_DEFAULT;
  const samples = o.samples ?? RISK_SAMPLES_DEFAULT;
  const share = o.holderShare ?? 1;
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
    throw new OptimiseError('seed', `seed must be a whole number within 0..4294967295, got ${seed}`);
  if (!(Number.isInteger(samples) && samples >= 1 && samples <= RISK_SAMPLES_MAX))
    throw new OptimiseError('samples', `samples must be a whole number within 1..${RISK_SAMPLES_MAX.toLocaleString('en')}, got ${samples}`);
  if (!(share > 0 && share <= 1)) throw new OptimiseError('holderShare', `holderShare must be in (0, 1], got ${share}`);
  let built;
  try {
    built = buildRiskSpec(
      index,
      validateRiskScenario({
        version: 1,
        kind: 'risk',
        materials: o.materials,
        year: o.year,
        seed,
        samples,
        ...(o.dataset ? { dataset: o.dataset } : {}),
        ...(o.demandScenario ? { demandScenario: o.demandScenario } : {}),
      }),
    );
  } catch (e) {
    if (e instanceof RiskInputError)
      throw new OptimiseError(e.field ?? 'materials', e.message, /no supply data|unknown/.test(e.message) ? 'not_found' : 'input');
    if (e instanceof RiskScenarioError) throw new OptimiseError(e.field ?? 'request', e.reason);
    throw e;
  }
  const mc = shortfallScenarios(built.spec, seed, samples);
  // mc.materials follows the spec; the optimiser follows the request's order.
  const col = o.materials.map((m) => mc.materials.indexOf(m));
  const missing = o.materials.filter((_, i) => col[i] < 0);
  if (missing.length) throw new OptimiseError('materials', `the Monte Carlo run does not cover ${missing.join(', ')}`);
  const disrupted = mc.scenarios.filter((s) => s.durationDays > 0 && s.shortfallTonnes.some((d) => d > 0));
  const scenarios = disrupted.map((s, i) => ({
    weight: s.weight,
    durationDays: s.durationDays,
    label: `draw ${i + 1}`,
    shortfallTonnes: col.map((c) => s.shortfallTonnes[c] * share),
  }));
  if (!scenarios.length)
    throw new OptimiseError(
      'samples',
      `none of the ${samples} Monte Carlo draws (seed ${seed}) has a supply gap for ${o.materials.join(', ')}: nothing to stockpile against; try more samples`,
      'infeasible',
    );
  const hit = disrupted.reduce((a, s) => a + s.weight, 0);
  const info = o.materials.map((m) => built.materials.find((x) => x.materialId === m)!);
  const notes = [
    `Scenarios from the Monte Carlo disruption engine (docs/risk.md), seed ${seed}, ${samples.toLocaleString('en')} year-long draws: ${scenarios.length} draws with a supply gap are the scenarios, each of weight 1/${samples}; the other ${(1 - hit).toFixed(3)} of the weight is "no disruption".`,
    `Shortfall = supply gap of the last stage after spare capacity and other producers' ramp-up, before any stockpile, for all consumers${share !== 1 ? ` × holder share ${share}` : ' (the holder stands for all affected consumers)'}; duration = the longest export-control episode of the draw.`,
    `Likelihoods, correlation (${built.spec.correlation}), severity (${built.spec.severity.low}–${built.spec.severity.high}) and duration (${built.spec.durationMonths.min}–${built.spec.durationMonths.max} months) are the risk engine's defaults; run \`chokepoint risk\` for the full report on them.`,
    ...built.assumptions,
    ...built.gaps.map((g) => `gap: ${g}`),
  ];
  for (const m of info) if (m.demandProxy) notes.push(`${m.name}: world demand is a proxy (world production).`);
  const sources = new Map<string, Citation>();
  for (const m of info) for (const s of m.sources) sources.set(s.text, s);
  return {
    scenarios: { materials: o.materials, scenarios, origin: `Monte Carlo, seed ${seed}, ${samples} samples` },
    demandTonnes: info.map((m) => m.demandTonnesPerYear),
    seed,
    samples,
    notes,
    sources: [...sources.values()],
  };
}
