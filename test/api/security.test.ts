/**
 * A page on another site must not be able to change the store (issue: a cross-site text/plain POST replaced a curated
 * record) and DNS rebinding must not reach the API: a started server checks Host and Origin, needs its write token for
 * every write, and sends security headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/store/knowledge-base.ts';
import { tokenPath } from '../../src/api/security.ts';

/** fetch() will not send a forged Host header; node:http will. */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const RECORD = JSON.stringify({
  measures: [
    {
      id: 'chn-gallium-germanium-2023',
      title: 'FORGED',
      countryId: 'CHN',
      direction: 'export',
      measureType: 'ban',
      materials: ['gallium'],
      stages: ['refining'],
      hsCodes: [],
      targets: [],
      announced: '2023-07-03',
      effective: '2023-08-01',
      suspended: null,
      ended: null,
      summary: null,
      url: 'https://evil.example/',
    },
  ],
});

describe('a started server: token, Host, Origin, headers', () => {
  let dir: string;
  let kb: KnowledgeBase;
  let server: RunningServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-sec-'));
    kb = await openKnowledgeBase({ dbPath: join(dir, 'store.duckdb') });
    server = await startServer({ port: 0, host: '127.0.0.1', kb, quiet: true });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    kb?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const title = async () =>
    (await (await fetch(`${server.url}api/registry/measures/chn-gallium-germanium-2023`)).json()) as { record?: { title: string }; title?: string };

  it('keeps the token beside the store, readable by its owner only', () => {
    expect(statSync(tokenPath(join(dir, 'store.duckdb'))).mode & 0o777).toBe(0o600);
    expect(server.token).toMatch(/^[\w-]{20,}$/);
  });

  it('refuses a cross-site text/plain POST, and the record is unchanged', async () => {
    const before = JSON.stringify(await title());
    const r = await raw(`${server.url}api/registry`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'http://evil.example' },
      body: RECORD,
    });
    expect(r.status).toBe(403);
    expect(JSON.stringify(await title())).toBe(before);
    expect(before).not.toContain('FORGED');
  });

  it('refuses a write without the token, even from its own origin', async () => {
    const r = await raw(`${server.url}api/registry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url.replace(/\/$/, '') },
      body: RECORD,
    });
    expect(r.status).toBe(401);
    expect(r.body).toMatch(/writes need the token/);
    const wrong = await raw(`${server.url}api/alerts/evaluate`, { method: 'POST', headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
  });

  it('accepts a write with the token', async () => {
    const r = await raw(`${server.url}api/alerts/evaluate`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` } });
    expect(r.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await raw(`${server.url}api/health`, { headers: { host: `evil.example:${server.port}` } });
    expect(r.status).toBe(421);
    expect((await raw(`${server.url}api/health`, { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('sends security headers and no CORS grant', async () => {
    const r = await raw(`${server.url}api/health`, { headers: { origin: server.url.replace(/\/$/, '') } });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(String(r.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('the dashboard link trades the token for an HttpOnly SameSite=Strict cookie', async () => {
    const r = await raw(`${server.url}?token=${server.token}`, {});
    expect(r.status).toBe(303);
    expect(String(r.headers['set-cookie'])).toMatch(/chokepoint_token=.*HttpOnly.*SameSite=Strict/);
    expect((await raw(`${server.url}?token=wrong`, {})).status).toBe(401);
  });
});

describe('request bodies are bounded', () => {
  it('a body over the limit gets 413 before it is read whole', async () => {
    const { createApp, MAX_BODY_BYTES } = await import('../../src/api/app.ts');
    const { fixtureKb } = await import('./fixture.ts');
    const app = createApp(fixtureKb());
    const big = JSON.stringify({ measures: ['x'.repeat(MAX_BODY_BYTES + 10)] });
    const r = await app.request('/api/registry', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(r.status).toBe(413);
    expect(((await r.json()) as { field: string }).field).toBe('body');
  });
});
