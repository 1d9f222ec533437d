/**
 * EU JRC criticality method (Blengini et al. 2017 guidelines; used for the 2020 and 2023 EU lists), for any
 * assessing country or bloc.
 *
 *   HHI_WGI,t = Σ_c s_c² · WGI_c · t_c                      (shares as fractions, WGI scaled 0-10, 10 = worst)
 *   SR = [HHI_WGI,t(GS) · IR/2 + HHI_WGI,t(sourcing) · (1 − IR/2)] · (1 − EoL_RIR) · SI_SR
 *   EI = Σ_s A_s · Q_s / max_s Q_s · 10 · SI_EI              (A_s end-use share mapped to NACE sector s, Q_s its value added)
 *   critical ⇔ SR ≥ 1.0 and EI ≥ 2.8
 * SR is computed for extraction (mining) and processing (refining); the published SR is the higher (bottleneck).
 * Shares as fractions put HHI_WGI,t on the published 0-10 scale: gallium processing, China 93.8 % of supply with a
 * scaled WGI near 5.6 gives 0.938²·5.6 ≈ 4.9, the order of the published SR 3.9 once EU sourcing enters.
 *
 * Assessor rules (documented in docs/criticality.md):
 *  - EU: the official method. Sourcing = the EU sourcing table (domestic production + imports). Where the 2023 data
 *    have no EU sourcing for a stage, the global supply mix stands in for it (the JRC practice for missing EU
 *    sourcing data), so SR = HHI_WGI,t(GS) and IR drops out. IR is the published value where we hold one, else derived
 *    from the sourcing table as 1 − (share of EU member states in EU sourcing).
 *  - Any other country or bloc ("viewed as"): own production is treated as secure (its terms are removed from both
 *    HHIs); t < 1 (the EU's trade-agreement discount) is reset to 1, export-restriction t > 1 kept; with no sourcing
 *    table the assessor's sourcing is constructed as (1 − IR) own production + IR imports in proportion to the
 *    other countries' global shares; IR from USGS net import reliance where available (USA), 1 where the assessor
 *    produces nothing at the stage, else the default 0.5 (flagged). EoL-RIR, SI and EI use EU values as proxies.
 */
import { citeDocument, defaultCitation, type Citation } from '../../model/provenance.ts';
import { getMaterial } from '../../model/materials.ts';
import { countryName } from '../../model/countries.ts';
import type { Stage } from '../../model/schema.ts';
import type { DatasetIndex } from '../dataset.ts';
import { DOCS, EU_DEFAULTS, EU_GROUPS, EU_THRESHOLDS, euGroupOf, publishedEuParam, type EuMaterialParams } from '../../data/criticality-parameters.ts';
import { FIXED, Sampler, band, isNum, mulberry32 as mulberry, round, type Band, type InputUsed, type Param } from './common.ts';
import {
  euCrmStages,
  euGlobalSupply,
  euSourcing,
  globalSupply,
  governanceTable,
  netImportReliance,
  type Assessor,
  type GovernanceTable,
  type SupplyTable,
} from './inputs.ts';

export const EU_STAGES: Stage[] = ['mining', 'refining'];

// ---------------------------------------------------------------------------------------------------------------
// Pure formulas
// ---------------------------------------------------------------------------------------------------------------

export interface HhiTerm {
  countryId: string;
  share: number;
  wgi: number;
  t: number;
}

/** HHI_WGI,t = Σ s² · WGI · t (JRC 2017, eq. for supply risk). */
export function hhiWgiT(terms: HhiTerm[]): number {
  return terms.reduce((a, x) => a + x.share * x.share * x.wgi * x.t, 0);
}

/** SR of one stage (JRC 2017): [HHI_GS·IR/2 + HHI_src·(1 − IR/2)]·(1 − EoL_RIR)·SI_SR. */
export function supplyRisk(x: { hhiGlobal: number; hhiSourcing: number; ir: number; eolRir: number; siSr: number }): number {
  return (x.hhiGlobal * (x.ir / 2) + x.hhiSourcing * (1 - x.ir / 2)) * (1 - x.eolRir) * x.siSr;
}

