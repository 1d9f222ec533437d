/**
 * "What if this deal delivers": add a project's capacity to its host country's supply at one stage and year and
 * compare before / after — the coalition's share, the top supplier's share, HHI, and IEA-style N-1 coverage
 * (remaining supply ÷ world demand) without the largest supplier and without a chosen country (e.g. CHN).
 *
 *   after_c = before_c + u · T · f        (T = project tonnes per year, f = basis conversion factor, u = utilisation,
 *                                          default 1: nameplate capacity delivered in full)
 *   S' = S + u · T · f                    (world total; a published world total moves with it)
 *   coverage without X = (S' − S'_X) ÷ D  (D = world demand from `worldDemand`, unchanged by the deal)
 *
 * Units and bases must match: the series is in tonnes of some basis (contained Li, gross weight …); the project is
 * converted only where a documented factor exists (`BASIS_CONVERSIONS`), otherwise the request is refused with a
 * message saying what to give instead.
 *
 * Pure: no I/O.
 */
import { countryName, getCountry } from '../../model/countries.ts';
import { getMaterial } from '../../model/materials.ts';
import type { Project } from '../../model/registry.ts';
import { AGGREGATE_IDS, type Basis, type Observation } from '../../model/schema.ts';
import { seriesConcentration, type Concentration } from '../concentration.ts';
import { cite, type Citation } from '../../model/provenance.ts';
import type { DatasetIndex } from '../dataset.ts';
import { coverage, largestSupplier } from '../stress/coverage.ts';
import { worldDemand } from '../stress/inputs.ts';
import { stageSupplyFromEntries, type NetworkStage } from '../stress/network.ts';
import { CoalitionError, resolveCoalition, type ResolveOptions, type ResolvedCoalition } from './share.ts';

export interface BasisConversion {
  materialId: string;
  from: Basis;
  to: Basis;
  factor: number; // tonnes of `to` per tonne of `from`
  source: string;
}

/**
 * Documented conversion factors. Lithium carbonate equivalent (LCE, Li2CO3) to lithium content: 2 × 6.941 / 73.89 =
 * 0.1878 t Li per t LCE (stoichiometry); USGS Mineral Commodity Summaries (Lithium) use the inverse, 1 t Li = 5.323 t LCE.
 */
export const BASIS_CONVERSIONS: BasisConversion[] = [
  {
    materialId: 'lithium',
    from: 'lce',
    to: 'contained',
    factor: 0.1878,
    source: 'Li2CO3 stoichiometry: 2 × 6.941 / 73.89 = 0.1878 t Li per t LCE; USGS Mineral Commodity Summaries, Lithium: 1 t Li = 5.323 t LCE',
  },
  {
    materialId: 'lithium',
    from: 'contained',
    to: 'lce',
    factor: 5.323,
    source: 'USGS Mineral Commodity Summaries, Lithium: 1 t Li = 5.323 t LCE (inverse of 0.1878)',
  },
];

/** Converts tonnes between bases with a documented factor, or throws a CoalitionError ('basis') saying what to do. */
export function convertBasis(materialId: string, tonnes: number, from: Basis, to: Basis): { tonnes: number; factor: number; source: string | null } {
  if (from === to) return { tonnes, factor: 1, source: null };
  const c = BASIS_CONVERSIONS.find((x) => x.materialId === materialId && x.from === from && x.to === to);
  if (!c) {
    throw new CoalitionError(
      'basis',
      `the project is in tonnes of ${from} but the ${getMaterial(materialId)?.name ?? materialId} series is in tonnes of ${to}, and no documented conversion factor from ${from} to ${to} exists for this material; give the capacity in ${to} tonnes (--basis ${to})`,
    );
  }
  return { tonnes: tonnes * c.factor, factor: c.factor, source: c.source };
}

