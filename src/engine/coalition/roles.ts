/**
 * Middle-power roles derived from the data, each with the rule that assigns it and the evidence (materials, shares,
 * years, sources), plus a country profile.
 *
 * Rules (thresholds are the named parameters of `ROLE_PARAMETERS`, overridable per call):
 *  - producer anchor:       mining share ≥ anchorMinShare of world output of at least one material, or among the
 *                           top 3 miners of ≥ anchorTop3Materials materials (latest historical year of each material),
 *                           or a miner (listed with output) of a material whose world reserves it holds ≥
 *                           anchorMinReserveShare of (USGS reserves: the resource base behind future output, e.g.
 *                           Morocco's phosphate rock, Kazakhstan's chromite);
 *  - processing hub:        refining share ≥ hubMinRefiningShare and either refining share − mining share ≥ hubMarginPts
 *                           or it refines a material it does not mine (mining share < hubNoMiningShare); mining and
 *                           refining from the same dataset and year where possible; a country missing from a mining
 *                           table with a world total mines at most the unattributed residual (used as its mining share,
 *                           so the margin is a lower bound); refined products are compared with their feedstock
 *                           (`FEEDSTOCK`: bauxite for alumina, aluminium and gallium; titanium minerals for titanium metal;
 *                           zinc ore for the by-products indium, germanium and cadmium; lead ore for bismuth);
 *                           materials with no mining data at all (sulfur, cement …) are not assessed;
 *  - value-capture climber: refining share up ≥ climbMinDeltaPts between two years of one series (reaching ≥
 *                           climbMinShare), or refining share ÷ mining share up by ≥ climbMinRatioGain (relative) with a
 *                           mining share ≥ hubNoMiningShare in both years — historical (first → latest year of the
 *                           series) and projected (IEA base case, climbFromYear → climbToYear, flagged as projection);
 *  - corridor convener:     party to ≥ convenerMinAgreements agreements of the registry whose counterparties span
 *                           ≥ convenerMinCamps of the camps in `convenerCamps` (default: G7/MSP/EU vs BRICS), or host
 *                           of ≥ convenerMinPartnerProjects projects with foreign partner finance or offtake.
 * Shares come from `concentrationRow` (the concentration report: published total as denominator, aggregates never
 * ranked). Pure: no I/O.
 */
import { countryName, getCountry } from '../../model/countries.ts';
import { getMaterial } from '../../model/materials.ts';
import { EU_2023_CRITICAL_LIST } from '../../data/criticality-parameters.ts';
import { emptyRegistry, type Agreement, type Project, type TradeMeasure } from '../../model/registry.ts';
import type { Stage } from '../../model/schema.ts';
import { concentrationRow, concentrationSweep, type ConcentrationRow } from '../concentration-report.ts';
import { cite, type Citation } from '../../model/provenance.ts';
import type { DatasetIndex } from '../dataset.ts';
import { CoalitionError } from './share.ts';

export interface RoleParameters {
  /** Producer anchor: minimum share of world mining output of one material (fraction). */
  anchorMinShare: number;
  /** Producer anchor: top-3 miner in at least this many materials. */
  anchorTop3Materials: number;
  /** Producer anchor: or a miner of a material (listed with output) holding at least this share of its world reserves. */
  anchorMinReserveShare: number;
  /** Processing hub: refining share must exceed mining share by this many points (fraction). */
  hubMarginPts: number;
  /** Processing hub: minimum refining share (fraction). */
  hubMinRefiningShare: number;
  /** Below this mining share a country "does not mine" the material (fraction). */
  hubNoMiningShare: number;
  /** Climber: minimum rise of the refining share between two years (fraction points). */
  climbMinDeltaPts: number;
  /** Climber: refining share at the later year at least this (fraction). */
  climbMinShare: number;
  /** Climber: minimum relative rise of refining share ÷ mining share (0.25 = +25%). */
  climbMinRatioGain: number;
  /** Projected climb: IEA base-case years compared. */
  climbFromYear: number;
  climbToYear: number;
  /** Convener: minimum number of agreements. */
  convenerMinAgreements: number;
  /** Convener: counterparties must span at least this many camps. */
  convenerMinCamps: number;
  /** Convener: or host at least this many projects with foreign partners. */
  convenerMinPartnerProjects: number;
  /** Camps for the convener rule: camp name → grouping ids whose members (or which, as a party) belong to it. */
  convenerCamps: Record<string, string[]>;
}

