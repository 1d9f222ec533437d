/**
 * Builds a Monte Carlo `RiskSpec` from a risk scenario and the knowledge base: per material the stress engine's inputs
 * (stage supply, ore → refinery network, demand by sector, spare capacity, parameters), the disruption units and their
 * likelihoods (registry history × governance × concentration, src/engine/risk/likelihood.ts), and everything the
 * report must say about them (years used, sources, assumptions, defaulted parameters, gaps).
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { getMaterial, MATERIALS, resolveMaterial, suggestMaterials } from '../model/materials.ts';
import { isAggregateEntity } from '../model/schema.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import { cite, type Citation } from '../model/provenance.ts';
import { buildNetwork, type NetworkStage } from '../engine/stress/network.ts';
import { pickStageSupply, spareCapacityFromData, stressSupplyChoice } from '../engine/stress/inputs.ts';
import { wgiScaled, WGI_INDICATORS, type WgiIndicator } from '../engine/governance.ts';
import { riskMaterialFromNetwork, unitsOf } from '../engine/risk/network.ts';
import type { RiskSpec, RiskUnit } from '../engine/risk/model.ts';
import { LIKELIHOOD_DEFAULTS, likelihoods, type LikelihoodParams, type LikelihoodResult, type LikelihoodUnit } from '../engine/risk/likelihood.ts';
import { RiskInputError } from '../engine/risk/montecarlo.ts';
import { basketById, BASKETS, type Basket } from '../data/risk-baskets.ts';
import { parametersFor, STOCKPILE_POLICIES } from './parameters.ts';
import { RISK_DEFAULTS, RiskScenarioSchema, type RiskScenario } from './risk-schema.ts';

export class RiskScenarioError extends Error {
  constructor(
    readonly file: string | null,
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(`${file ? `${file}: ` : ''}${field ? `${field}: ` : ''}${reason}`);
    this.name = 'RiskScenarioError';
  }
}

export function validateRiskScenario(data: unknown, file: string | null = null): RiskScenario {
  if (data && typeof data === 'object' && 'version' in data && (data as { version: unknown }).version !== 1)
    throw new RiskScenarioError(
      file,
      'version',
      `unsupported risk scenario version ${JSON.stringify((data as { version: unknown }).version)}; this build reads version 1`,
    );
  const r = RiskScenarioSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new RiskScenarioError(file, issue.path.join('.') || null, issue.message);
  }
  return r.data;
}

export function loadRiskScenarioFile(path: string): RiskScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RiskScenarioError(path, null, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (e) {
    throw new RiskScenarioError(path, null, `not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  return validateRiskScenario(data, path);
}

export interface RiskMaterialInfo {
  materialId: string;
  name: string;
  year: number;
  unit: string;
  demandTonnesPerYear: number;
  demandProxy: boolean;
  stockpileTonnes: number;
  stockpileBasis: string;
  spareCapacityFromData: boolean;
  kgPerUnit: number | null;
  sources: Citation[];
}

export interface BuiltRisk {
  scenario: RiskScenario;
  spec: RiskSpec;
  seed: number;
  likelihood: LikelihoodResult;
  materials: RiskMaterialInfo[];
  basket: Basket | null;
  assumptions: string[];
  defaulted: Array<{ parameter: string; value: unknown; flag: string }>;
  gaps: string[];
}

const DEFAULT_FLAG = 'default — no published value';

/** Latest year ≤ `year` with supply by country for the material (any stage). */
function yearFor(index: DatasetIndex, materialId: string, year: number): number | null {
  const ys = [...new Set([...index.years(materialId, 'mining'), ...index.years(materialId, 'refining')])].filter((y) => y <= year).sort((a, b) => b - a);
  for (const y of ys) if (pickStageSupply(index, materialId, 'refining', y).supply || pickStageSupply(index, materialId, 'mining', y).supply) return y;
  return null;
}

