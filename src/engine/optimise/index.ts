/**
 * The four optimisations as requests on the knowledge base (what the CLI, the API and the worker thread run):
 * scenarios come from the request when given, else — for the stockpile and coordinated-stockpile optimisations — from
 * the Monte Carlo disruption engine (./from-risk.ts, `scenarioSource: 'risk'`, the default) or the stress-engine
 * stand-in (./from-stress.ts, `scenarioSource: 'stress'`); the portfolio's expected-shortfall objective uses the stand-in
 * (its scenarios must name the suppliers they stop). Every answer says which source, and which seed, it used.
 */
import type { Citation } from '../../model/provenance.ts';
import type { DatasetIndex } from '../dataset.ts';
import type { NetworkStage } from '../stress/network.ts';
import { buildCoalition, type CoalitionBuilderOptions, type CoalitionBuilderReport } from './coalition.ts';
import { n1Baselines, stressScenarios, type StressScenarioOptions } from './from-stress.ts';
import { riskScenarios } from './from-risk.ts';
import { optimisePortfolio, type PortfolioOption, type PortfolioResult } from './portfolio.ts';
import type { ShortfallScenarios } from './scenarios.ts';
import { OptimiseError } from './solver.ts';
import { optimiseCoordinated, optimiseStockpile, type CoordinatedResult, type Holder, type MaterialTerms, type StockpileResult } from './stockpile.ts';

export { OptimiseError } from './solver.ts';
export type { ShortfallScenarios } from './scenarios.ts';

interface ScenarioRequest {
  materials: string[];
  stage: NetworkStage;
  year: number;
  dataset?: string;
  demandScenario?: string;
  /** Monte Carlo (or any) scenarios in the plain shape; when absent, the stress-derived stand-in is built. */
  scenarios?: ShortfallScenarios;
  probability?: number;
  topSuppliers?: number;
  durationDays?: number;
}

export type ScenarioSource = 'risk' | 'stress';

/** Stockpile and coordinated stockpiles: where their scenarios come from when none are given. */
interface SourcedScenarioRequest extends ScenarioRequest {
  /** 'risk' (default): Monte Carlo disruption engine; 'stress': the stress-derived stand-in. */
  scenarioSource?: ScenarioSource;
  /** Monte Carlo: seed (default 1) and samples (default 2,000, at most 20,000). */
  seed?: number;
  samples?: number;
}

interface TermsRequest {
  /** Price per tonne by material (money budgets). */
  prices?: Record<string, number>;
  shortfallCosts?: Record<string, number>;
  /** Release only once the shortfall reaches this share of the holder's demand over the disruption. */
  triggerShare?: number;
  /** Release at most this share of the holder's daily demand a day. */
  maxReleaseShare?: number;
}

export interface StockpileRequest extends SourcedScenarioRequest, TermsRequest {
  kind: 'stockpile';
  budget: number;
  budgetKind: 'money' | 'tonnes';
  currency?: string;
  holderShare?: number;
  minStock?: Record<string, number>;
}

export interface CoordinatedRequest extends SourcedScenarioRequest, TermsRequest {
  kind: 'coordinated';
  holders: Holder[];
  budgetKind: 'money' | 'tonnes';
  currency?: string;
  totalBudget?: number;
  sharing: number;
  participation?: boolean;
}

export interface PortfolioRequest extends ScenarioRequest {
  kind: 'portfolio';
  objective: 'expected-shortfall' | 'n1-coverage';
  budget: number;
  options: PortfolioOption[];
  shortfallCosts?: Record<string, number>;
}

export interface CoalitionRequest extends CoalitionBuilderOptions {
  kind: 'coalition';
}

export type OptimiseRequest = StockpileRequest | CoordinatedRequest | PortfolioRequest | CoalitionRequest;

export interface ScenarioInfo {
  /** 'risk' = Monte Carlo engine, 'stress' = stress-derived stand-in, 'given' = with the request. */
  source: ScenarioSource | 'given';
  /** Monte Carlo seed and samples (null for other sources). */
  seed: number | null;
  samples: number | null;
  origin: string;
  count: number;
  labels: string[];
  notes: string[];
}

export type OptimiseReport =
  | { kind: 'stockpile'; request: StockpileRequest; scenarios: ScenarioInfo; result: StockpileResult; sources: Citation[] }
  | { kind: 'coordinated'; request: CoordinatedRequest; scenarios: ScenarioInfo; result: CoordinatedResult; sources: Citation[] }
  | { kind: 'portfolio'; request: PortfolioRequest; scenarios: ScenarioInfo | null; result: PortfolioResult; sources: Citation[] }
  | { kind: 'coalition'; request: CoalitionRequest; result: CoalitionBuilderReport; sources: Citation[] };

interface BuiltScenarios {
  set: ShortfallScenarios;
  demand: number[] | null;
  notes: string[];
  sources: Citation[];
  source: ScenarioInfo['source'];
  seed: number | null;
  samples: number | null;
}

