/**
 * Annual likelihood that a supplier country puts an export control on a material at a stage, from three things the
 * knowledge base holds: the export-measure history in the registry, governance (World Bank WGI, as the EU JRC scales
 * it) and concentration (the country's share of the stage). Pure. Model (docs/risk.md §1):
 *
 *  events     n_u = export measures of the country on the material (group-aware) at the stage, of the counted types,
 *                   dated (effective, else announced) within the window of T years;
 *  pooled     λ_pool(stage, tier) = (Σ n + ½) / (units × T) over every supplier unit of the knowledge base in the same
 *                   stage and concentration tier (major: share ≥ majorShare; minor: below) — an empirical-Bayes pool;
 *                   the ½ event (Jeffreys) keeps a pool with no recorded event small rather than zero;
 *  prior      λ_prior = λ_pool × WGI_c / mean WGI of the pool (governance scales the rate linearly, as the JRC
 *                   supply-risk formula uses WGI; 1 when the country has no WGI, reported);
 *  posterior  λ | n ~ Gamma(a = λ_prior·w + n, b = w + T): the prior counts as w unit-years of evidence;
 *  probability of at least one control in a year: p = 1 − (b / (b + 1))^a (posterior predictive, Gamma–Poisson);
 *  range      p at the 5% and 95% posterior quantiles of λ: 1 − exp(−λ_q).
 * Every parameter is overridable in the scenario file, and a unit's probability can be set outright (with a source).
 */
import type { TradeMeasure } from '../../model/registry.ts';
import type { NetworkStage } from '../stress/network.ts';
import { concerns } from '../registry.ts';

type MeasureType = TradeMeasure['measureType'];

export interface LikelihoodParams {
  windowStartYear: number;
  windowEndYear: number;
  /** Weight of the prior, in unit-years of evidence (w). */
  priorWeightYears: number;
  measureTypes: MeasureType[];
  /** Count measures suspended before they took effect (announced, never applied). */
  includeNeverApplied: boolean;
  /** Scale the prior by the country's governance (scaled WGI ÷ pool mean). */
  governance: boolean;
  /** Share of a stage at or above which a supplier is in the "major" concentration tier. */
  majorShare: number;
  /** Which value the Monte Carlo uses: the posterior predictive (central) or an end of the 5–95% range. */
  use: 'central' | 'low' | 'high';
  overrides: Array<{ country: string; material?: string; stage?: NetworkStage; annualProbability: number; source: string }>;
}

export const LIKELIHOOD_DEFAULTS: LikelihoodParams = {
  windowStartYear: 2010,
  windowEndYear: 2025,
  priorWeightYears: 10,
  measureTypes: ['ban', 'licence', 'quota'],
  includeNeverApplied: false,
  governance: true,
  majorShare: 0.25,
  use: 'central',
  overrides: [],
};

export interface LikelihoodUnit {
  countryId: string;
  materialId: string;
  stage: NetworkStage;
  share: number;
}

export interface LikelihoodRow extends LikelihoodUnit {
  tier: 'major' | 'minor';
  wgiScaled: number | null;
  evidence: { events: number; measureIds: string[]; windowYears: number };
  prior: { ratePerYear: number; probability: number; pooledRatePerYear: number; governanceFactor: number };
  posterior: { ratePerYear: number; probability: number; low: number; high: number };
  /** The probability the Monte Carlo uses. */
  probability: number;
  basis: 'model' | 'override';
  source: string | null;
}

export interface PoolRow {
  stage: NetworkStage;
  tier: 'major' | 'minor';
  units: number;
  events: number;
  unitYears: number;
  ratePerYear: number;
  meanWgiScaled: number | null;
}

export interface LikelihoodResult {
  params: LikelihoodParams;
  pools: PoolRow[];
  rows: LikelihoodRow[];
  notes: string[];
}

const yearOf = (d: string | null) => (d ? Number(d.slice(0, 4)) : null);

/** Measures of a country counted as export-control events for a material at a stage. */
export function eventsFor(measures: TradeMeasure[], u: Omit<LikelihoodUnit, 'share'>, p: LikelihoodParams): TradeMeasure[] {
  return measures.filter((m) => {
    if (m.direction !== 'export' || m.countryId !== u.countryId || !p.measureTypes.includes(m.measureType)) return false;
    if (!m.stages.includes(u.stage) || !concerns(m.materials, u.materialId)) return false;
    const date = m.effective ?? m.announced;
    const y = yearOf(date);
    if (y === null || y < p.windowStartYear || y > p.windowEndYear) return false;
    const neverApplied = !!(m.suspended && m.effective && m.suspended <= m.effective);
    return p.includeNeverApplied || !neverApplied;
  });
}

