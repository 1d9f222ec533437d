/**
 * Importer exposure (pure): how exposed a country or a bloc (EU27 and the other groupings) is to its suppliers of a
 * material, stage by stage — the importer view the stress tests lack ("how exposed is Germany / the EU to a Chinese
 * gallium export ban?").
 *
 * Per material × stage (mining, refining):
 *  - consumption: the importer's own use (src/engine/demand/own-use.ts: published apparent consumption or our sourced
 *    allocation), with method, basis and source, or the stated gap;
 *  - imports by supplier from the customs / trade flows loaded (Comtrade, China customs, BACI): the importer's own import
 *    declarations first, else its suppliers' export declarations to it (mirror data). A bloc counts only extra-bloc
 *    trade: a flow between two members is not an import. Where no flow is loaded, that is a gap, and the supplier mix
 *    shown is the world supply shares at the stage (members' own output left out), labelled as a proxy;
 *  - import dependence = imports ÷ apparent consumption (production + imports − exports), where the importer's own
 *    declarations give both imports and exports, customs product weight converted to the production basis per HS code
 *    (src/engine/demand/apparent.ts; a code without a stated factor makes it a gap);
 *  - indirect exposure through processing hubs: for each refining-stage supplier B, the sources of B's own feed
 *    (B's mine output against its refinery output, and B's recorded imports of the material by partner), so refined
 *    gallium bought from Japan counts against China to the extent Japan's feed is Chinese;
 *  - the registry's export measures by the suppliers (direct or through a hub) on that material and stage, with their
 *    status on the date asked, derived from their dates;
 *  - a one-click stress scenario: stop the largest supplier outside the importer at that stage.
 */
import { countryName, getCountry } from '../../model/countries.ts';
import { editDistance, getMaterial } from '../../model/materials.ts';
import { InputError } from '../../model/errors.ts';
import { cite, citation, distinctCitations, mergeCitations, unknownSourceCitation, type Citation } from '../../model/provenance.ts';
import { apparentDependence, bilateralImports, declaredExports, flowsAtStage, membersOutput, type Bilateral, type Dependence } from '../demand/apparent.ts';
import { measureState, measureStatus, type MeasureState, type TradeMeasure } from '../../model/registry.ts';
import { AGGREGATE_IDS, isAggregateEntity } from '../../model/schema.ts';
import { hsStage } from '../criticality/inputs.ts';
import type { DatasetIndex } from '../dataset.ts';
import { curatedOwnUseCountries, ownUse } from '../demand/own-use.ts';
import { concerns } from '../registry.ts';
import { pickStageSupply, worldDemand } from '../stress/inputs.ts';
import type { StageSupply } from '../stress/network.ts';

// The dependence types live with the computation (src/engine/demand/apparent.ts); the importer view's rows carry them.
export type { ContentConversion, Dependence } from '../demand/apparent.ts';

export type ImporterStage = 'mining' | 'refining';
export const IMPORTER_STAGES: readonly ImporterStage[] = ['mining', 'refining'];

export interface ImporterQuery {
  /** ISO3 code or grouping id (EU27, G7, MSP ...). */
  importer: string;
  materials?: string[];
  /** Year of the supply and trade figures (default: the latest historical year with supply data at each stage). */
  year?: number;
  /** Date (YYYY-MM-DD) the measures' status is read on (default: today). */
  on?: string;
}

export interface SupplierShare {
  countryId: string;
  country: string;
  /** Customs net weight in tonnes (product weight); for the proxy, tonnes of world output at the stage. */
  tonnes: number;
  share: number; // of the importer's recorded extra-bloc imports (or of the proxy mix)
  valueUsd: number | null;
}

export type ImportBasis = 'declared' | 'mirror' | 'proxy';

