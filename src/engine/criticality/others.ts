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
 *   Stability rescaled 0-1, f_Ai imports from i, p_A own production, F_A total imports. With the EU sourcing table
 *   (own production + imports) f_Ai/(p_A + F_A) is partner i's sourcing share; own production carries no risk.
 *   No import shares by partner for other assessors (trade data not loaded) → missing.
 */
import { getMaterial } from '../../model/materials.ts';
import type { Stage } from '../../model/schema.ts';
import type { DatasetIndex } from '../dataset.ts';
import { DOCS, DOE_BANDS, DOE_WEIGHTS, EU_DEFAULTS } from '../../data/criticality-parameters.ts';
import { FIXED, Sampler, isNum, round, type InputUsed, type Param } from './common.ts';
import { cleanEnergyShare, euSourcing, globalSupply, netImportReliance, projectedSupply, type Assessor, type GovernanceTable, type SupplyTable } from './inputs.ts';
import { EU_STAGES } from './eu.ts';

const citeText = (c: { document: string; locator: string }) => `${c.document}, ${c.locator}`;

const wgiParam = (gov: GovernanceTable, c: string): Param => {
  const g = gov.scaled.get(c);
  return g
    ? { key: `wgi|${c}`, value: g.value, status: 'data', source: gov.source, u: { kind: 'normal', sd: g.sd, min: 0, max: 10 } }
    : { key: `wgi|${c}`, value: EU_DEFAULTS.wgi.value, status: 'default', source: 'default', u: { kind: 'uniform', min: EU_DEFAULTS.wgi.range[0], max: EU_DEFAULTS.wgi.range[1] } };
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
    gov,
  };
}

function doeTerm(x: DoeInputs, tables: SupplyTable[], energy: DoeInputs['energyShort'], s: Sampler): DoeTerm {
  const own = new Set(x.assessor.members);
  const W = DOE_WEIGHTS;
  const hhi = tables.length ? Math.max(...tables.map(hhiOf)) * 10_000 : null;
  const pol = tables.length ? Math.max(...tables.map((t) => weightedWgi(t, x.gov, own, s))) : null;
  const supplyInd: DoeIndicator[] = [
    { indicator: 'basic availability', weight: W.supplyRisk.basicAvailability, score: null, basis: 'missing: needs supply/demand growth assessment (expert input)' },
    { indicator: 'competing technology demand', weight: W.supplyRisk.competingDemand, score: null, basis: 'missing: needs non-energy demand growth (expert input)' },
    { indicator: 'political, regulatory and social factors', weight: W.supplyRisk.politicalRegulatorySocial, score: pol === null ? null : scoreBand(pol, DOE_BANDS.politicalWgi), basis: pol === null ? 'missing: no supply shares' : `share-weighted scaled WGI ${pol.toFixed(2)} (bands ${DOE_BANDS.politicalWgi.join('/')})` },
    { indicator: 'co-dependence on other markets', weight: W.supplyRisk.codependence, score: null, basis: 'missing: by-product (companionality) shares not in our data' },
    { indicator: 'producer diversity', weight: W.supplyRisk.producerDiversity, score: hhi === null ? null : scoreBand(hhi, DOE_BANDS.producerDiversityHhi), basis: hhi === null ? 'missing: no supply shares' : `max stage HHI ${Math.round(hhi)} (bands ${DOE_BANDS.producerDiversityHhi.join('/')})` },
  ];
  const impInd: DoeIndicator[] = [
    { indicator: 'energy demand', weight: W.importance.energyDemand, score: energy ? scoreBand(energy.share, DOE_BANDS.energyDemandShare) : null, basis: energy ? `clean-energy share of demand ${(energy.share * 100).toFixed(0)} % (${energy.year}${energy.scenario ? ` ${energy.scenario}` : ''})` : 'missing: no clean-energy demand split for this material' },
    { indicator: 'substitutability limitations', weight: W.importance.substitutability, score: null, basis: 'missing: expert input' },
  ];
  const importance = weighted(impInd);
  const supplyRisk = weighted(supplyInd);
  return { importance: round(importance, 2), supplyRisk: round(supplyRisk, 2), class: doeClass(importance, supplyRisk), indicators: [...supplyInd, ...impInd] };
}