export const ROLE_PARAMETERS: RoleParameters = {
  anchorMinShare: 0.2,
  anchorTop3Materials: 3,
  anchorMinReserveShare: 0.2,
  hubMarginPts: 0.1,
  hubMinRefiningShare: 0.05,
  hubNoMiningShare: 0.01,
  climbMinDeltaPts: 0.03,
  climbMinShare: 0.02,
  climbMinRatioGain: 0.25,
  climbFromYear: 2024,
  climbToYear: 2035,
  convenerMinAgreements: 3,
  convenerMinCamps: 2,
  convenerMinPartnerProjects: 2,
  convenerCamps: { 'G7/MSP/EU': ['G7', 'MSP', 'EU27'], BRICS: ['BRICS_GP'] },
};

/**
 * Refined products whose ore is reported as another material: the hub rule compares a country's refining share with its
 * mining share of the feedstock. Bauxite → alumina → aluminium (USGS MCS Bauxite and Alumina, Aluminum); gallium is
 * recovered from the Bayer liquor of alumina refineries, i.e. from bauxite (USGS MCS Gallium); titanium sponge is made
 * from ilmenite / rutile concentrates (USGS MCS Titanium and Titanium Dioxide).
 */
export const FEEDSTOCK: Record<string, string> = {
  alumina: 'bauxite',
  aluminium: 'bauxite',
  gallium: 'bauxite',
  'titanium-metal': 'titanium-minerals',
  // By-products with no mine series of their own (USGS MCS Indium, Germanium, Cadmium: recovered mainly from zinc
  // concentrates at zinc smelters; USGS MCS Bismuth: mainly a by-product of lead ore processing). Without these the hub
  // rule could not assess them at all, and a smelting hub such as Korea's (indium, bismuth) was invisible.
  indium: 'zinc',
  germanium: 'zinc',
  cadmium: 'zinc',
  bismuth: 'lead',
};

/**
 * Materials the roles are assessed on by default: the official EU 2023 CRM list (COM(2023) 160; groups expanded to
 * their members), the USGS 2022 List of Critical Minerals (87 FR 10381) and the IEA's six focus minerals. A country is
 * not a "producer anchor" of the critical-minerals trade for mining iodine or zeolites; `scope: 'all'` assesses every
 * material with supply data.
 */
const USGS_2022_LIST = [
  'aluminium',
  'bauxite',
  'alumina',
  'antimony',
  'arsenic',
  'barite',
  'beryllium',
  'bismuth',
  'cerium',
  'chromium',
  'cobalt',
  'dysprosium',
  'erbium',
  'europium',
  'fluorspar',
  'gadolinium',
  'gallium',
  'germanium',
  'graphite',
  'hafnium',
  'holmium',
  'indium',
  'iridium',
  'lanthanum',
  'lithium',
  'lutetium',
  'magnesium',
  'magnesium-compounds',
  'manganese',
  'neodymium',
  'nickel',
  'niobium',
  'palladium',
  'platinum',
  'praseodymium',
  'rhodium',
  'ruthenium',
  'samarium',
  'scandium',
  'tantalum',
  'tellurium',
  'terbium',
  'thulium',
  'tin',
  'titanium',
  'titanium-minerals',
  'ilmenite',
  'rutile',
  'tungsten',
  'vanadium',
  'ytterbium',
  'yttrium',
  'zinc',
  'zirconium',
];
export const CRITICAL_SCOPE: ReadonlySet<string> = new Set(
  [...EU_2023_CRITICAL_LIST.materials, ...USGS_2022_LIST, 'copper', 'rare-earths', 'pgm']
    .flatMap((id) => [id, ...(getMaterial(id)?.members ?? [])])
    .filter((id) => getMaterial(id)),
);

/** The material list a roles run uses: the caller's, else the critical scope (or every material with `scope: 'all'`). */
function scopeMaterials(opts: { materials?: string[]; scope?: 'critical' | 'all' }): string[] | undefined {
  if (opts.materials) return opts.materials;
  return opts.scope === 'all' ? undefined : [...CRITICAL_SCOPE].sort();
}

export type RoleId = 'producer_anchor' | 'processing_hub' | 'value_capture_climber' | 'corridor_convener';

