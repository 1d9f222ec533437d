/**
 * DOE 2023-style matrix, USGS 2022-style supply risk and GeoPolRisk, on the same inputs as the EU method.
 * Each is implemented with its published formula; indicators we have no data for are shown as missing and the
 * score is flagged partial (weights renormalised over the indicators present, DOE) or not computed (USGS EV).
 *
 * DOE (Critical Materials Assessment 2023; weights of the Critical Materials Strategy 2011, Appendix A):
 *   importance to energy = 0.75·energy demand + 0.25·substitutability limitations          (each scored 1-4)
 *   supply risk = 0.4·basic availability + 0.1·competing technology demand + 0.2·political, regulatory and social
 *                 factors + 0.1·co-dependence on other markets + 0.2·producer diversity     (each scored 1-4)
 *   short term (2020-2025) on current data, medium term (2025-2035) on IEA projections where they exist;
 *   critical: both ≥ 3; near-critical: both ≥ 2.5, or one ≥ 3 and the other ≥ 2 (our reading of the matrix zones).
 *   Scores we can compute: producer diversity (HHI bands, DOJ/FTC), political factors (share-weighted scaled WGI),
 *   energy demand (IEA clean-technology share of demand). Basic availability, competing demand, co-dependence and
 *   substitutability need expert inputs we do not hold: missing.
 *
 * USGS 2022 (Nassar & Fortier 2021, OFR 2021-1045): supply risk = DP × TE × EV with
 *   DP = Σ_c s_c²·WGI_c over foreign producers (own production secure), TE = net import reliance (0-1),
 *   EV = economic vulnerability of the assessor's manufacturing sector (not in our data → missing; DP·TE shown).
 *
 * GeoPolRisk (Gemechu et al. 2016; Santillán-Saldivar et al. 2021):
 *   GeoPolRisk_A = HHI · Σ_i g_i · f_Ai / (p_A + F_A), HHI of global production (fraction), g_i = WGI Political
 *   Stability rescaled 0-1, f_Ai imports from i, p_A own production, F_A total imports. EU: with the EU sourcing table
 *   (own production + imports) f_Ai/(p_A + F_A) is partner i's sourcing share; own production carries no risk.
 *   Other assessors: f_Ai and F_A from customs imports by partner (bilateral trade flows, tonnes of product; HS codes
 *   matched to the stage by HS_STAGE), p_A from the production series (tonnes); imports that the trade data does not
 *   attribute to a partner (F_A − Σ f_Ai) are weighted like the other producers' global supply. Without trade data,
 *   or without imports of the material by the assessor → missing.
 */
import { citeDocument, defaultCitation, noteCitation, type Citation } from '../../model/provenance.ts';
import { DOE_2023_CRITICAL, DOE_2023_LIST_DOC, DOE_2023_SHORT_TERM_NOTE, DOE_INDICATOR_GAPS } from '../../data/doe-2023.ts';
import { getMaterial } from '../../model/materials.ts';
import type { Stage } from '../../model/schema.ts';
import type { DatasetIndex } from '../dataset.ts';
import { DOCS, DOE_BANDS, DOE_WEIGHTS, EU_DEFAULTS } from '../../data/criticality-parameters.ts';
import { FIXED, Sampler, isNum, round, type InputUsed, type Param } from './common.ts';
import {
  cleanEnergyShare,
  customsImports,
  euSourcing,
  globalSupply,
  netImportReliance,
  ownProduction,
  projectedSupply,
  tradeDataStatus,
  assessorCustomsLookup,
  assessorTradeStatus,
  type AssessorCustoms,
  type Assessor,
  type CustomsImports,
  type GovernanceTable,
  type OwnProduction,
  type SupplyTable,
} from './inputs.ts';
import { EU_STAGES } from './eu.ts';

const wgiParam = (gov: GovernanceTable, c: string): Param => {
  const g = gov.scaled.get(c);
  return g
    ? { key: `wgi|${c}`, value: g.value, status: 'data', source: gov.source, u: { kind: 'normal', sd: g.sd, min: 0, max: 10 } }
    : {
        key: `wgi|${c}`,
        value: EU_DEFAULTS.wgi.value,
        status: 'default',
        source: defaultCitation(),
        u: { kind: 'uniform', min: EU_DEFAULTS.wgi.range[0], max: EU_DEFAULTS.wgi.range[1] },
      };
};

function missingWgi(gov: GovernanceTable, tables: SupplyTable[], own: Set<string>): string[] {
  const out = new Set<string>();
  for (const t of tables) for (const r of t.rows) if (!own.has(r.countryId) && r.share > 0 && !gov.scaled.has(r.countryId)) out.add(`WGI ${r.countryId}`);
  return [...out];
}

