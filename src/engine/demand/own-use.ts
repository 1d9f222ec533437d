/**
 * A country's (or the EU's) own use of a material, as a share of world demand, with its method, basis, range and
 * sources — the input the IEA-style netted N-1 and stockpile cover need (IEA GCMO 2025: "without the largest refiner,
 * remaining refined supply vs world demand net of that country's own demand").
 *
 * Methods, in order of preference:
 *  1. apparent consumption published by a statistical agency (USGS salient statistics: U.S. only), divided by world
 *     demand of the same year and scope — used only when its basis matches the demand's, or a conversion is stated
 *     (`BASIS_CONVERSIONS`); for a later year the share is carried forward and shown as an estimate;
 *  2. apparent consumption from customs, where the country's own import and export declarations are loaded: refining-
 *     stage production + imports − exports, customs product weight converted to the production basis per HS code
 *     (src/engine/demand/apparent.ts; low and high from the factors' ranges). It is the country's first use of refined
 *     material (what its plants take in), not the material inside imported goods; a code without a stated conversion is a
 *     gap and the next method is tried;
 *  3. allocation (our curated table `src/data/demand-own-use-2024.json`): each IEA demand sector s gets a key k_s (the
 *     country's share of that sector's activity, as published — EV battery demand, cell manufacturing, refined copper
 *     usage ...), and
 *         d = Σ_s k_s · D_s / D        (low and high from each key's low and high)
 *     Every sector of the demand series must be covered, or the share is a gap (a partial sum is never used).
 * A key without a published figure is marked `assumed` and listed as such.
 */
import { z } from 'zod';
import table from '../../data/demand-own-use-2024.json' with { type: 'json' };
import type { Observation, Source } from '../../model/schema.ts';
import { citation } from '../../model/provenance.ts';
import type { DatasetIndex } from '../dataset.ts';
import type { ConsumptionShare } from '../stress/coverage.ts';
import { pickStageSupply, worldDemand, type WorldDemand } from '../stress/inputs.ts';
import { apparentDependence, bilateralImports, declaredExports, flowsAtStage, membersOutput } from './apparent.ts';

/** What the tonnes of a demand or supply figure are tonnes of. */
export type DemandBasis = 'contained' | 'refined' | 'battery-grade' | 'oxide' | 'gross_weight' | 'lce' | 'unspecified';

export interface OwnUseKeyRef {
  id: string;
  what: string;
  source: string; // publisher, title, year
  url: string;
  year: number;
}

export interface OwnUseTerm {
  sectors: string[];
  demandTonnes: number; // demand of those sectors in the series used
  central: number;
  low: number;
  high: number;
  key: OwnUseKeyRef | null; // null = assumed central value
  status: 'sourced' | 'assumed';
  lowWhy: string;
  highWhy: string;
  note: string | null;
}

export interface OwnUse {
  countryId: string;
  materialId: string;
  year: number;
  method: 'allocation' | 'apparent-consumption';
  /** Share of world demand (the series in `demandScope`), central and range. */
  share: number;
  low: number;
  high: number;
  tonnes: number;
  demandTonnes: number;
  demandScope: string | null;
  basis: DemandBasis;
  /** True when the figure is a projection or a base-year share carried to another year: shown as an estimate. */
  estimate: boolean;
  assumed: boolean; // some term has no published central value
  terms: OwnUseTerm[];
  conversion: string | null; // the stated basis conversion, if one was needed
  /** One line: method and sources, for tables. */
  sourceText: string;
  sources: OwnUseKeyRef[];
  notes: string[];
}

export interface OwnUseGap {
  countryId: string;
  materialId: string;
  year: number;
  reason: string;
}

export type OwnUseResult = { ok: true; value: OwnUse } | { ok: false; gap: OwnUseGap };

const Share = z.number().min(0).max(1);
const KeyRowSchema = z.object({
  id: z.string().min(1),
  what: z.string().min(1),
  publisher: z.string().min(1),
  title: z.string().min(1),
  year: z.number().int().min(1990).max(2100),
  url: z.string().url(),
  licence: z.string().min(1),
  values: z.record(z.string().min(3), Share),
});
const BoundSchema = z
  .object({ value: Share.optional(), key: z.string().optional(), why: z.string().min(1) })
  .refine((b) => (b.value === undefined) !== (b.key === undefined), {
    message: 'a bound is a value or a key, not both',
  });
