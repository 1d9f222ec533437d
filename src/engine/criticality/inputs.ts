/**
 * Inputs of the criticality methods read from the knowledge base (DatasetIndex): the assessing country or bloc,
 * WGI governance averaged over a window, supply shares (EU CRM tables, else USGS/IEA production), the assessor's
 * sourcing shares, net import reliance and clean-energy demand shares. Pure: works on the in-memory index.
 */
import { getCountry, countryName } from '../../model/countries.ts';
import { getMaterial } from '../../model/materials.ts';
import type { Stage } from '../../model/schema.ts';
import { concentrationRow, cite, type ConcentrationRow } from '../concentration-report.ts';
import type { DatasetIndex } from '../dataset.ts';
import { WGI_INDICATORS, wgiScaled } from '../governance.ts';
import { DEFAULT_T, EU27, wgiWindow } from '../../data/criticality-parameters.ts';
import { CriticalityError, isNum } from './common.ts';

// ---------------------------------------------------------------------------------------------------------------
// Assessor
// ---------------------------------------------------------------------------------------------------------------

export interface Assessor {
  id: string; // "EU", "USA", "G7", "custom:USA+CAN"
  label: string;
  kind: 'eu' | 'country' | 'group';
  members: string[]; // ISO3; own production of these is "secure" (see the methods)
}

/**
 * "EU"/"EU27" → the EU (uses the EU sourcing table); an ISO3 code → that country; a grouping id known to the knowledge
 * base (G7, OECD, MSP, ...) → its members; a comma- or plus-separated list of ISO3 codes → a custom group.
 */
export function resolveAssessor(index: DatasetIndex, raw: string): Assessor {
  const s = raw.trim();
  if (!s) throw new CriticalityError('as', 'assessor is empty; give EU, an ISO3 code (USA, JPN, KOR, IND ...), a grouping id (G7, OECD, MSP) or a list such as USA,CAN,AUS');
  const up = s.toUpperCase();
  if (up === 'EU' || up === 'EU27' || up === 'X-EU') {
    const members = index.groupMembers('EU27').filter((c) => !c.startsWith('X-'));
    return { id: 'EU', label: 'European Union (EU27)', kind: 'eu', members: members.length ? members : [...EU27] };
  }
  if (/[,+]/.test(s)) {
    const codes = s.split(/[,+]/).map((x) => x.trim().toUpperCase()).filter(Boolean);
    const bad = codes.filter((c) => !getCountry(c) || c.startsWith('X-'));
    if (bad.length) throw new CriticalityError('as', `unknown country code(s) in assessor list: ${bad.join(', ')} (use ISO3 codes such as USA, JPN)`);
    return { id: `custom:${codes.join('+')}`, label: codes.map(countryName).join(' + '), kind: 'group', members: codes };
  }
  const group = index.groupMembers(s).filter((c) => !c.startsWith('X-'));
  if (group.length) {
    const name = index.data.groupings.find((g) => g.groupId.toLowerCase() === s.toLowerCase())?.groupName ?? s;
    return { id: up, label: name, kind: 'group', members: group };
  }
  const c = getCountry(up);
  if (c && c.kind === 'country') return { id: up, label: c.name, kind: 'country', members: [up] };
  const groups = [...new Set(index.data.groupings.map((g) => g.groupId))];
  throw new CriticalityError('as', `unknown assessor "${s}": give EU, an ISO3 country code (USA, JPN, KOR, IND ...), a grouping id${groups.length ? ` (${groups.join(', ')})` : ''}, or a list such as USA,CAN,AUS`);
}

// ---------------------------------------------------------------------------------------------------------------
// Governance
// ---------------------------------------------------------------------------------------------------------------

export interface GovValue {
  value: number;
  sd: number; // standard error of the averaged value, same scale
  years: number[];
}

export interface GovernanceTable {
  years: number[];
  note: string;
  source: string;
  /** EU JRC scaled WGI (0-10, 10 = worst), mean over the window. */
  scaled: Map<string, GovValue>;
  /** Political Stability and Absence of Violence rescaled 0-1 (1 = worst), as GeoPolRisk uses it. */
  pvRisk: Map<string, GovValue>;
}

