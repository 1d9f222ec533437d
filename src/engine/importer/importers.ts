/**
 * Every importer of a material at one stage, side by side (pure): each reporting country's customs imports (the
 * GeoPolRisk inputs f_Ai and F_A), its suppliers' shares, the share from one supplier (default the largest producer at
 * the stage), and its GeoPolRisk import risk and score at that stage — "who depends on the DRC's cobalt ore, and how
 * much?", for every country a BACI file covers.
 *
 * The figures per importer are `customsImports` for that country as assessor (src/engine/criticality/inputs.ts); with a
 * store they come from one SQL pass over every importer (src/store/customs-imports.ts, `customsImportsFromRow` below
 * turning each row into the same object), without one from the engine per country. GeoPolRisk is the engine's
 * (`gprCompute`, point values): the score a `criticality --method geopolrisk --as <country>` run gives at that stage.
 */
import { countryName } from '../../model/countries.ts';
import { InputError } from '../../model/errors.ts';
import { getMaterial } from '../../model/materials.ts';
import { cite, unknownSourceCitation, type Citation } from '../../model/provenance.ts';
import { AGGREGATE_IDS, isAggregateEntity, type Basis, type Stage } from '../../model/schema.ts';
import {
  apparentDependenceByCode,
  bilateralImports,
  declaredExports,
  flowsAtStage,
  membersOutput,
  productKg,
  tradeByCode,
  type CodeTrade,
} from '../demand/apparent.ts';
import { pickStageSupply } from '../stress/inputs.ts';
import type { StageSupply } from '../stress/network.ts';
import {
  customsImports,
  globalSupply,
  governanceTable,
  hsStage,
  ownProduction,
  type Assessor,
  type CustomsCode,
  type CustomsImports,
  type CustomsLookup,
} from '../criticality/inputs.ts';
import { gprCompute } from '../criticality/others.ts';
import type { DatasetIndex } from '../dataset.ts';

// What src/store/customs-imports.ts reads for each importer (one SQL pass over trade_flows).

/** One HS code's part of an importer's F_A. */
export interface ImporterCode {
  hsCode: string;
  /** The "World" row's quantity as reported (null: not reported). */
  worldRowKg: number | null;
  /** Named partners other than the importer itself. */
  partnersKg: number;
  /** Imports declared from the importer itself (re-imports), taken out of F_A. */
  intraKg: number;
  totalKg: number;
  /** `world`: F_A is the "World" row (less re-imports); `partners`: no "World" row, or one below the partners listed. */
  totalFrom: 'world' | 'partners';
  productScope: string | null;
  /** The reporter gave this code's partner quantities (false: only value, or only a "World" row). */
  hasQuantity: boolean;
}

/** An importer's figures in the chosen source and year. */
export interface ImporterCustoms {
  reporterId: string;
  sourceId: string;
  year: number;
  /** Months summed (0: annual rows). */
  months: number;
  codes: ImporterCode[];
  /** Named partners (quantity reported), largest first. */
  partners: Array<{ countryId: string; kg: number }>;
  /** Codes dropped as held within a heading for the same partner: "HS 810520 within HS 8105". */
  nested: string[];
  /** Partner rows without a quantity (value only), in code then table order: "USA←CHN HS 260500". */
  valueOnly: string[];
  /** The latest eligible year, when it was passed over because a "World" total is missing there, and those codes. */
  laterYearWithoutWorld: number | null;
  laterCodesWithoutWorld: string[];
  /** The importer's codes of the material counted at no stage. */
  excluded: string[];
}

/** A reporter with imports at the stage but no year to use, with what each source has (for the reason). */
export interface ImporterCustomsGap {
  reporterId: string;
  /** Per source: years with imports from a named partner (all after the year asked), years held up to the year asked,
   * and whether a "World" quantity is among them. */
  sources: Array<{ sourceId: string; usableYears: number[]; yearsBefore: number[]; worldBefore: boolean }>;
}

/** An importer's own declarations for apparent consumption: one source and year, imports and exports per HS code. */
export interface DeclaredTrade {
  reporterId: string;
  sourceId: string;
  year: number;
  byCode: Map<string, CodeTrade>;
}