/** EI (JRC 2017): Σ A_s·Q_s / max Q · 10 · SI_EI. */
export function economicImportance(uses: Array<{ share: number; valueAdded: number }>, maxValueAdded: number, siEi: number): number {
  return (uses.reduce((a, u) => a + u.share * u.valueAdded, 0) / maxValueAdded) * 10 * siEi;
}

export const isCritical = (sr: number | null, ei: number | null): boolean | null => {
  if (isNum(sr) && sr < EU_THRESHOLDS.sr) return false;
  if (isNum(ei) && ei < EU_THRESHOLDS.ei) return false;
  if (isNum(sr) && isNum(ei)) return true;
  return null;
};

// ---------------------------------------------------------------------------------------------------------------
// End-use shares (EI input)
// ---------------------------------------------------------------------------------------------------------------

export interface UseShareRow {
  material: string;
  materialId: string | null;
  application: string;
  share: number;
  naceSector: string | null;
  valueAddedMEur: number | null;
}

export interface UseShareTable {
  byMaterial: Map<string, Array<{ application: string; share: number; sector: string; valueAdded: number }>>;
  unallocated: Map<string, number>; // "Other" (no NACE sector): not counted, as in the JRC method
  valueAdded: Map<string, number>;
  maxValueAdded: number;
  maxSector: string;
  warnings: string[];
  source: Citation;
}

/**
 * Builds the EI input from published end-use rows. Value added per NACE sector is the value most rows give for that
 * sector (the transcription misaligns a few cells); exact duplicate rows are dropped. Both are reported.
 */
export function useShareTable(rows: UseShareRow[], source: Citation = citeDocument(DOCS.euCrmData, 'data')): UseShareTable {
  const warnings: string[] = [];
  const votes = new Map<string, Map<number, number>>();
  for (const r of rows) {
    if (!r.naceSector || !isNum(r.valueAddedMEur)) continue;
    const m = votes.get(r.naceSector) ?? new Map<number, number>();
    m.set(r.valueAddedMEur, (m.get(r.valueAddedMEur) ?? 0) + 1);
    votes.set(r.naceSector, m);
  }
  const valueAdded = new Map<string, number>();
  for (const [sector, m] of votes) {
    const best = [...m].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0];
    valueAdded.set(sector, best[0]);
    if (m.size > 1)
      warnings.push(`value added of "${sector.slice(0, 40)}" differs between rows (${[...m.keys()].join(', ')} M€); ${best[0]} M€ (most rows) used`);
  }
  let maxValueAdded = 0;
  let maxSector = '';
  for (const [s, v] of valueAdded) if (v > maxValueAdded) [maxValueAdded, maxSector] = [v, s];
  const byMaterial: UseShareTable['byMaterial'] = new Map();
  const unallocated = new Map<string, number>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (!r.materialId) continue;
    const k = `${r.materialId}|${r.application}|${r.share}|${r.naceSector}`;
    if (seen.has(k)) {
      warnings.push(`${r.material}: duplicate end-use row "${r.application}" (${(r.share * 100).toFixed(0)} %) dropped`);
      continue;
    }
    seen.add(k);
    if (!r.naceSector) {
      unallocated.set(r.materialId, (unallocated.get(r.materialId) ?? 0) + r.share);
      continue;
    }
    const list = byMaterial.get(r.materialId) ?? [];
    list.push({ application: r.application, share: r.share, sector: r.naceSector, valueAdded: valueAdded.get(r.naceSector)! });
    byMaterial.set(r.materialId, list);
  }
  return { byMaterial, unallocated, valueAdded, maxValueAdded, maxSector, warnings, source };
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs of one material
// ---------------------------------------------------------------------------------------------------------------

export type SourcingKind = 'assessor' | 'group' | 'global-proxy' | 'constructed';

interface StageInputs {
  stage: Stage;
  global: SupplyTable;
  sourcing: SupplyTable | null;
  sourcingKind: SourcingKind;
  ir: Param;
}

