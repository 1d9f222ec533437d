/**
 * Coalition API (src/engine/coalition/):
 *   GET /api/coalition/share?group=MSP&stage=refining&year=2024,2035[&material=&dataset=&scenario=&detail=&expandEu=&format=csv]
 *   GET /api/coalition/n1?group=MSP&material=rare-earths[,…]&stage=refining&year=2035[&dataset=&demandScenario=&format=csv]
 *   GET /api/coalition/crma[?year=&material=&format=csv]
 *   GET /api/coalition/deal?project=<id> | country=USA&material=lithium&stage=refining&tonnes=40000[&basis=lce] &year=2030[&group=MSP&exclude=CHN&utilisation=&format=csv]
 *   GET /api/coalition/roles[?country=IDN,CHN&material=&role=&format=csv]
 *   GET /api/country/:iso3
 * Query strings are validated with zod: bad input is a 400 naming the field; unknown material, country, project or a
 * cell without data is a 404. Every figure carries its source (`source` / `sources` citations).
 */
import { InputError } from '../model/errors.ts';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { DatasetIndex } from '../engine/dataset.ts';
import { resolveMaterial, suggestMaterials } from '../model/materials.ts';
import { BASES } from '../model/schema.ts';
import {
  CoalitionError,
  IEA_SIX,
  coalitionN1,
  coalitionShare,
  countryProfile,
  crmaReport,
  dealImpact,
  middlePowerRoles,
  resolveCoalition,
  type CoalitionShareRow,
} from '../engine/coalition/index.ts';
import { material, parse } from './app.ts';
import { downloadTable } from './download.ts';
import { coalitionN1Table, coalitionShareTable, crmaTest65Table, dealTable, rolesTable, type DataTable } from '../report/tables.ts';

/** Upper bounds on list parameters: each item is a computation (stated in the schema, so /openapi.json shows them). */
export const COALITION_LIMITS = { years: 20, materials: 100, materialChars: 500, countries: 75 } as const;

const yearOne = z.coerce.number().int().min(1900).max(2100);
const years = z
  .string()
  .max(COALITION_LIMITS.years * 5)
  .regex(/^\d{4}(,\d{4})*$/, 'a year or comma-separated years, e.g. 2024,2035')
  .transform((s) => s.split(',').map(Number))
  .refine((ys) => ys.length <= COALITION_LIMITS.years, `at most ${COALITION_LIMITS.years} years`)
  .refine((ys) => ys.every((y) => y >= 1900 && y <= 2100), 'years between 1900 and 2100')
  .describe(`a year or comma-separated years (1900–2100), at most ${COALITION_LIMITS.years}`);
const group = z
  .string()
  .min(2)
  .max(300)
  .regex(/^[A-Za-z0-9_+, -]+$/, 'a grouping id (MSP, G7, EU27 …), an ISO3 code or a list AUS+CAN');
const materialList = z
  .string()
  .min(1)
  .max(COALITION_LIMITS.materialChars)
  .refine((s) => s.split(',').length <= COALITION_LIMITS.materials, `at most ${COALITION_LIMITS.materials} comma-separated materials`)
  .describe(`material ids or aliases, comma-separated: at most ${COALITION_LIMITS.materials}, ${COALITION_LIMITS.materialChars} characters`);
const format = z.enum(['json', 'csv', 'xlsx']).default('json');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const stage = z.enum(['mining', 'refining']);
const dataset = z.string().regex(/^[a-z0-9-]+$/, 'lower-case dataset id such as usgs-mcs, iea-cm or eu-crm');

export const CoalitionShareQuery = z.object({
  group,
  stage: stage.default('refining'),
  year: years,
  material: materialList.optional(),
  dataset: dataset.optional(),
  scenario: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  detail: z.enum(['global', 'eu_sourcing']).optional(),
  expandEu: flag.optional(),
  format,
});