export function roleRules(p: RoleParameters = ROLE_PARAMETERS): Record<RoleId, string> {
  const pc = (x: number) => `${Math.round(x * 1000) / 10}%`;
  return {
    producer_anchor: `mining share ≥ ${pc(p.anchorMinShare)} of world output of ≥ 1 material, or top-3 miner of ≥ ${p.anchorTop3Materials} materials, or a miner holding ≥ ${pc(p.anchorMinReserveShare)} of world reserves of a material (latest historical year)`,
    processing_hub: `refining share ≥ ${pc(p.hubMinRefiningShare)} and (refining share − mining share ≥ ${Math.round(p.hubMarginPts * 1000) / 10} points, or mining share < ${pc(p.hubNoMiningShare)}); mining of the feedstock for alumina, aluminium, gallium (bauxite), titanium metal (ilmenite/rutile), indium, germanium, cadmium (zinc) and bismuth (lead); a country not listed mines at most the unattributed residual`,
    value_capture_climber: `refining share up ≥ ${Math.round(p.climbMinDeltaPts * 1000) / 10} points to ≥ ${pc(p.climbMinShare)}, or refining ÷ mining share up ≥ ${pc(p.climbMinRatioGain)} (mining ≥ ${pc(p.hubNoMiningShare)}), historical first → latest year or IEA base case ${p.climbFromYear} → ${p.climbToYear} (projection)`,
    corridor_convener: `party to ≥ ${p.convenerMinAgreements} registry agreements with counterparties in ≥ ${p.convenerMinCamps} camps (${Object.entries(
      p.convenerCamps,
    )
      .map(([k, v]) => `${k}: ${v.join('/')}`)
      .join('; ')}), or host of ≥ ${p.convenerMinPartnerProjects} projects with foreign partners`,
  };
}

export interface RoleEvidence {
  materialId?: string;
  material?: string;
  stage?: Stage;
  year?: number;
  fromYear?: number;
  share?: number;
  fromShare?: number;
  miningShare?: number | null;
  refiningShare?: number;
  rank?: number;
  projection?: boolean;
  agreementId?: string;
  projectId?: string;
  sourceIds: string[];
  text: string;
}

export interface CountryRole {
  role: RoleId;
  rule: string;
  evidence: RoleEvidence[];
}

export interface CountryRoles {
  countryId: string;
  country: string;
  roles: CountryRole[];
}

export interface RolesReport {
  parameters: RoleParameters;
  rules: Record<RoleId, string>;
  countries: CountryRoles[];
  gaps: string[];
  sources: Citation[];
}

export interface RolesOptions {
  parameters?: Partial<RoleParameters>;
  /** Only these countries in the output (the rules still use every country's data). */
  countries?: string[];
  /** Only these materials (default: the critical scope, `CRITICAL_SCOPE`). */
  materials?: string[];
  /** 'critical' (default): materials on the EU 2023, USGS 2022 or IEA lists; 'all': every material with supply data. */
  scope?: 'critical' | 'all';
}

// ---------------------------------------------------------------------------------------------------------------
// Stage shares, computed once per index
// ---------------------------------------------------------------------------------------------------------------

interface MaterialStages {
  materialId: string;
  mining: ConcentrationRow | null; // latest historical
  reserves: ConcentrationRow | null; // latest
  refining: ConcentrationRow | null; // latest historical
  /** Mining of the refining row's dataset and year (for the hub rule), else the latest mining row. */
  miningForHub: ConcentrationRow | null;
  /** First historical refining row of the refining row's dataset (for the historical climb). */
  refiningFirst: ConcentrationRow | null;
  miningFirst: ConcentrationRow | null;
  projFrom: { refining: ConcentrationRow | null; mining: ConcentrationRow | null };
  projTo: { refining: ConcentrationRow | null; mining: ConcentrationRow | null };
}

const memo = new WeakMap<DatasetIndex, Map<string, MaterialStages[]>>();

function datasetOf(index: DatasetIndex, r: ConcentrationRow): string {
  return index.source(r.source.sourceId).dataset;
}

function historicalYears(index: DatasetIndex, m: string, st: Stage, dataset: string): number[] {
  return index.years(m, st).filter((y) => index.rows(m, st, 'production', y).some((o) => o.scenario === null && index.source(o.sourceId).dataset === dataset));
}

