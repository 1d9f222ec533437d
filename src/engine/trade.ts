/**
 * Bilateral trade: where a country's exports of a material go, from customs data (UN Comtrade, reporter side).
 * Used by the stress tests to say *which importing countries* lose supply when an exporter stops: the exporter's lost
 * tonnes are allocated to destinations pro rata to their share of its recorded exports (net weight, all HS codes of
 * the material, summed over the latest year with data). Conservation: Σ allocated = lost.
 *
 * Caveats carried with every result: customs net weight is product weight, not contained metal; an HS code can be
 * wider than the material (HS 811292 also covers germanium, hafnium, indium...); a year with fewer than 12 months of
 * data is said so; the destination shares are from a past year and are applied to the shock year as they are.
 */
import { countryName } from '../model/countries.ts';
import type { Source, TradeFlow } from '../model/schema.ts';
import { AGGREGATE_IDS } from '../model/schema.ts';

export interface DestinationShare {
  partnerId: string;
  partner: string;
  quantityKg: number;
  valueUsd: number | null;
  share: number; // of the quantity to named destinations
}

export interface ExportDestinations {
  reporterId: string;
  materialId: string;
  year: number;
  months: number; // months with data (12 for annual figures)
  hsCodes: string[];
  productScopes: string[];
  namedTotalKg: number;
  worldTotalKg: number | null; // the reporter's declared total to "World", where the data has it
  destinations: DestinationShare[];
  source: Source;
}

/**
 * The reporter's exports of a material by destination, for the latest year ≤ `year` with data (so a 2035 projection
 * uses the latest year there is; a year before the data uses its first year). Among several sources the one naming the most
 * destinations is used. Null when no export figures by destination exist.
 */
export function exportDestinations(
  flows: readonly TradeFlow[],
  sources: ReadonlyMap<string, Source>,
  reporterId: string,
  materialId: string,
  year?: number,
): ExportDestinations | null {
  const mine = flows.filter((f) => f.reporterId === reporterId && f.materialId === materialId && f.flow === 'export' && f.quantityKg !== null);
  if (!mine.length) return null;
  const bySource = new Map<string, TradeFlow[]>();
  for (const f of mine) {
    // push, not a spread copy per row (quadratic in the flows of a source: 46 s at 20k flows)
    let list = bySource.get(f.sourceId);
    if (!list) bySource.set(f.sourceId, (list = []));
    list.push(f);
  }
  let best: ExportDestinations | null = null;
  for (const [sourceId, list] of bySource) {
    const years = [...new Set(list.filter((f) => f.partnerId !== AGGREGATE_IDS.world).map((f) => f.year))].sort((a, b) => b - a);
    // latest year ≤ the asked one; if the data starts later, its first year (the nearest)
    const y = years.find((x) => year === undefined || x <= year) ?? years[years.length - 1];
    if (y === undefined) continue;
    const inYear = list.filter((f) => f.year === y);
    const byPartner = new Map<string, { kg: number; usd: number | null }>();
    let world: number | null = null;
    for (const f of inYear) {
      if (f.partnerId === AGGREGATE_IDS.world) {
        world = (world ?? 0) + f.quantityKg!;
        continue;
      }
      const p = byPartner.get(f.partnerId) ?? { kg: 0, usd: 0 };
      p.kg += f.quantityKg!;
      p.usd = p.usd === null || f.valueUsd === null ? null : p.usd + f.valueUsd;
      byPartner.set(f.partnerId, p);
    }
    const namedTotalKg = [...byPartner.values()].reduce((a, p) => a + p.kg, 0);
    if (!(namedTotalKg > 0)) continue;
    const destinations = [...byPartner]
      .map(([partnerId, p]) => ({ partnerId, partner: countryName(partnerId), quantityKg: p.kg, valueUsd: p.usd, share: p.kg / namedTotalKg }))
      .sort((a, b) => b.quantityKg - a.quantityKg || a.partnerId.localeCompare(b.partnerId));
    const months = inYear.some((f) => f.month === null) ? 12 : new Set(inYear.map((f) => f.month)).size;
    const source = sources.get(sourceId);
    if (!source) throw new Error(`trade flow cites unknown source ${sourceId}`);
    const candidate: ExportDestinations = {
      reporterId,
      materialId,
      year: y,
      months,
      hsCodes: [...new Set(inYear.map((f) => f.hsCode))].sort(),
      productScopes: [...new Set(inYear.map((f) => f.productScope).filter((s): s is string => !!s))],
      namedTotalKg,
      worldTotalKg: world,
      destinations,
      source,
    };
    if (!best || candidate.destinations.length > best.destinations.length) best = candidate;
  }
  return best;
}

export interface ImporterLoss {
  countryId: string;
  country: string;
  shareOfExports: number;
  lostTonnes: number;
}

/** Allocate an exporter's lost tonnes to its destinations pro rata to their share of its exports. */
export function allocateLossToImporters(dest: ExportDestinations, lostTonnes: number): ImporterLoss[] {
  return dest.destinations.map((d) => ({ countryId: d.partnerId, country: d.partner, shareOfExports: d.share, lostTonnes: lostTonnes * d.share }));
}
