/**
 * Netted N-1 (IEA Global Critical Minerals Outlook 2025): without the largest supplier X at a stage, the supply left
 * R' = S − S_X is compared with world demand net of X's own use,
 *     C_n = R' / (D · (1 − d_X))
 * on one basis: supply and demand must be tonnes of the same thing, or the comparison is refused. For IEA graphite,
 * refined supply is battery-grade, so the battery-grade demand series is used (and said so) instead of total demand.
 * d_X comes from `ownUse` (published apparent consumption, or a sourced allocation with a range).
 */
import type { DatasetIndex } from '../dataset.ts';
import { worldDemand, type WorldDemand } from '../stress/inputs.ts';
import { basisMismatch, demandBasis, ownUseShares, supplyBasis, type DemandBasis, type OwnUse, type OwnUseGap } from './own-use.ts';

export interface NettedN1 {
  removed: string[];
  remainingTonnes: number;
  supplyBasis: DemandBasis;
  demandTonnes: number | null;
  demandScope: string | null;
  demandBasis: DemandBasis | null;
  /** Why another demand series than the default was used (basis), or why none could be. */
  basisNote: string | null;
  ownUse: OwnUse[];
  ownUseShare: number | null; // Σ d_X
  ownUseRange: { low: number; high: number } | null;
  coverageNettedRatio: number | null;
  coverageNettedRange: { low: number; high: number | null } | null;
  /** Why the netted reading is missing, when it is. */
  gap: string | null;
  gaps: OwnUseGap[];
}

export interface NettedN1Input {
  materialId: string;
  stage: string;
  year: number;
  dataset: string; // supply dataset
  basis: string; // supply series basis
  remainingTonnes: number;
  removed: string[];
  demandScenario: string;
  /** The world demand the caller uses (its default series); replaced by a same-basis series when the bases differ. */
  demand: WorldDemand | null;
}

export function nettedN1(index: DatasetIndex, inp: NettedN1Input): NettedN1 {
  const sBasis = supplyBasis(inp.materialId, inp.stage, inp.dataset, inp.basis);
  const base = {
    removed: inp.removed,
    remainingTonnes: inp.remainingTonnes,
    supplyBasis: sBasis,
    ownUse: [] as OwnUse[],
    ownUseShare: null,
    ownUseRange: null,
    coverageNettedRatio: null,
    coverageNettedRange: null,
    gaps: [] as OwnUseGap[],
  };
  let demand = inp.demand;
  let basisNote: string | null = null;
  if (!demand) return { ...base, demandTonnes: null, demandScope: null, demandBasis: null, basisNote, gap: 'no world demand for the year' };
  if (basisMismatch(inp.materialId, sBasis, demandBasis(demand))) {
    const alt = worldDemand(index, inp.materialId, inp.year, inp.demandScenario, sBasis);
    if (alt && !basisMismatch(inp.materialId, sBasis, demandBasis(alt))) {
      basisNote = `${sBasis} supply compared with the ${alt.scope ?? sBasis} demand series (${Math.round(alt.totalTonnes).toLocaleString('en')} t), not total demand (${Math.round(demand.totalTonnes).toLocaleString('en')} t): like with like.`;
      demand = alt;
    } else {
      const why = basisMismatch(inp.materialId, sBasis, demandBasis(demand))!;
      return { ...base, demandTonnes: demand.totalTonnes, demandScope: demand.scope, demandBasis: demandBasis(demand), basisNote: why, gap: why };
    }
  }
  const set = ownUseShares(index, inp.materialId, inp.removed, inp.year, demand, inp.demandScenario);
  const D = demand.totalTonnes;
  const common = { ...base, demandTonnes: D, demandScope: demand.scope, demandBasis: demandBasis(demand), basisNote, ownUse: set.details, gaps: set.gaps };
  if (set.gaps.length) return { ...common, gap: set.gaps.map((g) => `${g.countryId}: ${g.reason}`).join('; ') };
  const d = set.details.reduce((a, o) => a + o.share, 0);
  const lo = set.details.reduce((a, o) => a + o.low, 0);
  const hi = set.details.reduce((a, o) => a + o.high, 0);
  if (d >= 1) return { ...common, ownUseShare: d, ownUseRange: { low: lo, high: hi }, gap: 'own use of the removed countries is all of world demand' };
  return {
    ...common,
    ownUseShare: d,
    ownUseRange: { low: lo, high: hi },
    coverageNettedRatio: inp.remainingTonnes / (D * (1 - d)),
    coverageNettedRange: { low: inp.remainingTonnes / (D * (1 - lo)), high: hi < 1 ? inp.remainingTonnes / (D * (1 - hi)) : null },
    gap: null,
  };
}
