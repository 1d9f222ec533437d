/**
 * The headline figures of a stress test, each with the sentence that says what it measures, built once here and shown
 * as they are by the CLI, the API (`headline` in the report JSON) and the dashboard.
 *
 * Two readings of the same shock sit side by side and must not be confused:
 *  - the **stage reading** (IEA N-1): the removed countries' whole output at the shocked stage leaves the market —
 *    supply removed, coverage of world demand and shortfall (shortfall share = 1 − coverage while coverage ≤ 1);
 *  - the **propagated reading**: what still reaches consumers after the shock passes through the supply network (an
 *    export ban lets the banned countries' own refiners keep their ore, and their own use where it is known) — the
 *    supply after propagation, and the loss the price model and the stockpile timeline use.
 * `reconciliation` says why the two differ when they do.
 */
import type { Coverage } from '../engine/stress/coverage.ts';
import type { NetworkStage } from '../engine/stress/network.ts';
import type { PriceShock, Range } from '../engine/stress/price.ts';
import type { Propagation, ShockMode } from '../engine/stress/propagate.ts';

export interface StressHeadline {
  supplyRemoved: { stage: NetworkStage; countries: string[]; tonnes: number; ofTonnes: number; share: number; measures: string };
  coverage: {
    stage: NetworkStage;
    remainingTonnes: number;
    demandTonnes: number | null;
    demandProxy: boolean;
    worldRatio: number | null;
    nettedRatio: number | null;
    measures: string;
  };
  shortfall: { stage: NetworkStage; tonnes: number | null; shareOfDemand: number | null; measures: string };
  supplyAfterPropagation: {
    stage: NetworkStage;
    beforeTonnes: number;
    lostTonnes: number;
    lostShare: number;
    afterTonnes: number;
    coverageWorldRatio: number | null;
    coverageNettedRatio: number | null;
    upperBound: boolean;
    measures: string;
  };
  priceBasis: { stage: NetworkStage; lostShare: number; netLostShare: Range; spareCapacityShare: Range; spareCapacityFromData: boolean; measures: string };
  stockpileCover: { days: number | null; stockpileTonnes: number; holder: string; lostTonnesPerYear: number; measures: string };
  /** Why the price basis differs from the supply removed (null when they are the same figure). */
  reconciliation: string | null;
}

export interface HeadlineInput {
  stage: NetworkStage;
  mode: ShockMode;
  fraction: number;
  excluded: string[]; // suppliers removed at the shocked stage
  coverage: Coverage;
  demandProxy: boolean;
  propagation: Pick<Propagation, 'lastStage' | 'lastStageSupplyTonnes' | 'lostToConsumersTonnes' | 'upperBound'>;
  price: Pick<PriceShock, 'lostSupplyShare' | 'netLostShare'> & { spareCapacity: { share: Range; fromData: boolean } };
  stockpile: { days: number | null; stockpileTonnes: number; holder: string };
}

const STAGE_NOUN: Record<NetworkStage, string> = { mining: 'mined', refining: 'refined' };
const pct1 = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Why the loss after propagation differs from the supply removed at the stage (the first reason that applies). */
function whyDifferent(h: HeadlineInput): string {
  const who = h.excluded.join(', ') || 'the removed countries';
  const p = h.propagation;
  if (h.stage !== p.lastStage) {
    return h.mode === 'export_ban'
      ? `the ban stops ${who}'s ore going to refiners abroad, but ${who}'s own refiners keep their ore and their ${STAGE_NOUN[p.lastStage]} output still reaches consumers`
      : `the outage removes ${who}'s ore; refiners lose it in proportion to what they took from ${who}, measured as ${STAGE_NOUN[p.lastStage]} output`;
  }
  if (h.fraction < 1) return `the shock cuts ${pct1(h.fraction)} of ${who}'s flows`;
  if (h.mode === 'export_ban' && !p.upperBound)
    return `${who} ${h.excluded.length === 1 ? 'keeps what it uses' : 'keep what they use'} at home (own consumption share given), so only exports are lost`;
  return 'the removed supply is measured against a different total';
}

