/**
 * Coalition share: how much of a stage's supply comes from inside a grouping (MSP, G7, EU27, a custom list of ISO3
 * codes), how much from outside, and how much the publisher does not attribute to any named country.
 *
 *   inside      I = Σ_{c ∈ members} s_c
 *   outside     O = Σ_{c ∉ members, c named} s_c
 *   unallocated U = 1 − I − O      (the publisher's "Other countries" / IEA "Rest of world" residual)
 *
 * with s_c = value_c ÷ total, the total read by `seriesConcentration` — the one function the concentration report and
 * the stress engine (`stageSupplyFromEntries`) use too, so a cell has one share everywhere and the N-1 figures agree:
 * the published world total, else the sum of the entries where a USGS world total is below them (rounded totals); the
 * IEA's published total even where its country rows add up to more (its convention), with U = 1 − named ÷ total. So
 * I + O + U = 1.
 * Aggregates (WLD, OTH, "X-…") are never members: the residual U can hold member and non-member output alike, so it
 * is reported on its own and the inside share is bounded: I ≤ true inside share ≤ I + U.
 *
 * For share tables (EU CRM 2023 `supply_share`, fractions of global supply or of EU sourcing) the total is 1 (or the
 * sum of the published shares when rounding takes it above 1), and U = 1 − Σ published shares.
 *
 * Pure: reads the in-memory `DatasetIndex`, no I/O.
 */
import { InputError, type InputErrorKind } from '../../model/errors.ts';
import { COUNTRIES, countryName } from '../../model/countries.ts';
import { getMaterial } from '../../model/materials.ts';
import { isAggregateEntity, AGGREGATE_IDS, type Basis, type Observation, type Source, type Stage } from '../../model/schema.ts';
import { concentration, rowsAboveTotalNote, seriesConcentration, type Concentration } from '../concentration.ts';
import { cite, type Citation } from '../../model/provenance.ts';
import type { DatasetIndex, SeriesChoice } from '../dataset.ts';

/** An input error of the coalition engine: `field` names the option (CLI flag / API query parameter). */
export class CoalitionError extends InputError {
  constructor(field: string, message: string, kind: InputErrorKind = 'invalid') {
    super(field, message, kind);
    this.name = 'CoalitionError';
  }
}

/** The six minerals of the IEA Global Critical Minerals Outlook / data explorer (supply by country to 2040). */
export const IEA_SIX = ['copper', 'lithium', 'nickel', 'cobalt', 'graphite', 'rare-earths'] as const;

/**
 * The 27 EU member states (since 1 February 2020), used when the knowledge base has no EU27 grouping loaded.
 * Source: Treaty on European Union, Art. 52; membership as listed on european-union.europa.eu.
 */
export const EU27_FALLBACK = [
  'AUT',
  'BEL',
  'BGR',
  'HRV',
  'CYP',
  'CZE',
  'DNK',
  'EST',
  'FIN',
  'FRA',
  'DEU',
  'GRC',
  'HUN',
  'IRL',
  'ITA',
  'LVA',
  'LTU',
  'LUX',
  'MLT',
  'NLD',
  'POL',
  'PRT',
  'ROU',
  'SVK',
  'SVN',
  'ESP',
  'SWE',
];

const KNOWN_COUNTRIES = new Set(COUNTRIES.filter((c) => c.kind === 'country').map((c) => c.id));

export interface ResolvedCoalition {
  id: string; // what the user asked for, normalised: "MSP", "AUS+CAN+CHL"
  label: string; // "MSP (Minerals Security Partnership)"
  members: string[]; // ISO3, sorted; never an aggregate
  groups: Array<{ groupId: string; groupName: string; asOf: string | null; sourceId: string }>;
  notes: string[];
  sources: Citation[];
}

export interface ResolveOptions {
  /** Count every EU27 member state as a member when a grouping lists the European Union itself ("X-EU"), as the
   * MSP does. Default false: only the member states the grouping lists individually. */
  expandEu?: boolean;
}

export function isResolvedCoalition(x: unknown): x is ResolvedCoalition {
  return (
    typeof x === 'object' &&
    x !== null &&
    !Array.isArray(x) &&
    Array.isArray((x as ResolvedCoalition).members) &&
    typeof (x as ResolvedCoalition).id === 'string'
  );
}

