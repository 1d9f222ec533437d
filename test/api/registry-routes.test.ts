/** Registry, timeline and alert routes on a store-backed knowledge base built from the API fixture and a small registry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/api/app.ts';
import { StoreGate } from '../../src/store/gate.ts';
import { importPath } from '../../src/ingest/index.ts';
import { loadDataset } from '../../src/store/load.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { evaluateAlerts } from '../../src/store/alerts.ts';
import type { KnowledgeBase } from '../../src/store/knowledge-base.ts';
import { GROUPINGS, OBSERVATIONS, SOURCES } from './fixture.ts';

const REGISTRY = `version: 1
sources:
  - { id: t-src, dataset: registry, editionYear: 2025, publisher: Test ministry, title: Announcements, edition: "2025", table: null, licence: facts, url: "https://example.org/t", file: null, caveat: null }
measures:
  - { id: cod-co-suspension, title: DRC suspends cobalt exports, countryId: COD, direction: export, measureType: ban, materials: [cobalt], stages: [mining], hsCodes: [], targets: [], announced: "2025-02-22", effective: "2025-02-22", suspended: null, ended: "2025-10-16", summary: null, url: "https://example.org/cod", sourceId: t-src }
  - { id: usa-cu, title: US copper tariff, countryId: USA, direction: import, measureType: tax, materials: [copper], stages: [refining], hsCodes: [], targets: [], announced: "2025-07", effective: "2025-08-01", suspended: null, ended: null, summary: null, url: null, sourceId: t-src }
agreements:
  - { id: msp, title: Minerals Security Partnership, type: cooperative, parties: [MSP], materials: [], signed: "2022-06-14", inForce: null, ended: null, summary: null, url: null, sourceId: t-src }
`;

describe('registry, timeline and alerts API', () => {
  let dir: string;
  let store: StoreGate;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-regapi-'));
    store = new StoreGate(':memory:'); // what the server uses: one write at a time
    await store.applyBatch({ kind: 'fixture', file: 'fixture', sources: SOURCES, observations: OBSERVATIONS, groupings: GROUPINGS, warnings: [] }, 'h1');
    writeFileSync(join(dir, 'reg.yaml'), REGISTRY);
    await importPath(store, 'registry', join(dir, 'reg.yaml'));
    const kb = { store, index: new DatasetIndex(await loadDataset(store)) } as unknown as KnowledgeBase;
    kb.reload = async () => void (kb.index = new DatasetIndex(await loadDataset(store)));
    kb.afterImport = async () => (await kb.reload(), evaluateAlerts(store, kb.index));
    app = createApp(kb);
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = async (path: string) => {
    const r = await app.request(path);
    return { status: r.status, body: (r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text()) as any };
  };
  const send = async (method: string, path: string, body?: unknown) => {
    const r = await app.request(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as any };
  };

  it('lists records with their sources, filtered by material and country; CSV too', async () => {
    const m = await get('/api/registry/measures?material=cobalt');
    expect(m.status).toBe(200);
    expect(m.body.measures.map((x: any) => x.id)).toEqual(['cod-co-suspension']);
    expect(m.body.measures[0].source.publisher).toBe('Test ministry');
    expect((await get('/api/registry/agreements?country=FIN')).body.agreements.map((x: any) => x.id)).toEqual(['msp']);
    const csv = await get('/api/registry/measures?format=csv');
    expect(csv.body.split('\n')[0]).toMatch(/^id,title,country,direction,type/);
    expect((await get('/api/registry/measures/usa-cu')).body.record.title).toBe('US copper tariff');
  });

  it('timeline in date order; measure → scenario → stress report in one step', async () => {
    const t = await get('/api/timeline?material=cobalt');
    expect(t.body.events.map((e: any) => `${e.date} ${e.kind}`)).toEqual(['2025-02-22 measure_announced', '2025-10-16 measure_ended']);
    const s = await get('/api/registry/measures/cod-co-suspension/scenario');
    expect(s.status).toBe(200);
    expect(s.body.scenario).toMatchObject({ material: 'cobalt', stage: 'mining', year: 2023, shock: { exclude: ['COD'] } });
    // the dashboard URL writes every input out (defaults included), so the form shows what runs
    expect(s.body.stressUrl).toBe(
      '#/stress?material=cobalt&stage=mining&year=2023&exclude=COD&mode=export_ban&fraction=1&months=12&stockpilePolicy=japan-60&holder=world&demandScenario=STEPS',
    );
    const run = await get('/api/registry/measures/cod-co-suspension/stress');
    expect(run.status).toBe(200);
    expect(run.body.report.excluded.map((x: any) => x.countryId)).toEqual(['COD']);
    // and the URL's query, sent to the API, gives the same result as the measure's own run
    const viaUrl = await get(`/api/stress?${s.body.stressUrl.split('?')[1]}`);
    expect(viaUrl.status).toBe(200);
    expect(viaUrl.body.headline).toEqual(run.body.report.headline);
    expect(viaUrl.body.stockpile.stockpileTonnes).toBe(run.body.report.stockpile.stockpileTonnes);
    expect((await get('/api/registry/measures/usa-cu/scenario')).status).toBe(404);
  });

  it('adds, overrides and removes user records; bad records are 400 naming the field; imported records cannot be deleted', async () => {
    const bad = await send('POST', '/api/registry', {
      measures: [
        {
          id: 'x1',
          title: 'bad one',
          countryId: 'CHN',
          direction: 'export',
          measureType: 'embargo',
          materials: ['gallium'],
          stages: [],
          hsCodes: [],
          targets: [],
          announced: null,
          effective: null,
          suspended: null,
          ended: null,
          summary: null,
          url: null,
        },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/measures\[0\] \(x1\)\.measureType/);
    expect((await send('POST', '/api/registry', '{not json')).status).toBe(400);
    expect((await send('POST', '/api/registry', { treaties: [] })).status).toBe(400);
    const ok = await send('POST', '/api/registry', {
      measures: [
        {
          id: 'chn-ga',
          title: 'China gallium licensing',
          countryId: 'CHN',
          direction: 'export',
          measureType: 'licence',
          materials: ['gallium'],
          stages: ['refining'],
          hsCodes: ['811292'],
          targets: [],
          announced: '2023-07-03',
          effective: '2023-08-01',
          suspended: null,
          ended: null,
          summary: null,
          url: 'https://example.org/ga',
        },
      ],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.added).toEqual([{ kind: 'measure', id: 'chn-ga', overrides: false }]);
    expect((await get('/api/registry/measures/chn-ga')).body.userEntered).toBe(true);
    expect((await send('DELETE', '/api/registry/measures/cod-co-suspension')).status).toBe(400);
    expect((await send('DELETE', '/api/registry/measures/chn-ga')).status).toBe(200);
    expect((await get('/api/registry/measures/chn-ga')).status).toBe(404);
  });

  it('alert rules: validated, evaluated on save, listed, deleted', async () => {
    expect((await send('POST', '/api/alerts/rules', { id: 'r', kind: 'new_measure' })).body.field).toBe('id');
    expect((await send('POST', '/api/alerts/rules', { id: 'co-watch', kind: 'new_measure', materials: ['cobalts'] })).body.error).toMatch(
      /unknown material "cobalts"/,
    );
    const r = await send('POST', '/api/alerts/rules', { id: 'co-watch', kind: 'new_measure', materials: ['cobalt'] });
    expect(r.status).toBe(201);
    expect(r.body.alerts.map((a: any) => a.measureId)).toEqual(['cod-co-suspension']);
    const feed = await get('/api/alerts');
    expect(feed.body.alerts[0]).toMatchObject({ ruleId: 'co-watch', active: true });
    expect(feed.body.alerts[0].sources[0].publisher).toBe('Test ministry');
    expect((await get('/api/alerts/rules')).body.rules.map((x: any) => x.id)).toEqual(['co-watch']);
    expect((await send('DELETE', '/api/alerts/rules/co-watch')).status).toBe(200);
    expect((await send('DELETE', '/api/alerts/rules/co-watch')).status).toBe(404);
    expect((await get('/api/alerts')).body.alerts).toEqual([]);
  });

  it('tables download as XLSX too: title row, header, one row per record with its source', async () => {
    const r = await app.request('/api/registry/measures?format=xlsx');
    expect(r.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as any);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['id', 'title', 'country']);
    expect(header).toContain('source');
    const ids = [3, 4].map((i) => sheet.getRow(i).getCell(1).value);
    expect(ids.sort()).toEqual(['cod-co-suspension', 'usa-cu']);
    expect(sheet.getRow(3).getCell(header.indexOf('source') + 1).value).toMatch(/Test ministry/);
  });

  it('bad query input is 400 naming the field, never 500', async () => {
    expect((await get('/api/registry/treaties')).status).toBe(400);
    expect((await get('/api/timeline?from=yesterday')).body.field).toBe('from');
    expect((await get('/api/timeline?material=unobtainium')).status).toBe(404);
    expect((await get('/api/registry/measures?country=%00%00')).status).toBe(400);
    expect((await get('/api/registry/measures/cod-co-suspension/scenario?year=abc')).body.field).toBe('year');
  });
});