const wgiCache = new WeakMap<DatasetIndex, Map<string, number>>();
/** Scaled WGI (EU JRC, 0 best .. 10 worst) of each country, its latest year with all six indicators. */
export function latestWgi(index: DatasetIndex): Map<string, number> {
  const hit = wgiCache.get(index);
  if (hit) return hit;
  const by = new Map<string, Map<number, Partial<Record<WgiIndicator, number>>>>();
  for (const g of index.data.governance) {
    let ys = by.get(g.countryId);
    if (!ys) by.set(g.countryId, (ys = new Map()));
    const e = ys.get(g.year) ?? {};
    e[g.indicator] = g.estimate;
    ys.set(g.year, e);
  }
  const out = new Map<string, number>();
  for (const [c, ys] of by) {
    for (const y of [...ys.keys()].sort((a, b) => b - a)) {
      const est = ys.get(y)!;
      if (WGI_INDICATORS.every((i) => est[i] !== undefined)) {
        const v = wgiScaled(est);
        if (v !== null) {
          out.set(c, v);
          break;
        }
      }
    }
  }
  wgiCache.set(index, out);
  return out;
}

const universeCache = new WeakMap<DatasetIndex, Map<number, LikelihoodUnit[]>>();
/** Every supplier unit of the knowledge base (country × material × stage, share of the stage) in its latest year ≤ `year`:
 * the pool the likelihood model's base rates are estimated on. */
export function supplierUniverse(index: DatasetIndex, year: number): LikelihoodUnit[] {
  let byYear = universeCache.get(index);
  if (!byYear) universeCache.set(index, (byYear = new Map()));
  const hit = byYear.get(year);
  if (hit) return hit;
  const out: LikelihoodUnit[] = [];
  for (const m of MATERIALS) {
    for (const stage of ['mining', 'refining'] as const) {
      const ys = index
        .years(m.id, stage)
        .filter((y) => y <= year)
        .sort((a, b) => b - a);
      for (const y of ys) {
        const s = pickStageSupply(index, m.id, stage, y).supply;
        if (!s || !(s.totalTonnes > 0)) continue;
        for (const c of s.countries)
          if (!isAggregateEntity(c.countryId) && c.tonnes > 0) out.push({ countryId: c.countryId, materialId: m.id, stage, share: c.tonnes / s.totalTonnes });
        break;
      }
    }
  }
  byYear.set(year, out);
  return out;
}

export function resolveRiskMaterials(s: RiskScenario): { ids: string[]; basket: Basket | null } {
  if (s.basket) {
    const b = basketById(s.basket);
    if (!b) throw new RiskInputError('basket', `unknown basket "${s.basket}"; baskets: ${BASKETS.map((x) => x.id).join(', ')}`, 'not_found');
    return { ids: b.members.map((m) => m.materialId), basket: b };
  }
  const ids = (s.materials ?? []).map((raw) => {
    const id = resolveMaterial(raw);
    if (!id)
      throw new RiskInputError(
        'materials',
        `unknown material "${raw}". Did you mean: ${suggestMaterials(raw).join(', ')}? (run "chokepoint materials" for the list)`,
        'not_found',
      );
    return id;
  });
  return { ids: [...new Set(ids)], basket: null };
}

