/**
 * HTTP API (Hono). Every response figure carries its source; input is validated with zod and a bad request
 * gets 400 naming the field. Client input never produces a 500: unexpected errors are logged and answered
 * with 500 only for genuine server faults.
 *
 * `createApp` takes only what the routes need (the in-memory index and a `sources()` listing), so tests can
 * pass a small fixture instead of a DuckDB-backed knowledge base. From it, it builds the routes' typed dependencies
 * once (./deps.ts: `ReadDeps` for every sub-app, `WriteDeps` for the store routes when there is a store) and mounts
 * each route module's sub-app with `app.route('/api', …)`. Results are kept in one cache keyed by data version
 * (./cache.ts: the index is immutable; `kb.reload()` replaces it, which drops the entries).
 */
import { concentrationCsv } from '../report/tables.ts';
import { InputError } from '../model/errors.ts';
import { ServerBusyError } from './workers/pool.ts';
import { CURATED_DOCUMENTS } from '../data/criticality-parameters.ts';
import { HS_CONTENT_DOCUMENTS } from '../data/hs-content.ts';
import { citeDocument } from '../model/provenance.ts';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { getMaterial } from '../model/materials.ts';
import { concentrationRow, concentrationSweep, type SweepOptions } from '../engine/concentration-report.ts';
import { seriesPanel, type SeriesPanelOptions } from '../engine/series-panel.ts';
import { DEFAULT_HHI_NORMALISATION, HHI_NORMALISATIONS, hhiNormalisationNote, type HhiNormalisation } from '../engine/concentration.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import { materialProfile } from '../engine/profile.ts';
import { priceHistory } from '../engine/prices.ts';
import { toCsv } from '../ingest/csv.ts';
import { materialFlows } from '../report/flows.ts';
import { overviewTable, priceTable, seriesPanelTable, type DataTable } from '../report/tables.ts';
import { tablesToXlsx, tableToCsv } from '../report/export.ts';
import { exportTables } from '../report/export-tables.ts';
import { briefingHtml, briefingMarkdown, briefingPdf, pdfQueue, PdfUnavailableError } from '../report/briefing.ts';
import { PdfQueue, PdfQueueFullError, PdfTimeoutError } from '../report/pdf-queue.ts';
import { stressRoutes } from './stress-routes.ts';
import { criticalityRoutes } from './criticality-routes.ts';
import { riskRoutes } from './risk-routes.ts';
import { noStoreRoutes, registryRoutes, storeRoutes } from './registry-routes.ts';
import { coalitionRoutes } from './coalition-routes.ts';
import { optimiseRoutes } from './optimise-routes.ts';
import { demandRoutes } from './demand-routes.ts';
import { searchRoutes } from './search-routes.ts';
import { importerRoutes } from './importer-routes.ts';
import { Dataset, Format, MaterialName, Stage, TableFormat, Year, material, parse } from './params.ts';
import { downloadTable } from './download.ts';
import { readDeps, writeDeps, type ApiKnowledgeBase } from './deps.ts';
import { openApiDocument, docsHtml } from './openapi.ts';
import { secureApp, type SecurityOptions } from './security.ts';
import { compressResponses } from './compress.ts';
import { cacheResponses } from './cache.ts';
import { StoreBusyError, StoreReadOnlyError, StoreWriteError } from '../store/errors.ts';

