/**
 * API fuzz test: random and malformed query strings, path segments and bodies for every route in the OpenAPI
 * document. The server must answer every one of them with a status below 500 (client input never causes a 5xx).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { openApiDocument } from '../../src/api/openapi.ts';
import { fixtureKb } from './fixture.ts';
import { testKnowledgeBase } from '../web/server.ts';

// Deterministic PRNG (mulberry32) so a failure can be replayed.
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GARBAGE = [
  '',
  ' ',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '-0',
  '2.5',
  '99999999999999999999',
  '1900',
  '2100',
  '2101',
  'true',
  'null',
  'undefined',
  '[]',
  '{}',
  '%',
  '%zz',
  '%E0%A4%A',
  '\u0000',
  '🙂',
  'ä',
  "'; drop table observations; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'a'.repeat(5000),
  'cobalt',
  'COBALT',
  'rare earths',
  'CHN',
  'CHN,IDN',
  'non-MSP',
  'largest',
  'MSP',
  'CHN+RUS',
  ',,,',
  'mining',
  'refining',
  'reserves',
  'csv',
  'xlsx',
  'md',
  'html',
  'json',
  'STEPS',
  'world',
  'JPN',
  'export_ban',
  'outage',
  '0.5',
  '60',
];

const LIKELY: Record<string, string[]> = {
  material: ['cobalt', 'nickel', 'Cobalt', 'lithium'],
  year: ['2022', '2023', '2030', '2024'],
  exclude: ['COD', 'CHN', 'largest', 'MSP', 'non-MSP', 'IDN+RUS'],
  table: ['overview', 'shares', 'trend', 'material'],
  group: ['MSP', 'G7', 'AUS+CAN', 'EU27'],
  country: ['USA', 'AUS', 'CHN', 'COD'],
  tonnes: ['40000', '1000'],
  stage: ['refining', 'mining'],
};

function value(r: () => number, schema: Record<string, any>, name = ''): string {
  if (LIKELY[name] && r() < 0.5) return LIKELY[name][Math.floor(r() * LIKELY[name].length)];
  const roll = r();
  if (roll < 0.35 && Array.isArray(schema?.enum)) {
    const vals = schema.enum.filter((v: unknown) => v !== 'pdf'); // PDF launches chromium: covered elsewhere
    if (vals.length) return String(vals[Math.floor(r() * vals.length)]);
  }
  if (roll < 0.5) {
    // random bytes, percent-encoded or raw
    const n = Math.floor(r() * 20);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(r() * 0x2fff));
    return s;
  }
  return GARBAGE[Math.floor(r() * GARBAGE.length)];
}

function randomQuery(r: () => number, params: Array<{ name: string; schema: any }>): string {
  const parts: string[] = [];
  for (const p of params) {
    if (r() < 0.6)
      parts.push(
        `${encodeURIComponent(p.name)}=${r() < 0.9 ? encodeURIComponent(value(r, p.schema, p.name)) : value(r, p.schema, p.name).replace(/[#&?]/g, '')}`,
      );
    if (r() < 0.05) parts.push(`${p.name}=${encodeURIComponent(value(r, p.schema))}`); // repeated key
  }
  if (r() < 0.2) parts.push(`${encodeURIComponent(value(r, {}))}=${encodeURIComponent(value(r, {}))}`); // unknown key
  if (r() < 0.05) parts.push('%zz=%E0%A4%A&&=&==');
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A mostly valid query (known-good values, optional parameters sometimes left out), so the fuzzer also reaches the analytics. */
function plausibleQuery(r: () => number, params: Array<{ name: string; required: boolean; schema: any }>): string {
  const parts: string[] = [];
  for (const p of params) {
    if (!p.required && r() < 0.6) continue;
    const enumVals = (p.schema?.enum ?? []).filter((v: unknown) => v !== 'pdf');
    const v = LIKELY[p.name]
      ? LIKELY[p.name][Math.floor(r() * LIKELY[p.name].length)]
      : enumVals.length
        ? String(enumVals[Math.floor(r() * enumVals.length)])
        : p.schema?.type === 'number'
          ? String(Math.floor(r() * 100))
          : value(r, p.schema, p.name);
    parts.push(`${p.name}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Every required parameter and every optional one with likely values: the shape of a real request. */
function fullPlausibleQuery(r: () => number, params: Array<{ name: string; required: boolean; schema: any }>): string {
  const parts: string[] = [];
  for (const p of params) {
    if (!p.required && !LIKELY[p.name]) continue;
    const enumVals = (p.schema?.enum ?? []).filter((v: unknown) => v !== 'pdf');
    const v = LIKELY[p.name]
      ? LIKELY[p.name][Math.floor(r() * LIKELY[p.name].length)]
      : enumVals.length
        ? String(enumVals[Math.floor(r() * enumVals.length)])
        : value(r, p.schema, p.name);
    parts.push(`${p.name}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function randomBody(r: () => number): string {
  if (r() < 0.25)
    return JSON.stringify({
      version: 1,
      material: 'cobalt',
      year: 2023,
      stage: r() < 0.5 ? 'mining' : 'refining',
      shock: { exclude: [r() < 0.5 ? 'largest' : 'CHN'], fraction: r() },
    });
  const roll = r();
  if (roll < 0.15) return value(r, {});
  if (roll < 0.25) return '{"version":1,"material":'; // truncated JSON
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const junk = () => pick<unknown>([null, 1, -1, 'x', [], {}, true, 1e309, 'cobalt', 2023, ['CHN'], { low: -1, central: 0, high: 1 }]);
  const body: Record<string, unknown> = {
    version: pick([1, 1, 1, 2, '1', null]),
    material: pick(['cobalt', 'nickel', 'unobtainium', '', 42, null]),
    year: pick([2023, 2022, 2030, 1800, '2023', null, 2023.5]),
    stage: pick(['mining', 'refining', 'reserves', 7]),
    shock: pick([
      { exclude: ['COD'] },
      { exclude: [] },
      { exclude: ['largest'], mode: 'outage', fraction: 0.5 },
      { exclude: ['XXX'] },
      { exclude: 'COD' },
      null,
      { exclude: ['MSP'], durationMonths: 0 },
    ]),
  };
  if (r() < 0.3) body.stockpile = pick([{ days: 60 }, { tonnes: -1 }, { policy: 'japan-60' }, { days: 1, tonnes: 2 }, 'x']);
  if (r() < 0.3)
    body.parameters = pick([
      { demandElasticity: { low: -1, central: -0.5, high: -0.1 } },
      { flowRules: [{ from: 'COD', to: [], note: '' }] },
      { nope: 1 },
      junk(),
    ]);
  if (r() < 0.2) body[value(r, {})] = junk();
  return JSON.stringify(body);
}

// Fuzz the fixture and, when the bundle is built, the real knowledge base (its odd cases are the interesting ones).
const real = await testKnowledgeBase();
afterAll(() => real.close());
const targets = real.kind === 'bundle' ? [['fixture', fixtureKb()] as const, ['bundle', real.kb] as const] : [['fixture', fixtureKb()] as const];

describe.each(targets)('API fuzz (%s knowledge base): zero 5xx for random and malformed input', (_name, kb) => {
  const app = createApp(kb);
  const doc = openApiDocument();
  const reg = kb.index.data.registry;
  const registryIds = reg ? [...reg.measures, ...reg.agreements, ...reg.projects].map((x) => x.id).slice(0, 40) : [];
  const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops as Record<string, any>).map(([method, op]) => ({
      path,
      method,
      params: (op.parameters ?? []).filter((p: any) => p.in === 'query'),
      body: !!op.requestBody,
    })),
  );

  it('covers every documented route', () => {
    expect(routes.length).toBeGreaterThanOrEqual(12);
  });

  for (const route of routes) {
    it(`${route.method.toUpperCase()} ${route.path}`, async () => {
      const r = rng(route.path.length * 7919 + route.method.length);
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      // A route with no query, path or body input varies only by unknown keys and junk bodies: 20 draws cover those. Two of
      // them redo store work on every call whatever the input (POST /api/alerts/evaluate evaluates every rule on the whole
      // bundle, GET /api/sources counts rows in the store): up to 1.5 s a call on a loaded 2-core machine.
      const noInput = route.params.length === 0 && !route.path.includes('{') && !route.body;
      const N = noInput ? 20 : route.path.includes('report') || route.path.includes('export') ? 120 : 300;
      for (let i = 0; i < N; i++) {
        const { url, init } = draw(r, route, registryIds);
        let status: number;
        try {
          status = (await app.request(url, init)).status;
        } catch (e) {
          failures.push(`${route.method} ${url}: threw ${(e as Error).message}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500)
          failures.push(`${status} ${route.method.toUpperCase()} ${url.slice(0, 300)} ${typeof init.body === 'string' ? init.body.slice(0, 300) : ''}`);
      }
      expect(failures).toEqual([]);
      // The fuzzer must also reach the analytics, not only the validators.
      // Routes that change the store, or need a record the knowledge base may not hold, are checked for 5xx only.
      const writes = route.method === 'delete' || (route.method === 'post' && route.path !== '/api/stress');
      const needsRecord = route.path.startsWith('/api/registry/') && registryIds.length === 0;
      if (!['/api/health', '/api/materials', '/api/sources', '/openapi.json'].includes(route.path) && !writes && !needsRecord)
        expect(statuses.get(200) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(0);
    }, 120_000); // a few hundred requests on the whole bundle: sized for a loaded 2-core machine
  }

  it('malformed paths and methods', async () => {
    for (const url of [
      '/api/materials/%',
      '/api/materials/%E0%A4%A',
      '/api/materials/%00',
      '/api/report/%ff%fe',
      '/api/materials//flows',
      '/api/../openapi.json',
      '/api/concentration?%',
      '/api/concentration?material=%E0%A4%A',
    ]) {
      const s = (await app.request(url)).status;
      expect(s, url).toBeLessThan(500);
    }
    for (const method of ['PUT', 'DELETE', 'PATCH', 'POST'])
      expect((await app.request('/api/concentration?material=cobalt', { method })).status).toBeLessThan(500);
  });
});

type Route = { path: string; method: string; params: any[]; body: boolean };

/** One random request for a route: ids the knowledge base holds half of the time, else junk; plausible or random queries. */
function draw(r: () => number, route: Route, registryIds: string[]): { url: string; init: RequestInit } {
  // Registry routes take record ids (the knowledge base's own, so the fuzzer reaches the analytics), others material ids.
  const known = route.path.startsWith('/api/registry')
    ? registryIds
    : route.path.startsWith('/api/alerts/rules')
      ? ['china-export-controls', 'no-such-rule']
      : route.path.startsWith('/api/importer')
        ? ['FIN', 'MSP', 'jpn', 'EU27']
        : ['cobalt', 'nickel', 'Cobalt', 'rare-earths'];
  const id = r() < 0.5 && known.length ? known[Math.floor(r() * known.length)] : encodeURIComponent(value(r, {})) || 'x';
  const path = route.path
    .replace('{id}', r() < 0.03 ? '%E0%A4%A' : id)
    .replace('{kind}', pick(r, ['measures', 'agreements', 'projects', 'treaties']))
    .replace('{iso3}', pick(r, ['COD', 'CHN', 'IDN', 'usa', 'XX1']));
  const roll = r();
  const url = path + (roll < 0.1 ? fullPlausibleQuery(r, route.params) : roll < 0.35 ? plausibleQuery(r, route.params) : randomQuery(r, route.params));
  const init: RequestInit = { method: route.method.toUpperCase() };
  if (route.method === 'post') {
    init.body = randomBody(r);
    init.headers = { 'content-type': r() < 0.9 ? 'application/json' : pick(r, ['text/plain', 'application/x-www-form-urlencoded', '']) };
  }
  return { url, init };
}

function pick<T>(r: () => number, xs: T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

describe.each(targets)('API fuzz (%s knowledge base), 4 requests in flight at a time', (_name, kb) => {
  it('every documented route, reads and writes interleaved: zero 5xx', async () => {
    const app = createApp(kb);
    const doc = openApiDocument();
    const reg = kb.index.data.registry;
    const registryIds = reg ? [...reg.measures, ...reg.agreements, ...reg.projects].map((x) => x.id).slice(0, 40) : [];
    const routes: Route[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, any>).map(([method, op]) => ({
        path,
        method,
        params: (op.parameters ?? []).filter((p: any) => p.in === 'query'),
        body: !!op.requestBody,
      })),
    );
    const r = rng(4242);
    // heavy report/export/criticality draws are fewer: this test is about interleaving, not volume
    const requests = Array.from({ length: 240 }, (_, i) => draw(r, routes[i % routes.length], registryIds));
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const { url, init } = requests[next++];
        try {
          const status = (await app.request(url, init)).status;
          if (status >= 500) failures.push(`${status} ${init.method} ${url.slice(0, 200)}`);
        } catch (e) {
          failures.push(`${init.method} ${url.slice(0, 200)}: threw ${(e as Error).message}`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(failures).toEqual([]);
  }, 300_000);
});
