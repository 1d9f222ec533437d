/**
 * The criticality CSV: one row per material of the comparison, the same columns for the CLI (`--format csv`) and the
 * API (`format=csv`). Pure.
 */
import { toCsv } from '../../ingest/csv.ts';
import type { ComparisonRow } from './index.ts';

export const CRITICALITY_CSV_COLUMNS = [
  'material',
  'eu_sr',
  'eu_sr_p5',
  'eu_sr_p95',
  'eu_ei',
  'eu_bottleneck',
  'eu_critical',
  'doe_supply_risk',
  'doe_importance',
  'doe_class',
  'usgs_dp',
  'usgs_te',
  'usgs_dp_te',
  'geopolrisk',
  'rank_eu',
  'rank_doe',
  'rank_usgs',
  'rank_geopolrisk',
  'spread',
  'driver',
  'on_official_eu_2023_list',
  'defaulted',
  'messages',
] as const;

export type CriticalityCsvRow = Record<(typeof CRITICALITY_CSV_COLUMNS)[number], string | number | boolean | null>;

/** One flat record per material (absent values null, lists joined with "; " and messages with " | "). */
export function criticalityCsvRow(r: ComparisonRow): CriticalityCsvRow {
  return {
    material: r.materialId,
    eu_sr: r.eu?.sr ?? null,
    eu_sr_p5: r.eu?.srBand?.p5 ?? null,
    eu_sr_p95: r.eu?.srBand?.p95 ?? null,
    eu_ei: r.eu?.ei ?? null,
    eu_bottleneck: r.eu?.bottleneck ?? null,
    eu_critical: r.eu?.critical ?? null,
    doe_supply_risk: r.doe?.supplyRisk ?? null,
    doe_importance: r.doe?.importance ?? null,
    doe_class: r.doe?.class ?? null,
    usgs_dp: r.usgs?.dp ?? null,
    usgs_te: r.usgs?.te ?? null,
    usgs_dp_te: r.usgs?.partialScore ?? null,
    geopolrisk: r.geopolrisk?.score ?? null,
    rank_eu: r.ranks.eu ?? null,
    rank_doe: r.ranks.doe ?? null,
    rank_usgs: r.ranks.usgs ?? null,
    rank_geopolrisk: r.ranks.geopolrisk ?? null,
    spread: r.spread,
    driver: r.driver,
    on_official_eu_2023_list: r.onOfficialEuList,
    defaulted: r.defaulted.join('; '),
    messages: r.messages.join(' | '),
  };
}

/** The CSV text (header always present, one line per material, trailing newline). */
export function criticalityCsv(rows: ComparisonRow[]): string {
  return toCsv(rows.map(criticalityCsvRow), [...CRITICALITY_CSV_COLUMNS]);
}
