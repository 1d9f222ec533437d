/**
 * Monte Carlo over export-control disruptions (pure engine; the spec comes from src/scenario/risk-build.ts).
 *
 * One sample = one year:
 *  1. every country draws a shock Z_c ~ N(0,1) and an episode duration D_c (whole months, uniform on [min, max]);
 *  2. every unit u (country × material × stage) is hit when √ρ·Z_c + √(1−ρ)·ε_u < Φ⁻¹(p_u) (Gaussian copula: the
 *     marginal probability is exactly p_u, and a country's controls on several materials come together as ρ → 1);
 *     a hit unit loses a share f_u ~ U[severity.low, severity.high] of its flows for D_c months;
 *  3. per material, the loss is propagated through the stress engine's network as linear operators precomputed once:
 *     a mining control stops f × the flows to refiners abroad (domestic ore stays), so refiner r loses a share
 *     a_r = Σ_m f_m·intakeShare(m→r) of its ore; a refining control stops f_r of r's output to the world market
 *     (export ban counted as an upper bound, as in the stress test: own use unknown). Refined supply lost:
 *        lost_r = R_r · (1 − (1 − a_r)(1 − f_r))          (single-stage materials: lost_c = f_c·S_c)
 *     — the same numbers `propagate()` gives for one country (tested);
 *  4. month by month (the recovery timeline of src/engine/stress/stockpile.ts, holder = all consumers): spare
 *     capacity after its lead time and other producers' ramp-up replace part of the loss; the gap is drawn from the
 *     stockpile; what is left is the shortfall. Controls of different durations give a loss rate that steps down as
 *     each episode ends;
 *  5. price: the short-run change on the peak loss share net of spare capacity (src/engine/stress/price.ts, central
 *     elasticities), capped at +1000%.
 *
 * Sharding: a run of N samples is cut into shards of consecutive sample indices; every sample has its own random
 * stream (seed, index), and summaries hold integer sums and histograms (sketch.ts), so merging shard summaries in any
 * order or grouping gives exactly the single-run result.
 */
import { InputError, type InputErrorKind } from '../../model/errors.ts';
import { SampleRng, normalQuantile } from './prng.ts';
import { addToSketch, emptySketch, mergeSketchInto, type Sketch } from './sketch.ts';
import { specKey, type RiskSpec } from './model.ts';
import { MODEL_RANGE_MAX, priceChange } from '../stress/price.ts';

/** A Monte Carlo input the caller got wrong (src/model/errors.ts family: each edge maps it once). */
export class RiskInputError extends InputError {
  constructor(field: string | null, message: string, kind: InputErrorKind = 'invalid') {
    super(field, message, kind);
    this.name = 'RiskInputError';
  }
}

const DAYS_PER_MONTH = 365 / 12;
const QUANT = 1 << 20;

/** Per-material results of one sample. */
export interface MaterialDraw {
  lostTonnes: number;
  gapTonnes: number;
  shortfallTonnes: number;
  daysShort: number;
  priceChange: number;
  peakLostShare: number;
  withheldOreTonnes: number;
  durationMonths: number;
}

interface CompiledMaterial {
  m: number;
  unitIdx: number[];
  nMiners: number;
  nRefiners: number;
  minerCountry: number[]; // global country index or -1 (OTH)
  refinerCountry: number[];
  R: Float64Array; // last-stage tonnes by supplier (refiners, or miners for single-stage mining)
  twoStage: boolean;
  flowMiner: Int32Array;
  flowRefiner: Int32Array;
  flowShare: Float64Array;
  flowOre: Float64Array;
  g: Float64Array; // mining severity by miner (scratch)
  h: Float64Array; // last-stage severity by supplier (scratch)
  a: Float64Array; // ore loss share by refiner (scratch)
  countryLoss: Float64Array; // tonnes lost over the episode, by global country (scratch)
  segRate: Float64Array; // loss rate (t/yr) by segment (scratch)
  segEnd: Int32Array; // last month of each segment
  total: number;
  scale: number; // upper bound of lost / gap / shortfall tonnes in one sample
}

interface Compiled {
  spec: RiskSpec;
  thr: Float64Array;
  unitCountry: Int32Array;
  unitMaterial: Int32Array;
  /** 1 when the unit acts on the ore flows (mining stage of a two-stage material), else 0 (last stage). */
  unitOnOre: Uint8Array;
  unitSupplier: Int32Array;
  /** Scratch: sample index at which a country was last counted as hitting a material. */
  hitStamp: Float64Array;
  sqrtRho: number;
  sqrt1mRho: number;
  z: Float64Array;
  dur: Int32Array;
  sev: Float64Array;
  mats: CompiledMaterial[];
}

