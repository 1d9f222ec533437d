/**
 * The API's one cache (src/api/cache.ts): keyed by data version, bounded per bucket, pending runs shared, failed ones
 * dropped; and the routes that keep their answers in it.
 */
import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { analysisPool } from '../../src/api/workers/analysis-pool.ts';
import { fixtureKb } from './fixture.ts';
import { testKnowledgeBase } from '../web/server.ts';
import { CACHE_LIMITS, cacheResponses, IndexCache } from '../../src/api/cache.ts';
import { compressResponses } from '../../src/api/compress.ts';
import { Hono } from 'hono';
import { brotliDecompressSync } from 'node:zlib';
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

describe('cacheResponses', () => {
  it('keeps the answer and each coding of it: the route runs once, brotli is made once, identity stays plain', async () => {
    const cache = new IndexCache();
    const ix = emptyIndex();
    let runs = 0;
    const app = new Hono();
    app.use('*', compressResponses());
    app.use(
      '/big',
      cacheResponses(() => ix, cache),
    );
    app.get('/big', (c) => (runs++, c.json({ rows: Array.from({ length: 500 }, (_, i) => ({ i, text: 'a repeated citation text' })) })));
    const ask = (enc?: string) => app.request('/big', { headers: enc ? { 'accept-encoding': enc } : {} });
    const plain = await (await ask()).text();
    const [a, b] = [await ask('br'), await ask('br')];
    expect(runs).toBe(1);
    const kept = cache.get<{ encoded: Record<string, Promise<Buffer>> }>(ix, 'responses', 'http://localhost/big')!;
    expect(Object.keys(kept.encoded)).toEqual(['br']);
    const first = kept.encoded.br;
    await ask('br');
    expect(kept.encoded.br).toBe(first); // not compressed again
    for (const r of [a, b]) {
      expect(r.headers.get('content-encoding')).toBe('br');
      expect(brotliDecompressSync(Buffer.from(await r.arrayBuffer())).toString('utf8')).toBe(plain);
    }
    expect((await ask()).headers.get('content-encoding')).toBeNull();
  });
});

describe('routes that keep their answers per data version', () => {
  it('a stress test asked again is answered from the one run; the whole /api/concentration/all response is kept', async () => {
    const app = createApp(fixtureKb());
    const runs = vi.spyOn(analysisPool, 'run');
    try {
      const url = '/api/stress?material=cobalt&stage=mining&year=2023&exclude=COD';
      const [a, b] = await Promise.all([app.request(url), app.request(url)]);
      const c = await app.request(url);
      expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
      const bodies = await Promise.all([a.text(), b.text(), c.text()]);
      expect(new Set(bodies).size).toBe(1);
      expect(runs).toHaveBeenCalledTimes(1);
      await app.request('/api/stress?material=cobalt&stage=mining&year=2023&exclude=CHN');
      expect(runs).toHaveBeenCalledTimes(2); // another scenario is another run
    } finally {
      runs.mockRestore();
    }
    const first = await app.request('/api/concentration/all?stage=mining');
    const again = await app.request('/api/concentration/all?stage=mining');
    expect(first.status).toBe(200);
    expect(await again.text()).toBe(await first.text());
  }, 120_000);

  it('a criticality summary is kept whole; a detail is drawn from the kept report', async () => {
    // The bundle (the API fixture has no EU-method inputs).
    const kb = await testKnowledgeBase();
    const app = createApp(kb.kb);
    const url = '/api/criticality?method=eu&as=EU&year=2023&view=summary';
    const first = await app.request(url);
    expect(first.status).toBe(200);
    const firstBody = await first.text();
    const id = (JSON.parse(firstBody) as { eu: Array<{ materialId: string }> }).eu[0]?.materialId;
    expect(id).toBeDefined();
    const memo = vi.spyOn(IndexCache.prototype, 'memo');
    try {
      const again = await app.request(url);
      expect(await again.text()).toBe(firstBody);
      expect(memo).not.toHaveBeenCalled(); // answered by the kept response, not rebuilt from the report
      const detail = await app.request(`${url}&detail=${id}`);
      expect(detail.status).toBe(200);
      expect(memo.mock.calls.map((c) => c[1])).toContain('criticality');
    } finally {
      memo.mockRestore();
      kb.close();
    }
  }, 120_000);
});
