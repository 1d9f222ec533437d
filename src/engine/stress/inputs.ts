/**
 * Reads the plain inputs of a stress test out of the in-memory `DatasetIndex` (no I/O): stage supply by country,
 * world demand by sector, spare capacity, and consumption by country where the knowledge base has it.
 */
import { AGGREGATE_IDS, isAggregateEntity, type Source, type Stage } from '../../model/schema.ts';
import type { DatasetIndex, SeriesChoice } from '../dataset.ts';
import { stageSupplyFromEntries, type NetworkStage, type StageSupply } from './network.ts';
import type { SectorDemand } from './propagate.ts';

export interface SupplySelection {
  dataset?: string;
  scenario?: string; // supply scenario (IEA projections: 'base')
}

export interface PickedSupply {
  supply: StageSupply | null;
  source: Source | null;
  detail: string | null;
  alternatives: SeriesChoice['alternatives'];
}

export function pickStageSupply(index: DatasetIndex, materialId: string, stage: NetworkStage, year: number, sel: SupplySelection = {}): PickedSupply {
  const choice = index.pick({ materialId, stage, year, dataset: sel.dataset, scenario: sel.scenario });
  const s = choice.series;
  if (!s) return { supply: null, source: null, detail: null, alternatives: choice.alternatives };
  const supply = stageSupplyFromEntries(s.entries, s.source.dataset, {
    stage,
    year,
    unit: s.unit,
    basis: s.basis,
    scenario: s.scenario,
    sourceId: s.source.id,
  });
  const details = [...new Set(s.entries.map((e) => e.detail).filter((d): d is string => !!d))];
  return { supply, source: s.source, detail: details.slice(0, 2).join('; ') || null, alternatives: choice.alternatives };
}

export interface WorldDemand {
  totalTonnes: number;
  sectors: SectorDemand[];
  scenario: string | null;
  scope: string | null; // what the demand covers, as the importer described it (e.g. "demand; battery-grade graphite only")
  source: Source;
  notes: string[];
  /** True when the total covers every use (a published grand total, or sectors that include "Other uses"); false for a
   * subtotal such as IEA "Total clean technologies", which must not stand in for world demand. */
  complete: boolean;
  /** What the total is: "published total", "sum of listed sectors", or the subtotal's label. */
  totalIs: string;
  /** Other demand series for the same cell (another scope), so a user can see and select them (`scope`). */
  alternatives: Array<{ scope: string | null; totalTonnes: number; totalIs: string }>;
}

const TOTAL = /^total( demand)?$/i;
const SUBTOTAL = /^total\b/i; // 'Total clean technologies' and other subtotals

/**
 * World demand for a material and year from end_use/demand rows (IEA). Historical years have scenario null; projection
 * years need a scenario (default STEPS). Rows are grouped by source and scope (`detail`); the series with a published
 * grand total is preferred, unless `scope` (a substring of the detail) asks for another. Sectors exclude totals and subtotals.
 */
export function worldDemand(index: DatasetIndex, materialId: string, year: number, demandScenario = 'STEPS', scope?: string): WorldDemand | null {
  // Sweeps ask for the same cell many times (each stage, each removed country, own use of earlier years): computed once.
  return index.memo(`worldDemand|${materialId}|${year}|${demandScenario}|${scope ?? ''}`, () => {
    const d = readWorldDemand(index, materialId, year, demandScenario, scope);
    if (d) for (const v of [d, d.sectors, d.notes, d.alternatives]) Object.freeze(v);
    return d;
  });
}

function readWorldDemand(index: DatasetIndex, materialId: string, year: number, demandScenario: string, scope: string | undefined): WorldDemand | null {
  const rows = index.rows(materialId, 'end_use', 'demand', year).filter((o) => o.countryId === AGGREGATE_IDS.world && o.value !== null && o.unit === 't');
  if (!rows.length) return null;
  const historical = rows.filter((o) => o.scenario === null);
  let chosen = historical;
  let scenario: string | null = null;
  if (!historical.length || (demandScenario && rows.some((o) => o.scenario === demandScenario))) {
    chosen = rows.filter((o) => o.scenario === demandScenario);
    scenario = demandScenario;
    if (!chosen.length) return null;
  }
  const groups = new Map<string, typeof chosen>();
  for (const o of chosen) {
    const k = `${o.sourceId}|${o.detail ?? ''}`;
    groups.set(k, [...(groups.get(k) ?? []), o]);
  }
  const summarise = (list: typeof chosen) => {
    const totalRow = list.find((o) => o.sector && TOTAL.test(o.sector.trim()));
    const cleanRow = list.find((o) => o.sector && SUBTOTAL.test(o.sector.trim()) && !TOTAL.test(o.sector.trim()));
    const sectors = list
      .filter((o) => o.sector && !SUBTOTAL.test(o.sector.trim()))
      .map((o) => ({ sector: o.sector!.trim(), tonnes: o.value! }))
      .filter((x) => x.tonnes > 0)
      .sort((a, b) => b.tonnes - a.tonnes);
    const sectorSum = sectors.reduce((a, x) => a + x.tonnes, 0);
    const totalTonnes = totalRow?.value ?? (sectorSum > 0 ? sectorSum : (cleanRow?.value ?? 0));
    const totalIs = totalRow ? 'published total' : sectorSum > 0 ? 'sum of listed sectors' : `${cleanRow?.sector ?? 'subtotal'}`;
    return { list, totalRow, sectors, sectorSum, totalTonnes, totalIs, scope: list[0].detail, editionYear: index.source(list[0].sourceId).editionYear };
  };
  const all = [...groups.values()].map(summarise).filter((g) => g.totalTonnes > 0);
  if (!all.length) return null;
  all.sort((a, b) => b.editionYear - a.editionYear || Number(!!b.totalRow) - Number(!!a.totalRow) || b.list.length - a.list.length);
  const wanted = scope ? all.find((g) => (g.scope ?? '').toLowerCase().includes(scope.toLowerCase())) : undefined;
  const best = wanted ?? all[0];
  const notes: string[] = [];
  if (scope && !wanted) notes.push(`No demand series with scope "${scope}"; used "${best.scope ?? 'unspecified'}".`);
  const sectors = [...best.sectors];
  if (best.totalRow && sectors.length && Math.abs(best.sectorSum - best.totalTonnes) > 0.02 * best.totalTonnes) {
    const rest = best.totalTonnes - best.sectorSum;
    if (rest > 0) sectors.push({ sector: 'Unallocated (total − listed sectors)', tonnes: rest });
    notes.push(`Listed sectors sum to ${((best.sectorSum / best.totalTonnes) * 100).toFixed(1)}% of the published total.`);
  }
  if (best.totalIs !== 'published total') notes.push(`Demand total = ${best.totalIs} (no published grand total for this scope).`);
  return {
    totalTonnes: best.totalTonnes,
    complete: !!best.totalRow || best.sectors.some((x) => /^other uses$/i.test(x.sector)),
    totalIs: best.totalIs,
    sectors,
    scenario,
    scope: best.scope,
    source: index.source(best.list[0].sourceId),
    notes,
    alternatives: all.filter((g) => g !== best).map((g) => ({ scope: g.scope, totalTonnes: g.totalTonnes, totalIs: g.totalIs })),
  };
}