/** Check a spec before running it: the errors a user can cause (empty basket, bad counts, bad probabilities). */
export function validateSpec(spec: RiskSpec): void {
  if (!spec.materials.length) throw new RiskInputError('materials', 'no material to simulate');
  if (!Number.isInteger(spec.samples) || spec.samples < 1) throw new RiskInputError('samples', `samples must be a whole number ≥ 1, got ${spec.samples}`);
  if (!(spec.correlation >= 0 && spec.correlation <= 1)) throw new RiskInputError('correlation', `correlation must be within 0..1, got ${spec.correlation}`);
  const { low, high } = spec.severity;
  if (!(low >= 0 && high <= 1 && low <= high)) throw new RiskInputError('severity', `severity must satisfy 0 ≤ low ≤ high ≤ 1, got ${low}..${high}`);
  const { min, max } = spec.durationMonths;
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max <= 120 && min <= max))
    throw new RiskInputError('durationMonths', `durationMonths must be whole months with 1 ≤ min ≤ max ≤ 120, got ${min}..${max}`);
  for (const u of spec.units)
    if (!(u.probability >= 0 && u.probability <= 1))
      throw new RiskInputError('probability', `probability of ${u.countryId} / ${spec.materials[u.material]?.materialId} / ${u.stage} must be within 0..1`);
}

function compile(spec: RiskSpec): Compiled {
  validateSpec(spec);
  const nC = spec.countries.length;
  const mats: CompiledMaterial[] = spec.materials.map((mat, m) => {
    const twoStage = !!(mat.mining && mat.refining && mat.flows.length && mat.yieldRefinedPerMined);
    const last = mat.lastStage === 'refining' ? mat.refining! : mat.mining!;
    const idx = (c: string) => spec.countries.indexOf(c);
    const minerCountry = (mat.mining?.countries ?? []).map(idx);
    const refinerCountry = last.countries.map(idx);
    const maxMonths = spec.durationMonths.max;
    return {
      m,
      unitIdx: [],
      nMiners: minerCountry.length,
      nRefiners: refinerCountry.length,
      minerCountry,
      refinerCountry,
      R: Float64Array.from(last.tonnes),
      twoStage,
      flowMiner: Int32Array.from(mat.flows.filter((f) => !f.domestic).map((f) => f.miner)),
      flowRefiner: Int32Array.from(mat.flows.filter((f) => !f.domestic).map((f) => f.refiner)),
      flowShare: Float64Array.from(mat.flows.filter((f) => !f.domestic).map((f) => f.intakeShare)),
      flowOre: Float64Array.from(mat.flows.filter((f) => !f.domestic).map((f) => f.oreTonnes)),
      g: new Float64Array(minerCountry.length),
      h: new Float64Array(refinerCountry.length),
      a: new Float64Array(refinerCountry.length),
      countryLoss: new Float64Array(nC),
      segRate: new Float64Array(nC + 1),
      segEnd: new Int32Array(nC + 1),
      total: last.totalTonnes,
      scale: Math.max(1e-12, (last.totalTonnes * maxMonths) / 12),
    };
  });
  spec.units.forEach((u, i) => mats[u.material].unitIdx.push(i));
  const rho = spec.correlation;
  return {
    spec,
    thr: Float64Array.from(spec.units.map((u) => normalQuantile(u.probability))),
    unitCountry: Int32Array.from(spec.units.map((u) => u.country)),
    unitMaterial: Int32Array.from(spec.units.map((u) => u.material)),
    unitOnOre: Uint8Array.from(spec.units.map((u) => (mats[u.material].twoStage && u.stage === 'mining' ? 1 : 0))),
    unitSupplier: Int32Array.from(spec.units.map((u) => u.supplier)),
    hitStamp: new Float64Array(nC).fill(-1),
    sqrtRho: Math.sqrt(rho),
    sqrt1mRho: Math.sqrt(1 - rho),
    z: new Float64Array(nC),
    dur: new Int32Array(nC),
    sev: new Float64Array(spec.units.length),
    mats,
  };
}

