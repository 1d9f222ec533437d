/**
 * Brute-force enumerations the solver is checked against (test only). Each is exact for its small instance by an
 * argument that does not use LP duality or the solver: see each function.
 */
import type { ShortfallScenarios } from '../../../src/engine/optimise/scenarios.ts';
import type { MaterialTerms } from '../../../src/engine/optimise/stockpile.ts';
import { coverageOf, type CoalitionProblem } from '../../../src/engine/optimise/coalition.ts';
import { expectedShortfallCostOf, n1CoverageOf, type PortfolioOption, type PortfolioProblem } from '../../../src/engine/optimise/portfolio.ts';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Stockpile: the objective Σ_m p_m Σ_s w_s min(x_m, cap_sm) is separable, concave and piecewise linear in each x_m with
 * breakpoints at the caps; with one budget row, some optimum has every x_m at a breakpoint (or a bound) except at most
 * one, which takes what is left of the budget. Enumerate all of those points.
 */
export function bruteStockpile(
  sc: ShortfallScenarios,
  budget: number,
  terms: Record<
    string,
    Required<Pick<MaterialTerms, 'costPerTonne' | 'shortfallCostPerTonne' | 'triggerTonnes' | 'maxReleaseTonnesPerDay'>> & { maxStockTonnes?: number }
  >,
): { value: number; x: number[] } {
  const M = sc.materials.length;
  const t = sc.materials.map((m) => terms[m]);
  const cap = sc.scenarios.map((s) =>
    s.shortfallTonnes.map((d, m) => (d <= 0 || d < t[m].triggerTonnes ? 0 : Math.min(d, t[m].maxReleaseTonnesPerDay * s.durationDays))),
  );
  const max = t.map((x) => x.maxStockTonnes ?? Infinity);
  const points = sc.materials.map((_, m) => [...new Set([0, ...cap.map((c) => c[m]), ...(max[m] < Infinity ? [max[m]] : [])])].filter((v) => v <= max[m]));
  const value = (x: number[]) =>
    sc.scenarios.reduce((a, s, i) => a + s.weight * x.reduce((b, xm, m) => b + t[m].shortfallCostPerTonne * Math.min(xm, cap[i][m]), 0), 0);
  let best = { value: -Infinity, x: [] as number[] };
  const idx = Array(M).fill(0);
  const visit = (x: number[]) => {
    const spent = x.reduce((a, v, m) => a + v * t[m].costPerTonne, 0);
    if (spent > budget + 1e-9) return;
    const v = value(x);
    if (v > best.value) best = { value: v, x: [...x] };
  };
  for (;;) {
    const x = idx.map((k, m) => points[m][k]);
    visit(x);
    for (let f = 0; f < M; f++) {
      const rest = x.reduce((a, v, m) => (m === f ? a : a + v * t[m].costPerTonne), 0);
      const xf = Math.min(max[f], (budget - rest) / t[f].costPerTonne);
      if (xf >= 0) visit(x.map((v, m) => (m === f ? xf : v)));
    }
    let k = 0;
    while (k < M && ++idx[k] >= points[k].length) idx[k++] = 0;
    if (k === M) break;
  }
  return best;
}

/** Coalition: every subset of candidates; the cheapest that reaches the target for every material. */
export function bruteCoalition(pb: CoalitionProblem): { cost: number; partners: string[] } | null {
  const cands = (pb.candidates ?? [...new Set(pb.materials.flatMap((m) => Object.keys(m.supply)))]).filter((c) => !pb.bloc.includes(c)).sort();
  let best: { cost: number; partners: string[] } | null = null;
  for (let mask = 0; mask < 1 << cands.length; mask++) {
    const partners = cands.filter((_, i) => mask & (1 << i));
    const set = new Set([...pb.bloc, ...partners]);
    if (!pb.materials.every((m) => coverageOf(m, set, pb.reading) >= pb.target - 1e-12)) continue;
    const cost = partners.reduce((a, c) => a + (pb.costs?.[c] ?? pb.defaultCost ?? 1), 0);
    if (!best || cost < best.cost - 1e-12) best = { cost, partners };
  }
  return best;
}

/** Portfolio: every subset of options within the budget; the best objective value. */
export function brutePortfolio(pb: PortfolioProblem): number {
  const opts = pb.options;
  const p = (pb.scenarios?.materials ?? []).map((m) => pb.shortfallCostPerTonne?.[m] ?? 1);
  let best = pb.objective === 'n1-coverage' ? -Infinity : Infinity;
  for (let mask = 0; mask < 1 << opts.length; mask++) {
    const chosen: PortfolioOption[] = opts.filter((_, i) => mask & (1 << i));
    if (chosen.reduce((a, o) => a + o.cost, 0) > pb.budget + 1e-9) continue;
    if (pb.objective === 'n1-coverage') best = Math.max(best, Math.min(...pb.n1!.map((b) => n1CoverageOf(b, chosen))));
    else best = Math.min(best, expectedShortfallCostOf(pb.scenarios!, p, chosen));
  }
  return best;
}
