/**
 * Downstream propagation of a supply shock through a `SupplyNetwork`:
 *  - mining shock: ore flows out of the shocked countries stop (outage: all of them; export ban: only flows to refiners
 *    outside the shocked set — their own refiners keep their ore). Each refiner loses k × (ore tonnes it no longer
 *    receives); no replacement ore in the short run (recovery over time is in stockpile.ts).
 *  - refining (or single-stage) shock: outage removes f × S_c; an export ban removes only what the country does not use
 *    itself, f × max(0, S_c − d_c·D); with d_c unknown the whole f × S_c is counted (an upper bound, flagged).
 *  - end uses: the material lost at the last stage is taken from sectors in proportion to their use of it (their share of
 *    demand: the "material intensity" weighting, since per-unit intensities are not in the data); intermediates are the
 *    sum of the sectors they feed.
 * Conservation (tested): ore lost = Σ refiners' loss / k; Σ sector losses = loss at the last stage.
 */
import type { Stage } from '../../model/schema.ts';
import { oreIntake, type NetworkStage, type StageSupply, type SupplyNetwork } from './network.ts';
import type { ConsumptionShare } from './coverage.ts';

export type ShockMode = 'export_ban' | 'outage';

export interface Shock {
  stage: NetworkStage;
  countries: string[];
  fraction: number; // 0..1 of the countries' flows
  mode: ShockMode;
}

export interface SectorDemand {
  sector: string;
  tonnes: number;
}

export interface ShortfallRow {
  stage: Stage;
  countryId: string | null;
  sector: string | null;
  beforeTonnes: number;
  afterTonnes: number;
  shortfallTonnes: number;
  shortfallPct: number; // fraction of before
  note: string | null;
}

export interface Propagation {
  rows: ShortfallRow[];
  lastStage: NetworkStage;
  lastStageSupplyTonnes: number;
  /** Tonnes at the last stage (refined, or mined for single-stage materials) that no longer reach consumers. */
  lostToConsumersTonnes: number;
  withheldOreTonnes: number; // mining shocks: ore not delivered to refiners (mining units)
  conservationErrorTonnes: number; // |ore lost·k − refined lost| + |Σ sectors − lost|; ~0
  upperBound: boolean; // export-ban loss counted without the banned country's own use (unknown)
  notes: string[];
}