export function governanceTable(index: DatasetIndex, assessmentYear: number): GovernanceTable {
  const { years, note } = wgiWindow(assessmentYear);
  const wanted = new Set(years);
  const byCountryYear = new Map<string, Map<number, Map<string, { est: number; se: number | null }>>>();
  let sourceId: string | null = null;
  for (const g of index.data.governance) {
    if (!wanted.has(g.year)) continue;
    sourceId ??= g.sourceId;
    let ys = byCountryYear.get(g.countryId);
    if (!ys) byCountryYear.set(g.countryId, (ys = new Map()));
    let ind = ys.get(g.year);
    if (!ind) ys.set(g.year, (ind = new Map()));
    ind.set(g.indicator, { est: g.estimate, se: g.stdErr });
  }
  const scaled = new Map<string, GovValue>();
  const pvRisk = new Map<string, GovValue>();
  for (const [c, ys] of byCountryYear) {
    const s: number[] = [];
    const sSd: number[] = [];
    const sYears: number[] = [];
    const p: number[] = [];
    const pSd: number[] = [];
    const pYears: number[] = [];
    for (const [y, ind] of ys) {
      const est = Object.fromEntries([...ind].map(([k, v]) => [k, v.est]));
      const v = wgiScaled(est);
      if (v !== null) {
        s.push(v);
        // sd of (2.5 - mean of 6)·2 with independent errors: 2·sqrt(Σ se²)/6
        const se2 = WGI_INDICATORS.reduce((a, i) => a + (ind.get(i)?.se ?? 0.2) ** 2, 0);
        sSd.push((2 * Math.sqrt(se2)) / 6);
        sYears.push(y);
      }
      const pv = ind.get('pv');
      if (pv && isNum(pv.est)) {
        p.push(Math.min(1, Math.max(0, (2.5 - pv.est) / 5)));
        pSd.push((pv.se ?? 0.2) / 5);
        pYears.push(y);
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    if (s.length) scaled.set(c, { value: mean(s), sd: mean(sSd), years: sYears.sort() });
    if (p.length) pvRisk.set(c, { value: mean(p), sd: mean(pSd), years: pYears.sort() });
  }
  const src = sourceId ? index.data.sources.get(sourceId) : undefined;
  return { years, note, source: src ? cite(src).text : 'World Bank, Worldwide Governance Indicators (not loaded)', scaled, pvRisk };
}

// ---------------------------------------------------------------------------------------------------------------
// Supply tables
// ---------------------------------------------------------------------------------------------------------------

export interface SupplyRow {
  countryId: string;
  share: number; // fraction
  t: number; // EU trade-related variable (1 where the table has none)
  bound: 'upper' | 'lower' | null; // "<0.1%" is an upper bound
}

export interface SupplyTable {
  scope: 'global' | 'sourcing';
  materialId: string;
  stage: Stage;
  year: number;
  rows: SupplyRow[];
  source: string; // citation text
  sourceId: string;
  tFromData: boolean; // false: t defaulted to 1
  /** Share not attributed to any named country (production tables), reported, never squared into the HHI. */
  unallocated: number;
}

function euCrmTable(index: DatasetIndex, materialId: string, stage: Stage, year: number, detail: 'global' | 'eu_sourcing'): SupplyTable | null {
  const isEu = (sourceId: string) => index.data.sources.get(sourceId)?.dataset === 'eu-crm';
  const shares = index.rows(materialId, stage, 'supply_share', year).filter((o) => o.detail === detail && isEu(o.sourceId));
  if (!shares.length) return null;
  const ts = new Map(
    index
      .rows(materialId, stage, 'trade_variable_t', year)
      .filter((o) => o.detail === detail && isEu(o.sourceId))
      .map((o) => [o.countryId, o.value]),
  );
  const rows: SupplyRow[] = [];
  let tFromData = true;
  for (const o of shares) {
    if (!isNum(o.value)) continue;
    const t = ts.get(o.countryId);
    if (!isNum(t)) tFromData = false;
    rows.push({ countryId: o.countryId, share: o.value, t: isNum(t) ? t : DEFAULT_T, bound: o.status === 'upper_bound' ? 'upper' : o.status === 'lower_bound' ? 'lower' : null });
  }
  rows.sort((a, b) => b.share - a.share);
  const src = index.source(shares[0].sourceId);
  return {
    scope: detail === 'global' ? 'global' : 'sourcing',
    materialId,
    stage,
    year,
    rows,
    source: cite(src, detail === 'global' ? 'share of global supply and t' : 'share of EU sourcing and t', getMaterial(materialId)?.name).text,
    sourceId: src.id,
    tFromData,
    unallocated: Math.max(0, 1 - rows.reduce((a, r) => a + r.share, 0)),
  };
}

/**
 * Global supply shares at a stage: the EU CRM 2023 table when it has the material and year (with t), else the
 * production series the concentration module picks (USGS, then IEA), with t = 1.
 */
export function globalSupply(index: DatasetIndex, materialId: string, stage: Stage, year: number): SupplyTable | null {
  const eu = euCrmTable(index, materialId, stage, year, 'global');
  if (eu) return eu;
  const row = concentrationRow(index, { materialId, stage, year });
  if (!row || row.scenario) return null;
  return tableFromRow(row);
}

/** Global supply shares from a concentration row, with the default trade variable t. */
function tableFromRow(row: ConcentrationRow): SupplyTable {
  return {
    scope: 'global',
    materialId: row.materialId,
    stage: row.stage,
    year: row.year,
    rows: row.shares.map((s) => ({ countryId: s.countryId, share: s.share, t: DEFAULT_T, bound: null })),
    source: row.source.text,
    sourceId: row.source.sourceId,
    tFromData: false,
    unallocated: row.unallocatedShare,
  };
}

/** Projected global supply (IEA base case) for the DOE medium term; null when there is none. */
export function projectedSupply(index: DatasetIndex, materialId: string, stage: Stage, year: number): SupplyTable | null {
  const row = concentrationRow(index, { materialId, stage, year, dataset: 'iea-cm' });
  return row ? tableFromRow(row) : null;
}

/** The EU's sourcing table (domestic production + imports) from the EU CRM 2023 data. */
export function euSourcing(index: DatasetIndex, materialId: string, stage: Stage, year: number): SupplyTable | null {
  return euCrmTable(index, materialId, stage, year, 'eu_sourcing');
}

/** Materials with EU CRM global supply shares for the year, or with production by country (USGS/IEA) otherwise. */
export function materialsFor(index: DatasetIndex, year: number): string[] {
  const eu = new Set<string>();
  for (const o of index.data.observations) {
    if (o.measure === 'supply_share' && o.year === year && o.detail === 'global') eu.add(o.materialId);
  }
  if (eu.size) return [...eu].sort();
  return [...index.materials].filter((m) => index.years(m, 'mining').includes(year) || index.years(m, 'refining').includes(year)).sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Import reliance and energy demand
// ---------------------------------------------------------------------------------------------------------------

export interface NirValue {
  value: number; // fraction 0..1
  year: number;
  source: string;
  note: string;
}

/**
 * Net import reliance of a country (USGS salient statistics: measure net_import_reliance, percent of apparent
 * consumption) for the latest year ≤ `year`. "E" (net exporter) and negative values → 0; bounds (">50") kept at the
 * bound and said so; withheld → null.
 */
/** 0 for the MCS Fig. 2 net-import-reliance table, 1 for the salient statistics. */
export const nirRank = (o: { sourceId: string }): number => (o.sourceId.endsWith('-nir') ? 0 : 1);

export function netImportReliance(index: DatasetIndex, countryId: string, materialId: string, year: number): NirValue | null {
  const cands = index.data.observations.filter(
    (o) => o.measure === 'net_import_reliance' && o.countryId === countryId && o.materialId === materialId && o.year <= year,
  );
  // Latest year first, then the newest edition; within an edition the MCS Fig. 2 figure (one per commodity) before the
  // salient tables, which can hold several NIR series (ores vs refined, compounds vs concentrate); among those the
  // highest reliance, the conservative reading for supply risk.
  cands.sort((a, b) => b.year - a.year || (index.data.sources.get(b.sourceId)?.editionYear ?? 0) - (index.data.sources.get(a.sourceId)?.editionYear ?? 0) || nirRank(a) - nirRank(b) || (b.value ?? -1) - (a.value ?? -1));
  for (const o of cands) {
    const src = index.data.sources.get(o.sourceId);
    const text = src ? cite(src, o.detail, getMaterial(materialId)?.name).text : o.sourceId;
    if (o.value === null) {
      if (o.status === 'not_applicable' || /export/i.test(o.note ?? '')) return { value: 0, year: o.year, source: text, note: 'net exporter (USGS "E"): import reliance 0' };
      continue;
    }
    const pct = o.unit === 'fraction' ? o.value * 100 : o.value;
    const v = Math.min(100, Math.max(0, pct)) / 100;
    const note = o.status === 'lower_bound' ? `published as >${pct}%: lower bound used` : o.status === 'upper_bound' ? `published as <${pct}%: bound used` : `${pct}% of apparent consumption`;
    return { value: v, year: o.year, source: text, note };
  }
  return null;
}

export interface EnergyShare {
  share: number; // clean-energy technologies ÷ total demand
  year: number;
  scenario: string | null;
  source: string;
}

/** Clean-energy share of world demand (IEA: "Total clean technologies" ÷ "Total"), latest year ≤ `year` or the given projection year. */
export function cleanEnergyShare(index: DatasetIndex, materialId: string, year: number, scenario: string | null = null): EnergyShare | null {
  const rows = index.data.observations.filter((o) => o.materialId === materialId && o.measure === 'demand' && o.stage === 'end_use' && o.countryId === 'WLD' && (o.sector === 'Total clean technologies' || o.sector === 'Total') && o.scenario === scenario && (scenario ? o.year === year : o.year <= year));
  const years = [...new Set(rows.map((o) => o.year))].sort((a, b) => b - a);
  for (const y of years) {
    const clean = rows.find((o) => o.year === y && o.sector === 'Total clean technologies' && isNum(o.value));
    const total = rows.find((o) => o.year === y && o.sector === 'Total' && isNum(o.value));
    if (clean && total && total.value! > 0) {
      const src = index.data.sources.get(clean.sourceId);
      return { share: Math.min(1, clean.value! / total.value!), year: y, scenario, source: src ? cite(src, clean.detail).text : clean.sourceId };
    }
  }
  return null;
}