/** Draw which units are hit, how hard and for how long (fills c.z, c.dur, c.sev). */
function drawShocks(c: Compiled, rng: SampleRng): void {
  const { min, max } = c.spec.durationMonths;
  const span = max - min + 1;
  for (let k = 0; k < c.z.length; k++) {
    c.z[k] = rng.normal();
    c.dur[k] = min + Math.min(span - 1, Math.floor(rng.uniform() * span));
  }
  const { low, high } = c.spec.severity;
  for (let u = 0; u < c.thr.length; u++) {
    const x = c.sqrtRho * c.z[c.unitCountry[u]] + c.sqrt1mRho * rng.normal();
    c.sev[u] = x < c.thr[u] ? low + (high - low) * rng.uniform() : 0;
  }
}

/** Loss rate (t/yr of last-stage supply) with the units active whose episode lasts at least `month`; adds to
 * countryLoss (weighted by `weight`, the segment's months ÷ 12) and returns [rate, withheld ore rate]. */
function lossRate(c: Compiled, cm: CompiledMaterial, month: number, weight: number, out: { withheld: number }): number {
  cm.g.fill(0);
  cm.h.fill(0);
  for (const u of cm.unitIdx) {
    const s = c.sev[u];
    if (!(s > 0) || c.dur[c.unitCountry[u]] < month) continue;
    if (c.unitOnOre[u]) cm.g[c.unitSupplier[u]] = s;
    else cm.h[c.unitSupplier[u]] = s;
  }
  let rate = 0;
  if (cm.twoStage) {
    cm.a.fill(0);
    let withheld = 0;
    for (let f = 0; f < cm.flowMiner.length; f++) {
      const gm = cm.g[cm.flowMiner[f]];
      if (gm > 0) {
        cm.a[cm.flowRefiner[f]] += gm * cm.flowShare[f];
        withheld += gm * cm.flowOre[f];
      }
    }
    out.withheld = withheld;
    for (let r = 0; r < cm.nRefiners; r++) {
      const a = Math.min(1, cm.a[r]);
      const h = cm.h[r];
      if (!(a > 0) && !(h > 0)) continue;
      const R = cm.R[r];
      rate += R * (1 - (1 - a) * (1 - h));
      if (weight > 0) {
        if (h > 0 && cm.refinerCountry[r] >= 0) cm.countryLoss[cm.refinerCountry[r]] += R * h * weight;
        if (a > 0) {
          // the ore part, R·a·(1 − h), is attributed to the mining countries pro rata to what each withheld
          const orePart = R * a * (1 - h) * weight;
          for (let f = 0; f < cm.flowMiner.length; f++) {
            if (cm.flowRefiner[f] !== r) continue;
            const gm = cm.g[cm.flowMiner[f]];
            const mc = cm.minerCountry[cm.flowMiner[f]];
            if (gm > 0 && mc >= 0) cm.countryLoss[mc] += (orePart * gm * cm.flowShare[f]) / cm.a[r];
          }
        }
      }
    }
  } else {
    out.withheld = 0;
    for (let r = 0; r < cm.nRefiners; r++) {
      const h = cm.h[r];
      if (!(h > 0)) continue;
      rate += cm.R[r] * h;
      if (weight > 0 && cm.refinerCountry[r] >= 0) cm.countryLoss[cm.refinerCountry[r]] += cm.R[r] * h * weight;
    }
  }
  return rate;
}

