/**
 * Criticality: the EU JRC, DOE 2023-style, USGS 2022-style and GeoPolRisk methods side by side for one assessing
 * country or bloc and year, with every input shown, defaults listed, uncertainty bands (seeded Monte Carlo) and a
 * comparison of the rankings that names the input behind each divergence. Pure: works on the in-memory index.
 */
import type { Citation } from '../../model/provenance.ts';
import { getMaterial } from '../../model/materials.ts';
import type { DatasetIndex } from '../dataset.ts';
import { EU_2023_CRITICAL_LIST, EU_GROUPS } from '../../data/criticality-parameters.ts';
import { CriticalityError, Sampler, band, isNum, mulberry32, round, type Band } from './common.ts';
import { euGroupResult, runEu, useShareTable, type EuResult, type UseShareRow, type UseShareTable } from './eu.ts';
import { governanceTable, hasEuCrmTables, materialsFor, resolveAssessor, type Assessor, type AssessorCustoms } from './inputs.ts';
import {
  doeCompute,
  doeInputs,
  doeResult,
  gprCompute,
  gprInputs,
  gprResult,
  usgsCompute,
  usgsInputs,
  usgsResult,
  type DoeResult,
  type GeoPolRiskResult,
  type UsgsResult,
} from './others.ts';

export * from './common.ts';
export * from './coverage.ts';
export * from './csv.ts';
export * from './eu.ts';
export * from './inputs.ts';
export * from './others.ts';
export * from './views.ts';

export const METHODS = ['eu', 'doe', 'usgs', 'geopolrisk'] as const;
export type Method = (typeof METHODS)[number];

export interface CriticalityOptions {
  method: Method | 'all';
  as: string;
  year: number;
  materials?: string[];
  samples?: number; // Monte Carlo iterations (0 = none)
  seed?: number;
  uses?: UseShareRow[] | UseShareTable | null;
  ownSecure?: boolean;
  /**
   * GeoPolRisk's customs inputs read from the store in SQL for this assessor and year (`storeAssessorCustoms`), so the
   * run needs no trade flow in JS; absent: read from the index's trade table.
   */
  customs?: AssessorCustoms;
}

export interface ComparisonRow {
  materialId: string;
  material: string;
  eu: { sr: number | null; ei: number | null; critical: boolean | null; bottleneck: string | null; srBand: Band | null } | null;
  doe: {
    importance: number | null;
    supplyRisk: number | null;
    class: string | null;
    /** Which axes have no scored indicator, when the class is not determined (reasons: doe[].shortTerm.undetermined). */
    undetermined: string | null;
    /** On the 2023 DOE Critical Materials List (the DOE's own result). */
    onDoeList: boolean;
    supplyRiskBand: Band | null;
  } | null;
  usgs: { partialScore: number | null; dp: number | null; te: number | null; band: Band | null } | null;
  geopolrisk: { score: number | null; band: Band | null } | null;
  ranks: Partial<Record<Method, number | null>>;
  spread: number | null; // max rank − min rank among methods with a rank
  driver: string | null;
  onOfficialEuList: boolean | null; // EU 2023 list (only for the EU assessor in 2023)
  defaulted: string[];
  messages: string[];
}

export interface CriticalityReport {
  assessor: Assessor;
  year: number;
  methods: Method[];
  wgi: { years: number[]; note: string; source: Citation };
  samples: number;
  seed: number;
  eu: EuResult[];
  doe: DoeResult[];
  usgs: UsgsResult[];
  geopolrisk: GeoPolRiskResult[];
  comparison: ComparisonRow[];
  warnings: string[];
}

/** Rank 1 = highest score; ties share the lower rank; null scores unranked. */
export function ranks(values: Array<number | null>): Array<number | null> {
  // 1 + how many are strictly greater: a binary search in the values sorted once (a count per value was quadratic in
  // materials: most of criticality's time at 8,400 materials).
  const desc = values.filter(isNum).sort((a, b) => b - a);
  return values.map((v) => (isNum(v) ? 1 + countWhere(desc, (w) => w > v) : null));
}

