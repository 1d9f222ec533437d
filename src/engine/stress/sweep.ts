/**
 * N-1 sweep: every material × stage × year with supply by country, every named supplier removed in turn
 * (IEA GCMO 2025 N-1 generalised to "any single country"). Totals are computed once per cell, so each removal is O(1).
 */
import type { DatasetIndex } from '../dataset.ts';
import { largestSupplier } from './coverage.ts';
import { pickStageSupply, worldDemand } from './inputs.ts';
import type { NetworkStage, StageSupply } from './network.ts';
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

/** The supply of one cell as the N-1 sweep uses it (a `StageSupply` has more). */
export type N1Supply = Pick<StageSupply, 'countries' | 'totalTonnes' | 'sourceId' | 'basis' | 'scenario'>;

/**
 * Where the sweep's supply comes from: the in-memory index (`indexSupply`, shares computed from observations) or the
 * store's series summary (src/store/summary.ts). Demand, own use and netting always come from the index given beside it
 * (end-use rows: a few per material).
 */
export interface N1SupplySource {
  materials(): string[];
  years(materialId: string, stage: NetworkStage): number[];
  /** Some series of the dataset exists for the cell. */
  hasSeries(materialId: string, stage: NetworkStage, year: number, dataset: string): boolean;
  supply(materialId: string, stage: NetworkStage, year: number, dataset: string | undefined): N1Supply | null;
}

export function indexSupply(index: DatasetIndex): N1SupplySource {
  return {
    materials: () => [...index.materials].sort(),
    years: (m, st) => index.years(m, st),
    hasSeries: (m, st, y, dataset) => index.pick({ materialId: m, stage: st, year: y, dataset }).series !== null,
    supply: (m, st, y, dataset) => pickStageSupply(index, m, st, y, { dataset }).supply,
  };
}

export function n1Sweep(index: DatasetIndex, opts: N1SweepOptions = {}): N1Row[] {
  return n1SweepOf(indexSupply(index), index, opts);
}

/** The N-1 sweep with supply from `src` and demand, own use and sources from `index`. */
export function n1SweepOf(src: N1SupplySource, index: DatasetIndex, opts: N1SweepOptions = {}): N1Row[] {
  const out: N1Row[] = [];
  const materials = opts.materials ?? src.materials();
  const stages = opts.stages ?? (['mining', 'refining'] as NetworkStage[]);
  for (const m of materials) {
    for (const st of stages) {
      for (const y of src.years(m, st)) {
        if (opts.years && !opts.years.includes(y)) continue;
        const demand = worldDemand(index, m, y, opts.demandScenario ?? 'STEPS');
        // Keep supply and demand from one dataset where the demand's dataset has supply for the cell.
        const dataset = opts.dataset ?? (demand && src.hasSeries(m, st, y, demand.source.dataset) ? demand.source.dataset : undefined);
        const supply = src.supply(m, st, y, dataset);
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
