/**
 * Demand API:
 *   GET /api/demand?year=2035[&material=lithium,cobalt&country=CHN,EU27&demandScenario=STEPS&format=json|csv|xlsx]
 *       consumption by country × material × year: method (apparent consumption or allocation), basis, range, sources
 *       or the gap (src/engine/demand/table.ts)
 *   GET /api/demand/cover?year=2035[&material=&holders=JPN,KOR,DEU,EU27,USA&stockpilePolicy=japan-60&format=json|csv|xlsx]
 *       stockpile days of cover under N-1 by holder (src/scenario/cover.ts)
 * format=csv|xlsx renders the table definitions the CLI's --format csv prints (src/report/tables/demand.ts).
 * Input validated with zod; bad input is a 400 naming the field, an unknown material a 404.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { consumptionTable } from '../engine/demand/table.ts';
import { COVER_HOLDERS, IEA_SIX, stockpileCover } from '../scenario/cover.ts';
import { STOCKPILE_POLICY_IDS } from '../scenario/query.ts';
import { InputError } from '../model/errors.ts';
import { coverTable, demandTable } from '../report/tables.ts';
import { DemandScenario, TableFormat, Year, material, parse } from './params.ts';
import { downloadTable } from './download.ts';
import type { ReadDeps } from './deps.ts';

const list = (what: string, re: RegExp, max: number) =>
  z
    .string()
    .max(max * 24)
    .refine((s) => s.split(',').every((x) => re.test(x.trim())), `comma-separated ${what}`)
    .refine((s) => s.split(',').length <= max, `at most ${max} entries`)
    .describe(`comma-separated ${what}, at most ${max}`);

export const DemandQuery = z.object({
  year: Year.default(2035),
  material: list('material names', /^[A-Za-z0-9 -]{1,60}$/, 20).optional(),
  country: list('ISO3 codes or EU27', /^([A-Za-z]{3}|EU27)$/i, 40).optional(),
  demandScenario: DemandScenario.default('STEPS'),
  format: TableFormat,
});

export const DemandCoverQuery = z.object({
  year: Year.default(2035),
  material: list('material names', /^[A-Za-z0-9 -]{1,60}$/, 20).optional(),
  holders: list('ISO3 codes or EU27', /^([A-Za-z]{3}|EU27)$/i, 20).optional(),
  stockpilePolicy: z.enum(STOCKPILE_POLICY_IDS).default('japan-60'),
  demandScenario: DemandScenario.default('STEPS'),
  format: TableFormat,
});

const split = (s: string | undefined) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The demand routes, mounted at /api. */
export function demandRoutes(read: ReadDeps): Hono {
  const app = new Hono();
  app.get('/demand', (c) => {
    const q = parse(DemandQuery, c.req.query());
    const materials = split(q.material)?.map((x) => material(x)) ?? IEA_SIX;
    const rows = consumptionTable(read.index(), {
      materials,
      year: q.year,
      demandScenario: q.demandScenario,
      countries: split(q.country)?.map((x) => x.toUpperCase()),
    });
    if (!rows.length) throw new InputError('year', `no world demand for ${materials.join(', ')} in ${q.year} (IEA years: 2024, 2030, 2035, 2040)`, 'not_found');
    if (q.format !== 'json') return downloadTable(c, q.format, demandTable(rows));
    return c.json({ rows });
  });

  app.get('/demand/cover', (c) => {
    const q = parse(DemandCoverQuery, c.req.query());
    const materials = split(q.material)?.map((x) => material(x)) ?? IEA_SIX;
    const rows = stockpileCover(read.index(), {
      materials,
      holders: split(q.holders)?.map((x) => x.toUpperCase()) ?? COVER_HOLDERS,
      year: q.year,
      policy: q.stockpilePolicy,
      demandScenario: q.demandScenario,
    });
    if (q.format !== 'json') return downloadTable(c, q.format, coverTable(rows));
    return c.json({ rows });
  });
  return app;
}
