/**
 * N-1 sweep: every material × stage × year with supply by country, every named supplier removed in turn
 * (IEA GCMO 2025 N-1 generalised to "any single country"). Totals are computed once per cell, so each removal is O(1).
 */
import type { DatasetIndex } from '../dataset.ts';
import { largestSupplier } from './coverage.ts';
import { pickStageSupply, worldDemand } from './inputs.ts';
import type { NetworkStage } from './network.ts';
import { isAggregateEntity } from '../../model/schema.ts';
import { nettedN1 } from '../demand/netted-n1.ts';

export interface N1Row {
  materialId: string;
  stage: NetworkStage;
  year: number;
  scenario: string | null;
  sourceId: string;
  removed: string;
  isLargest: boolean;
  removedShare: number;
  supplyTonnes: number;
  remainingTonnes: number;
  remainingSupplyShare: number;
  demandTonnes: number | null;
  demandScenario: string | null;
  coverageWorldRatio: number | null;
  /** IEA-style netted reading: remaining ÷ (demand of the same basis − the removed country's own use). */
  coverageNettedRatio: number | null;
  coverageNettedRange: { low: number; high: number | null } | null;
  nettedDemandTonnes: number | null;
  nettedDemandScope: string | null;
  ownUseShare: number | null;
  ownUseRange: { low: number; high: number } | null;
  ownUseMethod: string | null;
  ownUseAssumed: boolean;
  ownUseSource: string | null; // method and sources, one line
  nettedNote: string | null; // basis note, or why the netted reading is missing
}

export interface N1SweepOptions {
  materials?: string[];
  stages?: NetworkStage[];
  years?: number[];
  allCountries?: boolean; // default: only the largest supplier per cell
  demandScenario?: string;
  dataset?: string;
}

export function n1Sweep(index: DatasetIndex, opts: N1SweepOptions = {}): N1Row[] {
  const out: N1Row[] = [];
  const materials = opts.materials ?? [...index.materials].sort();
  const stages = opts.stages ?? (['mining', 'refining'] as NetworkStage[]);
  for (const m of materials) {
    for (const st of stages) {
      for (const y of index.years(m, st)) {
        if (opts.years && !opts.years.includes(y)) continue;
        const demand = worldDemand(index, m, y, opts.demandScenario ?? 'STEPS');
        // Keep supply and demand from one dataset where the demand's dataset has supply for the cell.
        const dataset =
          opts.dataset ??
          (demand && index.pick({ materialId: m, stage: st, year: y, dataset: demand.source.dataset }).series ? demand.source.dataset : undefined);
        const { supply } = pickStageSupply(index, m, st, y, { dataset });
        if (!supply) continue;
        const D = demand && demand.source.dataset === index.source(supply.sourceId).dataset ? demand.totalTonnes : null;
        const largest = largestSupplier(supply.countries);
        const S = supply.totalTonnes;
        for (const c of supply.countries) {
          if (isAggregateEntity(c.countryId)) continue;
          const isLargest = c.countryId === largest?.countryId;
          if (!opts.allCountries && !isLargest) continue;
          const remaining = S - c.tonnes;
          const net =
            demand && D !== null
              ? nettedN1(index, {
                  materialId: m,
                  stage: st,
                  year: y,
                  dataset: index.source(supply.sourceId).dataset,
                  basis: supply.basis,
                  remainingTonnes: remaining,
                  removed: [c.countryId],
                  demandScenario: opts.demandScenario ?? 'STEPS',
                  demand,
                })
              : null;
          const own = net?.ownUse[0];
          out.push({
            materialId: m,
            stage: st,
            year: y,
            scenario: supply.scenario,
            sourceId: supply.sourceId,
            removed: c.countryId,
            isLargest,
            removedShare: c.tonnes / S,
            supplyTonnes: S,
            remainingTonnes: remaining,
            remainingSupplyShare: remaining / S,
            demandTonnes: D,
            demandScenario: D !== null ? demand!.scenario : null,
            coverageWorldRatio: D !== null ? remaining / D : null,
            coverageNettedRatio: net?.coverageNettedRatio ?? null,
            coverageNettedRange: net?.coverageNettedRange ?? null,
            nettedDemandTonnes: net?.coverageNettedRatio != null ? net.demandTonnes : null,
            nettedDemandScope: net?.coverageNettedRatio != null ? net.demandScope : null,
            ownUseShare: net?.ownUseShare ?? null,
            ownUseRange: net?.ownUseRange ?? null,
            ownUseMethod: own?.method ?? null,
            ownUseAssumed: own?.assumed ?? false,
            ownUseSource: own ? own.sourceText : null,
            nettedNote: net ? [net.basisNote, net.gap].filter(Boolean).join(' ') || null : D === null ? 'no world demand' : null,
          });
        }
      }
    }
  }
  return out;
}
