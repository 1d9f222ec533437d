/** The API's one cache (src/api/cache.ts): keyed by data version, bounded per bucket, pending runs shared, failed ones dropped. */
import { describe, expect, it } from 'vitest';
import { CACHE_LIMITS, IndexCache } from '../../src/api/cache.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';

const emptyIndex = () => new DatasetIndex({ observations: [], sources: new Map(), governance: [], groupings: [] });

describe('IndexCache', () => {
  it('computes once per data version; a new index (a reload) starts empty', () => {
    const cache = new IndexCache();
    const a = emptyIndex();
    let calls = 0;
    const f = () => ++calls;
    expect(cache.memo(a, 'results', 'k', f)).toBe(1);
    expect(cache.memo(a, 'results', 'k', f)).toBe(1);
    expect(cache.memo(emptyIndex(), 'results', 'k', f)).toBe(2);
    expect(cache.memo(a, 'risk', 'k', f)).toBe(3); // buckets are apart
  });

  it(`keeps at most ${CACHE_LIMITS.criticality} reports, least recently used out`, () => {
    const cache = new IndexCache();
    const ix = emptyIndex();
    for (let i = 0; i < CACHE_LIMITS.criticality; i++) cache.set(ix, 'criticality', `r${i}`, i);
    expect(cache.get(ix, 'criticality', 'r0')).toBe(0); // r0 now most recently used
    cache.set(ix, 'criticality', 'new', 99);
    expect(cache.get(ix, 'criticality', 'r1')).toBeUndefined();
    expect(cache.get(ix, 'criticality', 'r0')).toBe(0);
    expect(cache.get(ix, 'criticality', 'new')).toBe(99);
  });

  it('shares a pending run and drops a failed one', async () => {
    const cache = new IndexCache();
    const ix = emptyIndex();
    let runs = 0;
    const failing = () => (runs++, Promise.reject(new Error('worker stopped')));
    const p1 = cache.memo(ix, 'risk', 'k', failing);
    expect(cache.memo(ix, 'risk', 'k', failing)).toBe(p1);
    await expect(p1).rejects.toThrow('worker stopped');
    expect(runs).toBe(1);
    expect(await cache.memo(ix, 'risk', 'k', () => (runs++, Promise.resolve('ok')))).toBe('ok');
    expect(runs).toBe(2);
  });
});
