/**
 * Shared pieces of the criticality methods: the record of every input used, uncertain values and the seeded
 * sampler behind the uncertainty bands, and number guards so no NaN ever reaches an output.
 * Pure: no I/O.
 */
import { InputError, type InputErrorKind } from '../../model/errors.ts';
import type { Stage } from '../../model/schema.ts';
import type { Citation, CitationStatus } from '../../model/provenance.ts';

/**
 * Where an input value came from:
 *  data      — read from the knowledge base (supply shares, WGI, NIR, IEA demand)
 *  published — a curated published value (src/data/criticality-parameters.ts) of the same assessment edition
 *  proxy     — a published value of another edition or scope (e.g. the EU 2020 EoL-RIR used for 2023)
 *  derived   — computed from data by a documented rule (e.g. import reliance from the EU sourcing table)
 *  default   — unknown; an explicit default was applied (listed in `defaulted`)
 *  missing   — unknown and no defensible default; the score that needs it is partial or not computed
 */
export type InputStatus = CitationStatus;

export interface InputUsed {
  input: string; // "EoL-RIR", "HHI_WGI,t (global supply)", "WGI CHN" ...
  stage: Stage | null;
  value: number | string | null;
  status: InputStatus;
  source: Citation;
  note?: string;
}

export type Uncertainty = { kind: 'fixed' } | { kind: 'uniform'; min: number; max: number } | { kind: 'normal'; sd: number; min: number; max: number };

export const FIXED: Uncertainty = { kind: 'fixed' };

/** A numeric input with its point value, provenance and how the Monte Carlo varies it. */
export interface Param {
  key: string; // identity for sampling: the same key is drawn once per iteration (e.g. one WGI per country)
  value: number;
  status: InputStatus;
  source: Citation;
  note?: string;
  u: Uncertainty;
}

export class CriticalityError extends InputError {
  constructor(field: string, message: string, kind: InputErrorKind = 'invalid') {
    super(field, message, kind);
    this.name = 'CriticalityError';
  }
}

export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Round for display/output without ever producing NaN (null stays null). */
export function round(x: number | null | undefined, digits = 2): number | null {
  if (!isNum(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** mulberry32: small, fast, seedable PRNG (uniform on [0,1)). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Point mode (no PRNG) returns each parameter's point value. Sampling mode draws each key once per iteration
 * (call `next()` between iterations), so a country's WGI moves together in every material and stage.
 */
export class Sampler {
  private cache = new Map<string, number>();
  constructor(private readonly rand: (() => number) | null = null) {}

  get sampling(): boolean {
    return this.rand !== null;
  }

  next(): void {
    this.cache.clear();
  }

  value(p: Pick<Param, 'key' | 'value' | 'u'>): number {
    if (!this.rand || p.u.kind === 'fixed') return p.value;
    const hit = this.cache.get(p.key);
    if (hit !== undefined) return hit;
    let v: number;
    if (p.u.kind === 'uniform') v = p.u.min + (p.u.max - p.u.min) * this.rand();
    else {
      // Box-Muller, truncated by clamping to the admissible range.
      const u1 = Math.max(this.rand(), 1e-12);
      const u2 = this.rand();
      v = Math.min(p.u.max, Math.max(p.u.min, p.value + p.u.sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)));
    }
    this.cache.set(p.key, v);
    return v;
  }
}

export interface Band {
  p5: number;
  p50: number;
  p95: number;
  samples: number;
}

export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** p5/p50/p95 of the finite samples; null when there are none (never NaN). */
export function band(values: number[]): Band | null {
  const v = values.filter(isNum).sort((a, b) => a - b);
  if (!v.length) return null;
  return { p5: round(quantile(v, 0.05), 3)!, p50: round(quantile(v, 0.5), 3)!, p95: round(quantile(v, 0.95), 3)!, samples: v.length };
}

/** Deep check used by tests and the CLI/API: throws if any number in a result is NaN or infinite. */
export function assertNoNaN(value: unknown, path = 'result'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}`);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => assertNoNaN(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertNoNaN(v, `${path}.${k}`);
}