export interface AdHocProject {
  countryId: string;
  materialId: string;
  stage: NetworkStage;
  tonnesPerYear: number;
  /** Basis of the tonnes; default: the series' basis (said so in the assumptions). */
  basis?: Basis;
  name?: string;
}

export interface DealOptions extends ResolveOptions {
  /** A registry project id, or an ad-hoc project. */
  project: string | AdHocProject;
  /** For a registry project that lists several materials: which one. */
  materialId?: string;
  year: number;
  /** Coalition whose share is reported (grouping id, ISO3 list …). */
  members?: string | string[] | ResolvedCoalition;
  /** Country whose removal is tested before and after (default CHN). */
  exclude?: string;
  /** Share of nameplate capacity delivered (0..1], default 1. */
  utilisation?: number;
  dataset?: string;
  scenario?: string;
  demandScenario?: string;
}

export interface DealSide {
  totalTonnes: number;
  countryTonnes: number;
  countryShare: number;
  top: { countryId: string; country: string; share: number } | null;
  hhi: number;
  hhiPoints: number;
  coalitionShare: number | null;
  unallocatedShare: number;
  n1Largest: { countryId: string; remainingTonnes: number; remainingSupplyShare: number; coverageWorldRatio: number | null } | null;
  n1Excluded: { countryId: string; excludedTonnes: number; remainingTonnes: number; remainingSupplyShare: number; coverageWorldRatio: number | null } | null;
}

export interface DealResult {
  project: {
    id: string | null;
    name: string;
    countryId: string;
    country: string;
    materialId: string;
    material: string;
    stage: NetworkStage;
    status: string | null;
    expectedStartYear: number | null;
    partners: Project['partners'];
    capacityTonnesPerYear: number;
    basis: Basis;
    addedTonnes: number; // in the series' basis, after conversion and utilisation
    conversion: { factor: number; from: Basis; to: Basis; source: string | null };
    source: Citation | null;
  };
  year: number;
  series: { dataset: string; scenario: string | null; unit: string; basis: Basis; source: Citation };
  coalition: { id: string; label: string; members: string[] } | null;
  demand: { tonnes: number; scenario: string | null; scope: string | null; source: Citation } | null;
  before: DealSide;
  after: DealSide;
  change: {
    topShare: number;
    hhi: number;
    coalitionShare: number | null;
    countryShare: number;
    coverageWithoutLargest: number | null;
    coverageWithoutExcluded: number | null;
  };
  assumptions: string[];
  gaps: string[];
  sources: Citation[];
}

function side(
  entries: Observation[],
  dataset: string,
  demandTonnes: number | null,
  countryId: string,
  members: Set<string> | null,
  excluded: string,
): DealSide {
  const c: Concentration | null = seriesConcentration(entries, dataset);
  if (!c) throw new CoalitionError('year', 'the series has no usable total', 'not_found');
  const supply = stageSupplyFromEntries(entries, dataset, { stage: 'refining', year: 0, unit: 't', basis: 'contained', scenario: null, sourceId: '' })!;
  const L = largestSupplier(supply.countries);
  const cov = (ids: string[]) => coverage({ countries: supply.countries, totalTonnes: supply.totalTonnes, excluded: ids, demandTonnes });
  const covL = L ? cov([L.countryId]) : null;
  const covX = cov([excluded]);
  const own = c.shares.find((s) => s.countryId === countryId);
  return {
    totalTonnes: c.total,
    countryTonnes: own?.value ?? 0,
    countryShare: own?.share ?? 0,
    top: c.largest ? { countryId: c.largest.countryId, country: countryName(c.largest.countryId), share: c.largest.share } : null,
    hhi: c.hhi,
    hhiPoints: Math.round(c.hhi * 10_000),
    coalitionShare: members ? c.shares.filter((s) => members.has(s.countryId)).reduce((a, s) => a + s.share, 0) : null,
    unallocatedShare: c.unallocatedShare,
    n1Largest:
      L && covL
        ? {
            countryId: L.countryId,
            remainingTonnes: covL.remainingTonnes,
            remainingSupplyShare: covL.remainingSupplyShare,
            coverageWorldRatio: covL.coverageWorldRatio,
          }
        : null,
    n1Excluded: {
      countryId: excluded,
      excludedTonnes: covX.excludedTonnes,
      remainingTonnes: covX.remainingTonnes,
      remainingSupplyShare: covX.remainingSupplyShare,
      coverageWorldRatio: covX.coverageWorldRatio,
    },
  };
}