export interface ImportMix {
  basis: ImportBasis;
  /** What the figures are: "imports declared by DEU (customs)", "exports to EU27 declared by its suppliers", "proxy: …". */
  label: string;
  year: number;
  months: number | null;
  hsCodes: string[];
  productScopes: string[];
  totalTonnes: number;
  suppliers: SupplierShare[];
  /** Countries whose declarations the figures are: the importer's members ('declared'), its suppliers ('mirror'). */
  reporters: string[];
  notes: string[];
  source: Citation;
}

export interface HubFeed {
  hubId: string;
  hub: string;
  /** The hub's share of the importer's supply at this stage. */
  hubShare: number;
  /** Share of the hub's refinery output fed by its own mines (null: unknown). */
  domesticShare: number | null;
  /** The hub's recorded imports of the material (ores and refined) by partner, shares of those imports. */
  feed: Array<{ countryId: string; country: string; share: number }>;
  feedSource: Citation | null;
  /** True when the hub's domestic share is unknown and all its feed is counted as imported (an upper bound). */
  upperBound: boolean;
  gap: string | null;
  notes: string[];
}

export interface ExposureBySupplier {
  countryId: string;
  country: string;
  direct: number;
  viaHubs: number;
  total: number;
  hubs: string[];
  /** The supplier mix's source (direct share) and each hub's customs source (indirect share). */
  sources: Citation[];
}

export interface MeasureHit {
  id: string;
  title: string;
  countryId: string;
  country: string;
  measureType: TradeMeasure['measureType'];
  stages: string[];
  targets: string[];
  announced: string | null;
  effective: string | null;
  state: MeasureState;
  status: string;
  /** 'direct' = imposed by a supplier of this stage; else the hub whose feed it hits. */
  via: string;
  url: string | null;
  source: Citation;
}

export interface StressLink {
  materialId: string;
  stage: ImporterStage;
  year: number;
  exclude: string[];
  /** The stress builder's query (#/stress?…, GET /api/stress?…). */
  query: Record<string, string>;
  why: string;
}

export interface Consumption {
  tonnes: number;
  share: number;
  low: number;
  high: number;
  year: number;
  method: string;
  basis: string;
  estimate: boolean;
  demandScope: string | null;
  source: Citation;
}

export interface ExposureRow {
  materialId: string;
  material: string;
  stage: ImporterStage;
  year: number;
  /** The importer's own output at this stage (members summed), from the supply series, or null when not listed. */
  productionTonnes: number | null;
  supplyTotalTonnes: number;
  supplySource: Citation;
  consumption: Consumption | null;
  consumptionGap: string | null;
  imports: ImportMix;
  /** Null when customs data for this importer is loaded; else what is missing (the mix shown is then a proxy). */
  customsGap: string | null;
  dependence: Dependence | null;
  dependenceGap: string | null;
  hubs: HubFeed[];
  exposure: ExposureBySupplier[];
  measures: MeasureHit[];
  stress: StressLink | null;
  gaps: string[];
}

export interface ImporterExposure {
  importer: string;
  name: string;
  kind: 'country' | 'bloc';
  members: string[];
  on: string;
  customsLoaded: boolean;
  rows: ExposureRow[];
  gaps: string[];
  sources: Citation[];
}

const name = (id: string) => getMaterial(id)?.name ?? id;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The importer as a country or a grouping of the knowledge base; an unknown id is a not_found error with suggestions. */
export function resolveImporter(index: DatasetIndex, raw: string): { id: string; name: string; kind: 'country' | 'bloc'; members: string[] } {
  const id = raw.trim().toUpperCase();
  const members = index.groupMembers(id);
  if (members.length) {
    const g = index.data.groupings.find((x) => x.groupId.toUpperCase() === id)!;
    return { id: g.groupId, name: g.groupName, kind: 'bloc', members: [...members].sort() };
  }
  const c = getCountry(id);
  if (c && !isAggregateEntity(id)) return { id, name: c.name, kind: 'country', members: [id] };
  throw new InputError(
    'id',
    `unknown importer "${raw}". Did you mean: ${suggestImporters(index, raw).join(', ')}? (an ISO3 code or a grouping id)`,
    'not_found',
  );
}

