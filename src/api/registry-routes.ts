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
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ImportError } from '../model/schema.ts';
import { AlertRuleSchema } from '../model/alerts.ts';
import { measureInEffect, measureStatus, type Registry } from '../model/registry.ts';
import { agreementsFor, measuresFor, projectsFor, scenarioForMeasure, timeline } from '../engine/registry.ts';
import { cite } from '../model/provenance.ts';
import { runStress } from './stress-routes.ts';
import { stressHref } from '../scenario/query.ts';
import type { RegistryKind } from '../store/store.ts';
import { addUserRecords } from '../store/registry.ts';
import { USER_REGISTRY_SOURCE_ID } from '../store/load.ts';
import { alertsOnDate, evaluateAlerts, listRules } from '../store/alerts.ts';
import { SEVERITY_RULES } from '../engine/alerts.ts';
import { HttpError } from './app.ts';
import { Flag, MaterialName, TableFormat, Year, groupId, jsonBody, material, parse } from './params.ts';
import type { ReadDeps, WriteDeps } from './deps.ts';
import { downloadTable } from './download.ts';
import { agreementsTable, alertsTable, measuresTable, projectsTable, sourceLookup, timelineTable, type DataTable } from '../report/tables.ts';

const CountryOrGroup = groupId('ISO3 code or grouping id');
const IsoDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'date as YYYY, YYYY-MM or YYYY-MM-DD');

export const RegistryListQuery = z.object({
  material: MaterialName.optional(),
  country: CountryOrGroup.optional(),
  format: TableFormat,
});
export const TimelineQuery = z.object({
  material: MaterialName.optional(),
  country: CountryOrGroup.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  general: Flag.optional(),
  format: TableFormat,
});
export const MeasureScenarioQuery = z.object({
  material: MaterialName.optional(),
  year: Year.optional(),
});
export const AlertsQuery = z.object({ all: Flag.optional(), format: TableFormat });
const KindParam = z.enum(['measures', 'agreements', 'projects']);
const UserRecordsBody = z
  .object({ agreements: z.array(z.unknown()).optional(), measures: z.array(z.unknown()).optional(), projects: z.array(z.unknown()).optional() })
  .strict();

const KIND_OF: Record<z.infer<typeof KindParam>, RegistryKind> = { measures: 'measure', agreements: 'agreement', projects: 'project' };

const materialParam = (raw: string | undefined): string | undefined => (raw === undefined ? undefined : material(raw));

/** CSV or XLSX of the route's table (format=csv|xlsx): the definitions the CLI prints too (src/report/tables/registry.ts). */
const csv = (c: Context, table: DataTable) => downloadTable(c, c.req.query('format') === 'xlsx' ? 'xlsx' : 'csv', table);

const registryOf = (read: ReadDeps): Registry => read.index().data.registry ?? { agreements: [], measures: [], projects: [] };
const sourceOf = (read: ReadDeps) => (id: string) => {
  const s = read.index().data.sources.get(id);
  return s ? cite(s) : null;
};

/** Registry records, the measure → stress step and the timeline (reads of the index), mounted at /api. */
export function registryRoutes(read: ReadDeps): Hono {
  const app = new Hono();
  const registry = () => registryOf(read);
  const source = sourceOf(read);

  app.get('/registry/:kind', (c) => {
    const kind = parse(KindParam, c.req.param('kind'));
    const q = parse(RegistryListQuery, c.req.query());
    const m = materialParam(q.material);
    const reg = registry();
    if (kind === 'measures') {
      const rows = measuresFor(reg, m, q.country);
      if (q.format !== 'json') return csv(c, measuresTable(rows, sourceLookup(read.index()), new Date().toISOString().slice(0, 10)));
      const today = new Date().toISOString().slice(0, 10);
      return c.json({
        measures: rows.map((r) => ({ ...r, status: measureStatus(r, today), inEffect: measureInEffect(r, today), source: source(r.sourceId) })),
      });
    }
    if (kind === 'agreements') {
      const groups = q.country
        ? [
            ...new Set(
              read
                .index()
                .data.groupings.filter((g) => g.countryId === q.country)
                .map((g) => g.groupId),
            ),
          ]
        : [];
      const rows = agreementsFor(reg, m, q.country, groups);
      if (q.format !== 'json') return csv(c, agreementsTable(rows, sourceLookup(read.index())));
      return c.json({ agreements: rows.map((r) => ({ ...r, source: source(r.sourceId) })) });
    }
    const rows = projectsFor(reg, m, q.country);
    if (q.format !== 'json') return csv(c, projectsTable(rows, sourceLookup(read.index())));
    return c.json({ projects: rows.map((r) => ({ ...r, source: source(r.sourceId) })) });
  });

  const findRecord = (kind: z.infer<typeof KindParam>, id: string) => {
    const rec = (registry()[kind] as Array<{ id: string; sourceId: string }>).find((r) => r.id === id);
    if (!rec) throw new InputError('id', `no ${KIND_OF[kind]} "${id.slice(0, 120)}" in the registry`, 'not_found');
    return rec;
  };

  app.get('/registry/:kind/:id', (c) => {
    const kind = parse(KindParam, c.req.param('kind'));
    const rec = findRecord(kind, c.req.param('id'));
    return c.json({ kind: KIND_OF[kind], record: rec, source: source(rec.sourceId), userEntered: rec.sourceId === USER_REGISTRY_SOURCE_ID });
  });

  const measureScenario = (c: Context) => {
    const m = findRecord('measures', c.req.param('id')!) as Registry['measures'][number];
    const q = parse(MeasureScenarioQuery, c.req.query());
    const built = scenarioForMeasure(read.index(), m, { materialId: materialParam(q.material), year: q.year });
    if (!built.scenario) throw new InputError('id', built.notes.join('; '), 'not_found');
    return { measure: m, ...built, scenario: built.scenario };
  };

  app.get('/registry/measures/:id/scenario', (c) => {
    const r = measureScenario(c);
    const s = r.scenario;
    const stressUrl = stressHref(s); // every input written out, so the dashboard form shows what runs
    return c.json({ measureId: r.measure.id, scenario: s, notes: r.notes, stressUrl });
  });

  app.get('/registry/measures/:id/stress', async (c) => {
    const r = measureScenario(c);
    try {
      // off the event loop and kept per data version, as /api/stress is
      return c.json({ measureId: r.measure.id, scenario: r.scenario, notes: r.notes, report: await runStress(read, r.scenario) });
    } catch (e) {
      // the caller gave only the measure id: a scenario built from it that cannot run is "this measure has no stress test"
      if (e instanceof InputError) throw new InputError('id', e.message, 'not_found');
      throw e;
    }
  });

  app.get('/timeline', (c) => {
    const q = parse(TimelineQuery, c.req.query());
    const events = timeline(read.index(), { materialId: materialParam(q.material), countryId: q.country, from: q.from, to: q.to }, q.general ?? false);
    if (q.format !== 'json') return csv(c, timelineTable(events));
    return c.json({ events });
  });
  return app;
}

