/**
 * Registry, timeline and early-warning API:
 *   GET    /api/registry/measures|agreements|projects?material=&country=&format=json|csv
 *   GET    /api/registry/:kind/:id                         one record with its source
 *   POST   /api/registry                                   body {agreements?, measures?, projects?}: user records
 *   DELETE /api/registry/:kind/:id                         remove a user record
 *   GET    /api/timeline?material=&country=&from=&to=&general=true
 *   GET    /api/registry/measures/:id/scenario?material=&year=   the stress scenario the measure implies
 *   GET    /api/registry/measures/:id/stress?material=&year=     ... and its result (one step from measure to stress test)
 *   GET    /api/alerts?all=true  ·  GET/POST /api/alerts/rules  ·  DELETE /api/alerts/rules/:id  ·  POST /api/alerts/evaluate
 * Writes need a store-backed knowledge base; with a read-only fixture they answer 405.
 */
import { InputError } from '../model/errors.ts';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { resolveMaterial, suggestMaterials } from '../model/materials.ts';
import { ImportError } from '../model/schema.ts';
import { AlertRuleSchema } from '../model/alerts.ts';
import { measureInEffect, measureStatus, type Registry } from '../model/registry.ts';
import { agreementsFor, measuresFor, projectsFor, scenarioForMeasure, timeline } from '../engine/registry.ts';
import { cite } from '../model/provenance.ts';
import { runScenario, ScenarioRunError } from '../scenario/run.ts';
import { stressHref } from '../scenario/query.ts';
import type { KnowledgeBase } from '../store/knowledge-base.ts';
import type { RegistryKind } from '../store/store.ts';
import type { StoreApi } from '../store/gate.ts';
import { addUserRecords } from '../store/registry.ts';
import { USER_REGISTRY_SOURCE_ID } from '../store/load.ts';
import { alertsOnDate, evaluateAlerts, listRules } from '../store/alerts.ts';
import { SEVERITY_RULES } from '../engine/alerts.ts';
import { HttpError, material, parse } from './app.ts';
import { downloadTable } from './download.ts';
import { agreementsTable, alertsTable, measuresTable, projectsTable, sourceLookup, timelineTable, type DataTable } from '../report/tables.ts';

const Iso3 = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_+-]{1,30}$/, 'ISO3 code or grouping id')
  .transform((s) => s.toUpperCase());
const IsoDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'date as YYYY, YYYY-MM or YYYY-MM-DD');
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const RegistryListQuery = z.object({
  material: z.string().min(1).max(100).optional(),
  country: Iso3.optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});
export const TimelineQuery = z.object({
  material: z.string().min(1).max(100).optional(),
  country: Iso3.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  general: bool.optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});
export const MeasureScenarioQuery = z.object({
  material: z.string().min(1).max(100).optional(),
  year: z.coerce.number().int().min(1900).max(2100).optional(),
});
export const AlertsQuery = z.object({ all: bool.optional(), format: z.enum(['json', 'csv', 'xlsx']).default('json') });
const KindParam = z.enum(['measures', 'agreements', 'projects']);
const UserRecordsBody = z
  .object({ agreements: z.array(z.unknown()).optional(), measures: z.array(z.unknown()).optional(), projects: z.array(z.unknown()).optional() })
  .strict();

const KIND_OF: Record<z.infer<typeof KindParam>, RegistryKind> = { measures: 'measure', agreements: 'agreement', projects: 'project' };

const materialParam = (raw: string | undefined): string | undefined => (raw === undefined ? undefined : material(raw));

function writableStore(kb: KnowledgeBase): StoreApi {
  const s = kb.store as Partial<StoreApi>;
  if (typeof s.upsertUserRecords !== 'function' || typeof s.alertRules !== 'function')
    throw new HttpError(405, 'this server runs on a read-only knowledge base; registry and alert edits need a store', 'store');
  return kb.store;
}

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new InputError('body', 'expected a JSON document');
  }
}