export function dealImpact(index: DatasetIndex, o: DealOptions): DealResult {
  const assumptions: string[] = [];
  const gaps: string[] = [];
  const sources = new Map<string, Citation>();

  // 1. The project.
  let p: AdHocProject & {
    id: string | null;
    status: string | null;
    expectedStartYear: number | null;
    partners: Project['partners'];
    sourceCitation: Citation | null;
  };
  if (typeof o.project === 'string') {
    const reg = index.data.registry?.projects ?? [];
    const found = reg.find((x) => x.id === o.project);
    if (!found) {
      throw new CoalitionError(
        'project',
        `no project "${o.project}" in the registry${
          reg.length
            ? ` (${reg.length} projects; e.g. ${reg
                .slice(0, 5)
                .map((x) => x.id)
                .join(', ')})`
            : ' (the registry is empty)'
        }`,
        'not_found',
      );
    }
    if (found.capacityTonnesPerYear === null)
      throw new CoalitionError(
        'project',
        `project "${found.id}" has no published capacity: give an ad-hoc capacity instead (--country/--material/--stage/--tonnes)`,
      );
    if (found.stage !== 'mining' && found.stage !== 'refining')
      throw new CoalitionError('project', `project "${found.id}" is at the ${found.stage} stage; only mining and refining supply by country is modelled`);
    let materialId = o.materialId ?? found.materials[0];
    if (!o.materialId && found.materials.length > 1) {
      throw new CoalitionError(
        'material',
        `project "${found.id}" produces ${found.materials.join(', ')}: say which material (--material) — its capacity (${found.capacityTonnesPerYear} t ${found.basis}) is not split by material in the registry`,
      );
    }
    if (o.materialId && !found.materials.includes(o.materialId))
      throw new CoalitionError('material', `project "${found.id}" does not produce ${o.materialId} (it lists ${found.materials.join(', ')})`);
    materialId = materialId!;
    const src = index.data.sources.get(found.sourceId);
    const sc = src ? cite(src, found.name) : null;
    if (sc) sources.set(sc.text, sc);
    p = {
      id: found.id,
      name: found.name,
      countryId: found.countryId,
      materialId,
      stage: found.stage,
      tonnesPerYear: found.capacityTonnesPerYear,
      basis: found.basis,
      status: found.status,
      expectedStartYear: found.expectedStartYear,
      partners: found.partners,
      sourceCitation: sc,
    };
    if (found.basis === 'unspecified')
      throw new CoalitionError(
        'basis',
        `project "${found.id}" does not say what its tonnes are tonnes of (basis unspecified): give an ad-hoc capacity with --basis`,
      );
  } else {
    const a = o.project;
    if (!(a.tonnesPerYear > 0)) throw new CoalitionError('tonnes', 'tonnes per year must be a positive number');
    if (a.stage !== 'mining' && a.stage !== 'refining') throw new CoalitionError('stage', 'stage must be mining or refining');
    const up = a.countryId.toUpperCase();
    if (getCountry(up)?.kind !== 'country') throw new CoalitionError('country', `"${a.countryId}" is not an ISO3 country code`);
    if (!getMaterial(a.materialId)) throw new CoalitionError('material', `unknown material "${a.materialId}"`, 'not_found');
    p = {
      ...a,
      countryId: up,
      id: null,
      name: a.name ?? `${countryName(up)} ${a.materialId} ${a.stage} (ad hoc)`,
      status: null,
      expectedStartYear: null,
      partners: [],
      sourceCitation: null,
    };
  }
  if (getCountry(p.countryId)?.kind !== 'country')
    throw new CoalitionError('project', `project country "${p.countryId}" is not a single country (a bloc cannot host capacity)`);
  const material = getMaterial(p.materialId)?.name ?? p.materialId;
  const utilisation = o.utilisation ?? 1;
  if (!(utilisation > 0 && utilisation <= 1)) throw new CoalitionError('utilisation', 'utilisation must be in (0, 1]');

  // 2. The series (same dataset as demand where it has the cell, as the stress engine does).
  const demandFound = worldDemand(index, p.materialId, o.year, o.demandScenario ?? 'STEPS');
  const demandData = demandFound?.complete ? demandFound : null;
  let dataset = o.dataset;
  if (
    !dataset &&
    demandData &&
    index.pick({ materialId: p.materialId, stage: p.stage, year: o.year, dataset: demandData.source.dataset, scenario: o.scenario }).series
  )
    dataset = demandData.source.dataset;
  const choice = index.pick({ materialId: p.materialId, stage: p.stage, year: o.year, dataset, scenario: o.scenario });
  const s = choice.series;
  if (!s) {
    throw new CoalitionError(
      'year',
      `no ${p.stage} supply by country for ${material} in ${o.year}${dataset ? ` (${dataset})` : ''}; years with data: ${index.years(p.materialId, p.stage).join(', ') || 'none'}`,
      'not_found',
    );
  }
  if (s.unit !== 't')
    throw new CoalitionError('material', `the ${material} ${p.stage} series is in ${s.unit}, not tonnes: a project in tonnes cannot be added to it`);
  const seriesCitation = cite(s.source, [...new Set(s.entries.map((e) => e.detail).filter(Boolean))].slice(0, 2).join('; ') || null, material);
  sources.set(seriesCitation.text, seriesCitation);

  // 3. Basis.
  let fromBasis: Basis;
  if (p.basis) fromBasis = p.basis;
  else {
    fromBasis = s.basis;
    assumptions.push(`No basis given for the project: its tonnes are taken to be tonnes of ${s.basis}, the basis of the series.`);
  }
  const conv = convertBasis(p.materialId, p.tonnesPerYear, fromBasis, s.basis);
  if (conv.source)
    assumptions.push(
      `${p.tonnesPerYear.toLocaleString('en-US')} t ${fromBasis} × ${conv.factor} = ${Math.round(conv.tonnes).toLocaleString('en-US')} t ${s.basis} (${conv.source}).`,
    );
  const added = conv.tonnes * utilisation;
  assumptions.push(
    utilisation === 1
      ? `The project delivers its full nameplate capacity in ${o.year} (utilisation 1); nothing else changes (no displaced output, same demand).`
      : `The project delivers ${(utilisation * 100).toFixed(0)}% of nameplate capacity in ${o.year}; nothing else changes.`,
  );
  if (p.expectedStartYear !== null && p.expectedStartYear > o.year)
    assumptions.push(`The registry expects the project to start in ${p.expectedStartYear}, after ${o.year}: the result is a what-if, not a forecast.`);
  if (p.status && ['announced', 'feasibility', 'financing', 'suspended', 'cancelled'].includes(p.status)) assumptions.push(`Project status: ${p.status}.`);
  if (s.scenario === 'base')
    assumptions.push(
      `Supply ${o.year}: IEA base case (announced projects) — the project may already be counted in it; adding it on top is then double counting.`,
    );

  // 4. Before / after entries.
  const before = s.entries;
  const hasRow = before.find((e) => e.countryId === p.countryId);
  if (hasRow && hasRow.value === null)
    gaps.push(
      `${countryName(p.countryId)}'s current ${p.stage} figure is withheld / not available: the project is added to zero (its share after is a lower bound).`,
    );
  if (!hasRow && before.some((e) => e.countryId === AGGREGATE_IDS.other))
    assumptions.push(`${countryName(p.countryId)} is not listed separately in the series; any current output sits inside "other countries" and stays there.`);
  const after: Observation[] = before.map((e) => {
    if (e.countryId === p.countryId) return { ...e, value: (e.value ?? 0) + added, status: 'reported' };
    if (e.countryId === AGGREGATE_IDS.world && e.value !== null) return { ...e, value: e.value + added };
    return e;
  });
  if (!hasRow) after.push({ ...before[0], countryId: p.countryId, value: added, status: 'reported', estimated: false, note: 'what-if: project capacity' });

  let D: number | null = null;
  let demand: DealResult['demand'] = null;
  if (demandData && demandData.source.dataset === s.source.dataset) {
    D = demandData.totalTonnes;
    const dc = cite(demandData.source, `demand${demandData.scenario ? `, ${demandData.scenario}` : ''}`, material);
    sources.set(dc.text, dc);
    demand = { tonnes: D, scenario: demandData.scenario, scope: demandData.scope, source: dc };
  } else {
    gaps.push(
      `No world demand for ${material} ${o.year} from ${s.source.publisher} (the series' publisher): N-1 coverage vs demand is not computed; the remaining-supply share R'/S is given instead.`,
    );
  }

  const coalition = o.members !== undefined ? resolveCoalition(index, o.members, o) : null;
  if (coalition) {
    assumptions.push(...coalition.notes);
    for (const c of coalition.sources) sources.set(c.text, c);
  }
  const memberSet = coalition ? new Set(coalition.members) : null;
  const excluded = (o.exclude ?? 'CHN').toUpperCase();
  if (getCountry(excluded)?.kind !== 'country') throw new CoalitionError('exclude', `"${o.exclude}" is not an ISO3 country code`);
  const b = side(before, s.source.dataset, D, p.countryId, memberSet, excluded);
  const a = side(after, s.source.dataset, D, p.countryId, memberSet, excluded);
  if (b.unallocatedShare > 0.0005)
    gaps.push(
      `${(b.unallocatedShare * 100).toFixed(1)}% of ${p.stage} supply is not attributed to a named country (before the deal); it is never ranked, removed or counted in a coalition.`,
    );
  const diff = (x: number | null | undefined, y: number | null | undefined) => (x === null || x === undefined || y === null || y === undefined ? null : y - x);

  return {
    project: {
      id: p.id,
      name: p.name!,
      countryId: p.countryId,
      country: countryName(p.countryId),
      materialId: p.materialId,
      material,
      stage: p.stage,
      status: p.status,
      expectedStartYear: p.expectedStartYear,
      partners: p.partners,
      capacityTonnesPerYear: p.tonnesPerYear,
      basis: fromBasis,
      addedTonnes: added,
      conversion: { factor: conv.factor, from: fromBasis, to: s.basis, source: conv.source },
      source: p.sourceCitation,
    },
    year: o.year,
    series: { dataset: s.source.dataset, scenario: s.scenario, unit: s.unit, basis: s.basis, source: seriesCitation },
    coalition: coalition ? { id: coalition.id, label: coalition.label, members: coalition.members } : null,
    demand,
    before: b,
    after: a,
    change: {
      topShare: (a.top?.share ?? 0) - (b.top?.share ?? 0),
      hhi: a.hhi - b.hhi,
      coalitionShare: diff(b.coalitionShare, a.coalitionShare),
      countryShare: a.countryShare - b.countryShare,
      coverageWithoutLargest: diff(b.n1Largest?.coverageWorldRatio, a.n1Largest?.coverageWorldRatio),
      coverageWithoutExcluded: diff(b.n1Excluded?.coverageWorldRatio, a.n1Excluded?.coverageWorldRatio),
    },
    assumptions: [...new Set(assumptions)],
    gaps,
    sources: [...sources.values()],
  };
}