/** One material's outcome for the shocks already drawn; countryLoss holds the tonnes lost by country afterwards. */
function simulateMaterial(c: Compiled, cm: CompiledMaterial, out: MaterialDraw): void {
  const mat = c.spec.materials[cm.m];
  cm.countryLoss.fill(0);
  out.lostTonnes = out.gapTonnes = out.shortfallTonnes = out.daysShort = out.priceChange = out.peakLostShare = out.withheldOreTonnes = 0;
  out.durationMonths = 0;
  // Distinct episode ends of the hit units, ascending: the loss rate is constant between two of them.
  let nSeg = 0;
  for (const u of cm.unitIdx) {
    if (!(c.sev[u] > 0)) continue;
    const d = c.dur[c.unitCountry[u]];
    let k = 0;
    while (k < nSeg && cm.segEnd[k] < d) k++;
    if (k < nSeg && cm.segEnd[k] === d) continue;
    for (let j = nSeg; j > k; j--) cm.segEnd[j] = cm.segEnd[j - 1];
    cm.segEnd[k] = d;
    nSeg++;
  }
  if (!nSeg) return;
  const w = { withheld: 0 };
  let prevEnd = 0;
  let peak = 0;
  for (let k = 0; k < nSeg; k++) {
    const months = cm.segEnd[k] - prevEnd;
    const rate = lossRate(c, cm, cm.segEnd[k], months / 12, w);
    cm.segRate[k] = rate;
    out.withheldOreTonnes += (w.withheld * months) / 12;
    if (rate > peak) peak = rate;
    prevEnd = cm.segEnd[k];
  }
  const D = cm.segEnd[nSeg - 1];
  out.durationMonths = D;
  // Recovery timeline (stockpile.ts semantics, holder = all affected consumers, whole months).
  const spare = mat.spareCapacityShare * cm.total;
  let stock = mat.stockpileTonnes;
  let seg = 0;
  for (let month = 1; month <= D; month++) {
    while (cm.segEnd[seg] < month) seg++;
    const rate = cm.segRate[seg];
    const lost = rate / 12;
    const replacementRate = Math.min(rate, (month > mat.spareLeadMonths ? spare : 0) + ((cm.total - rate) * mat.rampUpSharePerYear * month) / 12);
    const gap = Math.max(0, lost - replacementRate / 12);
    const draw = Math.min(stock, gap);
    stock -= draw;
    const unmet = gap - draw;
    out.lostTonnes += lost;
    out.gapTonnes += gap;
    out.shortfallTonnes += unmet;
    if (unmet > 1e-9 * cm.total) out.daysShort += DAYS_PER_MONTH;
  }
  out.peakLostShare = cm.total > 0 ? Math.min(1, peak / cm.total) : 0;
  const p = priceChange(Math.max(0, out.peakLostShare - mat.spareCapacityShare), mat.demandElasticity, mat.supplyElasticity);
  out.priceChange = p === null ? MODEL_RANGE_MAX : Math.min(MODEL_RANGE_MAX, p);
}

/** The outcomes of samples [from, to) one by one (for tests, the optimiser's scenario set and debugging). */
export function* iterateSamples(
  spec: RiskSpec,
  seed: number,
  from = 0,
  to = spec.samples,
): Generator<{ index: number; materials: MaterialDraw[]; countryLoss: Float64Array[] }> {
  const c = compile(spec);
  const rng = new SampleRng();
  for (let i = from; i < to; i++) {
    rng.reseed(seed, i);
    drawShocks(c, rng);
    const materials: MaterialDraw[] = [];
    const countryLoss: Float64Array[] = [];
    for (const cm of c.mats) {
      const d = {} as MaterialDraw;
      simulateMaterial(c, cm, d);
      materials.push(d);
      countryLoss.push(Float64Array.from(cm.countryLoss));
    }
    yield { index: i, materials, countryLoss };
  }
}

// ---------------------------------------------------------------------------------------------- mergeable summaries

export interface MaterialSummary {
  materialId: string;
  lost: Sketch;
  gap: Sketch;
  shortfall: Sketch;
  daysShort: Sketch;
  priceChange: Sketch;
  peakLostShare: Sketch;
  /** Σ quantised withheld ore (scale: mined total × max months / 12). */
  withheldOreQ: number;
  /** Σ quantised tonnes lost by country (scale: the material's `lost` scale). */
  countryLossQ: number[];
  /** Samples in which the country's control hit this material (any stage). */
  countryHits: number[];
}

export interface RiskSummary {
  kind: 'chokepoint-risk-summary';
  specKey: string;
  seed: number;
  samples: number;
  /** Sample index ranges [from, to) this summary covers, sorted and disjoint. */
  ranges: Array<[number, number]>;
  materials: MaterialSummary[];
  /** Basket (when the spec has one): shortfall share of the scarcest input, and the longest days short. */
  basket: { shortfallShare: Sketch; daysShort: Sketch } | null;
}

export interface ShardOptions {
  seed: number;
  shardIndex: number;
  shardCount: number;
}

/** Sample range of a shard: consecutive indices, [floor(i·N/S), floor((i+1)·N/S)). */
export function shardRange(samples: number, shardIndex: number, shardCount: number): [number, number] {
  if (!Number.isInteger(shardCount) || shardCount < 1) throw new RiskInputError('shardCount', `shardCount must be a whole number ≥ 1, got ${shardCount}`);
  if (!Number.isInteger(shardIndex) || shardIndex < 0 || shardIndex >= shardCount)
    throw new RiskInputError('shardIndex', `shardIndex must be within 0..${shardCount - 1}, got ${shardIndex}`);
  return [Math.floor((shardIndex * samples) / shardCount), Math.floor(((shardIndex + 1) * samples) / shardCount)];
}

