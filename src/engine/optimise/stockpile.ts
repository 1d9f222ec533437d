/**
 * Stockpile allocation as a two-stage stochastic LP (docs/optimisation.md §1 and §2).
 *
 * One holder (§1). First stage: stock x_m ≥ 0 of each material m, bought before anything happens. Second stage, in
 * each scenario s (probability w_s, shortfall d_sm tonnes over D_s days): release r_sm.
 *   minimise   Σ_s w_s Σ_m p_m (d_sm − r_sm)                        expected shortfall cost (p_m per tonne short)
 *   subject to Σ_m c_m x_m ≤ B                                       budget (c_m = price per tonne, or 1 for tonnes)
 *              r_sm ≤ x_m                                            release what is held
 *              0 ≤ r_sm ≤ cap_sm                                     release rules:
 *                cap_sm = 0                  if d_sm < trigger_m     (release only once the shortfall reaches the trigger)
 *                cap_sm = min(d_sm, ρ_m D_s) otherwise               (at most ρ_m tonnes a day, never more than is short)
 *              minStock_m ≤ x_m ≤ maxStock_m
 *
 * Several holders (§2), pooled: holder h bears a share a_hm of each shortfall and pays for its stock from its own budget
 * B_h (burden sharing: B_h = β_h · B, or given per holder). In scenario s holder h releases o_shm to itself, e_shm to
 * the partners' pool, and receives g_shm from it:
 *   minimise   Σ_s w_s Σ_h Σ_m p_m (a_hm d_sm − o_shm − g_shm)
 *   subject to Σ_m c_m x_hm ≤ B_h                                     each partner's budget
 *              o_shm + e_shm ≤ x_hm                                   release what is held
 *              e_shm ≤ ς x_hm                                         emergency sharing: at most ς of a stock goes to partners
 *              o_shm + g_shm ≤ a_hm d_sm                              nobody is given more than it is short
 *              Σ_h g_shm = Σ_h e_shm                                  what is shared is what is received
 *              o_shm + e_shm ≤ ρ_m a_hm D_s                           release rate (a partner's share of the drawdown capacity)
 *              release only when the bloc-wide shortfall d_sm reaches trigger_m
 *              Σ_s w_s Σ_m p_m (o_shm + g_shm) ≥ V_h^alone           participation: nobody is worse off than alone
 * "Alone" is the same problem with ς = 0 (no sharing) solved per partner; the gain of cooperation is Σ_h alone − pooled.
 */
import { OptimiseError, ModelBuilder, solveModel } from './solver.ts';
import { validateScenarios, totalWeight, type ShortfallScenarios } from './scenarios.ts';

export type Budget = { kind: 'money'; amount: number; currency?: string } | { kind: 'tonnes'; amount: number };

export interface MaterialTerms {
  /** Price per tonne in the budget's currency; required for a money budget (prices are not in the store). */
  costPerTonne?: number;
  /** Cost of one tonne short (same currency, or any stated unit of harm); default 1 = minimise expected tonnes short. */
  shortfallCostPerTonne?: number;
  /** Release rule: release only in a scenario whose shortfall of this material reaches this many tonnes. Default 0. */
  triggerTonnes?: number;
  /** Release rule: at most this many tonnes a day (drawdown capacity). Default: no limit. */
  maxReleaseTonnesPerDay?: number;
  minStockTonnes?: number;
  maxStockTonnes?: number;
}

export interface StockpileProblem {
  scenarios: ShortfallScenarios;
  budget: Budget;
  /** One per material of `scenarios.materials`, or a map by material id. */
  terms?: Record<string, MaterialTerms>;
  /**
   * "extensive" (default): one release column and one row per scenario × material (the textbook extensive form).
   * "segments": the same LP with the second stage projected out — for one holder the recourse of scenario s
   * is r_sm = min(x_m, cap_sm), so Σ_s w_s p_m r_sm is a concave piecewise-linear function of x_m, written with one
   * column per distinct cap. Both have the same optimum (tested), but HiGHS (wasm) solves the segment form far more
   * slowly at 10,000 scenarios (> 100 s against ~5-14 s: thousands of bounded columns in one row), so it is not the default.
   */
  formulation?: 'segments' | 'extensive';
}

export interface StockpileMaterialResult {
  material: string;
  stockTonnes: number;
  spent: number;
  costPerTonne: number;
  shortfallCostPerTonne: number;
  expectedShortfallTonnesWithout: number;
  expectedShortfallTonnesWith: number;
  expectedReleaseTonnes: number;
}

