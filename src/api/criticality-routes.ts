/**
 * Criticality API:
 *   GET /api/criticality?method=eu|doe|usgs|geopolrisk|all&as=EU|USA|JPN|G7|USA,CAN&year=2023
 *       [&material=cobalt,gallium&samples=200&seed=1&format=json|csv|xlsx&view=full|summary&detail=gallium]
 * The JSON body is the full report (per-method results with inputs, defaults, messages, bands, and the comparison);
 * view=summary leaves out the per-material inputs and breakdowns (criticalitySummary: what a table or matrix shows),
 * detail=<material> restricts the report to one material of the same run (what a details panel shows).
 *   GET /api/criticality/years?method=all&as=USA
 *       → the years with results per method (materials scored by each), and the default year a view opens on
 *         (DEFAULT_YEAR_RULE in src/engine/criticality/coverage.ts), computed from the loaded data.
 * CSV is one row per material, the same columns as the CLI's (criticalityCsv). Bad input → 400 naming the field; unknown material → 404.
 */
import { InputError } from '../model/errors.ts';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { KnowledgeBase } from '../store/knowledge-base.ts';
import { resolveMaterial, suggestMaterials } from '../model/materials.ts';
import {
  CRITICALITY_VIEWS,
  CriticalityError,
  DEFAULT_YEAR_RULE,
  candidateYears,
  coverageOf,
  defaultYear,
  type YearCoverage,
  METHODS,
  compareWithOfficialList,
  criticalityCsv,
  criticalitySummary,
  reportForMaterial,
  type CriticalityOptions,
  type CriticalityReport,
  type UseShareRow,
} from '../engine/criticality/index.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import { criticalityCsvRow } from '../engine/criticality/csv.ts';
import { downloadRows } from './download.ts';
import useShares from '../data/criticality-eu-use-shares-2023.json' with { type: 'json' };
import { material, parse } from './app.ts';
import { criticalityPool, ServerBusyError } from './workers/pool.ts';

const EU_USE_SHARES = useShares.rows as UseShareRow[];
const GROUPS = ['lree', 'hree', 'pgm', 'rare-earths'];

/** Monte Carlo draws one request may ask for; the CLI, which runs on the user's own machine, takes more. */
export const CRITICALITY_SAMPLES_MAX = 2000;

export const CriticalityQuery = z.object({
  method: z.enum([...METHODS, 'all']).default('eu'),
  as: z
    .string()
    .min(2)
    .max(200)
    .regex(/^[A-Za-z0-9_+, -]+$/, 'EU, an ISO3 code, a grouping id or a comma-separated list of ISO3 codes')
    .default('EU'),
  year: z.coerce.number().int().min(1990).max(2100).default(2023),
  material: z.string().min(1).max(500).optional(),
  samples: z.coerce.number().int().min(0).max(CRITICALITY_SAMPLES_MAX).default(0),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  view: z
    .enum(CRITICALITY_VIEWS)
    .default('full')
    .describe(
      "full: every input of every material; summary: scores, bands, ranks, defaults and messages without the per-material inputs and breakdowns, plus the inputs' citation texts (about a third of the size)",
    ),
  detail: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('one material or group id (lree, hree, pgm): the report of the same run restricted to it, with every input'),
});

function materials(raw: string | undefined): string[] | undefined {
  if (!raw) return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (GROUPS.includes(s.toLowerCase())) return s.toLowerCase();
      return material(s);
    });
}

function detailId(raw: string): string {
  const s = raw.trim().toLowerCase();
  if (GROUPS.includes(s)) return s;
  return material(raw.trim(), 'detail');
}

/**
 * The last few reports per index: a details panel asks for one material of the report its table was drawn from, and a
 * run with Monte Carlo bands takes seconds. A handful suffices (a report is several MB in memory). Runs happen in a
 * worker thread (./workers/pool.ts), so a long one never stalls other requests; the same run asked twice is run once.
 */