function materialStages(index: DatasetIndex, materials: string[] | undefined, p: RoleParameters): MaterialStages[] {
  const key = `${(materials ?? []).join(',')}|${p.climbFromYear}|${p.climbToYear}`;
  let m = memo.get(index);
  if (!m) memo.set(index, (m = new Map()));
  const hit = m.get(key);
  if (hit) return hit;
  const mining = new Map(concentrationSweep(index, { stages: ['mining'], years: 'latest', materials }).map((r) => [r.materialId, r]));
  const refining = new Map(concentrationSweep(index, { stages: ['refining'], years: 'latest', materials }).map((r) => [r.materialId, r]));
  const reserves = new Map(concentrationSweep(index, { stages: ['reserves'], years: 'latest', materials }).map((r) => [r.materialId, r]));
  const feed = new Map<string, ConcentrationRow>();
  for (const [prod, ore] of Object.entries(FEEDSTOCK)) {
    if (materials && !materials.includes(prod)) continue;
    const r = mining.get(ore) ?? concentrationSweep(index, { stages: ['mining'], years: 'latest', materials: [ore] })[0];
    if (r) feed.set(prod, r);
  }
  const ids = [...new Set([...mining.keys(), ...refining.keys()])].sort();
  const out: MaterialStages[] = ids.map((id) => {
    const R = refining.get(id) ?? null;
    const M = mining.get(id) ?? null;
    let miningForHub = M ?? feed.get(id) ?? null;
    let refiningFirst: ConcentrationRow | null = null;
    let miningFirst: ConcentrationRow | null = null;
    if (R) {
      const ds = datasetOf(index, R);
      const same = concentrationRow(index, { materialId: id, stage: 'mining', year: R.year, dataset: ds });
      if (same && same.scenario === null) miningForHub = same;
      const ys = historicalYears(index, id, 'refining', ds);
      if (ys.length && ys[0] < R.year) {
        refiningFirst = concentrationRow(index, { materialId: id, stage: 'refining', year: ys[0], dataset: ds, basis: R.basis });
        const mf = concentrationRow(index, { materialId: id, stage: 'mining', year: ys[0], dataset: ds });
        miningFirst = mf && mf.scenario === null ? mf : null;
      }
    }
    const proj = (year: number) => {
      const pick = (stage: Stage) => {
        const r = concentrationRow(index, { materialId: id, stage, year, dataset: 'iea-cm', scenario: year > p.climbFromYear ? 'base' : undefined });
        return r && datasetOf(index, r) === 'iea-cm' ? r : null;
      };
      return { refining: pick('refining'), mining: pick('mining') };
    };
    return {
      materialId: id,
      mining: M,
      reserves: reserves.get(id) ?? null,
      refining: R,
      miningForHub,
      refiningFirst,
      miningFirst,
      projFrom: proj(p.climbFromYear),
      projTo: proj(p.climbToYear),
    };
  });
  if (m.size > 20) m.clear();
  m.set(key, out);
  return out;
}

const shareIn = (r: ConcentrationRow | null, c: string): number | null => (r ? (r.shares.find((s) => s.countryId === c)?.share ?? null) : null);
const pc = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const matName = (id: string) => getMaterial(id)?.name ?? id;

// ---------------------------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------------------------

function anchorEvidence(stages: MaterialStages[], c: string, p: RoleParameters): RoleEvidence[] | null {
  const big: RoleEvidence[] = [];
  const top3: RoleEvidence[] = [];
  for (const ms of stages) {
    const r = ms.mining;
    if (!r) continue;
    const i = r.shares.findIndex((s) => s.countryId === c);
    if (i < 0) continue;
    const s = r.shares[i];
    const ev: RoleEvidence = {
      materialId: ms.materialId,
      material: r.material,
      stage: 'mining',
      year: r.year,
      share: s.share,
      rank: i + 1,
      sourceIds: [r.source.sourceId],
      text: `${r.material} mining ${r.year}: ${pc(s.share)} of world output (rank ${i + 1})`,
    };
    if (s.share >= p.anchorMinShare) big.push(ev);
    else if (i < 3 && s.share > 0) top3.push(ev);
  }
  top3.sort((a, b) => (b.share ?? 0) - (a.share ?? 0));
  const top3Count = big.filter((e) => (e.rank ?? 99) <= 3).length + top3.length;
  // A producer with a large resource base: it mines the material (listed with output) and holds ≥ anchorMinReserveShare
  // of the world's reserves of it. Holding reserves without mining them does not make a producer.
  const reserveEv: RoleEvidence[] = [];
  for (const ms of stages) {
    const R = ms.reserves;
    const mined = shareIn(ms.mining, c);
    if (!R || mined === null || !(mined > 0)) continue;
    const i = R.shares.findIndex((s) => s.countryId === c);
    if (i < 0 || R.shares[i].share < p.anchorMinReserveShare) continue;
    reserveEv.push({
      materialId: ms.materialId,
      material: R.material,
      stage: 'reserves',
      year: R.year,
      share: R.shares[i].share,
      rank: i + 1,
      miningShare: mined,
      sourceIds: [...new Set([R.source.sourceId, ms.mining!.source.sourceId])],
      text: `${R.material} reserves ${R.year}: ${pc(R.shares[i].share)} of world reserves (rank ${i + 1}), and it mines ${pc(mined)} of world output (${ms.mining!.year})`,
    });
  }
  reserveEv.sort((a, b) => (b.share ?? 0) - (a.share ?? 0));
  const out = [...big.sort((a, b) => (b.share ?? 0) - (a.share ?? 0)), ...(top3Count >= p.anchorTop3Materials ? top3 : []), ...reserveEv];
  if (out.length) return out;
  return null;
}