export function doeCompute(x: DoeInputs, s: Sampler = new Sampler()): { short: DoeTerm; medium: DoeTerm } {
  return { short: doeTerm(x, x.short, x.energyShort, s), medium: doeTerm(x, x.medium, x.energyMedium ?? x.energyShort, s) };
}

export function doeResult(x: DoeInputs): DoeResult {
  const { short, medium } = doeCompute(x);
  const name = getMaterial(x.materialId)?.name ?? x.materialId;
  const messages: string[] = [];
  if (!x.short.length) messages.push(`${name}: DOE supply risk not computed — input "global supply shares" missing`);
  if (!x.energyShort) messages.push(`${name}: DOE importance to energy not computed — input "clean-energy demand share" missing`);
  const inputs: InputUsed[] = [
    ...x.short.map((t) => ({ input: 'global supply shares (short term)', stage: t.stage, value: `HHI ${Math.round(hhiOf(t) * 10_000)}`, status: 'data' as const, source: t.source })),
    ...(x.mediumFromProjection ? x.medium.map((t) => ({ input: 'projected supply shares (medium term)', stage: t.stage, value: `HHI ${Math.round(hhiOf(t) * 10_000)} (${t.year})`, status: 'data' as const, source: t.source })) : []),
    ...(x.energyShort ? [{ input: 'clean-energy demand share', stage: null, value: round(x.energyShort.share, 3), status: 'data' as const, source: x.energyShort.source, note: `${x.energyShort.year}` }] : []),
    { input: 'indicator weights', stage: null, value: 'importance 0.75/0.25; supply 0.4/0.1/0.2/0.1/0.2', status: 'published', source: citeText(DOCS.doe2023) },
  ];
  const defaulted = [
    ...(x.mediumFromProjection ? [] : x.short.length ? ['medium-term supply shares (current shares used)'] : []),
    ...missingWgi(x.gov, x.short, new Set(x.assessor.members)),
  ];
  return { method: 'doe', materialId: x.materialId, material: name, assessor: x.assessor.id, year: x.year, shortTerm: short, mediumTerm: medium, partial: true, inputs, defaulted, messages };
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
  if (nir) te = { key: `te|${assessor.id}|${materialId}`, value: nir.value, status: 'data', source: nir.source, note: `USGS NIR ${nir.year}: ${nir.note}`, u: FIXED };
  else if (tables.length) {
    const ownShare = Math.max(...tables.map((t) => t.rows.filter((r) => own.has(r.countryId)).reduce((a, r) => a + r.share, 0)));
    if (assessor.kind === 'eu') {
      const src = EU_STAGES.map((st) => euSourcing(index, materialId, st, year)).filter((t): t is SupplyTable => !!t);
      if (src.length) {
        const dom = Math.min(...src.map((t) => t.rows.filter((r) => own.has(r.countryId)).reduce((a, r) => a + r.share, 0)));
        te = { key: `te|${assessor.id}|${materialId}`, value: Math.max(0, 1 - dom), status: 'derived', source: src[0].source, note: '1 − EU member states\' share of EU sourcing (least domestic stage)', u: FIXED };
      }
    }
    if (!te && ownShare === 0) te = { key: `te|${assessor.id}|${materialId}`, value: 1, status: 'derived', source: tables[0].source, note: 'no own production listed: trade exposure 1', u: FIXED };
    if (!te) te = { key: `te|${assessor.id}|${materialId}`, value: EU_DEFAULTS.ir.value, status: 'default', source: 'default', note: EU_DEFAULTS.ir.note, u: { kind: 'uniform', min: 0, max: 1 } };
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
    ...(x.te ? [{ input: 'trade exposure (net import reliance)', stage: null, value: round(x.te.value, 3), status: x.te.status, source: x.te.source, note: x.te.note }] : []),
    { input: 'economic vulnerability', stage: null, value: null, status: 'missing' as const, source: citeText(DOCS.usgs2022), note: 'needs commodity expenditure and net operating surplus of using industries' },
  ];
  const defaulted = [...(x.te?.status === 'default' ? ['trade exposure'] : []), ...missingWgi(x.gov, x.tables, new Set(x.assessor.members))];
  const partialScore = isNum(p.dp) && isNum(p.te) ? p.dp * p.te : null;
  return { method: 'usgs', materialId: x.materialId, material: name, assessor: x.assessor.id, year: x.year, disruptionPotential: round(p.dp, 3), tradeExposure: round(p.te, 3), economicVulnerability: null, partialScore: round(partialScore, 3), score: null, stage: p.stage, partial: true, inputs, defaulted, messages };
}

