/**
 * Importer API:
 *   GET /api/importer/{id}?material=gallium,germanium&year=2024[&format=csv]
 *       exposure of a country (ISO3) or a bloc (EU27, G7, MSP …) by material × stage: consumption, imports by supplier
 *       (customs, or a labelled proxy where none is loaded), import dependence, indirect exposure through processing
 *       hubs, the registry measures that hit it, and the stress test to run (src/engine/importer/exposure.ts)
 *   GET /api/importers?material=cobalt&stage=mining&year=2023[&supplier=CHN][&format=csv|xlsx]
 *       every importer of one material at one stage from the customs data loaded: imports, suppliers' shares, the share
 *       from one supplier (default the largest producer), GeoPolRisk per importer (src/engine/importer/importers.ts;
 *       with a store, one SQL pass over the trade flows: src/store/customs-imports.ts)
 * Input validated with zod; bad input is a 400 naming the field, an unknown importer or material a 404 with suggestions.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { importerExposure } from '../engine/importer/exposure.ts';
import { importerLookupsFromIndex, importersTable, importersYear, type ImportersQuery as ImportersOptions } from '../engine/importer/importers.ts';
import { importerTable, importersDataTable } from '../report/importer.ts';
import { tableToCsv } from '../report/export.ts';
import { InputError } from '../model/errors.ts';
import { Format, Iso3, TableFormat, Year, material, parse } from './params.ts';
import { downloadTable } from './download.ts';
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

export const ImportersQuery = z.object({
  material: z.string().min(1).max(60).describe('material name or alias'),
  stage: z.enum(['mining', 'refining']).default('mining').describe('mining (ores and concentrates) or refining (processed products)'),
  year: Year.optional().describe('assessment year: trade of the latest year ≤ it with imports by partner (default: latest year with supply data)'),
  supplier: Iso3.transform((s) => s.toUpperCase())
    .optional()
    .describe('ISO3 of the supplier whose share of each importer is shown (default: the largest producer at the stage)'),
  format: TableFormat,
});

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

  app.get('/importers', async (c) => {
    const q = parse(ImportersQuery, c.req.query());
    const index = read.index();
    const materialId = material(q.material);
    const opts: ImportersOptions = { materialId, stage: q.stage, year: importersYear(index, materialId, q.stage, q.year), supplier: q.supplier };
    // A store answers from one SQL pass over every importer's flows; a fixture without one asks the engine per country.
    const t = read.importers
      ? await read.importers(opts)
      : read.cache.memo(index, 'results', `importers|${JSON.stringify(opts)}`, () => importersTable(index, opts, importerLookupsFromIndex(index, opts)));
    if (q.format !== 'json') return downloadTable(c, q.format, importersDataTable(t));
    return c.json(t);
  });
  return app;
}
