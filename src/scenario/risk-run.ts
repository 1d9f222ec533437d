/**
 * A risk run's report (the built spec's context + the distributions) and the side-by-side comparison of several runs
 * (baseline vs policy). Running the samples is the caller's: `runMonteCarlo` in this thread, or the worker pool
 * (src/api/workers/risk-pool.ts) over all cores — both give the same summary for the same seed.
 */
import type { DatasetIndex } from '../engine/dataset.ts';
import { countryName } from '../model/countries.ts';
import { runMonteCarlo, type RiskSummary } from '../engine/risk/montecarlo.ts';
import { riskResults, type Dist, type MaterialRisk } from '../engine/risk/report.ts';
import type { LikelihoodRow, PoolRow } from '../engine/risk/likelihood.ts';
import { buildRiskSpec, type BuiltRisk, type RiskMaterialInfo } from './risk-build.ts';
import type { RiskScenario } from './risk-schema.ts';

export interface RiskReport {
  name: string | null;
  scenario: RiskScenario;
  seed: number;
  samples: number;
  specKey: string;
  model: { correlation: number; severity: { low: number; high: number }; durationMonths: { min: number; max: number } };
  materials: Array<MaterialRisk & Omit<RiskMaterialInfo, 'materialId' | 'name' | 'unit' | 'demandTonnesPerYear'>>;
  basket: (NonNullable<ReturnType<typeof riskResults>['basket']> & { unit: string | null; source: string | null; note: string | null }) | null;
  likelihood: {
    params: BuiltRisk['likelihood']['params'];
    pools: PoolRow[];
    units: Array<LikelihoodRow & { country: string }>;
    notes: string[];
  };
  assumptions: string[];
  defaulted: BuiltRisk['defaulted'];
  gaps: string[];
}

export function riskReport(built: BuiltRisk, summary: RiskSummary): RiskReport {
  const res = riskResults(built.spec, summary);
  return {
    name: built.scenario.name ?? null,
    scenario: built.scenario,
    seed: res.seed,
    samples: res.samples,
    specKey: res.specKey,
    model: { correlation: built.spec.correlation, severity: built.spec.severity, durationMonths: built.spec.durationMonths },
    materials: res.materials.map((m, i) => {
      const { materialId: _i, name: _n, unit: _u, demandTonnesPerYear: _d, ...info } = built.materials[i];
      return { ...m, ...info };
    }),
    basket: res.basket ? { ...res.basket, unit: built.basket?.unit ?? null, source: built.basket?.source ?? null, note: built.basket?.note ?? null } : null,
    likelihood: {
      params: built.likelihood.params,
      pools: built.likelihood.pools,
      units: built.likelihood.rows.map((r) => ({ ...r, country: countryName(r.countryId) })),
      notes: built.likelihood.notes,
    },
    assumptions: built.assumptions,
    defaulted: built.defaulted,
    gaps: built.gaps,
  };
}

/** Build and run a scenario in this thread (tests, small runs). */
export function runRiskScenario(index: DatasetIndex, s: RiskScenario): RiskReport {
  const built = buildRiskSpec(index, s);
  return riskReport(built, runMonteCarlo(built.spec, built.seed));
}

// ------------------------------------------------------------------------------------------------ comparison

export interface ComparisonRow {
  /** Material id, or "basket". */
  materialId: string;
  name: string;
  unit: string;
  metric: string;
  values: number[];
  /** value − baseline (the first scenario), per scenario. */
  deltas: number[];
}

export interface RiskComparison {
  scenarios: Array<{ name: string; seed: number; samples: number; specKey: string }>;
  rows: ComparisonRow[];
  notes: string[];
}

const METRICS: Array<[string, (m: MaterialRisk) => number, string | null]> = [
  ['P(shortfall > 0)', (m) => m.shortfallTonnes.probabilityPositive, 'share'],
  ['expected shortfall', (m) => m.shortfallTonnes.mean, null],
  ['CVaR 95% shortfall', (m) => m.shortfallTonnes.cvar95, null],
  ['p95 shortfall', (m) => m.shortfallTonnes.p95, null],
  ['expected days short', (m) => m.daysShort.mean, 'days'],
  ['CVaR 95% days short', (m) => m.daysShort.cvar95, 'days'],
  ['price change p50', (m) => m.priceChange.p50, 'share'],
  ['price change p95', (m) => m.priceChange.p95, 'share'],
];

/** Side by side: the same metrics for each run, and each run's difference from the first (the baseline). */
export function compareRisk(reports: RiskReport[]): RiskComparison {
  if (reports.length < 2) throw new Error('compare needs at least two scenarios');
  const notes: string[] = [];
  const ids = [...new Set(reports.flatMap((r) => r.materials.map((m) => m.materialId)))];
  const rows: ComparisonRow[] = [];
  for (const id of ids) {
    const ms = reports.map((r) => r.materials.find((m) => m.materialId === id) ?? null);
    const missing = reports.filter((_, i) => !ms[i]).map((r, i) => r.name ?? `scenario ${i + 1}`);
    if (missing.length) notes.push(`${id} is not in ${missing.join(', ')}: shown as NaN there.`);
    const any = ms.find((m) => m)!;
    for (const [metric, f, unit] of METRICS) {
      const values = ms.map((m) => (m ? f(m) : NaN));
      rows.push({ materialId: id, name: any.name, unit: unit ?? any.unit, metric, values, deltas: values.map((v) => v - values[0]) });
    }
  }
  if (reports.every((r) => r.basket)) {
    const b: Array<[string, (d: { shortfallShare: Dist; daysShort: Dist }) => number, string]> = [
      ['P(basket short)', (d) => d.shortfallShare.probabilityPositive, 'share'],
      ['expected basket shortfall (share of demand)', (d) => d.shortfallShare.mean, 'share'],
      ['CVaR 95% basket shortfall (share of demand)', (d) => d.shortfallShare.cvar95, 'share'],
      ['expected days short (longest input)', (d) => d.daysShort.mean, 'days'],
    ];
    for (const [metric, f, unit] of b) {
      const values = reports.map((r) => f(r.basket!));
      rows.push({ materialId: 'basket', name: reports[0].basket!.name, unit, metric, values, deltas: values.map((v) => v - values[0]) });
    }
  }
  const seeds = new Set(reports.map((r) => r.seed));
  if (seeds.size > 1) notes.push('The runs use different seeds: part of each difference is sampling noise (compare with the standard errors).');
  else
    notes.push(
      'The runs share one seed (common random numbers): the same disruptions are drawn where the likelihood model agrees, so differences come from the policy, not from sampling.',
    );
  return {
    scenarios: reports.map((r, i) => ({ name: r.name ?? `scenario ${i + 1}`, seed: r.seed, samples: r.samples, specKey: r.specKey })),
    rows,
    notes,
  };
}
