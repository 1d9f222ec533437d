/**
 * Runs a scenario against the knowledge base index: builds the supply network for the material and year, resolves the
 * excluded set, computes coverage (world and netted), propagates the shock downstream, the price range and the
 * stockpile / recovery timeline, and lists every assumption, defaulted parameter, gap and source.
 */
import { InputError, type InputErrorKind } from '../model/errors.ts';
import { COUNTRIES, countryName } from '../model/countries.ts';
import { getMaterial } from '../model/materials.ts';
import { isAggregateEntity, type Source } from '../model/schema.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import { allocateLossToImporters, exportDestinations, type ImporterLoss } from '../engine/trade.ts';
import { cite, citeDocument, type Citation } from '../model/provenance.ts';
import { publishedEuParam } from '../data/criticality-parameters.ts';
import { buildNetwork, networkFlows, type Flow, type NetworkStage, type StageSupply, type SupplyNetwork } from '../engine/stress/network.ts';
import { coverage, impliedConsumptionShare, largestSupplier, type ConsumptionShare, type Coverage } from '../engine/stress/coverage.ts';
import { propagate, type Propagation, type ShortfallRow } from '../engine/stress/propagate.ts';
import { priceShock, type PriceShock, type Range } from '../engine/stress/price.ts';
import { priceShockInMoney, type PriceMoney } from '../engine/stress/price-money.ts';
import { priceHistory } from '../engine/prices.ts';
import { recoveryTimeline, stockpileTonnesFromDays, type Recovery } from '../engine/stress/stockpile.ts';
import { pickStageSupply, spareCapacityFromData, stressSupplyChoice, type PickedSupply, type WorldDemand } from '../engine/stress/inputs.ts';
import { basisMismatch, demandBasis, ownUseShares, supplyBasis, type OwnUse } from '../engine/demand/own-use.ts';
import { parametersFor, STOCKPILE_POLICIES, type StressParameters } from './parameters.ts';
import { stressHeadline, type StressHeadline } from './headline.ts';
import type { Scenario } from './schema.ts';
import { STRESS_DEFAULTS, type StockpilePolicyId } from './query.ts';

export class ScenarioRunError extends InputError {
  constructor(field: string | null, message: string, kind: InputErrorKind = 'invalid') {
    super(field, message, kind);
    this.name = 'ScenarioRunError';
  }
}

const KNOWN_COUNTRIES = new Set(COUNTRIES.filter((c) => c.kind === 'country').map((c) => c.id));

/**
 * Resolves `exclude` tokens against the suppliers of a stage: ISO3, grouping id, `non-<group>`, `A+B`, `largest`.
 * Returns the ids (suppliers or not) and a readable description.
 */
export function resolveExclusion(tokens: string[], supply: StageSupply, groupMembers: (id: string) => string[]): { countries: string[]; described: string[] } {
  const suppliers = supply.countries.filter((c) => !isAggregateEntity(c.countryId)).map((c) => c.countryId);
  const described: string[] = [];
  const one = (raw: string): string[] => {
    const t = raw.trim();
    if (t.includes('+')) return t.split('+').flatMap(one);
    if (/^(largest|n-1|n1)$/i.test(t)) {
      const l = largestSupplier(supply.countries);
      if (!l) throw new ScenarioRunError('shock.exclude', 'no named supplier to remove');
      described.push(`largest supplier = ${l.countryId}`);
      return [l.countryId];
    }
    const non = /^non-(.+)$/i.exec(t);
    if (non) {
      const inside = new Set(one(non[1]));
      const out = suppliers.filter((c) => !inside.has(c));
      described.push(
        `non-${non[1]} = ${out.join(', ') || 'none'}${supply.countries.some((c) => c.countryId === 'OTH') ? ' (the unattributed "other countries" residual cannot be assigned and stays in)' : ''}`,
      );
      return out;
    }
    const members = groupMembers(t);
    if (members.length) {
      described.push(`${t} = ${members.length} members`);
      return members;
    }
    const up = t.toUpperCase();
    if (KNOWN_COUNTRIES.has(up) || suppliers.includes(up)) return [up];
    throw new ScenarioRunError(
      'shock.exclude',
      `"${t}" is neither an ISO3 country code nor a grouping loaded in the knowledge base (groupings come from the country-groupings import)`,
    );
  };
  const countries = [...new Set(tokens.flatMap(one))];
  return { countries, described };
}

export interface StageSummary {
  stage: NetworkStage;
  year: number;
  unit: string;
  basis: string;
  scenario: string | null;
  totalTonnes: number;
  countries: Array<{ countryId: string; country: string; tonnes: number; share: number }>;
  source: Citation;
}

