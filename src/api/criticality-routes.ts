/**
 * Criticality API:
 *   GET /api/criticality?method=eu|doe|usgs|geopolrisk|all&as=EU|USA|JPN|G7|USA,CAN&year=2023[&material=cobalt,gallium&samples=200&seed=1&format=json|csv]
 * The JSON body is the full report (per-method results with inputs, defaults, messages, bands, and the comparison);
 * CSV is one row per material, the same columns as the CLI's (criticalityCsv). Bad input → 400 naming the field; unknown material → 404.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { KnowledgeBase } from '../store/knowledge-base.ts';
import { resolveMaterial, suggestMaterials } from '../model/materials.ts';
import { CriticalityError, METHODS, compareWithOfficialList, criticalityCsv, runCriticality, type UseShareRow } from '../engine/criticality/index.ts';
import { criticalityCsvRow } from '../engine/criticality/csv.ts';
import { downloadRows } from './download.ts';
import useShares from '../data/criticality-eu-use-shares-2023.json' with { type: 'json' };
import { HttpError, parse } from './app.ts';

const EU_USE_SHARES = useShares.rows as UseShareRow[];
const GROUPS = ['lree', 'hree', 'pgm', 'rare-earths'];

export const CriticalityQuery = z.object({
  method: z.enum([...METHODS, 'all']).default('eu'),
  as: z.string().min(2).max(200).regex(/^[A-Za-z0-9_+, -]+$/, 'EU, an ISO3 code, a grouping id or a comma-separated list of ISO3 codes').default('EU'),
  year: z.coerce.number().int().min(1990).max(2100).default(2023),
  material: z.string().min(1).max(500).optional(),
  samples: z.coerce.number().int().min(0).max(2000).default(0),
  seed: z.coerce.number().int().min(0).max(2 ** 31).default(1),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});

function materials(raw: string | undefined): string[] | undefined {
  if (!raw) return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (GROUPS.includes(s.toLowerCase())) return s.toLowerCase();
      const id = resolveMaterial(s);
      if (!id) throw new HttpError(404, `unknown material "${s.slice(0, 100)}"; did you mean ${suggestMaterials(s.slice(0, 100)).join(', ')}?`, 'material');
      return id;
    });
}

export function registerCriticalityRoutes(app: Hono, kb: KnowledgeBase): void {
  app.get('/api/criticality', (c: Context) => {
    const q = parse(CriticalityQuery, c.req.query());
    let rep;
    try {
      rep = runCriticality(kb.index, { method: q.method, as: q.as, year: q.year, materials: materials(q.material), samples: q.samples, seed: q.seed, uses: EU_USE_SHARES });
    } catch (e) {
      if (e instanceof CriticalityError) throw new HttpError(e.field === 'year' ? 404 : 400, e.message, e.field);
      throw e;
    }
    if (q.format === 'csv') {
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="criticality-${q.method}-${rep.assessor.id.replace(/[^A-Za-z0-9+-]/g, '_')}-${q.year}.csv"`);
      return c.body(criticalityCsv(rep.comparison));
    }
    if (q.format === 'xlsx') return downloadRows(c, 'xlsx', rep.comparison.map((r) => criticalityCsvRow(r) as Record<string, unknown>), `criticality-${q.method}-${rep.assessor.id.replace(/[^A-Za-z0-9+-]/g, '_')}-${q.year}`);
    const official = rep.assessor.id === 'EU' && rep.year === 2023 && rep.eu.length && !q.material ? compareWithOfficialList(rep.eu) : null;
    return c.json({ ...rep, officialListComparison: official });
  });
}