const seedOk = (seed: number) => {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RiskInputError('seed', `seed must be a whole number within 0..4294967295, got ${seed}`);
};

function emptySummary(spec: RiskSpec, seed: number, key = specKey(spec)): RiskSummary {
  const D = spec.durationMonths.max;
  const nC = spec.countries.length;
  const materials = spec.materials.map((mat): MaterialSummary => {
    const last = mat.lastStage === 'refining' ? mat.refining! : mat.mining!;
    const scale = Math.max(1e-12, (last.totalTonnes * D) / 12);
    return {
      materialId: mat.materialId,
      lost: emptySketch(scale),
      gap: emptySketch(scale),
      shortfall: emptySketch(scale),
      daysShort: emptySketch(D * DAYS_PER_MONTH),
      priceChange: emptySketch(MODEL_RANGE_MAX),
      peakLostShare: emptySketch(1),
      withheldOreQ: 0,
      countryLossQ: new Array(nC).fill(0),
      countryHits: new Array(nC).fill(0),
    };
  });
  const basketScale = Math.max(
    1e-12,
    ...spec.materials.map(
      (mat) => ((mat.lastStage === 'refining' ? mat.refining! : mat.mining!).totalTonnes * D) / 12 / Math.max(1e-12, mat.demandTonnesPerYear),
    ),
  );
  return {
    kind: 'chokepoint-risk-summary',
    specKey: key,
    seed,
    samples: spec.samples,
    ranges: [],
    materials,
    basket: spec.basket ? { shortfallShare: emptySketch(basketScale), daysShort: emptySketch(D * DAYS_PER_MONTH) } : null,
  };
}

/** Summarise samples [from, to) of a run. */
export function summariseRange(spec: RiskSpec, seed: number, from: number, to: number): RiskSummary {
  seedOk(seed);
  const c = compile(spec);
  const s = emptySummary(spec, seed);
  const rng = new SampleRng();
  const d: MaterialDraw = {
    lostTonnes: 0,
    gapTonnes: 0,
    shortfallTonnes: 0,
    daysShort: 0,
    priceChange: 0,
    peakLostShare: 0,
    withheldOreTonnes: 0,
    durationMonths: 0,
  };
  const oreScale = spec.materials.map((mat) => Math.max(1e-12, ((mat.mining?.totalTonnes ?? 0) * spec.durationMonths.max) / 12));
  for (let i = from; i < to; i++) {
    rng.reseed(seed, i);
    drawShocks(c, rng);
    let basketShare = 0;
    let basketDays = 0;
    for (const cm of c.mats) {
      const ms = s.materials[cm.m];
      simulateMaterial(c, cm, d);
      addToSketch(ms.lost, d.lostTonnes);
      addToSketch(ms.gap, d.gapTonnes);
      addToSketch(ms.shortfall, d.shortfallTonnes);
      addToSketch(ms.daysShort, d.daysShort);
      addToSketch(ms.priceChange, d.priceChange);
      addToSketch(ms.peakLostShare, d.peakLostShare);
      if (d.withheldOreTonnes > 0) ms.withheldOreQ += Math.round((d.withheldOreTonnes / oreScale[cm.m]) * QUANT);
      if (d.durationMonths > 0) {
        for (let k = 0; k < cm.countryLoss.length; k++) {
          const v = cm.countryLoss[k];
          if (v > 0) ms.countryLossQ[k] += Math.round((v / ms.lost.scale) * QUANT);
        }
        const stamp = i * c.mats.length + cm.m;
        for (const u of cm.unitIdx) {
          const k = c.unitCountry[u];
          if (c.sev[u] > 0 && c.hitStamp[k] !== stamp) {
            c.hitStamp[k] = stamp;
            ms.countryHits[k]++;
          }
        }
      }
      const share = d.shortfallTonnes / Math.max(1e-12, spec.materials[cm.m].demandTonnesPerYear);
      if (share > basketShare) basketShare = share;
      if (d.daysShort > basketDays) basketDays = d.daysShort;
    }
    if (s.basket) {
      addToSketch(s.basket.shortfallShare, basketShare);
      addToSketch(s.basket.daysShort, basketDays);
    }
  }
  if (to > from) s.ranges.push([from, to]);
  return s;
}

