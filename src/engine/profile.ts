/**
 * Material profile: everything the knowledge base says about one material, latest figures first, each sourced.
 */
import { getMaterial } from '../model/materials.ts';
import type { Stage } from '../model/schema.ts';
import { concentrationRow, type ConcentrationRow } from './concentration-report.ts';
import { cite, type Citation } from '../model/provenance.ts';
import type { DatasetIndex } from './dataset.ts';
import { nirRank } from './criticality/inputs.ts';
import { priceHistory, type PriceSeries } from './prices.ts';

export interface MaterialProfile {
  materialId: string;
  name: string;
  aliases: string[];
  group: string | null;
  stages: Array<{ stage: Stage; years: number[]; latest: ConcentrationRow | null; trend: ConcentrationRow[] }>;
  netImportReliance: Array<{ countryId: string; year: number; percent: number | null; status: string; note: string | null; source: Citation }>;
  demand: Array<{ year: number; scenario: string | null; sector: string; value: number; unit: string; source: Citation }>;
  /** Annual price series (newest edition per year, revisions kept), with year-on-year change and rolling range. */
  prices: PriceSeries[];
  sources: Citation[];
  gaps: string[]; // what the knowledge base does not have for this material
}

const PROFILE_STAGES: Stage[] = ['mining', 'refining', 'reserves'];

export function materialProfile(index: DatasetIndex, materialId: string): MaterialProfile {
  const m = getMaterial(materialId);
  if (!m) throw new Error(`unknown material ${materialId}`);
  const gaps: string[] = [];
  const stages = PROFILE_STAGES.map((stage) => {
    const years = index.years(materialId, stage);
    const trend = years.map((year) => concentrationRow(index, { materialId, stage, year })).filter((r): r is ConcentrationRow => r !== null);
    const historical = trend.filter((r) => r.scenario === null);
    const latest = historical[historical.length - 1] ?? trend[trend.length - 1] ?? null;
    if (!latest) gaps.push(`no ${stage} data by country`);
    return { stage, years, latest, trend };
  });

  const nir = index
    .observationsOf(materialId)
    .filter((o) => o.measure === 'net_import_reliance')
    .map((o) => ({ o, src: index.source(o.sourceId) }))
    // one value per country-year: the newest edition; within it the MCS Fig. 2 table (one figure per commodity), then
    // the highest of several salient NIR series (ores vs refined products)
    .sort((a, b) => b.src.editionYear - a.src.editionYear || nirRank(a.o) - nirRank(b.o) || (b.o.value ?? -1) - (a.o.value ?? -1));
  const seen = new Set<string>();
  const netImportReliance = nir
    .filter(({ o }) => {
      const k = `${o.countryId}|${o.year}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map(({ o, src }) => ({ countryId: o.countryId, year: o.year, percent: o.value, status: o.status, note: o.note, source: cite(src, o.detail, m.name) }))
    .sort((a, b) => a.year - b.year);
  if (!netImportReliance.length) gaps.push('no net import reliance figures');

  const demand = index
    .observationsOf(materialId)
    .filter((o) => o.measure === 'demand' && o.value !== null)
    .map((o) => ({
      year: o.year,
      scenario: o.scenario,
      sector: o.sector ?? 'Total',
      value: o.value!,
      unit: o.unit,
      source: cite(index.source(o.sourceId), o.detail, m.name),
    }))
    .sort((a, b) => a.year - b.year || (a.scenario ?? '').localeCompare(b.scenario ?? ''));
  if (!demand.length) gaps.push('no demand figures');

  const prices = priceHistory(index.data.prices ?? [], index.data.sources, { materialId });
  if (!prices.length) gaps.push('no price series');

  const sourceIds = new Set(index.observationsOf(materialId).map((o) => o.sourceId));
  for (const s of prices) for (const src of s.sources) sourceIds.add(src.id);
  return {
    materialId,
    name: m.name,
    aliases: m.aliases,
    group: m.group,
    stages,
    netImportReliance,
    demand,
    prices,
    sources: [...sourceIds].sort().map((id) => cite(index.source(id))),
    gaps,
  };
}