export const CoalitionN1Query = z.object({
  group,
  material: materialList.optional(),
  stage: stage.default('refining'),
  year: yearOne.default(2035),
  dataset: dataset.optional(),
  demandScenario: z.enum(['STEPS', 'APS', 'NZE']).default('STEPS'),
  expandEu: flag.optional(),
  format,
});

export const CrmaQuery = z.object({
  year: yearOne.optional(),
  material: materialList.optional(),
  format,
});

export const DealQuery = z.object({
  project: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,120}$/, 'a registry project id')
    .optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'an ISO3 country code')
    .optional(),
  material: z.string().min(1).max(100).optional(),
  stage: stage.optional(),
  tonnes: z.coerce.number().positive().max(1e10).optional(),
  basis: z.enum(BASES).optional(),
  year: yearOne,
  group: group.optional(),
  exclude: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'an ISO3 country code')
    .default('CHN'),
  utilisation: z.coerce.number().gt(0).max(1).optional(),
  dataset: dataset.optional(),
  demandScenario: z.enum(['STEPS', 'APS', 'NZE']).default('STEPS'),
  expandEu: flag.optional(),
  format,
});

export const RolesQuery = z.object({
  country: z
    .string()
    .max(COALITION_LIMITS.countries * 4)
    .regex(/^[A-Za-z]{3}(,[A-Za-z]{3})*$/, 'ISO3 codes, comma-separated')
    .describe(`ISO3 codes, comma-separated, at most ${COALITION_LIMITS.countries}`)
    .optional(),
  material: materialList.optional(),
  role: z.enum(['producer_anchor', 'processing_hub', 'value_capture_climber', 'corridor_convener']).optional(),
  scope: z.enum(['critical', 'all']).default('critical'),
  format,
});

export const CountryQuery = z.object({ projectionYear: yearOne.optional() });

const materials = (raw: string | undefined) =>
  raw
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => material(s))
    : undefined;

/** CSV or XLSX of the route's table (format=csv|xlsx): the definitions the CLI prints too (src/report/tables/coalition.ts). */
const csv = (c: Context, table: DataTable) => downloadTable(c, c.req.query('format') === 'xlsx' ? 'xlsx' : 'csv', table);

type KbLike = { index: DatasetIndex };

/**
 * Registers the routes. `kb` is the knowledge base (or anything with an `index`), or a function returning it, read on
 * every request so `kb.reload()` is picked up.
 */
