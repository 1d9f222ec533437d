/**
 * Stockpile cover by holder: for each holder (country or EU27) and material, an N-1 shock (largest supplier removed at
 * a stage) run through the stress engine with a stockpile held by that holder, in days of its own consumption.
 *
 *   holder consumption C_h      = own use (src/engine/demand/own-use.ts: published apparent consumption or a sourced
 *                                 allocation), tonnes a year; null when unknown (a stated gap)
 *   stockpile                   = days × C_h / 365 (tonnes, when C_h is known)
 *   holder's loss               = L × C_h / A   (L: supply lost to consumers after propagation, A: affected consumption;
 *                                 the holder loses pro rata to its consumption)
 *   days of cover               = stockpile ÷ (holder's loss / 365) = days × A / L
 * Days of cover therefore do not depend on C_h when the stockpile is counted in days of the holder's own use: they
 * are computed for every holder; the tonnes need C_h and are a gap without it.
 */
import { countryName } from '../model/countries.ts';
import { getMaterial, IEA_DEMAND_MINERALS } from '../model/materials.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import type { NetworkStage } from '../engine/stress/network.ts';
import { runScenario, scenarioFromFlags } from './run.ts';
import { STOCKPILE_POLICIES } from './parameters.ts';
import type { StockpilePolicyId } from './query.ts';

export const IEA_SIX: string[] = [...IEA_DEMAND_MINERALS];
export const COVER_HOLDERS = ['JPN', 'KOR', 'DEU', 'EU27', 'USA'];

export interface CoverRow {
  holder: string;
  holderName: string;
  materialId: string;
  material: string;
  year: number;
  stage: NetworkStage;
  removed: string[];
  demandTonnes: number | null;
  demandScope: string | null;
  lostShare: number; // supply lost to consumers after propagation ÷ supply before
  holderConsumptionTonnes: number | null;
  holderConsumptionLow: number | null;
  holderConsumptionHigh: number | null;
  consumptionMethod: string | null;
  consumptionSource: string | null;
  consumptionAssumed: boolean;
  stockpileDays: number;
  stockpileTonnes: number | null;
  daysOfCover: number | null; // null: nothing lost
  exhaustedMonth: number | null;
  gaps: string[];
  note: string | null;
}

export interface CoverOptions {
  holders?: string[];
  materials?: string[];
  year?: number;
  stage?: NetworkStage;
  policy?: StockpilePolicyId;
  demandScenario?: string;
}

export function stockpileCover(index: DatasetIndex, o: CoverOptions = {}): CoverRow[] {
  const holders = o.holders ?? COVER_HOLDERS;
  const materials = o.materials ?? IEA_SIX;
  const year = o.year ?? 2035;
  const stage = o.stage ?? 'refining';
  const policy = o.policy ?? 'japan-60';
  const days = STOCKPILE_POLICIES[policy].value;
  const out: CoverRow[] = [];
  for (const m of materials) {
    for (const h of holders) {
      const f = scenarioFromFlags({ material: m, stage, year, n1: true, stockpilePolicy: policy, holder: h, demandScenario: o.demandScenario ?? 'STEPS' });
      // Battery-grade graphite: the basis of IEA refined graphite (compared like with like).
      if (m === 'graphite') f.demandScope = 'battery-grade';
      const r = runScenario(index, f);
      const own = r.stockpile.holderOwnUse;
      const known = own !== null && r.stockpile.holderConsumptionTonnesPerYear !== null;
      const A = r.coverage.demandNettedTonnes ?? r.coverage.demandWorldTonnes;
      const L = r.propagation.lostToConsumersTonnes;
      const gaps = r.gaps.filter((g) => g.startsWith(`Consumption of stockpile holder ${h}`));
      out.push({
        holder: h,
        holderName: h === 'EU27' ? 'European Union (27)' : countryName(h),
        materialId: m,
        material: getMaterial(m)?.name ?? m,
        year,
        stage: r.stage,
        removed: r.excluded.map((e) => e.countryId),
        demandTonnes: r.demand?.totalTonnes ?? null,
        demandScope: r.demand?.scope ?? null,
        lostShare: r.propagation.lastStageSupplyTonnes > 0 ? L / r.propagation.lastStageSupplyTonnes : 0,
        holderConsumptionTonnes: known ? own!.tonnes : null,
        holderConsumptionLow: known ? own!.low * own!.demandTonnes : null,
        holderConsumptionHigh: known ? own!.high * own!.demandTonnes : null,
        consumptionMethod: own?.method ?? null,
        consumptionSource: own?.sourceText ?? null,
        consumptionAssumed: own?.assumed ?? false,
        stockpileDays: days,
        stockpileTonnes: known ? (days * own!.tonnes) / 365 : null,
        // days × A / L: the holder's share cancels (see the header); equal to the engine's figure when C_h is known.
        daysOfCover: L > 0 && A ? (days * A) / L : null,
        exhaustedMonth: r.stockpile.stockpileExhaustedMonth,
        gaps: known ? [] : gaps.length ? gaps : [`Consumption of ${h} unknown: stockpile tonnes not computed.`],
        note:
          L > 0
            ? null
            : `No supply is lost to consumers: in an export ban ${r.excluded.map((e) => e.countryId).join(', ')} keeps its output for its own use, which ${r.coverage.excludedConsumptionShare !== null ? 'is at least that output' : 'is unknown'}; nothing to cover.`,
      });
    }
  }
  return out;
}
