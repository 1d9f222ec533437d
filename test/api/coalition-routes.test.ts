import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { apiErrorResponse } from '../../src/api/app.ts';
import { coalitionRoutes } from '../../src/api/coalition-routes.ts';
import { readDeps } from '../../src/api/deps.ts';
import { coalitionOpenApiPaths } from '../../src/api/coalition-openapi.ts';
import { fixtureIndex } from '../engine/coalition/fixture.ts';

const kb = { index: fixtureIndex() };
const app = new Hono();
app.onError(apiErrorResponse); // the API's own mapping of errors
app.route('/api', coalitionRoutes(readDeps(() => kb.index))); // a getter, so kb.reload() is seen

const json = async (url: string) => {
  const r = await app.request(url);
  return { status: r.status, body: (await r.json()) as any };
};
const bad = async (url: string, status: number, field: string) => {
  const r = await json(url);
  expect(r.status, url).toBe(status);
  expect(r.body.field, url).toBe(field);
  expect(r.body.error, url).toMatch(new RegExp(`^${field}`));
};

describe('GET /api/coalition/share', () => {
  it('JSON: hand-computed shares with the source on every row', async () => {
    const { status, body } = await json('/api/coalition/share?group=MSP&stage=refining&year=2024,2030&material=cobalt&dataset=iea-cm');
    expect(status).toBe(200);
    expect(body.coalition.members).toEqual(['AUS', 'CAN', 'FIN', 'JPN', 'USA']);
    expect(body.rows).toHaveLength(2);
    expect(body.rows[0].insideShare).toBeCloseTo(0.2, 12);
    expect(body.rows[0].unallocatedShare).toBeCloseTo(0.025, 12);
    for (const r of body.rows) expect(r.source.sourceId).toBe('iea');
  });
  it('EU CRM share tables and CSV', async () => {
    const e = await json('/api/coalition/share?group=EU27&year=2023&material=gallium&detail=eu_sourcing');
    expect(e.body.rows[0].insideShare).toBeCloseTo(0.2, 12);
    const r = await app.request('/api/coalition/share?group=CHN%2BIDN&year=2024&material=cobalt&format=csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await r.text();
    expect(text.split('\n')[0]).toMatch(/^coalition,material,stage,year/);
    expect(text).toMatch(/source/);
  });
  it('400 naming the field, 404 for unknown material or no data', async () => {
    await bad('/api/coalition/share?year=2024', 400, 'group');
    await bad('/api/coalition/share?group=MSP', 400, 'year');
    await bad('/api/coalition/share?group=MSP&year=20x4', 400, 'year');
    await bad('/api/coalition/share?group=MSP&year=2024&stage=smelting', 400, 'stage');
    await bad('/api/coalition/share?group=ATLANTIS&year=2024', 400, 'group');
    await bad('/api/coalition/share?group=MSP&year=2024&detail=eu', 400, 'detail');
    await bad('/api/coalition/share?group=MSP&year=2024&material=unobtainium', 404, 'material');
    await bad('/api/coalition/share?group=MSP&year=1990&material=cobalt', 404, 'year');
  });
});

describe('GET /api/coalition/n1', () => {
  it('largest outside supplier and self-sufficiency, CSV too', async () => {
    const { status, body } = await json('/api/coalition/n1?group=MSP&material=cobalt&year=2024');
    expect(status).toBe(200);
    const r = body.results[0];
    expect(r.largestOutside.countryId).toBe('CHN');
    expect(r.largestOutside.coverageWorldRatio).toBeCloseTo(0.2, 12);
    expect(r.allOutside.selfSufficiencyWorldDemand).toBeCloseTo(0.16, 12);
    expect(r.sources.length).toBeGreaterThan(0);
    const csv = await (await app.request('/api/coalition/n1?group=MSP&material=cobalt&year=2024&format=csv')).text();
    expect(csv.split('\n')[0]).toMatch(/^coalition,material,stage,year,member_share/);
  });
  it('errors', async () => {
    await bad('/api/coalition/n1?group=MSP&material=cobalt&year=1999', 404, 'year');
    await bad('/api/coalition/n1?group=MSP&material=cobalt&demandScenario=BAU', 400, 'demandScenario');
    await bad('/api/coalition/n1?material=cobalt', 400, 'group');
  });
});

describe('GET /api/coalition/crma', () => {
  it('65% test rows with inputs, flags and benchmarks; CSV', async () => {
    const { status, body } = await json('/api/coalition/crma');
    expect(status).toBe(200);
    expect(body.regulation.regulation).toMatch(/2024\/1252/);
    expect(body.flags.some((f: any) => f.materialId === 'gallium' && f.countryId === 'CHN')).toBe(true);
    expect(body.test65[0].inputs.shares.length).toBeGreaterThan(0);
    expect(body.benchmarks.length).toBeGreaterThan(0);
    const csv = await (await app.request('/api/coalition/crma?format=csv&material=gallium')).text();
    expect(csv.split('\n')[0]).toMatch(/^status,annex_item,srm,material/);
    expect(csv).toMatch(/fail/);
    await bad('/api/coalition/crma?year=abc', 400, 'year');
    await bad('/api/coalition/crma?material=unobtainium', 404, 'material');
  });
});

describe('GET /api/coalition/deal', () => {
  it('ad-hoc LCE project: converted, before / after', async () => {
    const { status, body } = await json('/api/coalition/deal?country=USA&material=lithium&stage=refining&tonnes=10000&basis=lce&year=2030&group=MSP');
    expect(status).toBe(200);
    expect(body.project.addedTonnes).toBeCloseTo(1878, 9);
    expect(body.change.topShare).toBeLessThan(0);
    expect(body.series.source.sourceId).toBe('iea');
    const csv = await (await app.request('/api/coalition/deal?project=aus-li-refinery&year=2030&format=csv')).text();
    expect(csv.split('\n')[0]).toBe('metric,before,after,source');
  });
  it('refusals and 400 / 404 naming the field', async () => {
    await bad('/api/coalition/deal?country=USA&material=nickel&stage=refining&tonnes=10&basis=lce&year=2024', 400, 'basis');
    await bad('/api/coalition/deal?country=USA&material=nickel&stage=refining&year=2024', 400, 'tonnes');
    await bad('/api/coalition/deal?country=USA&material=nickel&stage=refining&tonnes=-5&year=2024', 400, 'tonnes');
    await bad('/api/coalition/deal?country=USA&material=nickel&stage=refining&tonnes=5&basis=moles&year=2024', 400, 'basis');
    await bad('/api/coalition/deal?project=aus-li-refinery', 400, 'year');
    await bad('/api/coalition/deal?project=no-such-project&year=2030', 404, 'project');
    await bad('/api/coalition/deal?country=USA&material=unobtainium&stage=refining&tonnes=5&year=2024', 404, 'material');
    await bad('/api/coalition/deal?project=multi&year=2024', 400, 'material');
  });
});

describe('GET /api/coalition/roles and /api/country/:iso3', () => {
  it('roles with rules and evidence; filters; CSV', async () => {
    const { status, body } = await json('/api/coalition/roles');
    expect(status).toBe(200);
    expect(body.rules.producer_anchor).toMatch(/20%/);
    expect(body.countries.find((c: any) => c.countryId === 'COD').roles[0].role).toBe('producer_anchor');
    const hubs = await json('/api/coalition/roles?role=processing_hub');
    expect(hubs.body.countries.map((c: any) => c.countryId)).toEqual(['CHN']);
    const csv = await (await app.request('/api/coalition/roles?country=IDN&format=csv')).text();
    expect(csv.split('\n')[0]).toBe('country,role,material,year,share,evidence,sources');
    await bad('/api/coalition/roles?role=kingmaker', 400, 'role');
    await bad('/api/coalition/roles?country=INDONESIA', 400, 'country');
  });
  it('country profile; 404 unknown, 400 malformed', async () => {
    const { status, body } = await json('/api/country/idn');
    expect(status).toBe(200);
    expect(body.countryId).toBe('IDN');
    expect(body.agreements).toHaveLength(3);
    expect(body.roles.map((r: any) => r.role)).toContain('corridor_convener');
    await bad('/api/country/XYZ', 404, 'iso3');
    await bad('/api/country/1234', 400, 'iso3');
  });
});

describe('OpenAPI paths for the coalition routes', () => {
  it('documents every route with its query parameters', () => {
    expect(Object.keys(coalitionOpenApiPaths).sort()).toEqual([
      '/api/coalition/crma',
      '/api/coalition/deal',
      '/api/coalition/n1',
      '/api/coalition/roles',
      '/api/coalition/share',
      '/api/country/{iso3}',
    ]);
    const share = coalitionOpenApiPaths['/api/coalition/share'].get.parameters.map((p) => `${p.name}${p.required ? '*' : ''}`);
    expect(share).toEqual(expect.arrayContaining(['group*', 'year*', 'stage', 'material', 'format']));
    expect(coalitionOpenApiPaths['/api/coalition/deal'].get.parameters.find((p) => p.name === 'year')!.required).toBe(true);
  });
});