export interface EuMaterialInputs {
  materialId: string;
  assessor: Assessor;
  stages: StageInputs[];
  eolRir: Param;
  siSr: Param;
  siEi: Param;
  uses: Array<{ application: string; share: number; sector: string; valueAdded: number }> | null;
  maxValueAdded: number;
  ownSecure: boolean;
  gov: GovernanceTable;
  inputs: InputUsed[];
  defaulted: string[];
  messages: string[];
}

function paramFrom(key: string, name: keyof EuMaterialParams, materialId: string, year: number, assessor: Assessor): { p: Param; inherited: boolean } | null {
  const pub = publishedEuParam(materialId, name);
  if (!pub) return null;
  const inherited = pub.group !== null;
  const proxy = pub.edition !== year || assessor.kind !== 'eu' || inherited;
  const why = [
    pub.edition !== year ? `EU ${pub.edition} value` : null,
    assessor.kind !== 'eu' ? 'EU value used for another assessor' : null,
    inherited ? `value of the group ${pub.group}` : null,
  ]
    .filter(Boolean)
    .join('; ');
  return {
    p: {
      key,
      value: pub.value,
      status: proxy ? 'proxy' : 'published',
      source: citeDocument(pub.document, proxy ? 'proxy' : 'published'),
      note: [why, pub.note].filter(Boolean).join('; ') || undefined,
      u: FIXED,
    },
    inherited,
  };
}

export interface EuOptions {
  year: number;
  /** End-use table for EI (EU 2023 Appendix 6); without it EI is missing. */
  uses?: UseShareTable | null;
  /** Treat the assessor's own production as secure. Default: false for the EU (official method), true otherwise. */
  ownSecure?: boolean;
  gov?: GovernanceTable;
}

