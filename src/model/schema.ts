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
import { InputError } from './errors.ts';
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

/**
 * Plausible ranges: what a figure of a unit (or a measure in a unit) can be at all. validateBatch rejects a value
 * outside its range, naming file, line and field, because one poisoned cell changes results (a WGI estimate of 1e308
 * took cobalt's GeoPolRisk from 0.014 to 0.000). The ranges are wide enough for every real input (checked by
 * `npm run test:sources`, which re-imports ../shared/data) and narrow enough to catch sign, unit and overflow errors.
 */
export interface PlausibleRange {
  min: number;
  max: number;
  why: string;
}

/**
 * 1e12 for quantities: the largest annual output of any mineral commodity is of the order of 1e10 t (sand and gravel,
 * iron ore), the largest published reserves 1.9e11 t (crude iron ore, MCS2024); carats (2e9) and cubic metres (8.6e9,
 * helium reserves) stay far below it too. A value above it is a unit or overflow error, not a mine.
 */
const QUANTITY_CEILING = 1e12;

export const OBSERVATION_UNIT_RANGES: Record<string, PlausibleRange> = {
  t: { min: 0, max: QUANTITY_CEILING, why: 'tonnes: not negative, at most 1e12 t (largest reserves published: 1.9e11 t)' },
  carats: { min: 0, max: QUANTITY_CEILING, why: 'carats: not negative, at most 1e12' },
  m3: { min: 0, max: QUANTITY_CEILING, why: 'cubic metres: not negative, at most 1e12' },
  fraction: { min: 0, max: 1, why: 'a share as a fraction lies in 0..1' },
  percent: { min: 0, max: 100, why: 'a share in percent lies in 0..100' },
  // EU CRM trade-related variable t: 0.8 for EU trade-agreement partners, 1 by default, above 1 with export
  // restrictions (0.8..1.5 in the 2023 assessment); 0.5..2 leaves room for other editions
  index: { min: 0.5, max: 2, why: 'EU CRM trade variable t: 0.8..1.5 published, 0.5..2 accepted' },
};

/**
 * Per measure, overriding the unit's range. USGS salient statistics print a few small negative trade figures (MCS2024:
 * asbestos imports 2023 -4 t, tellurium exports 2020 -2 t); they are kept as published, larger negatives are rejected.
 */
export const OBSERVATION_MEASURE_RANGES: Partial<Record<Measure, Record<string, PlausibleRange>>> = {
  imports: { t: { min: -100, max: QUANTITY_CEILING, why: 'imports in tonnes: at least -100 t (USGS prints a few small negatives), at most 1e12 t' } },
  exports: { t: { min: -100, max: QUANTITY_CEILING, why: 'exports in tonnes: at least -100 t (USGS prints a few small negatives), at most 1e12 t' } },
};

/** The range for an observation's value, or undefined for a unit no importer emits (then the batch is refused). */
export function observationRange(measure: Measure, unit: string): PlausibleRange | undefined {
  return OBSERVATION_MEASURE_RANGES[measure]?.[unit] ?? OBSERVATION_UNIT_RANGES[unit];
}

/**
 * WGI estimates are standard-normal scores, "about -2.5 to 2.5" in the World Bank's words, but the 1996-2023
 * release reaches -3.31 (political stability) and +2.47: -3.5..3.5 keeps every published score with a small margin.
 */
export const GOVERNANCE_RANGES: Record<'estimate' | 'stdErr' | 'percentileRank' | 'year', PlausibleRange> = {
  estimate: { min: -3.5, max: 3.5, why: 'WGI estimate: published scores lie in -3.31..2.47; -3.5..3.5 accepted' },
  stdErr: { min: 0, max: 3, why: 'WGI standard error: published 0.10..1.06; 0..3 accepted' },
  percentileRank: { min: 0, max: 100, why: 'a percentile rank lies in 0..100' },
  year: { min: 1900, max: 2100, why: 'a year in 1900..2100' },
};

/**
 * Customs quantities and values: not negative; at most 1e15 kg (the 1e12 t quantity ceiling) and 1e13 USD (world
 * merchandise trade is about 2.5e13 USD a year in total; the largest flow in the real inputs is 4e10 USD).
 */
