/**
 * The API's one cache. Analytics are pure functions of the dataset, and the in-memory `DatasetIndex` is immutable: a
 * store change (an import, `kb.reload()`) makes a new index, so the index instance is the data version the entries
 * are keyed by, and a new version drops them all (the old index and its entries are then garbage).
 *
 * Entries are kept in buckets with their own bounds (results are small and many; a criticality report is several MB),
 * least recently used first out. A pending promise is kept, so the same run asked twice is run once; a rejected one
 * removes itself, so a failed run is not kept.
 */
import type { MiddlewareHandler } from 'hono';
import type { DatasetIndex } from '../engine/dataset.ts';

/** How many entries each bucket keeps per data version. */
export const CACHE_LIMITS = {
  /** Results of engine calls (sweeps, profiles, tables): small, one per URL-ish key. */
  results: 2000,
  /** Whole responses of routes that cache them as they are (coalition, country). */
  responses: 500,
  /** Criticality reports: a details panel asks for one material of the report its table came from; several MB each. */
  criticality: 8,
  /** Stress-test reports by scenario (a report with its steps and sources is tens of kB). */
  stress: 64,
  /** Monte Carlo risk reports by scenario. */
  risk: 8,
  /** Criticality results per year (the default-year rule) by assessor and method. */
  coverage: 32,
} as const;
export type CacheBucket = keyof typeof CACHE_LIMITS;

export class IndexCache {
  private readonly byIndex = new WeakMap<DatasetIndex, Map<CacheBucket, Map<string, unknown>>>();

  private bucket(index: DatasetIndex, name: CacheBucket): Map<string, unknown> {
    let buckets = this.byIndex.get(index);
    if (!buckets) this.byIndex.set(index, (buckets = new Map()));
    let m = buckets.get(name);
    if (!m) buckets.set(name, (m = new Map()));
    return m;
  }

  /** The entry, marked most recently used; undefined when absent. */
  get<T>(index: DatasetIndex, name: CacheBucket, key: string): T | undefined {
    const m = this.bucket(index, name);
    if (!m.has(key)) return undefined;
    const v = m.get(key) as T;
    m.delete(key);
    m.set(key, v);
    return v;
  }

  set<T>(index: DatasetIndex, name: CacheBucket, key: string, value: T): T {
    const m = this.bucket(index, name);
    m.delete(key);
    m.set(key, value);
    if (m.size > CACHE_LIMITS[name]) m.delete(m.keys().next().value!);
    if (value instanceof Promise) value.catch(() => m.get(key) === value && m.delete(key));
    return value;
  }

  /** The entry, computed by `fn` and kept when absent. */
  memo<T>(index: DatasetIndex, name: CacheBucket, key: string, fn: () => T): T {
    const m = this.bucket(index, name);
    return m.has(key) ? this.get<T>(index, name, key)! : this.set(index, name, key, fn());
  }
}

interface CachedResponse {
  status: number;
  body: ArrayBuffer;
  headers: [string, string][];
}

/** Middleware: a GET's 200 response kept whole per data version and URL (for routes whose answer depends on nothing else). */
export function cacheResponses(index: () => DatasetIndex, cache: IndexCache): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const ix = index();
    const hit = cache.get<CachedResponse>(ix, 'responses', c.req.url);
    if (hit) return new Response(hit.body.slice(0), { status: hit.status, headers: hit.headers });
    await next();
    if (c.res.status === 200)
      cache.set<CachedResponse>(ix, 'responses', c.req.url, { status: 200, body: await c.res.clone().arrayBuffer(), headers: [...c.res.headers.entries()] });
  };
}
