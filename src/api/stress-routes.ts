/**
 * Stress-test API:
 *   GET  /api/stress?material=nickel&stage=mining&year=2035&exclude=IDN[&n1=true&mode=&fraction=&months=&stockpileDays=&demandScenario=&demandScope=&tradeYear=]
 *   POST /api/stress            body: a version-1 scenario (JSON) — the same document `chokepoint stress --scenario` reads
 *   GET  /api/stress/n1?stage=refining&year=2035[&material=&all=true]   N-1 sweep (largest supplier, or every country)
 * Input is validated with zod; bad input is a 400 naming the field, unknown material / no data a 404.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { KnowledgeBase } from '../store/knowledge-base.ts';
import { n1Sweep } from '../engine/stress/sweep.ts';
import { validateScenario, ScenarioError } from '../scenario/load.ts';
import { runScenario, scenarioFromFlags, ScenarioRunError, type StressReport } from '../scenario/run.ts';
import type { Scenario } from '../scenario/schema.ts';
import { HttpError, parse, material } from './app.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Upper bounds on what a request may ask for (each is stated in the schema, so /openapi.json and /docs show it). */
export const STRESS_LIMITS = { excludeItems: 60, excludeChars: 300, stockpileDays: 3650, stockpileTonnes: 1e10 } as const;

export const StressQuery = z.object({
  material: z.string().min(1).max(100),
  stage: z.enum(['mining', 'refining']).default('refining'),
  year: z.coerce.number().int().min(1900).max(2100),
  exclude: z
    .string()
    .max(STRESS_LIMITS.excludeChars)
    .regex(/^[A-Za-z0-9+,_ -]+$/, 'comma-separated ISO3 codes or grouping ids')
    .refine((s) => s.split(',').length <= STRESS_LIMITS.excludeItems, `at most ${STRESS_LIMITS.excludeItems} comma-separated entries`)
    .describe(`comma-separated ISO3 codes, grouping ids, non-<group>, A+B or largest; at most ${STRESS_LIMITS.excludeItems} entries, ${STRESS_LIMITS.excludeChars} characters`)
    .optional(),
  n1: bool.optional(),
  mode: z.enum(['export_ban', 'outage']).optional(),
  fraction: z.coerce.number().min(0).max(1).optional(),
  months: z.coerce.number().positive().max(120).optional(),
  stockpileDays: z.coerce.number().nonnegative().max(STRESS_LIMITS.stockpileDays).optional(),
  stockpileTonnes: z.coerce.number().nonnegative().max(STRESS_LIMITS.stockpileTonnes).optional(),
  holder: z.string().regex(/^[A-Za-z]{3}$|^world$/).optional(),
  demandScenario: z.enum(['STEPS', 'APS', 'NZE']).default('STEPS'),
  demandScope: z.string().max(80).optional(),
  tradeYear: z.coerce.number().int().min(1900).max(2100).optional(),
  dataset: z.string().regex(/^[a-z0-9-]+$/).optional(),
});

export const N1Query = z.object({
  stage: z.enum(['mining', 'refining']).optional(),
  year: z.coerce.number().int().min(1900).max(2100).optional(),
  material: z.string().min(1).max(100).optional(),
  all: bool.optional(),
  demandScenario: z.enum(['STEPS', 'APS', 'NZE']).default('STEPS'),
});

function run(kb: KnowledgeBase, s: Scenario): StressReport {
  try {
    return runScenario(kb.index, { ...s, material: material(s.material) });
  } catch (e) {
    if (e instanceof ScenarioRunError) throw new HttpError(e.field === 'year' ? 404 : 400, e.message, e.field ?? undefined);
    throw e;
  }
}

export function registerStressRoutes(app: Hono, kb: KnowledgeBase): void {
  app.get('/api/stress', (c) => {
    const q = parse(StressQuery, c.req.query());
    if (!q.exclude && !q.n1) throw new HttpError(400, 'exclude: give exclude=<ISO3,group,...> or n1=true', 'exclude');
    const s = scenarioFromFlags({
      material: q.material,
      stage: q.stage,
      year: q.year,
      exclude: q.exclude ? q.exclude.split(',').map((x) => x.trim()).filter(Boolean) : undefined,
      n1: q.n1,
      mode: q.mode,
      fraction: q.fraction,
      months: q.months,
      stockpileDays: q.stockpileDays,
      stockpileTonnes: q.stockpileTonnes,
      holder: q.holder,
      demandScenario: q.demandScenario,
      dataset: q.dataset,
    });
    if (q.demandScope) s.demandScope = q.demandScope;
    if (q.tradeYear !== undefined) s.tradeYear = q.tradeYear;
    return c.json(run(kb, s));
  });

  app.post('/api/stress', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new HttpError(400, 'body: expected a JSON scenario document (version 1)', 'body');
    }
    let s: Scenario;
    try {
      s = validateScenario(body);
    } catch (e) {
      if (e instanceof ScenarioError) throw new HttpError(400, e.message, e.field ?? 'body');
      throw e;
    }
    return c.json(run(kb, s));
  });

  app.get('/api/stress/n1', (c) => {
    const q = parse(N1Query, c.req.query());
    const rows = n1Sweep(kb.index, {
      materials: q.material ? [material(q.material)] : undefined,
      stages: q.stage ? [q.stage] : undefined,
      years: q.year ? [q.year] : undefined,
      allCountries: q.all ?? false,
      demandScenario: q.demandScenario,
    });
    return c.json({ rows });
  });
}
