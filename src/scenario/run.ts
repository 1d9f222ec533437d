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
import { cite, type Citation } from '../model/provenance.ts';
import { buildNetwork, type Flow, type NetworkStage, type StageSupply } from '../engine/stress/network.ts';
import { coverage, impliedConsumptionShare, largestSupplier, type ConsumptionShare, type Coverage } from '../engine/stress/coverage.ts';
import { propagate, type Propagation, type ShortfallRow } from '../engine/stress/propagate.ts';
import { priceShock, type PriceShock, type Range } from '../engine/stress/price.ts';
import { priceShockInMoney, type PriceMoney } from '../engine/stress/price-money.ts';
import { priceHistory } from '../engine/prices.ts';
import { recoveryTimeline, stockpileTonnesFromDays, type Recovery } from '../engine/stress/stockpile.ts';
import { pickStageSupply, spareCapacityFromData, stressSupplyChoice } from '../engine/stress/inputs.ts';
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

export function runScenario(index: DatasetIndex, s: Scenario): StressReport {
  const materialId = s.material;
  const mat = getMaterial(materialId);
  const material = mat?.name ?? materialId;
  const assumptions: string[] = [];
  const gaps: string[] = [];
  const sources = new Map<string, Citation>();
  const addSource = (src: Source | null, detail?: string | null) => {
    const key = `${src?.id}|${detail ?? ''}`;
    if (src && !sources.has(key)) sources.set(key, cite(src, detail ?? null, material));
  };

  // Demand first: its dataset decides which supply series to use, so supply and demand are on one basis.
  const choice = stressSupplyChoice(index, materialId, s.stage, s.year, {
    dataset: s.dataset,
    demandScenario: s.demandScenario,
    demandScope: s.demandScope,
    supplyScenario: s.supplyScenario,
  });
  const { demandFound, demand: demandData, dataset } = choice;
  if (choice.reason) assumptions.push(choice.reason);
  const sel = { dataset, scenario: s.supplyScenario };
  const pm = pickStageSupply(index, materialId, 'mining', s.year, sel);
  const pr = pickStageSupply(index, materialId, 'refining', s.year, sel);
  // A stage missing in the chosen dataset falls back to the default series choice.
  const pmF = pm.supply || !dataset ? pm : pickStageSupply(index, materialId, 'mining', s.year, { scenario: s.supplyScenario });
  const prF = pr.supply || !dataset ? pr : pickStageSupply(index, materialId, 'refining', s.year, { scenario: s.supplyScenario });
  const shockedPick = s.stage === 'mining' ? pmF : prF;
  if (!pmF.supply && !prF.supply) {
    const yrs = [...new Set([...index.years(materialId, 'mining'), ...index.years(materialId, 'refining')])].sort();
    throw new ScenarioRunError('year', `no supply data by country for ${material} in ${s.year}; years with data: ${yrs.join(', ') || 'none'}`, 'not_found');
  }
  let stage: NetworkStage = s.stage;
  if (!shockedPick.supply) {
    stage = s.stage === 'mining' ? 'refining' : 'mining';
    assumptions.push(`No ${s.stage} data for ${material} ${s.year}: the shock is applied at the ${stage} stage instead.`);
  }
  addSource(pmF.source, pmF.detail);
  addSource(prF.source, prF.detail);
  for (const p of [pmF, prF]) assumptions.push(...(p.supply?.notes ?? []));
  for (const p of [pmF, prF])
    if (p.supply?.gaps.length) gaps.push(`${p.supply.stage} ${s.year}: figures withheld or not available for ${p.supply.gaps.join(', ')} (counted nowhere)`);
  if (pmF.supply && prF.supply && pmF.supply.unit !== prF.supply.unit) {
    throw new ScenarioRunError('material', `mining and refining series for ${material} are in different units (${pmF.supply.unit} vs ${prF.supply.unit})`);
  }

  const { params, defaulted } = parametersFor(materialId, s.parameters);
  const net = buildNetwork(materialId, s.year, pmF.supply, prF.supply, params.flowRules);
  assumptions.push(...net.assumptions);
  const shockedSupply = (stage === 'mining' ? pmF.supply : prF.supply)!;
  const lastSupply = (prF.supply ?? pmF.supply)!;

  const { countries: excludedIds, described } = resolveExclusion(s.shock.exclude, shockedSupply, (g) => index.groupMembers(g));
  const suppliersExcluded = excludedIds.filter((c) => shockedSupply.countries.some((x) => x.countryId === c));
  if (!suppliersExcluded.length)
    gaps.push(`None of the excluded countries (${excludedIds.join(', ')}) supplies ${material} at the ${stage} stage in ${s.year}.`);

  // Demand: IEA world demand, or a flagged proxy.
  let demandTonnes: number | null = null;
  let demandProxy = false;
  if (demandData && demandData.source.dataset === index.source(lastSupply.sourceId).dataset && lastSupply.unit === 't') {
    demandTonnes = demandData.totalTonnes;
    addSource(demandData.source, `demand${demandData.scenario ? `, ${demandData.scenario}` : ''}`);
    assumptions.push(...demandData.notes);
    if (s.year > 2024 && demandData.scenario) assumptions.push(`Demand: IEA ${demandData.scenario} scenario; supply: IEA base case (announced projects).`);
  } else if (demandData) {
    demandTonnes = demandData.totalTonnes;
    addSource(demandData.source, 'demand');
    assumptions.push(
      `Demand (${demandData.source.dataset}) and supply (${index.source(lastSupply.sourceId).dataset}) come from different publishers; compare with care.`,
    );
  } else {
    if (demandFound) {
      addSource(demandFound.source, `demand${demandFound.scenario ? `, ${demandFound.scenario}` : ''} (not used)`);
      assumptions.push(
        `${demandFound.source.publisher} demand for ${material} ${s.year} covers only part of its uses (${demandFound.totalIs}: ${Math.round(demandFound.totalTonnes * 100) / 100} t), so it is not used as world demand.`,
      );
    }
    demandTonnes = lastSupply.totalTonnes;
    demandProxy = true;
    assumptions.push(`No world demand for ${material} ${s.year}: demand = world ${lastSupply.stage} production (proxy; assumes a balanced market).`);
    gaps.push(`demand for ${material} ${s.year} (proxy used: world ${lastSupply.stage} production)`);
  }
  const D = demandTonnes;

  // Own use of excluded countries: scenario parameter (with source), else published apparent consumption or our sourced
  // allocation (src/engine/demand/own-use.ts), on the basis of the supply it is compared with; else unknown.
  const shares: Record<string, ConsumptionShare> = {};
  const ownUseDetails: OwnUse[] = [];
  const ownUseGaps: string[] = [];
  const sBasis = supplyBasis(materialId, stage, index.source(shockedSupply.sourceId).dataset, shockedSupply.basis);
  const dBasis = demandData && !demandProxy ? demandBasis(demandData) : null;
  const basisRefusal = dBasis ? basisMismatch(materialId, sBasis, dBasis) : null;
  const needOwnUse = excludedIds.filter((c) => !params.domesticConsumptionShare[c]);
  for (const c of excludedIds) {
    const p = params.domesticConsumptionShare[c];
    if (p) shares[c] = { countryId: c, share: p.value, source: p.source, method: 'parameter' };
  }
  if (needOwnUse.length && demandData && !demandProxy && D) {
    if (basisRefusal) {
      ownUseGaps.push(
        `Netted coverage not computed: ${basisRefusal}${sBasis === 'battery-grade' ? ' (run with demandScope battery-grade to compare like with like)' : ''}.`,
      );
    } else {
      const set = ownUseShares(index, materialId, needOwnUse, s.year, demandData, s.demandScenario ?? STRESS_DEFAULTS.demandScenario);
      Object.assign(shares, set.shares);
      ownUseDetails.push(...set.details);
      for (const o of set.details) {
        for (const src of o.sources) assumptions.push(`Own use of ${o.countryId}: ${src.what} — ${src.source} <${src.url}>.`);
        if (o.conversion) assumptions.push(o.conversion);
        assumptions.push(...o.notes);
        if (o.assumed) assumptions.push(`Own use of ${o.countryId} is partly an assumption (no published figure for some uses): ${o.sourceText}.`);
      }
      for (const g of set.gaps) ownUseGaps.push(`Own use of ${g.countryId}: ${g.reason}.`);
    }
  }

  const cov = coverage({
    countries: shockedSupply.countries,
    totalTonnes: shockedSupply.totalTonnes,
    excluded: excludedIds,
    demandTonnes: D,
    consumptionShares: shares,
  });
  gaps.push(...ownUseGaps.filter(() => suppliersExcluded.length > 0));
  if (cov.consumptionShareUnknown.length && suppliersExcluded.length) {
    gaps.push(
      `Own consumption of ${cov.consumptionShareUnknown.join(', ')} unknown (no country demand for ${material} in the knowledge base): the netted coverage is not computed. ` +
        `Give parameters.domesticConsumptionShare with a source to compute it.`,
    );
  }
  if (cov.baselineBalanceRatio !== null && !demandProxy && (cov.baselineBalanceRatio < 0.8 || cov.baselineBalanceRatio > 1.25)) {
    assumptions.push(
      `Before the shock, ${stage} supply is ${(cov.baselineBalanceRatio * 100).toFixed(0)}% of demand: the two series do not cover the same material (e.g. secondary or synthetic supply, another basis), so coverage ratios understate or overstate availability; the remaining-supply share (${(cov.remainingSupplyShare * 100).toFixed(1)}%) does not depend on demand.`,
    );
  }

  const prop = propagate(
    net,
    { stage, countries: excludedIds, fraction: s.shock.fraction, mode: s.shock.mode },
    {
      sectors: demandProxy ? [] : (demandData?.sectors ?? []),
      demandTonnes: D,
      consumptionShares: shares,
      intermediateOf: params.intermediateOf,
    },
  );
  assumptions.push(...prop.notes);
  if (s.shock.fraction < 1) assumptions.push(`Partial shock: ${(s.shock.fraction * 100).toFixed(0)}% of the excluded countries' flows.`);

  // Importing countries' losses, from the excluded exporters' destinations in customs data (when loaded). What they
  // share is the exporter's lost EXPORTS, not its lost output: its own use stays at home under an export ban (the
  // propagation already nets it out of the stage shortfall when it is known) and is lost by its own consumers, not by
  // importers, in an outage. A mining-stage ban stops ore deliveries to refiners abroad: exports by construction. Own
  // use unknown: the whole lost output is allocated, as an upper bound, said so.
  const importerExposure: StressReport['importerExposure'] = [];
  const f = s.shock.fraction;
  const oreFlows = stage === 'mining' && !!net.refining && !!net.yieldRefinedPerMined;
  for (const c of excludedIds) {
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
    const dest = exportDestinations(index.tradeFlowsOf(materialId), index.data.sources, c, materialId, s.tradeYear ?? s.year);
    if (!dest) {
      gaps.push(
        `No exports-by-destination data for ${c} ${material}: which importing countries lose supply is not computed (load customs data: chokepoint data import comtrade <file>).`,
      );
      continue;
    }
    addSource(dest.source, `exports by destination, ${dest.year}`);
    if (s.tradeYear !== undefined && dest.year !== s.tradeYear)
      assumptions.push(`No ${c} ${material.toLowerCase()} exports by destination for ${s.tradeYear}; the nearest year with data (${dest.year}) is used.`);
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
      gaps.push(
        `Own use of ${c} unknown: importers' losses are an upper bound (all ${fmt(lostOutput)} of lost ${stage} output counted as lost exports); give parameters.domesticConsumptionShare with a source to net it out.`,
      );
    else
      assumptions.push(
        `Importers share ${countryName(c)}'s lost exports, not its lost output: ${fmt(lostOutput)} lost output − ${fmt(lostOutput - lost)} ${oreFlows && s.shock.mode === 'export_ban' ? 'ore kept by its own refiners' : `own use${ownShare !== null && D ? ` (${(ownShare * 100).toFixed(1)}% of ${fmt(D)} demand${f < 1 ? `, × ${f}` : ''})` : ''}`} = ${fmt(lost)}.`,
      );
    assumptions.push(
      `Importers' losses: ${countryName(c)}'s lost ${material.toLowerCase()} exports are allocated to its export destinations pro rata to their share of its ${dest.year} exports (customs net weight, HS ${dest.hsCodes.join(', ')}${dest.months < 12 ? `, ${dest.months} months of data` : ''}); destination shares from ${dest.year} are applied to ${s.year} as they are.` +
        (dest.productScopes.length ? ` HS scope: ${dest.productScopes.join('; ')}.` : ''),
    );
  }

  // Price.
  const excludedSet = new Set(excludedIds);
  const spareData =
    spareCapacityFromData(index, materialId, prop.lastStage, s.year, lastSupply, excludedSet) ??
    spareCapacityFromData(index, materialId, stage, s.year, shockedSupply, excludedSet);
  let spare: Range = params.spareCapacityShare.value;
  if (spareData) {
    const sh = Math.min(1, spareData.tonnes / lastSupply.totalTonnes);
    spare = { low: sh, central: sh, high: sh };
    addSource(spareData.source, 'capacity');
    assumptions.push(
      `Spare capacity from published capacity − production of ${spareData.countries.join(', ') || 'no country'} (${(sh * 100).toFixed(1)}% of supply), assumed usable within the horizon.`,
    );
  }
  const price = priceShock(prop.lostToConsumersTonnes, lastSupply.totalTonnes, {
    demandElasticity: params.demandElasticity.value,
    supplyElasticity: params.supplyElasticity.value,
    spareCapacityShare: spare,
  });

  const lastSummarySupplyBasis = lastSupply.basis;
  const money = priceShockInMoney(
    priceHistory(index.data.prices ?? [], index.data.sources, { materialId }),
    materialId,
    s.year,
    lastSummarySupplyBasis,
    lastSupply.totalTonnes,
    price,
  );
  if (money.gap) gaps.push(money.gap);
  const elasticities = (['demandElasticity', 'supplyElasticity'] as const).map((k) => ({
    name: k,
    range: params[k].value,
    label: params[k].source ? ('cited' as const) : ('assumed' as const),
    source: params[k].source,
  }));

  // Stockpile and recovery (central case).
  const affectedConsumption = cov.demandNettedTonnes ?? D;
  const holder = (s.stockpile?.holder ?? 'world').toUpperCase() === 'WORLD' ? 'world' : s.stockpile!.holder!.toUpperCase();
  let holderConsumption: number | null = affectedConsumption;
  let holderShare = 1;
  let holderOwnUse: OwnUse | null = null;
  if (holder !== 'world') {
    const p = params.domesticConsumptionShare[holder];
    let cons: { tonnes: number } | null = p ? { tonnes: p.value * (D ?? 0) } : null;
    if (!cons && demandData && !demandProxy && D) {
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
  });
  assumptions.push(
    `Recovery: spare capacity delivers after ${params.spareLeadMonths.value} months; other suppliers add ${(params.rampUpSharePerYear.value.central * 100).toFixed(0)}% of their output per year; the shock ends after ${s.shock.durationMonths} months; demand response to price is not netted from the shortfall.`,
  );

  const summary = (p: typeof pmF): StageSummary | null =>
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

  const defaultedList = defaulted.map((k) => ({
    parameter: k,
    value: (params[k as keyof StressParameters] as { value: unknown }).value,
    flag: 'default — no published value',
  }));
  if (!stockpileGiven)
    defaultedList.push({ parameter: 'stockpile', value: STRESS_DEFAULTS.stockpilePolicy, flag: 'no stockpile given; Japan 60-day preset applied' });
  if (demandProxy) defaultedList.push({ parameter: 'demand', value: 'world production', flag: 'no demand data; proxy' });
  for (const c of cov.consumptionShareUnknown)
    defaultedList.push({ parameter: `domesticConsumptionShare.${c}`, value: null, flag: 'unknown — netted coverage not computed' });

  return {
    scenario: s,
    materialId,
    material,
    year: s.year,
    stage,
    excluded: cov.excluded.map((e) => ({ countryId: e.countryId, country: countryName(e.countryId), supplyTonnes: e.tonnes, share: e.share })),
    exclusionNotes: described,
    network: {
      mining: summary(pmF),
      refining: summary(prF),
      yieldRefinedPerMined: net.yieldRefinedPerMined,
      flows: net.flows.map((f) => ({ ...f, oreTonnes: round(f.oreTonnes) })),
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
    ownUse: ownUseDetails,
    coverage: { ...cov, stage, impliedConsumptionShareForFullCover: D ? Math.max(0, impliedConsumptionShare(cov.remainingTonnes, D, 1)) : null },
    headline: stressHeadline({
      stage,
      mode: s.shock.mode,
      fraction: s.shock.fraction,
      excluded: cov.excluded.map((e) => e.countryId),
      coverage: cov,
      demandProxy,
      propagation: prop,
      price: { ...price, spareCapacity: { share: spare, fromData: !!spareData } },
      stockpile: { days: rec.stockpileDaysOfCover, stockpileTonnes: stockTonnes, holder },
    }),
    shortfall: prop.rows.map((r) => ({ ...r, country: r.countryId ? countryName(r.countryId) : null })),
    importerExposure,
    propagation: {
      lastStage: prop.lastStage,
      lastStageSupplyTonnes: prop.lastStageSupplyTonnes,
      lostToConsumersTonnes: prop.lostToConsumersTonnes,
      withheldOreTonnes: prop.withheldOreTonnes,
      conservationErrorTonnes: prop.conservationErrorTonnes,
      upperBound: prop.upperBound,
    },
    price: {
      ...price,
      spareCapacity: { share: spare, fromData: !!spareData, tonnes: spareData?.tonnes ?? null, countries: spareData?.countries ?? [] },
      money: money.money,
      elasticities,
    },
    stockpile: { ...rec, holder, holderOwnUse, stockpileTonnes: stockTonnes, basis: stockBasis, holderConsumptionTonnesPerYear: holderConsumption },
    assumptions: [...new Set(assumptions)],
    defaulted: defaultedList,
    gaps,
    sources: [...sources.values()],
  };
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
