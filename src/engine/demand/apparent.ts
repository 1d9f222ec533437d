/**
 * Apparent consumption from customs: production + imports − exports of a country or a bloc at one stage, with customs
 * product weight converted to the production series' basis per HS code (src/data/hs-content.ts), and the import
 * dependence it gives (imports ÷ apparent consumption). Shared by the importer view (src/engine/importer/exposure.ts)
 * and own use (src/engine/demand/own-use.ts), so both read the same flows the same way. Pure: plain data in and out.
 *
 * Flows: the members' own import declarations (one source, the one naming the most suppliers, the latest year ≤ the
 * year asked), and their export declarations of the same source and year; a bloc counts only extra-bloc trade. Mirror
 * data (the suppliers' declarations) gives no exports, so no apparent consumption.
 */
import { citeDocument, noteCitation, type Citation } from '../../model/provenance.ts';
import { AGGREGATE_IDS, isAggregateEntity, type Basis, type Stage, type TradeFlow } from '../../model/schema.ts';
import { contentFactor, type ContentFactor } from '../../data/hs-content.ts';
import { hsStage } from '../criticality/inputs.ts';
import type { DatasetIndex } from '../dataset.ts';
import type { StageSupply } from '../stress/network.ts';

/** Import dependence with the apparent consumption behind it (a row of the importer view). */
export interface Dependence {
  /** imports ÷ apparent consumption, with every tonne on `basis` (customs product weight converted by `conversions`). */
  ratio: number;
  /** The ratio at the low and high ends of the conversion factors' ranges (equal to `ratio` where every factor is exact). */
  ratioRange: { low: number; high: number };
  /** The production series' basis, which imports and exports were converted to. */
  basis: Basis;
  importsTonnes: number;
  exportsTonnes: number;
  productionTonnes: number;
  apparentTonnes: number;
  /** Apparent consumption at the factors' low and high ends. */
  apparentRange: { low: number; high: number };
  /** One per HS code in the flows: the factor applied and where it comes from (src/data/hs-content.ts). */
  conversions: ContentConversion[];
  note: string;
  sources: Citation[];
}

export interface ContentConversion {
  hsCode: string;
  productTonnes: number;
  factor: { low: number; central: number; high: number };
  method: ContentFactor['method'];
  rule: string;
  source: Citation;
}

/** Flows of a material at some stages whose reporter or partner is one of `touching` (the importer's side of trade). */
export const flowsAtStage = (index: DatasetIndex, materialId: string, stages: Stage[], touching: ReadonlySet<string>): TradeFlow[] =>
  index.tradeFlowsOf(materialId, touching).filter((f) => f.quantityKg !== null && stages.includes(hsStage(f.hsCode).stage as Stage));

/** The year to use among those a list of flows has: the latest ≤ year, else the first one after it. */
function pickYear(years: number[], year: number): number | undefined {
  const s = [...new Set(years)].sort((a, b) => b - a);
  return s.find((y) => y <= year) ?? s[s.length - 1];
}

export interface Bilateral {
  basis: 'declared' | 'mirror';
  sourceId: string;
  year: number;
  flows: TradeFlow[]; // the chosen flows (partner = supplier for 'declared', reporter = supplier for 'mirror')
  supplierOf: (f: TradeFlow) => string;
}

/**
 * Recorded extra-bloc imports of `members` from flows: the members' own import declarations first (one source, the one
 * naming the most suppliers), else exporters' declarations of exports to the members (mirror data). Flows between two
 * members are never imports of the bloc.
 */
export function bilateralImports(flows: readonly TradeFlow[], members: ReadonlySet<string>, year: number): Bilateral | null {
  const named = (id: string) => !isAggregateEntity(id) && id !== AGGREGATE_IDS.world;
  const declared = flows.filter((f) => f.flow === 'import' && members.has(f.reporterId) && !members.has(f.partnerId) && named(f.partnerId));
  const mirror = flows.filter((f) => f.flow === 'export' && members.has(f.partnerId) && !members.has(f.reporterId) && named(f.reporterId));
  for (const [basis, list, supplierOf] of [
    ['declared', declared, (f: TradeFlow) => f.partnerId],
    ['mirror', mirror, (f: TradeFlow) => f.reporterId],
  ] as const) {
    if (!list.length) continue;
    let best: Bilateral | null = null;
    for (const sourceId of new Set(list.map((f) => f.sourceId))) {
      const mine = list.filter((f) => f.sourceId === sourceId);
      const y = pickYear(
        mine.map((f) => f.year),
        year,
      );
      if (y === undefined) continue;
      const inYear = mine.filter((f) => f.year === y);
      const cand: Bilateral = { basis, sourceId, year: y, flows: inYear, supplierOf };
      if (!best || new Set(inYear.map(supplierOf)).size > new Set(best.flows.map(best.supplierOf)).size) best = cand;
    }
    if (best) return best;
  }
  return null;
}

/**
 * Import dependence on the production basis: imports ÷ (production + imports − exports), each flow's product weight
 * converted by its HS code's content factor (src/data/hs-content.ts). A code without a stated conversion to the basis
 * refuses the comparison (the gap names it): production and customs tonnes on different bases are never set side by side.
 * The range: the ratio at the factors' low and high ends (it is monotone in a common factor).
 */
export function apparentDependence(
  materialId: string,
  basis: Basis,
  productionTonnes: number | null,
  imports: readonly TradeFlow[],
  exports: readonly TradeFlow[],
): Omit<Dependence, 'note' | 'sources'> | { gap: string } {
  return apparentDependenceByCode(materialId, basis, productionTonnes, tradeByCode(imports.map(productKg), exports.map(productKg)));
}

