/**
 * Importer API:
 *   GET /api/importer/{id}?material=gallium,germanium&year=2024[&format=csv]
 *       exposure of a country (ISO3) or a bloc (EU27, G7, MSP …) by material × stage: consumption, imports by supplier
 *       (customs, or a labelled proxy where none is loaded), import dependence, indirect exposure through processing
 *       hubs, the registry measures that hit it, and the stress test to run (src/engine/importer/exposure.ts)
 * Input validated with zod; bad input is a 400 naming the field, an unknown importer or material a 404 with suggestions.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { importerExposure } from '../engine/importer/exposure.ts';
import { importerTable } from '../report/importer.ts';
import { tableToCsv } from '../report/export.ts';
import { InputError } from '../model/errors.ts';
import { Format, Year, material, parse } from './params.ts';
import type { ReadDeps } from './deps.ts';

export const ImporterQuery = z.object({
  material: z
    .string()
    .max(20 * 24)
    .refine((s) => s.split(',').every((x) => /^[A-Za-z0-9 -]{1,60}$/.test(x.trim())), 'comma-separated material names')
    .refine((s) => s.split(',').length <= 20, 'at most 20 entries')
    .optional()
    .describe('comma-separated material names, at most 20 (default: materials with trade flows, export measures or own-use figures)'),
  year: Year.optional().describe('year of supply and trade figures (default: latest historical year)'),
  format: Format,
});

export const IMPORTER_ID = /^[A-Za-z][A-Za-z0-9_+-]{1,30}$/;

/** A country's or bloc's exposure as an importer, mounted at /api. */
export function importerRoutes(read: ReadDeps): Hono {
  const app = new Hono();
  app.get('/importer/:id', (c) => {
    const id = c.req.param('id');
    if (!IMPORTER_ID.test(id)) throw new InputError('id', 'an ISO3 country code or a grouping id, e.g. DEU or EU27');
    const q = parse(ImporterQuery, c.req.query());
    const materials = q.material
      ?.split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map((x) => material(x));
    const e = importerExposure(read.index(), { importer: id, materials, year: q.year });
    if (q.format === 'csv') {
      const t = importerTable(e);
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="${t.id}.csv"`);
      return c.body(tableToCsv(t));
    }
    return c.json(e);
  });
  return app;
}