const RowSchema = z
  .object({
    countryId: z.string().min(3),
    materialId: z.string().min(1),
    sectors: z.array(z.string().min(1)).min(1),
    basis: z.enum(['contained', 'refined', 'battery-grade', 'oxide', 'gross_weight', 'any']),
    key: z.string().optional(),
    central: Share.optional(),
    status: z.enum(['sourced', 'assumed']),
    note: z.string().optional(),
    low: BoundSchema,
    high: BoundSchema,
  })
  .refine((r) => (r.key === undefined) !== (r.central === undefined), { message: 'a row has a key or an assumed central value, not both' })
  .refine((r) => r.status === 'assumed' || r.key !== undefined, { message: "a 'sourced' row names its key" });
type KeyRow = z.infer<typeof KeyRowSchema>;
type Bound = z.infer<typeof BoundSchema>;
type Row = z.infer<typeof RowSchema>;

/** Our curated table, checked when loaded: a malformed row names its index and field. */
export function parseOwnUseTable(raw: unknown): { keys: Map<string, KeyRow>; rows: Row[] } {
  const t = z.object({ description: z.string(), keys: z.array(KeyRowSchema), rows: z.array(RowSchema) }).safeParse(raw);
  if (!t.success) {
    const i = t.error.issues[0];
    throw new Error(`src/data/demand-own-use-2024.json: ${i.path.join('.')}: ${i.message}`);
  }
  const keys = new Map(t.data.keys.map((k) => [k.id, k]));
  for (const [n, r] of t.data.rows.entries()) {
    for (const k of [r.key, r.low.key, r.high.key]) if (k && !keys.has(k)) throw new Error(`src/data/demand-own-use-2024.json: rows.${n}: unknown key "${k}"`);
    if (r.key && keys.get(r.key)!.values[r.countryId] === undefined)
      throw new Error(`src/data/demand-own-use-2024.json: rows.${n}: key "${r.key}" has no value for ${r.countryId}`);
  }
  return { keys, rows: t.data.rows };
}

const { keys: KEYS, rows: ROWS } = parseOwnUseTable(table);

/** Basis conversions we state; any other pair of bases is not compared. */
export const BASIS_CONVERSIONS: Array<{ materialId: string; from: DemandBasis; to: DemandBasis; statement: string }> = [
  {
    materialId: 'copper',
    from: 'refined',
    to: 'contained',
    statement:
      'A share of refined copper usage is applied to total copper demand (refined and direct scrap use) as it is: assumes the country uses direct scrap in the same proportion as refined copper.',
  },
];

export function basisConversion(materialId: string, from: DemandBasis, to: DemandBasis): string | null {
  if (from === to) return null;
  return BASIS_CONVERSIONS.find((c) => c.materialId === materialId && c.from === from && c.to === to)?.statement ?? null;
}

/** Basis of a world demand series: the IEA's battery-grade graphite series says so in its scope; otherwise the rows' basis. */
export function demandBasis(demand: WorldDemand): DemandBasis {
  if (/battery-grade/i.test(demand.scope ?? '')) return 'battery-grade';
  return 'contained';
}

/**
 * Basis of a supply series. The IEA's refined graphite is battery-grade material (spherical graphite for anodes; GCMO
 * 2025 reports refining for battery-grade graphite), which is why it is compared with battery-grade demand only.
 */
export function supplyBasis(materialId: string, stage: string, dataset: string, basis: string): DemandBasis {
  if (dataset === 'iea-cm' && materialId === 'graphite' && stage === 'refining') return 'battery-grade';
  if (basis === 'contained' || basis === 'refined' || basis === 'oxide' || basis === 'gross_weight') return basis;
  return 'unspecified';
}

/**
 * Whether supply and demand can be compared: the same basis, or a stated conversion. Returns null when they can, else
 * the reason they cannot (shown to the user: "refuse to compare supply and demand on different bases").
 */
export function basisMismatch(materialId: string, supply: DemandBasis, demand: DemandBasis): string | null {
  if (supply === demand) return null;
  if (basisConversion(materialId, supply, demand) || basisConversion(materialId, demand, supply)) return null;
  return `supply is ${supply.replace('_', ' ')}, demand is ${demand.replace('_', ' ')}: not compared without a stated conversion`;
}