export function euInputs(index: DatasetIndex, materialId: string, assessor: Assessor, opts: EuOptions): EuMaterialInputs {
  const year = opts.year;
  const gov = opts.gov ?? governanceTable(index, year);
  const ownSecure = opts.ownSecure ?? assessor.kind !== 'eu';
  const own = new Set(assessor.members);
  const name = getMaterial(materialId)?.name ?? materialId;
  const inputs: InputUsed[] = [];
  const defaulted: string[] = [];
  const messages: string[] = [];
  const def = (input: string, stage: Stage | null, value: number, note: string) => {
    defaulted.push(stage ? `${input} (${stage})` : input);
    inputs.push({ input, stage, value, status: 'default', source: defaultCitation('see docs/criticality.md'), note });
  };

  const stages: StageInputs[] = [];
  // The EU assessment defines which stages it assessed: where its tables hold the material, a stage they leave out is
  // not assessed (never filled from a production series of another source).
  const euStages = assessor.kind === 'eu' ? euCrmStages(index, materialId, year) : [];
  for (const stage of EU_STAGES) {
    if (euStages.length && !euStages.includes(stage)) {
      inputs.push({
        input: 'global supply shares',
        stage,
        value: null,
        status: 'missing',
        source: citeDocument(DOCS.euCrmData, 'missing'),
        note: `the EU ${year} assessment tables give ${name} at ${euStages.join(' and ')} only: this stage is not assessed`,
      });
      continue;
    }
    let global = euStages.length ? euGlobalSupply(index, materialId, stage, year) : globalSupply(index, materialId, stage, year);
    let sourcingOnly = false;
    if (!global && euStages.includes(stage)) {
      // The EU tables give only the EU sourcing at this stage (aggregates, xenon): the sourcing mix is the only supply
      // mix the assessment published, so it stands in for global supply too (SR = HHI of EU sourcing; IR drops out).
      const src = euSourcing(index, materialId, stage, year);
      if (src) {
        global = { ...src, scope: 'global' };
        sourcingOnly = true;
      }
    }
    if (!global) continue;
    inputs.push({
      input: 'global supply shares',
      stage,
      value: global.rows
        .slice(0, 3)
        .map((r) => `${r.countryId} ${(r.share * 100).toFixed(1)}%`)
        .join(', '),
      status: sourcingOnly ? 'proxy' : 'data',
      source: global.source,
      note: sourcingOnly
        ? `no global supply table for ${name} at this stage in the EU ${year} tables: the EU sourcing mix (${global.rows.length} countries) stands in`
        : `${global.rows.length} countries`,
    });
    if (!global.tFromData) def('trade variable t (global)', stage, 1, 'no t in the supply table: 1 (JRC default)');

    let sourcing: SupplyTable | null = null;
    let kind: SourcingKind;
    if (assessor.kind === 'eu') {
      sourcing = euSourcing(index, materialId, stage, year);
      kind = 'assessor';
      const g = euGroupOf(materialId);
      if (!sourcing && g) {
        sourcing = euSourcing(index, g, stage, year);
        if (sourcing) {
          kind = 'group';
          inputs.push({
            input: 'EU sourcing shares',
            stage,
            value: `group ${g}`,
            status: 'proxy',
            source: sourcing.source,
            note: `no EU sourcing for ${name}; the ${g.toUpperCase()} group table is used`,
          });
        }
      }
      if (!sourcing) {
        kind = 'global-proxy';
        inputs.push({
          input: 'EU sourcing shares',
          stage,
          value: 'global supply used',
          status: 'proxy',
          source: citeDocument(DOCS.jrc2017),
          note: 'no EU sourcing data for this stage: the global supply mix stands in for it (JRC practice), so IR drops out',
        });
      } else if (kind === 'assessor') {
        inputs.push({
          input: 'EU sourcing shares',
          stage,
          value: sourcing.rows
            .slice(0, 3)
            .map((r) => `${r.countryId} ${(r.share * 100).toFixed(1)}%`)
            .join(', '),
          status: 'data',
          source: sourcing.source,
        });
      }
    } else kind = 'constructed';

    // Import reliance
    let ir: Param;
    const irKey = `ir|${assessor.id}|${materialId}|${stage}`;
    const published = assessor.kind === 'eu' ? paramFrom(irKey, 'ir', materialId, year, assessor) : null;
    if (published) ir = published.p;
    else if (assessor.kind === 'eu' && sourcing) {
      const domestic = sourcing.rows.filter((r) => own.has(r.countryId)).reduce((a, r) => a + r.share, 0);
      ir = {
        key: irKey,
        value: Math.min(1, Math.max(0, 1 - domestic)),
        status: 'derived',
        source: sourcing.source,
        note: `1 − EU member states' share of EU sourcing (${(domestic * 100).toFixed(1)} %); ignores exports, so it can understate IR for net exporters`,
        u: { kind: 'uniform', min: Math.max(0, 1 - domestic - 0.1), max: Math.min(1, 1 - domestic + 0.1) },
      };
    } else if (assessor.kind === 'eu') {
      ir = {
        key: irKey,
        value: EU_DEFAULTS.ir.value,
        status: 'default',
        source: defaultCitation('not used: no EU sourcing'),
        note: 'no EU sourcing: IR drops out of SR',
        u: FIXED,
      };
    } else {
      const nir = assessor.kind === 'country' ? netImportReliance(index, assessor.id, materialId, year) : null;
      const ownShare = global.rows.filter((r) => own.has(r.countryId)).reduce((a, r) => a + r.share, 0);
      if (nir) ir = { key: irKey, value: nir.value, status: 'data', source: nir.source, note: `USGS net import reliance ${nir.year}: ${nir.note}`, u: FIXED };
      else if (ownShare === 0)
        ir = {
          key: irKey,
          value: 1,
          status: 'derived',
          source: global.source,
          note: `${assessor.label} has no listed ${stage} production: import reliance 1`,
          u: { kind: 'uniform', min: 0.9, max: 1 },
        };
      else {
        ir = {
          key: irKey,
          value: EU_DEFAULTS.ir.value,
          status: 'default',
          source: defaultCitation(),
          note: `${EU_DEFAULTS.ir.note}; ${assessor.label} produces ${(ownShare * 100).toFixed(1)} % of world ${stage}`,
          u: { kind: 'uniform', min: EU_DEFAULTS.ir.range[0], max: EU_DEFAULTS.ir.range[1] },
        };
      }
    }
    if (ir.status === 'default' && kind !== 'global-proxy') def('import reliance', stage, ir.value, ir.note ?? EU_DEFAULTS.ir.note);
    else if (kind !== 'global-proxy')
      inputs.push({ input: 'import reliance', stage, value: round(ir.value, 3), status: ir.status, source: ir.source, note: ir.note });

    // Governance coverage
    for (const table of [global, sourcing]) {
      if (!table) continue;
      for (const r of table.rows) {
        if (ownSecure && own.has(r.countryId)) continue;
        if (!gov.scaled.has(r.countryId) && r.share > 0) {
          const msg = `${name} [${stage}]: no WGI for ${r.countryId} (${countryName(r.countryId)}, ${(r.share * 100).toFixed(1)} % of ${table.scope === 'global' ? 'global supply' : 'sourcing'}) in ${gov.years[0]}-${gov.years[gov.years.length - 1]}: default ${EU_DEFAULTS.wgi.value}`;
          if (!messages.includes(msg)) {
            messages.push(msg);
            defaulted.push(`WGI ${r.countryId} (${stage})`);
          }
        }
      }
    }
    stages.push({ stage, global, sourcing, sourcingKind: kind, ir });
  }
  if (!stages.length) messages.push(`${name}: no supply shares for mining or refining in ${year} (input "global supply shares" missing): SR not computed`);

  const scalar = (nm: 'eolRir' | 'siSr' | 'siEi', label: string): Param => {
    const key = `${nm}|${materialId}`;
    const pub = paramFrom(key, nm, materialId, year, assessor);
    if (pub) {
      inputs.push({ input: label, stage: null, value: pub.p.value, status: pub.p.status, source: pub.p.source, note: pub.p.note });
      return pub.p;
    }
    const d = EU_DEFAULTS[nm];
    def(label, null, d.value, d.note);
    return { key, value: d.value, status: 'default', source: defaultCitation(), note: d.note, u: { kind: 'uniform', min: d.range[0], max: d.range[1] } };
  };
  const eolRir = scalar('eolRir', 'EoL-RIR');
  const siSr = scalar('siSr', 'SI_SR');
  const siEi = scalar('siEi', 'SI_EI');

  let uses: EuMaterialInputs['uses'] = null;
  const table = opts.uses ?? null;
  if (table?.byMaterial.has(materialId)) {
    uses = table.byMaterial.get(materialId)!;
    const other = table.unallocated.get(materialId) ?? 0;
    inputs.push({
      input: 'end-use shares × sector value added',
      stage: null,
      value: uses.map((u) => `${u.application} ${(u.share * 100).toFixed(0)}% → ${u.sector.slice(0, 3)}`).join('; '),
      status: assessor.kind === 'eu' ? 'data' : 'proxy',
      source: table.source,
      note: `max sector value added ${table.maxValueAdded} M€ (${table.maxSector.slice(0, 3)})${other ? `; "Other" ${(other * 100).toFixed(0)} % has no sector and is not counted` : ''}${assessor.kind === 'eu' ? '' : '; EU economy used as proxy'}`,
    });
  } else {
    messages.push(
      `${name}: EI not computed — input "end-use shares" missing${table ? ' (no rows for this material in the EU 2023 use-share table)' : ' (no use-share table given)'}`,
    );
  }

  inputs.push({
    input: 'WGI window',
    stage: null,
    value: `${gov.years[0]}-${gov.years[gov.years.length - 1]}`,
    status: 'data',
    source: gov.source,
    note: gov.note,
  });
  return { materialId, assessor, stages, eolRir, siSr, siEi, uses, maxValueAdded: table?.maxValueAdded ?? 0, ownSecure, gov, inputs, defaulted, messages };
}

