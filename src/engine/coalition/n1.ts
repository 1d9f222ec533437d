/**
 * Coalition N-1: what is left of a coalition's supply when (a) its largest outside supplier stops exporting, and
 * (b) every non-member stops (coalition self-sufficiency). Both run the stress engine (`runScenario`, export-ban mode)
 * with the excluded countries given explicitly, on the same series, so the figures are those of `chokepoint stress`.
 *
 *   (a) R'_a = S − S_L                     L = largest named supplier outside the coalition
 *       coverage C_a = R'_a ÷ D            (D = world demand, IEA where it exists; else the stress engine's proxy)
 *   (b) member supply M = Σ_{c ∈ coalition} S_c
 *       self-sufficiency vs world demand     M ÷ D          (lower reading: the unattributed residual is lost too)
 *       with the residual kept                (M + U) ÷ D    (= the stress engine's remaining ÷ D: "OTH" is never excluded)
 *       self-sufficiency vs member consumption  M ÷ Σ_{c ∈ coalition} consumption_c   — only when every member's
 *       consumption is in the knowledge base (USGS apparent consumption exists for the U.S. only), else a stated gap.
 *
 * Pure: no I/O; returns plain data with every source.
 */
import { countryName } from '../../model/countries.ts';
import { getMaterial } from '../../model/materials.ts';
import { runScenario, ScenarioRunError, scenarioFromFlags, type StressReport } from '../../scenario/run.ts';
import { cite, type Citation } from '../../model/provenance.ts';
import type { DatasetIndex } from '../dataset.ts';
import { largestSupplier } from '../stress/coverage.ts';
import { countryConsumption, pickStageSupply, stressSupplyChoice } from '../stress/inputs.ts';
import type { NetworkStage, StageSupply } from '../stress/network.ts';
import { isAggregateEntity } from '../../model/schema.ts';
import { CoalitionError, resolveCoalition, type ResolveOptions, type ResolvedCoalition } from './share.ts';

export interface CoalitionN1Options extends ResolveOptions {
  materialId: string;
  stage: NetworkStage;
  year: number;
  members: string | string[] | ResolvedCoalition;
  /** Supply dataset; default: the stress engine's choice (IEA where IEA demand exists for the year). */
  dataset?: string;
  /** Supply scenario for projections (IEA: 'base'). */
  scenario?: string;
  demandScenario?: string; // IEA demand scenario: STEPS (default) | APS | NZE
}

export interface CoalitionN1Result {
  materialId: string;
  material: string;
  stage: NetworkStage;
  year: number;
  coalition: { id: string; label: string; members: string[] };
  supply: {
    unit: string;
    basis: string;
    scenario: string | null;
    dataset: string;
    totalTonnes: number;
    memberTonnes: number;
    memberShare: number;
    outsideTonnes: number;
    outsideShare: number;
    residualTonnes: number; // not attributed to a named country
    residualShare: number;
    members: Array<{ countryId: string; country: string; tonnes: number; share: number }>;
    source: Citation;
  };
  demand: { tonnes: number; scenario: string | null; proxy: boolean; scope: string | null; source: Citation | null } | null;
  /** (a) the largest outside supplier stops exporting. */
  largestOutside: {
    countryId: string;
    country: string;
    tonnes: number;
    share: number;
    remainingTonnes: number;
    remainingSupplyShare: number;
    coverageWorldRatio: number | null;
    shortfallWorldTonnes: number | null;
    /** IEA-style netted reading: remaining ÷ (world demand − the removed supplier's own use); null with a gap when unknown. */
    coverageNettedRatio: number | null;
    coverageNettedRange: { low: number; high: number | null } | null;
    ownUse: { share: number; low: number | null; high: number | null; method: string | null; basis: string | null; source: Citation } | null;
    exclusionNotes: string[];
  } | null;
  /** (b) every non-member stops. */
  allOutside: {
    excluded: Array<{ countryId: string; country: string; tonnes: number; share: number }>;
    excludedTonnes: number;
    memberTonnes: number;
    residualTonnes: number;
    selfSufficiencyWorldDemand: number | null; // M ÷ D
    coverageWithResidualWorldDemand: number | null; // (M + U) ÷ D
    remainingSupplyShare: number; // (M + U) ÷ S
    memberConsumption: {
      tonnes: number | null; // Σ over members, only when every member's consumption is known
      knownFor: Array<{ countryId: string; tonnes: number; year: number; source: Citation }>;
      unknownFor: string[];
    };
    selfSufficiencyMemberConsumption: number | null;
  } | null;
  assumptions: string[];
  gaps: string[];
  sources: Citation[];
}