/** Σ_c∉own s_c² · WGI_c (USGS disruption potential; also the DOE "producer diversity × governance" ingredient). */
function dp(t: SupplyTable, gov: GovernanceTable, own: Set<string>, s: Sampler): number {
  return t.rows.filter((r) => !own.has(r.countryId)).reduce((a, r) => a + r.share * r.share * s.value(wgiParam(gov, r.countryId)), 0);
}

/** Share-weighted scaled WGI of foreign supply (own production counts as 0 risk). */
function weightedWgi(t: SupplyTable, gov: GovernanceTable, own: Set<string>, s: Sampler): number {
  const total = t.rows.reduce((a, r) => a + r.share, 0);
  if (!(total > 0)) return 0;
  return t.rows.filter((r) => !own.has(r.countryId)).reduce((a, r) => a + r.share * s.value(wgiParam(gov, r.countryId)), 0) / total;
}

const hhiOf = (t: SupplyTable) => t.rows.reduce((a, r) => a + r.share * r.share, 0);

export function scoreBand(x: number, cuts: readonly number[]): 1 | 2 | 3 | 4 {
  return (x < cuts[0] ? 1 : x < cuts[1] ? 2 : x < cuts[2] ? 3 : 4) as 1 | 2 | 3 | 4;
}

// ---------------------------------------------------------------------------------------------------------------
// DOE
// ---------------------------------------------------------------------------------------------------------------

export type DoeClass = 'critical' | 'near-critical' | 'not critical';

export interface DoeIndicator {
  indicator: string;
  weight: number;
  score: number | null; // 1-4; null = missing
  basis: string;
}

export interface DoeTerm {
  importance: number | null;
  supplyRisk: number | null;
  class: DoeClass | null;
  /** Why `class` is null: the axis with no scored indicator and each indicator's gap (never a bare "?"). */
  undetermined: string | null;
  indicators: DoeIndicator[];
}

export interface DoeResult {
  method: 'doe';
  materialId: string;
  material: string;
  assessor: string;
  year: number;
  shortTerm: DoeTerm;
  mediumTerm: DoeTerm;
  /** The DOE's own result for the material: on the 2023 DOE Critical Materials List or not (src/data/doe-2023.ts). */
  published: { onList: boolean; note: string | null; source: Citation };
  partial: boolean;
  inputs: InputUsed[];
  defaulted: string[];
  messages: string[];
}

export function doeClass(importance: number | null, supplyRisk: number | null): DoeClass | null {
  if (!isNum(importance) || !isNum(supplyRisk)) return null;
  if (importance >= DOE_BANDS.criticalBoth && supplyRisk >= DOE_BANDS.criticalBoth) return 'critical';
  const lo = Math.min(importance, supplyRisk);
  const hi = Math.max(importance, supplyRisk);
  if (lo >= DOE_BANDS.nearCritical || (hi >= 3 && lo >= 2)) return 'near-critical';
  return 'not critical';
}

function weighted(ind: DoeIndicator[]): number | null {
  const present = ind.filter((i) => isNum(i.score));
  const w = present.reduce((a, i) => a + i.weight, 0);
  return w > 0 ? present.reduce((a, i) => a + i.weight * i.score!, 0) / w : null;
}

export interface DoeInputs {
  materialId: string;
  assessor: Assessor;
  year: number;
  short: SupplyTable[];
  medium: SupplyTable[];
  mediumFromProjection: boolean;
  energyShort: ReturnType<typeof cleanEnergyShare>;
  energyMedium: ReturnType<typeof cleanEnergyShare>;
  /** Why the short-term clean-energy share is missing (the IEA split may start after the assessment year). */
  energyShortGap: string;
  gov: GovernanceTable;
}

export function doeInputs(index: DatasetIndex, materialId: string, assessor: Assessor, year: number, gov: GovernanceTable): DoeInputs {
  const short = EU_STAGES.map((st) => globalSupply(index, materialId, st, year)).filter((t): t is SupplyTable => !!t);
  const proj = EU_STAGES.map((st) => projectedSupply(index, materialId, st, 2035)).filter((t): t is SupplyTable => !!t);
  return {
    materialId,
    assessor,
    year,
    short,
    medium: proj.length ? proj : short,
    mediumFromProjection: proj.length > 0,
    energyShort: cleanEnergyShare(index, materialId, year),
    energyMedium: cleanEnergyShare(index, materialId, 2035, 'STEPS'),
    energyShortGap: energyGap(index, materialId, year),
    gov,
  };
}

/** Why no clean-energy share exists at or before `year`: the IEA split starting later (its base year) or absent. */
function energyGap(index: DatasetIndex, materialId: string, year: number): string {
  const later = index
    .observationsOf(materialId)
    .filter(
      (o) =>
        o.measure === 'demand' &&
        o.stage === 'end_use' &&
        o.countryId === 'WLD' &&
        o.sector === 'Total clean technologies' &&
        o.scenario === null &&
        o.year > year,
    )
    .map((o) => o.year);
  const first = later.reduce((a, b) => Math.min(a, b), Infinity);
  return later.length
    ? `missing at ${year}: the IEA clean-energy demand split for this material starts in ${first} (the IEA dataset's base year); assess with --year ${first}`
    : 'missing: no clean-energy demand split for this material (the IEA dataset does not cover it)';
}