function scenariosFor(index: DatasetIndex, r: SourcedScenarioRequest, holderShare: number | undefined, fallback: ScenarioSource): BuiltScenarios {
  const source = r.scenarioSource ?? fallback;
  if (r.scenarios) {
    const missing = r.materials.filter((m) => !r.scenarios!.materials.includes(m));
    if (missing.length)
      throw new OptimiseError('scenarios', `the scenarios do not cover ${missing.join(', ')} (they cover ${r.scenarios.materials.join(', ')})`);
    if (r.scenarioSource || r.seed !== undefined || r.samples !== undefined)
      throw new OptimiseError('scenarios', 'scenarios are given with the request: leave out scenarioSource, seed and samples');
    return {
      set: r.scenarios,
      demand: null,
      notes: [`Scenarios given with the request${r.scenarios.origin ? ` (${r.scenarios.origin})` : ''}.`],
      sources: [],
      source: 'given',
      seed: null,
      samples: null,
    };
  }
  if (source === 'risk') {
    for (const k of ['probability', 'topSuppliers', 'durationDays'] as const)
      if (r[k] !== undefined)
        throw new OptimiseError(
          k,
          `${k} applies to the stress-derived stand-in only: choose scenario source "stress" (CLI --scenario-source, API scenarioSource) or leave ${k} out`,
        );
    const s = riskScenarios(index, { ...r, holderShare });
    return { set: s.scenarios, demand: s.demandTonnes, notes: s.notes, sources: s.sources, source, seed: s.seed, samples: s.samples };
  }
  for (const k of ['seed', 'samples'] as const)
    if (r[k] !== undefined) throw new OptimiseError(k, `${k} applies to the Monte Carlo scenarios only; leave it out with scenarioSource "${source}"`);
  const o: StressScenarioOptions = { ...r, holderShare };
  const s = stressScenarios(index, o);
  return { set: s.scenarios, demand: s.demandTonnes, notes: s.notes, sources: s.sources, source: 'stress', seed: null, samples: null };
}

const info = (s: BuiltScenarios): ScenarioInfo => ({
  source: s.source,
  seed: s.seed,
  samples: s.samples,
  origin: s.set.origin ?? 'given',
  count: s.set.scenarios.length,
  labels: s.set.scenarios.map((x, i) => x.label ?? `scenario ${i + 1}`),
  notes: s.notes,
});

function termsFor(
  b: BuiltScenarios,
  r: TermsRequest,
  demand: number[] | null,
  share: number,
  minStock?: Record<string, number>,
): Record<string, MaterialTerms> {
  const set = b.set;
  // The stand-in's scenarios all last the same; Monte Carlo draws do not, so there the trigger is a share of a year's demand.
  const days = b.source === 'risk' ? 365 : (set.scenarios[0]?.durationDays ?? 365);
  if (r.triggerShare !== undefined && b.source === 'risk')
    b.notes.push(`Release trigger: ${r.triggerShare} of the holder's annual demand (the draws' disruptions differ in length).`);
  if ((r.triggerShare !== undefined || r.maxReleaseShare !== undefined) && !demand)
    throw new OptimiseError(
      'triggerShare',
      'release rules as shares of demand need the knowledge base’s demand; with given scenarios, give triggers in the scenario terms instead',
    );
  const terms: Record<string, MaterialTerms> = {};
  set.materials.forEach((m, i) => {
    const holderDemand = demand ? demand[i] * share : NaN;
    terms[m] = {
      ...(r.prices?.[m] !== undefined ? { costPerTonne: r.prices[m] } : {}),
      ...(r.shortfallCosts?.[m] !== undefined ? { shortfallCostPerTonne: r.shortfallCosts[m] } : {}),
      ...(r.triggerShare !== undefined ? { triggerTonnes: r.triggerShare * holderDemand * (days / 365) } : {}),
      ...(r.maxReleaseShare !== undefined ? { maxReleaseTonnesPerDay: (r.maxReleaseShare * holderDemand) / 365 } : {}),
      ...(minStock?.[m] !== undefined ? { minStockTonnes: minStock[m] } : {}),
    };
  });
  for (const k of [...Object.keys(r.prices ?? {}), ...Object.keys(r.shortfallCosts ?? {}), ...Object.keys(minStock ?? {})])
    if (!set.materials.includes(k))
      throw new OptimiseError(
        'material',
        `a price, shortfall cost or minimum stock is given for "${k}", which is not in the basket (${set.materials.join(', ')})`,
        'not_found',
      );
  return terms;
}

export async function runOptimisation(index: DatasetIndex, r: OptimiseRequest): Promise<OptimiseReport> {
  switch (r.kind) {
    case 'stockpile': {
      const share = r.holderShare ?? 1;
      const s = scenariosFor(index, r, share, 'risk');
      const terms = termsFor(s, r, s.demand, share, r.minStock);
      const result = await optimiseStockpile({
        scenarios: s.set,
        budget: r.budgetKind === 'money' ? { kind: 'money', amount: r.budget, currency: r.currency } : { kind: 'tonnes', amount: r.budget },
        terms,
      });
      return { kind: 'stockpile', request: r, scenarios: info(s), result, sources: s.sources };
    }
    case 'coordinated': {
      const s = scenariosFor(index, r, 1, 'risk');
      const terms = termsFor(s, r, s.demand, 1);
      const result = await optimiseCoordinated({
        scenarios: s.set,
        holders: r.holders,
        budgetKind: r.budgetKind,
        currency: r.currency,
        totalBudget: r.totalBudget,
        terms,
        shareableFraction: r.sharing,
        participation: r.participation,
      });
      return { kind: 'coordinated', request: r, scenarios: info(s), result, sources: s.sources };
    }
    case 'portfolio': {
      if (r.objective === 'n1-coverage') {
        const b = n1Baselines(index, r);
        const result = await optimisePortfolio({ options: r.options, budget: r.budget, objective: r.objective, n1: b.baselines });
        return { kind: 'portfolio', request: r, scenarios: null, result, sources: b.sources };
      }
      const s = scenariosFor(index, r, undefined, 'stress');
      const result = await optimisePortfolio({
        options: r.options,
        budget: r.budget,
        objective: r.objective,
        scenarios: s.set,
        shortfallCostPerTonne: r.shortfallCosts,
      });
      return { kind: 'portfolio', request: r, scenarios: info(s), result, sources: s.sources };
    }
    case 'coalition': {
      const result = await buildCoalition(index, r);
      return { kind: 'coalition', request: r, result, sources: result.sources };
    }
  }
}