/** Closest importer ids (countries and groupings) to a string, for "did you mean". */
export function suggestImporters(index: DatasetIndex, raw: string, limit = 3): string[] {
  const q = raw.trim().toLowerCase();
  const groups = [...new Map(index.data.groupings.map((g) => [g.groupId, g.groupName])).entries()];
  const candidates: Array<{ id: string; names: string[]; group: number }> = [
    ...groups.map(([id, n]) => ({ id, names: [id, n], group: 0 })),
    ...[...new Set(index.data.observations.map((o) => o.countryId))]
      .filter((c) => !isAggregateEntity(c) && getCountry(c))
      .map((c) => ({ id: c, names: [c, countryName(c)], group: 1 })),
  ];
  // A transposition ("MPS" for MSP) counts as one edit; groupings first on a tie.
  const sorted = (x: string) => [...x].sort().join('');
  const dist = (n: string) => Math.min(editDistance(q, n), n.length === q.length && sorted(n) === sorted(q) ? 1 : Infinity);
  return candidates
    .map((c) => ({ id: c.id, group: c.group, d: Math.min(...c.names.map((n) => dist(n.toLowerCase()))) }))
    .sort((a, b) => a.d - b.d || a.group - b.group || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((x) => x.id);
}

function sourceCitation(index: DatasetIndex, sourceId: string, detail: string, material: string, status: Citation['status'] = 'data'): Citation {
  const s = index.data.sources.get(sourceId);
  return s ? cite(s, detail, material, status) : unknownSourceCitation(sourceId);
}

function mixFromBilateral(index: DatasetIndex, b: Bilateral, importerId: string, material: string): ImportMix {
  const by = new Map<string, { kg: number; usd: number | null }>();
  for (const f of b.flows) {
    const k = b.supplierOf(f);
    const p = by.get(k) ?? { kg: 0, usd: 0 };
    p.kg += f.quantityKg!;
    p.usd = p.usd === null || f.valueUsd === null ? null : p.usd + f.valueUsd;
    by.set(k, p);
  }
  const totalKg = [...by.values()].reduce((a, p) => a + p.kg, 0);
  const suppliers = [...by]
    .map(([countryId, p]) => ({ countryId, country: countryName(countryId), tonnes: p.kg / 1000, share: totalKg > 0 ? p.kg / totalKg : 0, valueUsd: p.usd }))
    .sort((a, b) => b.tonnes - a.tonnes || a.countryId.localeCompare(b.countryId));
  const months = b.flows.some((f) => f.month === null) ? 12 : new Set(b.flows.map((f) => f.month)).size;
  const hsCodes = [...new Set(b.flows.map((f) => f.hsCode))].sort();
  const productScopes = [...new Set(b.flows.map((f) => f.productScope).filter((s): s is string => !!s))];
  const notes = ['Customs net weight is product weight, not contained metal.'];
  if (months < 12) notes.push(`${months} months of data in ${b.year}.`);
  const reporters = [...new Set(b.flows.map((f) => f.reporterId))].sort();
  if (b.basis === 'mirror')
    notes.push(
      `Mirror data: exports to ${importerId} declared by ${reporters.join(', ')}; suppliers that declared nothing to this source are missing, so shares are of the recorded flows only.`,
    );
  if (hsCodes.some((c) => hsStage(c).wide))
    notes.push(`An HS code is wider than the material (${productScopes.join('; ') || hsCodes.join(', ')}): its tonnes are a proxy.`);
  const label =
    b.basis === 'declared'
      ? `imports declared by ${reporters.join(', ')} (customs, ${b.year})`
      : `exports to ${importerId} declared by its suppliers (mirror, ${b.year})`;
  return {
    basis: b.basis,
    label,
    year: b.year,
    months,
    hsCodes,
    productScopes,
    totalTonnes: totalKg / 1000,
    suppliers,
    reporters,
    notes,
    source: sourceCitation(index, b.sourceId, `${b.basis === 'declared' ? 'imports' : 'exports'} by partner, ${b.year}, HS ${hsCodes.join(', ')}`, material),
  };
}

/** World supply shares at the stage, members' own output left out: the default supplier mix when no customs data exists. */
function proxyMix(index: DatasetIndex, supply: StageSupply, members: ReadonlySet<string>, material: string): ImportMix {
  const rest = supply.countries.filter((c) => !members.has(c.countryId) && c.tonnes > 0);
  const total = rest.reduce((a, c) => a + c.tonnes, 0);
  const suppliers = rest
    .map((c) => ({
      countryId: c.countryId,
      country: c.countryId === AGGREGATE_IDS.other ? 'Other countries' : countryName(c.countryId),
      tonnes: c.tonnes,
      share: total > 0 ? c.tonnes / total : 0,
      valueUsd: null,
    }))
    .sort((a, b) => (a.countryId === AGGREGATE_IDS.other ? 1 : 0) - (b.countryId === AGGREGATE_IDS.other ? 1 : 0) || b.tonnes - a.tonnes);
  return {
    basis: 'proxy',
    label: `proxy: world ${supply.stage} output shares ${supply.year}${members.size ? ', the importer’s own output left out' : ''}`,
    year: supply.year,
    months: null,
    hsCodes: [],
    productScopes: [],
    totalTonnes: total,
    suppliers,
    reporters: [],
    notes: [
      `Proxy, not trade data: assumes the importer buys from each producer in proportion to its share of world ${supply.stage} output (${supply.basis}, ${supply.unit}).`,
    ],
    source: sourceCitation(index, supply.sourceId, `${supply.stage} production by country, ${supply.year} (used as a proxy supplier mix)`, material, 'proxy'),
  };
}

/** Latest historical year ≤ `limit` with production by country at the stage. */
function latestYear(index: DatasetIndex, materialId: string, stage: ImporterStage, limit: number): number | undefined {
  const ys = index.years(materialId, stage).filter((y) => y <= limit && index.rows(materialId, stage, 'production', y).some((o) => o.scenario === null));
  return ys[ys.length - 1];
}

function hubFeed(
  index: DatasetIndex,
  materialId: string,
  hub: SupplierShare,
  refining: StageSupply,
  mining: StageSupply | null,
  year: number,
  material: string,
): HubFeed {
  const notes: string[] = [];
  const refined = refining.countries.find((c) => c.countryId === hub.countryId)?.tonnes ?? null;
  const mined = mining ? (mining.countries.find((c) => c.countryId === hub.countryId)?.tonnes ?? 0) : null;
  let domesticShare: number | null = null;
  if (refined && mined !== null) {
    domesticShare = Math.min(1, mined / refined);
    notes.push(
      `${hub.country}: mine output ${Math.round(mined).toLocaleString('en')} t vs refinery output ${Math.round(refined).toLocaleString('en')} t (${mining!.year}, ${refining.year}): ${pct(domesticShare)} of its feed can be its own.`,
    );
  }
  const hubOnly = new Set([hub.countryId]);
  const flows = flowsAtStage(index, materialId, ['mining', 'refining'], hubOnly);
  const b = bilateralImports(flows, hubOnly, year);
  if (!b) {
    return {
      hubId: hub.countryId,
      hub: hub.country,
      hubShare: hub.share,
      domesticShare,
      feed: [],
      feedSource: null,
      upperBound: false,
      gap:
        domesticShare === 1
          ? null
          : `no customs data on ${hub.country}'s imports of ${material.toLowerCase()} (ores or refined): where its ${domesticShare === null ? '' : 'imported '}feed comes from is unknown`,
      notes,
    };
  }
  const mix = mixFromBilateral(index, b, hub.countryId, material);
  return {
    hubId: hub.countryId,
    hub: hub.country,
    hubShare: hub.share,
    domesticShare,
    feed: mix.suppliers.map((s) => ({ countryId: s.countryId, country: s.country, share: s.share })),
    feedSource: mix.source,
    upperBound: domesticShare === null,
    gap: null,
    notes: [
      ...notes,
      ...mix.notes,
      ...(domesticShare === null
        ? [`${hub.country}'s own mine output is unknown: all its feed is counted as imported (upper bound of the indirect exposure).`]
        : []),
    ],
  };
}

function combineExposure(mix: ImportMix, hubs: HubFeed[]): ExposureBySupplier[] {
  const by = new Map<string, ExposureBySupplier>();
  const get = (id: string, country: string) => {
    let e = by.get(id);
    if (!e) by.set(id, (e = { countryId: id, country, direct: 0, viaHubs: 0, total: 0, hubs: [], sources: [] }));
    return e;
  };
  for (const s of mix.suppliers) {
    const e = get(s.countryId, s.country);
    e.direct += s.share;
    e.sources.push(mix.source);
  }
  for (const h of hubs) {
    if (!h.feed.length) continue;
    const imported = h.domesticShare === null ? 1 : 1 - h.domesticShare;
    for (const f of h.feed) {
      if (f.countryId === h.hubId) continue;
      const e = get(f.countryId, f.country);
      e.viaHubs += h.hubShare * imported * f.share;
      if (!e.hubs.includes(h.hubId)) e.hubs.push(h.hubId);
      if (h.feedSource) e.sources.push(h.feedSource);
    }
  }
  for (const e of by.values()) {
    e.total = e.direct + e.viaHubs;
    e.sources = mergeCitations(e.sources);
  }
  return [...by.values()].sort((a, b) => b.total - a.total || a.countryId.localeCompare(b.countryId));
}

function measureHits(
  index: DatasetIndex,
  materialId: string,
  stage: ImporterStage,
  suppliers: Map<string, string>,
  targetsHit: ReadonlySet<string>,
  on: string,
  material: string,
): MeasureHit[] {
  const reg = index.data.registry;
  if (!reg) return [];
  const out: MeasureHit[] = [];
  for (const m of reg.measures) {
    if (m.direction !== 'export' || !suppliers.has(m.countryId) || !concerns(m.materials, materialId)) continue;
    if (m.stages.length && !m.stages.includes(stage) && !(stage === 'refining' && m.stages.includes('intermediate'))) continue;
    if (m.targets.length && !m.targets.some((t) => targetsHit.has(t))) continue;
    const state = measureState(m, on);
    if (state === 'ended') continue;
    const s = index.data.sources.get(m.sourceId);
    out.push({
      id: m.id,
      title: m.title,
      countryId: m.countryId,
      country: countryName(m.countryId),
      measureType: m.measureType,
      stages: m.stages,
      targets: m.targets,
      announced: m.announced,
      effective: m.effective,
      state,
      status: measureStatus(m, on),
      via: suppliers.get(m.countryId)!,
      url: m.url,
      source: s ? cite(s, m.title, material, 'published') : unknownSourceCitation(m.sourceId),
    });
  }
  return out.sort((a, b) => (b.effective ?? b.announced ?? '').localeCompare(a.effective ?? a.announced ?? '') || a.id.localeCompare(b.id));
}

function consumptionOf(index: DatasetIndex, materialId: string, importerId: string, year: number): { value: Consumption | null; gap: string | null } {
  const demand = worldDemand(index, materialId, year, 'STEPS');
  if (!demand) return { value: null, gap: `no world demand for ${name(materialId)} ${year} in the knowledge base: ${importerId}'s own use is not estimated` };
  const r = ownUse(index, materialId, importerId, year, demand, (y) => worldDemand(index, materialId, y, 'STEPS'));
  if (!r.ok) return { value: null, gap: `own use of ${importerId}: ${r.gap.reason}` };
  const v = r.value;
  if (v.method === 'allocation' && !v.terms.length)
    return { value: null, gap: `world demand for ${name(materialId)} ${year} has no sectors to allocate: ${importerId}'s own use is not estimated` };
  return {
    value: {
      tonnes: v.tonnes,
      share: v.share,
      low: v.low,
      high: v.high,
      year,
      method: v.method,
      basis: v.basis,
      estimate: v.estimate,
      demandScope: v.demandScope,
      source: citation({
        sourceId: `own-use:${materialId}:${importerId}`,
        publisher: v.sourceText,
        status: 'derived',
        caveat: v.assumed ? 'partly assumed (see terms)' : null,
      }),
    },
    gap: null,
  };
}

/** Materials worth showing by default: those with trade flows touching the importer, export measures, or own-use keys. */
function defaultMaterials(index: DatasetIndex, traded: readonly string[], importerId: string): string[] {
  const out = new Set<string>(traded);
  for (const m of index.data.registry?.measures ?? []) if (m.direction === 'export') for (const x of m.materials) out.add(x);
  if (curatedOwnUseCountries().includes(importerId)) for (const x of ['cobalt', 'copper', 'graphite', 'lithium', 'nickel', 'rare-earths']) out.add(x);
  return [...out].filter((m) => index.years(m, 'mining').length || index.years(m, 'refining').length).sort();
}

export function importerExposure(index: DatasetIndex, q: ImporterQuery): ImporterExposure {
  const imp = resolveImporter(index, q.importer);
  const members = new Set(imp.members);
  const on = q.on ?? new Date().toISOString().slice(0, 10);
  const limit = q.year ?? Number(on.slice(0, 4));
  // Materials with customs flows touching the importer: one scan of the trade table serves both uses below.
  const traded = index.materialsTradedBy(members);
  const materials = q.materials?.length ? q.materials : defaultMaterials(index, traded, imp.id);
  for (const m of materials) if (!getMaterial(m)) throw new InputError('material', `unknown material "${m}"`, 'not_found');
  // Targets a measure can name that hit this importer: the importer, its members, and the groupings it belongs to.
  const targetsHit = new Set([imp.id, ...imp.members, ...index.data.groupings.filter((g) => members.has(g.countryId)).map((g) => g.groupId)]);
  const customsLoaded = traded.length > 0;
  const rows: ExposureRow[] = [];
  const gaps: string[] = [];
  for (const materialId of materials) {
    const material = name(materialId);
    let any = false;
    for (const stage of IMPORTER_STAGES) {
      const year = q.year ?? latestYear(index, materialId, stage, limit);
      if (year === undefined) continue;
      const picked = pickStageSupply(index, materialId, stage, year);
      if (!picked.supply || !picked.source) continue;
      any = true;
      const supply = picked.supply;
      const rowGaps: string[] = [];
      const productionTonnes = membersOutput(supply, members);
      const supplySource = cite(picked.source, picked.detail, material);

      const flows = flowsAtStage(index, materialId, [stage], members);
      const b = bilateralImports(flows, members, year);
      let imports: ImportMix;
      let customsGap: string | null = null;
      if (b) imports = mixFromBilateral(index, b, imp.id, material);
      else {
        customsGap = `no customs or trade flows loaded for ${imp.id}'s ${stage}-stage ${material.toLowerCase()} imports (load them: chokepoint data import comtrade|china-exports|baci <file>); the supplier mix shown is a proxy`;
        rowGaps.push(customsGap);
        imports = proxyMix(index, supply, members, material);
      }

      // Import dependence, from the importer's own declarations (imports and exports, same source and year).
      let dependence: Dependence | null = null;
      let dependenceGap: string | null = null;
      if (b?.basis === 'declared') {
        const exp = declaredExports(flows, members, b);
        const d = apparentDependence(materialId, supply.basis, productionTonnes, b.flows, exp);
        if ('gap' in d) dependenceGap = d.gap;
        else
          dependence = {
            ...d,
            note:
              `imports ÷ (production + imports − exports), customs product weight converted to ${supply.basis} by HS code` +
              (productionTonnes === null ? `; ${imp.id} is not listed among ${stage} producers in the supply series, so production is taken as 0` : ''),
            sources: [imports.source, supplySource, ...distinctCitations(d.conversions.map((c) => c.source))],
          };
      } else
        dependenceGap = b
          ? `only mirror data (suppliers' declarations) for ${imp.id}: its own exports are not recorded, so apparent consumption is not computed`
          : `no customs data for ${imp.id}: import dependence not computed`;

      // Hubs: refining-stage suppliers whose feed comes from elsewhere.
      const hubs: HubFeed[] = [];
      if (stage === 'refining') {
        const mining = pickStageSupply(index, materialId, 'mining', latestYear(index, materialId, 'mining', year) ?? year).supply;
        for (const s of imports.suppliers.filter((x) => x.share >= 0.01 && x.countryId !== AGGREGATE_IDS.other).slice(0, 8))
          hubs.push(hubFeed(index, materialId, s, supply, mining, year, material));
        if (!mining) rowGaps.push(`no mining-stage series by country for ${material} (e.g. a by-product): hubs' own mine feed is unknown`);
      }
      const exposure = combineExposure(imports, hubs);

      const suppliers = new Map<string, string>();
      for (const s of imports.suppliers) suppliers.set(s.countryId, 'direct');
      for (const h of hubs) for (const f of h.feed) if (!suppliers.has(f.countryId)) suppliers.set(f.countryId, h.hubId);
      const measures = measureHits(index, materialId, stage, suppliers, targetsHit, on, material);

      const top = exposure.find(
        (e) => !members.has(e.countryId) && e.countryId !== AGGREGATE_IDS.other && supply.countries.some((c) => c.countryId === e.countryId),
      );
      const stress: StressLink | null = top
        ? {
            materialId,
            stage,
            year: supply.year,
            exclude: [top.countryId],
            query: { material: materialId, stage, year: String(supply.year), exclude: top.countryId, mode: 'export_ban' },
            why: `${top.country} is the largest supplier (${pct(top.total)} of ${imp.id}'s ${stage}-stage supply${imports.basis === 'proxy' ? ', proxy' : ''}${top.viaHubs > 0 ? `, ${pct(top.viaHubs)} through hubs` : ''})`,
          }
        : null;

      const cons = consumptionOf(index, materialId, imp.id, year);
      rows.push({
        materialId,
        material,
        stage,
        year: supply.year,
        productionTonnes,
        supplyTotalTonnes: supply.totalTonnes,
        supplySource,
        consumption: cons.value,
        consumptionGap: cons.gap,
        imports,
        customsGap,
        dependence,
        dependenceGap,
        hubs,
        exposure,
        measures,
        stress,
        gaps: rowGaps,
      });
    }
    if (!any) gaps.push(`no mining or refining supply by country for ${material}${q.year ? ` in ${q.year}` : ''}`);
  }
  if (!customsLoaded)
    gaps.push(
      `No customs or trade flows are loaded for ${imp.id}${imp.kind === 'bloc' ? ` or its ${imp.members.length} members` : ''}: supplier mixes are proxies (world output shares), import dependence is not computed.`,
    );
  const sources = mergeCitations(
    rows.flatMap((r) => [
      r.supplySource,
      r.imports.source,
      ...(r.consumption ? [r.consumption.source] : []),
      ...r.hubs.flatMap((h) => (h.feedSource ? [h.feedSource] : [])),
      ...r.measures.map((m) => m.source),
    ]),
  );
  return { importer: imp.id, name: imp.name, kind: imp.kind, members: imp.members, on, customsLoaded, rows, gaps, sources };
}
