import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { HttpError } from '../../../src/api/app.ts';
import { registerCriticalityRoutes } from '../../../src/api/criticality-routes.ts';
import { DatasetIndex } from '../../../src/engine/dataset.ts';
import type { KnowledgeBase } from '../../../src/store/knowledge-base.ts';
import type { Observation } from '../../../src/model/schema.ts';

const o = (countryId: string, measure: Observation['measure'], value: number): Observation => ({ materialId: 'gallium', stage: 'refining', measure, countryId, year: 2023, value, unit: 'fraction', basis: 'ratio', status: 'reported', estimated: false, scenario: null, sector: null, detail: 'global', note: null, sourceId: 'eu-crm-2023' });
const index = new DatasetIndex({
  observations: [o('CHN', 'supply_share', 0.9), o('CHN', 'trade_variable_t', 1), o('JPN', 'supply_share', 0.1), o('JPN', 'trade_variable_t', 1)],
  sources: new Map([['eu-crm-2023', { id: 'eu-crm-2023', dataset: 'eu-crm', editionYear: 2023, publisher: 'EC', title: 't', edition: '2023', table: null, licence: 'CC BY 4.0', url: null, file: null, caveat: null }]]),
  governance: [],
  groupings: [],
});
const app = new Hono();
app.onError((err, c) => (err instanceof HttpError ? c.json({ error: err.message, field: err.field ?? null }, err.status) : c.json({ error: String(err) }, 500)));
registerCriticalityRoutes(app, { index } as unknown as KnowledgeBase);

describe('GET /api/criticality', () => {
  it('returns the report as JSON, with WGI defaults named', async () => {
    const res = await app.request('/api/criticality?method=all&as=KOR&year=2023&samples=20');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { assessor: { id: string }; eu: Array<{ messages: string[] }> };
    expect(body.assessor.id).toBe('KOR');
    expect(body.eu[0].messages.join(' ')).toMatch(/no WGI for CHN/);
    expect(JSON.stringify(body)).not.toMatch(/NaN/);
  });
  it('CSV', async () => {
    const res = await app.request('/api/criticality?as=EU&format=csv');
    expect(res.status).toBe(200);
    expect((await res.text()).split('\n')[0]).toMatch(/^material,eu_sr/);
  });
  it('400 / 404 naming the field', async () => {
    expect((await app.request('/api/criticality?method=foo')).status).toBe(400);
    const bad = await app.request('/api/criticality?as=Atlantis');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe('as');
    expect((await app.request('/api/criticality?material=unobtainium')).status).toBe(404);
    expect((await app.request('/api/criticality?year=1995')).status).toBe(404);
  });
});
