/**
 * Stress-test parameters: every value carries `source`, a citation (src/model/provenance.ts) whose status says whether it
 * is published or a default ('default — no published value').
 * Scenario files override any of them (`parameters:`); the report lists every value that was defaulted.
 *
 * Elasticities are short-run (first year of a disruption). We found no per-material published set we could cite from
 * the data in this repository, so they are flagged defaults given as wide ranges; the price output is a range for that
 * reason. Override them per scenario with a cited value where you have one.
 */
import type { FlowRule } from '../engine/stress/network.ts';
import type { Range } from '../engine/stress/price.ts';
import { defaultCitation, noteCitation, type Citation } from '../model/provenance.ts';

export interface Param<T> {
  value: T;
  source: Citation; // status 'default' when no published value backs it
}

export const DEFAULT_REASON = 'no published value';

export interface StressParameters {
  demandElasticity: Param<Range>; // ε_d ≤ 0; low = lowest price impact (most elastic)
  supplyElasticity: Param<Range>; // ε_s ≥ 0 of unaffected producers
  spareCapacityShare: Param<Range>; // used only when the knowledge base has no capacity data for the cell
  spareLeadMonths: Param<number>;
  rampUpSharePerYear: Param<Range>; // unaffected producers' extra output per year, fraction of their output
  /** Extra end-of-life recycling per year during the shock, as a fraction of the recycled input (EoL-RIR × demand). */
  recyclingRampSharePerYear: Param<Range>;
  /** Own share of world consumption by country (for netted coverage and export bans). Absent = unknown. */
  domesticConsumptionShare: Record<string, Param<number>>;
  flowRules: FlowRule[];
  intermediateOf: Record<string, string>; // end-use sector → intermediate product
}

const d = <T>(value: T): Param<T> => ({ value, source: defaultCitation(DEFAULT_REASON) });

export const GENERIC_DEFAULTS: Omit<StressParameters, 'flowRules' | 'intermediateOf' | 'domesticConsumptionShare'> = {
  demandElasticity: d({ low: -0.4, central: -0.2, high: -0.05 }),
  supplyElasticity: d({ low: 0.3, central: 0.1, high: 0.0 }),
  spareCapacityShare: d({ low: 0.1, central: 0.05, high: 0.0 }),
  spareLeadMonths: d(3),
  rampUpSharePerYear: d({ low: 0.2, central: 0.1, high: 0.05 }),
  // No published rate at which collection and recycling respond to a disruption: none is assumed unless a scenario gives one.
  recyclingRampSharePerYear: d({ low: 0, central: 0, high: 0 }),
};

/** Exceptions to the pro-rata ore allocation (see network.ts). */
export const FLOW_RULES: FlowRule[] = [
  {
    materialId: 'nickel',
    from: 'IDN',
    to: ['IDN'],
    note: 'Indonesia has banned nickel ore exports since 1 January 2020, so its ore is refined at home first; what exceeds Indonesian refining leaves as processed intermediates (NPI, matte, MHP) and is pooled for refiners abroad (chiefly China)',
    source: noteCitation('Indonesia, Ministry of Energy and Mineral Resources Regulation No. 11/2019 (ore export ban from 1 Jan 2020)'),
  },
  {
    materialId: 'rare-earths',
    from: 'MMR',
    to: ['CHN'],
    note: "Myanmar's rare-earth concentrate is processed in China",
    source: defaultCitation('widely reported; no bilateral data loaded'),
  },
  {
    materialId: 'rare-earths',
    from: 'KAZ',
    to: ['CHN'],
    note: "Kazakhstan's rare-earth ore goes to China",
    source: defaultCitation('project brief; no bilateral data loaded'),
  },
];

const BATTERY = 'battery cells (cathode / anode materials)';
const MAGNETS = 'permanent magnets (NdFeB)';
const SEMIS = 'copper semi-fabricates (wire rod, sheet, tube)';

