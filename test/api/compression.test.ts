/**
 * Lean payloads: API responses are compressed when the client asks (brotli preferred, else gzip; tiny bodies and
 * XLSX left alone). Uses the bundled knowledge base (the fixture if none).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import { createApp } from '../../src/api/app.ts';
import { chooseEncoding } from '../../src/api/compress.ts';
import { testKnowledgeBase } from '../web/server.ts';

let app: Hono;
let close = () => {};
beforeAll(async () => {
  const t = await testKnowledgeBase();
  app = createApp(t.kb);
  close = t.close;
}, 120_000);
afterAll(() => close());

const get = (path: string, acceptEncoding?: string) => app.request(path, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });
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