function hubEvidence(index: DatasetIndex, stages: MaterialStages[], c: string, p: RoleParameters): RoleEvidence[] | null {
  const ev: RoleEvidence[] = [];
  for (const ms of stages) {
    const R = ms.refining;
    if (!R) continue;
    const rs = shareIn(R, c);
    if (rs === null || rs < p.hubMinRefiningShare) continue;
    const M = ms.miningForHub;
    // No mining data for the material (or its feedstock) anywhere: the rule cannot compare, so it does not apply.
    if (!M) continue;
    const msh = shareIn(M, c);
    // Not listed: the country mines at most the unattributed residual ("other countries") — and only in a series that
    // covers the world (a published total); USGS tables that split one material over several bases (boron) list each
    // country in one of them only, so there "not listed" says nothing.
    if (msh === null && M.totalBasis !== 'world_total') continue;
    // An unlisted country's output is bounded twice: by the residual, and (USGS world tables list the leading producers,
    // alphabetically, and put smaller ones in "Other countries") by the smallest listed producer. The tighter bound is
    // used and said in the evidence; it is an assumption about the publisher's listing convention (docs/coalitions.md §5).
    const smallestListed = M.shares.filter((x) => x.share > 0).reduce((a, x) => Math.min(a, x.share), Number.POSITIVE_INFINITY);
    const listingBound = msh === null && index.source(M.source.sourceId).dataset === 'usgs-mcs' && smallestListed < M.unallocatedShare;
    const mUpper = msh ?? (listingBound ? smallestListed : M.unallocatedShare);
    const margin = rs - mUpper;
    const doesNotMine = mUpper < p.hubNoMiningShare;
    if (margin >= p.hubMarginPts || doesNotMine) {
      const sameCell = M && M.year === R.year && M.source.sourceId === R.source.sourceId;
      ev.push({
        materialId: ms.materialId,
        material: R.material,
        stage: 'refining',
        year: R.year,
        refiningShare: rs,
        miningShare: msh,
        sourceIds: [...new Set([R.source.sourceId, ...(M ? [M.source.sourceId] : [])])],
        text:
          `${R.material} ${R.year}: refining ${pc(rs)} vs ${M.materialId !== ms.materialId ? `${M.material.toLowerCase()} (feedstock) ` : ''}mining ${
            msh === null
              ? listingBound
                ? `not listed (at most the smallest listed producer, ${pc(mUpper)}; ${pc(M.unallocatedShare)} unattributed)`
                : `not listed (at most the ${pc(M.unallocatedShare)} unattributed)`
              : pc(msh)
          }` +
          (M && !sameCell ? ` (mining ${M.year}, ${M.source.sourceId})` : '') +
          (doesNotMine ? ' — refines a material it does not (or barely) mine' : ` — at least ${(margin * 100).toFixed(1)} points above its mining share`),
      });
    }
  }
  return ev.length ? ev.sort((a, b) => (b.refiningShare ?? 0) - (a.refiningShare ?? 0)) : null;
}

function climbPair(
  ms: MaterialStages,
  c: string,
  p: RoleParameters,
  from: { refining: ConcentrationRow | null; mining: ConcentrationRow | null },
  to: { refining: ConcentrationRow | null; mining: ConcentrationRow | null },
  projection: boolean,
): RoleEvidence | null {
  if (!from.refining || !to.refining) return null;
  // Not listed in a year: 0 only when that year's series attributes (nearly) all supply to named countries; otherwise
  // the country may sit inside the residual and no change can be read.
  const listedOrZero = (r: ConcentrationRow) =>
    shareIn(r, c) ?? (r.totalBasis === 'world_total' && r.unallocatedShare <= 0.005 && !r.gaps.some((g) => g.countryId === c) ? 0 : null);
  const r0 = listedOrZero(from.refining);
  const r1 = listedOrZero(to.refining);
  if (r0 === null || r1 === null) return null;
  const m0 = shareIn(from.mining, c);
  const m1 = shareIn(to.mining, c);
  const delta = r1 - r0;
  const byShare = delta >= p.climbMinDeltaPts && r1 >= p.climbMinShare;
  const ratio0 = m0 !== null && m0 >= p.hubNoMiningShare ? r0 / m0 : null;
  const ratio1 = m1 !== null && m1 >= p.hubNoMiningShare ? r1 / m1 : null;
  const byRatio = ratio0 !== null && ratio1 !== null && ratio0 > 0 && ratio1 / ratio0 - 1 >= p.climbMinRatioGain && r1 >= p.climbMinShare;
  if (!byShare && !byRatio) return null;
  const parts = [`refining share ${pc(r0)} (${from.refining.year}) → ${pc(r1)} (${to.refining.year})`];
  if (ratio0 !== null && ratio1 !== null) parts.push(`refining ÷ mining share ${ratio0.toFixed(2)} → ${ratio1.toFixed(2)}`);
  return {
    materialId: ms.materialId,
    material: to.refining.material,
    stage: 'refining',
    fromYear: from.refining.year,
    year: to.refining.year,
    fromShare: r0,
    share: r1,
    projection,
    sourceIds: [...new Set([from.refining.source.sourceId, to.refining.source.sourceId])],
    text: `${to.refining.material}: ${parts.join('; ')}${projection ? ' — IEA base-case projection' : ''}`,
  };
}