export interface StressReport {
  scenario: Scenario;
  materialId: string;
  material: string;
  year: number;
  stage: NetworkStage;
  excluded: Array<{ countryId: string; country: string; supplyTonnes: number; share: number }>;
  exclusionNotes: string[];
  network: {
    mining: StageSummary | null;
    refining: StageSummary | null;
    yieldRefinedPerMined: number | null;
    flows: Flow[];
  };
  demand: {
    totalTonnes: number;
    scenario: string | null;
    scope: string | null;
    proxy: boolean;
    sectors: Array<{ sector: string; tonnes: number }>;
    source: Citation | null;
    /** Other demand series of the cell (another scope) and the world-demand coverage against each. */
    alternatives: Array<{ scope: string | null; totalTonnes: number; totalIs: string; coverageWorldRatio: number }>;
  } | null;
  coverage: Coverage & { stage: NetworkStage; impliedConsumptionShareForFullCover: number | null };
  /** Own use of each excluded country behind the netted coverage (method, basis, range, sources). */
  ownUse: OwnUse[];
  /** The headline figures (supply removed, coverage, shortfall, supply after propagation, price basis, stockpile cover),
   * each with what it measures, and why the price basis differs from the supply removed when it does. */
  headline: StressHeadline;
  shortfall: Array<ShortfallRow & { country: string | null }>;
  /** Which importing countries lose the excluded exporters' supply: the lost tonnes allocated pro rata to each
   * exporter's recorded exports by destination (customs data), where such data is loaded. */
  importerExposure: Array<{
    exporterId: string;
    exporter: string;
    /** The exporter's lost output at the shocked stage (the shortfall row). */
    lostOutputTonnes: number;
    /** Its own use, netted out (tonnes of demand); null when unknown (then the allocation is an upper bound). */
    ownUseTonnes: number | null;
    /** Lost exports = lost output − own use (× the shock fraction): what the importers share. */
    lostTonnes: number;
    /** 'exports': own use netted out; 'upper_bound': own use unknown, every lost tonne counted as an export. */
    allocation: 'exports' | 'upper_bound';
    tradeYear: number;
    months: number;
    hsCodes: string[];
    productScopes: string[];
    source: Citation;
    importers: ImporterLoss[];
  }>;
  propagation: Pick<
    Propagation,
    'lastStage' | 'lastStageSupplyTonnes' | 'lostToConsumersTonnes' | 'withheldOreTonnes' | 'conservationErrorTonnes' | 'upperBound'
  >;
  price: PriceShock & {
    spareCapacity: { share: Range; fromData: boolean; tonnes: number | null; countries: string[] };
    /** The shock in US dollars: reference price, its basis and conversion, price after and extra cost (null: see gaps). */
    money: PriceMoney | null;
    /** Elasticities used, each cited or labelled "assumed", always as a range. */
    elasticities: Array<{ name: string; range: Range; label: 'cited' | 'assumed'; source: Citation }>;
  };
  stockpile: Recovery & {
    holder: string;
    /** How the holder's consumption was found (null for 'world' or a parameter). */
    holderOwnUse: OwnUse | null;
    stockpileTonnes: number;
    basis: string;
    holderConsumptionTonnesPerYear: number | null;
  };
  assumptions: string[];
  defaulted: Array<{ parameter: string; value: unknown; flag: string }>;
  gaps: string[];
  sources: Citation[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * What a step of the run says about itself, gathered rather than threaded through: the assumptions it made, the gaps
 * it found and the sources it read (with the detail cited). `runScenario` joins them in step order.
 */
interface Explained<T> {
  value: T;
  assumptions: string[];
  gaps: string[];
  sources: Array<{ source: Source | null; detail: string | null }>;
}
const explained = <T>(value: T): Explained<T> => ({ value, assumptions: [], gaps: [], sources: [] });

/** Supply of both stages for the cell (a stage missing in the chosen dataset falls back to the default series), and the demand found with it. */
interface Supply {
  mining: PickedSupply;
  refining: PickedSupply;
  /** The stage the shock applies at: the one asked for, or the other when it has no data. */
  stage: NetworkStage;
  shocked: StageSupply;
  /** The last stage with data (refining, else mining): what consumers get. */
  last: StageSupply;
  demand: WorldDemand | null;
  demandFound: WorldDemand | null;
}

/** Demand first (its dataset decides which supply series to use, so supply and demand are on one basis), then supply. */
function resolveSupply(index: DatasetIndex, s: Scenario, material: string): Explained<Supply> {
  const materialId = s.material;
  const choice = stressSupplyChoice(index, materialId, s.stage, s.year, {
    dataset: s.dataset,
    demandScenario: s.demandScenario,
    demandScope: s.demandScope,
    supplyScenario: s.supplyScenario,
  });
  const { dataset } = choice;
  const sel = { dataset, scenario: s.supplyScenario };
  const pick = (stage: NetworkStage) => {
    const p = pickStageSupply(index, materialId, stage, s.year, sel);
    return p.supply || !dataset ? p : pickStageSupply(index, materialId, stage, s.year, { scenario: s.supplyScenario });
  };
  const mining = pick('mining');
  const refining = pick('refining');
  if (!mining.supply && !refining.supply) {
    const yrs = [...new Set([...index.years(materialId, 'mining'), ...index.years(materialId, 'refining')])].sort();
    throw new ScenarioRunError('year', `no supply data by country for ${material} in ${s.year}; years with data: ${yrs.join(', ') || 'none'}`, 'not_found');
  }
  const stage: NetworkStage = (s.stage === 'mining' ? mining : refining).supply ? s.stage : s.stage === 'mining' ? 'refining' : 'mining';
  const out = explained<Supply>({
    mining,
    refining,
    stage,
    shocked: (stage === 'mining' ? mining.supply : refining.supply)!,
    last: (refining.supply ?? mining.supply)!,
    demand: choice.demand,
    demandFound: choice.demandFound,
  });
  if (choice.reason) out.assumptions.push(choice.reason);
  if (stage !== s.stage) out.assumptions.push(`No ${s.stage} data for ${material} ${s.year}: the shock is applied at the ${stage} stage instead.`);
  out.sources.push({ source: mining.source, detail: mining.detail }, { source: refining.source, detail: refining.detail });
  for (const p of [mining, refining]) out.assumptions.push(...(p.supply?.notes ?? []));
  for (const p of [mining, refining])
    if (p.supply?.gaps.length)
      out.gaps.push(`${p.supply.stage} ${s.year}: figures withheld or not available for ${p.supply.gaps.join(', ')} (counted nowhere)`);
  if (mining.supply && refining.supply && mining.supply.unit !== refining.supply.unit) {
    throw new ScenarioRunError(
      'material',
      `mining and refining series for ${material} are in different units (${mining.supply.unit} vs ${refining.supply.unit})`,
    );
  }
  return out;
}

/** The parameters (scenario values over defaults) and the mine → refinery network they shape. */
function buildSupplyNetwork(s: Scenario, supply: Supply): Explained<{ params: StressParameters; defaulted: string[]; net: SupplyNetwork }> {
  const { params, defaulted } = parametersFor(s.material, s.parameters);
  const net = buildNetwork(s.material, s.year, supply.mining.supply, supply.refining.supply, params.flowRules);
  const out = explained({ params, defaulted, net });
  out.assumptions.push(...net.assumptions);
  return out;
}

/** The excluded countries (`shock.exclude` resolved against the shocked stage's suppliers). */
interface Shock {
  excludedIds: string[];
  described: string[];
  /** The excluded countries that supply the shocked stage. */
  suppliersExcluded: string[];
}

function applyShocks(index: DatasetIndex, s: Scenario, material: string, supply: Supply): Explained<Shock> {
  const { countries: excludedIds, described } = resolveExclusion(s.shock.exclude, supply.shocked, (g) => index.groupMembers(g));
  const suppliersExcluded = excludedIds.filter((c) => supply.shocked.countries.some((x) => x.countryId === c));
  const out = explained({ excludedIds, described, suppliersExcluded });
  if (!suppliersExcluded.length)
    out.gaps.push(`None of the excluded countries (${excludedIds.join(', ')}) supplies ${material} at the ${supply.stage} stage in ${s.year}.`);
  return out;
}

/** World demand: IEA world demand, or world production as a flagged proxy. */
interface Demand {
  tonnes: number | null;
  proxy: boolean;
}

function resolveDemand(index: DatasetIndex, s: Scenario, material: string, supply: Supply): Explained<Demand> {
  const { demand: demandData, demandFound, last: lastSupply } = supply;
  const out = explained<Demand>({ tonnes: null, proxy: false });
  if (demandData && demandData.source.dataset === index.source(lastSupply.sourceId).dataset && lastSupply.unit === 't') {
    out.value.tonnes = demandData.totalTonnes;
    out.sources.push({ source: demandData.source, detail: `demand${demandData.scenario ? `, ${demandData.scenario}` : ''}` });
    out.assumptions.push(...demandData.notes);
    if (s.year > 2024 && demandData.scenario) out.assumptions.push(`Demand: IEA ${demandData.scenario} scenario; supply: IEA base case (announced projects).`);
  } else if (demandData) {
    out.value.tonnes = demandData.totalTonnes;
    out.sources.push({ source: demandData.source, detail: 'demand' });
    out.assumptions.push(
      `Demand (${demandData.source.dataset}) and supply (${index.source(lastSupply.sourceId).dataset}) come from different publishers; compare with care.`,
    );
  } else {
    if (demandFound) {
      out.sources.push({ source: demandFound.source, detail: `demand${demandFound.scenario ? `, ${demandFound.scenario}` : ''} (not used)` });
      out.assumptions.push(
        `${demandFound.source.publisher} demand for ${material} ${s.year} covers only part of its uses (${demandFound.totalIs}: ${Math.round(demandFound.totalTonnes * 100) / 100} t), so it is not used as world demand.`,
      );
    }
    out.value = { tonnes: lastSupply.totalTonnes, proxy: true };
    out.assumptions.push(`No world demand for ${material} ${s.year}: demand = world ${lastSupply.stage} production (proxy; assumes a balanced market).`);
    out.gaps.push(`demand for ${material} ${s.year} (proxy used: world ${lastSupply.stage} production)`);
  }
  return out;
}

/**
 * Own use of the excluded countries: scenario parameter (with source), else published apparent consumption or our
 * sourced allocation (src/engine/demand/own-use.ts), on the basis of the supply it is compared with; else unknown.
 */
function netOwnUse(
  index: DatasetIndex,
  s: Scenario,
  supply: Supply,
  demand: Demand,
  params: StressParameters,
  shock: Shock,
): Explained<{ shares: Record<string, ConsumptionShare>; details: OwnUse[] }> {
  const materialId = s.material;
  const { demand: demandData, stage, shocked: shockedSupply } = supply;
  const { excludedIds } = shock;
  const D = demand.tonnes;
  const shares: Record<string, ConsumptionShare> = {};
  const ownUseDetails: OwnUse[] = [];
  const ownUseGaps: string[] = [];
  const out = explained({ shares, details: ownUseDetails });
  const sBasis = supplyBasis(materialId, stage, index.source(shockedSupply.sourceId).dataset, shockedSupply.basis);
  const dBasis = demandData && !demand.proxy ? demandBasis(demandData) : null;
  const basisRefusal = dBasis ? basisMismatch(materialId, sBasis, dBasis) : null;
  const needOwnUse = excludedIds.filter((c) => !params.domesticConsumptionShare[c]);
  for (const c of excludedIds) {
    const p = params.domesticConsumptionShare[c];
    if (p) shares[c] = { countryId: c, share: p.value, source: p.source, method: 'parameter' };
  }
  if (needOwnUse.length && demandData && !demand.proxy && D) {
    if (basisRefusal) {
      ownUseGaps.push(
        `Netted coverage not computed: ${basisRefusal}${sBasis === 'battery-grade' ? ' (run with demandScope battery-grade to compare like with like)' : ''}.`,
      );
    } else {
      const set = ownUseShares(index, materialId, needOwnUse, s.year, demandData, s.demandScenario ?? STRESS_DEFAULTS.demandScenario);
      Object.assign(shares, set.shares);
      ownUseDetails.push(...set.details);
      for (const o of set.details) {
        for (const src of o.sources) out.assumptions.push(`Own use of ${o.countryId}: ${src.what} — ${src.source} <${src.url}>.`);
        if (o.conversion) out.assumptions.push(o.conversion);
        out.assumptions.push(...o.notes);
        if (o.assumed) out.assumptions.push(`Own use of ${o.countryId} is partly an assumption (no published figure for some uses): ${o.sourceText}.`);
      }
      for (const g of set.gaps) ownUseGaps.push(`Own use of ${g.countryId}: ${g.reason}.`);
    }
  }
  out.gaps.push(...ownUseGaps.filter(() => shock.suppliersExcluded.length > 0));
  return out;
}

/** Coverage of demand by the supply left at the shocked stage, world and netted of the excluded countries' own use. */
function coverageAfterShock(
  s: Scenario,
  material: string,
  supply: Supply,
  demand: Demand,
  shares: Record<string, ConsumptionShare>,
  shock: Shock,
): Explained<Coverage> {
  const eol = publishedEuParam(s.material, 'eolRir');
  const recycledInput = eol
    ? {
        rate: eol.value,
        source: citeDocument(eol.document, 'proxy'),
        note:
          `EU ${eol.edition} end-of-life recycling input rate${eol.group ? ` of the group ${eol.group}` : ''}${eol.note ? ` (${eol.note})` : ''}, applied to world demand as a proxy: ` +
          `recycled scrap meets that share of demand and is not hit by the shock; assumes the ${supply.stage} series counts primary output only ` +
          `(where it includes secondary refined output, this reading counts recycling twice); in the recovery timeline recycling ramps up only at a rate the scenario gives`,
      }
    : null;
  const cov = coverage({
    countries: supply.shocked.countries,
    totalTonnes: supply.shocked.totalTonnes,
    excluded: shock.excludedIds,
    demandTonnes: demand.tonnes,
    consumptionShares: shares,
    recycledInput,
  });
  const out = explained(cov);
  if (cov.recycled) out.assumptions.push(`Recycled input ${(cov.recycled.rate * 100).toFixed(0)}%: ${cov.recycled.note}.`);
  else if (demand.tonnes !== null && !eol)
    out.gaps.push(
      `No end-of-life recycling input rate held for ${material} (EU values cover the 30 CRMs of 2020): coverage of the primary requirement not computed.`,
    );
  if (cov.consumptionShareUnknown.length && shock.suppliersExcluded.length) {
    out.gaps.push(
      `Own consumption of ${cov.consumptionShareUnknown.join(', ')} unknown (no country demand for ${material} in the knowledge base): the netted coverage is not computed. ` +
        `Give parameters.domesticConsumptionShare with a source to compute it.`,
    );
  }
  if (cov.baselineBalanceRatio !== null && !demand.proxy && (cov.baselineBalanceRatio < 0.8 || cov.baselineBalanceRatio > 1.25)) {
    out.assumptions.push(
      `Before the shock, ${supply.stage} supply is ${(cov.baselineBalanceRatio * 100).toFixed(0)}% of demand: the two series do not cover the same material (e.g. secondary or synthetic supply, another basis), so coverage ratios understate or overstate availability; the remaining-supply share (${(cov.remainingSupplyShare * 100).toFixed(1)}%) does not depend on demand.`,
    );
  }
  return out;
}

/** The shock carried downstream through the network to consumers and sectors. */
function propagateShock(
  s: Scenario,
  supply: Supply,
  net: SupplyNetwork,
  shock: Shock,
  demand: Demand,
  shares: Record<string, ConsumptionShare>,
  params: StressParameters,
): Explained<Propagation> {
  const prop = propagate(
    net,
    { stage: supply.stage, countries: shock.excludedIds, fraction: s.shock.fraction, mode: s.shock.mode },
    {
      sectors: demand.proxy ? [] : (supply.demand?.sectors ?? []),
      demandTonnes: demand.tonnes,
      consumptionShares: shares,
      intermediateOf: params.intermediateOf,
    },
  );
  const out = explained(prop);
  out.assumptions.push(...prop.notes);
  if (s.shock.fraction < 1) out.assumptions.push(`Partial shock: ${(s.shock.fraction * 100).toFixed(0)}% of the excluded countries' flows.`);
  return out;
}

/**
 * Importing countries' losses, from the excluded exporters' destinations in customs data (when loaded). What they
 * share is the exporter's lost EXPORTS, not its lost output: its own use stays at home under an export ban (the
 * propagation already nets it out of the stage shortfall when it is known) and is lost by its own consumers, not by
 * importers, in an outage. A mining-stage ban stops ore deliveries to refiners abroad: exports by construction. Own
 * use unknown: the whole lost output is allocated, as an upper bound, said so.
 */
function importerLosses(
  index: DatasetIndex,
  s: Scenario,
  material: string,
  stage: NetworkStage,
  shock: Shock,
  prop: Propagation,
  net: SupplyNetwork,
  demand: Demand,
  shares: Record<string, ConsumptionShare>,
): Explained<StressReport['importerExposure']> {
  const materialId = s.material;
  const importerExposure: StressReport['importerExposure'] = [];
  const out = explained(importerExposure);
  const D = demand.tonnes;
  const f = s.shock.fraction;
  const oreFlows = stage === 'mining' && !!net.refining && !!net.yieldRefinedPerMined;
  for (const c of shock.excludedIds) {
    const rows = prop.rows.filter((r) => r.stage === stage && r.countryId === c);
    const shortfall = rows.reduce((a, r) => a + r.shortfallTonnes, 0);
    if (!(shortfall > 0)) continue;
    const lostOutput = s.shock.mode === 'export_ban' ? f * rows.reduce((a, r) => a + r.beforeTonnes, 0) : shortfall;
    const ownShare = shares[c] ? shares[c].share : null;
    let lost: number;
    let ownUseTonnes: number | null;
    if (s.shock.mode === 'export_ban' && (oreFlows || (ownShare !== null && D))) {
      lost = shortfall; // already exports only
      ownUseTonnes = Math.max(0, lostOutput - shortfall) / (f || 1);
    } else if (s.shock.mode === 'outage' && ownShare !== null && D) {
      ownUseTonnes = Math.min(ownShare * D, shortfall / (f || 1));
      lost = Math.max(0, shortfall - f * ownUseTonnes);
    } else {
      lost = shortfall;
      ownUseTonnes = null;
    }
    const dest = exportDestinations(index.tradeFlowsOf(materialId, [c]), index.data.sources, c, materialId, s.tradeYear ?? s.year);
    if (!dest) {
      out.gaps.push(
        `No exports-by-destination data for ${c} ${material}: which importing countries lose supply is not computed (load customs data: chokepoint data import comtrade <file>).`,
      );
      continue;
    }
    out.sources.push({ source: dest.source, detail: `exports by destination, ${dest.year}` });
    if (s.tradeYear !== undefined && dest.year !== s.tradeYear)
      out.assumptions.push(`No ${c} ${material.toLowerCase()} exports by destination for ${s.tradeYear}; the nearest year with data (${dest.year}) is used.`);
    importerExposure.push({
      exporterId: c,
      exporter: countryName(c),
      lostOutputTonnes: lostOutput,
      ownUseTonnes,
      lostTonnes: lost,
      allocation: ownUseTonnes === null ? 'upper_bound' : 'exports',
      tradeYear: dest.year,
      months: dest.months,
      hsCodes: dest.hsCodes,
      productScopes: dest.productScopes,
      source: cite(dest.source, `exports by destination, ${dest.year}`, material),
      importers: allocateLossToImporters(dest, lost),
    });
    const fmt = (t: number) => `${Math.round(t).toLocaleString('en')} t`;
    if (ownUseTonnes === null)
      out.gaps.push(
        `Own use of ${c} unknown: importers' losses are an upper bound (all ${fmt(lostOutput)} of lost ${stage} output counted as lost exports); give parameters.domesticConsumptionShare with a source to net it out.`,
      );
    else
      out.assumptions.push(
        `Importers share ${countryName(c)}'s lost exports, not its lost output: ${fmt(lostOutput)} lost output − ${fmt(lostOutput - lost)} ${oreFlows && s.shock.mode === 'export_ban' ? 'ore kept by its own refiners' : `own use${ownShare !== null && D ? ` (${(ownShare * 100).toFixed(1)}% of ${fmt(D)} demand${f < 1 ? `, × ${f}` : ''})` : ''}`} = ${fmt(lost)}.`,
      );
    out.assumptions.push(
      `Importers' losses: ${countryName(c)}'s lost ${material.toLowerCase()} exports are allocated to its export destinations pro rata to their share of its ${dest.year} exports (customs net weight, HS ${dest.hsCodes.join(', ')}${dest.months < 12 ? `, ${dest.months} months of data` : ''}); destination shares from ${dest.year} are applied to ${s.year} as they are.` +
        (dest.productScopes.length ? ` HS scope: ${dest.productScopes.join('; ')}.` : ''),
    );
  }
  return out;
}

/** The price range after the shock (spare capacity from data where published), in money where a price series exists. */
interface Price {
  spare: Range;
  spareData: ReturnType<typeof spareCapacityFromData>;
  shock: PriceShock;
  money: PriceMoney | null;
  elasticities: StressReport['price']['elasticities'];
}

function priceResponse(index: DatasetIndex, s: Scenario, supply: Supply, shock: Shock, prop: Propagation, params: StressParameters): Explained<Price> {
  const materialId = s.material;
  const { last: lastSupply, shocked: shockedSupply } = supply;
  const excludedSet = new Set(shock.excludedIds);
  const spareData =
    spareCapacityFromData(index, materialId, prop.lastStage, s.year, lastSupply, excludedSet) ??
    spareCapacityFromData(index, materialId, supply.stage, s.year, shockedSupply, excludedSet);
  const assumptions: string[] = [];
  const sources: Explained<Price>['sources'] = [];
  let spare: Range = params.spareCapacityShare.value;
  if (spareData) {
    const sh = Math.min(1, spareData.tonnes / lastSupply.totalTonnes);
    spare = { low: sh, central: sh, high: sh };
    sources.push({ source: spareData.source, detail: 'capacity' });
    assumptions.push(
      `Spare capacity from published capacity − production of ${spareData.countries.join(', ') || 'no country'} (${(sh * 100).toFixed(1)}% of supply), assumed usable within the horizon.`,
    );
  }
  const price = priceShock(prop.lostToConsumersTonnes, lastSupply.totalTonnes, {
    demandElasticity: params.demandElasticity.value,
    supplyElasticity: params.supplyElasticity.value,
    spareCapacityShare: spare,
  });
  const money = priceShockInMoney(
    priceHistory(index.data.prices ?? [], index.data.sources, { materialId }),
    materialId,
    s.year,
    lastSupply.basis,
    lastSupply.totalTonnes,
    price,
  );
  const elasticities = (['demandElasticity', 'supplyElasticity'] as const).map((k) => ({
    name: k,
    range: params[k].value,
    label: params[k].source ? ('cited' as const) : ('assumed' as const),
    source: params[k].source,
  }));
  return { value: { spare, spareData, shock: price, money: money.money, elasticities }, assumptions, gaps: money.gap ? [money.gap] : [], sources };
}

/** The holder's stockpile (scenario tonnes or days, else a policy preset) and the recovery timeline (central case). */
interface Stockpile {
  holder: string;
  holderConsumption: number | null;
  holderOwnUse: OwnUse | null;
  stockTonnes: number;
  stockBasis: string;
  /** Whether the scenario gave a stockpile (else the default preset is applied and flagged). */
  given: boolean;
  recovery: Recovery;
}

function stockpileCover(
  index: DatasetIndex,
  s: Scenario,
  supply: Supply,
  demand: Demand,
  cov: Coverage,
  params: StressParameters,
  shock: Shock,
  prop: Propagation,
  spare: Range,
): Explained<Stockpile> {
  const materialId = s.material;
  const { demand: demandData, last: lastSupply } = supply;
  const D = demand.tonnes;
  const assumptions: string[] = [];
  const gaps: string[] = [];
  const affectedConsumption = cov.demandNettedTonnes ?? D;
  const holder = (s.stockpile?.holder ?? 'world').toUpperCase() === 'WORLD' ? 'world' : s.stockpile!.holder!.toUpperCase();
  let holderConsumption: number | null = affectedConsumption;
  let holderShare = 1;
  let holderOwnUse: OwnUse | null = null;
  if (holder !== 'world') {
    const p = params.domesticConsumptionShare[holder];
    let cons: { tonnes: number } | null = p ? { tonnes: p.value * (D ?? 0) } : null;
    if (!cons && demandData && !demand.proxy && D) {
      const h = ownUseShares(index, materialId, [holder], s.year, demandData, s.demandScenario ?? STRESS_DEFAULTS.demandScenario);
      if (h.details.length) {
        holderOwnUse = h.details[0];
        cons = { tonnes: h.details[0].tonnes };
        for (const src of holderOwnUse.sources) assumptions.push(`Consumption of stockpile holder ${holder}: ${src.what} — ${src.source} <${src.url}>.`);
      } else gaps.push(...h.gaps.map((g) => `Consumption of stockpile holder ${holder}: ${g.reason}.`));
    }
    if (cons && affectedConsumption) {
      holderConsumption = cons.tonnes;
      holderShare = Math.min(1, cons.tonnes / affectedConsumption);
    } else {
      holderConsumption = null;
      gaps.push(`Consumption of stockpile holder ${holder} unknown: days of cover are computed for all affected consumers instead.`);
    }
  }
  let stockBasis: string;
  let stockTonnes: number;
  const stockpileGiven = s.stockpile?.tonnes !== undefined || s.stockpile?.days !== undefined || s.stockpile?.policy !== undefined;
  const policy = s.stockpile?.policy ?? (stockpileGiven ? undefined : STRESS_DEFAULTS.stockpilePolicy);
  if (s.stockpile?.tonnes !== undefined) {
    stockTonnes = s.stockpile.tonnes;
    stockBasis = `${s.stockpile.tonnes} t (scenario)`;
  } else {
    const days = s.stockpile?.days ?? STOCKPILE_POLICIES[policy!].value;
    stockTonnes = stockpileTonnesFromDays(days, holderConsumption ?? affectedConsumption ?? 0);
    stockBasis =
      s.stockpile?.days !== undefined
        ? `${days} days of consumption (scenario)`
        : `${days} days of consumption — ${policy} preset: ${STOCKPILE_POLICIES[policy!].source.text}${stockpileGiven ? '' : ' (default: no stockpile given)'}`;
  }
  const excludedSet = new Set(shock.excludedIds);
  const lastExcludedTonnes = lastSupply.countries.filter((c) => excludedSet.has(c.countryId)).reduce((a, c) => a + c.tonnes, 0);
  const rec = recoveryTimeline({
    lostTonnesPerYear: prop.lostToConsumersTonnes,
    holderShare,
    holderConsumptionTonnesPerYear: holderConsumption,
    stockpileTonnes: stockTonnes,
    durationMonths: s.shock.durationMonths,
    spareCapacityTonnesPerYear: spare.central * lastSupply.totalTonnes,
    spareLeadMonths: params.spareLeadMonths.value,
    othersSupplyTonnesPerYear: Math.max(0, lastSupply.totalTonnes - lastExcludedTonnes),
    rampUpSharePerYear: params.rampUpSharePerYear.value.central,
    recycledInputTonnesPerYear: cov.recycled?.recycledTonnes ?? 0,
    recyclingRampSharePerYear: params.recyclingRampSharePerYear.value.central,
  });
  const recyclingRamp = params.recyclingRampSharePerYear.value.central;
  assumptions.push(
    `Recovery: spare capacity delivers after ${params.spareLeadMonths.value} months; other suppliers add ${(params.rampUpSharePerYear.value.central * 100).toFixed(0)}% of their output per year; ` +
      (recyclingRamp > 0 && cov.recycled
        ? `end-of-life recycling adds ${(recyclingRamp * 100).toFixed(0)}% of the recycled input (${Math.round(cov.recycled.recycledTonnes).toLocaleString('en')} t/yr) per year (${params.recyclingRampSharePerYear.source.text}); `
        : 'recycling is not assumed to ramp up (no published rate; a scenario may set parameters.recyclingRampSharePerYear); ') +
      `the shock ends after ${s.shock.durationMonths} months; demand response to price is not netted from the shortfall.`,
  );
  if (recyclingRamp > 0 && !cov.recycled)
    gaps.push(
      `Recycling ramp-up of ${(recyclingRamp * 100).toFixed(0)}%/yr not applied: no recycled input is held for ${materialId} (no EoL-RIR, or no demand).`,
    );
  return {
    value: { holder, holderConsumption, holderOwnUse, stockTonnes, stockBasis, given: stockpileGiven, recovery: rec },
    assumptions,
    gaps,
    sources: [],
  };
}

/** What the steps computed, for the report. */
interface Steps {
  supply: Supply;
  params: StressParameters;
  defaulted: string[];
  net: SupplyNetwork;
  shock: Shock;
  demand: Demand;
  ownUse: OwnUse[];
  cov: Coverage;
  prop: Propagation;
  importerExposure: StressReport['importerExposure'];
  price: Price;
  stock: Stockpile;
}

/** The report: the steps' figures, and their assumptions (each once), defaulted parameters, gaps and sources (each once) in step order. */
function assembleReport(s: Scenario, material: string, r: Steps, told: Array<Explained<unknown>>): StressReport {
  const { supply, params, net, shock, demand, cov, prop, price, stock } = r;
  const { stage, demand: demandData } = supply;
  const D = demand.tonnes;
  const demandProxy = demand.proxy;
  const summary = (p: PickedSupply): StageSummary | null =>
    p.supply && p.source
      ? {
          stage: p.supply.stage,
          year: p.supply.year,
          unit: p.supply.unit,
          basis: p.supply.basis,
          scenario: p.supply.scenario,
          totalTonnes: p.supply.totalTonnes,
          countries: p.supply.countries.map((c) => ({
            countryId: c.countryId,
            country: countryName(c.countryId),
            tonnes: c.tonnes,
            share: c.tonnes / p.supply!.totalTonnes,
          })),
          source: cite(p.source, p.detail, material),
        }
      : null;

  const defaultedList = r.defaulted.map((k) => ({
    parameter: k,
    value: (params[k as keyof StressParameters] as { value: unknown }).value,
    flag: 'default — no published value',
  }));
  if (!stock.given)
    defaultedList.push({ parameter: 'stockpile', value: STRESS_DEFAULTS.stockpilePolicy, flag: 'no stockpile given; Japan 60-day preset applied' });
  if (demandProxy) defaultedList.push({ parameter: 'demand', value: 'world production', flag: 'no demand data; proxy' });
  for (const c of cov.consumptionShareUnknown)
    defaultedList.push({ parameter: `domesticConsumptionShare.${c}`, value: null, flag: 'unknown — netted coverage not computed' });

  const sources = new Map<string, Citation>();
  for (const { source, detail } of told.flatMap((t) => t.sources)) {
    const key = `${source?.id}|${detail ?? ''}`;
    if (source && !sources.has(key)) sources.set(key, cite(source, detail ?? null, material));
  }
  const rec = stock.recovery;
  const spare = price.spare;
  const spareData = price.spareData;

  return {
    scenario: s,
    materialId: s.material,
    material,
    year: s.year,
    stage,
    excluded: cov.excluded.map((e) => ({ countryId: e.countryId, country: countryName(e.countryId), supplyTonnes: e.tonnes, share: e.share })),
    exclusionNotes: shock.described,
    network: {
      mining: summary(supply.mining),
      refining: summary(supply.refining),
      yieldRefinedPerMined: net.yieldRefinedPerMined,
      flows: networkFlows(net).map((f) => ({ ...f, oreTonnes: round(f.oreTonnes) })),
    },
    demand:
      D !== null
        ? {
            totalTonnes: D,
            scenario: demandProxy ? null : (demandData?.scenario ?? null),
            scope: demandProxy ? 'proxy: world production' : (demandData?.scope ?? null),
            proxy: demandProxy,
            sectors: demandProxy ? [] : (demandData?.sectors ?? []),
            source: !demandProxy && demandData ? cite(demandData.source, demandData.scope, material) : null,
            alternatives: demandProxy ? [] : (demandData?.alternatives ?? []).map((a) => ({ ...a, coverageWorldRatio: cov.remainingTonnes / a.totalTonnes })),
          }
        : null,
    ownUse: r.ownUse,
    coverage: { ...cov, stage, impliedConsumptionShareForFullCover: D ? Math.max(0, impliedConsumptionShare(cov.remainingTonnes, D, 1)) : null },
    headline: stressHeadline({
      stage,
      mode: s.shock.mode,
      fraction: s.shock.fraction,
      excluded: cov.excluded.map((e) => e.countryId),
      coverage: cov,
      demandProxy,
      propagation: prop,
      price: { ...price.shock, spareCapacity: { share: spare, fromData: !!spareData } },
      stockpile: { days: rec.stockpileDaysOfCover, stockpileTonnes: stock.stockTonnes, holder: stock.holder },
    }),
    shortfall: prop.rows.map((row) => ({ ...row, country: row.countryId ? countryName(row.countryId) : null })),
    importerExposure: r.importerExposure,
    propagation: {
      lastStage: prop.lastStage,
      lastStageSupplyTonnes: prop.lastStageSupplyTonnes,
      lostToConsumersTonnes: prop.lostToConsumersTonnes,
      withheldOreTonnes: prop.withheldOreTonnes,
      conservationErrorTonnes: prop.conservationErrorTonnes,
      upperBound: prop.upperBound,
    },
    price: {
      ...price.shock,
      spareCapacity: { share: spare, fromData: !!spareData, tonnes: spareData?.tonnes ?? null, countries: spareData?.countries ?? [] },
      money: price.money,
      elasticities: price.elasticities,
    },
    stockpile: {
      ...rec,
      holder: stock.holder,
      holderOwnUse: stock.holderOwnUse,
      stockpileTonnes: stock.stockTonnes,
      basis: stock.stockBasis,
      holderConsumptionTonnesPerYear: stock.holderConsumption,
    },
    assumptions: [...new Set(told.flatMap((t) => t.assumptions))],
    defaulted: defaultedList,
    gaps: told.flatMap((t) => t.gaps),
    sources: [...sources.values()],
  };
}

/**
 * Runs a scenario as named steps: supply, network, shock, demand, own use, coverage, propagation, importers' losses,
 * price, stockpile; each returns its figures with its own assumptions, gaps and sources, joined in the report.
 */
export function runScenario(index: DatasetIndex, s: Scenario): StressReport {
  const material = getMaterial(s.material)?.name ?? s.material;
  const told: Array<Explained<unknown>> = [];
  const take = <T>(e: Explained<T>): T => (told.push(e), e.value);

  const supply = take(resolveSupply(index, s, material));
  const { params, defaulted, net } = take(buildSupplyNetwork(s, supply));
  const shock = take(applyShocks(index, s, material, supply));
  const demand = take(resolveDemand(index, s, material, supply));
  const ownUse = take(netOwnUse(index, s, supply, demand, params, shock));
  const cov = take(coverageAfterShock(s, material, supply, demand, ownUse.shares, shock));
  const prop = take(propagateShock(s, supply, net, shock, demand, ownUse.shares, params));
  const importerExposure = take(importerLosses(index, s, material, supply.stage, shock, prop, net, demand, ownUse.shares));
  const price = take(priceResponse(index, s, supply, shock, prop, params));
  const stock = take(stockpileCover(index, s, supply, demand, cov, params, shock, prop, price.spare));
  const steps = { supply, params, defaulted, net, shock, demand, ownUse: ownUse.details, cov, prop, importerExposure, price, stock };
  return assembleReport(s, material, steps, told);
}

export interface ShorthandFlags {
  material: string;
  stage?: NetworkStage;
  year: number;
  exclude?: string[];
  n1?: boolean;
  mode?: 'export_ban' | 'outage';
  fraction?: number;
  months?: number;
  stockpileDays?: number;
  stockpileTonnes?: number;
  stockpilePolicy?: StockpilePolicyId;
  holder?: string;
  demandScenario?: string;
  demandScope?: string;
  tradeYear?: number;
  dataset?: string;
}

/** The scenario that the shorthand CLI / query flags describe (so it can be saved and shared); defaults: `STRESS_DEFAULTS`. */
export function scenarioFromFlags(f: ShorthandFlags): Scenario {
  const exclude = [...(f.n1 ? ['largest'] : []), ...(f.exclude ?? [])];
  if (!exclude.length) throw new ScenarioRunError('exclude', 'give --exclude <countries|group> or --n1');
  const given = [f.stockpileTonnes, f.stockpileDays, f.stockpilePolicy].filter((x) => x !== undefined).length;
  if (given > 1) throw new ScenarioRunError('stockpile', 'give only one of stockpile tonnes, days or policy');
  const stockpile =
    f.stockpileTonnes !== undefined
      ? { tonnes: f.stockpileTonnes }
      : f.stockpileDays !== undefined
        ? { days: f.stockpileDays }
        : f.stockpilePolicy
          ? { policy: f.stockpilePolicy }
          : undefined;
  return {
    version: 1,
    material: f.material,
    year: f.year,
    stage: f.stage ?? STRESS_DEFAULTS.stage,
    ...(f.dataset ? { dataset: f.dataset } : {}),
    demandScenario: f.demandScenario ?? STRESS_DEFAULTS.demandScenario,
    ...(f.demandScope ? { demandScope: f.demandScope } : {}),
    ...(f.tradeYear !== undefined ? { tradeYear: f.tradeYear } : {}),
    shock: {
      exclude,
      mode: f.mode ?? STRESS_DEFAULTS.mode,
      fraction: f.fraction ?? STRESS_DEFAULTS.fraction,
      durationMonths: f.months ?? STRESS_DEFAULTS.months,
    },
    ...(stockpile || f.holder ? { stockpile: { ...stockpile, ...(f.holder ? { holder: f.holder } : {}) } } : {}),
  };
}