export function stressHeadline(h: HeadlineInput): StressHeadline {
  const c = h.coverage;
  const p = h.propagation;
  const who = h.excluded.join(', ') || 'no supplier';
  const their = h.excluded.length === 1 ? 'its' : 'their';
  const keep = h.excluded.length === 1 ? 'keeps' : 'keep';
  const stageNoun = STAGE_NOUN[h.stage];
  const lastNoun = STAGE_NOUN[p.lastStage];
  const demandWord = h.demandProxy ? 'world demand (proxy: world production)' : 'world demand';
  const afterTonnes = p.lastStageSupplyTonnes - p.lostToConsumersTonnes;
  const lostShare = p.lastStageSupplyTonnes > 0 ? Math.min(1, Math.max(0, p.lostToConsumersTonnes / p.lastStageSupplyTonnes)) : 0;
  const removedShare = c.excluded.reduce((a, e) => a + e.share, 0);

  const howPropagated =
    p.lastStage !== h.stage
      ? h.mode === 'export_ban'
        ? `the ban stops only the ore ${who} sends to refiners abroad; refiners cannot replace it in the short run`
        : `refiners lose the ore they took from ${who} and cannot replace it in the short run`
      : h.mode === 'export_ban'
        ? p.upperBound
          ? `${who}'s whole output is counted as lost to the world market: ${their} own use is unknown, so this is an upper bound`
          : `${who} ${keep} ${their} own use; only ${their} exports are lost`
        : `${who}'s output is lost`;

  return {
    supplyRemoved: {
      stage: h.stage,
      countries: c.excluded.map((e) => e.countryId),
      tonnes: c.excludedTonnes,
      ofTonnes: c.supplyTonnes,
      share: removedShare,
      measures: `Share of world ${stageNoun} supply produced by ${who}: ${their} whole ${h.stage} output (the IEA N-1 reading), before any propagation.`,
    },
    coverage: {
      stage: h.stage,
      remainingTonnes: c.remainingTonnes,
      demandTonnes: c.demandWorldTonnes,
      demandProxy: h.demandProxy,
      worldRatio: c.coverageWorldRatio,
      nettedRatio: c.coverageNettedRatio,
      measures: `World ${stageNoun} supply without ${who} ÷ ${demandWord}, as if ${their} whole ${h.stage} output left the market (IEA N-1 reading); netted: ÷ demand less ${their} own use.`,
    },
    shortfall: {
      stage: h.stage,
      tonnes: c.shortfallWorldTonnes,
      shareOfDemand: c.shortfallWorldPct,
      measures: `${demandWord[0].toUpperCase()}${demandWord.slice(1)} − world ${stageNoun} supply without ${who}: the same reading as coverage (shortfall % = 100% − coverage, when coverage is below 100%).`,
    },
    supplyAfterPropagation: {
      stage: p.lastStage,
      beforeTonnes: p.lastStageSupplyTonnes,
      lostTonnes: p.lostToConsumersTonnes,
      lostShare,
      afterTonnes,
      coverageWorldRatio: c.demandWorldTonnes ? afterTonnes / c.demandWorldTonnes : null,
      coverageNettedRatio: c.demandNettedTonnes ? afterTonnes / c.demandNettedTonnes : null,
      upperBound: p.upperBound,
      measures: `World ${lastNoun} supply that still reaches consumers after the shock passes through the supply network (${howPropagated}), and its ratio to ${demandWord}.`,
    },
    priceBasis: {
      stage: p.lastStage,
      lostShare: h.price.lostSupplyShare,
      netLostShare: h.price.netLostShare,
      spareCapacityShare: h.price.spareCapacity.share,
      spareCapacityFromData: h.price.spareCapacity.fromData,
      measures: `The price model's supply loss: ${lastNoun} supply lost to consumers after propagation ÷ ${lastNoun} supply before (the loss in "supply after propagation"), then net of spare capacity (${h.price.spareCapacity.fromData ? 'from capacity data' : 'default share'}).`,
    },
    stockpileCover: {
      days: h.stockpile.days,
      stockpileTonnes: h.stockpile.stockpileTonnes,
      holder: h.stockpile.holder,
      lostTonnesPerYear: p.lostToConsumersTonnes,
      measures: `Days the stockpile held by ${h.stockpile.holder === 'world' ? 'all affected consumers' : h.stockpile.holder} covers the ${lastNoun} supply lost after propagation (the price basis), from the first day, with no replacement.`,
    },
    reconciliation:
      Math.abs(h.price.lostSupplyShare - removedShare) > 0.0005 && removedShare > 0
        ? `The price is computed on ${pct1(h.price.lostSupplyShare)} of ${lastNoun} supply lost after propagation, not on the ${pct1(removedShare)} of ${stageNoun} supply removed: ${whyDifferent(h)}.`
        : null,
  };
}