export function buildRiskSpec(index: DatasetIndex, s: RiskScenario): BuiltRisk {
  const { ids, basket } = resolveRiskMaterials(s);
  const assumptions: string[] = [];
  const gaps: string[] = [];
  const defaulted: BuiltRisk['defaulted'] = [];
  const infos: RiskMaterialInfo[] = [];
  const mats: RiskSpec['materials'] = [];
  for (const materialId of ids) {
    const name = getMaterial(materialId)?.name ?? materialId;
    const year = yearFor(index, materialId, s.year);
    if (year === null) {
      const yrs = [...new Set([...index.years(materialId, 'mining'), ...index.years(materialId, 'refining')])].sort();
      throw new RiskInputError(
        'materials',
        `no supply data by country for ${name} in or before ${s.year}; years with data: ${yrs.join(', ') || 'none'}`,
        'not_found',
      );
    }
    if (year !== s.year) assumptions.push(`${name}: no supply by country for ${s.year}; the latest earlier year (${year}) is used.`);
    const choice = stressSupplyChoice(index, materialId, 'refining', year, { dataset: s.dataset, demandScenario: s.demandScenario });
    const sel = { dataset: choice.dataset };
    const pm = pickStageSupply(index, materialId, 'mining', year, sel);
    const pr = pickStageSupply(index, materialId, 'refining', year, sel);
    const pmF = pm.supply || !choice.dataset ? pm : pickStageSupply(index, materialId, 'mining', year);
    const prF = pr.supply || !choice.dataset ? pr : pickStageSupply(index, materialId, 'refining', year);
    let mining = pmF.supply;
    const refining = prF.supply;
    if (mining && refining && mining.unit !== refining.unit) {
      assumptions.push(
        `${name}: mining and refining series are in different units (${mining.unit} vs ${refining.unit}); only the refining stage is simulated.`,
      );
      mining = null;
    }
    const { params, defaulted: def } = parametersFor(materialId, s.parameters);
    // The Monte Carlo's recovery has no recycled input (it has no EoL-RIR reading): the parameter is not used here, so it
    // is neither listed as defaulted nor silently dropped when given.
    if (s.parameters?.recyclingRampSharePerYear)
      gaps.push(`${name}: parameters.recyclingRampSharePerYear is applied in stress tests only; the Monte Carlo's recovery does not model recycling`);
    for (const k of def.filter((k) => k !== 'recyclingRampSharePerYear'))
      defaulted.push({ parameter: `${materialId}.${k}`, value: (params[k as keyof typeof params] as { value: unknown }).value, flag: DEFAULT_FLAG });
    const net = buildNetwork(materialId, year, mining, refining, params.flowRules);
    const last = (refining ?? mining)!;
    const sources: Citation[] = [];
    for (const p of [pmF, prF]) if (p.source && p.supply) sources.push(cite(p.source, p.detail, name));
    let demand = last.totalTonnes;
    let demandProxy = true;
    let sectors: Array<{ sector: string; tonnes: number }> = [];
    if (choice.demand) {
      demand = choice.demand.totalTonnes;
      demandProxy = false;
      sectors = choice.demand.sectors;
      sources.push(cite(choice.demand.source, `demand${choice.demand.scenario ? `, ${choice.demand.scenario}` : ''}`, name));
    } else {
      gaps.push(`demand for ${name} ${year} (proxy used: world ${last.stage} production)`);
      defaulted.push({ parameter: `${materialId}.demand`, value: 'world production', flag: 'no demand data; proxy' });
    }
    const spareData = spareCapacityFromData(index, materialId, last.stage, year, last, new Set());
    const spareShare = spareData ? Math.min(1, spareData.tonnes / last.totalTonnes) : params.spareCapacityShare.value.central;
    if (spareData) sources.push(cite(spareData.source, 'capacity', name));
    const days = s.stockpile?.days ?? (s.stockpile?.policy ? STOCKPILE_POLICIES[s.stockpile.policy].value : 0);
    const stockpileTonnes = (days * demand) / 365;
    const stockpileBasis = s.stockpile?.policy
      ? `${days} days of consumption — ${s.stockpile.policy} preset: ${STOCKPILE_POLICIES[s.stockpile.policy].source}`
      : `${days} days of world consumption${s.stockpile?.days === undefined ? ' (no stockpile given)' : ' (scenario)'}`;
    mats.push(
      riskMaterialFromNetwork(net, {
        name,
        demandTonnesPerYear: demand,
        demandProxy,
        sectors,
        spareCapacityShare: spareShare,
        spareLeadMonths: params.spareLeadMonths.value,
        rampUpSharePerYear: params.rampUpSharePerYear.value.central,
        demandElasticity: params.demandElasticity.value.central,
        supplyElasticity: params.supplyElasticity.value.central,
        stockpileTonnes,
      }),
    );
    infos.push({
      materialId,
      name,
      year,
      unit: last.unit,
      demandTonnesPerYear: demand,
      demandProxy,
      stockpileTonnes,
      stockpileBasis,
      spareCapacityFromData: !!spareData,
      kgPerUnit: basket?.members.find((m) => m.materialId === materialId)?.kgPerUnit ?? null,
      sources,
    });
  }

  // Disruption units and their likelihoods.
  const lp: LikelihoodParams = { ...LIKELIHOOD_DEFAULTS, ...s.likelihood, overrides: s.likelihood?.overrides ?? [] };
  for (const o of lp.overrides) {
    if (o.material && !resolveMaterial(o.material))
      throw new RiskInputError('likelihood.overrides', `unknown material "${o.material}" in an override`, 'not_found');
    if (o.material) o.material = resolveMaterial(o.material)!;
  }
  for (const k of ['windowStartYear', 'windowEndYear', 'priorWeightYears', 'majorShare'] as const)
    if (s.likelihood?.[k] === undefined) defaulted.push({ parameter: `likelihood.${k}`, value: LIKELIHOOD_DEFAULTS[k], flag: DEFAULT_FLAG });
  const targets: Array<LikelihoodUnit & { material: number; supplier: number }> = [];
  mats.forEach((mat, mi) => {
    for (const u of unitsOf(mat))
      targets.push({ countryId: u.countryId, materialId: mat.materialId, stage: u.stage, share: u.share, material: mi, supplier: u.supplier });
  });
  const lik = likelihoods(index.data.registry?.measures ?? [], latestWgi(index), supplierUniverse(index, s.year), targets, lp);
  if (!index.data.registry?.measures.length)
    gaps.push('No export-measure history in the knowledge base (registry empty): every unit gets the pooled prior only.');
  const countries: string[] = [];
  const units: RiskUnit[] = targets.map((t, i) => {
    if (!countries.includes(t.countryId)) countries.push(t.countryId);
    return {
      countryId: t.countryId,
      country: countries.indexOf(t.countryId),
      material: t.material,
      stage: t.stage as NetworkStage,
      supplier: t.supplier,
      probability: lik.rows[i].probability,
    };
  });
  for (const o of lp.overrides)
    if (!lik.rows.some((r) => r.basis === 'override' && r.countryId === o.country.toUpperCase()))
      gaps.push(`Override for ${o.country}${o.material ? ` / ${o.material}` : ''}${o.stage ? ` / ${o.stage}` : ''} matches no supplier in this run.`);
  for (const [k, v] of [
    ['correlation', RISK_DEFAULTS.correlation],
    ['severity', RISK_DEFAULTS.severity],
    ['durationMonths', RISK_DEFAULTS.durationMonths],
  ] as const)
    if (JSON.stringify(s[k]) === JSON.stringify(v) && !s.sources?.[k]) defaulted.push({ parameter: k, value: v, flag: DEFAULT_FLAG });
  assumptions.push(
    'An export control stops a share of the country’s flows to buyers abroad (its own refiners keep their ore); at the refining stage the whole share of its output is counted as lost to the world market (own use unknown: an upper bound, as in the stress test).',
    'Spare capacity (central) and other producers’ ramp-up replace part of the loss month by month; the stockpile covers the rest until it runs out; demand response to price is not netted from the shortfall.',
    'A country’s controls on several materials share one shock variable (Gaussian copula with correlation ρ) and one episode duration per sample.',
  );
  const spec: RiskSpec = {
    version: 1,
    name: s.name ?? null,
    materials: mats,
    countries,
    units,
    correlation: s.correlation,
    severity: s.severity,
    durationMonths: s.durationMonths,
    samples: s.samples,
    basket: basket ? { id: basket.id, name: basket.name } : mats.length > 1 ? { id: 'custom', name: `${infos.map((m) => m.name).join(', ')}` } : null,
  };
  return { scenario: s, spec, seed: s.seed, likelihood: lik, materials: infos, basket, assumptions, defaulted, gaps };
}