/** One shard of a run: its summary can be merged with the others' (`mergeSummaries`) in any order. */
export function runMonteCarloShard(spec: RiskSpec, opts: ShardOptions): RiskSummary {
  const [from, to] = shardRange(spec.samples, opts.shardIndex, opts.shardCount);
  return summariseRange(spec, opts.seed, from, to);
}

/** Merge summaries of the same spec and seed covering disjoint sample ranges. Exact and order-independent. */
export function mergeSummaries(summaries: RiskSummary[]): RiskSummary {
  if (!summaries.length) throw new RiskInputError('summaries', 'nothing to merge');
  const first = summaries[0];
  const out: RiskSummary = structuredClone(first);
  for (const s of summaries.slice(1)) {
    if (s.specKey !== first.specKey || s.seed !== first.seed)
      throw new RiskInputError(
        'summaries',
        `cannot merge summaries of different runs (spec ${s.specKey} seed ${s.seed} vs spec ${first.specKey} seed ${first.seed})`,
      );
    s.materials.forEach((m, i) => {
      const o = out.materials[i];
      mergeSketchInto(o.lost, m.lost);
      mergeSketchInto(o.gap, m.gap);
      mergeSketchInto(o.shortfall, m.shortfall);
      mergeSketchInto(o.daysShort, m.daysShort);
      mergeSketchInto(o.priceChange, m.priceChange);
      mergeSketchInto(o.peakLostShare, m.peakLostShare);
      o.withheldOreQ += m.withheldOreQ;
      for (let k = 0; k < o.countryLossQ.length; k++) {
        o.countryLossQ[k] += m.countryLossQ[k];
        o.countryHits[k] += m.countryHits[k];
      }
    });
    if (out.basket && s.basket) {
      mergeSketchInto(out.basket.shortfallShare, s.basket.shortfallShare);
      mergeSketchInto(out.basket.daysShort, s.basket.daysShort);
    }
    out.ranges.push(...s.ranges);
  }
  out.ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of out.ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] < last[1])
      throw new RiskInputError('summaries', `samples ${r[0]}..${Math.min(r[1], last[1]) - 1} are in two summaries (a shard merged twice?)`);
    if (last && r[0] === last[1]) last[1] = r[1];
    else merged.push([r[0], r[1]]);
  }
  out.ranges = merged;
  return out;
}

/** The whole run in this thread (the single-thread baseline; `src/api/workers/risk-pool.ts` runs shards in parallel). */
export function runMonteCarlo(spec: RiskSpec, seed: number): RiskSummary {
  return summariseRange(spec, seed, 0, spec.samples);
}

// ---------------------------------------------------------------------------------- scenario set for the optimiser

/** Per-scenario shortfall tonnes by material, for stochastic programs (the stockpile LP). */
export interface ShortfallScenarioSet {
  materials: string[];
  scenarios: Array<{ weight: number; shortfallTonnes: number[]; durationDays: number }>;
}

/**
 * The sampled scenarios as a weighted set for an optimiser: `shortfallTonnes[i]` is material i's supply gap over the
 * episode after market replacement (spare capacity, ramp-up) and BEFORE any stockpile — what a stockpile would have
 * to cover — in the material's last-stage unit (t); `durationDays` is the longest episode of the scenario. All
 * samples with no gap are pooled into one scenario (weight = their share); weights sum to 1.
 */
export function shortfallScenarios(spec: RiskSpec, seed: number, samples = spec.samples): ShortfallScenarioSet {
  seedOk(seed);
  if (!Number.isInteger(samples) || samples < 1) throw new RiskInputError('samples', `samples must be a whole number ≥ 1, got ${samples}`);
  const materials = spec.materials.map((m) => m.materialId);
  const scenarios: ShortfallScenarioSet['scenarios'] = [];
  let quiet = 0;
  for (const s of iterateSamples({ ...spec, samples }, seed, 0, samples)) {
    const gaps = s.materials.map((d) => d.gapTonnes);
    if (gaps.every((g) => !(g > 0))) {
      quiet++;
      continue;
    }
    scenarios.push({ weight: 1 / samples, shortfallTonnes: gaps, durationDays: Math.max(...s.materials.map((d) => d.durationMonths)) * DAYS_PER_MONTH });
  }
  if (quiet) scenarios.unshift({ weight: quiet / samples, shortfallTonnes: materials.map(() => 0), durationDays: 0 });
  return { materials, scenarios };
}
