/**
 * The built dashboard (web/dist, built once per run by test/web/build-once.ts) as the server sends it: the .br/.gz
 * written beside each asset at build time, chosen by Accept-Encoding, decompressing to the file itself; hashed assets
 * cached for a year, index.html revalidated. No browser needed.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createApp } from '../../src/api/app.ts';
import { mountDashboard, WEB_DIST } from '../../src/api/server.ts';
import { fixtureKb } from '../api/fixture.ts';

const app = createApp(fixtureKb());
mountDashboard(app);
const get = (path: string, acceptEncoding?: string) => app.request(path, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });
const bytes = async (r: Response) => Buffer.from(await r.arrayBuffer());

describe('dashboard static files', () => {
  it('web/dist has a .br and a .gz beside every JS/CSS asset over 1 KB', () => {
    expect(existsSync(join(WEB_DIST, 'index.html'))).toBe(true);
    const assets = readdirSync(join(WEB_DIST, 'assets')).filter((f) => /\.(js|css)$/.test(f));
    expect(assets.length).toBeGreaterThan(3);
    for (const f of assets) {
      if (readFileSync(join(WEB_DIST, 'assets', f)).length < 1024) continue;
      expect(existsSync(join(WEB_DIST, 'assets', `${f}.br`)), `${f}.br`).toBe(true);
      expect(existsSync(join(WEB_DIST, 'assets', `${f}.gz`)), `${f}.gz`).toBe(true);
    }
  });

  it('the largest script: brotli or gzip as accepted, same bytes as the file, cached for a year', async () => {
    const [largest] = readdirSync(join(WEB_DIST, 'assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => ({ f, size: readFileSync(join(WEB_DIST, 'assets', f)).length }))
      .sort((a, b) => b.size - a.size);
    const file = readFileSync(join(WEB_DIST, 'assets', largest.f));
    for (const [accept, coding, decode] of [
      ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
    ] as const) {
      const r = await get(`/assets/${largest.f}`, accept);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-encoding'), accept).toBe(coding);
      expect(r.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(r.headers.get('content-type')).toMatch(/javascript/);
      expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const body = await bytes(r);
      expect(body.length).toBeLessThan(file.length / 2.5);
      expect(decode(body).equals(file)).toBe(true);
    }
    const plain = await get(`/assets/${largest.f}`);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect((await bytes(plain)).equals(file)).toBe(true);
  });

  it('index.html: compressed when accepted, never cached without revalidation', async () => {
    const file = readFileSync(join(WEB_DIST, 'index.html'));
    const r = await get('/', 'br');
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-cache');
    const body = await bytes(r);
    const decoded = r.headers.get('content-encoding') === 'br' ? brotliDecompressSync(body) : body;
    expect(decoded.equals(file)).toBe(true);
    // API routes are not given the static files' cache headers.
    expect((await get('/api/health')).headers.get('cache-control')).toBeNull();
  });
});
