/**
 * Domain model of Chokepoint: zod schemas and the types inferred from them.
 *
 * Conventions every module follows:
 * - Countries are ISO 3166-1 alpha-3 codes. Aggregates are separate entities with ids from
 *   `AGGREGATE_IDS` (World total, Other countries / Rest of world, and multi-country groups such as
 *   "United States and Canada"); they are never summed into shares.
 * - Mass values are stored in metric tonnes (`unit: 't'`), converted at import time from kt, kg, Mt.
 *   Non-mass units (carats, cubic metres, percent, fraction, USD/t ...) are kept as published.
 * - `basis` says what the tonnes are tonnes *of* (contained metal, gross weight, oxide, LCE ...).
 * - Every observation names its `sourceId`; a source names publisher, edition and table.
 */
import { z } from 'zod';
import type { Agreement, Project, TradeMeasure } from './registry.ts';

export const STAGES = ['reserves', 'mining', 'refining', 'intermediate', 'end_use'] as const;
export const StageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof StageSchema>;

export const MEASURES = [
  'production',
  'capacity',
  'reserves',
  'demand',
  'net_import_reliance', // percent of apparent consumption (USGS NIR)
  'imports',
  'exports',
  'consumption',
  'supply_share', // fraction of supply (EU CRM tables), scope in `detail`
  'trade_variable_t', // EU CRM trade-related variable t
] as const;
export const MeasureSchema = z.enum(MEASURES);
export type Measure = z.infer<typeof MeasureSchema>;

export const BASES = [
  'contained', // contained metal / element content
  'gross_weight',
  'oxide', // e.g. rare-earth-oxide equivalent, K2O, B2O3, TiO2
  'lce', // lithium carbonate equivalent
  'ore', // crude or marketable ore
  'refined', // refined metal / chemical product as such
  'concentrate',
  'compound',
  'value', // money
  'ratio', // shares, percentages, indices
  'unspecified',
] as const;
export const BasisSchema = z.enum(BASES);
export type Basis = z.infer<typeof BasisSchema>;

/** Status of the number itself. `estimated` is a separate boolean because estimates can also be bounds. */
export const VALUE_STATUSES = [
  'reported',
  'withheld', // USGS "W": withheld to avoid disclosing company proprietary data
  'not_available', // "NA"
  'not_applicable', // "XX"
  'lower_bound', // ">" value is a lower bound
  'upper_bound', // "<" value is an upper bound
  'included_elsewhere', // "Included in World total", "Included with Other countries"
  'qualitative', // "Large", "Very small": a word, not a number
] as const;
export const ValueStatusSchema = z.enum(VALUE_STATUSES);
export type ValueStatus = z.infer<typeof ValueStatusSchema>;

export const AGGREGATE_IDS = {
  world: 'WLD',
  other: 'OTH', // "Other countries", "Rest of world"
} as const;

/** Entity ids that are not single countries. Group aggregates use the prefix "X-" (e.g. "X-USA+CAN"). */
export function isAggregateEntity(id: string): boolean {
  return id === AGGREGATE_IDS.world || id === AGGREGATE_IDS.other || id.startsWith('X-');
}

export const SourceSchema = z.object({
  id: z.string().min(1), // e.g. "usgs-mcs-2025-world"
  dataset: z.string().min(1), // source family used to pick consistent series: "usgs-mcs", "iea-cm", "eu-crm", "wgi", ...
  editionYear: z.number().int(), // publication year of the edition; the newest edition wins when editions overlap
  publisher: z.string().min(1), // "U.S. Geological Survey"
  title: z.string().min(1), // "Mineral Commodity Summaries 2025 Data Release"
  edition: z.string().min(1), // "MCS2025"
  table: z.string().nullable(), // "World mine production, refinery production and reserves"
  licence: z.string().min(1),
  url: z.string().nullable(), // DOI or URL
  file: z.string().nullable(), // file name as published (not a path on this machine)
  caveat: z.string().nullable(), // licence or quality caveats shown with the figure
});
export type Source = z.infer<typeof SourceSchema>;

