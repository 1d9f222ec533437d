/**
 * Consumption by country × material × year (stage: end use of the refined material, i.e. demand), each figure with its
 * method, basis, range and sources, or a stated gap. Demand is the IEA world demand of the year and scenario; for
 * graphite both the total and the battery-grade series are listed (the battery-grade one is what IEA refined graphite
 * supply is compared with).
 */
import { countryName } from '../../model/countries.ts';
import { getMaterial } from '../../model/materials.ts';
import type { DatasetIndex } from '../dataset.ts';
import { worldDemand } from '../stress/inputs.ts';
import { curatedOwnUseCountries, demandBasis, ownUse, type DemandBasis, type OwnUseKeyRef } from './own-use.ts';
import { customsImporters } from './apparent.ts';

export interface ConsumptionRow {
  countryId: string;
  country: string;
  materialId: string;
  material: string;
  stage: 'end_use';
  year: number;
  demandScenario: string | null;
  demandScope: string | null;
  demandBasis: DemandBasis;
  demandTonnes: number;
  tonnes: number | null;
  share: number | null;
  low: number | null;
  high: number | null;
  method: string | null;
  basis: DemandBasis | null;
  estimate: boolean;
  assumed: boolean;
  conversion: string | null;
  source: string | null;
  sources: OwnUseKeyRef[];
  /** What the figure rests on beyond its source (a share carried forward, why customs were not used …). */
  notes: string[];
  gap: string | null;
}

export interface ConsumptionTableOptions {
  materials: string[];
  year: number;
  demandScenario?: string;
  countries?: string[];
}

export function consumptionTable(index: DatasetIndex, o: ConsumptionTableOptions): ConsumptionRow[] {
  const scenario = o.demandScenario ?? 'STEPS';
  // By default: the holders of our allocation table and the USA (USGS), each with its figure or its gap, and every other
  // country whose own customs declarations of the material give an apparent consumption (with BACI loaded, listing the
  // ~200 countries whose customs give none would bury the table in gaps; `countries` asks for any of them).
  const holders = [...curatedOwnUseCountries(), 'USA'];
  const out: ConsumptionRow[] = [];
  for (const m of o.materials) {
    const listed = new Set(o.countries ?? holders);
    const countries = o.countries ?? [...new Set([...holders, ...customsImporters(index, m)])].sort();
    const scopes: Array<string | undefined> = [undefined, ...(m === 'graphite' ? ['battery-grade'] : [])];
    for (const scope of scopes) {
      const demand = worldDemand(index, m, o.year, scenario, scope);
      if (!demand || (scope && !(demand.scope ?? '').includes(scope))) continue;
      const at = (y: number) => worldDemand(index, m, y, scenario, scope);
      for (const c of countries) {
        const r = ownUse(index, m, c, o.year, demand, at);
        if (!r.ok && !listed.has(c)) continue;
        const base = {
          countryId: c,
          country: c === 'EU27' ? 'European Union (27)' : countryName(c),
          materialId: m,
          material: getMaterial(m)?.name ?? m,
          stage: 'end_use' as const,
          year: o.year,
          demandScenario: demand.scenario,
          demandScope: demand.scope,
          demandBasis: demandBasis(demand),
          demandTonnes: demand.totalTonnes,
        };
        if (!r.ok) {
          out.push({
            ...base,
            tonnes: null,
            share: null,
            low: null,
            high: null,
            method: null,
            basis: null,
            estimate: false,
            assumed: false,
            conversion: null,
            source: null,
            sources: [],
            notes: [],
            gap: r.gap.reason,
          });
          continue;
        }
        const v = r.value;
        out.push({
          ...base,
          tonnes: v.tonnes,
          share: v.share,
          low: v.low,
          high: v.high,
          method: v.method,
          basis: v.basis,
          estimate: v.estimate,
          assumed: v.assumed,
          conversion: v.conversion,
          source: v.sourceText,
          sources: v.sources,
          notes: v.notes,
          gap: null,
        });
      }
    }
  }
  return out;
}