export function registerCoalitionRoutes(app: Hono, kb: KbLike | (() => KbLike)): void {
  const index = () => (typeof kb === 'function' ? kb() : kb).index;

  // Responses are pure functions of the (immutable) index and the URL: memoised per index, so repeated views are cheap.
  const cache = new WeakMap<DatasetIndex, Map<string, { status: number; body: ArrayBuffer; headers: [string, string][] }>>();
  for (const path of ['/api/coalition/*', '/api/country/*']) {
    app.use(path, async (c, next) => {
      if (c.req.method !== 'GET') return next();
      const ix = index();
      let m = cache.get(ix);
      if (!m) cache.set(ix, (m = new Map()));
      const hit = m.get(c.req.url);
      if (hit) return new Response(hit.body.slice(0), { status: hit.status, headers: hit.headers });
      await next();
      if (c.res.status === 200) {
        if (m.size > 500) m.clear();
        m.set(c.req.url, { status: 200, body: await c.res.clone().arrayBuffer(), headers: [...c.res.headers.entries()] });
      }
    });
  }

  app.get('/api/coalition/share', (c) => {
    const q = parse(CoalitionShareQuery, c.req.query());
    const ix = index();
    const coalition = resolveCoalition(ix, q.group, { expandEu: q.expandEu });
    const measure = q.detail ? 'supply_share' : 'production';
    const ds = q.detail ? 'eu-crm' : q.dataset;
    const mats = materials(q.material) ?? (ds === 'iea-cm' ? [...IEA_SIX] : [...ix.materials].sort());
    const rows: CoalitionShareRow[] = [];
    const missing: Array<{ materialId: string; year: number }> = [];
    for (const m of mats) {
      for (const y of q.year) {
        const r = coalitionShare(ix, {
          materialId: m,
          stage: q.stage,
          year: y,
          dataset: ds,
          scenario: q.scenario,
          measure,
          detail: q.detail,
          members: coalition,
        });
        if (r) rows.push(r);
        else if (q.material) missing.push({ materialId: m, year: y });
      }
    }
    if (!rows.length) {
      const hint = mats.length === 1 ? `; years with ${q.stage} data: ${ix.years(mats[0], q.stage).join(', ') || 'none'}` : '';
      throw new InputError(
        'year',
        `no ${q.stage} data by country for ${q.material ?? 'any material'} in ${q.year.join(', ')}${ds ? ` (${ds})` : ''}${hint}`,
        'not_found',
      );
    }
    if (q.format !== 'json') return csv(c, coalitionShareTable(rows, coalition, q.stage));
    return c.json({ coalition, rows, missing });
  });

  app.get('/api/coalition/n1', (c) => {
    const q = parse(CoalitionN1Query, c.req.query());
    const ix = index();
    const coalition = resolveCoalition(ix, q.group, { expandEu: q.expandEu });
    const mats = materials(q.material) ?? [...IEA_SIX];
    const results = mats.map((m) =>
      coalitionN1(ix, { materialId: m, stage: q.stage, year: q.year, members: coalition, dataset: q.dataset, demandScenario: q.demandScenario }),
    );
    if (q.format !== 'json') return csv(c, coalitionN1Table(results, coalition.id, q.year));
    return c.json({ coalition, results });
  });

  app.get('/api/coalition/crma', (c) => {
    const q = parse(CrmaQuery, c.req.query());
    const rep = crmaReport(index(), { year: q.year, materials: materials(q.material) });
    if (q.format !== 'json') return csv(c, crmaTest65Table(rep.test65, q.year));
    return c.json(rep);
  });

  app.get('/api/coalition/deal', (c) => {
    const q = parse(DealQuery, c.req.query());
    const ix = index();
    if (!q.project) {
      for (const f of ['country', 'material', 'stage', 'tonnes'] as const) {
        if (q[f] === undefined) throw new InputError(f, 'required without project (give project=<id>, or country, material, stage and tonnes)');
      }
    }
    const mat = q.material ? material(q.material) : undefined;
    const d = dealImpact(ix, {
      project: q.project ?? { countryId: q.country!, materialId: mat!, stage: q.stage!, tonnesPerYear: q.tonnes!, basis: q.basis },
      materialId: q.project ? mat : undefined,
      year: q.year,
      members: q.group,
      exclude: q.exclude,
      utilisation: q.utilisation,
      dataset: q.dataset,
      demandScenario: q.demandScenario,
      expandEu: q.expandEu,
    });
    if (q.format !== 'json') return csv(c, dealTable(d));
    return c.json(d);
  });

  app.get('/api/coalition/roles', (c) => {
    const q = parse(RolesQuery, c.req.query());
    const rep = middlePowerRoles(index(), { countries: q.country?.split(','), materials: materials(q.material), scope: q.scope });
    if (q.role) rep.countries = rep.countries.filter((x) => x.roles.some((r) => r.role === q.role));
    if (q.format !== 'json') return csv(c, rolesTable(rep));
    return c.json(rep);
  });

  app.get('/api/country/:iso3', (c) => {
    const iso3 = c.req.param('iso3');
    if (!/^[A-Za-z]{3}$/.test(iso3)) throw new InputError('iso3', 'an ISO3 country code, e.g. IDN');
    const q = parse(CountryQuery, c.req.query());
    return c.json(countryProfile(index(), iso3, { projectionYear: q.projectionYear }));
  });
}