function climberEvidence(stages: MaterialStages[], c: string, p: RoleParameters): RoleEvidence[] | null {
  const ev: RoleEvidence[] = [];
  for (const ms of stages) {
    if (ms.refiningFirst && ms.refining) {
      const e = climbPair(
        ms,
        c,
        p,
        { refining: ms.refiningFirst, mining: ms.miningFirst },
        { refining: ms.refining, mining: ms.miningForHub && ms.miningForHub.year === ms.refining.year ? ms.miningForHub : null },
        false,
      );
      if (e) ev.push(e);
    }
    const e2 = climbPair(ms, c, p, ms.projFrom, ms.projTo, true);
    if (e2) ev.push(e2);
  }
  return ev.length
    ? ev.sort((a, b) => Number(a.projection) - Number(b.projection) || (b.share ?? 0) - (b.fromShare ?? 0) - ((a.share ?? 0) - (a.fromShare ?? 0)))
    : null;
}

function campsOf(index: DatasetIndex, party: string, p: RoleParameters): string[] {
  const out: string[] = [];
  for (const [camp, groups] of Object.entries(p.convenerCamps)) {
    const gs = groups.map((g) => g.toLowerCase());
    if (gs.includes(party.toLowerCase())) out.push(camp);
    else if (index.data.groupings.some((g) => g.countryId === party && gs.includes(g.groupId.toLowerCase()))) out.push(camp);
  }
  return out;
}

function convenerEvidence(index: DatasetIndex, c: string, p: RoleParameters): RoleEvidence[] | null {
  const reg = index.data.registry ?? emptyRegistry();
  const agreements = reg.agreements.filter((a) => a.parties.includes(c));
  const camps = new Set<string>();
  const agEv: RoleEvidence[] = agreements.map((a) => {
    const counter = a.parties.filter((x) => x !== c);
    const cs = [...new Set(counter.flatMap((x) => campsOf(index, x, p)))];
    for (const k of cs) camps.add(k);
    return {
      agreementId: a.id,
      year: a.signed ? Number(a.signed.slice(0, 4)) : undefined,
      sourceIds: [a.sourceId],
      text: `${a.title} (${a.type}${a.signed ? `, ${a.signed}` : ''}) with ${counter.join(', ') || '—'}${cs.length ? ` [${cs.join(', ')}]` : ''}`,
    };
  });
  const projects = reg.projects.filter((x) => x.countryId === c && x.partners.some((pp) => pp.partnerId !== c));
  const prEv: RoleEvidence[] = projects.map((x) => ({
    projectId: x.id,
    materialId: x.materials[0],
    material: matName(x.materials[0]),
    stage: x.stage,
    sourceIds: [x.sourceId],
    text: `${x.name} (${x.materials.join(', ')}, ${x.stage}, ${x.status}): ${x.partners
      .filter((pp) => pp.partnerId !== c)
      .map((pp) => `${pp.partnerId} ${pp.role}`)
      .join('; ')}`,
  }));
  const byAgreements = agreements.length >= p.convenerMinAgreements && camps.size >= p.convenerMinCamps;
  const byProjects = projects.length >= p.convenerMinPartnerProjects;
  if (!byAgreements && !byProjects) return null;
  const head: RoleEvidence = {
    sourceIds: [],
    text: `${agreements.length} agreement(s) with counterparties in ${camps.size} camp(s) (${[...camps].join(', ') || 'none'}); ${projects.length} hosted project(s) with foreign partners`,
  };
  return [head, ...(byAgreements ? agEv : []), ...(byProjects ? prEv : [])];
}

