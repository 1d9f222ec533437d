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
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  CRITICALITY_VIEWS,
  CriticalityError,
  DEFAULT_YEAR_RULE,
  candidateYears,
  defaultYear,
  type YearCoverage,
  METHODS,
  officialListComparisonOf,
  criticalityCsv,
  criticalitySummary,
  reportForMaterial,
  type CriticalityOptions,
  type CriticalityReport,
  type UseShareRow,
} from '../engine/criticality/index.ts';
import { downloadTable } from './download.ts';
import { criticalityTable } from '../report/tables.ts';
import useShares from '../data/criticality-eu-use-shares-2023.json' with { type: 'json' };
import { TableFormat, groupOf, material, parse, yearBetween } from './params.ts';
import type { ReadDeps } from './deps.ts';
import { criticality } from './workers/pool.ts';
import { cacheResponses } from './cache.ts';

const EU_USE_SHARES = useShares.rows as UseShareRow[];
const GROUPS = ['lree', 'hree', 'pgm', 'rare-earths'];

/** Monte Carlo draws one request may ask for; the CLI, which runs on the user's own machine, takes more. */
export const CRITICALITY_SAMPLES_MAX = 2000;

export const CriticalityQuery = z.object({
  method: z.enum([...METHODS, 'all']).default('eu'),
  as: groupOf('EU, an ISO3 code, a grouping id or a comma-separated list of ISO3 codes', 200).default('EU'),
  year: yearBetween(1990).default(2023),
  material: z.string().min(1).max(500).optional(),
  samples: z.coerce.number().int().min(0).max(CRITICALITY_SAMPLES_MAX).default(0),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  format: TableFormat,
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

/** What names a run: the options that change its report (the use shares are the API's one table). */
const runKey = (opts: CriticalityOptions) => JSON.stringify([opts.method, opts.as, opts.year, opts.materials ?? null, opts.samples, opts.seed]);

/**
 * The report of a run, from the API's cache (./cache.ts, bucket `criticality`: the last few per data version): a
 * details panel asks for one material of the report its table was drawn from, and a run with Monte Carlo bands takes
 * seconds. Runs happen in a worker thread (./workers/pool.ts), so a long one never stalls other requests; the same run
 * asked twice is run once (and the worker keeps its reports too: a summary asked first leaves the report there).
 */
function cachedReport(read: ReadDeps, opts: CriticalityOptions): Promise<CriticalityReport> {
  const key = runKey(opts);
  const index = read.index();
  return read.cache.memo(index, 'criticality', key, () => criticality.report(index, key, opts));
}

export const CriticalityYearsQuery = CriticalityQuery.pick({ method: true, as: true });

/** Year coverage per data version, assessor and method (bucket `coverage`): a run per candidate year without samples. */
function cachedCoverage(read: ReadDeps, method: CriticalityOptions['method'], as: string): Promise<YearCoverage[]> {
  const index = read.index();
  return read.cache.memo(index, 'coverage', `${method}|${as}`, async () => {
    const out: YearCoverage[] = [];
    // One run at a time: the worker queue is bounded and other requests share it.
    for (const year of candidateYears(index)) {
      try {
        const opts: CriticalityOptions = { method, as, year, samples: 0, seed: 1, uses: EU_USE_SHARES };
        out.push(await criticality.coverage(index, runKey(opts), opts));
      } catch (e) {
        if (e instanceof InputError && e.kind === 'not_found') continue; // no supply data that year: not a candidate
        throw e;
      }
    }
    return out;
  });
}

/** The criticality routes, mounted at /api. */
export function criticalityRoutes(read: ReadDeps): Hono {
  const app = new Hono();
  app.get('/criticality/years', async (c: Context) => {
    const q = parse(CriticalityYearsQuery, c.req.query());
    const years = await cachedCoverage(read, q.method, q.as);
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
  // A summary (what the table and matrix show, ~120 kB) is kept whole per data version and URL: building and writing
  // it, with the official-list comparison, was ~3 ms of the event loop per request for a report already kept.
  const keepSummary = cacheResponses(() => read.index(), read.cache);
  app.use('/criticality', (c, next) => (c.req.query('view') === 'summary' && !c.req.query('detail') ? keepSummary(c, next) : next()));
  app.get('/criticality', async (c: Context) => {
    const q = parse(CriticalityQuery, c.req.query());
    const opts: CriticalityOptions = {
      method: q.method,
      as: q.as,
      year: q.year,
      materials: materials(q.material),
      samples: q.samples,
      seed: q.seed,
      uses: EU_USE_SHARES,
    };
    // The table's summary is written in the worker: the event loop only passes the string on (and keeps it, above).
    if (q.view === 'summary' && q.detail === undefined && q.format === 'json') {
      c.header('content-type', 'application/json');
      return c.body(await criticality.summaryJson(read.index(), runKey(opts), opts));
    }
    let rep: CriticalityReport = await cachedReport(read, opts);
    const official = officialListComparisonOf(rep, opts.materials !== undefined);
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
      return downloadTable(c, 'xlsx', criticalityTable(rep.comparison, `criticality-${q.method}-${rep.assessor.id.replace(/[^A-Za-z0-9+-]/g, '_')}-${q.year}`));
    return c.json({ ...(q.view === 'summary' ? criticalitySummary(rep) : rep), officialListComparison: official });
  });
  return app;
}
