/**
 * Material profile: everything the knowledge base says about one material, latest figures first, each sourced.
 */
import { getMaterial } from '../model/materials.ts';
import type { Stage } from '../model/schema.ts';
import { concentrationRow, type ConcentrationRow } from './concentration-report.ts';
import { cite, type Citation } from '../model/provenance.ts';
import type { DatasetIndex } from './dataset.ts';
import { netImportRelianceByYear, type NirYear } from './nir.ts';
import { priceHistory, type PriceSeries } from './prices.ts';

export interface MaterialProfile {
  materialId: string;
  name: string;
  aliases: string[];
  group: string | null;
  stages: Array<{ stage: Stage; years: number[]; latest: ConcentrationRow | null; trend: ConcentrationRow[] }>;
  /** Per country and year, newest MCS edition first; `revisions` keeps older editions' figures (src/engine/nir.ts). */
  netImportReliance: NirYear[];
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

  // one value per country-year: the newest edition wins; older editions' figures are kept as revisions (engine/nir.ts)
  const netImportReliance = netImportRelianceByYear(index, materialId);
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
