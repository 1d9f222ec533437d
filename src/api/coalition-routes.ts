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
import { Hono, type Context } from 'hono';
import { z } from 'zod';
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
import { Dataset, DemandScenario, Flag, Iso3, MaterialName, SupplyStage, TableFormat, Year, groupOf, material, parse, yearList } from './params.ts';
import { cacheResponses } from './cache.ts';
import type { ReadDeps } from './deps.ts';
import { downloadTable } from './download.ts';
import { coalitionN1Table, coalitionShareTable, crmaTest65Table, dealTable, rolesTable, type DataTable } from '../report/tables.ts';

/** Upper bounds on list parameters: each item is a computation (stated in the schema, so /openapi.json shows them). */
export const COALITION_LIMITS = { years: 20, materials: 100, materialChars: 500, countries: 75 } as const;

const years = yearList(COALITION_LIMITS.years);
const group = groupOf('a grouping id (MSP, G7, EU27 …), an ISO3 code or a list AUS+CAN', 300);
const materialList = z
  .string()
  .min(1)
  .max(COALITION_LIMITS.materialChars)
  .refine((s) => s.split(',').length <= COALITION_LIMITS.materials, `at most ${COALITION_LIMITS.materials} comma-separated materials`)
  .describe(`material ids or aliases, comma-separated: at most ${COALITION_LIMITS.materials}, ${COALITION_LIMITS.materialChars} characters`);

export const CoalitionShareQuery = z.object({
  group,
  stage: SupplyStage.default('refining'),
  year: years,
  material: materialList.optional(),
  dataset: Dataset.optional(),
  scenario: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  detail: z.enum(['global', 'eu_sourcing']).optional(),
  expandEu: Flag.optional(),
  format: TableFormat,
});

export const CoalitionN1Query = z.object({
  group,
  material: materialList.optional(),
  stage: SupplyStage.default('refining'),
  year: Year.default(2035),
  dataset: Dataset.optional(),
  demandScenario: DemandScenario.default('STEPS'),
  expandEu: Flag.optional(),
  format: TableFormat,
});

export const CrmaQuery = z.object({
  year: Year.optional(),
  material: materialList.optional(),
  format: TableFormat,
});

export const DealQuery = z.object({
  project: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,120}$/, 'a registry project id')
    .optional(),
  country: Iso3.optional(),
  material: MaterialName.optional(),
  stage: SupplyStage.optional(),
  tonnes: z.coerce.number().positive().max(1e10).optional(),
  basis: z.enum(BASES).optional(),
  year: Year,
  group: group.optional(),
  exclude: Iso3.default('CHN'),
  utilisation: z.coerce.number().gt(0).max(1).optional(),
  dataset: Dataset.optional(),
  demandScenario: DemandScenario.default('STEPS'),
  expandEu: Flag.optional(),
  format: TableFormat,
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
  format: TableFormat,
});

export const CountryQuery = z.object({ projectionYear: Year.optional() });

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

/** The coalition and country routes, mounted at /api. Their answers depend only on the data and the URL: kept whole in the one cache. */
export function coalitionRoutes(read: ReadDeps): Hono {
  const app = new Hono();
  const index = () => read.index();
  for (const path of ['/coalition/*', '/country/*']) app.use(path, cacheResponses(index, read.cache));

  app.get('/coalition/share', (c) => {
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

  app.get('/coalition/n1', (c) => {
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

  app.get('/coalition/crma', (c) => {
    const q = parse(CrmaQuery, c.req.query());
    const rep = crmaReport(index(), { year: q.year, materials: materials(q.material) });
    if (q.format !== 'json') return csv(c, crmaTest65Table(rep.test65, q.year));
    return c.json(rep);
  });

  app.get('/coalition/deal', (c) => {
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

  app.get('/coalition/roles', (c) => {
    const q = parse(RolesQuery, c.req.query());
    const rep = middlePowerRoles(index(), { countries: q.country?.split(','), materials: materials(q.material), scope: q.scope });
    if (q.role) rep.countries = rep.countries.filter((x) => x.roles.some((r) => r.role === q.role));
    if (q.format !== 'json') return csv(c, rolesTable(rep));
    return c.json(rep);
  });

  app.get('/country/:iso3', (c) => {
    const iso3 = c.req.param('iso3');
    if (!/^[A-Za-z]{3}$/.test(iso3)) throw new InputError('iso3', 'an ISO3 country code, e.g. IDN');
    const q = parse(CountryQuery, c.req.query());
    return c.json(countryProfile(index(), iso3, { projectionYear: q.projectionYear }));
  });
  return app;
}