// ---------------------------------------------------------------------------------------------------------------
// Computation (point or sampled)
// ---------------------------------------------------------------------------------------------------------------

export interface EuStageResult {
  stage: Stage;
  hhiGlobal: number;
  hhiSourcing: number;
  sourcing: SourcingKind;
  ir: number;
  sr: number;
  topRisk: Array<{ countryId: string; share: number; wgi: number; t: number; contribution: number }>;
}

export interface EuPoint {
  sr: number | null;
  ei: number | null;
  bottleneck: Stage | null;
  stages: EuStageResult[];
}

function terms(table: SupplyTable, x: EuMaterialInputs, s: Sampler, scale = 1): HhiTerm[] {
  const own = new Set(x.assessor.members);
  const out: HhiTerm[] = [];
  for (const r of table.rows) {
    if (x.ownSecure && own.has(r.countryId)) continue;
    const g = x.gov.scaled.get(r.countryId);
    const wgi = g
      ? s.value({ key: `wgi|${r.countryId}`, value: g.value, u: { kind: 'normal', sd: g.sd, min: 0, max: 10 } })
      : s.value({
          key: `wgi|${r.countryId}`,
          value: EU_DEFAULTS.wgi.value,
          u: { kind: 'uniform', min: EU_DEFAULTS.wgi.range[0], max: EU_DEFAULTS.wgi.range[1] },
        });
    const share =
      r.bound === 'upper'
        ? s.value({
            key: `share|${table.scope}|${table.materialId}|${table.stage}|${r.countryId}`,
            value: r.share,
            u: { kind: 'uniform', min: 0, max: r.share },
          })
        : r.share;
    const t = x.assessor.kind === 'eu' ? r.t : Math.max(1, r.t);
    out.push({ countryId: r.countryId, share: share * scale, wgi, t });
  }
  return out;
}

