/**
 * Supply network of one material in one year: mining countries → refining countries → end-use sectors.
 * Pure: takes plain stage supplies and flow rules, returns plain flows.
 *
 * Allocation of ore to refiners (used where no bilateral flow data is loaded — the documented default):
 *  1. Every refiner needs ore in proportion to its refined output: requirement_r = R_r / k, with the
 *     yield factor k = R_total / M_total (refined tonnes per mined tonne; it absorbs secondary feed, stock
 *     changes and basis differences). By construction Σ requirement_r = M_total, so every mined tonne has a buyer.
 *  2. Domestic first: a country's refiners take their own country's ore first, up to their requirement.
 *  3. Dedicated routes (exception list, `FlowRule`): the remaining ore of `from` goes to the refiners in `to`
 *     first, pro rata to their remaining requirement (e.g. Myanmar / Kazakhstan rare-earth concentrate to China).
 *  4. Pool: all ore left over is shared by all remaining refiner requirements pro rata ("refiners draw on
 *     world mine supply pro rata").
 * Aggregates ("OTH", rest of world) take part only in the pool (an aggregate is not one country).
 * Conservation: Σ flows = M_total and Σ_m flow(m→r) = requirement_r for every refiner (tested).
 *
 * The pool is kept as one node (`pool`: what each miner puts in, what each refiner draws), not as its n × n pairwise
 * flows: the pair flow m→r is supply_m × draw_r ÷ total, so a network over n countries per stage is built and a shock
 * propagated in time linear in n. `networkFlows` lists the pairs for views that show them (Sankey, tables, Monte Carlo).
 */
import { AGGREGATE_IDS, isAggregateEntity, type Basis } from '../../model/schema.ts';
import type { Citation } from '../../model/provenance.ts';
import { rowsAboveTotalNote, seriesConcentration, type Concentration, type SupplyEntry } from '../concentration.ts';

export type NetworkStage = 'mining' | 'refining';

export interface CountryTonnes {
  countryId: string; // ISO3, or 'OTH' for supply not attributed to a named country
  tonnes: number;
}

export interface StageSupply {
  stage: NetworkStage;
  year: number;
  unit: string;
  basis: Basis;
  scenario: string | null;
  sourceId: string;
  countries: CountryTonnes[]; // largest first; 'OTH' (residual) last
  totalTonnes: number;
  gaps: string[]; // countries whose figure is withheld / not available (counted nowhere)
  notes?: string[]; // how the total was read (e.g. IEA rows that add up to more than the published total)
}

export interface FlowRule {
  materialId: string;
  from: string;
  to: string[];
  note: string;
  source: Citation; // status 'default' when the rule is not backed by a published source
}

export interface Flow {
  from: string; // mining country
  to: string; // refining country
  oreTonnes: number; // in mining-stage units
  route: 'domestic' | 'dedicated' | 'pool';
}

/** The pool as one node: ore each miner has left after domestic and dedicated routes, and what each refiner still needs. */
export interface OrePool {
  supplyOreTonnes: Record<string, number>;
  drawOreTonnes: Record<string, number>;
  /** Σ draw (= Σ supply up to rounding: every mined tonne has a buyer). A pair flow is supply_m × draw_r ÷ this. */
  totalDrawOreTonnes: number;
}

export interface SupplyNetwork {
  materialId: string;
  year: number;
  mining: StageSupply | null;
  refining: StageSupply | null;
  /** k = refined tonnes per mined tonne (R_total / M_total); null for a single-stage network. */
  yieldRefinedPerMined: number | null;
  /** Ore requirement of each refiner (mining-stage units). */
  requirementOreTonnes: Record<string, number>;
  /** Domestic and dedicated flows; the pool's share of each pair is in `pool` (all pairs: `networkFlows`). */
  routedFlows: Flow[];
  pool: OrePool | null;
  rulesApplied: FlowRule[];
  assumptions: string[];
}

const EPS = 1e-9;

/**
 * Stage supply from one series' entries (named countries, 'OTH' residual, 'WLD' total), with the total and shares of
 * `seriesConcentration()` — the same function the concentration report uses, so a country's share of a cell is one
 * number everywhere. Anything in the total not attributed to a named country becomes the 'OTH' node, so the nodes add up
 * to the total and the network conserves tonnes (for IEA cells whose rows add up to more than the published total, the
 * 'OTH' node is the published total minus the named countries, smaller than the published "Rest of world" row).
 */
