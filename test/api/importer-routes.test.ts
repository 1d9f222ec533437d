/** GET /api/importer/{id} on the API fixture: DRC's cobalt exports (China 80%, Finland 15%, Japan 5%) and the MSP grouping. */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { openApiDocument } from '../../src/api/openapi.ts';
import { importerExposure } from '../../src/engine/importer/exposure.ts';
import { fixtureKb } from './fixture.ts';

const kb = fixtureKb();
const app = createApp(kb);
const json = async (url: string) => {
  const r = await app.request(url);
  return { status: r.status, body: (await r.json()) as any };
};

describe('GET /api/importer/{id}', () => {
  it('a bloc (MSP): refining-stage cobalt imports from the exporters’ declarations (mirror), the engine’s figures', async () => {
    const { status, body } = await json('/api/importer/MSP?material=cobalt&year=2023');
    expect(status).toBe(200);
    expect(body).toMatchObject({ importer: 'MSP', kind: 'bloc', members: ['AUS', 'CAN', 'FIN', 'JPN'], customsLoaded: true });
    const refining = body.rows.find((r: any) => r.stage === 'refining');
    // HS 282200 (cobalt oxides) is a refining-stage product: DRC's exports to Finland (15,000 t) and Japan (5,000 t)
    expect(refining.imports.basis).toBe('mirror');
    expect(refining.imports.totalTonnes).toBe(20_000);
    expect(refining.imports.suppliers).toEqual([expect.objectContaining({ countryId: 'COD', share: 1 })]);
    expect(refining.imports.reporters).toEqual(['COD']);
    expect(refining.imports.source.sourceId).toBe('un-comtrade-fixture');
    expect(refining.dependence).toBeNull();
    expect(refining.dependenceGap).toMatch(/only mirror data/);
    // mining: no ore flows, so the supplier mix is the labelled proxy with the gap stated
    const mining = body.rows.find((r: any) => r.stage === 'mining');
    expect(mining.customsGap).toMatch(/no customs or trade flows loaded for MSP's mining-stage cobalt/);
    expect(mining.imports.source.status).toBe('proxy');
    expect(mining.stress.query).toEqual({ material: 'cobalt', stage: 'mining', year: '2023', exclude: 'COD', mode: 'export_ban' });
    expect(body).toEqual(JSON.parse(JSON.stringify(importerExposure(kb.index, { importer: 'MSP', materials: ['cobalt'], year: 2023, on: body.on }))));
  });

  it('CSV: one row per material × stage', async () => {
    const r = await app.request('/api/importer/FIN?material=cobalt&year=2023&format=csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const lines = (await r.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^material,stage,year,consumption_t,/);
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('cobalt,refining'))).toMatch(/,mirror \(COD\),15000,COD,1,/);
  });

  it('unknown importer or material: 404 with suggestions; bad year: 400 naming the field', async () => {
    const a = await json('/api/importer/MPS');
    expect(a.status).toBe(404);
    expect(a.body.field).toBe('id');
    expect(a.body.error).toMatch(/unknown importer "MPS". Did you mean: MSP/);
    const b = await json('/api/importer/FIN?material=cobolt');
    expect([b.status, b.body.field]).toEqual([404, 'material']);
    expect((await json('/api/importer/FIN?year=twenty')).body.field).toBe('year');
    expect((await json('/api/importer/FIN?year=twenty')).status).toBe(400);
    expect((await json('/api/importer/%3Cscript%3E')).status).toBe(400);
  });

  it('/api/importers: every importer of a material at a stage; the fixture holds only exporters’ declarations, and says so', async () => {
    const { status, body } = await json('/api/importers?material=cobalt&stage=refining&year=2023');
    expect(status).toBe(200);
    expect(body).toMatchObject({ materialId: 'cobalt', stage: 'refining', year: 2023, rows: [], gaps: [] });
    expect(body.supplier).toEqual({ countryId: 'CHN', country: 'China', why: 'largest producer at the refining stage in 2023' });
    expect(body.notes.join(' ')).toMatch(/No import declarations of Cobalt at the refining stage .*\(mirror data\)/);
    const csv = await app.request('/api/importers?material=cobalt&stage=refining&year=2023&format=csv');
    expect((await csv.text()).split('\n')[0]).toMatch(/^importer,importerName,tradeYear,importsTonnes,/);
    expect((await json('/api/importers?material=cobalt&supplier=C0D')).body.field).toBe('supplier');
    expect((await json('/api/importers?material=cobalt&stage=smelting')).body.field).toBe('stage');
    expect((await json('/api/importers')).body.field).toBe('material');
    expect((await json('/api/importers?material=gallium&stage=refining')).status).toBe(404);
    expect((openApiDocument().paths as Record<string, any>)['/api/importers'].get.parameters.map((p: any) => p.name)).toEqual([
      'material',
      'stage',
      'year',
      'supplier',
      'format',
    ]);
  });

  it('is documented in the OpenAPI document', () => {
    const p = (openApiDocument().paths as Record<string, any>)['/api/importer/{id}'];
    expect(p.get.parameters.map((x: any) => x.name)).toEqual(['id', 'material', 'year', 'format']);
  });
});