export function countryRoles(
  index: DatasetIndex,
  countryId: string,
  opts: { parameters?: Partial<RoleParameters>; materials?: string[]; scope?: 'critical' | 'all' } = {},
): CountryRole[] {
  const p = { ...ROLE_PARAMETERS, ...opts.parameters };
  const rules = roleRules(p);
  const stages = materialStages(index, scopeMaterials(opts), p);
  const out: CountryRole[] = [];
  const a = anchorEvidence(stages, countryId, p);
  if (a) out.push({ role: 'producer_anchor', rule: rules.producer_anchor, evidence: a });
  const h = hubEvidence(index, stages, countryId, p);
  if (h) out.push({ role: 'processing_hub', rule: rules.processing_hub, evidence: h });
  const cl = climberEvidence(stages, countryId, p);
  if (cl) out.push({ role: 'value_capture_climber', rule: rules.value_capture_climber, evidence: cl });
  const cv = convenerEvidence(index, countryId, p);
  if (cv) out.push({ role: 'corridor_convener', rule: rules.corridor_convener, evidence: cv });
  return out;
}

/** Roles of every country with supply data (or of `countries`), with rules, evidence and sources. */
export function middlePowerRoles(index: DatasetIndex, opts: RolesOptions = {}): RolesReport {
  const p = { ...ROLE_PARAMETERS, ...opts.parameters };
  const materials = scopeMaterials(opts);
  const stages = materialStages(index, materials, p);
  const reg = index.data.registry ?? emptyRegistry();
  const candidates = new Set<string>();
  for (const ms of stages) {
    for (const r of [ms.mining, ms.refining, ms.projTo.refining]) for (const s of r?.shares ?? []) candidates.add(s.countryId);
  }
  for (const a of reg.agreements) for (const x of a.parties) if (getCountry(x)?.kind === 'country') candidates.add(x);
  for (const x of reg.projects) if (getCountry(x.countryId)?.kind === 'country') candidates.add(x.countryId);
  const wanted = opts.countries?.map((c) => c.toUpperCase());
  const ids = (wanted ?? [...candidates]).sort();
  const countries: CountryRoles[] = [];
  const usedSources = new Set<string>();
  for (const c of ids) {
    const roles = countryRoles(index, c, { parameters: p, materials });
    if (!roles.length && !wanted) continue;
    for (const r of roles) for (const e of r.evidence) for (const s of e.sourceIds) usedSources.add(s);
    countries.push({ countryId: c, country: countryName(c), roles });
  }
  const gaps: string[] = [];
  if (!opts.materials && opts.scope !== 'all')
    gaps.push(
      'Materials assessed: the EU 2023 CRM list, the USGS 2022 critical minerals list and the IEA focus minerals (scope=all for every material with supply data).',
    );
  if (!reg.agreements.length && !reg.projects.length)
    gaps.push(
      'The registry has no agreements or projects: the corridor-convener role cannot be assigned (load a registry: chokepoint data import registry <file>).',
    );
  gaps.push(
    'Shares are of world production (USGS MCS; IEA for stages USGS lacks), not of trade: a hub that refines imported ore is visible, who supplies it is not.',
  );
  const sources: Citation[] = [];
  for (const id of usedSources) {
    const s = index.data.sources.get(id);
    if (s) sources.push(cite(s));
  }
  return { parameters: p, rules: roleRules(p), countries, gaps, sources };
}

// ---------------------------------------------------------------------------------------------------------------
// Country profile
// ---------------------------------------------------------------------------------------------------------------

export interface CountryProfile {
  countryId: string;
  country: string;
  region: string | null;
  subregion: string | null;
  production: Array<{
    materialId: string;
    material: string;
    stage: Stage;
    year: number;
    value: number;
    unit: string;
    basis: string;
    share: number;
    rank: number;
    producers: number;
    sourceId: string;
    source: string;
  }>;
  projections: Array<{ materialId: string; material: string; stage: Stage; year: number; share: number; rank: number; sourceId: string }>;
  memberships: Array<{ groupId: string; groupName: string; asOf: string | null; sourceId: string }>;
  agreements: Array<Agreement & { via: string }>;
  measures: Array<TradeMeasure & { relation: 'imposed' | 'targeted' | 'imposed by a bloc it belongs to' }>;
  projects: Array<Project & { relation: 'host' | 'partner' }>;
  roles: CountryRole[];
  rules: Record<RoleId, string>;
  gaps: string[];
  sources: Citation[];
}