/** The supply series the stress engine would use for the cell (same rule as `runScenario`). */
function stressSupply(index: DatasetIndex, o: CoalitionN1Options): { supply: StageSupply; dataset: string; citation: Citation } {
  const { dataset } = stressSupplyChoice(index, o.materialId, o.stage, o.year, {
    dataset: o.dataset,
    demandScenario: o.demandScenario,
    supplyScenario: o.scenario,
  });
  const p = pickStageSupply(index, o.materialId, o.stage, o.year, { dataset, scenario: o.scenario });
  if (!p.supply || !p.source) {
    const years = index.years(o.materialId, o.stage);
    throw new CoalitionError(
      'year',
      `no ${o.stage} supply by country for ${getMaterial(o.materialId)?.name ?? o.materialId} in ${o.year}${dataset ? ` (${dataset})` : ''}; years with data: ${years.join(', ') || 'none'}`,
      'not_found',
    );
  }
  return { supply: p.supply, dataset: p.source.dataset, citation: cite(p.source, p.detail, getMaterial(o.materialId)?.name ?? o.materialId) };
}

function run(index: DatasetIndex, o: CoalitionN1Options, dataset: string, exclude: string[]): StressReport {
  try {
    const s = scenarioFromFlags({ material: o.materialId, stage: o.stage, year: o.year, exclude, dataset, demandScenario: o.demandScenario ?? 'STEPS' });
    if (o.scenario) s.supplyScenario = o.scenario;
    return runScenario(index, s);
  } catch (e) {
    if (e instanceof ScenarioRunError) throw new CoalitionError(e.field === 'shock.exclude' ? 'group' : (e.field ?? 'year'), e.message, e.kind);
    throw e;
  }
}

