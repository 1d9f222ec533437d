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
import { chooseEncoding, compressBody, compressibleType, COMPRESS_THRESHOLD_BYTES, type ContentCoding } from './compress.ts';

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
  /** Whether the body may be compressed (type, cache-control, size): see compress.ts. */
  compressible: boolean;
  /** The body compressed per coding, made at the first ask that accepts it and kept with the response. */
  encoded: Partial<Record<ContentCoding, Promise<Buffer>>>;
}

/**
 * Middleware: a GET's 200 response kept whole per data version and URL (for routes whose answer depends on nothing
 * else), with its brotli and gzip variants: a kept answer of hundreds of kilobytes is compressed once per data version,
 * not at every ask (compressing the 0.5 MB of every series by source took longer than serving it).
 */
export function cacheResponses(index: () => DatasetIndex, cache: IndexCache): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const ix = index();
    const hit = cache.get<CachedResponse>(ix, 'responses', c.req.url);
    if (!hit) {
      await next();
      const res = c.res;
      if (res.status === 200) {
        // Read, then answered from the bytes read; not res.clone(): undici cancels a cloned body's stream when the
        // original Response object is garbage-collected, and Hono replaces that object when a later middleware sets a
        // header, so under memory pressure an answer of megabytes came out unreadable ("Body has already been read").
        const body = await res.arrayBuffer();
        const compressible = compressibleType(res.headers) && body.byteLength >= COMPRESS_THRESHOLD_BYTES;
        cache.set<CachedResponse>(ix, 'responses', c.req.url, { status: 200, body, headers: [...res.headers.entries()], compressible, encoded: {} });
        c.res = new Response(new Uint8Array(body), { status: res.status, statusText: res.statusText, headers: res.headers });
      }
      return;
    }
    const coding = hit.compressible ? chooseEncoding(c.req.header('accept-encoding')) : null;
    // A Uint8Array view, not a copy: @hono/node-server writes it to the socket as is (an ArrayBuffer body would go through
    // a web stream), and nothing writes to a kept body.
    if (!coding) return new Response(new Uint8Array(hit.body), { status: hit.status, headers: hit.headers });
    // a failed compression is not kept: the next ask tries again
    const packed = await (hit.encoded[coding] ??= compressBody(new Uint8Array(hit.body), coding).catch((e: unknown) => {
      delete hit.encoded[coding];
      throw e;
    }));
    const headers = new Headers(hit.headers);
    headers.set('content-encoding', coding);
    headers.set('content-length', String(packed.byteLength));
    headers.append('vary', 'Accept-Encoding');
    return new Response(new Uint8Array(packed), { status: hit.status, headers });
  };
}
