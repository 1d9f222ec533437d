/**
 * The stress analyses run off the event loop (issue 11): GET/POST /api/stress and /api/stress/n1 go to the analysis
 * worker (src/api/workers/analysis-pool.ts). While a queue of N-1 sweeps over every country and a scenario run work,
 * /api/health answers in under 100 ms (median); the answers equal the engine's own; input errors keep their status and
 * field; a request beyond the queue bound is refused with 503.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { n1Sweep } from '../../src/engine/stress/sweep.ts';
import { QUEUE_MAX } from '../../src/api/workers/pool.ts';
import { testKnowledgeBase } from '../web/server.ts';

describe('stress analyses off the event loop', () => {
  let kb: Awaited<ReturnType<typeof testKnowledgeBase>>;
  beforeAll(async () => {
    kb = await testKnowledgeBase();
  }, 180_000);
  afterAll(() => kb?.close());

  it('while N-1 sweeps and a scenario queue in the worker, /api/health answers in under 100 ms; a full queue is a 503', async () => {
    // A knowledge base without the store's summary sweeps (a fixture), so the N-1 sweeps run on the index in the worker;
    // a store-backed server answers them from the SQL series summary, cached (test/store/summary.test.ts).
    const app = createApp({ index: kb.kb.index, store: kb.kb.store });
    const t0 = performance.now();
    // one running + QUEUE_MAX waiting fill the queue; the next is refused
    const heavy = [
      ...Array.from({ length: QUEUE_MAX }, () => Promise.resolve(app.request('/api/stress/n1?all=true'))),
      Promise.resolve(app.request('/api/stress?material=cobalt&stage=mining&year=2023&exclude=COD')),
    ];
    const refused = await app.request('/api/stress/n1?all=true&stage=mining');
    let finished = false;
    const all = Promise.all(heavy).finally(() => (finished = true));
    const health: number[] = [];
    while (!finished) {
      const t = performance.now();
      const r = await app.request('/api/health');
      expect(r.status).toBe(200);
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 25));
    }
    const res = await all;
    const runMs = performance.now() - t0;
    expect(refused.status).toBe(503);
    const busy = (await refused.json()) as { error: string; field: string };
    expect(busy.error).toMatch(/stress analyses are already waiting/);
    expect(busy.field).toBe('material');
    for (const r of res) expect(r.status).toBe(200);
    const note = `health latencies ${health.map(Math.round).join(', ')} ms during ${Math.round(runMs)} ms of analyses`;
    expect(health.length, note).toBeGreaterThan(2);
    expect([...health].sort((a, b) => a - b)[Math.floor(health.length / 2)], note).toBeLessThan(100);
    const body = (await res[0].json()) as { rows: unknown[] };
    expect(body.rows.length).toBeGreaterThan(10);
    expect(body.rows).toEqual(JSON.parse(JSON.stringify(n1Sweep(kb.kb.index, { allCountries: true, demandScenario: 'STEPS' }))));
    const stress = (await res[QUEUE_MAX].json()) as { material: string };
    expect(JSON.stringify(stress)).toContain('cobalt');
  }, 300_000);

  it('input errors from the worker keep their status and field', async () => {
    const app = createApp(kb.kb);
    const r = await app.request('/api/stress?material=cobalt&stage=mining&year=1901&exclude=COD');
    expect(r.status).toBe(404);
    const n1 = await app.request('/api/stress/n1?material=unobtainium');
    expect(n1.status).toBe(404);
    expect(((await n1.json()) as { field: string }).field).toBe('material');
  }, 120_000);
});
