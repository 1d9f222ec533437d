import { describe, expect, it } from 'vitest';
import { galliumStressApp } from './gallium-app.ts';

const app = galliumStressApp();

describe('stress API', () => {
  it('GET runs the shorthand scenario', async () => {
    const r = await app.request('/api/stress?material=gallium&year=2024&exclude=CHN');
    expect(r.status).toBe(200);
    const body = (await r.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body.excluded[0].countryId).toBe('CHN');
    expect(body.coverage.remainingTonnes).toBe(10);
    expect(body.shortfall.length).toBeGreaterThan(0);
    // the headline says what each figure measures, and the price basis is the loss after propagation
    expect(body.headline.supplyRemoved.share).toBeCloseTo(750 / 760, 12);
    expect(body.headline.priceBasis.lostShare).toBe(body.price.lostSupplyShare);
    expect(body.headline.supplyAfterPropagation.afterTonnes).toBe(10);
    expect(body.headline.priceBasis.measures).toMatch(/supply lost to consumers after propagation/);
  });
  it('POST runs a scenario document; bad input is a 400 naming the field; no data is a 404', async () => {
    const post = (b: unknown) => app.request('/api/stress', { method: 'POST', body: JSON.stringify(b), headers: { 'content-type': 'application/json' } });
    const ok = await post({ version: 1, material: 'gallium', year: 2024, shock: { exclude: ['largest'] } });
    expect(ok.status).toBe(200);
    const bad = await post({ version: 1, material: 'gallium', year: 2024, shock: { exclude: ['CHN'], fraction: 2 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe('shock.fraction');
    expect((await app.request('/api/stress?material=gallium&year=1999&exclude=CHN')).status).toBe(404);
    expect((await app.request('/api/stress?material=unobtainium&year=2024&exclude=CHN')).status).toBe(404);
    expect((await app.request('/api/stress?material=gallium&year=2024')).status).toBe(400);
    expect((await app.request('/api/stress?material=gallium&year=2024&exclude=XYZ1')).status).toBe(400);
  });
  it('GET /api/stress/n1 sweeps', async () => {
    const r = await app.request('/api/stress/n1?all=true');
    const body = (await r.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body.rows.map((x: { removed: string }) => x.removed)).toEqual(['CHN', 'RUS', 'JPN']);
  });
});