export interface StockpileResult {
  budget: Budget;
  materials: StockpileMaterialResult[];
  spent: number;
  expectedShortfallCostWithout: number;
  expectedShortfallCostWith: number;
  /** Expected shortfall cost avoided per extra unit of budget (the budget row's shadow price). */
  marginalValueOfBudget: number | null;
  scenarioCount: number;
  noDisruptionWeight: number;
  model: { variables: number; constraints: number; solveSeconds: number };
  assumptions: string[];
}

interface Resolved {
  c: number[];
  p: number[];
  trigger: number[];
  rate: number[];
  min: number[];
  max: number[];
  assumptions: string[];
}

function resolveTerms(sc: ShortfallScenarios, budget: Budget, terms: Record<string, MaterialTerms> = {}): Resolved {
  for (const k of Object.keys(terms))
    if (!sc.materials.includes(k))
      throw new OptimiseError(`terms.${k}`, `terms given for "${k}", which is not one of the scenarios' materials (${sc.materials.join(', ')})`, 'not_found');
  const r: Resolved = { c: [], p: [], trigger: [], rate: [], min: [], max: [], assumptions: [] };
  const noPrice: string[] = [];
  for (const m of sc.materials) {
    const t = terms[m] ?? {};
    const c = budget.kind === 'tonnes' ? 1 : t.costPerTonne;
    if (c === undefined) noPrice.push(m);
    const num = (v: number | undefined, d: number, f: string, min = 0) => {
      const x = v ?? d;
      if (!(x >= min) || Number.isNaN(x)) throw new OptimiseError(`terms.${m}.${f}`, `${m}: ${f} must be a number ≥ ${min}, got ${v}`);
      return x;
    };
    r.c.push(c === undefined ? NaN : num(c, 1, 'costPerTonne', Number.MIN_VALUE));
    r.p.push(num(t.shortfallCostPerTonne, 1, 'shortfallCostPerTonne'));
    r.trigger.push(num(t.triggerTonnes, 0, 'triggerTonnes'));
    r.rate.push(num(t.maxReleaseTonnesPerDay, Infinity, 'maxReleaseTonnesPerDay'));
    r.min.push(num(t.minStockTonnes, 0, 'minStockTonnes'));
    r.max.push(num(t.maxStockTonnes, Infinity, 'maxStockTonnes'));
    if (r.min.at(-1)! > r.max.at(-1)!)
      throw new OptimiseError(`terms.${m}.minStockTonnes`, `${m}: minStockTonnes ${r.min.at(-1)} exceeds maxStockTonnes ${r.max.at(-1)}`, 'infeasible');
  }
  if (noPrice.length)
    throw new OptimiseError(
      'terms',
      `a money budget needs a price per tonne for every material; none given for ${noPrice.join(', ')} (prices are not in the knowledge base): give costPerTonne, or use a tonnes budget`,
    );
  if (Object.values(terms).every((t) => t.shortfallCostPerTonne === undefined))
    r.assumptions.push('Shortfall cost 1 per tonne for every material: the optimisation minimises expected tonnes short.');
  return r;
}

function checkBudget(b: Budget, field = 'budget'): void {
  if (!Number.isFinite(b.amount) || b.amount < 0) throw new OptimiseError(field, `budget must be a finite amount ≥ 0, got ${b.amount}`);
}

/** Per scenario × material release cap from the release rules (0 below the trigger). */
function releaseCap(d: number, durationDays: number, trigger: number, rate: number): number {
  if (d <= 0 || d < trigger) return 0;
  return Math.min(d, rate * durationDays);
}

function expectedShortfall(sc: ShortfallScenarios, share = (m: number) => 1): number[] {
  return sc.materials.map((_, m) => sc.scenarios.reduce((a, s) => a + s.weight * s.shortfallTonnes[m] * share(m), 0));
}

const unit = (b: Budget) => (b.kind === 'tonnes' ? 't' : (b.currency ?? 'money units'));