export function coalitionN1(index: DatasetIndex, o: CoalitionN1Options): CoalitionN1Result {
  const coalition = resolveCoalition(index, o.members, o);
  const material = getMaterial(o.materialId)?.name ?? o.materialId;
  const { supply, dataset, citation } = stressSupply(index, o);
  const inside = new Set(coalition.members);
  const S = supply.totalTonnes;
  const members = supply.countries.filter((c) => inside.has(c.countryId));
  const outsiders = supply.countries.filter((c) => !inside.has(c.countryId) && !isAggregateEntity(c.countryId) && c.tonnes > 0);
  const residual = supply.countries.filter((c) => isAggregateEntity(c.countryId)).reduce((a, c) => a + c.tonnes, 0);
  const M = members.reduce((a, c) => a + c.tonnes, 0);
  const outsideTonnes = outsiders.reduce((a, c) => a + c.tonnes, 0);
  const assumptions: string[] = [...coalition.notes];
  const gaps: string[] = [];
  const sources = new Map<string, Citation>([[citation.text, citation], ...coalition.sources.map((c) => [c.text, c] as [string, Citation])]);
  const addSources = (r: StressReport) => {
    for (const s of r.sources) sources.set(s.text, s);
  };
  if (supply.gaps.length) gaps.push(`${o.stage} ${o.year}: figures withheld or not available for ${supply.gaps.join(', ')} (counted nowhere).`);
  if (residual > 0) {
    gaps.push(
      `${((residual / S) * 100).toFixed(1)}% of ${o.stage} supply is not attributed to a named country; it can be neither excluded nor counted as the coalition's own, so self-sufficiency is given without it (lower reading) and with it (upper reading).`,
    );
  }

  let demand: CoalitionN1Result['demand'] = null;
  let largestOut: CoalitionN1Result['largestOutside'] = null;
  let allOut: CoalitionN1Result['allOutside'] = null;

  if (!outsiders.length) {
    assumptions.push(`Every named ${o.stage} supplier of ${material} in ${o.year} is a member of ${coalition.id}: nothing to exclude.`);
  } else {
    // (a) largest outside supplier
    const L = largestSupplier(outsiders)!;
    const ra = run(index, o, dataset, [L.countryId]);
    addSources(ra);
    if (ra.stage !== o.stage) assumptions.push(...ra.assumptions.filter((a) => a.startsWith('No ')));
    demand = ra.demand
      ? { tonnes: ra.demand.totalTonnes, scenario: ra.demand.scenario, proxy: ra.demand.proxy, scope: ra.demand.scope, source: ra.demand.source }
      : null;
    largestOut = {
      countryId: L.countryId,
      country: countryName(L.countryId),
      tonnes: L.tonnes,
      share: L.tonnes / S,
      remainingTonnes: ra.coverage.remainingTonnes,
      remainingSupplyShare: ra.coverage.remainingSupplyShare,
      coverageWorldRatio: ra.coverage.coverageWorldRatio,
      shortfallWorldTonnes: ra.coverage.shortfallWorldTonnes,
      coverageNettedRatio: ra.coverage.coverageNettedRatio,
      coverageNettedRange: ra.coverage.coverageNettedRange,
      ownUse: ra.coverage.consumptionShareInputs[0]
        ? {
            share: ra.coverage.consumptionShareInputs[0].share,
            low: ra.coverage.consumptionShareInputs[0].low ?? null,
            high: ra.coverage.consumptionShareInputs[0].high ?? null,
            method: ra.coverage.consumptionShareInputs[0].method ?? null,
            basis: ra.coverage.consumptionShareInputs[0].basis ?? null,
            source: ra.coverage.consumptionShareInputs[0].source,
          }
        : null,
      exclusionNotes: ra.exclusionNotes,
    };
    if (ra.coverage.coverageNettedRatio === null)
      for (const g of ra.gaps) if (/^(Own use of|Netted coverage not computed)/.test(g)) gaps.push(`Largest outside supplier: ${g}`);
    for (const a of ra.assumptions) if (/^Own use of/.test(a)) assumptions.push(a);
    for (const a of ra.assumptions) if (/demand/i.test(a) && !/^Recovery:/.test(a)) assumptions.push(a);
    for (const g of ra.gaps) if (/demand/i.test(g) && !/Own consumption/.test(g)) gaps.push(g);

    // (b) every non-member
    const rb = run(
      index,
      o,
      dataset,
      outsiders.map((c) => c.countryId),
    );
    addSources(rb);
    const D = rb.demand?.totalTonnes ?? null;
    const knownFor: NonNullable<CoalitionN1Result['allOutside']>['memberConsumption']['knownFor'] = [];
    const unknownFor: string[] = [];
    for (const m of coalition.members) {
      const c = countryConsumption(index, o.materialId, m, o.year);
      if (c) {
        const ci = cite(c.source, `apparent consumption ${m} ${c.year}`, material);
        knownFor.push({ countryId: m, tonnes: c.tonnes, year: c.year, source: ci });
        sources.set(ci.text, ci);
      } else unknownFor.push(m);
    }
    const consTonnes = unknownFor.length === 0 && knownFor.length ? knownFor.reduce((a, k) => a + k.tonnes, 0) : null;
    if (consTonnes === null) {
      gaps.push(
        `Member consumption of ${material} is ${knownFor.length ? `in the knowledge base for ${knownFor.map((k) => k.countryId).join(', ')} only` : 'not in the knowledge base for any member'} (unknown for ${unknownFor.length} of ${coalition.members.length}): self-sufficiency against the coalition's own consumption is not computed; against world demand it is.`,
      );
    } else if (knownFor.some((k) => k.year !== o.year))
      assumptions.push(`Member consumption from ${[...new Set(knownFor.map((k) => k.year))].join(', ')} applied to ${o.year}.`);
    if (consTonnes !== null && supply.basis !== 'contained')
      assumptions.push(`Consumption (USGS apparent consumption) and ${o.stage} supply (${supply.basis}) may be on different bases; compare with care.`);
    allOut = {
      excluded: rb.excluded.map((e) => ({ countryId: e.countryId, country: e.country, tonnes: e.supplyTonnes, share: e.share })),
      excludedTonnes: rb.coverage.excludedTonnes,
      memberTonnes: M,
      residualTonnes: residual,
      selfSufficiencyWorldDemand: D ? M / D : null,
      coverageWithResidualWorldDemand: rb.coverage.coverageWorldRatio,
      remainingSupplyShare: rb.coverage.remainingSupplyShare,
      memberConsumption: { tonnes: consTonnes, knownFor, unknownFor },
      selfSufficiencyMemberConsumption: consTonnes ? M / consTonnes : null,
    };
  }

  return {
    materialId: o.materialId,
    material,
    stage: o.stage,
    year: o.year,
    coalition: { id: coalition.id, label: coalition.label, members: coalition.members },
    supply: {
      unit: supply.unit,
      basis: supply.basis,
      scenario: supply.scenario,
      dataset,
      totalTonnes: S,
      memberTonnes: M,
      memberShare: M / S,
      outsideTonnes,
      outsideShare: outsideTonnes / S,
      residualTonnes: residual,
      residualShare: residual / S,
      members: members.map((c) => ({ countryId: c.countryId, country: countryName(c.countryId), tonnes: c.tonnes, share: c.tonnes / S })),
      source: citation,
    },
    demand,
    largestOutside: largestOut,
    allOutside: allOut,
    assumptions: [...new Set(assumptions)],
    gaps: [...new Set(gaps)],
    sources: [...sources.values()],
  };
}
