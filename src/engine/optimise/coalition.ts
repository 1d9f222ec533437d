/**
 * Coalition builder (docs/optimisation.md §4): the smallest set of partner countries, or the cheapest by a stated cost,
 * that brings a bloc's coverage of world demand to a target for every material of a basket. A mixed-integer program:
 *
 *   y_c ∈ {0,1}   partner c joins                         (candidates: named suppliers outside the bloc)
 *   minimise   Σ_c k_c y_c                                  (k_c = 1: the smallest set; else the stated cost)
 *   reading "self-sufficiency" (coalition N-1 (b): every non-member stops):
 *              M_m + Σ_c S_cm y_c ≥ τ D_m        ∀ m          M_m = the bloc's own supply, S_cm = c's supply, D_m = demand
 *   reading "n1" (coalition N-1 (a): the largest outside supplier stops):
 *              y_c = 1 for every named c with S_cm > S_m − τ D_m   (otherwise c, left outside, is the one that stops)
 *
 * The figures are those of `chokepoint coalition n1` (same series, same demand); the chosen coalition is checked by
 * running `coalitionN1` on it, and the result reports both.
 */
import { countryName } from '../../model/countries.ts';
import { getMaterial } from '../../model/materials.ts';
import { isAggregateEntity } from '../../model/schema.ts';
import type { DatasetIndex } from '../dataset.ts';
import type { Citation } from '../../model/provenance.ts';
import { coalitionN1, type CoalitionN1Result } from '../coalition/n1.ts';
import { CoalitionError, resolveCoalition } from '../coalition/share.ts';
import type { NetworkStage } from '../stress/network.ts';
import { pickStageSupply } from '../stress/inputs.ts';
import { OptimiseError, ModelBuilder, solveModel } from './solver.ts';

export type CoverageReading = 'self-sufficiency' | 'n1';

/** Plain inputs: one entry per material. */
export interface CoalitionMaterialInput {
  material: string;
  totalTonnes: number; // S_m
  demandTonnes: number; // D_m
  /** Named suppliers' tonnes (no aggregates). */
  supply: Record<string, number>;
}

export interface CoalitionProblem {
  bloc: string[];
  materials: CoalitionMaterialInput[];
  target: number; // τ, e.g. 0.5
  reading: CoverageReading;
  /** Partner countries that may join; default every named supplier outside the bloc. */
  candidates?: string[];
  /** Stated cost of each candidate joining; a candidate without one costs `defaultCost`. */
  costs?: Record<string, number>;
  defaultCost?: number;
}

export interface CoalitionSolution {
  partners: string[];
  cost: number;
  coverage: Array<{ material: string; before: number; after: number; target: number }>;
  candidates: number;
  model: { variables: number; constraints: number; solveSeconds: number };
}