/** EU27 member states from the knowledge base's EU27 grouping, else the built-in list (said so in `note`). */
export function eu27Members(index: DatasetIndex): { members: string[]; note: string | null; sourceId: string | null } {
  const rows = index.data.groupings.filter((g) => g.groupId.toUpperCase() === 'EU27');
  if (rows.length)
    return { members: [...new Set(rows.map((g) => g.countryId))].filter((c) => !isAggregateEntity(c)).sort(), note: null, sourceId: rows[0].sourceId };
  return {
    members: [...EU27_FALLBACK].sort(),
    note: 'No EU27 grouping in the knowledge base: the 27 member states since 1 February 2020 (built-in list) are used.',
    sourceId: null,
  };
}

/**
 * Resolves a coalition: a grouping id of the knowledge base (MSP, G7, EU27, OECD, IPEF_CMD, BRICS_GP, SCMA, ERGI, CMMI;
 * "EU" = EU27), an ISO3 code, or a list of them ("AUS+CAN+CHL", "AUS,CAN", or an array). Unknown tokens throw.
 */
export function resolveCoalition(index: DatasetIndex, spec: string | string[] | ResolvedCoalition, opts: ResolveOptions = {}): ResolvedCoalition {
  if (isResolvedCoalition(spec)) return spec;
  const tokens = (Array.isArray(spec) ? spec : [spec])
    .flatMap((s) => s.split(/[+,]/))
    .map((s) => s.trim())
    .filter(Boolean);
  if (!tokens.length) throw new CoalitionError('group', 'name a grouping (MSP, G7, EU27, …), an ISO3 code or a list such as AUS+CAN+CHL');
  const members = new Set<string>();
  const groups: ResolvedCoalition['groups'] = [];
  const notes: string[] = [];
  const sourceIds = new Set<string>();
  for (const raw of tokens) {
    const t = raw.toUpperCase() === 'EU' ? 'EU27' : raw;
    const rows = index.data.groupings.filter((g) => g.groupId.toLowerCase() === t.toLowerCase());
    if (rows.length) {
      groups.push({ groupId: rows[0].groupId, groupName: rows[0].groupName, asOf: rows[0].asOf, sourceId: rows[0].sourceId });
      sourceIds.add(rows[0].sourceId);
      for (const r of rows) {
        if (!isAggregateEntity(r.countryId)) {
          members.add(r.countryId);
          continue;
        }
        if (r.countryId === 'X-EU') {
          if (opts.expandEu) {
            const eu = eu27Members(index);
            for (const c of eu.members) members.add(c);
            if (eu.note) notes.push(eu.note);
            notes.push(`${rows[0].groupId} lists the European Union as a partner; all EU27 member states are counted as members (expandEu).`);
          } else {
            notes.push(
              `${rows[0].groupId} lists the European Union (X-EU) as a partner; EU member states count as members only where ${rows[0].groupId} lists them individually (use expandEu / --expand-eu to count all EU27).`,
            );
          }
        } else notes.push(`${rows[0].groupId} lists the aggregate ${r.countryId}, which is not a country and is left out.`);
      }
      continue;
    }
    if (t.toUpperCase() === 'EU27') {
      const eu = eu27Members(index);
      for (const c of eu.members) members.add(c);
      groups.push({ groupId: 'EU27', groupName: 'European Union (27)', asOf: null, sourceId: eu.sourceId ?? 'built-in' });
      if (eu.note) notes.push(eu.note);
      continue;
    }
    const up = t.toUpperCase();
    if (KNOWN_COUNTRIES.has(up)) {
      members.add(up);
      continue;
    }
    const known = [...new Set(index.data.groupings.map((g) => g.groupId))].sort();
    throw new CoalitionError(
      'group',
      `"${raw}" is neither an ISO3 country code nor a grouping in the knowledge base (groupings: ${known.join(', ') || 'none loaded'})`,
    );
  }
  const id = tokens
    .map((t) =>
      groups.some((g) => g.groupId.toLowerCase() === t.toLowerCase())
        ? groups.find((g) => g.groupId.toLowerCase() === t.toLowerCase())!.groupId
        : t.toUpperCase(),
    )
    .join('+');
  const label = groups.length === 1 && tokens.length === 1 ? `${groups[0].groupId} (${groups[0].groupName})` : id;
  const sources: Citation[] = [];
  for (const sid of sourceIds) {
    const s = index.data.sources.get(sid);
    if (s) sources.push(cite(s, 'membership'));
  }
  return { id, label, members: [...members].sort(), groups, notes: [...new Set(notes)], sources };
}

