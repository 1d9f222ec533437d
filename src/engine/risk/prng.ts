/**
 * Seedable random numbers for the Monte Carlo (pure, no dependency). SFC32 (Chris Doty-Humphrey's Small Fast Counting
 * generator, 128-bit state, passes PractRand to 2^40+ bytes) seeded through the MurmurHash3 finaliser.
 *
 * Every sample draws from its own stream, seeded by (run seed, sample index): a sample's draws do not depend on which
 * shard or worker computed it, so any split of the same run gives the same numbers (and the same merged result).
 */

/** MurmurHash3 32-bit finaliser: a bijective avalanche mix of a 32-bit integer. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const TWO_POW_32 = 4294967296;

export class SampleRng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private spare = NaN;

  constructor(seed = 0, stream = 0) {
    this.reseed(seed, stream);
  }

  /** Restart at the stream of (seed, stream); reuses the object so the inner loop allocates nothing. */
  reseed(seed: number, stream: number): void {
    const s = seed >>> 0;
    const lo = stream >>> 0;
    const hi = Math.floor(stream / TWO_POW_32) >>> 0;
    this.a = mix32(s ^ 0x9e3779b9);
    this.b = mix32(lo ^ 0x632be5ab);
    this.c = mix32((hi + 0x85ebca6b) ^ mix32(s + lo));
    this.d = 1;
    this.spare = NaN;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform on [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spare === this.spare) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    const u1 = (this.nextUint32() + 1) / (TWO_POW_32 + 1); // (0, 1): log never sees 0
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9), used once per
 * disruption unit to turn a probability into the threshold of its latent normal variable.
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf, |error| < 1.5e-7); used in tests and joint-probability checks. */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