/** A flow's HS code and quantity in kg of product (none reported: 0), as `tradeByCode` sums them. */
export const productKg = (f: TradeFlow) => ({ hsCode: f.hsCode, kg: f.quantityKg ?? 0 });

/** Imports and exports of one HS code, kg of product. */
export interface CodeTrade {
  importKg: number;
  exportKg: number;
}

/** Import and export quantities summed per HS code, in list order; the map in code order. */
export function tradeByCode(imports: Iterable<{ hsCode: string; kg: number }>, exports: Iterable<{ hsCode: string; kg: number }>): Map<string, CodeTrade> {
  const byCode = new Map<string, CodeTrade>();
  for (const [list, k] of [
    [imports, 'importKg'],
    [exports, 'exportKg'],
  ] as const)
    for (const f of list) {
      const p = byCode.get(f.hsCode) ?? { importKg: 0, exportKg: 0 };
      p[k] += f.kg;
      byCode.set(f.hsCode, p);
    }
  return new Map([...byCode].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** `apparentDependence` from imports and exports already summed per HS code (the SQL sweep of every importer sums them). */
export function apparentDependenceByCode(
  materialId: string,
  basis: Basis,
  productionTonnes: number | null,
  byCode: ReadonlyMap<string, CodeTrade>,
): Omit<Dependence, 'note' | 'sources'> | { gap: string } {
  const conversions: ContentConversion[] = [];
  const missing: string[] = [];
  const sum = { importsLow: 0, imports: 0, importsHigh: 0, exportsLow: 0, exports: 0, exportsHigh: 0 };
  for (const [hsCode, p] of [...byCode].sort((a, b) => a[0].localeCompare(b[0]))) {
    const c = contentFactor(hsCode, materialId, basis);
    if (!c.factor) {
      missing.push(c.rule);
      continue;
    }
    const { low, central, high } = c.factor;
    sum.importsLow += (p.importKg / 1000) * low;
    sum.imports += (p.importKg / 1000) * central;
    sum.importsHigh += (p.importKg / 1000) * high;
    sum.exportsLow += (p.exportKg / 1000) * low;
    sum.exports += (p.exportKg / 1000) * central;
    sum.exportsHigh += (p.exportKg / 1000) * high;
    conversions.push({
      hsCode,
      productTonnes: (p.importKg + p.exportKg) / 1000,
      factor: { low, central, high },
      method: c.factor.method,
      rule: c.rule,
      source: ((what) => (c.factor.document ? citeDocument(c.factor.document, 'published', what) : noteCitation(what, 'derived')))(
        c.factor.note ? `${c.factor.what}; ${c.factor.note}` : c.factor.what,
      ),
    });
  }
  if (missing.length)
    return {
      gap: `production is on a ${basis} basis and customs tonnes are product weight; ${missing.join('; ')}: import dependence not computed`,
    };
  const production = productionTonnes ?? 0;
  const ratioAt = (m: number, x: number) => {
    const apparent = production + m - x;
    return apparent > 0 ? m / apparent : null;
  };
  const ratio = ratioAt(sum.imports, sum.exports);
  const lo = ratioAt(sum.importsLow, sum.exportsLow);
  const hi = ratioAt(sum.importsHigh, sum.exportsHigh);
  if (ratio === null || lo === null || hi === null)
    return { gap: `apparent consumption (production + imports − exports, ${basis}) is not positive: dependence not computed` };
  return {
    ratio,
    ratioRange: { low: Math.min(lo, hi), high: Math.max(lo, hi) },
    basis,
    importsTonnes: sum.imports,
    exportsTonnes: sum.exports,
    productionTonnes: production,
    apparentTonnes: production + sum.imports - sum.exports,
    apparentRange: {
      low: Math.min(production + sum.importsLow - sum.exportsLow, production + sum.importsHigh - sum.exportsHigh),
      high: Math.max(production + sum.importsLow - sum.exportsLow, production + sum.importsHigh - sum.exportsHigh),
    },
    conversions,
  };
}

/** The members' output in a stage's supply series; null when none of them is listed (the callers then take 0 and say so). */
export function membersOutput(supply: StageSupply, members: ReadonlySet<string>): number | null {
  const own = supply.countries.filter((c) => members.has(c.countryId));
  return own.length ? own.reduce((a, c) => a + c.tonnes, 0) : null;
}

/** Extra-bloc exports declared by the members in the same source and year as their import declarations `b`. */
export function declaredExports(flows: readonly TradeFlow[], members: ReadonlySet<string>, b: Bilateral): TradeFlow[] {
  return flows.filter(
    (f) =>
      f.flow === 'export' &&
      f.sourceId === b.sourceId &&
      f.year === b.year &&
      members.has(f.reporterId) &&
      !members.has(f.partnerId) &&
      f.partnerId !== AGGREGATE_IDS.world,
  );
}

/**
 * Countries that declared refining-stage imports of a material in the customs data loaded: the ones whose apparent
 * consumption from customs can be tried (own use, method 2).
 */
export function customsImporters(index: DatasetIndex, materialId: string): string[] {
  const out = new Set<string>();
  for (const f of index.tradeFlowsOf(materialId))
    if (f.flow === 'import' && f.quantityKg !== null && !isAggregateEntity(f.reporterId) && hsStage(f.hsCode).stage === 'refining') out.add(f.reporterId);
  return [...out].sort();
}