export const ObservationSchema = z.object({
  materialId: z.string().min(1),
  stage: StageSchema,
  measure: MeasureSchema,
  countryId: z.string().min(3), // ISO3, "WLD", "OTH" or "X-..."
  year: z.number().int().min(1900).max(2100),
  value: z.number().finite().nullable(), // null when withheld / not available
  unit: z.string().min(1),
  basis: BasisSchema,
  status: ValueStatusSchema,
  estimated: z.boolean(),
  scenario: z.string().nullable(), // IEA "STEPS" | "APS" | "NZE" | "base"; null for historical data
  sector: z.string().nullable(), // end-use sector for demand rows
  detail: z.string().nullable(), // what exactly was measured, as published (USGS "Type", EU scope ...)
  note: z.string().nullable(),
  sourceId: z.string().min(1),
});
export type Observation = z.infer<typeof ObservationSchema>;

export const MaterialSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/), // slug: "cobalt", "rare-earths", "graphite-natural"
  name: z.string().min(1),
  aliases: z.array(z.string()), // names used by sources: "Gemanium", "Natural Graphite", "Rare earths"
  group: z.string().nullable(), // "REE", "LREE", "HREE", "PGM", ...
  members: z.array(z.string()), // for groups: the member material ids
  usgsCode: z.string().nullable(), // USGS 5-letter file code where one exists
});
export type Material = z.infer<typeof MaterialSchema>;

export const CountrySchema = z.object({
  id: z.string().min(3), // ISO3 or aggregate id
  name: z.string().min(1),
  kind: z.enum(['country', 'aggregate']),
  iso2: z.string().nullable(),
  m49: z.string().nullable(),
  region: z.string().nullable(),
  subregion: z.string().nullable(),
});
export type Country = z.infer<typeof CountrySchema>;

export const GroupingMemberSchema = z.object({
  groupId: z.string().min(1), // "EU27", "G7", "OECD", "MSP", ...
  groupName: z.string().min(1),
  countryId: z.string().min(3),
  asOf: z.string().nullable(), // ISO date of the membership list
  sourceId: z.string().min(1),
});
export type GroupingMember = z.infer<typeof GroupingMemberSchema>;

export const GovernanceSchema = z.object({
  countryId: z.string().min(3),
  year: z.number().int(),
  indicator: z.enum(['va', 'pv', 'ge', 'rq', 'rl', 'cc']),
  estimate: z.number().finite(), // WGI standard-normal units, about -2.5 (weak) .. +2.5 (strong)
  stdErr: z.number().finite().nullable(),
  percentileRank: z.number().finite().nullable(),
  sourceId: z.string().min(1),
});
export type Governance = z.infer<typeof GovernanceSchema>;

/**
 * One bilateral trade figure: what `reporterId` declared as exported to / imported from `partnerId` under one HS code
 * in a year (or month). Quantities are net weight in kilograms as customs report them (not contained metal), values in
 * current USD. An HS code can be wider than the material (HS 811292 covers unwrought Ga, Ge, Hf, In, Nb, Re): the
 * figure is then stored under each headline material of the code, and `productScope` says what else it contains.
 */
export const TradeFlowSchema = z.object({
  reporterId: z.string().min(3), // ISO3 of the declaring country
  partnerId: z.string().min(3), // ISO3, or "WLD" for the world total
  flow: z.enum(['export', 'import']),
  materialId: z.string().min(1),
  hsCode: z.string().regex(/^\d{4,10}$/),
  year: z.number().int().min(1900).max(2100),
  month: z.number().int().min(1).max(12).nullable(), // null for annual figures
  quantityKg: z.number().finite().nonnegative().nullable(),
  valueUsd: z.number().finite().nonnegative().nullable(),
  productScope: z.string().nullable(), // "HS 811292: unwrought gallium, germanium, hafnium, indium, niobium, rhenium"
  sourceId: z.string().min(1),
});
export type TradeFlow = z.infer<typeof TradeFlowSchema>;

/** What one importer returns: everything it read, already validated, ready for one atomic write. */
export interface ImportBatch {
  kind: string; // importer kind, e.g. "usgs-world"
  file: string; // path that was read (for messages and the import log)
  sources: Source[];
  observations: Observation[];
  groupings?: GroupingMember[];
  governance?: Governance[];
  tradeFlows?: TradeFlow[];
  /** Minerals-diplomacy registry records (src/model/registry.ts). */
  agreements?: Agreement[];
  measures?: TradeMeasure[];
  projects?: Project[];
  /** Things the importer noticed but could not turn into numbers; shown to the user, never dropped silently. */
  warnings: string[];
}

/** Thrown by importers for malformed input: names the file, line and field. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}${field ? ` [${field}]` : ''}: ${reason}`);
    this.name = 'ImportError';
  }
}
