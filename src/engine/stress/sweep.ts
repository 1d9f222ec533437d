/**
 * N-1 sweep: every material × stage × year with supply by country, every named supplier removed in turn
 * (IEA GCMO 2025 N-1 generalised to "any single country"). Totals are computed once per cell, so each removal is O(1).
 */
import type { DatasetIndex } from '../dataset.ts';
import { largestSupplier } from './coverage.ts';
import { pickStageSupply, worldDemand } from './inputs.ts';
import type { NetworkStage } from './network.ts';
import { isAggregateEntity } from '../../model/schema.ts';

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
          });
        }
      }
    }
  }
  return out;
}