const keyRef = (k: KeyRow): OwnUseKeyRef => ({ id: k.id, what: k.what, source: `${k.publisher}, ${k.title} (${k.year})`, url: k.url, year: k.year });

function boundValue(b: Bound, countryId: string): number | null {
  if (b.value !== undefined) return b.value;
  const k = b.key ? KEYS.get(b.key) : undefined;
  return k?.values[countryId] ?? null;
}

/** Curated rows for a country and material (a row with materialId '*' applies to every material). */
function rowsFor(countryId: string, materialId: string): Row[] {
  const own = ROWS.filter((r) => r.countryId === countryId && r.materialId === materialId);
  const any = ROWS.filter((r) => r.countryId === countryId && r.materialId === '*');
  return [...own, ...any];
}

/** Which curated rows exist (for the `demand` listing and the docs). */
export function curatedOwnUseCountries(): string[] {
  return [...new Set(ROWS.map((r) => r.countryId))];
}

function allocation(materialId: string, countryId: string, year: number, demand: WorldDemand): OwnUseResult {
  const gap = (reason: string): OwnUseResult => ({ ok: false, gap: { countryId, materialId, year, reason } });
  const rows = rowsFor(countryId, materialId);
  if (!rows.length) return gap(`no consumption figure or allocation key for ${countryId} in our table or the knowledge base`);
  const dBasis = demandBasis(demand);
  const notes: string[] = [];
  let conversion: string | null = null;
  const usable = rows.filter((r) => {
    if (r.basis === 'any' || r.basis === dBasis) return true;
    const conv = basisConversion(materialId, r.basis as DemandBasis, dBasis);
    if (conv) {
      conversion = conv;
      return true;
    }
    notes.push(`${countryId} key on a ${r.basis} basis not applied to ${dBasis} demand (no stated conversion).`);
    return false;
  });
  const terms: OwnUseTerm[] = [];
  const uncovered: string[] = [];
  for (const s of demand.sectors) {
    const r = usable.find((x) => x.sectors.includes(s.sector) || x.sectors.includes('*'));
    if (!r) {
      uncovered.push(s.sector);
      continue;
    }
    const k = r.key ? KEYS.get(r.key) : undefined;
    const central = r.central ?? k?.values[countryId];
    const low = boundValue(r.low, countryId);
    const high = boundValue(r.high, countryId);
    if (central === undefined || low === null || high === null) {
      uncovered.push(s.sector);
      continue;
    }
    let t = terms.find((x) => x.key?.id === k?.id && x.central === central && x.low === low && x.high === high && x.note === (r.note ?? null));
    if (!t) {
      t = {
        sectors: [],
        demandTonnes: 0,
        central,
        low: Math.min(low, central),
        high: Math.max(high, central),
        key: k ? keyRef(k) : null,
        status: r.status === 'assumed' || !k ? 'assumed' : 'sourced',
        lowWhy: r.low.why,
        highWhy: r.high.why,
        note: r.note ?? null,
      };
      terms.push(t);
    }
    t.sectors.push(s.sector);
    t.demandTonnes += s.tonnes;
  }
  if (uncovered.length) {
    return gap(
      `no allocation key for ${countryId}'s use of ${materialId} in ${uncovered.join(', ')} (${notes.join(' ') || 'our table covers only the sectors listed'}); a partial sum is not used`,
    );
  }
  const D = demand.totalTonnes;
  const sum = (f: (t: OwnUseTerm) => number) => terms.reduce((a, t) => a + f(t) * t.demandTonnes, 0) / D;
  const share = sum((t) => t.central);
  const keys = [...new Map(terms.flatMap((t) => (t.key ? [[t.key.id, t.key] as const] : []))).values()];
  const assumed = terms.some((t) => t.status === 'assumed');
  return {
    ok: true,
    value: {
      countryId,
      materialId,
      year,
      method: 'allocation',
      share,
      low: sum((t) => t.low),
      high: sum((t) => t.high),
      tonnes: share * D,
      demandTonnes: D,
      demandScope: demand.scope,
      basis: dBasis,
      estimate: true,
      assumed,
      terms,
      conversion,
      sourceText: `allocation: ${terms
        .map((t) => `${t.sectors.join('+')} × ${(t.central * 100).toFixed(1)}% (${t.key ? t.key.id : 'assumed'})`)
        .join('; ')} of ${demand.source.publisher} ${demand.scenario ?? ''} demand ${year}`.replace(/\s+/g, ' '),
      sources: keys,
      notes,
    },
  };
}