export function stageSupplyFromEntries(
  entries: SupplyEntry[],
  dataset: string,
  meta: Omit<StageSupply, 'countries' | 'totalTonnes' | 'gaps'>,
): StageSupply | null {
  const c = seriesConcentration(entries, dataset);
  if (!c) return null;
  const countries = stageCountries(c);
  const note = rowsAboveTotalNote(entries, c, meta.unit);
  const notes = note ? [`${meta.stage[0].toUpperCase()}${meta.stage.slice(1)} ${meta.year}: ${note}`] : [];
  return { ...meta, countries, totalTonnes: c.total, gaps: c.gaps.map((g) => `${g.countryId} (${g.status})`), notes };
}

/** A stage's suppliers from its concentration: named countries with output, largest first, then the residual ('OTH'). */
export function stageCountries(c: Pick<Concentration, 'shares' | 'total' | 'namedTotal'>): CountryTonnes[] {
  const countries: CountryTonnes[] = c.shares.filter((s) => s.value > 0).map((s) => ({ countryId: s.countryId, tonnes: s.value }));
  const residual = c.total - c.namedTotal;
  if (residual > EPS * c.total) countries.push({ countryId: AGGREGATE_IDS.other, tonnes: residual });
  return countries;
}

export function buildNetwork(
  materialId: string,
  year: number,
  mining: StageSupply | null,
  refining: StageSupply | null,
  rules: FlowRule[] = [],
): SupplyNetwork {
  const assumptions: string[] = [];
  const net: SupplyNetwork = {
    materialId,
    year,
    mining,
    refining,
    yieldRefinedPerMined: null,
    requirementOreTonnes: {},
    routedFlows: [],
    pool: null,
    rulesApplied: [],
    assumptions,
  };
  if (!mining || !refining || !(mining.totalTonnes > 0) || !(refining.totalTonnes > 0)) {
    assumptions.push(
      mining && refining
        ? 'Single-stage network: one stage has no supply, so no ore-to-refinery flows are modelled.'
        : `Single-stage network: only ${mining ? 'mining' : refining ? 'refining' : 'no'} supply by country is available for ${materialId} ${year}; a shock there passes straight to end uses.`,
    );
    return net;
  }
  const k = refining.totalTonnes / mining.totalTonnes;
  net.yieldRefinedPerMined = k;
  assumptions.push(
    `No bilateral ore-flow data is used: refiners draw on world mine supply pro rata to their output, after using their own country's ore first` +
      ` (yield factor k = refined ÷ mined = ${k.toFixed(3)}, which absorbs secondary feed, stock changes and basis differences).`,
  );

  const supplyLeft = new Map<string, number>();
  for (const m of mining.countries) supplyLeft.set(m.countryId, (supplyLeft.get(m.countryId) ?? 0) + m.tonnes);
  const reqLeft = new Map<string, number>();
  for (const r of refining.countries) {
    const req = r.tonnes / k;
    net.requirementOreTonnes[r.countryId] = (net.requirementOreTonnes[r.countryId] ?? 0) + req;
    reqLeft.set(r.countryId, (reqLeft.get(r.countryId) ?? 0) + req);
  }
  const flowMap = new Map<string, Flow>();
  const addFlow = (from: string, to: string, t: number, route: Flow['route']) => {
    if (!(t > 0)) return;
    const key = `${from}>${to}`;
    const f = flowMap.get(key);
    if (f) {
      f.oreTonnes += t;
      if (f.route !== route) f.route = f.route === 'domestic' || route === 'domestic' ? 'domestic' : 'dedicated';
    } else flowMap.set(key, { from, to, oreTonnes: t, route });
    supplyLeft.set(from, supplyLeft.get(from)! - t);
    reqLeft.set(to, reqLeft.get(to)! - t);
  };

  // 2. Domestic first (named countries only).
  for (const [c, s] of supplyLeft) {
    if (isAggregateEntity(c) || !reqLeft.has(c)) continue;
    addFlow(c, c, Math.min(s, reqLeft.get(c)!), 'domestic');
  }
  // 3. Dedicated routes.
  for (const rule of rules) {
    if (rule.materialId !== materialId) continue;
    if (!mining.countries.some((m) => m.countryId === rule.from && m.tonnes > 0)) continue;
    net.rulesApplied.push(rule);
    assumptions.push(`Exception: ${rule.note}${rule.source.status === 'default' ? ` [${rule.source.text}]` : ` (source: ${rule.source.text})`}.`);
    const avail = supplyLeft.get(rule.from) ?? 0;
    const targets = rule.to.filter((t) => (reqLeft.get(t) ?? 0) > EPS);
    if (!(avail > EPS) || !targets.length) continue;
    const need = targets.reduce((s, t) => s + reqLeft.get(t)!, 0);
    const send = Math.min(avail, need);
    for (const t of targets) addFlow(rule.from, t, (send * reqLeft.get(t)!) / need, 'dedicated');
  }
  // 4. Pool (one node; the pairs are supply × draw ÷ total).
  const pool = [...supplyLeft.values()].reduce((s, v) => s + Math.max(0, v), 0);
  if (pool > EPS) {
    const suppliers = [...supplyLeft].filter(([, v]) => v > EPS);
    const takers = [...reqLeft].filter(([, v]) => v > EPS);
    const totalDraw = takers.reduce((s, [, v]) => s + v, 0);
    if (totalDraw > 0) net.pool = { supplyOreTonnes: Object.fromEntries(suppliers), drawOreTonnes: Object.fromEntries(takers), totalDrawOreTonnes: totalDraw };
  }
  net.routedFlows = [...flowMap.values()];
  return net;
}

