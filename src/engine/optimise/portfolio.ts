/**
 * Diversification / offtake portfolio (docs/optimisation.md §3): which options — a new supplier, a project, an
 * offtake with a price floor — to back under a budget. Binary z_j = back option j (cost k_j, adds q_jm tonnes a year
 * of material m, located in country c_j). Two objectives:
 *
 *   "expected-shortfall":  minimise Σ_s w_s Σ_m p_m u_sm
 *                          u_sm ≥ d_sm − Σ_j a_sj q_jm (D_s/365) z_j,  u_sm ≥ 0     a_sj = 0 when scenario s stops c_j
 *   "n1-coverage":         maximise t (the worst material's N-1 coverage, capped at 1)
 *                          t ≤ (R_m + Σ_{j: c_j ≠ L_m} q_jm z_j) ÷ D_m  ∀ m,  t ≤ 1
 *                          R_m = world supply less the largest supplier L_m; an option in L_m's country is lost with it
 *   both:                  Σ_j (k_j + F_j) z_j ≤ B
 *
 * F_j = the cost of option j's price floor: volume × years × the mean over the price history of max(0, floor − price).
 * An option with a floor but no price history has no F_j; it is left out and the gap is reported (no invented cost).
 */
import { OptimiseError, ModelBuilder, solveModel } from './solver.ts';
import { validateScenarios, type ShortfallScenarios } from './scenarios.ts';

export interface PriceFloor {
  floorPerTonne: number;
  volumeTonnesPerYear: number;
  years: number;
  /** Observed prices per tonne (same currency as the floor), one per year; absent → the floor's cost is unknown. */
  priceHistory?: Array<{ year: number; pricePerTonne: number }>;
  priceSource?: string;
}

export interface PortfolioOption {
  id: string;
  kind: 'supplier' | 'project' | 'offtake';
  countryId: string;
  cost: number;
  /** Tonnes a year this option adds, by material id. */
  tonnesPerYear: Record<string, number>;
  priceFloor?: PriceFloor;
}

export interface N1Baseline {
  material: string;
  supplyTonnes: number; // S_m
  largestSupplier: string; // L_m
  largestSupplierTonnes: number;
  demandTonnes: number; // D_m
}

export interface PortfolioProblem {
  options: PortfolioOption[];
  budget: number;
  objective: 'expected-shortfall' | 'n1-coverage';
  scenarios?: ShortfallScenarios; // expected-shortfall
  shortfallCostPerTonne?: Record<string, number>;
  n1?: N1Baseline[]; // n1-coverage
}

export interface FloorCost {
  option: string;
  expectedPayoutPerYear: number | null;
  total: number | null;
  yearsOfHistory: number;
  yearsBelowFloor: number;
}

export interface PortfolioResult {
  objective: PortfolioProblem['objective'];
  chosen: string[];
  spent: number;
  budget: number;
  value: number; // expected shortfall cost (min) or worst-material N-1 coverage (max)
  valueWithout: number;
  perMaterial: Array<{ material: string; before: number; after: number }>;
  floorCosts: FloorCost[];
  leftOut: Array<{ option: string; reason: string }>;
  model: { variables: number; constraints: number; solveSeconds: number };
  assumptions: string[];
  gaps: string[];
}

/** Expected yearly payout of a price floor over the price history: mean of max(0, floor − price) × volume. */
export function floorCost(o: PortfolioOption): FloorCost {
  const f = o.priceFloor!;
  const h = f.priceHistory ?? [];
  if (!h.length) return { option: o.id, expectedPayoutPerYear: null, total: null, yearsOfHistory: 0, yearsBelowFloor: 0 };
  const payouts = h.map((p) => Math.max(0, f.floorPerTonne - p.pricePerTonne) * f.volumeTonnesPerYear);
  const perYear = payouts.reduce((a, v) => a + v, 0) / h.length;
  return {
    option: o.id,
    expectedPayoutPerYear: perYear,
    total: perYear * f.years,
    yearsOfHistory: h.length,
    yearsBelowFloor: payouts.filter((v) => v > 0).length,
  };
}