export const INTERMEDIATE_OF: Record<string, Record<string, string>> = {
  lithium: { 'Electric vehicles': BATTERY, 'Grid battery storage': BATTERY },
  nickel: { 'Electric vehicles': BATTERY, 'Grid battery storage': BATTERY },
  cobalt: { 'Electric vehicles': BATTERY, 'Grid battery storage': BATTERY },
  graphite: { 'Electric vehicles': BATTERY, 'Grid battery storage': BATTERY },
  manganese: { 'Electric vehicles': BATTERY, 'Grid battery storage': BATTERY },
  'rare-earths': { 'Electric vehicles': MAGNETS, Wind: MAGNETS },
  copper: {
    'Electricity networks': SEMIS,
    'Solar PV': SEMIS,
    Wind: SEMIS,
    'Electric vehicles': SEMIS,
    'Grid battery storage': SEMIS,
    'Other low emissions power generation': SEMIS,
    'Other uses': SEMIS,
  },
};

/** Stockpile policy presets ("days of consumption"). */
export const STOCKPILE_POLICIES: Record<string, Param<number>> = {
  'japan-60': {
    value: 60,
    source: noteCitation('Japan METI / JOGMEC rare-metal stockpiling: national stockpile target of 60 days of domestic consumption'),
  },
  'high-risk-180': {
    value: 180,
    source: noteCitation('Japan METI, New International Resource Strategy (2020): targets of up to 180 days for metals with high supply risk'),
  },
};

export interface ParameterOverrides {
  demandElasticity?: Range;
  supplyElasticity?: Range;
  spareCapacityShare?: Range;
  spareLeadMonths?: number;
  rampUpSharePerYear?: Range;
  recyclingRampSharePerYear?: Range;
  domesticConsumptionShare?: Record<string, { value: number; source: string }>;
  flowRules?: Array<{ from: string; to: string[]; note: string; source?: string }>;
  replaceFlowRules?: boolean;
  sources?: Record<string, string>; // optional source text for overridden scalar parameters
}

export function parametersFor(materialId: string, o: ParameterOverrides = {}): { params: StressParameters; defaulted: string[] } {
  const src = (k: string) => o.sources?.[k] ?? 'scenario file';
  const pick = <T>(k: keyof typeof GENERIC_DEFAULTS, v: T | undefined, def: Param<T>): Param<T> =>
    v !== undefined ? { value: v, source: noteCitation(src(k)) } : def;
  const params: StressParameters = {
    demandElasticity: pick('demandElasticity', o.demandElasticity, GENERIC_DEFAULTS.demandElasticity),
    supplyElasticity: pick('supplyElasticity', o.supplyElasticity, GENERIC_DEFAULTS.supplyElasticity),
    spareCapacityShare: pick('spareCapacityShare', o.spareCapacityShare, GENERIC_DEFAULTS.spareCapacityShare),
    spareLeadMonths: pick('spareLeadMonths', o.spareLeadMonths, GENERIC_DEFAULTS.spareLeadMonths),
    rampUpSharePerYear: pick('rampUpSharePerYear', o.rampUpSharePerYear, GENERIC_DEFAULTS.rampUpSharePerYear),
    recyclingRampSharePerYear: pick('recyclingRampSharePerYear', o.recyclingRampSharePerYear, GENERIC_DEFAULTS.recyclingRampSharePerYear),
    domesticConsumptionShare: Object.fromEntries(
      Object.entries(o.domesticConsumptionShare ?? {}).map(([c, v]) => [c.toUpperCase(), { value: v.value, source: noteCitation(v.source) }]),
    ),
    flowRules: [
      ...(o.replaceFlowRules ? [] : FLOW_RULES.filter((r) => r.materialId === materialId)),
      ...(o.flowRules ?? []).map((r) => ({
        materialId,
        from: r.from.toUpperCase(),
        to: r.to.map((t) => t.toUpperCase()),
        note: r.note,
        source: noteCitation(r.source ?? 'scenario file'),
      })),
    ],
    intermediateOf: INTERMEDIATE_OF[materialId] ?? {},
  };
  const defaulted = (Object.keys(GENERIC_DEFAULTS) as (keyof typeof GENERIC_DEFAULTS)[]).filter((k) => params[k].source.status === 'default');
  return { params, defaulted };
}
