/**
 * Inputs of the criticality methods read from the knowledge base (DatasetIndex): the assessing country or bloc,
 * WGI governance averaged over a window, supply shares (EU CRM tables, else USGS/IEA production), the assessor's
 * sourcing shares, net import reliance, clean-energy demand shares, and for GeoPolRisk the assessor's customs imports by
 * partner (bilateral trade flows) and own production in tonnes. Pure: works on the in-memory index.
 */
import { getCountry, countryName } from '../../model/countries.ts';
import { getMaterial } from '../../model/materials.ts';
import { AGGREGATE_IDS, isAggregateEntity, type Stage, type TradeFlow } from '../../model/schema.ts';
import { concentrationRow, type ConcentrationRow } from '../concentration-report.ts';
import { cite, defaultCitation, distinctCitations, mergeCitations, unknownSourceCitation, type Citation } from '../../model/provenance.ts';
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
  if (!s)
    throw new CriticalityError(
      'as',
      'assessor is empty; give EU, an ISO3 code (USA, JPN, KOR, IND ...), a grouping id (G7, OECD, MSP) or a list such as USA,CAN,AUS',
    );
  const up = s.toUpperCase();
  if (up === 'EU' || up === 'EU27' || up === 'X-EU') {
    const members = index.groupMembers('EU27').filter((c) => !c.startsWith('X-'));
    return { id: 'EU', label: 'European Union (EU27)', kind: 'eu', members: members.length ? members : [...EU27] };
  }
  if (/[,+]/.test(s)) {
    const codes = s
      .split(/[,+]/)
      .map((x) => x.trim().toUpperCase())
      .filter(Boolean);
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
  throw new CriticalityError(
    'as',
    `unknown assessor "${s}": give EU, an ISO3 country code (USA, JPN, KOR, IND ...), a grouping id${groups.length ? ` (${groups.join(', ')})` : ''}, or a list such as USA,CAN,AUS`,
  );
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
  source: Citation;
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
  return {
    years,
    note,
    source: src ? cite(src) : unknownSourceCitation(sourceId ?? 'wgi', 'World Bank, Worldwide Governance Indicators (not loaded)'),
    scaled,
    pvRisk,
  };
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
  source: Citation;
  sourceId: string;
  tFromData: boolean; // false: t defaulted to 1
  /** Share not attributed to any named country (production tables), reported, never squared into the HHI. */
  unallocated: number;
}

/**
 * Built once per index (`DatasetIndex.memo`: a new data version is a new index): a run asks for each material's tables
 * several times (the stages assessed, global supply, sourcing), and building one sorts its rows and cites its source.
 */
function euCrmTable(index: DatasetIndex, materialId: string, stage: Stage, year: number, detail: 'global' | 'eu_sourcing'): SupplyTable | null {
  return index.memo(`euCrmTable|${materialId}|${stage}|${year}|${detail}`, () => buildEuCrmTable(index, materialId, stage, year, detail));
}