/** The coverage of material m by a coalition (bloc ∪ partners) under a reading. */
export function coverageOf(m: CoalitionMaterialInput, coalition: Set<string>, reading: CoverageReading): number {
  if (reading === 'self-sufficiency') {
    let inside = 0;
    for (const [c, t] of Object.entries(m.supply)) if (coalition.has(c)) inside += t;
    return inside / m.demandTonnes;
  }
  let largestOut = 0;
  for (const [c, t] of Object.entries(m.supply)) if (!coalition.has(c)) largestOut = Math.max(largestOut, t);
  return (m.totalTonnes - largestOut) / m.demandTonnes;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export async function optimiseCoalition(pb: CoalitionProblem): Promise<CoalitionSolution> {
  if (!(pb.target > 0 && Number.isFinite(pb.target))) throw new OptimiseError('target', `target coverage must be > 0 (e.g. 0.5 for 50%), got ${pb.target}`);
  if (!pb.materials.length) throw new OptimiseError('materials', 'no materials in the basket');
  for (const m of pb.materials)
    if (!(m.demandTonnes > 0)) throw new OptimiseError('materials', `${m.material}: demand must be > 0 tonnes, got ${m.demandTonnes}`);
  const bloc = new Set(pb.bloc);
  const named = new Set(pb.materials.flatMap((m) => Object.keys(m.supply).filter((c) => m.supply[c] > 0)));
  const candidates = (pb.candidates ?? [...named]).filter((c) => !bloc.has(c)).sort();
  const cost = (c: string) => pb.costs?.[c] ?? pb.defaultCost ?? 1;
  for (const c of candidates) if (!(cost(c) >= 0)) throw new OptimiseError(`costs.${c}`, `cost of ${c} must be ≥ 0, got ${cost(c)}`);
  const all = new Set([...bloc, ...candidates]);

  // Diagnose infeasibility before solving: with every candidate in, which materials still miss the target, and why.
  const short: string[] = [];
  for (const m of pb.materials) {
    const best = coverageOf(m, all, pb.reading);
    if (best < pb.target - 1e-12) {
      if (pb.reading === 'self-sufficiency') short.push(`${m.material}: ${pct(best)} with every candidate in`);
      else {
        const blockers = Object.entries(m.supply)
          .filter(([c, t]) => !all.has(c) && t > m.totalTonnes - pb.target * m.demandTonnes)
          .map(([c, t]) => `${c} ${pct(t / m.totalTonnes)} of supply`);
        short.push(
          blockers.length
            ? `${m.material}: ${pct(best)} at best, because ${blockers.join(', ')} cannot join (not a candidate) and alone takes coverage below the target`
            : `${m.material}: ${pct(best)} at best (world supply less the largest supplier falls short of ${pct(pb.target)} of demand)`,
        );
      }
    }
  }
  if (short.length)
    throw new OptimiseError('target', `no coalition reaches ${pct(pb.target)} coverage (${pb.reading}) for every material — ${short.join('; ')}`, 'infeasible');

  const b = new ModelBuilder();
  const y = new Map(candidates.map((c) => [c, b.col(cost(c), 0, 1, true)]));
  for (const m of pb.materials) {
    if (pb.reading === 'self-sufficiency') {
      const own = Object.entries(m.supply).reduce((a, [c, t]) => a + (bloc.has(c) ? t : 0), 0);
      const need = pb.target * m.demandTonnes - own;
      if (need <= 0) continue;
      b.row(
        candidates.filter((c) => (m.supply[c] ?? 0) > 0).map((c) => [y.get(c)!, m.supply[c]] as [number, number]),
        need,
        Infinity,
      );
    } else {
      for (const [c, t] of Object.entries(m.supply)) if (y.has(c) && t > m.totalTonnes - pb.target * m.demandTonnes) b.row([[y.get(c)!, 1]], 1, 1);
    }
  }
  let partners: string[] = [];
  let objective = 0;
  let solveSeconds = 0;
  if (b.numRows > 0) {
    const solved = await solveModel(b, { what: 'coalition builder' });
    partners = candidates.filter((c) => solved.x[y.get(c)!] > 0.5);
    objective = partners.reduce((a, c) => a + cost(c), 0);
    solveSeconds = solved.solveSeconds;
  }
  const after = new Set([...bloc, ...partners]);
  return {
    partners,
    cost: objective,
    coverage: pb.materials.map((m) => ({
      material: m.material,
      before: coverageOf(m, bloc, pb.reading),
      after: coverageOf(m, after, pb.reading),
      target: pb.target,
    })),
    candidates: candidates.length,
    model: { variables: b.numCols, constraints: b.numRows, solveSeconds },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// From the knowledge base.

export interface CoalitionBuilderOptions {
  bloc: string | string[];
  materials: string[];
  stage: NetworkStage;
  year: number;
  target: number;
  reading?: CoverageReading;
  dataset?: string;
  demandScenario?: string;
  /** Countries that may not join (e.g. CHN). */
  exclude?: string[];
  candidates?: string[];
  costs?: Record<string, number>;
  costBasis?: string; // what the cost means, printed with the result
  expandEu?: boolean;
}

export interface CoalitionBuilderReport {
  bloc: { id: string; label: string; members: string[] };
  stage: NetworkStage;
  year: number;
  target: number;
  reading: CoverageReading;
  objective: string;
  partners: Array<{ countryId: string; country: string; cost: number }>;
  cost: number;
  rows: Array<{
    materialId: string;
    material: string;
    demandTonnes: number;
    demandProxy: boolean;
    before: number;
    after: number;
    /** The same coverage recomputed by `coalitionN1` on the enlarged coalition (the check). */
    checkedByCoalitionN1: number | null;
    source: Citation;
  }>;
  candidates: number;
  model: CoalitionSolution['model'];
  assumptions: string[];
  gaps: string[];
  sources: Citation[];
}

/** The coalition N-1 figure for a reading. With every named supplier inside, coalition N-1 excludes nobody (and runs
 * no stress test, so carries no demand): then the members' supply (or all supply) over the demand of the first run. */
function n1Coverage(r: CoalitionN1Result, reading: CoverageReading, demandTonnes: number): number | null {
  if (reading === 'self-sufficiency') return r.allOutside ? r.allOutside.selfSufficiencyWorldDemand : r.supply.memberTonnes / demandTonnes;
  return r.largestOutside ? r.largestOutside.coverageWorldRatio : r.supply.totalTonnes / demandTonnes;
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof CoalitionError) throw new OptimiseError(e.field ?? 'request', e.message, e.kind === 'not_found' ? 'not_found' : 'input');
    throw e;
  }
}

export async function buildCoalition(index: DatasetIndex, o: CoalitionBuilderOptions): Promise<CoalitionBuilderReport> {
  const reading = o.reading ?? 'self-sufficiency';
  const bloc = wrap(() => resolveCoalition(index, o.bloc, { expandEu: o.expandEu }));
  if (!o.materials.length) throw new OptimiseError('material', 'name at least one material for the basket');
  const inputs: CoalitionMaterialInput[] = [];
  const base: CoalitionN1Result[] = [];
  const gaps: string[] = [];
  const assumptions: string[] = [...bloc.notes];
  const sources = new Map<string, Citation>(bloc.sources.map((c) => [c.text, c]));
  for (const materialId of o.materials) {
    const r = wrap(() => coalitionN1(index, { materialId, stage: o.stage, year: o.year, members: bloc, dataset: o.dataset, demandScenario: o.demandScenario }));
    if (!r.demand)
      throw new OptimiseError('material', `${r.material}: no demand figure (not even a proxy) for ${o.year}; coverage cannot be computed`, 'not_found');
    const p = pickStageSupply(index, materialId, o.stage, o.year, { dataset: r.supply.dataset, scenario: r.supply.scenario ?? undefined });
    const supply: Record<string, number> = {};
    for (const c of p.supply?.countries ?? []) if (!isAggregateEntity(c.countryId) && c.tonnes > 0) supply[c.countryId] = c.tonnes;
    inputs.push({ material: materialId, totalTonnes: r.supply.totalTonnes, demandTonnes: r.demand.tonnes, supply });
    base.push(r);
    for (const g of r.gaps) gaps.push(`${r.material}: ${g}`);
    if (r.demand.proxy) assumptions.push(`${r.material}: demand is a proxy (world production); coverage is of that proxy.`);
    for (const s of r.sources) sources.set(s.text, s);
  }
  const excluded = new Set((o.exclude ?? []).map((c) => c.toUpperCase()));
  const named = new Set(inputs.flatMap((m) => Object.keys(m.supply)));
  const candidates = (o.candidates?.map((c) => c.toUpperCase()) ?? [...named]).filter((c) => !excluded.has(c));
  if (o.candidates)
    for (const c of o.candidates)
      if (!named.has(c.toUpperCase())) assumptions.push(`Candidate ${c.toUpperCase()} supplies none of the basket at this stage and year.`);
  if (o.costs) {
    const missing = candidates.filter((c) => o.costs![c] === undefined && !bloc.members.includes(c));
    if (missing.length) assumptions.push(`No cost stated for ${missing.join(', ')}: counted at 1 each.`);
  }
  const sol = await optimiseCoalition({ bloc: bloc.members, materials: inputs, target: o.target, reading, candidates, costs: o.costs, defaultCost: 1 });
  const enlarged = [...new Set([...bloc.members, ...sol.partners])].sort();
  const rows: CoalitionBuilderReport['rows'] = [];
  for (let i = 0; i < inputs.length; i++) {
    const r0 = base[i];
    const check = sol.partners.length
      ? wrap(() =>
          coalitionN1(index, {
            materialId: inputs[i].material,
            stage: o.stage,
            year: o.year,
            members: enlarged,
            dataset: r0.supply.dataset,
            demandScenario: o.demandScenario,
          }),
        )
      : r0;
    rows.push({
      materialId: inputs[i].material,
      material: getMaterial(inputs[i].material)?.name ?? inputs[i].material,
      demandTonnes: inputs[i].demandTonnes,
      demandProxy: r0.demand?.proxy ?? false,
      before: sol.coverage[i].before,
      after: sol.coverage[i].after,
      checkedByCoalitionN1: n1Coverage(check, reading, inputs[i].demandTonnes),
      source: r0.supply.source,
    });
  }
  if (reading === 'self-sufficiency')
    assumptions.push(
      'Coverage = the coalition’s own supply ÷ world demand if every non-member stops (coalition N-1 (b), lower reading: unattributed "rest of world" supply counted as lost).',
    );
  else assumptions.push('Coverage = world supply less the largest supplier outside the coalition ÷ world demand (coalition N-1 (a)).');
  return {
    bloc: { id: bloc.id, label: bloc.label, members: bloc.members },
    stage: o.stage,
    year: o.year,
    target: o.target,
    reading,
    objective: o.costs ? `cheapest by stated cost${o.costBasis ? ` (${o.costBasis})` : ''}` : 'smallest number of partners',
    partners: sol.partners.map((c) => ({ countryId: c, country: countryName(c), cost: o.costs?.[c] ?? 1 })),
    cost: sol.cost,
    rows,
    candidates: sol.candidates,
    model: sol.model,
    assumptions: [...new Set(assumptions)],
    gaps: [...new Set(gaps)],
    sources: [...sources.values()],
  };
}