const REPORTS_KEPT = 8;
const reports = new WeakMap<DatasetIndex, Map<string, Promise<CriticalityReport>>>();
function cachedReport(index: DatasetIndex, opts: CriticalityOptions): Promise<CriticalityReport> {
  const key = JSON.stringify([opts.method, opts.as, opts.year, opts.materials ?? null, opts.samples, opts.seed]);
  let kept = reports.get(index);
  if (!kept) reports.set(index, (kept = new Map()));
  const hit = kept.get(key);
  if (hit) {
    kept.delete(key); // most recently used last
    kept.set(key, hit);
    return hit;
  }
  const rep = criticalityPool.run(index, opts);
  kept.set(key, rep);
  rep.catch(() => kept.get(key) === rep && kept.delete(key)); // a failed run is not kept
  if (kept.size > REPORTS_KEPT) kept.delete(kept.keys().next().value!);
  return rep;
}

export const CriticalityYearsQuery = CriticalityQuery.pick({ method: true, as: true });

/** Year coverage per index, assessor and method: a run per candidate year without samples (a fraction of a second each). */
const coverages = new WeakMap<DatasetIndex, Map<string, Promise<YearCoverage[]>>>();
function cachedCoverage(index: DatasetIndex, method: CriticalityOptions['method'], as: string): Promise<YearCoverage[]> {
  const key = `${method}|${as}`;
  let kept = coverages.get(index);
  if (!kept) coverages.set(index, (kept = new Map()));
  let hit = kept.get(key);
  if (!hit) {
    hit = (async () => {
      const out: YearCoverage[] = [];
      // One run at a time: the worker queue is bounded and other requests share it.
      for (const year of candidateYears(index)) {
        try {
          out.push(coverageOf(await criticalityPool.run(index, { method, as, year, samples: 0, seed: 1, uses: EU_USE_SHARES })));
        } catch (e) {
          if (e instanceof InputError && e.kind === 'not_found') continue; // no supply data that year: not a candidate
          throw e;
        }
      }
      return out;
    })();
    const p = hit;
    p.catch(() => kept.get(key) === p && kept.delete(key));
    kept.set(key, hit);
    if (kept.size > 32) kept.delete(kept.keys().next().value!);
  }
  return hit;
}

export function registerCriticalityRoutes(app: Hono, kb: KnowledgeBase): void {
  app.get('/api/criticality/years', async (c: Context) => {
    const q = parse(CriticalityYearsQuery, c.req.query());
    const years = await cachedCoverage(kb.index, q.method, q.as);
    const methods = q.method === 'all' ? [...METHODS] : [q.method];
    return c.json({
      method: q.method,
      as: q.as,
      years,
      defaultYear: defaultYear(years),
      rule: DEFAULT_YEAR_RULE,
      /** Methods with no result in any loaded year: a gap in the data, stated. */
      noResults: methods.filter((m) => !years.some((y) => (y.scored[m] ?? 0) > 0)),
    });
  });
  app.get('/api/criticality', async (c: Context) => {
    const q = parse(CriticalityQuery, c.req.query());
    let rep: CriticalityReport = await cachedReport(kb.index, {
      method: q.method,
      as: q.as,
      year: q.year,
      materials: materials(q.material),
      samples: q.samples,
      seed: q.seed,
      uses: EU_USE_SHARES,
    });
    const official = rep.assessor.id === 'EU' && rep.year === 2023 && rep.eu.length && !q.material ? compareWithOfficialList(rep.eu) : null;
    if (q.detail !== undefined) {
      const id = detailId(q.detail);
      const one = reportForMaterial(rep, id);
      if (!one)
        throw new InputError(
          'detail',
          `${id} is not assessed in this report (method ${q.method}, as ${rep.assessor.id}, ${rep.year}${q.material ? `, material ${q.material}` : ''})`,
          'not_found',
        );
      rep = one;
    }
    if (q.format === 'csv') {
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="criticality-${q.method}-${rep.assessor.id.replace(/[^A-Za-z0-9+-]/g, '_')}-${q.year}.csv"`);
      return c.body(criticalityCsv(rep.comparison));
    }
    if (q.format === 'xlsx')
      return downloadRows(
        c,
        'xlsx',
        rep.comparison.map((r) => criticalityCsvRow(r) as Record<string, unknown>),
        `criticality-${q.method}-${rep.assessor.id.replace(/[^A-Za-z0-9+-]/g, '_')}-${q.year}`,
      );
    return c.json({ ...(q.view === 'summary' ? criticalitySummary(rep) : rep), officialListComparison: official });
  });
}