export interface ImportersQuery {
  materialId: string;
  stage: 'mining' | 'refining';
  /** Assessment year: trade of the latest year ≤ it with imports by partner; global supply of that year. */
  year: number;
  /** ISO3 of the supplier whose share is shown (default: the largest producer at the stage that year). */
  supplier?: string;
}

export interface ImporterRow {
  importerId: string;
  importer: string;
  tradeYear: number;
  sourceId: string;
  /** F_A: customs net weight of the products (not contained metal), tonnes. */
  importsTonnes: number;
  /** Named partners with a quantity. */
  partners: number;
  /** The three largest suppliers, share of F_A. */
  topSuppliers: Array<{ countryId: string; country: string; share: number }>;
  /** Share of F_A from the supplier asked (0 where it is not among the partners named). */
  supplierShare: number;
  /** Share of F_A not attributed to a named partner ("World" row above the partners' sum). */
  unattributedShare: number;
  /** p_A: the importer's own production at the stage (t, the global table's basis), with its status. */
  ownProductionTonnes: number;
  ownProductionStatus: string;
  /** GeoPolRisk at the stage (point values): HHI of global supply × import risk Σ g_i·f_Ai/(p_A + F_A). */
  importRisk: number | null;
  hhi: number | null;
  geoPolRisk: number | null;
  /** Nothing computed beyond the imports: why (no global supply table at the stage that year). */
  scoreGap: string | null;
  /**
   * Import dependence = imports ÷ apparent consumption (production + imports − exports), customs product weight
   * converted to the supply series' basis per HS code: the importer view's figure (src/engine/importer/exposure.ts).
   */
  dependence: number | null;
  dependenceRange: { low: number; high: number } | null;
  apparentTonnes: number | null;
  dependenceBasis: Basis | null;
  /** Source and year of the declarations the dependence uses (the importer view's rule; can differ from the imports'). */
  dependenceTrade: { sourceId: string; year: number } | null;
  dependenceGap: string | null;
  notes: string[];
  source: Citation;
}

export interface ImportersReport {
  materialId: string;
  material: string;
  stage: 'mining' | 'refining';
  year: number;
  supplier: { countryId: string; country: string; why: string } | null;
  /** Largest GeoPolRisk first; importers without a score after, by imports. */
  rows: ImporterRow[];
  /** Countries that report imports at the stage but give no figure to use, and why. */
  gaps: Array<{ importerId: string; importer: string; reason: string }>;
  notes: string[];
  globalSource: Citation | null;
}

/** What the importers table is made from: each reporter's customs lookup at the stage. */
export interface ImporterLookup {
  reporterId: string;
  lookup: CustomsLookup;
  /** Its own declarations for apparent consumption; null when it declares no import from a named partner. */
  declared: DeclaredTrade | null;
}

const countryAssessor = (id: string): Assessor => ({ id, label: countryName(id), kind: 'country', members: [id] });

/** The year an importers table defaults to: the latest year ≤ this one with supply figures at the stage. */
export function importersYear(index: DatasetIndex, materialId: string, stage: 'mining' | 'refining', year?: number): number {
  if (year !== undefined) return year;
  const years = index.years(materialId, stage);
  const now = new Date().getFullYear();
  const y = years.filter((x) => x <= now).pop();
  if (y === undefined) throw new InputError('material', `no ${stage} supply figures for ${materialId}`, 'not_found');
  return y;
}

/** The HS codes of a material held in the trade data, split by whether they count at a stage (hsStage). */
export function stageCodes(codes: Iterable<string>, stage: Stage): { counted: string[]; excluded: string[] } {
  const counted: string[] = [];
  const excluded: string[] = [];
  for (const c of [...new Set(codes)].sort()) {
    const h = hsStage(c);
    if (h.stage === stage) counted.push(c);
    else if (h.stage === null) excluded.push(c);
  }
  return { counted, excluded };
}