export const TRADE_FLOW_RANGES: Record<'quantityKg' | 'valueUsd', PlausibleRange> = {
  quantityKg: { min: 0, max: QUANTITY_CEILING * 1000, why: 'kilograms: not negative, at most 1e15 kg (1e12 t)' },
  valueUsd: { min: 0, max: 1e13, why: 'US dollars: not negative, at most 1e13 (world merchandise trade is ~2.5e13 a year)' },
};

/**
 * Price units as the USGS salient files name them (column-name suffix), with the factor to US dollars per metric ton
 * of the priced product where the unit is a mass unit. `USD/mtu WO3` is a metric ton unit of tungsten trioxide
 * (10 kg WO3), the unit tungsten concentrate and APT are quoted in (USGS Minerals Yearbook, tungsten chapter).
 * Units with no factor (none today) would keep `usdPerTonne` null: a price in them cannot be turned into money.
 */
export const PRICE_UNITS = {
  'USD/t': { perTonne: 1, label: 'US dollars per metric ton' },
  'USD/kg': { perTonne: 1000, label: 'US dollars per kilogram' },
  'USD/g': { perTonne: 1e6, label: 'US dollars per gram' },
  'USD/lb': { perTonne: 2204.62262, label: 'US dollars per pound' },
  'USc/lb': { perTonne: 22.0462262, label: 'US cents per pound' },
  'USD/troy oz': { perTonne: 32150.7466, label: 'US dollars per troy ounce' },
  'USD/short ton': { perTonne: 1.10231131, label: 'US dollars per short ton' },
  'USD/mtu WO3': { perTonne: 100, label: 'US dollars per metric ton unit (10 kg) of WO3' },
} as const satisfies Record<string, { perTonne: number; label: string }>;
export type PriceUnit = keyof typeof PRICE_UNITS;
export const PriceUnitSchema = z.enum(Object.keys(PRICE_UNITS) as [PriceUnit, ...PriceUnit[]]);

/**
 * One annual price as a source publishes it: `value` in `unit` (nominal US dollars of the year), `usdPerTonne` the same
 * price per metric ton of the priced product (not of contained metal unless `product` says so). `series` names the
 * price series within the material (product and market, as the source labels them); `basis` says what is priced in
 * words. The same material, series and year from two editions are both kept (a revision); readers take the newest.
 */
export const PricePointSchema = z.object({
  materialId: z.string().min(1),
  series: z.string().min(1), // "Price_LME_ctslb" → "LME"; "Price_Flake_dt" → "Flake"; "" → "average"
  year: z.number().int().min(1900).max(2100),
  value: z.number().finite().nullable(), // null when withheld / not available, or published as a range only
  low: z.number().finite().nullable(), // a range as published ("50–300"): its ends; value is then null
  high: z.number().finite().nullable(),
  unit: PriceUnitSchema,
  usdPerTonne: z.number().finite().nullable(),
  basis: z.string().min(1), // what is priced: "lithium carbonate, annual average (USGS salient 'Price_dt')"
  market: z.string().nullable(), // "LME", "COMEX", "U.S. producer", "Rotterdam", "CIF China" ... when the source names one
  status: ValueStatusSchema,
  estimated: z.boolean(),
  edition: z.number().int(), // edition year of the source (newest wins for a year two editions give)
  detail: z.string().min(1), // column name as published
  note: z.string().nullable(),
  sourceId: z.string().min(1),
});
export type PricePoint = z.infer<typeof PricePointSchema>;

/** Prices in US dollars per metric ton: positive, below 1e11 (rhodium peaked near 9e8 USD/t in 2021). */
export const PRICE_RANGE: PlausibleRange = {
  min: 0,
  max: 1e11,
  why: 'a price per metric ton is not negative and below 1e11 USD (rhodium peaked near 9e8 USD/t)',
};

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
  /** Annual prices (USGS salient statistics); replaced with the rows of their source like every other table. */
  prices?: PricePoint[];
  /** Things the importer noticed but could not turn into numbers; shown to the user, never dropped silently. */
  warnings: string[];
}

/** Thrown by importers for malformed input: names the file, line and field. */
export class ImportError extends InputError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    field: string | null,
    readonly reason: string,
  ) {
    super(field, `${file}${line !== null ? `:${line}` : ''}${field ? ` [${field}]` : ''}: ${reason}`, 'invalid', 'file');
    this.name = 'ImportError';
  }
}