export async function optimiseStockpile(pb: StockpileProblem): Promise<StockpileResult> {
  validateScenarios(pb.scenarios);
  checkBudget(pb.budget);
  const sc = pb.scenarios;
  const t = resolveTerms(sc, pb.budget, pb.terms);
  const M = sc.materials.length;
  const esWithout = expectedShortfall(sc);
  const costWithout = esWithout.reduce((a, e, m) => a + e * t.p[m], 0);
  const minSpend = t.min.reduce((a, x, m) => a + x * t.c[m], 0);
  if (minSpend > pb.budget.amount + 1e-9)
    throw new OptimiseError(
      'budget',
      `infeasible: the minimum stocks (${sc.materials
        .map((m, i) => (t.min[i] ? `${m} ${t.min[i]} t` : ''))
        .filter(Boolean)
        .join(', ')}) cost ${minSpend} ${unit(pb.budget)}, more than the budget of ${pb.budget.amount}`,
      'infeasible',
    );
  if (pb.budget.amount === 0)
    throw new OptimiseError(
      'budget',
      `the budget is 0 ${unit(pb.budget)}: nothing can be stocked, so there is nothing to optimise; expected shortfall without stock: ${esWithout.map((e, m) => `${sc.materials[m]} ${round(e)} t`).join(', ')}`,
    );

  const b = new ModelBuilder();
  const x = sc.materials.map((_, m) => b.col(0, t.min[m], t.max[m]));
  const caps = sc.scenarios.map((s) =>
    sc.materials.map((_, m) => (s.weight > 0 && t.p[m] > 0 ? releaseCap(s.shortfallTonnes[m], s.durationDays, t.trigger[m], t.rate[m]) : 0)),
  );
  if ((pb.formulation ?? 'extensive') === 'extensive') {
    // r_sm with cost −w_s p_m: minimising −Σ w p r is minimising the expected shortfall cost less its constant part.
    for (let i = 0; i < sc.scenarios.length; i++)
      for (let m = 0; m < M; m++) {
        if (caps[i][m] <= 0) continue;
        const j = b.col(-sc.scenarios[i].weight * t.p[m], 0, caps[i][m]);
        b.row(
          [
            [j, 1],
            [x[m], -1],
          ],
          -Infinity,
          0,
        );
      }
  } else {
    // y_mk: the k-th slice of stock between consecutive distinct caps c_(k−1) < c_k; it is released in every scenario
    // whose cap reaches c_k, so it is worth p_m Σ_{s: cap_sm ≥ c_k} w_s a tonne. Slopes fall with k, so the LP fills
    // the slices in order and Σ_k slope_k y_mk = Σ_s w_s p_m min(x_m, cap_sm).
    for (let m = 0; m < M; m++) {
      const pts = sc.scenarios.map((s, i) => [caps[i][m], s.weight] as [number, number]).filter(([c]) => c > 0);
      if (!pts.length) continue;
      pts.sort((a, c) => a[0] - c[0]);
      let above = pts.reduce((a, [, w]) => a + w, 0);
      let level = 0;
      const terms: Array<[number, number]> = [[x[m], -1]];
      for (let k = 0; k < pts.length;) {
        const cap = pts[k][0];
        terms.push([b.col(-t.p[m] * above, 0, cap - level), 1]);
        level = cap;
        for (; k < pts.length && pts[k][0] === cap; k++) above -= pts[k][1];
      }
      b.row(terms, -Infinity, 0);
    }
  }
  const budgetRow = b.row(
    x.map((j, m) => [j, t.c[m]] as [number, number]),
    -Infinity,
    pb.budget.amount,
  );
  const solved = await solveModel(b, { what: 'stockpile allocation', infeasibleBecause: () => 'the minimum stocks do not fit in the budget' });
  const materials: StockpileMaterialResult[] = sc.materials.map((id, m) => {
    // at the optimum every scenario with w_s p_m > 0 releases min(x_m, cap_sm) (its release has a negative cost)
    const release = sc.scenarios.reduce((a, s, i) => a + s.weight * Math.min(solved.x[x[m]], caps[i][m]), 0);
    return {
      material: id,
      stockTonnes: solved.x[x[m]],
      spent: solved.x[x[m]] * t.c[m],
      costPerTonne: t.c[m],
      shortfallCostPerTonne: t.p[m],
      expectedShortfallTonnesWithout: esWithout[m],
      expectedShortfallTonnesWith: esWithout[m] - release,
      expectedReleaseTonnes: release,
    };
  });
  const assumptions = [...t.assumptions];
  if (t.trigger.some((v) => v > 0)) assumptions.push('Release rule: no release in a scenario whose shortfall is below the material’s trigger.');
  if (t.rate.some((v) => v < Infinity)) assumptions.push('Release rule: release at most the stated tonnes a day over the disruption.');
  assumptions.push('Stock is bought before the disruption and released during it; the disruption ends after its duration (no second event).');
  return {
    budget: pb.budget,
    materials,
    spent: materials.reduce((a, m) => a + m.spent, 0),
    expectedShortfallCostWithout: costWithout,
    expectedShortfallCostWith: costWithout + solved.objective,
    marginalValueOfBudget: solved.rowDual ? Math.abs(solved.rowDual[budgetRow]) : null,
    scenarioCount: sc.scenarios.length,
    noDisruptionWeight: Math.max(0, 1 - totalWeight(sc)),
    model: { variables: b.numCols, constraints: b.numRows, solveSeconds: solved.solveSeconds },
    assumptions,
  };
}

