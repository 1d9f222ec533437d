/**
 * The scenario input of every optimisation: per-scenario shortfalls, the plain shape the Monte Carlo disruption engine
 * exposes (issue 15 part 2):
 *
 *   { materials: string[], scenarios: { weight, shortfallTonnes: number[] (one per material), durationDays }[] }
 *
 * weight = probability of the scenario (Σ weight ≤ 1; the rest is "no disruption", shortfall 0); shortfallTonnes =
 * tonnes the holder (or the bloc) is short over the whole disruption; durationDays = how long it lasts.
 * `disrupted` (optional) lists the supplier countries the scenario stops; the portfolio optimisation uses it to know
 * which options are lost with them.
 */
import { OptimiseError } from './solver.ts';

export interface ShortfallScenario {
  weight: number;
  shortfallTonnes: number[];
  durationDays: number;
  label?: string;
  disrupted?: string[];
}

export interface ShortfallScenarios {
  materials: string[];
  scenarios: ShortfallScenario[];
  /** Where the scenarios come from (e.g. "Monte Carlo, seed 1" or "stress-derived N-1 stand-in"). */
  origin?: string;
}

const WEIGHT_TOLERANCE = 1e-9;

/** Checks the shape and the numbers; throws an OptimiseError naming the scenario and field. */
export function validateScenarios(s: ShortfallScenarios): void {
  if (!s.materials.length) throw new OptimiseError('materials', 'no materials: give at least one');
  if (new Set(s.materials).size !== s.materials.length) throw new OptimiseError('materials', `a material is listed twice: ${s.materials.join(', ')}`);
  if (!s.scenarios.length) throw new OptimiseError('scenarios', 'no scenarios: give at least one disruption scenario');
  let total = 0;
  s.scenarios.forEach((sc, i) => {
    const at = `scenarios[${i}]${sc.label ? ` (${sc.label})` : ''}`;
    if (!(Number.isFinite(sc.weight) && sc.weight >= 0))
      throw new OptimiseError(`scenarios.${i}.weight`, `${at}: weight must be a probability ≥ 0, got ${sc.weight}`);
    if (sc.shortfallTonnes.length !== s.materials.length)
      throw new OptimiseError(`scenarios.${i}.shortfallTonnes`, `${at}: ${sc.shortfallTonnes.length} shortfalls for ${s.materials.length} materials`);
    sc.shortfallTonnes.forEach((d, m) => {
      if (!(Number.isFinite(d) && d >= 0))
        throw new OptimiseError(`scenarios.${i}.shortfallTonnes.${m}`, `${at}: shortfall of ${s.materials[m]} must be finite and ≥ 0 tonnes, got ${d}`);
    });
    if (!(Number.isFinite(sc.durationDays) && sc.durationDays > 0))
      throw new OptimiseError(`scenarios.${i}.durationDays`, `${at}: durationDays must be > 0, got ${sc.durationDays}`);
    total += sc.weight;
  });
  if (total > 1 + WEIGHT_TOLERANCE)
    throw new OptimiseError('scenarios', `scenario weights are probabilities and sum to ${total.toPrecision(6)} > 1; scale them so they sum to at most 1`);
}

export const totalWeight = (s: ShortfallScenarios): number => s.scenarios.reduce((a, x) => a + x.weight, 0);