// ---------------------------------------------------------------------------------------------------------------
// One series as shares
// ---------------------------------------------------------------------------------------------------------------

export interface ShareSeriesQuery {
  materialId: string;
  stage: Stage;
  year: number;
  dataset?: string;
  scenario?: string;
  basis?: Basis;
  /** 'production' (tonnes by country, default) or 'supply_share' (EU CRM share tables). */
  measure?: 'production' | 'supply_share';
  /** For share tables: 'global' (share of global supply, default) or 'eu_sourcing' (share of EU sourcing). */
  detail?: string;
}

export interface SupplyShares {
  materialId: string;
  material: string;
  stage: Stage;
  year: number;
  measure: 'production' | 'supply_share';
  detail: string | null;
  dataset: string;
  scenario: string | null;
  basis: Basis;
  unit: string;
  total: number;
  totalBasis: 'world_total' | 'sum_of_entries' | 'shares_of_one';
  publishedWorldTotal: number | null;
  /** Named countries, largest first (aggregates never appear here). */
  countries: Array<{ countryId: string; country: string; value: number; share: number; estimated: boolean; bound: 'lower' | 'upper' | null }>;
  unallocatedShare: number;
  /** False when the series lists some countries only, with neither a world total nor a rest-of-world row: its shares
   * are shares of the listed countries (upper bounds of world shares). */
  complete: boolean;
  /** Countries whose figure is withheld / not available: counted nowhere. */
  gaps: Array<{ countryId: string; country: string; status: string }>;
  source: Source;
  citation: Citation;
  alternatives: SeriesChoice['alternatives'];
  notes: string[];
}

/**
 * A series as country shares: production (the series `DatasetIndex.pick` chooses) or an EU CRM share table.
 * Returns null when there is no series or it has no named country at all.
 */