const round = (v: number) => Number(v.toPrecision(6));

// ---------------------------------------------------------------------------------------------------------------
// Several holders: pooled stockpiles with burden sharing and emergency sharing.

export interface Holder {
  id: string;
  /** Share of each scenario's shortfall this holder bears: one number, or one per material. */
  shortfallShare: number | number[];
  /** Its own budget; or give `burdenShare` and a total budget on the problem. */
  budget?: number;
  burdenShare?: number;
}

export interface CoordinatedProblem {
  scenarios: ShortfallScenarios;
  holders: Holder[];
  budgetKind: 'money' | 'tonnes';
  currency?: string;
  /** Total budget split by `burdenShare` (β_h, summing to 1) when holders do not give their own. */
  totalBudget?: number;
  terms?: Record<string, MaterialTerms>;
  /** ς: the largest fraction of a partner's stock it releases to others in an emergency (0 = no sharing, 1 = all). */
  shareableFraction: number;
  /** Require that no partner is worse off pooled than alone (default true). */
  participation?: boolean;
}

export interface CoordinatedHolderResult {
  holder: string;
  budget: number;
  alone: { expectedShortfallCost: number; stockTonnes: number[] };
  pooled: { expectedShortfallCost: number; stockTonnes: number[]; expectedSharedOutTonnes: number; expectedReceivedTonnes: number };
  gain: number; // alone − pooled (≥ 0 with participation)
}

export interface CoordinatedResult {
  materials: string[];
  budgetKind: 'money' | 'tonnes';
  shareableFraction: number;
  holders: CoordinatedHolderResult[];
  aloneTotal: number;
  pooledTotal: number;
  gainOfCooperation: number;
  gainShare: number | null; // gain ÷ alone total
  expectedShortfallCostWithout: number;
  model: { variables: number; constraints: number; solveSeconds: number };
  assumptions: string[];
}

function holderShares(h: Holder, M: number, i: number): number[] {
  const a = typeof h.shortfallShare === 'number' ? Array(M).fill(h.shortfallShare) : h.shortfallShare;
  if (a.length !== M) throw new OptimiseError(`holders.${i}.shortfallShare`, `${h.id}: ${a.length} shortfall shares for ${M} materials`);
  a.forEach((v: number) => {
    if (!(v >= 0 && v <= 1)) throw new OptimiseError(`holders.${i}.shortfallShare`, `${h.id}: a shortfall share must be between 0 and 1, got ${v}`);
  });
  return a;
}