/** USGS salient "apparent consumption" rows and the basis USGS publishes them on (MCS 2025 commodity pages). */
const USGS_CONSUMPTION: Record<string, { detail: RegExp; basis: DemandBasis; what: string }> = {
  cobalt: { detail: /^Consump_Apparent_t$/, basis: 'contained', what: 'apparent consumption, cobalt content' },
  copper: { detail: /^Consump_Apparent_kt$/, basis: 'refined', what: 'apparent consumption of refined copper' },
  nickel: { detail: /^Consump_Apparent_Total_t$/, basis: 'contained', what: 'apparent consumption, primary + secondary, nickel content' },
  graphite: { detail: /^Consump_t$/, basis: 'gross_weight', what: 'natural graphite consumption, gross weight (not battery-grade)' },
  'rare-earths': {
    detail: /^Consump_Compounds-Metals_t$/,
    basis: 'oxide',
    what: 'rare-earth compounds and metals, REO (all rare earths, not magnet rare earths)',
  },
  lithium: { detail: /^Consump_t$/, basis: 'contained', what: 'lithium consumption, lithium content' },
};

/** Basis of an imported consumption row (`chokepoint data import consumption`): battery-grade is kept in the detail. */
function importedBasis(o: Observation): DemandBasis {
  if (o.basis === 'refined' && /battery-grade/.test(o.detail ?? '')) return 'battery-grade';
  if (o.basis === 'contained' || o.basis === 'refined' || o.basis === 'oxide' || o.basis === 'gross_weight' || o.basis === 'lce') return o.basis;
  return 'unspecified';
}

/** A loaded source as the reference of an own-use figure ("publisher, edition, table"; `keyRef` is for curated keys). */
const sourceRef = (src: Source, what: string, year: number): OwnUseKeyRef => ({
  id: src.id,
  what,
  source: `${src.publisher}, ${src.edition}${src.table ? `, ${src.table}` : ''}`,
  url: src.url ?? '',
  year,
});

/**
 * A consumption figure of one year as a share of world demand (the apparent-consumption methods): refused when its basis
 * differs from the demand's without a stated conversion (`what` says whose figure), taken against world demand of the
 * consumption year (same scope), then carried to `year` unchanged and marked an estimate.
 */
function shareOfDemand(
  f: {
    countryId: string;
    materialId: string;
    year: number;
    consumptionYear: number;
    basis: DemandBasis;
    tonnes: { central: number; low: number; high: number };
  },
  what: string,
  demand: WorldDemand,
  worldDemandAt: (y: number) => WorldDemand | null,
  describe: (dY: WorldDemand) => { sourceText: string; sources: OwnUseKeyRef[]; notes: string[] },
): OwnUseResult {
  const { countryId, materialId, year, consumptionYear: y } = f;
  const gap = (reason: string): OwnUseResult => ({ ok: false, gap: { countryId, materialId, year, reason } });
  const dBasis = demandBasis(demand);
  const conv = basisConversion(materialId, f.basis, dBasis);
  if (f.basis !== dBasis && !conv) return gap(`${what}; world demand is ${dBasis}: not compared without a stated conversion`);
  const dY = y === year ? demand : worldDemandAt(y);
  if (!dY || dY.scope !== demand.scope)
    return gap(`no world demand for ${y} (scope ${demand.scope ?? 'total'}) to turn ${countryId}'s ${y} consumption into a share`);
  const share = Math.min(1, f.tonnes.central / dY.totalTonnes);
  const d = describe(dY);
  return {
    ok: true,
    value: {
      countryId,
      materialId,
      year,
      method: 'apparent-consumption',
      share,
      low: Math.min(1, f.tonnes.low / dY.totalTonnes),
      high: Math.min(1, f.tonnes.high / dY.totalTonnes),
      tonnes: share * demand.totalTonnes,
      demandTonnes: demand.totalTonnes,
      demandScope: demand.scope,
      basis: f.basis,
      estimate: y !== year,
      assumed: false,
      terms: [],
      conversion: conv,
      sourceText: d.sourceText,
      sources: d.sources,
      notes: [...d.notes, ...(y !== year ? [`${countryId}'s ${y} share of world demand is applied to ${year} unchanged.`] : [])],
    },
  };
}