export function n1CoverageOf(b: N1Baseline, chosen: PortfolioOption[]): number {
  const added = chosen.reduce((a, o) => a + (o.countryId === b.largestSupplier ? 0 : (o.tonnesPerYear[b.material] ?? 0)), 0);
  return Math.min(1, (b.supplyTonnes - b.largestSupplierTonnes + added) / b.demandTonnes);
}

export function expectedShortfallCostOf(sc: ShortfallScenarios, p: number[], chosen: PortfolioOption[]): number {
  let v = 0;
  for (const s of sc.scenarios)
    sc.materials.forEach((m, i) => {
      const stopped = new Set(s.disrupted ?? []);
      const added = chosen.reduce((a, o) => a + (stopped.has(o.countryId) ? 0 : (o.tonnesPerYear[m] ?? 0)), 0) * (s.durationDays / 365);
      v += s.weight * p[i] * Math.max(0, s.shortfallTonnes[i] - added);
    });
  return v;
}

export async function optimisePortfolio(pb: PortfolioProblem): Promise<PortfolioResult> {
  if (!Number.isFinite(pb.budget) || pb.budget < 0) throw new OptimiseError('budget', `budget must be a finite amount ≥ 0, got ${pb.budget}`);
  if (!pb.options.length) throw new OptimiseError('options', 'no options to choose from: give at least one supplier, project or offtake');
  const ids = pb.options.map((o) => o.id);
  if (new Set(ids).size !== ids.length) throw new OptimiseError('options', `an option id is used twice: ${ids.join(', ')}`);
  const materials = pb.objective === 'expected-shortfall' ? (pb.scenarios?.materials ?? []) : (pb.n1 ?? []).map((b) => b.material);
  if (pb.objective === 'expected-shortfall') {
    if (!pb.scenarios) throw new OptimiseError('scenarios', 'the expected-shortfall objective needs shortfall scenarios');
    validateScenarios(pb.scenarios);
  } else {
    if (!pb.n1?.length) throw new OptimiseError('n1', 'the n1-coverage objective needs each material’s supply, largest supplier and demand');
    for (const b of pb.n1) if (!(b.demandTonnes > 0)) throw new OptimiseError('n1', `${b.material}: demand must be > 0 tonnes`);
  }
  pb.options.forEach((o, i) => {
    if (!(o.cost >= 0)) throw new OptimiseError(`options.${i}.cost`, `${o.id}: cost must be ≥ 0, got ${o.cost}`);
    for (const [m, t] of Object.entries(o.tonnesPerYear)) {
      if (!materials.includes(m))
        throw new OptimiseError(`options.${i}.tonnesPerYear.${m}`, `${o.id}: material "${m}" is not in the problem (${materials.join(', ')})`, 'not_found');
      if (!(t >= 0)) throw new OptimiseError(`options.${i}.tonnesPerYear.${m}`, `${o.id}: tonnes a year must be ≥ 0, got ${t}`);
    }
  });
  if (pb.budget === 0) throw new OptimiseError('budget', 'the budget is 0: no option can be backed, so there is nothing to choose');

  const gaps: string[] = [];
  const leftOut: PortfolioResult['leftOut'] = [];
  const floorCosts: FloorCost[] = [];
  const usable: Array<{ o: PortfolioOption; k: number }> = [];
  for (const o of pb.options) {
    let k = o.cost;
    if (o.priceFloor) {
      const fc = floorCost(o);
      floorCosts.push(fc);
      if (fc.total === null) {
        leftOut.push({ option: o.id, reason: 'price floor without a price history: its cost is unknown' });
        gaps.push(
          `${o.id}: no price history for its price floor (prices are not in the knowledge base yet); the option is left out rather than costed at an invented figure.`,
        );
        continue;
      }
      k += fc.total;
    }
    if (k > pb.budget) {
      leftOut.push({ option: o.id, reason: `costs ${k}, more than the whole budget ${pb.budget}` });
      continue;
    }
    usable.push({ o, k });
  }

  const b = new ModelBuilder();
  const maximise = pb.objective === 'n1-coverage';
  const z = usable.map(() => b.col(0, 0, 1, true));
  let valueWithout: number;
  let perMaterialBefore: number[];
  const p = materials.map((m) => pb.shortfallCostPerTonne?.[m] ?? 1);
  if (pb.objective === 'expected-shortfall') {
    const sc = pb.scenarios!;
    perMaterialBefore = materials.map((_, i) => sc.scenarios.reduce((a, s) => a + s.weight * s.shortfallTonnes[i], 0));
    valueWithout = expectedShortfallCostOf(sc, p, []);
    sc.scenarios.forEach((s) => {
      const stopped = new Set(s.disrupted ?? []);
      materials.forEach((m, i) => {
        const d = s.shortfallTonnes[i];
        if (d <= 0 || s.weight === 0) return;
        const u = b.col(s.weight * p[i], 0, d);
        const terms: Array<[number, number]> = [[u, 1]];
        usable.forEach(({ o }, j) => {
          const q = stopped.has(o.countryId) ? 0 : (o.tonnesPerYear[m] ?? 0) * (s.durationDays / 365);
          if (q > 0) terms.push([z[j], q]);
        });
        b.row(terms, d, Infinity);
      });
    });
  } else {
    perMaterialBefore = pb.n1!.map((bl) => n1CoverageOf(bl, []));
    valueWithout = Math.min(...perMaterialBefore);
    const t = b.col(1, -Infinity, 1);
    for (const bl of pb.n1!) {
      // t − Σ q z / D ≤ (S − S_L) / D
      const terms: Array<[number, number]> = [[t, 1]];
      usable.forEach(({ o }, j) => {
        const q = o.countryId === bl.largestSupplier ? 0 : (o.tonnesPerYear[bl.material] ?? 0);
        if (q > 0) terms.push([z[j], -q / bl.demandTonnes]);
      });
      b.row(terms, -Infinity, (bl.supplyTonnes - bl.largestSupplierTonnes) / bl.demandTonnes);
    }
  }
  if (usable.length)
    b.row(
      usable.map(({ k }, j) => [z[j], k] as [number, number]),
      -Infinity,
      pb.budget,
    );
  const solved = await solveModel(b, { what: 'portfolio', maximise });
  const chosenIdx = usable.map((_, j) => j).filter((j) => solved.x[z[j]] > 0.5);
  const chosen = chosenIdx.map((j) => usable[j].o);
  const after =
    pb.objective === 'expected-shortfall'
      ? materials.map((m, i) =>
          expectedShortfallCostOf(
            { materials: [m], scenarios: pb.scenarios!.scenarios.map((s) => ({ ...s, shortfallTonnes: [s.shortfallTonnes[i]] })) },
            [1],
            chosen,
          ),
        )
      : pb.n1!.map((bl) => n1CoverageOf(bl, chosen));
  const value = pb.objective === 'expected-shortfall' ? expectedShortfallCostOf(pb.scenarios!, p, chosen) : Math.min(...after);
  const assumptions = [
    pb.objective === 'expected-shortfall'
      ? 'An option delivers its yearly tonnes pro rata over the disruption, unless the scenario stops its country.'
      : 'N-1: the largest supplier of each material stops; an option located in that country is lost with it. Coverage capped at 100%.',
    'Options are all-or-nothing (back it fully or not at all).',
  ];
  if (floorCosts.some((f) => f.total !== null)) assumptions.push('A price floor costs its mean yearly payout over the price history, times its years.');
  return {
    objective: pb.objective,
    chosen: chosen.map((o) => o.id),
    spent: chosenIdx.reduce((a, j) => a + usable[j].k, 0),
    budget: pb.budget,
    value,
    valueWithout,
    perMaterial: materials.map((m, i) => ({ material: m, before: perMaterialBefore[i], after: after[i] })),
    floorCosts,
    leftOut,
    model: { variables: b.numCols, constraints: b.numRows, solveSeconds: solved.solveSeconds },
    assumptions,
    gaps,
  };
}
