/**
 * Cost parameters are bounded: a list or quantity one past its stated maximum is a 400 naming the field, the maximum
 * itself is accepted (whatever the data then says), and /openapi.json states each maximum.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { openApiDocument } from '../../src/api/openapi.ts';
import { STRESS_LIMITS } from '../../src/api/stress-routes.ts';
import { COALITION_LIMITS } from '../../src/api/coalition-routes.ts';
import { fixtureKb } from './fixture.ts';

const app = createApp(fixtureKb());
const call = async (url: string, init?: RequestInit) => {
  const r = await app.request(url, init);
  return { status: r.status, body: (await r.json()) as { error: string; field: string | null } };
};
const list = (item: (i: number) => string, n: number) => Array.from({ length: n }, (_, i) => item(i)).join(',');
const iso3 = (i: number) => `A${String.fromCharCode(65 + (Math.floor(i / 26) % 26))}${String.fromCharCode(65 + (i % 26))}`;

describe('cost parameters have stated maxima', () => {
  const cases: Array<{ name: string; over: string; at: string; field: string }> = [
    {
      name: 'stress exclude entries',
      over: `/api/stress?material=cobalt&year=2023&exclude=${list(() => 'CHN', STRESS_LIMITS.excludeItems + 1)}`,
      at: `/api/stress?material=cobalt&year=2023&exclude=${list(() => 'COD', STRESS_LIMITS.excludeItems)}`,
      field: 'exclude',
    },
    {
      name: 'stress exclude length',
      over: `/api/stress?material=cobalt&year=2023&exclude=${'C'.repeat(STRESS_LIMITS.excludeChars + 1)}`,
      at: `/api/stress?material=cobalt&year=2023&exclude=COD`,
      field: 'exclude',
    },
    {
      name: 'stockpile days',
      over: `/api/stress?material=cobalt&year=2023&exclude=COD&stockpileDays=${STRESS_LIMITS.stockpileDays + 1}`,
      at: `/api/stress?material=cobalt&year=2023&exclude=COD&stockpileDays=${STRESS_LIMITS.stockpileDays}`,
      field: 'stockpileDays',
    },
    {
      name: 'stockpile tonnes',
      over: `/api/stress?material=cobalt&year=2023&exclude=COD&stockpileTonnes=${STRESS_LIMITS.stockpileTonnes * 10}`,
      at: `/api/stress?material=cobalt&year=2023&exclude=COD&stockpileTonnes=${STRESS_LIMITS.stockpileTonnes}`,
      field: 'stockpileTonnes',
    },
    {
      name: 'stress months',
      over: '/api/stress?material=cobalt&year=2023&exclude=COD&months=121',
      at: '/api/stress?material=cobalt&year=2023&exclude=COD&months=120',
      field: 'months',
    },
    { name: 'n1 material', over: `/api/stress/n1?material=${'x'.repeat(101)}`, at: '/api/stress/n1?material=cobalt', field: 'material' },
    {
      name: 'coalition years',
      over: `/api/coalition/share?group=AUS%2BCAN&year=${list((i) => String(2000 + i), COALITION_LIMITS.years + 1)}`,
      at: `/api/coalition/share?group=AUS%2BCAN&year=${list((i) => String(2000 + i), COALITION_LIMITS.years)}`,
      field: 'year',
    },
    {
      name: 'coalition year range',
      over: '/api/coalition/share?group=AUS%2BCAN&year=2023,9999',
      at: '/api/coalition/share?group=AUS%2BCAN&year=2023,2100',
      field: 'year',
    },
    {
      name: 'coalition materials',
      over: `/api/coalition/share?group=AUS%2BCAN&year=2023&material=${list(() => 'co', COALITION_LIMITS.materials + 1)}`,
      at: `/api/coalition/share?group=AUS%2BCAN&year=2023&material=${list(() => 'cobalt', 50)}`,
      field: 'material',
    },
    {
      name: 'roles countries',
      over: `/api/coalition/roles?country=${list(iso3, COALITION_LIMITS.countries + 1)}`,
      at: `/api/coalition/roles?country=${list(iso3, COALITION_LIMITS.countries)}`,
      field: 'country',
    },
  ];

  for (const c of cases) {
    it(`${c.name}: over the maximum is a 400 naming ${c.field}; the maximum is accepted`, async () => {
      const over = await call(c.over);
      expect(over.status).toBe(400);
      expect(over.body.field).toBe(c.field);
      expect(over.body.error.startsWith(`${c.field}:`)).toBe(true);
      const at = await call(c.at);
      expect(at.status, `${c.at} → ${at.body.error}`).not.toBe(400);
      expect(at.status).toBeLessThan(500);
    });
  }

  it('POST /api/stress: a scenario with too many exclude entries or stockpile days is a 400 naming the field', async () => {
    const post = (body: unknown) => call('/api/stress', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const base = { version: 1, material: 'cobalt', year: 2023, stage: 'mining', shock: { exclude: ['COD'] } };
    const many = await post({ ...base, shock: { exclude: Array.from({ length: 251 }, () => 'CHN') } });
    expect(many.status).toBe(400);
    expect(many.body.field).toBe('shock.exclude');
    const days = await post({ ...base, stockpile: { days: 3651 } });
    expect(days.status).toBe(400);
    expect(days.body.field).toBe('stockpile.days');
    expect((await post({ ...base, stockpile: { days: 3650 } })).status).toBe(200);
  });

  it('the OpenAPI document states the maxima', () => {
    const doc = openApiDocument() as unknown as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; schema: Record<string, unknown> }> }>>;
    };
    const param = (path: string, name: string) => doc.paths[path].get.parameters!.find((p) => p.name === name)!.schema;
    expect(param('/api/stress', 'exclude')).toMatchObject({ maxLength: STRESS_LIMITS.excludeChars });
    expect(String(param('/api/stress', 'exclude').description)).toContain(`at most ${STRESS_LIMITS.excludeItems} entries`);
    expect(param('/api/stress', 'stockpileDays')).toMatchObject({ maximum: STRESS_LIMITS.stockpileDays });
    expect(param('/api/stress', 'stockpileTonnes')).toMatchObject({ maximum: STRESS_LIMITS.stockpileTonnes });
    expect(param('/api/stress', 'months')).toMatchObject({ maximum: 120 });
    expect(String(param('/api/coalition/share', 'year').description)).toContain(`at most ${COALITION_LIMITS.years}`);
    expect(param('/api/coalition/share', 'material')).toMatchObject({ maxLength: COALITION_LIMITS.materialChars });
    expect(String(param('/api/coalition/n1', 'material').description)).toContain(`at most ${COALITION_LIMITS.materials}`);
    expect(String(param('/api/coalition/roles', 'country').description)).toContain(`at most ${COALITION_LIMITS.countries}`);
  });
});