/** A refusal that is not about the input (read-only server, PDF export unavailable): its own status. Input errors are `InputError`. */
export class HttpError extends Error {
  constructor(
    readonly status: 405 | 503,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The one mapping of input errors to HTTP: invalid 400, not_found 404, conflict 409; the message starts with its field. */
export const INPUT_ERROR_STATUS = { invalid: 400, not_found: 404, conflict: 409, infeasible: 422 } as const;
export function inputErrorBody(e: InputError): { error: string; field: string | null } {
  const field = e.field ?? (e.where === 'file' ? 'body' : null);
  return { error: e.where === 'parameter' && e.field ? `${e.field}: ${e.message}` : e.message, field };
}

/**
 * "Data as of" (GET /api/health → dataAsOf): the newest edition of each dataset that has observations (newest first), the
 * latest historical year observed (projections left out), and when the store last recorded an import (null: not recorded,
 * e.g. a fixture without a store).
 */
export function dataAsOf(index: DatasetIndex): {
  newestEditions: Array<{ dataset: string; sourceId: string; publisher: string; edition: string; editionYear: number }>;
  latestDataYear: number | null;
} {
  const used = new Set<string>();
  let latest: number | null = null;
  for (const o of index.data.observations) {
    used.add(o.sourceId);
    if (o.scenario === null && o.value !== null && (latest === null || o.year > latest)) latest = o.year;
  }
  const byDataset = new Map<string, { dataset: string; sourceId: string; publisher: string; edition: string; editionYear: number }>();
  for (const id of used) {
    const s = index.data.sources.get(id);
    if (!s) continue;
    const cur = byDataset.get(s.dataset);
    if (!cur || s.editionYear > cur.editionYear)
      byDataset.set(s.dataset, { dataset: s.dataset, sourceId: s.id, publisher: s.publisher, edition: s.edition, editionYear: s.editionYear });
  }
  return {
    newestEditions: [...byDataset.values()].sort((a, b) => b.editionYear - a.editionYear || a.dataset.localeCompare(b.dataset)),
    latestDataYear: latest,
  };
}

/** Asked once per index version (an import replaces the index), so /api/health stays one memory read. */
async function lastImportedAt(kb: ApiKnowledgeBase): Promise<string | null> {
  const log = kb.store.importLog ? await kb.store.importLog() : [];
  return log.reduce<string | null>((a, r) => (a === null || r.importedAt > a ? r.importedAt : a), null);
}

/** The API's one error handler (app.onError): input errors by kind, refusals by their status, store failures said as such. */
export function apiErrorResponse(err: Error, c: Context): Response {
  if (err instanceof InputError) return c.json(inputErrorBody(err), INPUT_ERROR_STATUS[err.kind]);
  if (err instanceof HttpError) return c.json({ error: err.message, field: err.field ?? null }, err.status);
  if (err instanceof ServerBusyError) return c.json({ error: err.message, field: err.field }, 503);
  // The store could not take a write: say why (full disk, read-only file, held by another process), never "internal error".
  if (err instanceof StoreReadOnlyError || (err instanceof StoreWriteError && err.reason === 'read_only'))
    return c.json({ error: err.message, field: 'store' }, 403);
  if (err instanceof StoreWriteError) return c.json({ error: err.message, field: 'store' }, 503);
  if (err instanceof StoreBusyError) {
    c.header('retry-after', '5');
    return c.json({ error: err.message, field: 'store' }, 503);
  }
  console.error(err);
  return c.json({ error: 'internal error' }, 500);
}

export type { ApiKnowledgeBase } from './deps.ts';
export { material, parse } from './params.ts';

const hhiNormalisation = z.enum(HHI_NORMALISATIONS).default(DEFAULT_HHI_NORMALISATION);

export const ConcentrationQuery = z.object({
  material: MaterialName,
  stage: Stage.default('mining'),
  year: Year.optional(),
  dataset: Dataset.optional(),
  hhiNormalisation,
  format: Format,
});
export const ConcentrationAllQuery = z.object({
  stage: Stage.default('mining'),
  year: Year.optional(),
  dataset: Dataset.optional(),
  hhiNormalisation,
  format: Format,
});
export const SeriesPanelQuery = z.object({
  material: z.string().min(1).optional(),
  stage: Stage.default('mining'),
  year: Year.optional(),
  format: TableFormat,
});
export const OverviewQuery = z.object({
  year: Year.optional(),
  dataset: Dataset.optional(),
  format: Format,
});
export const FlowsQuery = z.object({ year: Year.optional() });
export const PricesQuery = z.object({
  /** Years in the rolling range (max − min) / min; 3 by default. */
  window: z.coerce.number().int().min(2).max(20).default(3),
  format: TableFormat,
});
import { EXPORT_TABLES } from '../report/export-tables.ts';
export { EXPORT_TABLES };
export const ExportQuery = z.object({
  table: z.enum(EXPORT_TABLES),
  format: z.enum(['csv', 'xlsx']).default('csv'),
  material: MaterialName.optional(),
  stage: Stage.default('mining'),
  year: Year.optional(),
  dataset: Dataset.optional(),
});
export const ReportQuery = z.object({ format: z.enum(['md', 'html', 'pdf']).default('md') });

function csvResponse(c: Context, rows: Record<string, unknown>[], name: string) {
  const columns = rows.length ? Object.keys(rows[0]) : [];
  c.header('content-type', 'text/csv; charset=utf-8');
  c.header('content-disposition', `attachment; filename="${name}.csv"`);
  return c.body(toCsv(rows, columns));
}

export const MAX_BODY_BYTES = 2_000_000;

export interface AppOptions {
  /** Host/Origin checks, write token and security headers (src/api/security.ts); a started server always sets them. */
  security?: SecurityOptions;
  /**
   * PDF export: the bounded queue (default: the process's, 1 rendering + 2 waiting, 60 s each) and, for tests, a
   * renderer to use instead of chromium.
   */
  pdf?: { queue?: PdfQueue; render?: (html: string, signal: AbortSignal) => Promise<Buffer> };
}

/**
 * Routes whose GET answer is a function of the URL and the data version only (no store state outside the index, no
 * clock: the registry lists, which read measures' status against today, are not here): kept whole per data version by cacheResponses. Writes (registry, imports) make a new index, so nothing kept
 * outlives them. Criticality keeps its summary view the same way (criticality-routes.ts), coalitions theirs.
 */
export const KEPT_WHOLE = [
  '/api/materials',
  '/api/materials/:id',
  '/api/materials/:id/prices',
  '/api/materials/:id/flows',
  '/api/concentration',
  '/api/concentration/all',
  '/api/concentration/series',
  '/api/overview',
  '/api/sources',
  '/api/stress',
  '/api/stress/supply',
  '/api/stress/n1',
  '/api/timeline',
  '/api/demand',
  '/api/demand/cover',
  '/api/importer/:id',
  '/api/importers',
  '/api/registry/measures/:id/stress',
] as const;

/** POST routes that compute their answer from the body and change nothing: run again, as a GET is, when flows were read. */
const PURE_POSTS = /^\/api\/(stress|risk|risk\/compare|optimise\/[a-z]+)$/;
/** Runs of one request on a knowledge base reading trade flows on demand, at most (asks settle in two or three). */
const MAX_TRADE_RUNS = 6;

/**
 * A knowledge base that reads trade flows on demand (`tradeOnDemand`, src/store/knowledge-base.ts) starts with none. A
 * computation that asks for flows not held gets none and marks the index (`tradeMissed`), so every answer computed on
 * that index may lack trade, whichever request computed it (memos and caches are shared). A read request whose index
 * was marked, or replaced, while it ran is therefore run again once the flows asked for are read (`growTrade`: a new index,
 * so memos and kept answers of the marked one are dropped with it). Writes never run twice; their alert evaluation reads
 * the flows its rules ask for itself (src/store/alerts.ts).
 */
function rerunWhenTradeRead(app: Hono, kb: ApiKnowledgeBase & { growTrade(seen: DatasetIndex): Promise<boolean> }): void {
  const dispatch = app.fetch;
  app.fetch = async (req: Request, ...rest: unknown[]) => {
    const post = req.method === 'POST' && PURE_POSTS.test(new URL(req.url).pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD' && !post) return dispatch(req, ...(rest as []));
    for (let run = 1; ; run++) {
      const seen = kb.index;
      // a body is read once: each run reads a copy
      const res = await dispatch(post ? req.clone() : req, ...(rest as []));
      if (!seen.tradeMissed() && kb.index === seen) return res;
      await res.body?.cancel();
      if (run === MAX_TRADE_RUNS)
        return Response.json(
          { error: `the trade flows this request asks for were still being read after ${run} runs; try again`, field: null },
          { status: 503, headers: { 'retry-after': '1' } },
        );
      await kb.growTrade(seen);
    }
  };
}

export function createApp(kb: ApiKnowledgeBase, opts: AppOptions = {}): Hono {
  const app = new Hono();
  if (kb.growTrade) rerunWhenTradeRead(app, kb as ApiKnowledgeBase & { growTrade(seen: DatasetIndex): Promise<boolean> });
  if (opts.security) secureApp(app, opts.security);
  // Request bodies are registry records and scenarios: kilobytes. A 500 MB body once took the server to 1.8 GB.
  app.use(
    '/api/*',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: `body: larger than ${MAX_BODY_BYTES / 1_000_000} MB`, field: 'body' }, 413) }),
  );
  app.use('*', compressResponses());

  app.onError(apiErrorResponse);
  const read = readDeps(
    () => kb.index,
    () => kb.store.sources(),
    { concentrationSweep: kb.concentrationSweep?.bind(kb), n1Sweep: kb.n1Sweep?.bind(kb), importers: kb.importers?.bind(kb) },
  );
  /** Engine results for this data version, from the one cache. */
  const memo = <T>(index: DatasetIndex, key: string, fn: () => T): T => read.cache.memo(index, 'results', key, fn);
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}; see /openapi.json` }, 404));
  if (kb.refreshIfChanged) {
    // A CLI import beside the server changed the store: answer from the new data (one stat per request).
    app.use('/api/*', async (_c, next) => {
      await kb.refreshIfChanged!();
      await next();
    });
  }

  // GET answers that depend on nothing but the URL and the data version are kept whole, with their brotli and gzip
  // variants (cache.ts): writing and compressing a large JSON answer at every ask was most of these routes' cost
  // (/api/concentration/series: ~0.5 MB; the N-1 sweep, the overview, a material's profile: 100-150 kB).
  for (const path of KEPT_WHOLE)
    app.use(
      path,
      cacheResponses(() => kb.index, read.cache),
    );

  // The knowledge base caches its summary sweeps per data version (and forgets a failed one); a fixture's index sweep is
  // memoised here.
  const sweep = async (stageId: z.infer<typeof Stage>, y: number | undefined, ds: string | undefined, hn: HhiNormalisation = DEFAULT_HHI_NORMALISATION) => {
    const opts: SweepOptions = { stages: [stageId], years: y ? [y] : 'latest', dataset: ds, hhiNormalisation: hn };
    return kb.concentrationSweep
      ? kb.concentrationSweep(opts)
      : memo(kb.index, `sweep|${stageId}|${y ?? ''}|${ds ?? ''}|${hn}`, () => concentrationSweep(kb.index, opts));
  };
  const profile = (id: string) => memo(kb.index, `profile|${id}`, () => materialProfile(kb.index, id));
  const one = (id: string, stageId: z.infer<typeof Stage>, y: number | undefined, ds: string | undefined, hn: HhiNormalisation = DEFAULT_HHI_NORMALISATION) => {
    const rows = memo(kb.index, `one|${id}|${stageId}|${y ?? ''}|${ds ?? ''}|${hn}`, () =>
      concentrationSweep(kb.index, { materials: [id], stages: [stageId], years: y ? [y] : 'latest', dataset: ds, hhiNormalisation: hn }),
    );
    if (!rows.length) {
      throw new InputError(
        'year',
        `no ${stageId} data by country for ${id}${y ? ` in ${y}` : ''}${ds ? ` in ${ds}` : ''}; years with data: ${kb.index.years(id, stageId).join(', ') || 'none'}`,
        'not_found',
      );
    }
    return rows[0];
  };

  app.get('/api/health', async (c) =>
    c.json({
      ok: true,
      observations: kb.index.data.observations.length,
      sources: kb.index.data.sources.size,
      materials: kb.index.materials.size,
      dataAsOf: { ...memo(kb.index, 'dataAsOf', () => dataAsOf(kb.index)), lastImportedAt: await memo(kb.index, 'lastImportedAt', () => lastImportedAt(kb)) },
    }),
  );

  app.get('/api/materials', (c) => {
    const rows = memo(kb.index, 'materials', () =>
      [...kb.index.materials].sort().map((id) => {
        const m = getMaterial(id);
        return { id, name: m?.name ?? id, group: m?.group ?? null, stages: kb.index.stages(id).map((s) => ({ stage: s, years: kb.index.years(id, s) })) };
      }),
    );
    return c.json({ materials: rows });
  });

  app.get('/api/materials/:id', (c) => c.json(profile(material(c.req.param('id')))));

  app.get('/api/materials/:id/prices', (c) => {
    const id = material(c.req.param('id'));
    const q = parse(PricesQuery, c.req.query());
    const series = memo(kb.index, `prices|${id}|${q.window}`, () =>
      priceHistory(kb.index.data.prices ?? [], kb.index.data.sources, { materialId: id, window: q.window }),
    );
    if (q.format !== 'json') return downloadTable(c, q.format, priceTable(id, series, q.window));
    return c.json({
      materialId: id,
      window: q.window,
      series,
      method:
        'newest edition per year, older editions kept as revisions; y/y = (p_t - p_t-1) / p_t-1 between consecutive years with numbers; rolling range = (max - min) / min over the window ending at t, only when every year of the window has a number',
      gaps: series.length ? [] : [`no price series for ${id} in the knowledge base`],
    });
  });

  app.get('/api/materials/:id/flows', (c) => {
    const id = material(c.req.param('id'));
    const q = parse(FlowsQuery, c.req.query());
    const f = memo(kb.index, `flows|${id}|${q.year ?? ''}`, () => materialFlows(kb.index, id, q.year));
    if (!f) {
      const ref = new Set(kb.index.years(id, 'refining'));
      const both = kb.index.years(id, 'mining').filter((y) => ref.has(y));
      throw new InputError(
        'year',
        `no year with both mining and refining by country for ${id}${q.year ? ` in ${q.year}` : ''}; years with both: ${both.join(', ') || 'none'}`,
        'not_found',
      );
    }
    return c.json(f);
  });

  app.get('/api/concentration', (c) => {
    const q = parse(ConcentrationQuery, c.req.query());
    const id = material(q.material);
    const row = one(id, q.stage, q.year, q.dataset, q.hhiNormalisation);
    if (q.format === 'csv')
      return csvResponse(
        c,
        row.shares.map((s) => ({ ...s, unit: row.unit, basis: row.basis, source: row.source.text })),
        `${id}-${q.stage}-${row.year}`,
      );
    return c.json(row);
  });

  app.get('/api/concentration/all', async (c) => {
    const q = parse(ConcentrationAllQuery, c.req.query());
    const rows = await sweep(q.stage, q.year, q.dataset, q.hhiNormalisation);
    if (q.format === 'csv') {
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="concentration-${q.stage}.csv"`);
      return c.body(concentrationCsv(rows)); // the one definition the CLI also prints (src/report/tables.ts)
    }
    const body = {
      stage: q.stage,
      notes: [hhiNormalisationNote(q.hhiNormalisation)],
      rows: rows.map(({ shares, ...r }) => ({ ...r, shares: shares.slice(0, 5) })),
    };
    return c.json(body);
  });

  app.get('/api/concentration/series', async (c) => {
    const q = parse(SeriesPanelQuery, c.req.query());
    const opts: SeriesPanelOptions = { stages: [q.stage], materials: q.material ? [material(q.material)] : undefined, years: q.year ? [q.year] : undefined };
    const rows = kb.seriesPanel ? await kb.seriesPanel(opts) : memo(kb.index, `panel|${JSON.stringify(opts)}`, () => seriesPanel(kb.index, opts));
    if (q.material && !rows.length)
      throw new InputError(
        'year',
        `no ${q.stage} series for ${opts.materials![0]}${q.year ? ` in ${q.year}` : ''}; years with data: ${kb.index.years(opts.materials![0], q.stage).join(', ') || 'none'}`,
        'not_found',
      );
    const table = seriesPanelTable(rows);
    if (q.format !== 'json') return downloadTable(c, q.format, table);
    return c.json({ stage: q.stage, notes: table.notes, rows });
  });

  /** Overview: mining and refining side by side, one row per material (what the dashboard's first page shows). */
  app.get('/api/overview', (c) => {
    const q = parse(OverviewQuery, c.req.query());
    const t = memo(kb.index, `overview|${q.year ?? ''}|${q.dataset ?? ''}`, () => overviewTable(kb.index, { year: q.year, dataset: q.dataset }));
    if (q.format === 'csv') return tableDownload(c, [t], 'csv');
    return c.json(t);
  });

  app.get('/api/export', async (c) => {
    const q = parse(ExportQuery, c.req.query());
    const tables = exportTables(kb.index, { ...q, material: q.material === undefined ? undefined : material(q.material) }, (key, fn) =>
      memo(kb.index, key, fn),
    );
    return tableDownload(c, tables, q.format);
  });

  app.get('/api/report/:id', async (c) => {
    const id = material(c.req.param('id'));
    const q = parse(ReportQuery, c.req.query());
    if (q.format === 'md') {
      c.header('content-type', 'text/markdown; charset=utf-8');
      c.header('content-disposition', `attachment; filename="${id}-briefing.md"`);
      return c.body(briefingMarkdown(kb.index, id));
    }
    if (q.format === 'html') return c.html(briefingHtml(kb.index, id));
    const queue = opts.pdf?.queue ?? pdfQueue;
    const stub = opts.pdf?.render;
    try {
      const pdf = stub ? await queue.run((signal) => stub(briefingHtml(kb.index, id), signal)) : await briefingPdf(kb.index, id, queue);
      c.header('content-type', 'application/pdf');
      c.header('content-disposition', `attachment; filename="${id}-briefing.pdf"`);
      return c.body(new Uint8Array(pdf));
    } catch (e) {
      if (e instanceof PdfQueueFullError) {
        c.header('retry-after', String(e.retryAfterSeconds));
        return c.json({ error: e.message, field: 'format', limit: { running: queue.maxRunning, waiting: queue.maxWaiting } }, 503);
      }
      if (e instanceof PdfUnavailableError || e instanceof PdfTimeoutError) throw new HttpError(503, e.message, 'format');
      throw e;
    }
  });

  // Imported sources (with row counts) and the curated documents the methods cite (src/data/criticality-parameters.ts,
  // src/data/hs-content.ts).
  app.get('/api/sources', async (c) =>
    c.json({ sources: await read.sources(), documents: [...CURATED_DOCUMENTS, ...HS_CONTENT_DOCUMENTS].map((d) => citeDocument(d)) }),
  );

  for (const routes of [
    stressRoutes,
    criticalityRoutes,
    riskRoutes,
    registryRoutes,
    coalitionRoutes,
    optimiseRoutes,
    demandRoutes,
    searchRoutes,
    importerRoutes,
  ])
    app.route('/api', routes(read));
  // Mounting decides what this server can do: with a store, its routes; without (a fixture), no alerts and 405 on edits.
  const write = writeDeps(kb);
  app.route('/api', write ? storeRoutes(read, write) : noStoreRoutes());

  app.get('/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/docs', (c) => c.html(docsHtml()));

  return app;
}

async function tableDownload(c: Context, tables: DataTable[], fmt: 'csv' | 'xlsx') {
  if (fmt === 'csv') {
    const t = tables[0];
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="${t.id}.csv"`);
    return c.body(tableToCsv(t));
  }
  const buf = await tablesToXlsx(tables);
  c.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  c.header('content-disposition', `attachment; filename="${tables.length === 1 ? tables[0].id : tables[0].id.split('-')[0] + '-tables'}.xlsx"`);
  return c.body(new Uint8Array(buf));
}