export function euCompute(x: EuMaterialInputs, s: Sampler = new Sampler()): EuPoint {
  const own = new Set(x.assessor.members);
  const eol = s.value(x.eolRir);
  const siSr = s.value(x.siSr);
  const stages: EuStageResult[] = [];
  for (const st of x.stages) {
    const ir = s.value(st.ir);
    const gTerms = terms(st.global, x, s);
    const hhiGlobal = hhiWgiT(gTerms);
    let hhiSourcing: number;
    let srcTerms: HhiTerm[];
    if (st.sourcing) {
      srcTerms = terms(st.sourcing, x, s);
      hhiSourcing = hhiWgiT(srcTerms);
    } else if (st.sourcingKind === 'constructed') {
      // (1 − IR) own production (secure) + IR imports in proportion to the other countries' global shares.
      const ownShare = st.global.rows.filter((r) => own.has(r.countryId)).reduce((a, r) => a + r.share, 0);
      const foreign = 1 - ownShare;
      srcTerms = foreign > 0 ? terms(st.global, x, s, ir / foreign).filter((t) => !own.has(t.countryId)) : [];
      hhiSourcing = hhiWgiT(srcTerms);
    } else {
      srcTerms = gTerms;
      hhiSourcing = hhiGlobal;
    }
    const sr = supplyRisk({ hhiGlobal, hhiSourcing, ir, eolRir: eol, siSr });
    if (!isNum(sr)) continue;
    const contrib = new Map<string, { countryId: string; share: number; wgi: number; t: number; contribution: number }>();
    const wG = ir / 2;
    const wS = st.sourcingKind === 'global-proxy' ? 0 : 1 - ir / 2;
    for (const [list, w] of [
      [gTerms, st.sourcingKind === 'global-proxy' ? 1 : wG],
      [srcTerms, wS],
    ] as const) {
      for (const t of list) {
        const c = contrib.get(t.countryId) ?? { countryId: t.countryId, share: t.share, wgi: t.wgi, t: t.t, contribution: 0 };
        c.contribution += w * t.share * t.share * t.wgi * t.t * (1 - eol) * siSr;
        contrib.set(t.countryId, c);
      }
    }
    stages.push({
      stage: st.stage,
      hhiGlobal,
      hhiSourcing,
      sourcing: st.sourcingKind,
      ir,
      sr,
      topRisk: [...contrib.values()].sort((a, b) => b.contribution - a.contribution).slice(0, 3),
    });
  }
  const best = stages.reduce<EuStageResult | null>((a, b) => (!a || b.sr > a.sr ? b : a), null);
  let ei: number | null = null;
  if (x.uses && x.maxValueAdded > 0) {
    const v = economicImportance(x.uses, x.maxValueAdded, s.value(x.siEi));
    ei = isNum(v) ? v : null;
  }
  return { sr: best ? best.sr : null, ei, bottleneck: best?.stage ?? null, stages };
}