/** How many leading elements of `sorted` satisfy `pred`, which holds for a prefix of it (binary search). */
function countWhere(sorted: readonly number[], pred: (w: number) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(sorted[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const FACTOR_LABEL: Record<string, string> = {
  hhiGlobal: 'governance-weighted global concentration',
  hhiSourcing: "concentration of the assessor's sourcing",
  importReliance: 'import reliance / trade exposure',
  eolRir: 'recycling (EoL-RIR)',
  energyShare: 'clean-energy share of demand',
  importRisk: 'share of imports from politically unstable partners',
};
const METHOD_FACTORS: Record<Method, string[]> = {
  eu: ['hhiGlobal', 'hhiSourcing', 'importReliance', 'eolRir'],
  doe: ['hhiGlobal', 'energyShare'],
  usgs: ['hhiGlobal', 'importReliance'],
  geopolrisk: ['hhiGlobal', 'importRisk'],
};

export function runCriticality(index: DatasetIndex, opts: CriticalityOptions): CriticalityReport {
  if (!Number.isInteger(opts.year)) throw new CriticalityError('year', `year must be a whole number, got ${opts.year}`);
  const assessor = resolveAssessor(index, opts.as);
  const methods: Method[] = opts.method === 'all' ? [...METHODS] : [opts.method];
  const year = opts.year;
  const samples = Math.max(0, Math.min(5000, Math.floor(opts.samples ?? 0)));
  const seed = opts.seed ?? 1;
  const warnings: string[] = [];
  const gov = governanceTable(index, year);
  if (!gov.scaled.size)
    warnings.push(
      `no WGI governance data for ${gov.years[0]}-${gov.years[gov.years.length - 1]}: every country gets the default WGI (load the World Bank WGI file)`,
    );

  let materials = opts.materials ?? materialsFor(index, year);
  if (!materials.length)
    throw new CriticalityError(
      'year',
      `no supply shares or production by country for ${year}; the EU CRM tables are for 2023, USGS production for its data years`,
      'not_found',
    );
  // Expand requested groups (lree, hree, pgm) into their members; groups are re-assembled from them.
  const requestedGroups = Object.keys(EU_GROUPS).filter(
    (g) => materials.includes(g) || (!opts.materials && EU_GROUPS[g].members.some((m) => materials.includes(m))),
  );
  if (opts.materials?.includes('rare-earths')) requestedGroups.push('lree', 'hree');
  materials = [
    ...new Set(
      materials.flatMap((m) => (m === 'rare-earths' ? [...EU_GROUPS.lree.members, ...EU_GROUPS.hree.members] : EU_GROUPS[m] ? EU_GROUPS[m].members : [m])),
    ),
  ];
  const uses = opts.uses ? (Array.isArray(opts.uses) ? useShareTable(opts.uses) : opts.uses) : null;
  if (uses) warnings.push(...uses.warnings);
  if (!uses && methods.includes('eu')) warnings.push('no end-use share table given: EI not computed for any material');

  let eu: EuResult[] = [];
  // The EU method for the EU is the assessment of that year: without that year's EU CRM tables it cannot run (it
  // would silently become a different method on production data with no EU-sourcing term).
  const euYearMissing = methods.includes('eu') && assessor.kind === 'eu' && !hasEuCrmTables(index, year);
  if (euYearMissing) {
    const msg = `the EU method for the EU needs the EU CRM assessment tables of ${year} (supply shares, EU sourcing, t); the knowledge base holds none for ${year} (the EU CRM 2023 tables are loaded for 2023 only)`;
    if (opts.method === 'eu') throw new CriticalityError('year', msg, 'not_found');
    warnings.push(`EU method not run: ${msg}`);
  }
  if (methods.includes('eu') && !euYearMissing) {
    eu = runEu(index, assessor, materials, { year, uses, ownSecure: opts.ownSecure, gov, samples, seed });
    for (const g of new Set(requestedGroups)) {
      const members = eu.filter((r) => EU_GROUPS[g].members.includes(r.materialId));
      const gr = euGroupResult(g, members, assessor.id, year);
      if (gr) eu.push(gr);
    }
  }

  const doeIns = methods.includes('doe') ? materials.map((m) => doeInputs(index, m, assessor, year, gov)) : [];
  const usgsIns = methods.includes('usgs') ? materials.map((m) => usgsInputs(index, m, assessor, year, gov)) : [];
  if (opts.customs && (opts.customs.assessorId !== assessor.id || opts.customs.year !== year || assessor.kind !== 'country'))
    throw new Error(`customs inputs read for ${opts.customs.assessorId} ${opts.customs.year}, the run is for ${assessor.id} ${year}`);
  const gprIns = methods.includes('geopolrisk') ? materials.map((m) => gprInputs(index, m, assessor, year, gov, opts.customs)) : [];
  const doe = doeIns.map(doeResult);
  const usgs = usgsIns.map(usgsResult);
  const geopolrisk = gprIns.map(gprResult);

  // Monte Carlo for the other methods (the EU method sampled inside runEu, same seed).
  const bands = { doe: new Map<string, Band | null>(), usgs: new Map<string, Band | null>(), gpr: new Map<string, Band | null>() };
  if (samples > 0 && (doeIns.length || usgsIns.length || gprIns.length)) {
    const s = new Sampler(mulberry32(seed + 7919));
    const acc = { doe: new Map<string, number[]>(), usgs: new Map<string, number[]>(), gpr: new Map<string, number[]>() };
    const push = (m: Map<string, number[]>, k: string, v: number | null) => {
      if (!isNum(v)) return;
      const l = m.get(k) ?? [];
      l.push(v);
      m.set(k, l);
    };
    for (let k = 0; k < samples; k++) {
      s.next();
      for (const x of doeIns) push(acc.doe, x.materialId, doeCompute(x, s).short.supplyRisk);
      for (const x of usgsIns) {
        const p = usgsCompute(x, s);
        push(acc.usgs, x.materialId, isNum(p.dp) && isNum(p.te) ? p.dp * p.te : null);
      }
      for (const x of gprIns) {
        const st = gprCompute(x, s);
        push(acc.gpr, x.materialId, st.length ? Math.max(...st.map((y) => y.score)) : null);
      }
    }
    for (const [k, v] of acc.doe) bands.doe.set(k, band(v));
    for (const [k, v] of acc.usgs) bands.usgs.set(k, band(v));
    for (const [k, v] of acc.gpr) bands.gpr.set(k, band(v));
  }

  const comparison = compare({ methods, eu, doe, usgs, geopolrisk, bands, assessor, year });
  return {
    assessor,
    year,
    methods,
    wgi: { years: gov.years, note: gov.note, source: gov.source },
    samples,
    seed,
    eu,
    doe,
    usgs,
    geopolrisk,
    comparison,
    warnings,
  };
}

function compare(x: {
  methods: Method[];
  eu: EuResult[];
  doe: DoeResult[];
  usgs: UsgsResult[];
  geopolrisk: GeoPolRiskResult[];
  bands: { doe: Map<string, Band | null>; usgs: Map<string, Band | null>; gpr: Map<string, Band | null> };
  assessor: Assessor;
  year: number;
}): ComparisonRow[] {
  const ids = [...new Set([...x.eu, ...x.doe, ...x.usgs, ...x.geopolrisk].map((r) => r.materialId))].sort();
  const euBy = new Map(x.eu.map((r) => [r.materialId, r]));
  const doeBy = new Map(x.doe.map((r) => [r.materialId, r]));
  const usgsBy = new Map(x.usgs.map((r) => [r.materialId, r]));
  const gprBy = new Map(x.geopolrisk.map((r) => [r.materialId, r]));
  const score: Record<Method, (id: string) => number | null> = {
    eu: (id) => euBy.get(id)?.sr ?? null,
    doe: (id) => doeBy.get(id)?.shortTerm.supplyRisk ?? null,
    usgs: (id) => usgsBy.get(id)?.partialScore ?? null,
    geopolrisk: (id) => gprBy.get(id)?.score ?? null,
  };
  // Groups (LREE/HREE) have EU results only; rank individual materials to keep methods comparable.
  const rankable = ids.filter((id) => !EU_GROUPS[id]);
  const rk = new Map<Method, Map<string, number | null>>();
  for (const m of x.methods) {
    const r = ranks(rankable.map(score[m]));
    rk.set(m, new Map(rankable.map((id, i) => [id, r[i]])));
  }
  // Factor values per material, turned into percentiles for the driver explanation.
  const factor = (id: string): Record<string, number | null> => {
    const e = euBy.get(id);
    const st = e?.stages.find((s) => s.stage === e.bottleneck);
    return {
      hhiGlobal: st?.hhiGlobal ?? usgsBy.get(id)?.disruptionPotential ?? null,
      hhiSourcing: st?.hhiSourcing ?? null,
      importReliance: st?.ir ?? usgsBy.get(id)?.tradeExposure ?? null,
      eolRir: isNum(Number(e?.inputs.find((i) => i.input === 'EoL-RIR')?.value)) ? Number(e?.inputs.find((i) => i.input === 'EoL-RIR')?.value) : null,
      energyShare: (doeBy.get(id)?.inputs.find((i) => i.input === 'clean-energy demand share')?.value as number | undefined) ?? null,
      importRisk: gprBy.get(id)?.stages.find((s) => s.stage === gprBy.get(id)?.stage)?.importRisk ?? null,
    };
  };
  const factors = new Map(rankable.map((id) => [id, factor(id)]));
  // Each factor's values sorted once; a percentile is then a binary search (a scan per material was quadratic).
  const sortedFactor = new Map<string, number[]>();
  const pctile = (name: string, v: number | null): number | null => {
    if (!isNum(v)) return null;
    let all = sortedFactor.get(name);
    if (!all) {
      all = [...factors.values()]
        .map((f) => f[name])
        .filter(isNum)
        .sort((a, b) => a - b);
      sortedFactor.set(name, all);
    }
    if (all.length < 2) return null;
    return countWhere(all, (w) => w < v) / (all.length - 1);
  };
  const official = x.assessor.kind === 'eu' && x.year === 2023 ? new Set<string>(EU_2023_CRITICAL_LIST.materials) : null;

  return ids.map((id) => {
    const e = euBy.get(id);
    const d = doeBy.get(id);
    const u = usgsBy.get(id);
    const g = gprBy.get(id);
    const r: Partial<Record<Method, number | null>> = {};
    for (const m of x.methods) r[m] = rk.get(m)?.get(id) ?? null;
    const ranked = x.methods.filter((m) => isNum(r[m]));
    let spread: number | null = null;
    let driver: string | null = null;
    if (ranked.length >= 2) {
      const hi = ranked.reduce((a, b) => (r[b]! < r[a]! ? b : a));
      const lo = ranked.reduce((a, b) => (r[b]! > r[a]! ? b : a));
      spread = r[lo]! - r[hi]!;
      if (spread > 0) {
        const f = factors.get(id)!;
        const cands: Array<{ text: string; weight: number }> = [];
        for (const name of METHOD_FACTORS[hi].filter((n) => !METHOD_FACTORS[lo].includes(n))) {
          const p = pctile(name, f[name]);
          const high = name === 'eolRir' ? p !== null && 1 - p : p;
          if (isNum(high))
            cands.push({
              text: `${hi} ranks it higher: ${FACTOR_LABEL[name]} is ${name === 'eolRir' ? 'low' : 'high'} (${Math.round((name === 'eolRir' ? 1 - p! : p!) * 100)}th pct), which ${lo} does not use`,
              weight: high,
            });
        }
        for (const name of METHOD_FACTORS[lo].filter((n) => !METHOD_FACTORS[hi].includes(n))) {
          const p = pctile(name, f[name]);
          const low = name === 'eolRir' ? p : isNum(p) ? 1 - p : null;
          if (isNum(low))
            cands.push({
              text: `${lo} ranks it lower: ${FACTOR_LABEL[name]} is ${name === 'eolRir' ? 'high' : 'low'} (${Math.round(p! * 100)}th pct), which ${hi} does not use`,
              weight: low,
            });
        }
        driver = cands.sort((a, b) => b.weight - a.weight)[0]?.text ?? `${hi} vs ${lo}: same inputs, different weighting`;
      }
    }
    return {
      materialId: id,
      material: getMaterial(id)?.name ?? id.toUpperCase(),
      eu: e ? { sr: e.sr, ei: e.ei, critical: e.critical, bottleneck: e.bottleneck, srBand: e.band?.sr ?? null } : null,
      doe: d
        ? {
            importance: d.shortTerm.importance,
            supplyRisk: d.shortTerm.supplyRisk,
            class: d.shortTerm.class,
            // the axes only (each indicator's gap is in doe[].shortTerm.undetermined and the indicators)
            undetermined:
              d.shortTerm.undetermined
                ?.split(' | ')
                .map((a) => a.split(':')[0])
                .join('; ') ?? null,
            onDoeList: d.published.onList,
            supplyRiskBand: x.bands.doe.get(id) ?? null,
          }
        : null,
      usgs: u ? { partialScore: u.partialScore, dp: u.disruptionPotential, te: u.tradeExposure, band: x.bands.usgs.get(id) ?? null } : null,
      geopolrisk: g ? { score: g.score, band: x.bands.gpr.get(id) ?? null } : null,
      ranks: r,
      spread,
      driver,
      onOfficialEuList: official ? official.has(id) : null,
      defaulted: [...new Set([...(e?.defaulted ?? []), ...(d?.defaulted ?? []), ...(u?.defaulted ?? []), ...(g?.defaulted ?? [])])],
      messages: [...(e?.messages ?? []), ...(d?.messages ?? []), ...(u?.messages ?? []), ...(g?.messages ?? [])],
    };
  });
}

/**
 * The comparison with the official list that a report carries when it is the EU's own 2023 question (as the EU, 2023,
 * every material: a material filter would make "not on our list" meaningless); null otherwise.
 */
export function officialListComparisonOf(rep: CriticalityReport, materialFiltered: boolean): ReturnType<typeof compareWithOfficialList> | null {
  return rep.assessor.id === 'EU' && rep.year === 2023 && rep.eu.length > 0 && !materialFiltered ? compareWithOfficialList(rep.eu) : null;
}

/** Our EU-method critical list against the official 2023 list: agreements and differences. */
export function compareWithOfficialList(eu: EuResult[]): {
  both: string[];
  oursOnly: string[];
  officialOnly: Array<{ materialId: string; reason: string }>;
  undetermined: string[];
} {
  const official = new Set<string>(EU_2023_CRITICAL_LIST.materials);
  // Members of a group on the official list (LREE, HREE, PGM) count through their group.
  const inListedGroup = (m: string) => Object.entries(EU_GROUPS).some(([g, def]) => official.has(g) && def.members.includes(m));
  const ours = new Set(eu.filter((r) => r.critical === true && !inListedGroup(r.materialId)).map((r) => r.materialId));
  const by = new Map(eu.map((r) => [r.materialId, r]));
  const officialOnly = [...official]
    .filter((m) => !ours.has(m))
    .map((m) => {
      const r = by.get(m);
      let reason: string;
      if (!r) reason = 'not assessed: no supply shares for this id in our data';
      else if ((EU_2023_CRITICAL_LIST.strategicOnly as readonly string[]).includes(m))
        reason = `strategic raw material, below the SR threshold in the assessment too (ours SR ${r.sr})`;
      else if (r.critical === null) reason = `undetermined: ${r.messages[0] ?? 'an input is missing'}`;
      else reason = `ours SR ${r.sr ?? '—'} / EI ${r.ei ?? '—'} below a threshold`;
      return { materialId: m, reason };
    });
  return {
    both: [...ours].filter((m) => official.has(m)).sort(),
    oursOnly: [...ours].filter((m) => !official.has(m)).sort(),
    officialOnly,
    undetermined: eu
      .filter((r) => r.critical === null && !inListedGroup(r.materialId))
      .map((r) => r.materialId)
      .sort(),
  };
}

export { round };