export function supplyShares(index: DatasetIndex, q: ShareSeriesQuery): SupplyShares | null {
  const material = getMaterial(q.materialId)?.name ?? q.materialId;
  const notes: string[] = [];
  let entries: Observation[];
  let source: Source;
  let alternatives: SeriesChoice['alternatives'] = [];
  let c: Concentration | null;
  let totalBasis: SupplyShares['totalBasis'];
  let complete = true;
  const measure = q.measure ?? 'production';
  if (measure === 'supply_share') {
    const detail = q.detail ?? 'global';
    const rows = index
      .rows(q.materialId, q.stage, 'supply_share', q.year)
      .filter((o) => (o.detail ?? '') === detail && (!q.dataset || index.source(o.sourceId).dataset === q.dataset));
    if (!rows.length) return null;
    // newest edition if several sources publish the table
    const newest = rows.map((o) => index.source(o.sourceId)).sort((a, b) => b.editionYear - a.editionYear)[0];
    entries = rows.filter((o) => o.sourceId === newest.id);
    source = newest;
    const sum = entries.reduce((s, o) => s + (o.value !== null && !isAggregateEntity(o.countryId) ? o.value : 0), 0);
    // Shares of a whole: the total is 1, or the sum of the published shares when rounding takes it above 1.
    c = concentration(
      [...entries.filter((o) => !isAggregateEntity(o.countryId)), { countryId: AGGREGATE_IDS.world, value: Math.max(1, sum), status: 'reported' }],
      'auto',
    );
    totalBasis = 'shares_of_one';
    if (sum > 1.0005) notes.push(`Published shares add up to ${(sum * 100).toFixed(1)}% (rounding); they are rescaled to 100%.`);
    if (sum < 0.9995)
      notes.push(`Published shares add up to ${(sum * 100).toFixed(1)}%; the remaining ${((1 - sum) * 100).toFixed(1)}% is not attributed to a named country.`);
  } else {
    const choice = index.pick({ materialId: q.materialId, stage: q.stage, year: q.year, dataset: q.dataset, scenario: q.scenario, basis: q.basis });
    if (!choice.series) return null;
    entries = choice.series.entries;
    source = choice.series.source;
    alternatives = choice.alternatives;
    c = seriesConcentration(entries, source.dataset);
    totalBasis = c?.totalBasis ?? 'sum_of_entries';
    complete = entries.some((e) => isAggregateEntity(e.countryId) && e.value !== null);
    if (c && !complete)
      notes.push(
        'The series lists some countries only, with neither a world total nor a rest-of-world figure: shares are of the listed countries (upper bounds of world shares).',
      );
    const aboveTotal = c && rowsAboveTotalNote(entries, c, entries[0].unit);
    if (aboveTotal) notes.push(aboveTotal);
    if (c && c.worldTotal !== null && c.totalBasis === 'sum_of_entries' && c.worldTotal > 0) {
      notes.push(
        `The published world total (${fmt(c.worldTotal)} ${entries[0].unit}) is ${(((c.total - c.worldTotal) / c.worldTotal) * 100).toFixed(1)}% below the sum of the country rows; shares use the sum of the rows (as the concentration and stress engines do), so inside + outside + unallocated = 100%.`,
      );
    }
  }
  if (!c || (c.producers === 0 && c.gaps.length === 0 && c.shares.length === 0)) return null;
  const details = [...new Set(entries.map((e) => e.detail).filter((d): d is string => !!d))];
  const first = entries[0];
  return {
    materialId: q.materialId,
    material,
    stage: q.stage,
    year: q.year,
    measure,
    detail: measure === 'supply_share' ? (q.detail ?? 'global') : details.length === 1 ? details[0] : null,
    dataset: source.dataset,
    scenario: first.scenario,
    basis: first.basis,
    unit: first.unit,
    total: c.total,
    totalBasis,
    publishedWorldTotal: measure === 'supply_share' ? null : c.worldTotal,
    countries: c.shares.map((s) => ({
      countryId: s.countryId,
      country: countryName(s.countryId),
      value: s.value,
      share: s.share,
      estimated: s.estimated,
      bound: s.bound,
    })),
    unallocatedShare: c.unallocatedShare,
    complete,
    gaps: c.gaps.map((g) => ({ countryId: g.countryId, country: countryName(g.countryId), status: g.status })),
    source,
    citation: cite(source, measure === 'supply_share' ? `supply shares, ${q.detail ?? 'global'}` : details.slice(0, 2).join('; ') || null, material),
    alternatives,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Coalition share
// ---------------------------------------------------------------------------------------------------------------

export interface CoalitionShareOptions extends ShareSeriesQuery, ResolveOptions {
  /** Grouping id, ISO3 code, "A+B" list, an array of ISO3 codes, or an already resolved coalition. */
  members: string | string[] | ResolvedCoalition;
}

export interface CountryShareOut {
  countryId: string;
  country: string;
  value: number;
  share: number;
}

/** The series it was computed on (the fields of `SupplyShares` that identify it) plus the coalition's split. */
export interface CoalitionShareRow extends Pick<
  SupplyShares,
  'materialId' | 'material' | 'stage' | 'year' | 'measure' | 'detail' | 'dataset' | 'scenario' | 'basis' | 'unit'
> {
  coalition: { id: string; label: string; members: string[] };
  insideShare: number;
  outsideShare: number;
  unallocatedShare: number;
  /** The true inside share lies in [insideShare, insideShare + unallocatedShare] (the residual may hold members). */
  insideShareRange: [number, number];
  insideValue: number;
  outsideValue: number;
  totalValue: number;
  totalBasis: SupplyShares['totalBasis'];
  membersPresent: CountryShareOut[];
  /** Members with no entry in the series: they produce nothing, or sit inside the unattributed residual. */
  membersNotListed: string[];
  membersWithheld: string[];
  largestInside: CountryShareOut | null;
  largestOutside: CountryShareOut | null;
  outside: CountryShareOut[];
  gaps: string[];
  notes: string[];
  source: Citation;
  alternatives: SeriesChoice['alternatives'];
}

const pctText = (x: number) => `${(x * 100).toFixed(1)}%`;
function fmt(x: number): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: x < 100 ? 3 : 0 });
}