// ---------------------------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------------------------

export interface EuResult {
  method: 'eu';
  materialId: string;
  material: string;
  assessor: string;
  year: number;
  sr: number | null;
  ei: number | null;
  bottleneck: Stage | null;
  critical: boolean | null; // null: undetermined (an input is missing)
  stages: Array<{
    stage: Stage;
    sr: number;
    hhiGlobal: number;
    hhiSourcing: number;
    sourcing: SourcingKind;
    ir: number;
    topRisk: Array<{ countryId: string; share: number; wgi: number; t: number; contribution: number }>;
  }>;
  members?: string[]; // group results: the members averaged
  partial: boolean;
  inputs: InputUsed[];
  defaulted: string[];
  messages: string[];
  /**
   * Monte Carlo 5/50/95 % of SR and EI. `note` says why the point lies outside its band when it does: the point uses
   * the conservative defaults (EoL-RIR 0, SI 1), the end of the ranges the band samples those unknown inputs from.
   */
  band: { sr: Band | null; ei: Band | null; note?: string } | null;
}

export function toEuResult(x: EuMaterialInputs, p: EuPoint, year: number): EuResult {
  const material = getMaterial(x.materialId)?.name ?? x.materialId;
  return {
    method: 'eu',
    materialId: x.materialId,
    material,
    assessor: x.assessor.id,
    year,
    sr: round(p.sr, 3),
    ei: round(p.ei, 3),
    bottleneck: p.bottleneck,
    critical: isCritical(p.sr, p.ei),
    stages: p.stages.map((s) => ({
      stage: s.stage,
      sr: round(s.sr, 3)!,
      hhiGlobal: round(s.hhiGlobal, 3)!,
      hhiSourcing: round(s.hhiSourcing, 3)!,
      sourcing: s.sourcing,
      ir: round(s.ir, 3)!,
      topRisk: s.topRisk.map((t) => ({
        countryId: t.countryId,
        share: round(t.share, 4)!,
        wgi: round(t.wgi, 2)!,
        t: t.t,
        contribution: round(t.contribution, 3)!,
      })),
    })),
    partial: p.sr === null || p.ei === null || x.defaulted.length > 0,
    inputs: x.inputs,
    defaulted: x.defaulted,
    messages: x.messages,
    band: null,
  };
}

/** Group result (LREE, HREE, PGM): mean of the members' SR and EI (our aggregation; see docs). */
export function euGroupResult(groupId: string, members: EuResult[], assessor: string, year: number): EuResult | null {
  const withSr = members.filter((m) => isNum(m.sr));
  if (!withSr.length) return null;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const sr = mean(withSr.map((m) => m.sr!));
  const ei = mean(members.filter((m) => isNum(m.ei)).map((m) => m.ei!));
  const stageCount = new Map<Stage, number>();
  for (const m of withSr) if (m.bottleneck) stageCount.set(m.bottleneck, (stageCount.get(m.bottleneck) ?? 0) + 1);
  const bottleneck = [...stageCount].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const srBands = members.map((m) => m.band?.sr).filter((b): b is Band => !!b);
  return {
    method: 'eu',
    materialId: groupId,
    material: getMaterial(groupId)?.name ?? groupId.toUpperCase(),
    assessor,
    year,
    sr: round(sr, 3),
    ei: round(ei, 3),
    bottleneck,
    critical: isCritical(sr, ei),
    stages: [],
    members: members.map((m) => m.materialId),
    partial: true,
    inputs: [
      {
        input: 'group members',
        stage: null,
        value: members.map((m) => `${m.materialId} SR ${m.sr ?? '—'} EI ${m.ei ?? '—'}`).join('; '),
        status: 'derived',
        source: citeDocument(EU_GROUPS[groupId]?.document ?? DOCS.euCrmData, 'data'),
        note: "group SR and EI = mean of the members with values (our aggregation: the report's group weighting is not in our sources)",
      },
    ],
    defaulted: [...new Set(members.flatMap((m) => m.defaulted.map((d) => `${m.materialId}: ${d}`)))],
    messages: members.flatMap((m) => m.messages),
    band: srBands.length
      ? {
          sr: {
            p5: round(mean(srBands.map((b) => b.p5)), 3)!,
            p50: round(mean(srBands.map((b) => b.p50)), 3)!,
            p95: round(mean(srBands.map((b) => b.p95)), 3)!,
            samples: srBands[0].samples,
          },
          ei: null,
          ...(members.some((m) => m.band?.note)
            ? {
                note: `mean of the members' bands; members whose point lies outside their band: ${members
                  .filter((m) => m.band?.note)
                  .map((m) => m.materialId)
                  .join(', ')} (conservative defaults EoL-RIR 0 / SI 1 in the point, sampled over their ranges in the band)`,
              }
            : {}),
        }
      : null,
  };
}