/** Reporters (single countries) declaring imports of a material at a stage in the index's trade data. */
export function stageImporters(index: DatasetIndex, materialId: string, stage: Stage): string[] {
  const out = new Set<string>();
  for (const f of index.tradeFlowsOf(materialId))
    if (f.flow === 'import' && !isAggregateEntity(f.reporterId) && hsStage(f.hsCode).stage === stage) out.add(f.reporterId);
  return [...out].sort();
}

/** Every importer's lookup from the engine, one country at a time (a knowledge base without a store; the reference). */
export function importerLookupsFromIndex(index: DatasetIndex, q: ImportersQuery): ImporterLookup[] {
  return stageImporters(index, q.materialId, q.stage).map((r) => ({
    reporterId: r,
    lookup: customsImports(index, q.materialId, q.stage, countryAssessor(r), q.year),
    declared: declaredTradeFromIndex(index, q, r),
  }));
}

/** A reporter's own declarations as the importer view reads them (bilateralImports, declaredExports), summed per code. */
export function declaredTradeFromIndex(index: DatasetIndex, q: ImportersQuery, reporterId: string): DeclaredTrade | null {
  const members = new Set([reporterId]);
  const flows = flowsAtStage(index, q.materialId, [q.stage], members);
  const b = bilateralImports(flows, members, q.year);
  if (!b || b.basis !== 'declared') return null;
  return { reporterId, sourceId: b.sourceId, year: b.year, byCode: tradeByCode(b.flows.map(productKg), declaredExports(flows, members, b).map(productKg)) };
}

/**
 * The `CustomsImports` of one SQL row (src/store/customs-imports.ts): the object `customsImports` gives for that country
 * as assessor, notes and citation included.
 */
export function customsImportsFromRow(index: DatasetIndex, row: ImporterCustoms, materialId: string, stage: Stage, year: number): CustomsImports {
  const name = getMaterial(materialId)?.name ?? materialId;
  const r = row.reporterId;
  const y = row.year;
  const notes: string[] = [];
  if (row.laterYearWithoutWorld !== null) {
    const gaps = row.laterCodesWithoutWorld.map((c) => `HS ${c}`);
    notes.push(`${row.laterYearWithoutWorld}: "World" total not reported for ${gaps.join(', ')}; ${y} is the latest year with totals`);
  }
  if (row.months > 0) notes.push(`${y}: monthly rows summed (${row.months} months)`);
  if (row.nested.length) notes.push(`not added twice: ${row.nested.join(', ')}`);
  const codes: CustomsCode[] = row.codes.map((c) => {
    if (c.worldRowKg === null) {
      if (c.partnersKg > 0)
        notes.push(`${r} HS ${c.hsCode}: "World" total quantity not reported for ${y}: F_A counts only the partners listed, which overstates their share`);
    } else if (c.totalFrom === 'partners')
      notes.push(`${r} HS ${c.hsCode}: "World" row (${Math.round(c.worldRowKg)} kg) below the partners listed; their sum used`);
    const h = hsStage(c.hsCode);
    return {
      hsCode: c.hsCode,
      rule: h.rule,
      scope: c.productScope,
      wide: h.wide,
      worldKg: c.totalFrom === 'world' ? c.worldRowKg : null,
      partnersKg: c.partnersKg,
      intraKg: c.intraKg,
      totalKg: c.totalKg,
      totalFrom: c.totalFrom,
      reporters: [{ reporterId: r, totalKg: c.totalKg, from: c.totalFrom, intraKg: c.intraKg }],
    };
  });
  if (row.valueOnly.length) notes.push(`quantity not reported (value only), not counted: ${row.valueOnly.join(', ')}`);
  const namedKg = row.partners.reduce((a, p) => a + p.kg, 0);
  const totalKg = codes.reduce((a, c) => a + c.totalKg, 0);
  const reporters = row.codes.some((c) => c.hasQuantity) ? [r] : [];
  const src = index.data.sources.get(row.sourceId);
  return {
    materialId,
    stage,
    year: y,
    requestedYear: year,
    reporters,
    silent: reporters.length ? [] : [r],
    codes,
    excluded: row.excluded.map((c) => hsStage(c).rule).sort(),
    partners: row.partners.map((p) => ({ countryId: p.countryId, kg: p.kg })),
    namedKg,
    totalKg,
    unattributedKg: Math.max(0, totalKg - namedKg),
    notes,
    sourceId: row.sourceId,
    source: src ? cite(src, `imports reported by ${reporters.join(', ')}, ${y}`, name) : unknownSourceCitation(row.sourceId),
  };
}

