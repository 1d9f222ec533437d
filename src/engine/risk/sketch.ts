/**
 * A mergeable distribution summary: a fixed-bin histogram over [0, scale] with an exact count of zeros, and sums kept
 * as integers (each value quantised to scale / 2^20 before adding). Integer sums make merging exact: adding shard
 * summaries in any order, or in any grouping, gives the same bits, which a sum of floating-point numbers does not.
 * Limits: at most 2^53 / 2^20 ≈ 8.6e9 samples per sketch keep the sums exact; the API and CLI cap runs far below that.
 *
 * Quantiles interpolate inside a bin (resolution scale / bins); the tail mean (CVaR) uses each bin's own sum, so only
 * the bin holding the quantile is split (pro rata), and values above `scale` are clamped into the top bin (counted in
 * `overflow`; the model's scales are upper bounds, so it stays 0 unless a bound is wrong — tested).
 */

export const SKETCH_BINS = 1024;
export const QUANT = 1 << 20;
/** Squares are quantised more coarsely (scale / 2^10) so their sum stays an exact integer. */
const QUANT_SQ = 1 << 10;

export interface Sketch {
  scale: number;
  count: number;
  zeros: number;
  overflow: number;
  /** Σ round(v / scale · 2^20). */
  sumQ: number;
  /** Σ round(v / scale · 2^10)². */
  sumSqQ: number;
  bins: number[];
  /** Σ round(v / scale · 2^20) per bin. */
  binSumQ: number[];
}

export function emptySketch(scale: number, bins = SKETCH_BINS): Sketch {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`sketch scale must be a positive number, got ${scale}`);
  return { scale, count: 0, zeros: 0, overflow: 0, sumQ: 0, sumSqQ: 0, bins: new Array(bins).fill(0), binSumQ: new Array(bins).fill(0) };
}

export function addToSketch(s: Sketch, v: number): void {
  s.count++;
  if (!(v > 0)) {
    s.zeros++;
    return;
  }
  let x = v / s.scale;
  if (x > 1) {
    s.overflow++;
    x = 1;
  }
  const q = Math.round(x * QUANT);
  const qs = Math.round(x * QUANT_SQ);
  s.sumQ += q;
  s.sumSqQ += qs * qs;
  const n = s.bins.length;
  const b = Math.min(n - 1, Math.floor(x * n));
  s.bins[b]++;
  s.binSumQ[b] += q;
}

export function mergeSketchInto(into: Sketch, from: Sketch): void {
  if (into.scale !== from.scale || into.bins.length !== from.bins.length)
    throw new Error(`cannot merge sketches of different scales or bins (${into.scale}/${into.bins.length} vs ${from.scale}/${from.bins.length})`);
  into.count += from.count;
  into.zeros += from.zeros;
  into.overflow += from.overflow;
  into.sumQ += from.sumQ;
  into.sumSqQ += from.sumSqQ;
  for (let i = 0; i < into.bins.length; i++) {
    into.bins[i] += from.bins[i];
    into.binSumQ[i] += from.binSumQ[i];
  }
}

export const sketchMean = (s: Sketch): number => (s.count ? (s.sumQ / QUANT / s.count) * s.scale : 0);

/** Standard deviation from the coarse squares (resolution scale / 2^10). */
export function sketchStd(s: Sketch): number {
  if (s.count < 2) return 0;
  const m = sketchMean(s) / s.scale;
  const ex2 = s.sumSqQ / (QUANT_SQ * QUANT_SQ) / s.count;
  return Math.sqrt(Math.max(0, ex2 - m * m)) * s.scale;
}

/** The q-quantile (0..1): 0 while the rank falls among the exact zeros, else interpolated inside its bin. */
export function sketchQuantile(s: Sketch, q: number): number {
  if (!s.count) return 0;
  const rank = q * s.count;
  if (rank <= s.zeros) return 0;
  let acc = s.zeros;
  const n = s.bins.length;
  for (let i = 0; i < n; i++) {
    const c = s.bins[i];
    if (c && acc + c >= rank) return ((i + (rank - acc) / c) / n) * s.scale;
    acc += c;
  }
  return s.scale;
}

/** Mean of the worst (1 − alpha) share of outcomes (CVaR / expected shortfall at level alpha), from the bin sums. */
export function sketchTailMean(s: Sketch, alpha: number): number {
  if (!s.count) return 0;
  const k = (1 - alpha) * s.count;
  if (!(k > 0)) return sketchQuantile(s, 1);
  let need = k;
  let sumQ = 0;
  for (let i = s.bins.length - 1; i >= 0 && need > 0; i--) {
    const c = s.bins[i];
    if (!c) continue;
    const take = Math.min(c, need);
    sumQ += (s.binSumQ[i] * take) / c;
    need -= take;
  }
  return (sumQ / QUANT / k) * s.scale; // zeros fill whatever is left of k and add nothing
}

/** Histogram for charts: up to `maxBars` bars of equal width over [0, highest non-empty bin], zeros apart. */
export function sketchBars(s: Sketch, maxBars = 40): { zeros: number; bars: Array<{ from: number; to: number; count: number }> } {
  const n = s.bins.length;
  let top = -1;
  for (let i = n - 1; i >= 0; i--)
    if (s.bins[i]) {
      top = i;
      break;
    }
  if (top < 0) return { zeros: s.zeros, bars: [] };
  const per = Math.max(1, Math.ceil((top + 1) / maxBars));
  const bars: Array<{ from: number; to: number; count: number }> = [];
  for (let i = 0; i <= top; i += per) {
    let c = 0;
    for (let j = i; j < Math.min(n, i + per); j++) c += s.bins[j];
    bars.push({ from: (i / n) * s.scale, to: (Math.min(n, i + per) / n) * s.scale, count: c });
  }
  return { zeros: s.zeros, bars };
}