export interface StressSupplyChoice {
  /** The dataset whose supply is used; undefined = the index's default series choice. */
  dataset: string | undefined;
  /** World demand usable as such (a complete series), or null. */
  demand: WorldDemand | null;
  /** The demand series found, complete or not (a subtotal is reported but not used). */
  demandFound: WorldDemand | null;
  /** Why the dataset was chosen, when the engine chose it. */
  reason: string | null;
}

/**
 * Which dataset's supply the stress engine uses for a cell: the one asked for; else the publisher of world demand when
 * it has supply for the cell (supply and demand from one publisher, one basis); else the default series choice. The
 * scenario runner, coalition N-1 and the dashboard's supplier chips (`/api/stress/supply`) all use this rule.
 */
export function stressSupplyChoice(
  index: DatasetIndex,
  materialId: string,
  stage: NetworkStage,
  year: number,
  o: { dataset?: string; demandScenario?: string; demandScope?: string; supplyScenario?: string } = {},
): StressSupplyChoice {
  const demandFound = worldDemand(index, materialId, year, o.demandScenario ?? 'STEPS', o.demandScope);
  // A demand subtotal (IEA clean-technology demand only) is not world demand: a proxy is used instead, and said so.
  // A scope the user asked for by name (e.g. battery-grade graphite, the basis of IEA refined graphite) is world demand
  // for that scope, even where the IEA gives it only for clean technologies; its notes say what the total is.
  const asked = !!o.demandScope && !!demandFound && (demandFound.scope ?? '').toLowerCase().includes(o.demandScope.toLowerCase());
  const demand = demandFound?.complete || asked ? demandFound : null;
  if (o.dataset) return { dataset: o.dataset, demand, demandFound, reason: null };
  if (demand && index.pick({ materialId, stage, year, dataset: demand.source.dataset, scenario: o.supplyScenario }).series) {
    return {
      dataset: demand.source.dataset,
      demand,
      demandFound,
      reason: `Supply and demand both from ${demand.source.dataset} (one publisher, one basis) where it has the year.`,
    };
  }
  return { dataset: undefined, demand, demandFound, reason: null };
}

/** Spare capacity (capacity − production, ≥ 0) of the named countries not in `excluded`, from capacity rows of the same year. */
export function spareCapacityFromData(
  index: DatasetIndex,
  materialId: string,
  stage: Stage,
  year: number,
  supply: StageSupply,
  excluded: Set<string>,
): { tonnes: number; source: Source; countries: string[] } | null {
  const caps = index.rows(materialId, stage, 'capacity', year).filter((o) => o.value !== null && o.unit === supply.unit && o.basis === supply.basis);
  if (!caps.length) return null;
  const prod = new Map(supply.countries.map((c) => [c.countryId, c.tonnes]));
  let tonnes = 0;
  const countries: string[] = [];
  for (const o of caps) {
    if (o.countryId === AGGREGATE_IDS.world || o.countryId.startsWith('X-') || excluded.has(o.countryId)) continue;
    const spare = Math.max(0, o.value! - (prod.get(o.countryId) ?? 0));
    if (spare > 0) {
      tonnes += spare;
      countries.push(o.countryId);
    }
  }
  return { tonnes, source: index.source(caps[0].sourceId), countries };
}

/** A country's apparent consumption where the knowledge base has it (e.g. USGS salient, U.S. only), latest year ≤ year. */
export function countryConsumption(
  index: DatasetIndex,
  materialId: string,
  countryId: string,
  year: number,
): { tonnes: number; year: number; source: Source } | null {
  if (isAggregateEntity(countryId)) return null;
  for (let y = year; y >= year - 5; y--) {
    for (const st of ['end_use', 'refining', 'mining'] as Stage[]) {
      const o = index.rows(materialId, st, 'consumption', y).find((r) => r.countryId === countryId && r.value !== null && r.unit === 't');
      if (o) return { tonnes: o.value!, year: y, source: index.source(o.sourceId) };
    }
  }
  return null;
}