export function countryProfile(
  index: DatasetIndex,
  iso3: string,
  opts: { parameters?: Partial<RoleParameters>; projectionYear?: number } = {},
): CountryProfile {
  const id = iso3.toUpperCase();
  const c = getCountry(id);
  if (!c || c.kind !== 'country') throw new CoalitionError('iso3', `"${iso3}" is not an ISO3 country code`, 'not_found');
  const p = { ...ROLE_PARAMETERS, ...opts.parameters };
  const stages = materialStages(index, undefined, p);
  const production: CountryProfile['production'] = [];
  const projections: CountryProfile['projections'] = [];
  const used = new Set<string>();
  for (const ms of stages) {
    for (const r of [ms.mining, ms.refining]) {
      if (!r) continue;
      const i = r.shares.findIndex((s) => s.countryId === id);
      if (i < 0) continue;
      const s = r.shares[i];
      used.add(r.source.sourceId);
      production.push({
        materialId: r.materialId,
        material: r.material,
        stage: r.stage,
        year: r.year,
        value: s.value,
        unit: r.unit,
        basis: r.basis,
        share: s.share,
        rank: i + 1,
        producers: r.producers,
        sourceId: r.source.sourceId,
        source: r.source.text,
      });
    }
    const py = opts.projectionYear ?? p.climbToYear;
    for (const st of ['mining', 'refining'] as Stage[]) {
      const r =
        py === p.climbToYear
          ? st === 'mining'
            ? ms.projTo.mining
            : ms.projTo.refining
          : concentrationRow(index, { materialId: ms.materialId, stage: st, year: py, dataset: 'iea-cm', scenario: 'base' });
      if (!r || r.scenario === null) continue;
      const i = r.shares.findIndex((s) => s.countryId === id);
      if (i < 0) continue;
      used.add(r.source.sourceId);
      projections.push({
        materialId: r.materialId,
        material: r.material,
        stage: st,
        year: r.year,
        share: r.shares[i].share,
        rank: i + 1,
        sourceId: r.source.sourceId,
      });
    }
  }
  production.sort((a, b) => b.share - a.share);
  projections.sort((a, b) => b.share - a.share);

  const memberships = index.data.groupings
    .filter((g) => g.countryId === id)
    .map((g) => ({ groupId: g.groupId, groupName: g.groupName, asOf: g.asOf, sourceId: g.sourceId }));
  const groupIds = new Set(memberships.map((m) => m.groupId.toUpperCase()));
  const isEu = groupIds.has('EU27');
  // Groupings that list the EU itself (X-EU) reach EU member states through it.
  if (isEu) for (const g of index.data.groupings.filter((x) => x.countryId === 'X-EU')) groupIds.add(g.groupId.toUpperCase());
  for (const m of memberships) used.add(m.sourceId);

  const reg = index.data.registry ?? emptyRegistry();
  const agreements = reg.agreements
    .map((a) => {
      if (a.parties.includes(id)) return { ...a, via: 'party' };
      const g = a.parties.find((x) => groupIds.has(x.toUpperCase()) || (x === 'EU' && isEu));
      return g ? { ...a, via: `through ${g}` } : null;
    })
    .filter((x): x is Agreement & { via: string } => x !== null)
    .sort((a, b) => (b.signed ?? '').localeCompare(a.signed ?? ''));
  const measures = reg.measures
    .map((m) => {
      if (m.countryId === id) return { ...m, relation: 'imposed' as const };
      if (m.targets.includes(id) || m.targets.some((t) => groupIds.has(t.toUpperCase()))) return { ...m, relation: 'targeted' as const };
      if (groupIds.has(m.countryId.toUpperCase())) return { ...m, relation: 'imposed by a bloc it belongs to' as const };
      return null;
    })
    .filter((x): x is TradeMeasure & { relation: 'imposed' | 'targeted' | 'imposed by a bloc it belongs to' } => x !== null);
  const projects = reg.projects
    .map((x) =>
      x.countryId === id ? { ...x, relation: 'host' as const } : x.partners.some((pp) => pp.partnerId === id) ? { ...x, relation: 'partner' as const } : null,
    )
    .filter((x): x is Project & { relation: 'host' | 'partner' } => x !== null);
  for (const r of [...agreements, ...measures, ...projects]) used.add(r.sourceId);

  const roles = countryRoles(index, id, { parameters: p });
  for (const r of roles) for (const e of r.evidence) for (const s of e.sourceIds) used.add(s);
  const gaps: string[] = [];
  if (!production.length) gaps.push(`No mining or refining figures for ${c.name} in the knowledge base (or its output sits in "other countries").`);
  if (!reg.agreements.length && !reg.measures.length && !reg.projects.length) gaps.push('The registry (agreements, measures, projects) is empty.');
  const sources: Citation[] = [];
  for (const s of used) {
    const src = index.data.sources.get(s);
    if (src) sources.push(cite(src));
  }
  return {
    countryId: id,
    country: c.name,
    region: c.region,
    subregion: c.subregion,
    production,
    projections,
    memberships,
    agreements,
    measures,
    projects,
    roles,
    rules: roleRules(p),
    gaps,
    sources,
  };
}
