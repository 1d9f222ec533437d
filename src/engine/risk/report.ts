/**
 * Distributions of a finished Monte Carlo run (a merged summary covering every sample): mean, percentiles, CVaR 95%,
 * probability of a shortfall, days short, price percentiles, and the breakdown by stage, country and sector. Pure.
 */
import { type RiskSpec } from './model.ts';
import { RiskInputError, type RiskSummary } from './montecarlo.ts';
import { sketchBars, sketchMean, sketchQuantile, sketchStd, sketchTailMean, QUANT, type Sketch } from './sketch.ts';

export interface Dist {
  mean: number;
  /** Standard error of the mean (Monte Carlo error). */
  stdErr: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** Mean of the worst 5% of samples (conditional value at risk, expected shortfall at 95%). */
  cvar95: number;
  /** Share of samples above zero. */
  probabilityPositive: number;
}

export interface Histogram {
  zeros: number;
  bars: Array<{ from: number; to: number; count: number }>;
}

export interface MaterialRisk {
  materialId: string;
  name: string;
  unit: string;
  demandTonnesPerYear: number;
  /** Supply lost to consumers over the episode, before replacement (t). */
  lostTonnes: Dist;
  /** After spare capacity and ramp-up, before the stockpile (t): what a stockpile would need to cover. */
  gapTonnes: Dist;
  /** Left unmet after the stockpile (t). */
  shortfallTonnes: Dist;
  /** Shortfall ÷ one year's demand. */
  shortfallShareOfDemand: Dist;
  daysShort: Dist;
  /** Short-run price change, fraction (0.5 = +50%), central elasticities; capped at +1000%. */
  priceChange: Dist;
  peakLostShare: Dist;
  byStage: Array<{ stage: 'mining' | 'refining' | 'end_use'; measure: string; meanTonnes: number }>;
  byCountry: Array<{ countryId: string; hitProbability: number; meanLostTonnes: number; shareOfExpectedLoss: number }>;
  bySector: Array<{ sector: string; share: number; meanShortfallTonnes: number; cvar95ShortfallTonnes: number }>;
  histograms: { shortfallTonnes: Histogram; priceChange: Histogram; daysShort: Histogram };
}

export interface RiskResults {
  specKey: string;
  seed: number;
  samples: number;
  materials: MaterialRisk[];
  basket: { id: string; name: string; shortfallShare: Dist; daysShort: Dist; histogram: Histogram } | null;
}

export function dist(s: Sketch): Dist {
  return {
    mean: sketchMean(s),
    stdErr: s.count ? sketchStd(s) / Math.sqrt(s.count) : 0,
    p50: sketchQuantile(s, 0.5),
    p90: sketchQuantile(s, 0.9),
    p95: sketchQuantile(s, 0.95),
    p99: sketchQuantile(s, 0.99),
    cvar95: sketchTailMean(s, 0.95),
    probabilityPositive: s.count ? (s.count - s.zeros) / s.count : 0,
  };
}

const scaled = (d: Dist, k: number): Dist => ({
  ...d,
  mean: d.mean * k,
  stdErr: d.stdErr * k,
  p50: d.p50 * k,
  p90: d.p90 * k,
  p95: d.p95 * k,
  p99: d.p99 * k,
  cvar95: d.cvar95 * k,
});

export function riskResults(spec: RiskSpec, s: RiskSummary): RiskResults {
  if (!(s.ranges.length === 1 && s.ranges[0][0] === 0 && s.ranges[0][1] === spec.samples)) {
    const covered = s.ranges.reduce((a, [f, t]) => a + t - f, 0);
    throw new RiskInputError('summaries', `the summaries cover ${covered} of ${spec.samples} samples; merge every shard before reading results`);
  }
  const D = spec.durationMonths.max;
  const materials = spec.materials.map((mat, i): MaterialRisk => {
    const ms = s.materials[i];
    const shortfall = dist(ms.shortfall);
    const lostMean = sketchMean(ms.lost);
    const oreScale = Math.max(1e-12, ((mat.mining?.totalTonnes ?? 0) * D) / 12);
    const byCountry = spec.countries
      .map((c, k) => ({
        countryId: c,
        hitProbability: ms.countryHits[k] / s.samples,
        meanLostTonnes: (ms.countryLossQ[k] / QUANT / s.samples) * ms.lost.scale,
      }))
      .filter((r) => r.hitProbability > 0 || r.meanLostTonnes > 0)
      .map((r) => ({ ...r, shareOfExpectedLoss: lostMean > 0 ? r.meanLostTonnes / lostMean : 0 }))
      .sort((a, b) => b.meanLostTonnes - a.meanLostTonnes);
    const byStage: MaterialRisk['byStage'] = [];
    if (mat.mining && mat.flows.length)
      byStage.push({
        stage: 'mining',
        measure: 'ore withheld from refiners abroad (mining units)',
        meanTonnes: (ms.withheldOreQ / QUANT / s.samples) * oreScale,
      });
    byStage.push({ stage: mat.lastStage, measure: `${mat.lastStage} supply lost to consumers, before replacement`, meanTonnes: lostMean });
    byStage.push({ stage: 'end_use', measure: 'left unmet after replacement and stockpile', meanTonnes: shortfall.mean });
    return {
      materialId: mat.materialId,
      name: mat.name,
      unit: mat.unit,
      demandTonnesPerYear: mat.demandTonnesPerYear,
      lostTonnes: dist(ms.lost),
      gapTonnes: dist(ms.gap),
      shortfallTonnes: shortfall,
      shortfallShareOfDemand: scaled(shortfall, 1 / Math.max(1e-12, mat.demandTonnesPerYear)),
      daysShort: dist(ms.daysShort),
      priceChange: dist(ms.priceChange),
      peakLostShare: dist(ms.peakLostShare),
      byStage,
      byCountry,
      // Sectors lose in proportion to their use (the stress engine's rule), so each sector's distribution is the
      // material's scaled by its share.
      bySector: mat.sectors.map((x) => ({
        sector: x.sector,
        share: x.share,
        meanShortfallTonnes: shortfall.mean * x.share,
        cvar95ShortfallTonnes: shortfall.cvar95 * x.share,
      })),
      histograms: { shortfallTonnes: sketchBars(ms.shortfall), priceChange: sketchBars(ms.priceChange), daysShort: sketchBars(ms.daysShort) },
    };
  });
  return {
    specKey: s.specKey,
    seed: s.seed,
    samples: s.samples,
    materials,
    basket:
      spec.basket && s.basket
        ? {
            ...spec.basket,
            shortfallShare: dist(s.basket.shortfallShare),
            daysShort: dist(s.basket.daysShort),
            histogram: sketchBars(s.basket.shortfallShare),
          }
        : null,
  };
}
