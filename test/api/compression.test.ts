/**
 * Lean payloads: API responses are compressed when the client asks (brotli preferred, else gzip; tiny bodies and
 * XLSX left alone), and the criticality page's summary view stays small while carrying what the table shows, with
 * each material's full detail available from the same run. Uses the bundled knowledge base (the fixture if none).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import { createApp, type ApiKnowledgeBase } from '../../src/api/app.ts';
import { startServer } from '../../src/api/server.ts';
import { chooseEncoding } from '../../src/api/compress.ts';
import { openApiDocument } from '../../src/api/openapi.ts';
import { testKnowledgeBase } from '../web/server.ts';

let app: Hono;
let kb: ApiKnowledgeBase;
let kind: 'bundle' | 'fixture';
let close = () => {};
beforeAll(async () => {
  const t = await testKnowledgeBase();
  app = createApp(t.kb);
  kb = t.kb;
  kind = t.kind;
  close = t.close;
}, 120_000);
afterAll(() => close());

const get = (path: string, acceptEncoding?: string) =>
  app.request(path, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });
const bytes = async (r: Response) => Buffer.from(await r.arrayBuffer());

/** EU 2023, all four methods, 100 Monte Carlo samples: the criticality page's default view. */
const PAGE_VIEW = '/api/criticality?method=all&as=EU&year=2023&samples=100';

describe('response compression', () => {
  it('picks brotli when acceptable, else gzip, honouring q=0 and *', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding('deflate')).toBeNull();
    expect(chooseEncoding('')).toBeNull();
    expect(chooseEncoding(undefined)).toBeNull();
  });

  it('criticality JSON: brotli or gzip as asked, Vary set, the body decompresses to the same JSON', async () => {
    const plain = await get(PAGE_VIEW);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toMatch(/accept-encoding/i);
    const identity = await bytes(plain);
    const expected = JSON.parse(identity.toString('utf8'));

    for (const [accept, coding, decode] of [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
    ] as const) {
      const r = await get(PAGE_VIEW, accept);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-encoding'), accept).toBe(coding);
      expect(r.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await bytes(r);
      expect(Number(r.headers.get('content-length'))).toBe(body.length);
      expect(body.length).toBeLessThan(identity.length / 5); // JSON with repeated keys and citation texts compresses ≥ 5×
      expect(JSON.parse(decode(body).toString('utf8'))).toEqual(expected);
    }
  });

  it('a response kept whole (cacheResponses) is served from its kept variants: each coding once, the same bytes again', async () => {
    for (const path of ['/api/concentration/series?stage=mining', '/api/materials/cobalt']) {
      const identity = await bytes(await get(path)); // the first ask computes and keeps the answer
      const expected = JSON.parse(identity.toString('utf8'));
      for (const [accept, coding, decode] of [
        ['gzip, deflate, br', 'br', brotliDecompressSync],
        ['gzip', 'gzip', gunzipSync],
      ] as const) {
        const [a, b] = [await get(path, accept), await get(path, accept)];
        for (const r of [a, b]) {
          expect(r.status).toBe(200);
          expect(r.headers.get('content-encoding')).toBe(coding);
          expect(r.headers.get('vary')).toMatch(/accept-encoding/i);
          expect(r.headers.get('content-type')).toMatch(/^application\/json/);
        }
        const [ba, bb] = [await bytes(a), await bytes(b)];
        expect(Number(a.headers.get('content-length'))).toBe(ba.length);
        expect(bb.equals(ba)).toBe(true);
        expect(ba.length).toBeLessThan(identity.length / 5);
        expect(JSON.parse(decode(ba).toString('utf8'))).toEqual(expected);
      }
      const plain = await get(path, 'identity');
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect((await bytes(plain)).equals(identity)).toBe(true);
    }
  });

  it('over HTTP, a kept answer sent uncompressed keeps its length and Vary, the same bytes at every ask', async () => {
    // The kept body goes to the socket as bytes (not through a web stream); Vary is set in place on that response.
    const s = await startServer({ port: 0, host: '127.0.0.1', kb, quiet: true });
    try {
      const url = `${s.url}api/concentration/series?stage=mining`;
      const asks = [];
      for (let i = 0; i < 3; i++) asks.push(await fetch(url, { headers: { 'accept-encoding': 'identity' } }));
      const bodies = await Promise.all(asks.map(bytes));
      for (const [i, r] of asks.entries()) {
        expect(r.status).toBe(200);
        expect(r.headers.get('content-encoding')).toBeNull();
        expect(r.headers.get('vary')).toMatch(/accept-encoding/i);
        expect(Number(r.headers.get('content-length'))).toBe(bodies[i].length);
        expect(bodies[i].equals(bodies[0])).toBe(true);
      }
      expect(JSON.parse(bodies[0].toString('utf8')).rows.length).toBeGreaterThan(0);
      const packed = await fetch(url, { headers: { 'accept-encoding': 'br' } });
      expect(packed.headers.get('content-encoding')).toBe('br');
      expect(Buffer.from(await packed.arrayBuffer()).equals(bodies[0])).toBe(true); // fetch decodes it
    } finally {
      await s.close();
    }
  });

  it('CSV is compressed; XLSX (already zipped) and tiny bodies are not', async () => {
    const csv = await get('/api/overview?format=csv', 'br');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const plainCsv = await (await get('/api/overview?format=csv')).text();
    if (plainCsv.length >= 1024) {
      expect(csv.headers.get('content-encoding')).toBe('br');
      expect(brotliDecompressSync(await bytes(csv)).toString('utf8')).toBe(plainCsv);
    }
    const xlsx = await get('/api/export?table=overview&format=xlsx', 'gzip, br');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-encoding')).toBeNull();
    expect((await bytes(xlsx)).subarray(0, 2).toString('latin1')).toBe('PK');
    const health = await get('/api/health', 'gzip, br');
    expect(health.headers.get('content-encoding')).toBeNull(); // ~60 bytes: compressing would only add overhead
    expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
  });
});