// ---------------------------------------------------------------------------------------------------------------
// GeoPolRisk
// ---------------------------------------------------------------------------------------------------------------

export interface GeoPolRiskResult {
  method: 'geopolrisk';
  materialId: string;
  material: string;
  assessor: string;
  year: number;
  score: number | null;
  stage: Stage | null;
  stages: Array<{ stage: Stage; hhi: number; importRisk: number; score: number }>;
  partial: boolean;
  inputs: InputUsed[];
  defaulted: string[];
  messages: string[];
}

export interface GprInputs {
  materialId: string;
  assessor: Assessor;
  year: number;
  pairs: Array<{ global: SupplyTable; imports: SupplyTable }>;
  gov: GovernanceTable;
}

export function gprInputs(index: DatasetIndex, materialId: string, assessor: Assessor, year: number, gov: GovernanceTable): GprInputs {
  const pairs: GprInputs['pairs'] = [];
  for (const st of EU_STAGES) {
    const global = globalSupply(index, materialId, st, year);
    const imports = assessor.kind === 'eu' ? euSourcing(index, materialId, st, year) : null;
    if (global && imports) pairs.push({ global, imports });
  }
  return { materialId, assessor, year, pairs, gov };
}

export function gprCompute(x: GprInputs, s: Sampler = new Sampler()): Array<{ stage: Stage; hhi: number; importRisk: number; score: number }> {
  const own = new Set(x.assessor.members);
  return x.pairs.map(({ global, imports }) => {
    const hhi = hhiOf(global);
    const importRisk = imports.rows
      .filter((r) => !own.has(r.countryId))
      .reduce((a, r) => {
        const g = x.gov.pvRisk.get(r.countryId);
        const gi = g ? s.value({ key: `pv|${r.countryId}`, value: g.value, u: { kind: 'normal', sd: g.sd, min: 0, max: 1 } }) : s.value({ key: `pv|${r.countryId}`, value: 0.5, u: { kind: 'uniform', min: 0.2, max: 0.8 } });
        return a + gi * r.share;
      }, 0);
    return { stage: global.stage, hhi, importRisk, score: hhi * importRisk };
  });
}

export function gprResult(x: GprInputs): GeoPolRiskResult {
  const stages = gprCompute(x);
  const best = stages.reduce<(typeof stages)[number] | null>((a, b) => (!a || b.score > a.score ? b : a), null);
  const name = getMaterial(x.materialId)?.name ?? x.materialId;
  const messages: string[] = [];
  if (!stages.length) {
    messages.push(
      x.assessor.kind === 'eu'
        ? `${name}: GeoPolRisk not computed — input "import shares by partner" missing (no EU sourcing table with global supply for any stage)`
        : `${name}: GeoPolRisk not computed — input "import shares by partner" missing for ${x.assessor.label} (bilateral trade data not loaded)`,
    );
  }
  const own = new Set(x.assessor.members);
  const noPv = new Set<string>();
  for (const p of x.pairs) for (const r of p.imports.rows) if (!own.has(r.countryId) && !x.gov.pvRisk.has(r.countryId)) noPv.add(`WGI-PV ${r.countryId}`);
  return {
    method: 'geopolrisk',
    materialId: x.materialId,
    material: name,
    assessor: x.assessor.id,
    year: x.year,
    score: round(best?.score, 4),
    stage: best?.stage ?? null,
    stages: stages.map((s) => ({ stage: s.stage, hhi: round(s.hhi, 4)!, importRisk: round(s.importRisk, 4)!, score: round(s.score, 4)! })),
    partial: !stages.length || noPv.size > 0,
    inputs: [
      ...x.pairs.map((p) => ({ input: 'import shares by partner (EU sourcing)', stage: p.global.stage, value: `${p.imports.rows.length} partners`, status: 'data' as const, source: p.imports.source, note: 'f_Ai/(p_A+F_A) = partner share of EU sourcing; EU member states = own production, no risk' })),
      { input: 'g_i', stage: null, value: 'WGI Political Stability rescaled 0-1', status: 'data', source: x.gov.source, note: citeText(DOCS.geopolrisk) },
    ],
    defaulted: [...noPv].map((c) => `${c} (0.5)`),
    messages,
  };
}