function doeTerm(
  x: DoeInputs,
  tables: SupplyTable[],
  energy: DoeInputs['energyShort'],
  s: Sampler,
  gap = 'missing: no clean-energy demand split for this material',
): DoeTerm {
  const own = new Set(x.assessor.members);
  const W = DOE_WEIGHTS;
  const hhi = tables.length ? Math.max(...tables.map(hhiOf)) * 10_000 : null;
  const pol = tables.length ? Math.max(...tables.map((t) => weightedWgi(t, x.gov, own, s))) : null;
  const supplyInd: DoeIndicator[] = [
    {
      indicator: 'basic availability',
      weight: W.supplyRisk.basicAvailability,
      score: null,
      basis: `gap — ${DOE_INDICATOR_GAPS.basicAvailability}`,
    },
    {
      indicator: 'competing technology demand',
      weight: W.supplyRisk.competingDemand,
      score: null,
      basis: `gap — ${DOE_INDICATOR_GAPS.competingDemand}`,
    },
    {
      indicator: 'political, regulatory and social factors',
      weight: W.supplyRisk.politicalRegulatorySocial,
      score: pol === null ? null : scoreBand(pol, DOE_BANDS.politicalWgi),
      basis: pol === null ? 'missing: no supply shares' : `share-weighted scaled WGI ${pol.toFixed(2)} (bands ${DOE_BANDS.politicalWgi.join('/')})`,
    },
    {
      indicator: 'co-dependence on other markets',
      weight: W.supplyRisk.codependence,
      score: null,
      basis: `gap — ${DOE_INDICATOR_GAPS.codependence}`,
    },
    {
      indicator: 'producer diversity',
      weight: W.supplyRisk.producerDiversity,
      score: hhi === null ? null : scoreBand(hhi, DOE_BANDS.producerDiversityHhi),
      basis: hhi === null ? 'missing: no supply shares' : `max stage HHI ${Math.round(hhi)} (bands ${DOE_BANDS.producerDiversityHhi.join('/')})`,
    },
  ];
  const impInd: DoeIndicator[] = [
    {
      indicator: 'energy demand',
      weight: W.importance.energyDemand,
      score: energy ? scoreBand(energy.share, DOE_BANDS.energyDemandShare) : null,
      basis: energy ? `clean-energy share of demand ${(energy.share * 100).toFixed(0)} % (${energy.year}${energy.scenario ? ` ${energy.scenario}` : ''})` : gap,
    },
    { indicator: 'substitutability limitations', weight: W.importance.substitutability, score: null, basis: `gap — ${DOE_INDICATOR_GAPS.substitutability}` },
  ];
  const importance = weighted(impInd);
  const supplyRisk = weighted(supplyInd);
  const cls = doeClass(importance, supplyRisk);
  const axisGap = (name: string, v: number | null, ind: DoeIndicator[]) =>
    isNum(v) ? null : `${name}: no indicator scored (${ind.map((i) => `${i.indicator}: ${i.basis.replace(/^gap — /, '')}`).join('; ')})`;
  const undetermined = cls
    ? null
    : [axisGap('importance to energy', importance, impInd), axisGap('supply risk', supplyRisk, supplyInd)].filter((x): x is string => !!x).join(' | ');
  return {
    importance: round(importance, 2),
    supplyRisk: round(supplyRisk, 2),
    class: cls,
    undetermined: undetermined || null,
    indicators: [...supplyInd, ...impInd],
  };
}

export function doeCompute(x: DoeInputs, s: Sampler = new Sampler()): { short: DoeTerm; medium: DoeTerm } {
  return { short: doeTerm(x, x.short, x.energyShort, s, x.energyShortGap), medium: doeTerm(x, x.medium, x.energyMedium ?? x.energyShort, s, x.energyShortGap) };
}