describe('criticality: summary view and one material on demand', () => {
  let full: any;
  let summary: any;
  let summaryBytes: number;
  let summaryWire: number;
  beforeAll(async () => {
    full = await (await get(PAGE_VIEW)).json();
    const s = await get(`${PAGE_VIEW}&view=summary`);
    expect(s.status).toBe(200);
    const raw = await bytes(s);
    summaryBytes = raw.length;
    summary = JSON.parse(raw.toString('utf8'));
    summaryWire = (await bytes(await get(`${PAGE_VIEW}&view=summary`, 'gzip, deflate, br'))).length;
  }, 120_000);

  it('stays below its bound: under 400 KB (30% of the full report) and under 30 KB brotli-compressed', () => {
    console.log(
      `criticality ${kind}: full ${Math.round(JSON.stringify(full).length / 1024)} KB, summary ${Math.round(summaryBytes / 1024)} KB, ${Math.round(summaryWire / 1024)} KB with brotli`,
    );
    // 400 KB since citations are structured records (src/model/provenance.ts), not one string; the wire size is what a user waits for.
    expect(summaryBytes).toBeLessThan(400 * 1024);
    expect(summaryBytes).toBeLessThan(0.3 * JSON.stringify(full).length);
    expect(summaryWire).toBeLessThan(30 * 1024);
    if (kind === 'bundle') expect(summary.comparison.length).toBeGreaterThanOrEqual(80); // the bound is for the real data
  });

  it('keeps what the table and the matrices show, drops the per-material inputs and breakdowns', () => {
    expect(summary.view).toBe('summary');
    expect(summary.comparison).toEqual(full.comparison);
    expect(summary.officialListComparison).toEqual(full.officialListComparison);
    expect(summary.warnings).toEqual(full.warnings);
    expect(JSON.stringify(summary)).not.toMatch(/"inputs":|"stages":|"indicators":/);
    for (const m of ['eu', 'doe', 'usgs', 'geopolrisk'] as const)
      expect(summary[m].map((x: any) => x.materialId)).toEqual(full[m].map((x: any) => x.materialId));
    const euFull = full.eu.find((e: any) => e.sr !== null) ?? full.eu[0];
    const euSum = summary.eu.find((e: any) => e.materialId === euFull.materialId);
    for (const k of ['sr', 'ei', 'critical', 'bottleneck', 'band', 'messages', 'defaulted']) expect(euSum[k], k).toEqual(euFull[k]);
    const d = full.doe[0];
    const ds = summary.doe[0];
    expect(ds.shortTerm).toEqual({ importance: d.shortTerm.importance, supplyRisk: d.shortTerm.supplyRisk, class: d.shortTerm.class });
    // Every input's citation text is kept once, with the methods citing it; every unscored DOE indicator once per reason.
    const cited = new Map(summary.inputSources.map((s: any) => [s.source.text, s.methods]));
    for (const m of ['eu', 'doe', 'usgs', 'geopolrisk'] as const)
      for (const r of full[m]) for (const i of r.inputs) expect(cited.get(i.source.text), `${m} ${r.materialId} ${i.input}`).toContain(m);
    expect(cited.size).toBe(
      new Set(['eu', 'doe', 'usgs', 'geopolrisk'].flatMap((m) => full[m].flatMap((r: any) => r.inputs.map((i: any) => i.source.text)))).size,
    );
    for (const d of full.doe)
      for (const term of ['shortTerm', 'mediumTerm'])
        for (const i of d[term].indicators.filter((x: any) => x.score === null)) {
          const g = summary.doeUnscored.find((u: any) => u.term === term && u.indicator === i.indicator && u.basis === i.basis);
          expect(g?.materialIds, `${d.materialId} ${term} ${i.indicator}`).toContain(d.materialId);
        }
  });

  it('detail=<material> gives that material of the same run, every input included', async () => {
    const id = full.comparison.find((c: any) => c.materialId === 'gallium')?.materialId ?? full.comparison[0].materialId;
    const r = await get(`${PAGE_VIEW}&view=summary&detail=${id}`);
    expect(r.status).toBe(200);
    const one = (await (await get(`${PAGE_VIEW}&detail=${id.toUpperCase()}`)).json()) as any;
    for (const m of ['eu', 'doe', 'usgs', 'geopolrisk', 'comparison'] as const) expect(one[m], m).toEqual(full[m].filter((x: any) => x.materialId === id));
    expect(one.assessor).toEqual(full.assessor);
    expect(JSON.stringify(one).length).toBeLessThan(JSON.stringify(full).length / 20);
    // A group row (EU method: mean of its members) has its own detail.
    const group = full.comparison.find((c: any) => ['lree', 'hree', 'pgm'].includes(c.materialId));
    if (group) expect(((await (await get(`${PAGE_VIEW}&detail=${group.materialId}`)).json()) as any).eu[0].members.length).toBeGreaterThan(1);
  });

  it('bad view → 400; unknown or unassessed detail → 404, naming the field', async () => {
    const bad = await get(`${PAGE_VIEW}&view=tiny`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe('view');
    const unknown = await get(`${PAGE_VIEW}&detail=unobtainium`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { field: string }).field).toBe('detail');
    const notInRun = await get(
      `/api/criticality?method=all&as=EU&year=2023&material=${full.comparison[0].materialId}&detail=${full.comparison[full.comparison.length - 1].materialId}`,
    );
    if (full.comparison.length > 1) expect(notInRun.status).toBe(404);
  });

  it('the OpenAPI document names view and detail (so the fuzz test sends them)', () => {
    const params = (openApiDocument().paths as any)['/api/criticality'].get.parameters.map((p: any) => p.name);
    expect(params).toEqual(expect.arrayContaining(['view', 'detail']));
    const view = (openApiDocument().paths as any)['/api/criticality'].get.parameters.find((p: any) => p.name === 'view');
    expect(view.schema.enum).toEqual(['full', 'summary']);
  });
});