export interface EuRunOptions extends EuOptions {
  materials?: string[];
  samples?: number; // Monte Carlo iterations; 0 = none
  seed?: number;
}

const outside = (x: number | null, b: Band | null): 'above' | 'below' | null =>
  !isNum(x) || !b ? null : x > b.p95 + 1e-9 ? 'above' : x < b.p5 - 1e-9 ? 'below' : null;

/**
 * Why a point lies outside its own band. Unknown EoL-RIR and SI take their conservative default in the point (no
 * recycling or substitution credit) but are sampled over the span of published values in the band, so the point sits at
 * the high end of, or above, the band: a stated property of the defaults, not an error.
 */
export function bandNote(r: EuResult, x: EuMaterialInputs): string | null {
  if (!r.band) return null;
  const parts: string[] = [];
  for (const [label, point, b, params] of [
    ['SR', r.sr, r.band.sr, [x.eolRir, x.siSr]],
    ['EI', r.ei, r.band.ei, [x.siEi]],
  ] as const) {
    const side = outside(point, b);
    if (!side) continue;
    const defaults = params.filter((p) => p.status === 'default' && p.u.kind === 'uniform');
    const why = defaults.length
      ? `it uses the conservative default${defaults.length > 1 ? 's' : ''} ${defaults
          .map(
            (p) =>
              `${p.key.split('|')[0] === 'eolRir' ? 'EoL-RIR' : p.key.split('|')[0] === 'siSr' ? 'SI_SR' : 'SI_EI'} ${p.value} (sampled ${p.u.kind === 'uniform' ? `${p.u.min}-${p.u.max}` : ''})`,
          )
          .join(' and ')}, the end of the range the band samples`
      : 'sampled inputs (WGI, share bounds, import reliance) are skewed around their point values';
    parts.push(`point ${label} ${point} is ${side} its 5-95 % band (${b!.p5}-${b!.p95}): ${why}`);
  }
  return parts.length ? parts.join('; ') : null;
}

/** Run the EU method for a list of materials (and the rare-earth / PGM groups whose members are included). */
export function runEu(index: DatasetIndex, assessor: Assessor, materials: string[], opts: EuRunOptions): EuResult[] {
  const gov = opts.gov ?? governanceTable(index, opts.year);
  const ins = materials.map((m) => euInputs(index, m, assessor, { ...opts, gov }));
  const points = ins.map((x) => euCompute(x));
  const results = ins.map((x, i) => toEuResult(x, points[i], opts.year));
  const samples = opts.samples ?? 0;
  if (samples > 0) {
    const s = new Sampler(mulberry(opts.seed ?? 1));
    const sr: number[][] = ins.map(() => []);
    const ei: number[][] = ins.map(() => []);
    for (let k = 0; k < samples; k++) {
      s.next();
      ins.forEach((x, i) => {
        const p = euCompute(x, s);
        if (isNum(p.sr)) sr[i].push(p.sr);
        if (isNum(p.ei)) ei[i].push(p.ei);
      });
    }
    results.forEach((r, i) => {
      r.band = { sr: band(sr[i]), ei: band(ei[i]) };
      const note = bandNote(r, ins[i]);
      if (note) r.band.note = note;
    });
  }
  return results;
}