/**
 * What needs the store, mounted at /api when there is one: registry edits, the alert feed and rules (kept in the store)
 * and their edits. Writes go through the store's gate, one at a time.
 */
export function storeRoutes(read: ReadDeps, write: WriteDeps): Hono {
  const app = new Hono();
  const registry = () => registryOf(read);
  const source = sourceOf(read);

  app.post('/registry', async (c) => {
    const store = write.store;
    const body = parse(UserRecordsBody, await jsonBody(c));
    const r = await addUserRecords(store, body, 'request body');
    await write.afterImport();
    return c.json(r, 201);
  });

  app.delete('/registry/:kind/:id', async (c) => {
    const store = write.store;
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
    await write.afterImport();
    return c.json({ removed: { kind: KIND_OF[kind], id } });
  });

  app.get('/alerts', async (c) => {
    const q = parse(AlertsQuery, c.req.query());
    // Measure alerts are re-read against the measure's dates today (a suspension that ran out reads "in effect
    // again"), under the ceiling of the rule that raised them.
    const today = new Date().toISOString().slice(0, 10);
    const all = await alertsOnDate(write.store, read.index(), today);
    const alerts = q.all ? all : all.filter((a) => a.active);
    if (q.format !== 'json') return csv(c, alertsTable(alerts, source));
    return c.json({
      alerts: alerts.map((a) => ({ ...a, sources: a.sourceIds.map(source).filter(Boolean) })),
      rules: (await write.store.alertRules()).length,
      severityRules: SEVERITY_RULES,
      asOf: today,
    });
  });

  app.get('/alerts/rules', async (c) => {
    return c.json({ rules: await listRules(write.store) });
  });

  app.post('/alerts/rules', async (c) => {
    const store = write.store;
    const rule = parse(AlertRuleSchema, await jsonBody(c));
    for (const m of rule.materials) material(m, 'materials', 'invalid'); // a rule naming an unknown material is an invalid body (400), not a missing resource
    await store.putAlertRule(rule.id, rule);
    const evaluation = await evaluateAlerts(store, read.index());
    return c.json({ rule, alerts: evaluation.active.filter((a) => a.ruleId === rule.id) }, 201);
  });

  app.delete('/alerts/rules/:id', async (c) => {
    const store = write.store;
    const id = c.req.param('id');
    if (!(await store.deleteAlertRule(id))) throw new InputError('id', `no alert rule "${id.slice(0, 80)}"`, 'not_found');
    return c.json({ removed: id });
  });

  app.post('/alerts/evaluate', async (c) => {
    const store = write.store;
    const e = await evaluateAlerts(store, read.index());
    return c.json({ evaluatedAt: e.evaluatedAt, rules: e.rules, active: e.active.length, fresh: e.fresh, ruleErrors: e.ruleErrors });
  });
  return app;
}

/** Mounted instead of `storeRoutes` on a knowledge base without a store (a fixture): no alerts, and edits answer 405. */
export function noStoreRoutes(): Hono {
  const app = new Hono();
  const refuse = () => {
    throw new HttpError(405, 'this server runs on a read-only knowledge base; registry and alert edits need a store', 'store');
  };
  app.get('/alerts', (c) => c.json({ alerts: [], rules: 0, note: 'read-only knowledge base: no alert store' }));
  app.get('/alerts/rules', (c) => c.json({ rules: [] }));
  app.post('/registry', refuse);
  app.delete('/registry/:kind/:id', refuse);
  app.post('/alerts/rules', refuse);
  app.delete('/alerts/rules/:id', refuse);
  app.post('/alerts/evaluate', refuse);
  return app;
}