/** The pool's flow from miner m to refiner r (ore tonnes). */
export function poolFlow(pool: OrePool, m: string, r: string): number {
  return ((pool.supplyOreTonnes[m] ?? 0) * (pool.drawOreTonnes[r] ?? 0)) / pool.totalDrawOreTonnes;
}

const pairFlows = new WeakMap<SupplyNetwork, Flow[]>();

/**
 * Every miner → refiner flow, largest first: routed flows plus the pool's pairs (a pair both routed and pooled is one
 * flow, 'domestic' if either part is, else 'dedicated'). n × n pairs for n countries per stage: for views that list them.
 */
export function networkFlows(net: SupplyNetwork): Flow[] {
  let out = pairFlows.get(net);
  if (out) return out;
  const byPair = new Map<string, Flow>();
  for (const f of net.routedFlows) byPair.set(`${f.from}>${f.to}`, { ...f });
  if (net.pool) {
    const p = net.pool;
    for (const [m, s] of Object.entries(p.supplyOreTonnes))
      for (const [r, q] of Object.entries(p.drawOreTonnes)) {
        const t = (s * q) / p.totalDrawOreTonnes;
        if (!(t > 0)) continue;
        const f = byPair.get(`${m}>${r}`);
        if (!f) byPair.set(`${m}>${r}`, { from: m, to: r, oreTonnes: t, route: 'pool' });
        else {
          f.oreTonnes += t;
          if (f.route !== 'domestic') f.route = 'dedicated';
        }
      }
  }
  out = [...byPair.values()].sort((a, b) => b.oreTonnes - a.oreTonnes);
  pairFlows.set(net, out);
  return out;
}

/** Each refiner's ore intake (routed + drawn from the pool), without listing the pairs. */
export function oreIntake(net: SupplyNetwork): Map<string, number> {
  const intake = new Map<string, number>();
  for (const f of net.routedFlows) intake.set(f.to, (intake.get(f.to) ?? 0) + f.oreTonnes);
  if (net.pool) {
    const put = Object.values(net.pool.supplyOreTonnes).reduce((a, b) => a + b, 0);
    for (const [r, q] of Object.entries(net.pool.drawOreTonnes)) intake.set(r, (intake.get(r) ?? 0) + (put * q) / net.pool.totalDrawOreTonnes);
  }
  return intake;
}

/** Share of refiner r's ore intake that comes from mining country m (0 when r has no intake). */
export function oreDependence(net: SupplyNetwork, refiner: string): Array<{ from: string; share: number; oreTonnes: number }> {
  const inflow = new Map<string, number>();
  for (const f of net.routedFlows) if (f.to === refiner) inflow.set(f.from, (inflow.get(f.from) ?? 0) + f.oreTonnes);
  const p = net.pool;
  if (p && p.drawOreTonnes[refiner])
    for (const m of Object.keys(p.supplyOreTonnes)) {
      const t = poolFlow(p, m, refiner);
      if (t > 0) inflow.set(m, (inflow.get(m) ?? 0) + t);
    }
  const total = [...inflow.values()].reduce((s, t) => s + t, 0);
  return [...inflow].map(([from, oreTonnes]) => ({ from, oreTonnes, share: total > 0 ? oreTonnes / total : 0 })).sort((a, b) => b.share - a.share);
}
