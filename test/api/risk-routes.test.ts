import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../src/api/app.ts';
import { serverRiskPool } from '../../src/api/workers/risk-pool.ts';
import { bundledIndex } from '../engine/bundled-index.ts';

let app: Hono;
beforeAll(async () => {
  const index = await bundledIndex();
  app = createApp({ index, store: { sources: async () => [] } });
}, 120_000);
afterAll(() => serverRiskPool.close());

const post = (path: string, b: unknown) => app.request(path, { method: 'POST', body: JSON.stringify(b), headers: { 'content-type': 'application/json' } });
type Body = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('risk API', () => {
  it('GET runs a material off the event loop; the same seed gives the same answer', async () => {
    const r = await app.request('/api/risk?material=gallium&samples=2000&seed=4');
    expect(r.status).toBe(200);
    const b = (await r.json()) as Body;
    expect(b.samples).toBe(2000);
    expect(b.materials[0].materialId).toBe('gallium');
    expect(b.materials[0].shortfallTonnes.cvar95).toBeGreaterThanOrEqual(b.materials[0].shortfallTonnes.p95);
    expect(b.likelihood.units.find((u: Body) => u.countryId === 'CHN').evidence.events).toBe(2);
    const again = (await (await post('/api/risk', { version: 1, kind: 'risk', materials: ['gallium'], samples: 2000, seed: 4 })).json()) as Body;
    expect(again.materials).toEqual(b.materials);
  }, 120_000);

  it('bad input is a 400 naming the field; unknown material a 404; bounded samples', async () => {
    const field = async (r: Response) => [r.status, ((await r.json()) as { field: string }).field];
    expect(await field(await app.request('/api/risk?material=gallium&samples=0'))).toEqual([400, 'samples']);
    expect(await field(await app.request('/api/risk?material=gallium&samples=200001'))).toEqual([400, 'samples']);
    expect(await field(await app.request('/api/risk?samples=10'))).toEqual([400, 'material']);
    expect(await field(await app.request('/api/risk?material=unobtainium&samples=10'))).toEqual([404, 'materials']);
    expect(await field(await post('/api/risk', { version: 1, kind: 'risk', materials: ['gallium'], samples: 300_000 }))).toEqual([400, 'samples']);
    expect(await field(await post('/api/risk', { version: 1, kind: 'risk', basket: 'battery', correlation: 2 }))).toEqual([400, 'correlation']);
    expect(await field(await post('/api/risk/compare', { scenarios: [{ version: 1, kind: 'risk', materials: ['gallium'] }] }))).toEqual([400, 'scenarios']);
    expect(await field(await post('/api/risk/compare', { scenarios: [{ version: 1, kind: 'risk', materials: ['gallium'] }, { version: 1 }] }))).toEqual([
      400,
      'scenarios.1.kind',
    ]);
  });

  it('POST /api/risk/compare puts baseline and policy side by side', async () => {
    const base = { version: 1, kind: 'risk', name: 'baseline', materials: ['gallium'], samples: 3000, seed: 2 };
    const r = await post('/api/risk/compare', { scenarios: [base, { ...base, name: '90-day stockpile', stockpile: { days: 90 } }] });
    expect(r.status).toBe(200);
    const b = (await r.json()) as Body;
    expect(b.comparison.scenarios.map((s: Body) => s.name)).toEqual(['baseline', '90-day stockpile']);
    const row = b.comparison.rows.find((x: Body) => x.metric === 'expected shortfall');
    expect(row.values[1]).toBeLessThan(row.values[0]);
    expect(b.reports).toHaveLength(2);
  }, 120_000);
});