/** Why a reporter with imports at the stage has no figure, in `customsImports`'s words. */
export function gapReason(g: ImporterCustomsGap, year: number): string {
  const reasons: string[] = [];
  for (const s of g.sources) {
    if (s.usableYears.length) reasons.push(`imports by partner reported only for years after ${year} (${s.usableYears.join(', ')})`);
    else if (s.worldBefore) reasons.push(`partner only "World": no imports from a named partner reported (${s.yearsBefore.join(', ')})`);
    else reasons.push(`no import quantities reported for ${year} or earlier`);
  }
  return [...new Set(reasons)].join('; ');
}

/** Every importer's lookup from the SQL rows (see src/store/customs-imports.ts). */
export function importerLookupsFromRows(
  index: DatasetIndex,
  q: ImportersQuery,
  rows: ImporterCustoms[],
  gaps: ImporterCustomsGap[],
  declared: DeclaredTrade[],
): ImporterLookup[] {
  const own = new Map(declared.map((d) => [d.reporterId, d]));
  return [
    ...rows.map((row) => ({
      reporterId: row.reporterId,
      lookup: { imports: customsImportsFromRow(index, row, q.materialId, q.stage, q.year), reason: null } as CustomsLookup,
    })),
    ...gaps.map((g) => ({ reporterId: g.reporterId, lookup: { imports: null, reason: gapReason(g, q.year) } as CustomsLookup })),
  ]
    .map((l) => ({ ...l, declared: own.get(l.reporterId) ?? null }))
    .sort((a, b) => (a.reporterId < b.reporterId ? -1 : a.reporterId > b.reporterId ? 1 : 0));
}

type DependenceFields = Pick<ImporterRow, 'dependence' | 'dependenceRange' | 'apparentTonnes' | 'dependenceBasis' | 'dependenceTrade' | 'dependenceGap'>;

/** Import dependence from the importer's own declarations, as the importer view computes it. */
function dependenceOf(q: ImportersQuery, supply: StageSupply | null, reporterId: string, declared: DeclaredTrade | null): DependenceFields {
  const none = { dependence: null, dependenceRange: null, apparentTonnes: null, dependenceBasis: null, dependenceTrade: null };
  if (!supply) return { ...none, dependenceGap: `no ${q.stage} supply series for ${q.year}: apparent consumption not computed` };
  if (!declared) return { ...none, dependenceGap: `no import declarations from a named partner by ${reporterId}: apparent consumption not computed` };
  const trade = { sourceId: declared.sourceId, year: declared.year };
  const d = apparentDependenceByCode(q.materialId, supply.basis, membersOutput(supply, new Set([reporterId])), declared.byCode);
  if ('gap' in d) return { ...none, dependenceTrade: trade, dependenceGap: d.gap };
  return {
    dependence: d.ratio,
    dependenceRange: d.ratioRange,
    apparentTonnes: d.apparentTonnes,
    dependenceBasis: d.basis,
    dependenceTrade: trade,
    dependenceGap: null,
  };
}