export function doeResult(x: DoeInputs): DoeResult {
  const { short, medium } = doeCompute(x);
  const name = getMaterial(x.materialId)?.name ?? x.materialId;
  const messages: string[] = [];
  if (!x.short.length) messages.push(`${name}: DOE supply risk not computed — input "global supply shares" missing`);
  if (!x.energyShort) messages.push(`${name}: DOE importance to energy not computed — input "clean-energy demand share" ${x.energyShortGap}`);
  const inputs: InputUsed[] = [
    ...x.short.map((t) => ({
      input: 'global supply shares (short term)',
      stage: t.stage,
      value: `HHI ${Math.round(hhiOf(t) * 10_000)}`,
      status: 'data' as const,
      source: t.source,
    })),
    ...(x.mediumFromProjection
      ? x.medium.map((t) => ({
          input: 'projected supply shares (medium term)',
          stage: t.stage,
          value: `HHI ${Math.round(hhiOf(t) * 10_000)} (${t.year})`,
          status: 'data' as const,
          source: t.source,
        }))
      : []),
    ...(x.energyShort
      ? [
          {
            input: 'clean-energy demand share',
            stage: null,
            value: round(x.energyShort.share, 3),
            status: 'data' as const,
            source: x.energyShort.source,
            note: `${x.energyShort.year}`,
          },
        ]
      : []),
    {
      input: 'indicator weights',
      stage: null,
      value: 'importance 0.75/0.25; supply 0.4/0.1/0.2/0.1/0.2',
      status: 'published',
      source: citeDocument(DOCS.doe2023),
    },
  ];
  const defaulted = [
    ...(x.mediumFromProjection ? [] : x.short.length ? ['medium-term supply shares (current shares used)'] : []),
    ...missingWgi(x.gov, x.short, new Set(x.assessor.members)),
  ];
  return {
    method: 'doe',
    materialId: x.materialId,
    material: name,
    assessor: x.assessor.id,
    year: x.year,
    shortTerm: short,
    mediumTerm: medium,
    published: {
      onList: DOE_2023_CRITICAL.has(x.materialId),
      note: DOE_2023_SHORT_TERM_NOTE[x.materialId] ?? null,
      source: citeDocument(DOE_2023_LIST_DOC),
    },
    partial: true,
    inputs,
    defaulted,
    messages,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// USGS 2022
// ---------------------------------------------------------------------------------------------------------------

export interface UsgsResult {
  method: 'usgs';
  materialId: string;
  material: string;
  assessor: string;
  year: number;
  disruptionPotential: number | null;
  tradeExposure: number | null;
  economicVulnerability: null;
  /** DP × TE: the score without EV, used to rank (flagged partial). */
  partialScore: number | null;
  score: null;
  stage: Stage | null;
  partial: true;
  inputs: InputUsed[];
  defaulted: string[];
  messages: string[];
}

export interface UsgsInputs {
  materialId: string;
  assessor: Assessor;
  year: number;
  tables: SupplyTable[];
  te: Param | null;
  gov: GovernanceTable;
}

export function usgsInputs(index: DatasetIndex, materialId: string, assessor: Assessor, year: number, gov: GovernanceTable): UsgsInputs {
  const tables = EU_STAGES.map((st) => globalSupply(index, materialId, st, year)).filter((t): t is SupplyTable => !!t);
  const own = new Set(assessor.members);
  let te: Param | null = null;
  const nir = assessor.kind === 'country' ? netImportReliance(index, assessor.id, materialId, year) : null;
  if (nir)
    te = { key: `te|${assessor.id}|${materialId}`, value: nir.value, status: 'data', source: nir.source, note: `USGS NIR ${nir.year}: ${nir.note}`, u: FIXED };
  else if (tables.length) {
    const ownShare = Math.max(...tables.map((t) => t.rows.filter((r) => own.has(r.countryId)).reduce((a, r) => a + r.share, 0)));
    if (assessor.kind === 'eu') {
      const src = EU_STAGES.map((st) => euSourcing(index, materialId, st, year)).filter((t): t is SupplyTable => !!t);
      if (src.length) {
        const dom = Math.min(...src.map((t) => t.rows.filter((r) => own.has(r.countryId)).reduce((a, r) => a + r.share, 0)));
        te = {
          key: `te|${assessor.id}|${materialId}`,
          value: Math.max(0, 1 - dom),
          status: 'derived',
          source: src[0].source,
          note: "1 − EU member states' share of EU sourcing (least domestic stage)",
          u: FIXED,
        };
      }
    }
    if (!te && ownShare === 0)
      te = {
        key: `te|${assessor.id}|${materialId}`,
        value: 1,
        status: 'derived',
        source: tables[0].source,
        note: 'no own production listed: trade exposure 1',
        u: FIXED,
      };
    if (!te)
      te = {
        key: `te|${assessor.id}|${materialId}`,
        value: EU_DEFAULTS.ir.value,
        status: 'default',
        source: defaultCitation(),
        note: EU_DEFAULTS.ir.note,
        u: { kind: 'uniform', min: 0, max: 1 },
      };
  }
  return { materialId, assessor, year, tables, te, gov };
}

export function usgsCompute(x: UsgsInputs, s: Sampler = new Sampler()): { dp: number | null; te: number | null; stage: Stage | null } {
  const own = new Set(x.assessor.members);
  let best: { v: number; stage: Stage } | null = null;
  for (const t of x.tables) {
    const v = dp(t, x.gov, own, s);
    if (isNum(v) && (!best || v > best.v)) best = { v, stage: t.stage };
  }
  return { dp: best?.v ?? null, te: x.te ? s.value(x.te) : null, stage: best?.stage ?? null };
}

export function usgsResult(x: UsgsInputs): UsgsResult {
  const p = usgsCompute(x);
  const name = getMaterial(x.materialId)?.name ?? x.materialId;
  const messages: string[] = [`${name}: USGS supply risk not computed — input "economic vulnerability" (EV) missing; DP × TE shown as a partial score`];
  if (!x.tables.length) messages.push(`${name}: input "global supply shares" missing (DP)`);
  if (!x.te) messages.push(`${name}: input "net import reliance" missing (TE)`);
  const inputs: InputUsed[] = [
    ...x.tables.map((t) => ({ input: 'global supply shares', stage: t.stage, value: `${t.rows.length} countries`, status: 'data' as const, source: t.source })),
    ...(x.te
      ? [{ input: 'trade exposure (net import reliance)', stage: null, value: round(x.te.value, 3), status: x.te.status, source: x.te.source, note: x.te.note }]
      : []),
    {
      input: 'economic vulnerability',
      stage: null,
      value: null,
      status: 'missing' as const,
      source: citeDocument(DOCS.usgs2022),
      note: 'needs commodity expenditure and net operating surplus of using industries',
    },
  ];
  const defaulted = [...(x.te?.status === 'default' ? ['trade exposure'] : []), ...missingWgi(x.gov, x.tables, new Set(x.assessor.members))];
  const partialScore = isNum(p.dp) && isNum(p.te) ? p.dp * p.te : null;
  return {
    method: 'usgs',
    materialId: x.materialId,
    material: name,
    assessor: x.assessor.id,
    year: x.year,
    disruptionPotential: round(p.dp, 3),
    tradeExposure: round(p.te, 3),
    economicVulnerability: null,
    partialScore: round(partialScore, 3),
    score: null,
    stage: p.stage,
    partial: true,
    inputs,
    defaulted,
    messages,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// GeoPolRisk
// ---------------------------------------------------------------------------------------------------------------

export interface GeoPolRiskStage {
  stage: Stage;
  hhi: number;
  importRisk: number;
  score: number;
  /** Where the import shares come from: the EU sourcing table (EU) or customs imports by partner (other assessors). */
  imports: 'eu-sourcing' | 'customs';
  /** Customs imports (other assessors): trade year, tonnes by named partner, F_A, unattributed part and p_A. */
  customs?: { year: number; partners: Array<{ countryId: string; tonnes: number }>; totalImports: number; unattributed: number; ownProduction: number };
}

export interface GeoPolRiskResult {
  method: 'geopolrisk';
  materialId: string;
  material: string;
  assessor: string;
  year: number;
  score: number | null;
  stage: Stage | null;
  stages: GeoPolRiskStage[];
  partial: boolean;
  inputs: InputUsed[];
  defaulted: string[];
  messages: string[];
}

export interface GprCustomsPair {
  global: SupplyTable;
  trade: CustomsImports;
  own: OwnProduction;
}

export interface GprInputs {
  materialId: string;
  assessor: Assessor;
  year: number;
  /** EU assessor: the EU sourcing table per stage. */
  pairs: Array<{ global: SupplyTable; imports: SupplyTable }>;
  /** Other assessors: customs imports by partner and own production per stage. */
  customs: GprCustomsPair[];
  /** Other assessors: stages not computed and why. */
  missing: Array<{ stage: Stage; reason: string }>;
  /** Other assessors: whether bilateral trade data is loaded and has imports of the material by the assessor. */
  trade: ReturnType<typeof tradeDataStatus> | null;
  gov: GovernanceTable;
}

/** `sql`: the assessor's customs inputs read from the store (AssessorCustoms), else they come from the index's trade table. */
export function gprInputs(index: DatasetIndex, materialId: string, assessor: Assessor, year: number, gov: GovernanceTable, sql?: AssessorCustoms): GprInputs {
  const pairs: GprInputs['pairs'] = [];
  const customs: GprCustomsPair[] = [];
  const missing: GprInputs['missing'] = [];
  const trade = assessor.kind === 'eu' ? null : sql ? assessorTradeStatus(sql, materialId) : tradeDataStatus(index, materialId, assessor);
  for (const st of EU_STAGES) {
    const global = globalSupply(index, materialId, st, year);
    if (assessor.kind === 'eu') {
      const imports = euSourcing(index, materialId, st, year);
      if (global && imports) pairs.push({ global, imports });
      continue;
    }
    if (trade !== 'loaded') continue;
    const c = sql ? assessorCustomsLookup(sql, materialId, st) : customsImports(index, materialId, st, assessor, year);
    if (!c.imports) missing.push({ stage: st, reason: c.reason });
    else if (!global) missing.push({ stage: st, reason: `imports held (${c.imports.year}) but no global supply shares at this stage for ${year}` });
    else customs.push({ global, trade: c.imports, own: ownProduction(index, materialId, st, assessor, c.imports.year, global) });
  }
  return { materialId, assessor, year, pairs, customs, missing, trade, gov };
}

const pvDraw = (gov: GovernanceTable, c: string, s: Sampler): number => {
  const g = gov.pvRisk.get(c);
  return g
    ? s.value({ key: `pv|${c}`, value: g.value, u: { kind: 'normal', sd: g.sd, min: 0, max: 1 } })
    : s.value({ key: `pv|${c}`, value: 0.5, u: { kind: 'uniform', min: 0.2, max: 0.8 } });
};

/** Producers standing in for imports not attributed to a partner: global supply outside the assessor and the named partners. */
function restMix(p: GprCustomsPair, own: Set<string>): SupplyTable['rows'] {
  const named = new Set(p.trade.partners.map((x) => x.countryId));
  return p.global.rows.filter((r) => r.share > 0 && !own.has(r.countryId) && !named.has(r.countryId));
}

/** g of the imports not attributed to a partner: share-weighted WGI-PV of the other producers (default 0.5 when there are none). */
function restG(p: GprCustomsPair, x: GprInputs, s: Sampler): number {
  const mix = restMix(p, new Set(x.assessor.members));
  const w = mix.reduce((a, r) => a + r.share, 0);
  if (!(w > 0)) return s.value({ key: `pv|rest|${x.materialId}|${p.global.stage}`, value: 0.5, u: { kind: 'uniform', min: 0.2, max: 0.8 } });
  return mix.reduce((a, r) => a + r.share * pvDraw(x.gov, r.countryId, s), 0) / w;
}

/** Σ g_i·f_Ai/(p_A + F_A) from customs imports (t), with the unattributed remainder at g_rest. */
function customsImportRisk(p: GprCustomsPair, x: GprInputs, s: Sampler, gRest?: number): number {
  const denom = p.own.tonnes + p.trade.totalKg / 1000;
  if (!(denom > 0)) return Number.NaN;
  const named = p.trade.partners.reduce((a, r) => a + pvDraw(x.gov, r.countryId, s) * (r.kg / 1000), 0);
  const rest = p.trade.unattributedKg > 0 ? (gRest ?? restG(p, x, s)) * (p.trade.unattributedKg / 1000) : 0;
  return (named + rest) / denom;
}

export function gprCompute(x: GprInputs, s: Sampler = new Sampler()): GeoPolRiskStage[] {
  const own = new Set(x.assessor.members);
  const eu = x.pairs.map(({ global, imports }) => {
    const hhi = hhiOf(global);
    const importRisk = imports.rows.filter((r) => !own.has(r.countryId)).reduce((a, r) => a + pvDraw(x.gov, r.countryId, s) * r.share, 0);
    return { stage: global.stage, hhi, importRisk, score: hhi * importRisk, imports: 'eu-sourcing' as const };
  });
  const customs = x.customs
    .map((p) => {
      const hhi = hhiOf(p.global);
      const importRisk = customsImportRisk(p, x, s);
      return { stage: p.global.stage, hhi, importRisk, score: hhi * importRisk, imports: 'customs' as const };
    })
    .filter((r) => isNum(r.score));
  return [...eu, ...customs];
}

const tonnes = (kg: number) => kg / 1000;
const fmtT = (t: number) => (t >= 100 ? Math.round(t).toLocaleString('en-US') : t.toLocaleString('en-US', { maximumFractionDigits: 1 }));
const pctText = (x: number) => (x > 0 && x < 0.001 ? '<0.1 %' : `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`);
const stageName = (st: Stage) => (st === 'mining' ? 'extraction' : st === 'refining' ? 'processing' : st);

function customsInputs(p: GprCustomsPair, x: GprInputs, risk: number | undefined): InputUsed[] {
  const t = p.trade;
  const st = p.global.stage;
  const F = tonnes(t.totalKg);
  const denom = p.own.tonnes + F;
  const yearNote = t.year === t.requestedYear ? `${t.year}` : `${t.year} (latest year ≤ ${t.requestedYear} with imports by partner)`;
  const partnersText = t.partners.length
    ? t.partners
        .slice(0, 6)
        .map((r) => `${r.countryId} ${fmtT(tonnes(r.kg))} t (${pctText(tonnes(r.kg) / denom)})`)
        .join(', ') + (t.partners.length > 6 ? `, +${t.partners.length - 6} more` : '')
    : '—';
  const out: InputUsed[] = [
    {
      input: 'imports by partner f_Ai (customs)',
      stage: st,
      value: partnersText,
      status: t.codes.some((c) => c.wide) ? 'proxy' : 'data',
      source: t.source,
      note: `${t.reporters.join(', ')} imports, ${yearNote}; ${t.codes.map((c) => c.rule).join('; ')}; customs net weight of the product (not contained metal), kg ÷ 1000; share of p_A + F_A in brackets${
        t.codes.some((c) => c.wide)
          ? `; proxy: ${t.codes
              .filter((c) => c.wide)
              .map((c) => `HS ${c.hsCode}`)
              .join(', ')} also cover${t.codes.filter((c) => c.wide).length === 1 ? 's' : ''} other materials or forms`
          : ''
      }${t.excluded.length ? `; not counted: ${t.excluded.join('; ')}` : ''}`,
    },
    {
      input: 'total imports F_A',
      stage: st,
      value: round(F, 1),
      status: t.codes.some((c) => c.wide) ? 'proxy' : 'data',
      source: t.source,
      note: `t; ${t.codes.map((c) => `HS ${c.hsCode}: ${c.reporters.map((r) => `${t.reporters.length > 1 || c.reporters.length > 1 ? `${r.reporterId} ` : ''}${r.from === 'world' ? `"World" row${r.intraKg > 0 ? ` minus ${fmtT(tonnes(r.intraKg))} t from members` : ''}` : 'sum of partners ("World" not reported)'} ${fmtT(tonnes(r.totalKg))} t`).join(', ')}`).join('; ')}${t.notes.length ? `; ${t.notes.join('; ')}` : ''}`,
    },
    { input: 'own production p_A', stage: st, value: round(p.own.tonnes, 1), status: p.own.status, source: p.own.source, note: `t; ${p.own.note}` },
  ];
  if (t.unattributedKg > 0) {
    const mix = restMix(p, new Set(x.assessor.members));
    const point = new Sampler();
    const g = restG(p, x, point);
    const lo = customsImportRisk(p, x, point, 0);
    const hi = customsImportRisk(p, x, point, 1);
    out.push({
      input: 'imports not attributed to a partner',
      stage: st,
      value: `${fmtT(tonnes(t.unattributedKg))} t (${pctText(tonnes(t.unattributedKg) / F)} of F_A)`,
      status: mix.length ? 'proxy' : 'default',
      source: mix.length ? p.global.source : defaultCitation(),
      note: `F_A − Σ f_Ai: the trade data names ${t.partners.map((r) => r.countryId).join(', ') || 'no partner'} besides "World"; ${
        mix.length
          ? `weighted like the other producers' global supply (${mix
              .slice(0, 4)
              .map((r) => r.countryId)
              .join(', ')}${mix.length > 4 ? ' …' : ''}), g = ${g.toFixed(3)}`
          : 'no other producer in the global table: g = 0.5 (default)'
      }; import risk with g = 0 for this part: ${lo.toFixed(4)}, with g = 1: ${hi.toFixed(4)}`,
    });
  }
  out.push({
    input: 'import risk Σ g_i·f_Ai/(p_A+F_A)',
    stage: st,
    value: round(risk, 4),
    status: 'derived',
    source: citeDocument(DOCS.geopolrisk),
    note: `p_A + F_A = ${fmtT(p.own.tonnes)} + ${fmtT(F)} t; HHI of global supply ${hhiOf(p.global).toFixed(4)} (${p.global.source.text})`,
  });
  return out;
}

export function gprResult(x: GprInputs): GeoPolRiskResult {
  const stages = gprCompute(x);
  const best = stages.reduce<(typeof stages)[number] | null>((a, b) => (!a || b.score > a.score ? b : a), null);
  const name = getMaterial(x.materialId)?.name ?? x.materialId;
  const label = x.assessor.label;
  const messages: string[] = [];
  if (!stages.length) {
    if (x.assessor.kind === 'eu')
      messages.push(`${name}: GeoPolRisk not computed — input "import shares by partner" missing (no EU sourcing table with global supply for any stage)`);
    else if (x.trade === 'not-loaded')
      messages.push(
        `${name}: GeoPolRisk not computed — input "import shares by partner" missing for ${label} (bilateral trade data not loaded: chokepoint data import comtrade <path>)`,
      );
    else if (x.trade === 'no-imports')
      messages.push(
        `${name}: GeoPolRisk not computed — input "import shares by partner" missing for ${label} (bilateral trade data loaded, but no imports of ${name} reported by ${label})`,
      );
    else
      messages.push(
        `${name}: GeoPolRisk not computed — input "import shares by partner" missing for ${label}: ${x.missing.map((m) => `${stageName(m.stage)}: ${m.reason}`).join('; ') || 'no stage has both imports and global supply shares'}`,
      );
  } else for (const m of x.missing) messages.push(`${name}: GeoPolRisk (${stageName(m.stage)}) not computed — ${m.reason}`);
  const own = new Set(x.assessor.members);
  const noPv = new Set<string>();
  const defaulted: string[] = [];
  for (const p of x.pairs) for (const r of p.imports.rows) if (!own.has(r.countryId) && !x.gov.pvRisk.has(r.countryId)) noPv.add(`WGI-PV ${r.countryId}`);
  for (const p of x.customs) {
    const st = stageName(p.global.stage);
    const mix = p.trade.unattributedKg > 0 ? restMix(p, own) : [];
    for (const c of [...p.trade.partners.map((r) => r.countryId), ...mix.map((r) => r.countryId)]) if (!x.gov.pvRisk.has(c)) noPv.add(`WGI-PV ${c}`);
    if (p.own.status === 'default') defaulted.push(`own production p_A (${st}) (0 t)`);
    if (p.trade.unattributedKg > 0 && !mix.length) defaulted.push(`g of imports not attributed to a partner (${st}) (0.5)`);
    if (p.trade.unattributedKg > 0)
      messages.push(
        `${name}: GeoPolRisk (${st}) — ${pctText(p.trade.unattributedKg / p.trade.totalKg)} of ${label}'s imports (${p.trade.year}) not attributed to a partner in the trade data (partners named: ${p.trade.partners.map((r) => r.countryId).join(', ')}); that part is weighted like the other producers' global supply`,
      );
    const partial = p.trade.codes.filter((c) => c.totalFrom === 'partners' && c.partnersKg > 0);
    if (partial.length)
      messages.push(
        `${name}: GeoPolRisk (${st}) — "World" total of ${partial.map((c) => `HS ${c.hsCode}`).join(', ')} not reported for ${p.trade.year}: F_A counts only the partners listed, so their share is overstated`,
      );
    if (x.assessor.kind === 'group' && p.trade.silent.length)
      messages.push(`${name}: GeoPolRisk (${st}) — no imports reported by ${p.trade.silent.join(', ')} in ${p.trade.year}: not counted`);
  }
  const point = new Map(stages.map((s) => [`${s.imports}|${s.stage}`, s.importRisk]));
  const tradeMissing: InputUsed[] =
    x.assessor.kind === 'eu'
      ? []
      : x.trade !== 'loaded'
        ? [
            {
              input: 'imports by partner f_Ai (customs)',
              stage: null,
              value: null,
              status: 'missing',
              source: noteCitation('UN Comtrade (chokepoint data import comtrade <path>)', 'missing'),
              note: x.trade === 'not-loaded' ? 'bilateral trade data not loaded' : `trade data loaded, but no imports of ${name} reported by ${label}`,
            },
          ]
        : x.missing.map((m) => ({
            input: 'imports by partner f_Ai (customs)',
            stage: m.stage,
            value: null,
            status: 'missing' as const,
            source: noteCitation('UN Comtrade (bilateral trade flows loaded)', 'missing'),
            note: m.reason,
          }));
  return {
    method: 'geopolrisk',
    materialId: x.materialId,
    material: name,
    assessor: x.assessor.id,
    year: x.year,
    score: round(best?.score, 4),
    stage: best?.stage ?? null,
    stages: stages.map((s) => {
      const c = s.imports === 'customs' ? x.customs.find((p) => p.global.stage === s.stage) : undefined;
      const out: GeoPolRiskStage = {
        stage: s.stage,
        hhi: round(s.hhi, 4)!,
        importRisk: round(s.importRisk, 4)!,
        score: round(s.score, 4)!,
        imports: s.imports,
      };
      if (c)
        out.customs = {
          year: c.trade.year,
          partners: c.trade.partners.map((r) => ({ countryId: r.countryId, tonnes: round(tonnes(r.kg), 3)! })),
          totalImports: round(tonnes(c.trade.totalKg), 3)!,
          unattributed: round(tonnes(c.trade.unattributedKg), 3)!,
          ownProduction: round(c.own.tonnes, 3)!,
        };
      return out;
    }),
    partial:
      !stages.length ||
      noPv.size > 0 ||
      defaulted.length > 0 ||
      x.missing.length > 0 ||
      x.customs.some((p) => p.trade.unattributedKg > 0 || p.own.status === 'default' || (x.assessor.kind === 'group' && p.trade.silent.length > 0)),
    inputs: [
      ...x.pairs.map((p) => ({
        input: 'import shares by partner (EU sourcing)',
        stage: p.global.stage,
        value: `${p.imports.rows.length} partners`,
        status: 'data' as const,
        source: p.imports.source,
        note: 'f_Ai/(p_A+F_A) = partner share of EU sourcing; EU member states = own production, no risk',
      })),
      ...x.customs.flatMap((p) => customsInputs(p, x, point.get(`customs|${p.global.stage}`))),
      ...tradeMissing,
      {
        input: 'g_i',
        stage: null,
        value: 'WGI Political Stability rescaled 0-1',
        status: 'data',
        source: x.gov.source,
        note: citeDocument(DOCS.geopolrisk).text,
      },
    ],
    defaulted: [...[...noPv].map((c) => `${c} (0.5)`), ...defaulted],
    messages,
  };
}