export async function optimiseCoordinated(pb: CoordinatedProblem): Promise<CoordinatedResult> {
  validateScenarios(pb.scenarios);
  const sc = pb.scenarios;
  const M = sc.materials.length;
  const H = pb.holders.length;
  if (H < 2) throw new OptimiseError('holders', `coordination needs at least two holders, got ${H}`);
  const ids = pb.holders.map((h) => h.id);
  if (new Set(ids).size !== H) throw new OptimiseError('holders', `a holder is listed twice: ${ids.join(', ')}`);
  if (!(pb.shareableFraction >= 0 && pb.shareableFraction <= 1))
    throw new OptimiseError('shareableFraction', `shareableFraction must be between 0 and 1, got ${pb.shareableFraction}`);
  const a = pb.holders.map((h, i) => holderShares(h, M, i));
  for (let m = 0; m < M; m++) {
    const s = a.reduce((acc, x) => acc + x[m], 0);
    if (s > 1 + 1e-9) throw new OptimiseError('holders', `the holders' shortfall shares of ${sc.materials[m]} sum to ${round(s)} > 1`);
  }
  const budgets = pb.holders.map((h, i) => {
    if (h.budget !== undefined) return h.budget;
    if (h.burdenShare === undefined || pb.totalBudget === undefined)
      throw new OptimiseError(`holders.${i}.budget`, `${h.id}: give its budget, or a burdenShare and the problem's totalBudget`);
    return h.burdenShare * pb.totalBudget;
  });
  if (pb.holders.every((h) => h.budget === undefined)) {
    const sb = pb.holders.reduce((acc, h) => acc + (h.burdenShare ?? 0), 0);
    if (Math.abs(sb - 1) > 1e-6) throw new OptimiseError('holders', `burden shares sum to ${round(sb)}, not 1`);
  }
  budgets.forEach((v, i) => checkBudget({ kind: pb.budgetKind, amount: v }, `holders.${i}.budget`));
  if (budgets.every((v) => v === 0))
    throw new OptimiseError('budget', 'every partner’s budget is 0: nothing can be stocked, so there is nothing to coordinate');
  const budgetOf = (v: number): Budget => (pb.budgetKind === 'money' ? { kind: 'money', amount: v, currency: pb.currency } : { kind: 'tonnes', amount: v });
  const t = resolveTerms(sc, budgetOf(1), pb.terms);

  // Alone: each partner's own LP on its share of the shortfalls.
  const alone: Array<{ cost: number; stock: number[] }> = [];
  for (let h = 0; h < H; h++) {
    const own: ShortfallScenarios = {
      materials: sc.materials,
      scenarios: sc.scenarios.map((s) => ({ ...s, shortfallTonnes: s.shortfallTonnes.map((d, m) => d * a[h][m]) })),
    };
    const costWithout = expectedShortfall(own).reduce((acc, e, m) => acc + e * t.p[m], 0);
    if (budgets[h] === 0 || own.scenarios.every((s) => s.shortfallTonnes.every((d) => d === 0))) {
      alone.push({ cost: costWithout, stock: Array(M).fill(0) });
      continue;
    }
    // Triggers apply to the whole shortfall d_sm (a bloc-wide trigger), so hand the single LP per-partner triggers scaled by a_hm.
    const terms: Record<string, MaterialTerms> = {};
    sc.materials.forEach((id, m) => {
      terms[id] = {
        costPerTonne: t.c[m],
        shortfallCostPerTonne: t.p[m],
        triggerTonnes: t.trigger[m] * a[h][m],
        maxReleaseTonnesPerDay: t.rate[m] * a[h][m],
        minStockTonnes: 0,
      };
    });
    const r = await optimiseStockpile({ scenarios: own, budget: budgetOf(budgets[h]), terms });
    alone.push({ cost: r.expectedShortfallCostWith, stock: r.materials.map((x) => x.stockTonnes) });
  }

  // Pooled.
  const b = new ModelBuilder();
  const x = pb.holders.map((_, h) => sc.materials.map(() => b.col(0)));
  const ownRel: number[][][] = []; // [s][h][m] column or -1
  const sharedOut: number[][][] = [];
  const received: number[][][] = [];
  const valueTerms: Array<Array<[number, number]>> = pb.holders.map(() => []);
  sc.scenarios.forEach((s) => {
    const o: number[][] = [];
    const e: number[][] = [];
    const g: number[][] = [];
    for (let h = 0; h < H; h++) {
      o.push([]);
      e.push([]);
      g.push([]);
    }
    for (let m = 0; m < M; m++) {
      const d = s.shortfallTonnes[m];
      const active = d > 0 && d >= t.trigger[m] && s.weight > 0 && t.p[m] > 0;
      for (let h = 0; h < H; h++) {
        const need = a[h][m] * d;
        if (!active) {
          o[h].push(-1);
          e[h].push(-1);
          g[h].push(-1);
          continue;
        }
        const rateCap = t.rate[m] * a[h][m] * s.durationDays; // a partner's drawdown capacity scales with its share
        const oj = b.col(-s.weight * t.p[m], 0, Math.min(need, rateCap));
        const ej = pb.shareableFraction > 0 ? b.col(0, 0, rateCap) : -1;
        const gj = pb.shareableFraction > 0 ? b.col(-s.weight * t.p[m], 0, need) : -1;
        o[h].push(oj);
        e[h].push(ej);
        g[h].push(gj);
        valueTerms[h].push([oj, s.weight * t.p[m]]);
        if (gj >= 0) valueTerms[h].push([gj, s.weight * t.p[m]]);
        const held: Array<[number, number]> = [
          [oj, 1],
          [x[h][m], -1],
        ];
        if (ej >= 0) held.push([ej, 1]);
        b.row(held, -Infinity, 0);
        if (rateCap < Infinity && ej >= 0)
          b.row(
            [
              [oj, 1],
              [ej, 1],
            ],
            -Infinity,
            rateCap,
          );
        if (ej >= 0 && pb.shareableFraction < 1)
          b.row(
            [
              [ej, 1],
              [x[h][m], -pb.shareableFraction],
            ],
            -Infinity,
            0,
          );
        if (gj >= 0)
          b.row(
            [
              [oj, 1],
              [gj, 1],
            ],
            -Infinity,
            need,
          );
      }
      if (active && pb.shareableFraction > 0)
        b.row([...g.map((gh) => [gh[m], 1] as [number, number]), ...e.map((eh) => [eh[m], -1] as [number, number])], 0, 0);
    }
    ownRel.push(o);
    sharedOut.push(e);
    received.push(g);
  });
  pb.holders.forEach((_, h) =>
    b.row(
      sc.materials.map((__, m) => [x[h][m], t.c[m]] as [number, number]),
      -Infinity,
      budgets[h],
    ),
  );
  const withoutH = pb.holders.map((_, h) => expectedShortfall(sc, (m) => a[h][m]).reduce((acc, e, m) => acc + e * t.p[m], 0));
  const participation = pb.participation ?? true;
  if (participation)
    pb.holders.forEach((_, h) => {
      // Σ w p (o + g) ≥ (cost without − cost alone) − tolerance, i.e. pooled cost ≤ alone cost
      const need = withoutH[h] - alone[h].cost;
      if (need > 0 && valueTerms[h].length) b.row(valueTerms[h], need * (1 - 1e-9) - 1e-9, Infinity);
    });
  const solved = await solveModel(b, { what: 'coordinated stockpiles', infeasibleBecause: () => 'the participation constraints cannot all hold' });
  const val = (j: number) => (j >= 0 ? solved.x[j] : 0);
  const holders: CoordinatedHolderResult[] = pb.holders.map((hd, h) => {
    let relValue = 0;
    let out = 0;
    let rec = 0;
    sc.scenarios.forEach((s, i) => {
      for (let m = 0; m < M; m++) {
        relValue += s.weight * t.p[m] * (val(ownRel[i][h][m]) + val(received[i][h][m]));
        out += s.weight * val(sharedOut[i][h][m]);
        rec += s.weight * val(received[i][h][m]);
      }
    });
    const pooledCost = withoutH[h] - relValue;
    return {
      holder: hd.id,
      budget: budgets[h],
      alone: { expectedShortfallCost: alone[h].cost, stockTonnes: alone[h].stock },
      pooled: {
        expectedShortfallCost: pooledCost,
        stockTonnes: sc.materials.map((_, m) => solved.x[x[h][m]]),
        expectedSharedOutTonnes: out,
        expectedReceivedTonnes: rec,
      },
      // within the solver's feasibility tolerance of zero → 0 (the participation row allows no real loss)
      gain: Math.abs(alone[h].cost - pooledCost) < 1e-6 * Math.max(1, alone[h].cost) ? 0 : alone[h].cost - pooledCost,
    };
  });
  const aloneTotal = holders.reduce((acc, h) => acc + h.alone.expectedShortfallCost, 0);
  const pooledTotal = holders.reduce((acc, h) => acc + h.pooled.expectedShortfallCost, 0);
  const assumptions = [...t.assumptions];
  assumptions.push(
    `Emergency sharing: in a disruption each partner may release up to ${round(pb.shareableFraction * 100)}% of its stock to partners; received stock covers only the receiver's own shortfall.`,
  );
  if (participation) assumptions.push('Participation: the pooled plan leaves no partner with a higher expected shortfall cost than it would have alone.');
  if (t.trigger.some((v) => v > 0)) assumptions.push('Release trigger on the bloc-wide shortfall of each material.');
  return {
    materials: sc.materials,
    budgetKind: pb.budgetKind,
    shareableFraction: pb.shareableFraction,
    holders,
    aloneTotal,
    pooledTotal,
    gainOfCooperation: aloneTotal - pooledTotal,
    gainShare: aloneTotal > 0 ? (aloneTotal - pooledTotal) / aloneTotal : null,
    expectedShortfallCostWithout: withoutH.reduce((acc, v) => acc + v, 0),
    model: { variables: b.numCols, constraints: b.numRows, solveSeconds: solved.solveSeconds },
    assumptions,
  };
}