/** The importers table from every reporter's lookup. */
export function importersTable(index: DatasetIndex, q: ImportersQuery, lookups: ImporterLookup[]): ImportersReport {
  const material = getMaterial(q.materialId)?.name ?? q.materialId;
  const global = globalSupply(index, q.materialId, q.stage, q.year);
  const largest = global?.rows.filter((r) => r.share > 0).sort((a, b) => b.share - a.share)[0];
  const supplierId = q.supplier ?? largest?.countryId;
  const supplier = supplierId
    ? { countryId: supplierId, country: countryName(supplierId), why: q.supplier ? 'asked' : `largest producer at the ${q.stage} stage in ${q.year}` }
    : null;
  const gov = governanceTable(index, q.year);
  // Production for apparent consumption: the stage's supply series the importer view uses (its basis is the one customs
  // tonnes are converted to).
  const supply = pickStageSupply(index, q.materialId, q.stage, q.year).supply;
  const rows: ImporterRow[] = [];
  const gaps: ImportersReport['gaps'] = [];
  for (const { reporterId, lookup, declared } of lookups) {
    const t = lookup.imports;
    if (!t) {
      gaps.push({ importerId: reporterId, importer: countryName(reporterId), reason: lookup.reason });
      continue;
    }
    const assessor = countryAssessor(reporterId);
    const F = t.totalKg;
    const share = (kg: number) => (F > 0 ? kg / F : 0);
    let stage: ReturnType<typeof gprCompute>[number] | undefined;
    let own: ReturnType<typeof ownProduction> | null = null;
    if (global) {
      own = ownProduction(index, q.materialId, q.stage, assessor, t.year, global);
      stage = gprCompute({
        materialId: q.materialId,
        assessor,
        year: q.year,
        pairs: [],
        customs: [{ global, trade: t, own }],
        missing: [],
        trade: 'loaded',
        gov,
      })[0];
    }
    const dep = dependenceOf(q, supply, reporterId, declared);
    rows.push({
      ...dep,
      importerId: reporterId,
      importer: countryName(reporterId),
      tradeYear: t.year,
      sourceId: t.sourceId,
      importsTonnes: F / 1000,
      partners: t.partners.filter((p) => p.kg > 0).length,
      topSuppliers: t.partners.slice(0, 3).map((p) => ({ countryId: p.countryId, country: countryName(p.countryId), share: share(p.kg) })),
      supplierShare: share(t.partners.find((p) => p.countryId === supplierId)?.kg ?? 0),
      unattributedShare: share(t.unattributedKg),
      ownProductionTonnes: own?.tonnes ?? 0,
      ownProductionStatus: own?.status ?? 'default',
      importRisk: stage?.importRisk ?? null,
      hhi: stage?.hhi ?? null,
      geoPolRisk: stage?.score ?? null,
      scoreGap: global
        ? stage
          ? null
          : 'no imports and no own production: import risk undefined'
        : `no global supply shares at the ${q.stage} stage for ${q.year}`,
      notes: t.notes,
      source: t.source,
    });
  }
  rows.sort((a, b) => (b.geoPolRisk ?? -1) - (a.geoPolRisk ?? -1) || b.importsTonnes - a.importsTonnes || (a.importerId < b.importerId ? -1 : 1));
  const notes = [
    `Imports are customs net weight of the products (kg ÷ 1000), not contained ${material.toLowerCase()}; each importer's own declarations, the latest year ≤ ${q.year} with imports by partner.`,
    `Import dependence = imports ÷ (production + imports − exports) from each importer's own declarations (one source and year, as \`chokepoint importer <ISO3>\` reads them), customs tonnes converted to the supply series' basis per HS code; a code without a stated conversion leaves it a gap.`,
    'GeoPolRisk = HHI of global supply × Σ g_i·f_Ai/(p_A + F_A) (Santillán-Saldivar et al. 2022), point values of WGI political stability (g_i); imports not attributed to a partner weighted like the other producers.',
    ...(global ? [] : [`No global supply shares for ${material} at the ${q.stage} stage in ${q.year}: imports shown, no score.`]),
    `World ("${AGGREGATE_IDS.world}") and other aggregate reporters are not importers here.`,
    ...(lookups.length
      ? []
      : [
          `No import declarations of ${material} at the ${q.stage} stage in the trade data loaded. Exporters' declarations (mirror data) are not used in this table; \`chokepoint importer <ISO3>\` reads them for one importer.`,
        ]),
  ];
  return { materialId: q.materialId, material, stage: q.stage, year: q.year, supplier, rows, gaps, notes, globalSource: global?.source ?? null };
}