/** CSV or XLSX of the route's table (format=csv|xlsx): the definitions the CLI prints too (src/report/tables/registry.ts). */
const csv = (c: Context, table: DataTable) => downloadTable(c, c.req.query('format') === 'xlsx' ? 'xlsx' : 'csv', table);

export function registerRegistryRoutes(app: Hono, kb: KnowledgeBase): void {
  const registry = (): Registry => kb.index.data.registry ?? { agreements: [], measures: [], projects: [] };
  const source = (id: string) => {
    const s = kb.index.data.sources.get(id);
    return s ? cite(s) : null;
  };

  app.get('/api/registry/:kind', (c) => {
    const kind = parse(KindParam, c.req.param('kind'));
    const q = parse(RegistryListQuery, c.req.query());
    const m = materialParam(q.material);
    const reg = registry();
    if (kind === 'measures') {
      const rows = measuresFor(reg, m, q.country);
      if (q.format !== 'json') return csv(c, measuresTable(rows, sourceLookup(kb.index), new Date().toISOString().slice(0, 10)));
      const today = new Date().toISOString().slice(0, 10);
      return c.json({
        measures: rows.map((r) => ({ ...r, status: measureStatus(r, today), inEffect: measureInEffect(r, today), source: source(r.sourceId) })),
      });
    }
    if (kind === 'agreements') {
      const groups = q.country ? [...new Set(kb.index.data.groupings.filter((g) => g.countryId === q.country).map((g) => g.groupId))] : [];
      const rows = agreementsFor(reg, m, q.country, groups);
      if (q.format !== 'json') return csv(c, agreementsTable(rows, sourceLookup(kb.index)));
      return c.json({ agreements: rows.map((r) => ({ ...r, source: source(r.sourceId) })) });
    }
    const rows = projectsFor(reg, m, q.country);
    if (q.format !== 'json') return csv(c, projectsTable(rows, sourceLookup(kb.index)));
    return c.json({ projects: rows.map((r) => ({ ...r, source: source(r.sourceId) })) });
  });

  const findRecord = (kind: z.infer<typeof KindParam>, id: string) => {
    const rec = (registry()[kind] as Array<{ id: string; sourceId: string }>).find((r) => r.id === id);
    if (!rec) throw new InputError('id', `no ${KIND_OF[kind]} "${id.slice(0, 120)}" in the registry`, 'not_found');
    return rec;
  };

  app.get('/api/registry/:kind/:id', (c) => {
    const kind = parse(KindParam, c.req.param('kind'));
    const rec = findRecord(kind, c.req.param('id'));
    return c.json({ kind: KIND_OF[kind], record: rec, source: source(rec.sourceId), userEntered: rec.sourceId === USER_REGISTRY_SOURCE_ID });
  });

  const measureScenario = (c: Context) => {
    const m = findRecord('measures', c.req.param('id')!) as Registry['measures'][number];
    const q = parse(MeasureScenarioQuery, c.req.query());
    const built = scenarioForMeasure(kb.index, m, { materialId: materialParam(q.material), year: q.year });
    if (!built.scenario) throw new InputError('id', built.notes.join('; '), 'not_found');
    return { measure: m, ...built, scenario: built.scenario };
  };

  app.get('/api/registry/measures/:id/scenario', (c) => {
    const r = measureScenario(c);
    const s = r.scenario;
    const stressUrl = stressHref(s); // every input written out, so the dashboard form shows what runs
    return c.json({ measureId: r.measure.id, scenario: s, notes: r.notes, stressUrl });
  });

  app.get('/api/registry/measures/:id/stress', (c) => {
    const r = measureScenario(c);
    try {
      return c.json({ measureId: r.measure.id, scenario: r.scenario, notes: r.notes, report: runScenario(kb.index, r.scenario) });
    } catch (e) {
      // the caller gave only the measure id: a scenario built from it that cannot run is "this measure has no stress test"
      if (e instanceof InputError) throw new InputError('id', e.message, 'not_found');
      throw e;
    }
  });

  app.post('/api/registry', async (c) => {
    const store = writableStore(kb);
    const body = parse(UserRecordsBody, await jsonBody(c));
    const r = await addUserRecords(store, body, 'request body');
    await kb.afterImport();
    return c.json(r, 201);
  });

  app.delete('/api/registry/:kind/:id', async (c) => {
    const store = writableStore(kb);
    const kind = parse(KindParam, c.req.param('kind'));
    const id = c.req.param('id');
    const removed = await store.removeRegistryRecord(KIND_OF[kind], id, USER_REGISTRY_SOURCE_ID);
    if (!removed) {
      const imported = (registry()[kind] as Array<{ id: string }>).some((r) => r.id === id);
      throw new InputError(
        'id',
        imported
          ? `${KIND_OF[kind]} "${id}" comes from an imported source and cannot be deleted; add a user record with the same id to override it`
          : `no user-entered ${KIND_OF[kind]} "${id.slice(0, 120)}"`,
        imported ? 'invalid' : 'not_found',
      );
    }
    await kb.afterImport();
    return c.json({ removed: { kind: KIND_OF[kind], id } });
  });

  app.get('/api/timeline', (c) => {
    const q = parse(TimelineQuery, c.req.query());
    const events = timeline(kb.index, { materialId: materialParam(q.material), countryId: q.country, from: q.from, to: q.to }, q.general ?? false);
    if (q.format !== 'json') return csv(c, timelineTable(events));
    return c.json({ events });
  });

  app.get('/api/alerts', async (c) => {
    const q = parse(AlertsQuery, c.req.query());
    const store = kb.store as Partial<StoreApi>;
    if (typeof store.storedAlerts !== 'function') return c.json({ alerts: [], rules: 0, note: 'read-only knowledge base: no alert store' });
    // Measure alerts are re-read against the measure's dates today (a suspension that ran out reads "in effect
    // again"), under the ceiling of the rule that raised them.
    const today = new Date().toISOString().slice(0, 10);
    const all = await alertsOnDate(kb.store, kb.index, today);
    const alerts = q.all ? all : all.filter((a) => a.active);
    if (q.format !== 'json') return csv(c, alertsTable(alerts, source));
    return c.json({
      alerts: alerts.map((a) => ({ ...a, sources: a.sourceIds.map(source).filter(Boolean) })),
      rules: (await kb.store.alertRules()).length,
      severityRules: SEVERITY_RULES,
      asOf: today,
    });
  });

  app.get('/api/alerts/rules', async (c) => {
    const store = kb.store as Partial<StoreApi>;
    if (typeof store.alertRules !== 'function') return c.json({ rules: [] });
    return c.json({ rules: await listRules(kb.store) });
  });

  app.post('/api/alerts/rules', async (c) => {
    const store = writableStore(kb);
    const rule = parse(AlertRuleSchema, await jsonBody(c));
    for (const m of rule.materials) material(m, 'materials', 'invalid'); // a rule naming an unknown material is an invalid body (400), not a missing resource
    await store.putAlertRule(rule.id, rule);
    const evaluation = await evaluateAlerts(store, kb.index);
    return c.json({ rule, alerts: evaluation.active.filter((a) => a.ruleId === rule.id) }, 201);
  });

  app.delete('/api/alerts/rules/:id', async (c) => {
    const store = writableStore(kb);
    const id = c.req.param('id');
    if (!(await store.deleteAlertRule(id))) throw new InputError('id', `no alert rule "${id.slice(0, 80)}"`, 'not_found');
    return c.json({ removed: id });
  });

  app.post('/api/alerts/evaluate', async (c) => {
    const store = writableStore(kb);
    const e = await evaluateAlerts(store, kb.index);
    return c.json({ evaluatedAt: e.evaluatedAt, rules: e.rules, active: e.active.length, fresh: e.fresh, ruleErrors: e.ruleErrors });
  });
}
