/** Global search and a grouping's deals (GET /api/search, GET /api/deals) on a store built from the API fixture and a small registry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/api/app.ts';
import { StoreGate } from '../../src/store/gate.ts';
import { importPath } from '../../src/ingest/index.ts';
import { loadDataset } from '../../src/store/load.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import type { KnowledgeBase } from '../../src/store/knowledge-base.ts';
import { GROUPINGS, OBSERVATIONS, SOURCES } from './fixture.ts';

const REGISTRY = `version: 1
sources:
  - { id: t-src, dataset: registry, editionYear: 2025, publisher: Test ministry, title: Announcements, edition: "2025", table: null, licence: facts, url: "https://example.org/t", file: null, caveat: null }
measures:
  - { id: cod-co-quota, title: "DRC: cobalt export quotas", countryId: COD, direction: export, measureType: quota, materials: [cobalt], stages: [mining], hsCodes: [], targets: [], announced: "2025-09-20", effective: "2025-10-16", suspended: null, ended: null, summary: null, url: null, sourceId: t-src }
agreements:
  - { id: msp-2022, title: Minerals Security Partnership, type: cooperative, parties: [USA, JPN], groupIds: [MSP], materials: [], signed: "2022-06-14", inForce: null, ended: null, summary: null, url: null, sourceId: t-src }
  - { id: us-jpn, title: US-Japan critical minerals agreement, type: binding, parties: [USA, JPN], materials: [cobalt], signed: "2023-03-28", inForce: null, ended: null, summary: null, url: null, sourceId: t-src }
projects:
  - { id: kabanga, name: Kabanga nickel, countryId: TZA, materials: [nickel], stage: refining, capacityTonnesPerYear: null, basis: refined, status: feasibility, expectedStartYear: null, partners: [], agreementIds: [msp-2022], summary: null, url: null, sourceId: t-src }
  - { id: other, name: Unlinked project, countryId: AUS, materials: [nickel], stage: refining, capacityTonnesPerYear: null, basis: refined, status: feasibility, expectedStartYear: null, partners: [], agreementIds: [us-jpn], summary: null, url: null, sourceId: t-src }
`;

describe('search and deals API', () => {
  let dir: string;
  let store: StoreGate;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-search-'));
    store = new StoreGate(':memory:');
    await store.applyBatch({ kind: 'fixture', file: 'fixture', sources: SOURCES, observations: OBSERVATIONS, groupings: GROUPINGS, warnings: [] }, 'h1');
    writeFileSync(join(dir, 'reg.yaml'), REGISTRY);
    await importPath(store, 'registry', join(dir, 'reg.yaml'));
    const kb = { store, index: new DatasetIndex(await loadDataset(store)) } as unknown as KnowledgeBase;
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

  it('finds a material, a country, a measure and a page, best match first', async () => {
    const co = await get('/api/search?q=cobalt');
    expect(co.status).toBe(200);
    expect(co.body.hits[0]).toMatchObject({ kind: 'material', id: 'cobalt' });
    expect(co.body.hits.some((h: any) => h.kind === 'measure' && h.id === 'cod-co-quota')).toBe(true);
    expect((await get('/api/search?q=germany')).body.hits[0]).toMatchObject({ kind: 'country', id: 'DEU' });
    expect((await get('/api/search?q=DEU')).body.hits[0]).toMatchObject({ kind: 'country', id: 'DEU' });
    expect((await get('/api/search?q=crma')).body.hits[0]).toMatchObject({ kind: 'page', id: 'crma' });
    const msp = (await get('/api/search?q=minerals%20security')).body.hits;
    expect(msp.map((h: any) => h.kind)).toEqual(expect.arrayContaining(['agreement']));
    expect((await get('/api/search?q=qqxzv')).body.hits).toEqual([]);
  });

  it('lists the deals of the MSP and nothing that is not linked to it', async () => {
    const r = await get('/api/deals?group=msp');
    expect(r.status).toBe(200);
    expect(r.body.agreements.map((a: any) => a.id)).toEqual(['msp-2022']);
    expect(r.body.projects.map((p: any) => p.id)).toEqual(['kabanga']);
    expect(r.body.projects[0].link).toBe('linked to msp-2022');
    expect(r.body.members.length).toBeGreaterThan(0);
    expect(r.body.agreements[0].source.publisher).toBe('Test ministry');
    const csv = await get('/api/deals?group=MSP&format=csv');
    expect(csv.body).toContain('kabanga');
  });

  it('rejects bad input with 400/404 naming the field', async () => {
    expect((await get('/api/search')).status).toBe(400);
    expect((await get(`/api/search?q=${'x'.repeat(300)}`)).status).toBe(400);
    const unknown = await get('/api/deals?group=NOPE');
    expect(unknown.status).toBe(404);
    expect(unknown.body.field).toBe('group');
    expect((await get('/api/deals?group=%00')).status).toBe(400);
  });
});