function apparentConsumption(
  index: DatasetIndex,
  materialId: string,
  countryId: string,
  year: number,
  demand: WorldDemand,
  worldDemandAt: (y: number) => WorldDemand | null,
): OwnUseResult | null {
  const usgs = USGS_CONSUMPTION[materialId];
  for (let y = Math.min(year, 2100); y >= year - 12; y--) {
    const rows = index.rows(materialId, 'end_use', 'consumption', y).filter((o) => o.countryId === countryId && o.unit === 't');
    // A figure the user imported (explicit basis and source) first, then the USGS salient row for the material.
    const imported = rows.find((o) => index.source(o.sourceId).dataset === 'consumption');
    const row = imported ?? (usgs ? rows.find((o) => usgs.detail.test(o.detail ?? '')) : undefined);
    if (!row) continue;
    const spec = imported ? { basis: importedBasis(imported), what: imported.detail ?? 'consumption' } : usgs!;
    const ref = sourceRef(index.source(row.sourceId), `${countryId} ${spec.what}, ${y}`, y);
    if (row.value === null)
      return { ok: false, gap: { countryId, materialId, year, reason: `${ref.source}: ${countryId} ${spec.what} ${y} is ${row.status.replace('_', ' ')}` } };
    const consumed = row.value;
    return shareOfDemand(
      { countryId, materialId, year, consumptionYear: y, basis: spec.basis, tonnes: { central: consumed, low: consumed, high: consumed } },
      `${ref.source} gives ${countryId} ${spec.what}`,
      demand,
      worldDemandAt,
      (dY) => ({
        sourceText: `${ref.source}: ${spec.what} ${y} (${Math.round(consumed).toLocaleString('en')} t) ÷ ${dY.source.publisher} world demand ${y}${y !== year ? `; share carried to ${year}` : ''}`,
        sources: [ref],
        notes: [],
      }),
    );
  }
  return null;
}

/** Method 2: apparent consumption from the country's (or bloc's) own customs declarations at the refining stage. */
function customsApparentConsumption(
  index: DatasetIndex,
  materialId: string,
  countryId: string,
  year: number,
  demand: WorldDemand,
  worldDemandAt: (y: number) => WorldDemand | null,
): OwnUseResult | null {
  const listed = index.groupMembers(countryId);
  const members = new Set(listed.length ? listed : [countryId]);
  const flows = flowsAtStage(index, materialId, ['refining'], members);
  const b = flows.length ? bilateralImports(flows, members, year) : null;
  // Mirror data (suppliers' declarations) records no exports of the country: no apparent consumption from it.
  if (!b || b.basis !== 'declared') return null;
  const gap = (reason: string): OwnUseResult => ({ ok: false, gap: { countryId, materialId, year, reason: `apparent consumption from customs: ${reason}` } });
  const picked = pickStageSupply(index, materialId, 'refining', b.year);
  if (!picked.supply || !picked.source) return gap(`no refining-stage supply series for ${b.year}, the year of ${countryId}'s customs declarations`);
  const supply = picked.supply;
  const production = membersOutput(supply, members);
  const d = apparentDependence(materialId, supply.basis, production, b.flows, declaredExports(flows, members, b));
  if ('gap' in d) return gap(d.gap);
  const sBasis = supplyBasis(materialId, 'refining', picked.source.dataset, supply.basis);
  const refs: OwnUseKeyRef[] = [
    sourceRef(index.source(b.sourceId), `${countryId} declared imports and exports, ${b.year}, HS ${d.conversions.map((c) => c.hsCode).join(', ')}`, b.year),
    sourceRef(picked.source, `refining production by country, ${supply.year}`, supply.year),
    ...d.conversions.map((c) => ({ id: c.source.sourceId, what: c.rule, source: c.source.text, url: c.source.url ?? '', year: b.year })),
  ];
  const t = (x: number) => `${Math.round(x).toLocaleString('en')} t`;
  const r = shareOfDemand(
    { countryId, materialId, year, consumptionYear: b.year, basis: sBasis, tonnes: { central: d.apparentTonnes, ...d.apparentRange } },
    `production and customs are converted to ${sBasis}`,
    demand,
    worldDemandAt,
    (dY) => ({
      sourceText:
        `${refs[0].source}: ${countryId} refining-stage apparent consumption ${b.year} = production ${t(d.productionTonnes)} + imports ${t(d.importsTonnes)} − exports ${t(d.exportsTonnes)} ` +
        `(${supply.basis}, customs converted by HS code) = ${t(d.apparentTonnes)} ÷ ${dY.source.publisher} world demand ${b.year}${b.year !== year ? `; share carried to ${year}` : ''}`,
      sources: refs,
      notes: [
        `First use of refined material by ${countryId}'s plants; material inside imported intermediate and finished goods is not counted.`,
        ...(production === null ? [`${countryId} is not listed among refining producers in the supply series, so production is taken as 0.`] : []),
      ],
    }),
  );
  return r.ok ? r : gap(r.gap.reason);
}

