/**
 * HTTP API (Hono). Every response figure carries its source; input is validated with zod and a bad request
 * gets 400 naming the field. Client input never produces a 500: unexpected errors are logged and answered
 * with 500 only for genuine server faults.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { STAGES } from '../model/schema.ts';
import { resolveMaterial, suggestMaterials, getMaterial } from '../model/materials.ts';
import { concentrationRow, concentrationSweep } from '../engine/concentration-report.ts';
import { materialProfile } from '../engine/profile.ts';
import type { KnowledgeBase } from '../store/knowledge-base.ts';
import { toCsv } from '../ingest/csv.ts';
import { openApiDocument } from './openapi.ts';

export class HttpError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const stage = z.enum(STAGES);
const year = z.coerce.number().int().min(1900).max(2100);
const format = z.enum(['json', 'csv']).default('json');

export const ConcentrationQuery = z.object({
  material: z.string().min(1),
  stage: stage.default('mining'),
  year: year.optional(),
  dataset: z.string().regex(/^[a-z0-9-]+$/).optional(),
  format,
});
export const ConcentrationAllQuery = z.object({
  stage: stage.default('mining'),
  year: year.optional(),
  dataset: z.string().regex(/^[a-z0-9-]+$/).optional(),
  format,
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.join('.') || 'query';
    throw new HttpError(400, `${field}: ${issue.message}`, field);
  }
  return r.data;
}

function material(raw: string): string {
  const id = resolveMaterial(raw);
  if (!id) throw new HttpError(404, `unknown material "${raw}"; did you mean ${suggestMaterials(raw).join(', ')}?`, 'material');
  return id;
}

function csvResponse(c: Context, rows: Record<string, unknown>[], name: string) {
  const columns = rows.length ? Object.keys(rows[0]) : [];
  c.header('content-type', 'text/csv; charset=utf-8');
  c.header('content-disposition', `attachment; filename="${name}.csv"`);
  return c.body(toCsv(rows, columns));
}

const flat = (r: NonNullable<ReturnType<typeof concentrationRow>>) => ({
  material: r.materialId,
  stage: r.stage,
  year: r.year,
  scenario: r.scenario,
  hhiPoints: r.hhiPoints,
  top1Share: r.top1Share,
  top3Share: r.top3Share,
  largest: r.largest?.countryId ?? null,
  chinaShare: r.chinaShare,
  total: r.total,
  unit: r.unit,
  basis: r.basis,
  estimated: r.estimated,
  source: r.source.text,
});

export function createApp(kb: KnowledgeBase): Hono {
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message, field: err.field ?? null }, err.status);
    console.error(err);
    return c.json({ error: 'internal error' }, 500);
  });
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}; see /openapi.json` }, 404));

  app.get('/api/health', (c) => c.json({ ok: true, observations: kb.index.data.observations.length, sources: kb.index.data.sources.size }));

  app.get('/api/materials', (c) => {
    const rows = [...kb.index.materials].sort().map((id) => {
      const m = getMaterial(id);
      return { id, name: m?.name ?? id, group: m?.group ?? null, stages: kb.index.stages(id).map((s) => ({ stage: s, years: kb.index.years(id, s) })) };
    });
    return c.json({ materials: rows });
  });

  app.get('/api/materials/:id', (c) => c.json(materialProfile(kb.index, material(c.req.param('id')))));

  app.get('/api/concentration', (c) => {
    const q = parse(ConcentrationQuery, c.req.query());
    const id = material(q.material);
    const rows = concentrationSweep(kb.index, { materials: [id], stages: [q.stage], years: q.year ? [q.year] : 'latest', dataset: q.dataset });
    if (!rows.length) {
      throw new HttpError(404, `no ${q.stage} data by country for ${id}${q.year ? ` in ${q.year}` : ''}; years with data: ${kb.index.years(id, q.stage).join(', ') || 'none'}`, 'year');
    }
    if (q.format === 'csv') return csvResponse(c, rows[0].shares.map((s) => ({ ...s, unit: rows[0].unit, basis: rows[0].basis, source: rows[0].source.text })), `${id}-${q.stage}-${rows[0].year}`);
    return c.json(rows[0]);
  });

  app.get('/api/concentration/all', (c) => {
    const q = parse(ConcentrationAllQuery, c.req.query());
    const rows = concentrationSweep(kb.index, { stages: [q.stage], years: q.year ? [q.year] : 'latest', dataset: q.dataset });
    if (q.format === 'csv') return csvResponse(c, rows.map(flat), `concentration-${q.stage}`);
    return c.json({ stage: q.stage, rows: rows.map(({ shares, ...r }) => ({ ...r, shares: shares.slice(0, 5) })) });
  });

  app.get('/api/sources', async (c) => c.json({ sources: await kb.store.sources() }));

  app.get('/openapi.json', (c) => c.json(openApiDocument()));

  return app;
}