function buildEuCrmTable(index: DatasetIndex, materialId: string, stage: Stage, year: number, detail: 'global' | 'eu_sourcing'): SupplyTable | null {
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
    rows.push({
      countryId: o.countryId,
      share: o.value,
      t: isNum(t) ? t : DEFAULT_T,
      bound: o.status === 'upper_bound' ? 'upper' : o.status === 'lower_bound' ? 'lower' : null,
    });
  }
  rows.sort((a, b) => b.share - a.share);
  const src = index.source(shares[0].sourceId);
  return {
    scope: detail === 'global' ? 'global' : 'sourcing',
    materialId,
    stage,
    year,
    rows,
    source: cite(src, detail === 'global' ? 'share of global supply and t' : 'share of EU sourcing and t', getMaterial(materialId)?.name),
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
    source: row.source,
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

/** True when the knowledge base holds EU CRM assessment supply tables (global supply shares) for the year. */
export function hasEuCrmTables(index: DatasetIndex, year: number): boolean {
  return index.data.observations.some(
    (o) => o.measure === 'supply_share' && o.year === year && o.detail === 'global' && index.data.sources.get(o.sourceId)?.dataset === 'eu-crm',
  );
}

/**
 * Stages at which the EU CRM tables of the year assess the material (global supply or EU sourcing shares); empty when the
 * tables do not hold it. The EU method assesses exactly these stages: a stage the assessment left out is not filled
 * from another source.
 */
export function euCrmStages(index: DatasetIndex, materialId: string, year: number): Stage[] {
  const out: Stage[] = [];
  for (const stage of ['mining', 'refining'] as Stage[])
    if (euCrmTable(index, materialId, stage, year, 'global') ?? euCrmTable(index, materialId, stage, year, 'eu_sourcing')) out.push(stage);
  return out;
}

/** The global supply table of the EU CRM assessment alone (no fallback to production series). */
export function euGlobalSupply(index: DatasetIndex, materialId: string, stage: Stage, year: number): SupplyTable | null {
  return euCrmTable(index, materialId, stage, year, 'global');
}

/** The EU's sourcing table (domestic production + imports) from the EU CRM 2023 data. */
export function euSourcing(index: DatasetIndex, materialId: string, stage: Stage, year: number): SupplyTable | null {
  return euCrmTable(index, materialId, stage, year, 'eu_sourcing');
}

/** Materials with EU CRM supply shares (global or EU sourcing) for the year, or with production by country (USGS/IEA) otherwise. */
export function materialsFor(index: DatasetIndex, year: number): string[] {
  const eu = new Set<string>();
  for (const o of index.data.observations) {
    if (o.measure === 'supply_share' && o.year === year && (o.detail === 'global' || o.detail === 'eu_sourcing')) eu.add(o.materialId);
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
  source: Citation;
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
  const cands = index.observationsOf(materialId).filter((o) => o.measure === 'net_import_reliance' && o.countryId === countryId && o.year <= year);
  // Latest year first, then the newest edition; within an edition the MCS Fig. 2 figure (one per commodity) before the
  // salient tables, which can hold several NIR series (ores vs refined, compounds vs concentrate); among those the
  // highest reliance, the conservative reading for supply risk.
  cands.sort(
    (a, b) =>
      b.year - a.year ||
      (index.data.sources.get(b.sourceId)?.editionYear ?? 0) - (index.data.sources.get(a.sourceId)?.editionYear ?? 0) ||
      nirRank(a) - nirRank(b) ||
      (b.value ?? -1) - (a.value ?? -1),
  );
  for (const o of cands) {
    const src = index.data.sources.get(o.sourceId);
    const text = src ? cite(src, o.detail, getMaterial(materialId)?.name) : unknownSourceCitation(o.sourceId);
    if (o.value === null) {
      if (o.status === 'not_applicable' || /export/i.test(o.note ?? ''))
        return { value: 0, year: o.year, source: text, note: 'net exporter (USGS "E"): import reliance 0' };
      continue;
    }
    const pct = o.unit === 'fraction' ? o.value * 100 : o.value;
    const v = Math.min(100, Math.max(0, pct)) / 100;
    const note =
      o.status === 'lower_bound'
        ? `published as >${pct}%: lower bound used`
        : o.status === 'upper_bound'
          ? `published as <${pct}%: bound used`
          : `${pct}% of apparent consumption`;
    return { value: v, year: o.year, source: text, note };
  }
  return null;
}

export interface EnergyShare {
  share: number; // clean-energy technologies ÷ total demand
  year: number;
  scenario: string | null;
  source: Citation;
}

/** Clean-energy share of world demand (IEA: "Total clean technologies" ÷ "Total"), latest year ≤ `year` or the given projection year. */
export function cleanEnergyShare(index: DatasetIndex, materialId: string, year: number, scenario: string | null = null): EnergyShare | null {
  const rows = index
    .observationsOf(materialId)
    .filter(
      (o) =>
        o.measure === 'demand' &&
        o.stage === 'end_use' &&
        o.countryId === 'WLD' &&
        (o.sector === 'Total clean technologies' || o.sector === 'Total') &&
        o.scenario === scenario &&
        (scenario ? o.year === year : o.year <= year),
    );
  const years = [...new Set(rows.map((o) => o.year))].sort((a, b) => b - a);
  for (const y of years) {
    const clean = rows.find((o) => o.year === y && o.sector === 'Total clean technologies' && isNum(o.value));
    const total = rows.find((o) => o.year === y && o.sector === 'Total' && isNum(o.value));
    if (clean && total && total.value! > 0) {
      const src = index.data.sources.get(clean.sourceId);
      return {
        share: Math.min(1, clean.value! / total.value!),
        year: y,
        scenario,
        source: src ? cite(src, clean.detail) : unknownSourceCitation(clean.sourceId),
      };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Customs imports by partner (GeoPolRisk for assessors other than the EU)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Supply-chain stage of an HS code, for matching customs imports with the global supply table of a stage:
 * ores, concentrates and mined minerals → extraction (`mining`); mattes, unwrought metal, oxides, hydroxides, salts
 * and other chemicals → processing (`refining`); waste and scrap, articles and manufactured products → not counted
 * (null). Keys are HS prefixes matched by the longest one, like HS_MATERIALS (src/ingest/comtrade.ts), which every key
 * of that table has an entry for here (test/engine/criticality/geopolrisk-trade.test.ts).
 */
export const HS_STAGE: Readonly<Record<string, { stage: Stage | null; what: string; wide?: true }>> = {
  '2504': { stage: 'mining', what: 'natural graphite (mined and beneficiated)' },
  '25041010': { stage: 'refining', what: 'spherical natural graphite (processed for battery anodes)' },
  '253090': { stage: 'mining', what: 'mineral substances n.e.c. (spodumene and other lithium minerals, with many unrelated minerals)', wide: true },
  '2602': { stage: 'mining', what: 'manganese ores and concentrates' },
  '2603': { stage: 'mining', what: 'copper ores and concentrates' },
  '2604': { stage: 'mining', what: 'nickel ores and concentrates' },
  '2605': { stage: 'mining', what: 'cobalt ores and concentrates' },
  '280461': { stage: 'refining', what: 'silicon ≥ 99.99 %' },
  '280469': { stage: 'refining', what: 'silicon < 99.99 %' },
  '280530': { stage: 'refining', what: 'rare-earth metals' },
  '2820': { stage: 'refining', what: 'manganese oxides' },
  '2822': { stage: 'refining', what: 'cobalt oxides and hydroxides' },
  '282520': { stage: 'refining', what: 'lithium oxide and hydroxide' },
  '28256000': { stage: 'refining', what: 'germanium oxides' },
  '283691': { stage: 'refining', what: 'lithium carbonate' },
  '2846': { stage: 'refining', what: 'rare-earth compounds' },
  '380110': { stage: 'refining', what: 'artificial graphite (manufactured, not natural graphite)' },
  '7401': { stage: 'refining', what: 'copper mattes and cement copper (smelter intermediates)' },
  '7402': { stage: 'refining', what: 'unrefined copper, anodes (smelter output)' },
  '7403': { stage: 'refining', what: 'refined copper and copper alloys, unwrought', wide: true },
  '7501': { stage: 'refining', what: 'nickel mattes and intermediate products' },
  '7502': { stage: 'refining', what: 'unwrought nickel' },
  '7503': { stage: null, what: 'nickel waste and scrap (secondary material, not counted)' },
  '8105': {
    stage: 'refining',
    what: 'cobalt mattes, intermediates, unwrought cobalt and powders (the 4-digit heading also covers waste, scrap and articles)',
    wide: true,
  },
  '810520': { stage: 'refining', what: 'cobalt mattes, intermediates, unwrought cobalt and powders' },
  '810530': { stage: null, what: 'cobalt waste and scrap (secondary material, not counted)' },
  '810590': { stage: null, what: 'articles of cobalt (manufactured, not counted)' },
  '811292': {
    stage: 'refining',
    what: 'unwrought gallium, germanium, indium, niobium, vanadium (before 2022 also hafnium, rhenium) and powders; also waste and scrap',
    wide: true,
  },
  '811299': { stage: null, what: 'articles other than unwrought (manufactured, not counted)' },
  '81129910': { stage: null, what: 'wrought gallium (manufactured, not counted)' },
  '85051110': { stage: null, what: 'rare-earth permanent magnets (manufactured, not counted)' },
};

export interface HsStage {
  stage: Stage | null;
  /** "HS 282200 → refining (cobalt oxides and hydroxides)", or the assumption made for a code not in HS_STAGE. */
  rule: string;
  known: boolean;
  /** The code also covers other materials or forms (HS 811292: Ga, Ge, In, Nb, V): its tonnes are a proxy. */
  wide: boolean;
}

/** Stage of an HS code by longest prefix in HS_STAGE; a code not in the table: chapters 25-26 → mining, else refining (stated). */
export function hsStage(code: string): HsStage {
  for (let n = code.length; n >= 4; n--) {
    const e = HS_STAGE[code.slice(0, n)];
    if (e) return { stage: e.stage, rule: `HS ${code} → ${e.stage ?? 'not counted'} (${e.what})`, known: true, wide: !!e.wide };
  }
  const ch = Number(code.slice(0, 2));
  const stage: Stage = ch === 25 || ch === 26 ? 'mining' : 'refining';
  return {
    stage,
    rule: `HS ${code} → ${stage} (stage of this code not in our table; chapter ${code.slice(0, 2)} ${stage === 'mining' ? 'minerals and ores' : 'processed products'} assumed)`,
    known: false,
    wide: false,
  };
}

export interface CustomsCode {
  hsCode: string;
  rule: string;
  scope: string | null;
  wide: boolean;
  worldKg: number | null; // sum of the reporters' "World" rows (null: none reported)
  partnersKg: number; // named partners outside the assessor
  intraKg: number; // named partners inside the assessor (groups), taken out of F_A
  totalKg: number; // this code's contribution to F_A
  /** 'partners': some reporter gave imports by partner without a "World" total, so F_A counts only those partners. */
  totalFrom: 'world' | 'partners';
  reporters: Array<{ reporterId: string; totalKg: number; from: 'world' | 'partners'; intraKg: number }>;
}

export interface CustomsImports {
  materialId: string;
  stage: Stage;
  year: number; // trade year used
  requestedYear: number;
  reporters: string[]; // assessor members reporting imports at the stage that year
  silent: string[]; // members without any import at the stage that year (groups)
  codes: CustomsCode[];
  excluded: string[]; // rules of codes of the material held but not counted at this stage
  partners: Array<{ countryId: string; kg: number }>; // outside the assessor, largest first
  namedKg: number;
  totalKg: number; // F_A, kg
  unattributedKg: number; // F_A − Σ named partners
  notes: string[];
  sourceId: string;
  source: Citation;
}

export type CustomsLookup = { imports: CustomsImports; reason: null } | { imports: null; reason: string };

/**
 * A country assessor's customs inputs read from the store in SQL (`storeAssessorCustoms`, src/store/customs-imports.ts)
 * instead of from the index's trade table, for one year: per material it declares imports of, what `customsImports`
 * gives at each stage; the other materials are 'no-imports' (or 'not-loaded' when the store holds no flow), as
 * `tradeDataStatus` says. Plain data: a criticality run takes it with its options (CriticalityOptions.customs).
 */
export interface AssessorCustoms {
  assessorId: string;
  year: number;
  storeHasFlows: boolean;
  byMaterial: Record<string, Partial<Record<Stage, CustomsLookup>>>;
}

/** `tradeDataStatus` from inputs read in SQL. */
export function assessorTradeStatus(c: AssessorCustoms, materialId: string): ReturnType<typeof tradeDataStatus> {
  return c.byMaterial[materialId] ? 'loaded' : c.storeHasFlows ? 'no-imports' : 'not-loaded';
}

/** `customsImports` from inputs read in SQL; a material or stage they do not hold is an error (they were read for another run). */
export function assessorCustomsLookup(c: AssessorCustoms, materialId: string, stage: Stage): CustomsLookup {
  const l = c.byMaterial[materialId]?.[stage];
  if (!l) throw new Error(`customs inputs of ${c.assessorId} for ${materialId} at the ${stage} stage were not read`);
  return l;
}

/** Why an importer's declarations give nothing at a stage: every code it holds counts at another stage (or none). */
export function noImportsAtStageReason(stage: Stage, codesHeld: Iterable<string>): string {
  const rules = [...new Set(codesHeld)].sort().map((c) => hsStage(c).rule);
  return `no imports at the ${stage === 'mining' ? 'extraction' : 'processing'} stage (codes held: ${rules.join('; ')})`;
}

/** How the loaded bilateral trade data stands for an assessor and material. */
export function tradeDataStatus(index: DatasetIndex, materialId: string, assessor: Assessor): 'not-loaded' | 'no-imports' | 'loaded' {
  if (!index.hasTradeFlows()) return 'not-loaded';
  const own = new Set(assessor.members);
  return index.tradeFlowsOf(materialId, own).some((f) => f.flow === 'import' && own.has(f.reporterId)) ? 'loaded' : 'no-imports';
}

/**
 * The assessor's imports of a material at a stage from customs data (reporter side, flow import, quantity in kg):
 * the HS codes of the material whose stage (hsStage) matches, for the latest year ≤ `year` in which a member reports
 * imports from a named partner. For a group, the members' imports from non-members. F_A per HS code = the "World" row
 * (minus imports from other members, groups) where reported, else the sum of the named partners. A code nested in
 * another code held for the same flows (8105 ⊃ 810520) is not added twice. Among several trade sources, the one naming
 * the most partners is used.
 */
export function customsImports(index: DatasetIndex, materialId: string, stage: Stage, assessor: Assessor, year: number): CustomsLookup {
  const own = new Set(assessor.members);
  const name = getMaterial(materialId)?.name ?? materialId;
  const all = index.tradeFlowsOf(materialId, own).filter((f) => f.flow === 'import' && own.has(f.reporterId));
  if (!all.length) return { imports: null, reason: `no imports of ${name} reported by ${assessor.label} in the trade data` };
  const excludedRules = new Set<string>();
  const atStage = all.filter((f) => {
    const h = hsStage(f.hsCode);
    if (h.stage !== stage) {
      if (h.stage === null) excludedRules.add(h.rule);
      return false;
    }
    return true;
  });
  if (!atStage.length)
    return {
      imports: null,
      reason: noImportsAtStageReason(
        stage,
        all.map((f) => f.hsCode),
      ),
    };
  const isPartner = (f: TradeFlow) => f.partnerId !== AGGREGATE_IDS.world && !isAggregateEntity(f.partnerId);
  const usable = (f: TradeFlow) => isPartner(f) && !own.has(f.partnerId) && isNum(f.quantityKg) && f.quantityKg > 0;

  /** The imports of one source in one year. */
  const assemble = (sourceId: string, list: TradeFlow[], y: number): CustomsImports => {
    const inYear = list.filter((f) => f.year === y);
    const notes: string[] = [];
    // Annual rows where present, else the months (said so).
    const annual = inYear.filter((f) => f.month === null);
    const rows = annual.length ? annual : inYear;
    if (!annual.length) notes.push(`${y}: monthly rows summed (${new Set(inYear.map((f) => f.month)).size} months)`);
    // Drop a code whose heading is also held for the same reporter and partner.
    const codesOf = new Map<string, Set<string>>();
    for (const f of rows) codesOf.set(`${f.reporterId}|${f.partnerId}`, (codesOf.get(`${f.reporterId}|${f.partnerId}`) ?? new Set()).add(f.hsCode));
    const nested = new Set<string>();
    const kept = rows.filter((f) => {
      const codes = codesOf.get(`${f.reporterId}|${f.partnerId}`)!;
      const parent = [...codes].find((c) => c !== f.hsCode && f.hsCode.startsWith(c));
      if (parent) nested.add(`HS ${f.hsCode} within HS ${parent}`);
      return !parent;
    });
    if (nested.size) notes.push(`not added twice: ${[...nested].sort().join(', ')}`);
    const codes: CustomsCode[] = [];
    const partners = new Map<string, number>();
    const nullQty: string[] = [];
    for (const hsCode of [...new Set(kept.map((f) => f.hsCode))].sort()) {
      const fc = kept.filter((f) => f.hsCode === hsCode);
      let world: number | null = null;
      let worldMissing = false;
      let named = 0;
      let intra = 0;
      const byReporter = new Map<string, { world: number | null; named: number; intra: number }>();
      for (const f of fc) {
        const r = byReporter.get(f.reporterId) ?? { world: null, named: 0, intra: 0 };
        if (f.partnerId === AGGREGATE_IDS.world) {
          if (isNum(f.quantityKg)) r.world = (r.world ?? 0) + f.quantityKg;
        } else if (isPartner(f)) {
          if (!isNum(f.quantityKg)) nullQty.push(`${f.reporterId}←${f.partnerId} HS ${hsCode}`);
          else if (own.has(f.partnerId)) r.intra += f.quantityKg;
          else {
            r.named += f.quantityKg;
            partners.set(f.partnerId, (partners.get(f.partnerId) ?? 0) + f.quantityKg);
          }
        }
        byReporter.set(f.reporterId, r);
      }
      let total = 0;
      const parts: CustomsCode['reporters'] = [];
      for (const [rep, r] of [...byReporter].sort((a, b) => a[0].localeCompare(b[0]))) {
        named += r.named;
        intra += r.intra;
        if (r.world !== null && r.world - r.intra >= r.named) {
          world = (world ?? 0) + r.world;
          total += r.world - r.intra;
          parts.push({ reporterId: rep, totalKg: r.world - r.intra, from: 'world', intraKg: r.intra });
        } else {
          if (r.world === null) {
            if (r.named > 0) {
              worldMissing = true;
              notes.push(
                `${rep} HS ${hsCode}: "World" total quantity not reported for ${y}: F_A counts only the partners listed, which overstates their share`,
              );
            }
          } else notes.push(`${rep} HS ${hsCode}: "World" row (${Math.round(r.world)} kg) below the partners listed; their sum used`);
          total += r.named;
          parts.push({ reporterId: rep, totalKg: r.named, from: 'partners', intraKg: r.intra });
        }
      }
      const scope = fc.find((f) => f.productScope)?.productScope ?? null;
      codes.push({
        hsCode,
        rule: hsStage(hsCode).rule,
        scope,
        wide: hsStage(hsCode).wide,
        worldKg: world,
        partnersKg: named,
        intraKg: intra,
        totalKg: total,
        totalFrom: worldMissing || world === null ? 'partners' : 'world',
        reporters: parts,
      });
    }
    if (nullQty.length) notes.push(`quantity not reported (value only), not counted: ${nullQty.join(', ')}`);
    const namedKg = [...partners.values()].reduce((a, b) => a + b, 0);
    const totalKg = codes.reduce((a, c) => a + c.totalKg, 0);
    const reporters = [...new Set(kept.filter((f) => isNum(f.quantityKg)).map((f) => f.reporterId))].sort();
    const src = index.data.sources.get(sourceId);
    return {
      materialId,
      stage,
      year: y,
      requestedYear: year,
      reporters,
      silent: assessor.members.filter((m) => !reporters.includes(m)),
      codes,
      excluded: [...excludedRules].sort(),
      partners: [...partners].map(([countryId, kg]) => ({ countryId, kg })).sort((a, b) => b.kg - a.kg || a.countryId.localeCompare(b.countryId)),
      namedKg,
      totalKg,
      unattributedKg: Math.max(0, totalKg - namedKg),
      notes,
      sourceId,
      source: src ? cite(src, `imports reported by ${reporters.join(', ')}, ${y}`, name) : unknownSourceCitation(sourceId),
    };
  };

  let best: CustomsImports | null = null;
  const reasons: string[] = [];
  const bySource = new Map<string, TradeFlow[]>();
  for (const f of atStage) {
    // push, not a spread copy per row (quadratic in the flows of a source)
    let list = bySource.get(f.sourceId);
    if (!list) bySource.set(f.sourceId, (list = []));
    list.push(f);
  }
  for (const [sourceId, list] of bySource) {
    const years = [...new Set(list.filter(usable).map((f) => f.year))].sort((a, b) => b - a);
    const eligible = years.filter((x) => x <= year);
    if (!eligible.length) {
      const before = list.filter((f) => f.year <= year);
      if (years.length) reasons.push(`imports by partner reported only for years after ${year} (${[...years].reverse().join(', ')})`);
      else if (before.some((f) => f.partnerId === AGGREGATE_IDS.world && isNum(f.quantityKg)))
        reasons.push(
          `partner only "World": no imports from a named partner${assessor.kind === 'group' ? ' outside the group' : ''} reported (${[...new Set(before.map((f) => f.year))].sort().join(', ')})`,
        );
      else reasons.push(`no import quantities reported for ${year} or earlier`);
      continue;
    }
    // The latest year ≤ the assessment year whose "World" totals are reported for every code; else the latest year
    // with imports by partner (F_A then counts the partners listed, said so).
    const built = eligible.map((y) => assemble(sourceId, list, y));
    const complete = built.find((c) => c.codes.every((k) => k.totalFrom === 'world'));
    const cand = complete ?? built[0];
    if (complete && complete.year !== built[0].year) {
      const gaps = built[0].codes.filter((k) => k.totalFrom === 'partners').map((k) => `HS ${k.hsCode}`);
      cand.notes.unshift(`${built[0].year}: "World" total not reported for ${gaps.join(', ')}; ${complete.year} is the latest year with totals`);
    }
    if (!best || cand.partners.length > best.partners.length || (cand.partners.length === best.partners.length && cand.year > best.year)) best = cand;
  }
  return best ? { imports: best, reason: null } : { imports: null, reason: [...new Set(reasons)].join('; ') };
}

/** Production bases measured like customs net weight (the product's own weight). */
const PRODUCT_WEIGHT_BASES = new Set(['gross_weight', 'ore', 'concentrate', 'compound']);

export interface OwnProduction {
  tonnes: number;
  status: 'data' | 'proxy' | 'derived' | 'default';
  source: Citation;
  note: string;
}

/**
 * The assessor's own production at a stage in tonnes, p_A of GeoPolRisk (sum over members): each member's figure in the
 * production series the concentration module picks (latest year ≤ `year`); a member absent from the global supply
 * table of the stage → 0 (not listed among producers); a member listed there without a figure in tonnes (withheld) →
 * 0 as a default, which makes the score an upper bound. Status 'proxy' where the production basis (contained metal,
 * oxide, refined) differs from customs net weight of the product.
 */
export function ownProduction(index: DatasetIndex, materialId: string, stage: Stage, assessor: Assessor, year: number, global: SupplyTable): OwnProduction {
  const parts: Array<OwnProduction & { member: string }> = [];
  const years = index
    .years(materialId, stage)
    .filter((y) => y <= year)
    .reverse();
  for (const m of assessor.members) {
    let found: (OwnProduction & { member: string }) | null = null;
    let withheld: string | null = null;
    for (const y of years) {
      // The best-ranked historical series that lists the member (a newer edition may drop a row an older one has).
      const s = index.candidates({ materialId, stage, year: y }).find((c) => !c.scenario && c.entries.some((o) => o.countryId === m));
      if (!s) continue;
      const e = s.entries.find((o) => o.countryId === m)!;
      const src = cite(s.source, e.detail, getMaterial(materialId)?.name);
      if (!isNum(e.value) || e.unit !== 't') {
        withheld ??= `${m} ${y}: ${e.value === null ? e.status : `unit ${e.unit}`} in ${s.source.id}`;
        continue;
      }
      const comparable = e.value === 0 || PRODUCT_WEIGHT_BASES.has(e.basis);
      found = {
        member: m,
        tonnes: e.value,
        status: comparable ? 'data' : 'proxy',
        source: src,
        note: `${m} ${y}: ${e.value} t ${e.basis}${comparable ? '' : ' — production basis differs from customs net weight of the product (bases mixed in p_A + F_A)'}`,
      };
      break;
    }
    if (found) parts.push(found);
    else if (!global.rows.some((r) => r.countryId === m && r.share > 0))
      parts.push({
        member: m,
        tonnes: 0,
        status: 'derived',
        source: global.source,
        note: `${m}: not listed among producers in the global supply table (${global.year})${withheld ? `; ${withheld}` : ''}`,
      });
    else
      parts.push({
        member: m,
        tonnes: 0,
        status: 'default',
        source: defaultCitation('see docs/criticality.md'),
        note: `${m}: listed as a producer but no production in tonnes${withheld ? ` (${withheld})` : ''}: 0 used, so the score is an upper bound`,
      });
  }
  const rank = { data: 0, derived: 1, proxy: 2, default: 3 } as const;
  const worst = parts.reduce<OwnProduction['status']>((a, p) => (rank[p.status] > rank[a] ? p.status : a), 'data');
  const producing = parts.filter((p) => p.tonnes > 0 || p.status === 'default');
  const shown = producing.length ? producing : parts.slice(0, 3);
  return {
    tonnes: parts.reduce((a, p) => a + p.tonnes, 0),
    status: worst,
    // one citation: the members' series of one source merged (a group's members come from the same tables)
    source: mergeCitations(distinctCitations(parts.map((p) => p.source)))[0] ?? defaultCitation('no members'),
    note: shown.map((p) => p.note).join('; ') + (parts.length > shown.length ? `; ${parts.length - shown.length} other member(s) with 0 t` : ''),
  };
}