/** Splits one series into inside / outside / unallocated for a coalition. */
export function coalitionShareOf(s: SupplyShares, coalition: ResolvedCoalition): CoalitionShareRow {
  const inside = new Set(coalition.members);
  const toOut = (c: SupplyShares['countries'][number]): CountryShareOut => ({ countryId: c.countryId, country: c.country, value: c.value, share: c.share });
  const present = s.countries.filter((c) => inside.has(c.countryId)).map(toOut);
  const outside = s.countries.filter((c) => !inside.has(c.countryId)).map(toOut);
  const insideShare = present.reduce((a, c) => a + c.share, 0);
  const outsideShare = outside.reduce((a, c) => a + c.share, 0);
  const withheld = s.gaps.filter((g) => inside.has(g.countryId)).map((g) => g.countryId);
  const listed = new Set([...s.countries.map((c) => c.countryId), ...s.gaps.map((g) => g.countryId)]);
  const notListed = coalition.members.filter((m) => !listed.has(m));
  const gaps: string[] = [];
  if (s.unallocatedShare > 0.0005) {
    gaps.push(
      `${pctText(s.unallocatedShare)} of supply is not attributed to a named country (${s.dataset === 'iea-cm' ? 'IEA "Rest of world"' : s.measure === 'supply_share' ? 'shares not listed' : '"Other countries"'}): reported as unallocated, neither inside nor outside; the inside share lies between ${pctText(insideShare)} and ${pctText(insideShare + s.unallocatedShare)}.`,
    );
  }
  if (withheld.length) gaps.push(`Figures withheld / not available for members ${withheld.join(', ')}: the inside share is a lower bound.`);
  const outsideGaps = s.gaps.filter((g) => !inside.has(g.countryId));
  if (outsideGaps.length) gaps.push(`Figures withheld / not available for non-members ${outsideGaps.map((g) => g.countryId).join(', ')}: counted nowhere.`);
  if (notListed.length && present.length + withheld.length < coalition.members.length) {
    gaps.push(
      `${notListed.length} member(s) not listed in the series (${notListed.slice(0, 12).join(', ')}${notListed.length > 12 ? ', …' : ''}): no output, or inside the unattributed residual.`,
    );
  }
  const row: CoalitionShareRow = {
    materialId: s.materialId,
    material: s.material,
    stage: s.stage,
    year: s.year,
    measure: s.measure,
    detail: s.detail,
    dataset: s.dataset,
    scenario: s.scenario,
    basis: s.basis,
    unit: s.unit,
    coalition: { id: coalition.id, label: coalition.label, members: coalition.members },
    insideShare,
    outsideShare,
    unallocatedShare: s.unallocatedShare,
    insideShareRange: [insideShare, Math.min(1, insideShare + s.unallocatedShare)],
    insideValue: present.reduce((a, c) => a + c.value, 0),
    outsideValue: outside.reduce((a, c) => a + c.value, 0),
    totalValue: s.total,
    totalBasis: s.totalBasis,
    membersPresent: present,
    membersNotListed: notListed,
    membersWithheld: withheld,
    largestInside: present[0] ?? null,
    largestOutside: outside[0] ?? null,
    outside,
    gaps,
    notes: [...coalition.notes, ...s.notes],
    source: s.citation,
    alternatives: s.alternatives,
  };
  return row;
}

/**
 * Share of a stage's supply inside a coalition for one material and year. Returns null when the knowledge base has no
 * series for the cell (use `index.years` to list the years that have one).
 */
export function coalitionShare(index: DatasetIndex, o: CoalitionShareOptions): CoalitionShareRow | null {
  const coalition = resolveCoalition(index, o.members, o);
  const s = supplyShares(index, o);
  return s ? coalitionShareOf(s, coalition) : null;
}

export interface CoalitionShareTableOptions extends ResolveOptions {
  materials?: string[];
  stages: Stage[];
  years: number[];
  dataset?: string;
  scenario?: string;
  measure?: 'production' | 'supply_share';
  detail?: string;
}

export interface CoalitionShareTable {
  coalition: ResolvedCoalition;
  rows: CoalitionShareRow[];
  /** Cells asked for that have no series (material × stage × year). */
  missing: Array<{ materialId: string; stage: Stage; year: number }>;
}

/** Coalition share for many materials × stages × years (default materials: every material with data). */
export function coalitionShareTable(
  index: DatasetIndex,
  members: string | string[] | ResolvedCoalition,
  opts: CoalitionShareTableOptions,
): CoalitionShareTable {
  const coalition = resolveCoalition(index, members, opts);
  const materials = opts.materials ?? [...index.materials].sort();
  const rows: CoalitionShareRow[] = [];
  const missing: CoalitionShareTable['missing'] = [];
  for (const m of materials) {
    for (const stage of opts.stages) {
      for (const year of opts.years) {
        const s = supplyShares(index, {
          materialId: m,
          stage,
          year,
          dataset: opts.dataset,
          scenario: opts.scenario,
          measure: opts.measure,
          detail: opts.detail,
        });
        if (s) rows.push(coalitionShareOf(s, coalition));
        else if (opts.materials) missing.push({ materialId: m, stage, year });
      }
    }
  }
  return { coalition, rows, missing };
}
