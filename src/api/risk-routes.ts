/**
 * Monte Carlo disruption risk API (runs on the worker pool, off the event loop):
 *   GET  /api/risk?material=gallium[,germanium] | basket=battery &samples=10000&seed=1&year=2024&stockpileDays=60
 *        &correlation=0.5&use=central|low|high
 *   POST /api/risk            a risk scenario document (kind: risk, the same YAML/JSON the CLI reads)
 *   POST /api/risk/compare    { scenarios: [doc, doc, …] } (2–5): the reports and their side-by-side comparison
 * Bounds: at most API_MAX_SAMPLES samples per run, 30 materials, 5 scenarios per comparison; runs queue one at a time
 * (503 when too many wait or a run exceeds the time budget). Bad input → 400 naming the field; unknown material → 404.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { KnowledgeBase } from '../store/knowledge-base.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import { buildRiskSpec, RiskScenarioError, validateRiskScenario } from '../scenario/risk-build.ts';
import { compareRisk, riskReport, type RiskReport } from '../scenario/risk-run.ts';
import { API_MAX_SAMPLES, type RiskScenario } from '../scenario/risk-schema.ts';
import { HttpError, parse } from './app.ts';
import { InputError } from '../model/errors.ts';
import { ServerBusyError } from './workers/pool.ts';
import { serverRiskPool } from './workers/risk-pool.ts';

export const RiskQuery = z.object({
  material: z.string().min(1).max(500).optional().describe('material id(s), comma-separated (give this or basket)'),
  basket: z.enum(['battery', 'magnet', 'defence']).optional().describe('a basket of materials (Leontief reading)'),
  year: z.coerce.number().int().min(1990).max(2100).default(2024),
  samples: z.coerce.number().int().min(1).max(API_MAX_SAMPLES).default(10_000),
  seed: z.coerce.number().int().min(0).max(0xffffffff).default(1),
  correlation: z.coerce.number().min(0).max(1).optional(),
  stockpileDays: z.coerce.number().min(0).max(3650).optional(),
  use: z.enum(['central', 'low', 'high']).optional().describe('likelihood used: posterior predictive, or an end of its 5–95% range'),
});

export const RiskCompareBody = z.object({ scenarios: z.array(z.unknown()).min(2, 'give at least two scenarios').max(5, 'at most 5 scenarios') }).strict();

const KEPT = 8;
const cache = new WeakMap<DatasetIndex, Map<string, Promise<RiskReport>>>();

function scenarioOf(data: unknown, field = 'body'): RiskScenario {
  let s: RiskScenario;
  try {
    s = validateRiskScenario(data);
  } catch (e) {
    if (e instanceof RiskScenarioError) throw new InputError(e.field ? `${field === 'body' ? '' : `${field}.`}${e.field}` : field, e.message);
    throw e;
  }
  if (s.samples > API_MAX_SAMPLES) throw new InputError('samples', `at most ${API_MAX_SAMPLES.toLocaleString('en')} per API run (the CLI takes more)`);
  return s;
}

function run(kb: KnowledgeBase, s: RiskScenario): Promise<RiskReport> {
  const key = JSON.stringify(s);
  let kept = cache.get(kb.index);
  if (!kept) cache.set(kb.index, (kept = new Map()));
  const hit = kept.get(key);
  if (hit) return hit;
  const built = buildRiskSpec(kb.index, s);
  const rep = serverRiskPool.run(built.spec, built.seed).then((summary) => riskReport(built, summary));
  kept.set(key, rep);
  rep.catch(() => kept.get(key) === rep && kept.delete(key));
  if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return rep;
}

async function answer<T>(p: () => Promise<T>): Promise<T> {
  try {
    return await p();
  } catch (e) {
    if (e instanceof ServerBusyError) throw new HttpError(503, e.message, 'samples');
    throw e;
  }
}

async function body(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new InputError('body', 'expected a JSON document');
  }
}

export function registerRiskRoutes(app: Hono, kb: KnowledgeBase): void {
  app.get('/api/risk', async (c) => {
    const q = parse(RiskQuery, c.req.query());
    if (!q.material === !q.basket) throw new InputError('material', 'give either material or basket');
    const s = scenarioOf(
      Object.fromEntries(
        Object.entries({
          version: 1,
          kind: 'risk',
          materials: q.material
            ?.split(',')
            .map((x) => x.trim())
            .filter(Boolean),
          basket: q.basket,
          year: q.year,
          samples: q.samples,
          seed: q.seed,
          correlation: q.correlation,
          stockpile: q.stockpileDays !== undefined ? { days: q.stockpileDays } : undefined,
          likelihood: q.use ? { use: q.use } : undefined,
        }).filter(([, v]) => v !== undefined),
      ),
      'query',
    );
    return c.json(await answer(() => run(kb, s)));
  });

  app.post('/api/risk', async (c) => {
    const s = scenarioOf(await body(c));
    return c.json(await answer(() => run(kb, s)));
  });

  app.post('/api/risk/compare', async (c) => {
    const b = parse(RiskCompareBody, await body(c));
    const scenarios = b.scenarios.map((x, i) => scenarioOf(x, `scenarios.${i}`));
    const reports: RiskReport[] = [];
    for (const s of scenarios) reports.push(await answer(() => run(kb, s)));
    const named = reports.map((r, i) => ({ ...r, name: r.name ?? `scenario ${i + 1}` }));
    return c.json({ comparison: compareRisk(named), reports: named });
  });
}
