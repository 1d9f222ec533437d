import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createApp } from '../../src/api/app.ts';
import { openApiDocument } from '../../src/api/openapi.ts';
import { fixtureKb } from './fixture.ts';

const app = createApp(fixtureKb());
const get = async (url: string) => {
  const r = await app.request(url);
  return { status: r.status, type: r.headers.get('content-type') ?? '', res: r };
};
const json = async (url: string) => {
  const r = await app.request(url);
  return { status: r.status, body: (await r.json()) as any };
};

describe('HTTP API', () => {
  it('health and materials', async () => {
    const h = await json('/api/health');
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ ok: true, materials: 2 });
    const m = await json('/api/materials');
    expect(m.body.materials.map((x: any) => x.id)).toEqual(['cobalt', 'nickel']);
    expect(m.body.materials[0].stages.find((s: any) => s.stage === 'mining').years).toEqual([2022, 2023, 2030]);
  });

  it('concentration: figures computed by hand, with the source attached', async () => {
    const { status, body } = await json('/api/concentration?material=cobalt&stage=mining');
    expect(status).toBe(200);
    expect(body.year).toBe(2023); // latest historical, not the 2030 projection
    expect(body.largest.countryId).toBe('COD');
    expect(body.top1Share).toBeCloseTo(170000 / 230000, 10);
    expect(body.top3Share).toBeCloseTo((170000 + 17000 + 8800) / 230000, 10);
    expect(body.previous.year).toBe(2022);
    expect(body.source.text).toContain('U.S. Geological Survey, MCS2025');
    expect(body.source.url).toBe('https://example.org/usgs-mcs-2025-world');
    // an alias resolves, a projection year picks the IEA series
    const p = await json('/api/concentration?material=Cobalt&stage=refining&year=2030');
    expect(p.body.scenario).toBe('base');
    expect(p.body.source.publisher).toBe('International Energy Agency');
  });

  it('concentration: the normalised HHI names its N (producers by default, fixed-10 on request; anything else is a 400)', async () => {
    const d = await json('/api/concentration?material=cobalt&stage=mining');
    expect(d.body.hhiNormalisation).toBe('producers');
    const n = d.body.producers;
    expect(d.body.hhiNormalised).toBeCloseTo((d.body.hhi - 1 / n) / (1 - 1 / n), 10);
    const f = await json('/api/concentration?material=cobalt&stage=mining&hhiNormalisation=fixed-10');
    expect(f.body.hhiNormalisation).toBe('fixed-10');
    expect(f.body.hhiNormalised).toBeCloseTo((f.body.hhi - 0.1) / 0.9, 10);
    const all = await json('/api/concentration/all?stage=mining&hhiNormalisation=fixed-10');
    expect(all.body.notes[0]).toContain('N = 10');
    const csv = await get('/api/concentration/all?stage=mining&format=csv&hhiNormalisation=fixed-10');
    expect((await csv.res.text()).split('\n')[1]).toMatch(/,fixed-10$/);
    const bad = await json('/api/concentration?material=cobalt&hhiNormalisation=n-5');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('hhiNormalisation');
  });

  it('what each source says: every series of the cell, rank 1 = the headline figure, gross N-1, CSV with sources', async () => {
    const one = await json('/api/concentration?material=cobalt&stage=mining&year=2023');
    const p = await json('/api/concentration/series?material=cobalt&stage=mining&year=2023');
    expect(p.status).toBe(200);
    expect(p.body.rows.length).toBeGreaterThanOrEqual(1);
    const first = p.body.rows[0];
    expect(first).toMatchObject({ rank: 1, sourceId: one.body.source.sourceId, hhi: one.body.hhi, top3Share: one.body.top3Share });
    expect(first.n1RemainingShare).toBeCloseTo(1 - 170000 / 230000, 12);
    expect(first.source.text).toContain('U.S. Geological Survey');
    // every year of the stage when no year is given; the 2030 projection comes from the IEA
    const all = await json('/api/concentration/series?material=cobalt&stage=mining');
    expect([...new Set(all.body.rows.map((r: any) => r.year))]).toEqual([2022, 2023, 2030]);
    const csv = await get('/api/concentration/series?material=cobalt&stage=mining&format=csv');
    const lines = (await csv.res.text()).trimEnd().split('\n');
    expect(lines[0].split(',')).toContain('n1RemainingShare');
    expect(lines).toHaveLength(all.body.rows.length + 1);
    for (const l of lines.slice(1)) expect(l).toMatch(/(U\.S\. Geological Survey|International Energy Agency)/);
    const none = await json('/api/concentration/series?material=cobalt&stage=mining&year=1990');
    expect(none.status).toBe(404);
    expect(none.body.error).toMatch(/years with data: 2022, 2023, 2030/);
    const unknown = await json('/api/concentration/series?material=unobtainium');
    expect([unknown.status, unknown.body.field]).toEqual([404, 'material']);
    expect((await json('/api/concentration/series?stage=smelting')).body.field).toBe('stage');
  });

  it('concentration CSV carries the source on every row', async () => {
    const r = await get('/api/concentration?material=cobalt&stage=mining&format=csv');
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/csv');
    const lines = (await r.res.text()).trim().split('\n');
    expect(lines[0]).toContain('source');
    expect(lines).toHaveLength(6);
    for (const l of lines.slice(1)) expect(l).toContain('U.S. Geological Survey');
  });

  it('price history: newest edition per year, revisions kept, y/y and rolling range computed by hand', async () => {
    const { status, body } = await json('/api/materials/cobalt/prices');
    expect(status).toBe(200);
    expect(body.window).toBe(3);
    const [s] = body.series;
    expect(s.sources.map((x: any) => x.id)).toEqual(['usgs-mcs-2025-salient', 'usgs-mcs-2024-salient']);
    const y2023 = s.years.find((y: any) => y.year === 2023);
    expect(y2023.value).toBe(17.2);
    expect(y2023.revisions).toEqual([{ edition: 2024, value: 16, sourceId: 'usgs-mcs-2024-salient' }]);
    expect(y2023.yoy).toBeCloseTo(17.2 / 30.78 - 1, 10);
    expect(y2023.rollingRange).toBeCloseTo((30.78 - 17.2) / 17.2, 10);
    expect(s.years[0].rollingRange).toBeNull(); // 2020: the window 2018-2020 is not complete
    expect(y2023.usdPerTonne).toBeCloseTo(17.2 * 2204.62262, 6);
    const w = await json('/api/materials/cobalt/prices?window=5');
    expect(w.body.series[0].years.find((y: any) => y.year === 2024).rollingRange).toBeCloseTo((30.78 - 15.7) / 15.7, 10);
    const bad = await json('/api/materials/cobalt/prices?window=1');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('window');
    const none = await json('/api/materials/nickel/prices');
    expect(none.body.series).toEqual([]);
    expect(none.body.gaps[0]).toMatch(/no price series for nickel/);
  });

  it('bad input is a 400 naming the field; unknown material a 404 with suggestions', async () => {
    const a = await json('/api/concentration?material=cobalt&stage=smelting');
    expect(a.status).toBe(400);
    expect(a.body.field).toBe('stage');
    expect(a.body.error).toMatch(/^stage:/);
    const b = await json('/api/concentration?material=cobalt&year=abc');
    expect(b.status).toBe(400);
    expect(b.body.field).toBe('year');
    const c = await json('/api/concentration?stage=mining');
    expect(c.status).toBe(400);
    expect(c.body.field).toBe('material');
    const d = await json('/api/materials/cobalto');
    expect(d.status).toBe(404);
    expect(d.body.error).toContain('cobalt');
    const e = await json('/api/concentration?material=nickel&stage=refining');
    expect(e.status).toBe(404);
    expect(e.body.field).toBe('year');
  });

  it('overview: mining and refining side by side, one source list', async () => {
    const { status, body } = await json('/api/overview');
    expect(status).toBe(200);
    const co = body.rows.find((r: any) => r.materialId === 'cobalt');
    expect(co.miningHhi).toBe(
      Math.round(((170000 / 230000) ** 2 + (17000 / 230000) ** 2 + (8800 / 230000) ** 2 + (4600 / 230000) ** 2 + (2000 / 230000) ** 2) * 10000),
    );
    expect(co.refiningChina).toBeCloseTo(0.85, 10);
    expect(co.miningHhiChange).toBeGreaterThan(0);
    expect(co.miningSourceId).toBe('usgs-mcs-2025-world');
    const ni = body.rows.find((r: any) => r.materialId === 'nickel');
    expect(ni.refiningHhi).toBeNull();
    expect(body.sources.map((s: any) => s.sourceId)).toEqual(['usgs-mcs-2025-world']);
    const all = await json('/api/concentration/all?stage=refining');
    expect(all.body.rows).toHaveLength(1);
  });

  it('material profile and flows (pro rata allocation conserves tonnes)', async () => {
    const p = await json('/api/materials/cobalt');
    expect(p.status).toBe(200);
    expect(p.body.stages.map((s: any) => s.stage)).toEqual(['mining', 'refining', 'reserves']);
    expect(p.body.sources.length).toBe(4); // world, IEA, and the two salient editions of the price series
    expect(p.body.prices[0]).toMatchObject({ materialId: 'cobalt', series: 'Spot', unit: 'USD/lb' });
    const f = await json('/api/materials/cobalt/flows');
    expect(f.status).toBe(200);
    expect(f.body.year).toBe(2023);
    const mined = f.body.links.filter((l: any) => l.source.startsWith('m:')).reduce((s: number, l: any) => s + l.tonnes, 0);
    expect(mined).toBeCloseTo(230000, 3);
    expect(f.body.endUse.sectors.map((s: any) => s.sector)).toEqual(['EV batteries', 'Other uses']);
    expect(f.body.assumptions.join(' ')).toMatch(/pro rata/);
    expect(f.body.sources.length).toBeGreaterThan(0);
    const none = await json('/api/materials/nickel/flows');
    expect(none.status).toBe(404);
  });

  it('exports CSV and XLSX with sources, and the briefing in Markdown and HTML', async () => {
    const csv = await get('/api/export?table=overview&format=csv');
    expect(csv.status).toBe(200);
    expect(await csv.res.text()).toContain('Mining HHI (0-10,000)');
    const x = await get('/api/export?table=material&material=cobalt&format=xlsx');
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await x.res.arrayBuffer()) as any);
    expect(wb.worksheets.map((w) => w.name)).toContain('cobalt-mining-2023');
    const ws = wb.getWorksheet('cobalt-mining-2023')!;
    const texts: string[] = [];
    ws.eachRow((r) => texts.push(String(r.getCell(1).value)));
    expect(texts.some((t) => t.startsWith('Source: U.S. Geological Survey'))).toBe(true);
    const bad = await json('/api/export?table=material&material=cobalt&format=csv');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('format');
    const md = await get('/api/report/cobalt?format=md');
    const text = await md.res.text();
    expect(text).toMatch(/^# Cobalt — briefing/);
    expect(text).toContain('# Annex: Cobalt supply-chain data');
    expect(text).toContain('## Sources');
    expect(text).toContain('https://example.org/usgs-mcs-2025-world');
    const html = await get('/api/report/cobalt?format=html');
    expect(await html.res.text()).toContain('<svg');
  });

  it('stress routes are mounted and validated', async () => {
    const r = await json('/api/stress?material=cobalt&stage=mining&year=2023&exclude=COD');
    expect(r.status).toBe(200);
    expect(r.body.excluded[0].countryId).toBe('COD');
    expect(r.body.sources.length).toBeGreaterThan(0);
    const b = await json('/api/stress?material=cobalt&stage=mining&year=2023');
    expect(b.status).toBe(400);
    expect(b.body.field).toBe('exclude');
  });

  it('OpenAPI document lists every route; /docs renders it', async () => {
    const doc = openApiDocument();
    for (const p of [
      '/api/health',
      '/api/materials',
      '/api/materials/{id}',
      '/api/materials/{id}/flows',
      '/api/concentration',
      '/api/concentration/all',
      '/api/overview',
      '/api/export',
      '/api/report/{id}',
      '/api/stress',
      '/api/stress/n1',
      '/api/sources',
    ]) {
      expect(doc.paths).toHaveProperty([p]);
    }
    const served = await json('/openapi.json');
    expect(served.body.openapi).toBe('3.1.0');
    const docs = await get('/docs');
    expect(docs.type).toContain('text/html');
    expect(await docs.res.text()).toContain('/api/concentration');
    const s = await json('/api/sources');
    expect(s.body.sources[0]).toHaveProperty('observations');
    // the curated documents of the methods are listed too, as structured citations
    expect(s.body.documents.map((d: { sourceId: string }) => d.sourceId)).toEqual(expect.arrayContaining(['jrc2017', 'ciaaw-2021', 'wco-hs-2022']));
    expect(s.body.documents.find((d: { sourceId: string }) => d.sourceId === 'jrc2017')).toMatchObject({
      status: 'published',
      url: 'https://doi.org/10.2873/769526',
    });
  });
});

describe('stress API with customs data in the knowledge base', () => {
  it("allocates DRC's lost cobalt to its export destinations (fixture: China 80%, Finland 15%, Japan 5%)", async () => {
    const res = await app.request('/api/stress?material=cobalt&stage=mining&year=2023&exclude=COD');
    expect(res.status).toBe(200);
    const rep = (await res.json()) as {
      importerExposure: Array<{ exporterId: string; lostTonnes: number; importers: Array<{ countryId: string; lostTonnes: number }> }>;
    };
    const ex = rep.importerExposure[0];
    expect(ex.exporterId).toBe('COD');
    expect(ex.lostTonnes).toBe(170_000);
    expect(ex.importers.map((x) => [x.countryId, Math.round(x.lostTonnes)])).toEqual([
      ['CHN', 136_000],
      ['FIN', 25_500],
      ['JPN', 8_500],
    ]);
  });
  it('rejects a malformed tradeYear', async () => {
    expect((await app.request('/api/stress?material=cobalt&stage=mining&year=2023&exclude=COD&tradeYear=twenty')).status).toBe(400);
  });
});