/**
 * Own use of `countryId` as a share of `demand` (world demand of one scope, year and scenario). `worldDemandAt` gives
 * the same-scope world demand of another (historical) year, for carrying a published consumption share forward.
 */
export function ownUse(
  index: DatasetIndex,
  materialId: string,
  countryId: string,
  year: number,
  demand: WorldDemand,
  worldDemandAt: (y: number) => WorldDemand | null,
): OwnUseResult {
  const ac = apparentConsumption(index, materialId, countryId, year, demand, worldDemandAt);
  if (ac?.ok) return ac;
  const cu = customsApparentConsumption(index, materialId, countryId, year, demand, worldDemandAt);
  if (cu?.ok) return cu;
  const al = allocation(materialId, countryId, year, demand);
  const earlier = [ac, cu].flatMap((r) => (r && !r.ok ? [r.gap.reason] : []));
  if (!al.ok && earlier.length) return { ok: false, gap: { ...al.gap, reason: [...earlier, al.gap.reason].join('; ') } };
  // Customs were loaded for the country but could not give a figure: the allocation says why it was used instead.
  if (al.ok && cu && !cu.ok) al.value.notes.push(`${cu.gap.reason}; the allocation is used instead.`);
  return al;
}

/** A share the coverage engine takes (src/engine/stress/coverage.ts), with the own-use figure behind it. */
export interface OwnUseShareSet {
  shares: Record<string, ConsumptionShare>;
  details: OwnUse[];
  gaps: OwnUseGap[];
}

/**
 * Own use per index, world demand series, material, country, year and scenario: an N-1 sweep asks for each removed
 * country once per stage and per pass. Keyed on the objects, so it goes with them.
 */
const ownUseMemo = new WeakMap<DatasetIndex, WeakMap<WorldDemand, Map<string, OwnUseResult>>>();

/** Own use of each of `countries` against one world demand series (same year, scenario and scope). */
export function ownUseShares(
  index: DatasetIndex,
  materialId: string,
  countries: string[],
  year: number,
  demand: WorldDemand,
  demandScenario: string,
): OwnUseShareSet {
  const scope = demandBasis(demand) === 'battery-grade' ? 'battery-grade' : undefined;
  const at = (y: number) => worldDemand(index, materialId, y, demandScenario, scope);
  const out: OwnUseShareSet = { shares: {}, details: [], gaps: [] };
  let memo = ownUseMemo.get(index)?.get(demand);
  if (!memo) {
    let byDemand = ownUseMemo.get(index);
    if (!byDemand) ownUseMemo.set(index, (byDemand = new WeakMap()));
    byDemand.set(demand, (memo = new Map()));
  }
  for (const c of countries) {
    const k = `${materialId}|${c}|${year}|${demandScenario}`;
    let r = memo.get(k);
    if (!r) memo.set(k, (r = ownUse(index, materialId, c, year, demand, at)));
    if (!r.ok) {
      out.gaps.push(r.gap);
      continue;
    }
    const v = r.value;
    out.details.push(v);
    out.shares[c] = {
      countryId: c,
      share: v.share,
      low: v.low,
      high: v.high,
      method: v.method,
      basis: v.basis,
      source: citation({
        sourceId: `own-use:${materialId}:${c}`,
        publisher: v.sourceText,
        status: 'derived',
        caveat: v.assumed ? 'partly assumed (see terms)' : null,
      }),
    };
  }
  return out;
}