export function likelihoods(
  measures: TradeMeasure[],
  wgi: ReadonlyMap<string, number>,
  universe: LikelihoodUnit[],
  targets: LikelihoodUnit[],
  params: LikelihoodParams,
): LikelihoodResult {
  const T = params.windowEndYear - params.windowStartYear + 1;
  if (!(T >= 1)) throw new Error(`likelihood window ${params.windowStartYear}..${params.windowEndYear} is empty`);
  const tierOf = (share: number) => (share >= params.majorShare ? 'major' : 'minor');
  const notes: string[] = [];
  const poolKey = (s: NetworkStage, t: string) => `${s}|${t}`;
  const pools = new Map<string, PoolRow & { wgiSum: number; wgiN: number }>();
  for (const stage of ['mining', 'refining'] as const)
    for (const tier of ['major', 'minor'] as const)
      pools.set(poolKey(stage, tier), { stage, tier, units: 0, events: 0, unitYears: 0, ratePerYear: 0, meanWgiScaled: null, wgiSum: 0, wgiN: 0 });
  const seen = new Set<string>();
  for (const u of universe) {
    const k = `${u.countryId}|${u.materialId}|${u.stage}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const pool = pools.get(poolKey(u.stage, tierOf(u.share)))!;
    pool.units++;
    pool.events += eventsFor(measures, u, params).length;
    const w = wgi.get(u.countryId);
    if (w !== undefined) {
      pool.wgiSum += w;
      pool.wgiN++;
    }
  }
  for (const p of pools.values()) {
    p.unitYears = p.units * T;
    p.ratePerYear = p.units ? (p.events + 0.5) / p.unitYears : 0;
    p.meanWgiScaled = p.wgiN ? p.wgiSum / p.wgiN : null;
  }
  const rows = targets.map((u): LikelihoodRow => {
    const tier = tierOf(u.share);
    const pool = pools.get(poolKey(u.stage, tier))!;
    const ev = eventsFor(measures, u, params);
    const w = wgi.get(u.countryId) ?? null;
    const govFactor = params.governance && w !== null && pool.meanWgiScaled ? w / pool.meanWgiScaled : 1;
    const priorRate = Math.max(pool.ratePerYear, 1e-6) * govFactor;
    const a = priorRate * params.priorWeightYears + ev.length;
    const b = params.priorWeightYears + T;
    const posteriorProbability = 1 - Math.pow(b / (b + 1), a);
    const low = 1 - Math.exp(-gammaQuantile(a, 0.05) / b);
    const high = 1 - Math.exp(-gammaQuantile(a, 0.95) / b);
    const ov = params.overrides.find(
      (o) => o.country.toUpperCase() === u.countryId && (!o.material || o.material === u.materialId) && (!o.stage || o.stage === u.stage),
    );
    const modelled = params.use === 'low' ? low : params.use === 'high' ? high : posteriorProbability;
    return {
      ...u,
      tier,
      wgiScaled: w,
      evidence: { events: ev.length, measureIds: ev.map((m) => m.id), windowYears: T },
      prior: { ratePerYear: priorRate, probability: 1 - Math.exp(-priorRate), pooledRatePerYear: pool.ratePerYear, governanceFactor: govFactor },
      posterior: { ratePerYear: a / b, probability: posteriorProbability, low, high },
      probability: ov ? ov.annualProbability : modelled,
      basis: ov ? 'override' : 'model',
      source: ov ? ov.source : null,
    };
  });
  const noWgi = [...new Set(rows.filter((r) => r.wgiScaled === null).map((r) => r.countryId))];
  if (params.governance && noWgi.length) notes.push(`No WGI for ${noWgi.join(', ')}: their prior is the pool rate, not scaled by governance.`);
  return { params, pools: [...pools.values()].map(({ wgiSum: _s, wgiN: _n, ...p }) => p), rows, notes };
}

// ------------------------------------------------------------------------------------------- Gamma distribution

/** ln Γ(x), Lanczos approximation (g = 7, n = 9), x > 0. */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised lower incomplete gamma P(a, x) (series below a + 1, continued fraction above; Numerical Recipes 6.2). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const gln = lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let del = sum;
    let ap = a;
    for (let n = 0; n < 500; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
    }
    return sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return 1 - Math.exp(-x + a * Math.log(x) - gln) * h;
}

/** q-quantile of Gamma(shape a, rate 1), by bisection on log x (a > 0). */
export function gammaQuantile(a: number, q: number): number {
  if (!(a > 0)) return 0;
  let lo = -700;
  let hi = Math.log(Math.max(10, a * 10 + 50));
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (gammaP(a, Math.exp(mid)) < q) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}