export function propagate(
  net: SupplyNetwork,
  shock: Shock,
  opts: {
    sectors: SectorDemand[];
    demandTonnes: number | null;
    consumptionShares?: Record<string, ConsumptionShare | undefined>;
    intermediateOf?: Record<string, string>;
  },
): Propagation {
  const S = new Set(shock.countries);
  const f = Math.min(1, Math.max(0, shock.fraction));
  const rows: ShortfallRow[] = [];
  const notes: string[] = [];
  const last: StageSupply | null = net.refining ?? net.mining;
  if (!last) throw new Error(`no supply data for ${net.materialId} ${net.year}`);
  const lastStage = last.stage;
  let lost = 0;
  let withheldOre = 0;
  let err = 0;
  let upperBound = false;

  const stageRows = (st: StageSupply, lossBy: Map<string, number>, noteFor: (c: string) => string | null) => {
    for (const c of st.countries) {
      const l = lossBy.get(c.countryId) ?? 0;
      rows.push({
        stage: st.stage,
        countryId: c.countryId,
        sector: null,
        beforeTonnes: c.tonnes,
        afterTonnes: c.tonnes - l,
        shortfallTonnes: l,
        shortfallPct: c.tonnes > 0 ? l / c.tonnes : 0,
        note: noteFor(c.countryId),
      });
    }
  };

  if (shock.stage === 'mining' && net.mining && net.refining && net.yieldRefinedPerMined) {
    const k = net.yieldRefinedPerMined;
    const oreLostFrom = new Map<string, number>();
    const oreLostTo = new Map<string, number>();
    const lose = (from: string, to: string, l: number) => {
      oreLostFrom.set(from, (oreLostFrom.get(from) ?? 0) + l);
      oreLostTo.set(to, (oreLostTo.get(to) ?? 0) + l);
      withheldOre += l;
    };
    for (const fl of net.routedFlows) {
      if (!S.has(fl.from)) continue;
      if (shock.mode === 'export_ban' && S.has(fl.to)) continue;
      lose(fl.from, fl.to, f * fl.oreTonnes);
    }
    // The pool as one node: what the shocked miners put in stops, and every refiner drawing on the pool loses its share
    // of it (an export ban spares the shocked countries' own refiners). Linear in countries, not in miner × refiner pairs.
    const pool = net.pool;
    if (pool) {
      const shocked = [...S].filter((m) => (pool.supplyOreTonnes[m] ?? 0) > 0);
      if (shocked.length) {
        const spared = shock.mode === 'export_ban' ? [...S].reduce((a, r) => a + (pool.drawOreTonnes[r] ?? 0), 0) : 0;
        const reach = (pool.totalDrawOreTonnes - spared) / pool.totalDrawOreTonnes; // share of the pool that is lost
        const stopped = shocked.reduce((a, m) => a + f * pool.supplyOreTonnes[m], 0);
        for (const m of shocked) {
          const l = f * pool.supplyOreTonnes[m] * reach;
          oreLostFrom.set(m, (oreLostFrom.get(m) ?? 0) + l);
          withheldOre += l;
        }
        for (const [r, q] of Object.entries(pool.drawOreTonnes)) {
          if (shock.mode === 'export_ban' && S.has(r)) continue;
          oreLostTo.set(r, (oreLostTo.get(r) ?? 0) + (stopped * q) / pool.totalDrawOreTonnes);
        }
      }
    }
    stageRows(net.mining, oreLostFrom, (c) =>
      S.has(c) ? (shock.mode === 'export_ban' ? 'ore deliveries to refiners abroad stopped; domestic refiners keep their ore' : 'output lost') : null,
    );
    const refinedLoss = new Map([...oreLostTo].map(([c, t]) => [c, t * k] as const));
    const intakeOf = oreIntake(net);
    stageRows(net.refining, refinedLoss, (c) => {
      const ore = oreLostTo.get(c);
      if (!ore) return null;
      const intake = intakeOf.get(c)!;
      return `loses ${((ore / intake) * 100).toFixed(1)}% of its ore intake`;
    });
    lost = [...refinedLoss.values()].reduce((s, v) => s + v, 0);
    err += Math.abs(withheldOre * k - lost);
    notes.push('Refiners are assumed unable to replace lost ore in the short run; replacement over time is in the recovery timeline.');
  } else {
    // Shock at the last stage (refining, or mining for single-stage materials). Upstream stages are shown unchanged.
    if (shock.stage === 'mining' && net.refining) notes.push('No mining data to link: the shock is applied to the refining stage directly.');
    if (shock.stage === 'refining' && !net.refining) notes.push(`No refining data for ${net.materialId} ${net.year}: the shock is applied to mine supply.`);
    if (net.mining && net.refining) stageRows(net.mining, new Map(), () => null);
    const lossBy = new Map<string, number>();
    for (const c of last.countries) {
      if (!S.has(c.countryId)) continue;
      let l = f * c.tonnes;
      if (shock.mode === 'export_ban') {
        const d = opts.consumptionShares?.[c.countryId];
        if (d && opts.demandTonnes !== null) l = f * Math.max(0, c.tonnes - d.share * opts.demandTonnes);
        else {
          upperBound = true;
          notes.push(`${c.countryId}: own consumption unknown, so the export ban is counted as the loss of all its output to the world market (upper bound).`);
        }
      }
      lossBy.set(c.countryId, l);
    }
    stageRows(last, lossBy, (c) => (S.has(c) ? (shock.mode === 'export_ban' ? 'exports stopped' : 'output lost') : null));
    lost = [...lossBy.values()].reduce((s, v) => s + v, 0);
  }

  // Intermediates and end uses: proportional to each sector's use of the material.
  const sectors = opts.sectors.length ? opts.sectors : [{ sector: 'All uses', tonnes: 1 }];
  if (!opts.sectors.length) notes.push('No demand by sector for this material and year: end-use shortfall shown for all uses together.');
  const totalUse = sectors.reduce((s, x) => s + x.tonnes, 0);
  const before = last.totalTonnes;
  const inter = new Map<string, { before: number; loss: number }>();
  let sectorLossSum = 0;
  for (const s of sectors) {
    const w = totalUse > 0 ? s.tonnes / totalUse : 0;
    const b = before * w;
    const l = lost * w;
    sectorLossSum += l;
    rows.push({
      stage: 'end_use',
      countryId: null,
      sector: s.sector,
      beforeTonnes: b,
      afterTonnes: b - l,
      shortfallTonnes: l,
      shortfallPct: b > 0 ? l / b : 0,
      note: `${(w * 100).toFixed(1)}% of use`,
    });
    const product = opts.intermediateOf?.[s.sector];
    if (product) {
      const x = inter.get(product) ?? { before: 0, loss: 0 };
      x.before += b;
      x.loss += l;
      inter.set(product, x);
    }
  }
  for (const [product, x] of inter) {
    rows.push({
      stage: 'intermediate',
      countryId: null,
      sector: product,
      beforeTonnes: x.before,
      afterTonnes: x.before - x.loss,
      shortfallTonnes: x.loss,
      shortfallPct: x.before > 0 ? x.loss / x.before : 0,
      note: 'sum of the end-use sectors it feeds (no intermediate data by country)',
    });
  }
  err += Math.abs(sectorLossSum - lost);
  const order: Record<string, number> = { mining: 0, refining: 1, intermediate: 2, end_use: 3 };
  rows.sort((a, b) => order[a.stage] - order[b.stage]);
  return {
    rows,
    lastStage,
    lastStageSupplyTonnes: before,
    lostToConsumersTonnes: lost,
    withheldOreTonnes: withheldOre,
    conservationErrorTonnes: err,
    upperBound,
    notes,
  };
}
