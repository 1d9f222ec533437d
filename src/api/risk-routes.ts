/**
 * Monte Carlo disruption risk API (runs on the worker pool, off the event loop):
 *   GET  /api/risk?material=gallium[,germanium] | basket=battery &samples=10000&seed=1&year=2024&stockpileDays=60
 *        &correlation=0.5&use=central|low|high
 *   POST /api/risk            a risk scenario document (kind: risk, the same YAML/JSON the CLI reads)
 *   POST /api/risk/compare    { scenarios: [doc, doc, …] } (2–5): the reports and their side-by-side comparison
 * Bounds: at most API_MAX_SAMPLES samples per run, 30 materials, 5 scenarios per comparison; runs queue one at a time
 * (503 when too many wait or a run exceeds the time budget). Bad input → 400 naming the field; unknown material → 404.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { buildRiskSpec, RiskScenarioError, validateRiskScenario } from '../scenario/risk-build.ts';
import { compareRisk, riskReport, type RiskReport } from '../scenario/risk-run.ts';
import { API_MAX_SAMPLES, type RiskScenario } from '../scenario/risk-schema.ts';
import { HttpError } from './app.ts';
import { jsonBody, parse, yearBetween } from './params.ts';
import type { ReadDeps } from './deps.ts';
import { InputError } from '../model/errors.ts';
import { ServerBusyError } from './workers/pool.ts';
import { serverRiskPool } from './workers/risk-pool.ts';

export const RiskQuery = z.object({
  material: z.string().min(1).max(500).optional().describe('material id(s), comma-separated (give this or basket)'),
  basket: z.enum(['battery', 'magnet', 'defence']).optional().describe('a basket of materials (Leontief reading)'),
  year: yearBetween(1990).default(2024),
  samples: z.coerce.number().int().min(1).max(API_MAX_SAMPLES).default(10_000),
  seed: z.coerce.number().int().min(0).max(0xffffffff).default(1),
  correlation: z.coerce.number().min(0).max(1).optional(),
  stockpileDays: z.coerce.number().min(0).max(3650).optional(),
  use: z.enum(['central', 'low', 'high']).optional().describe('likelihood used: posterior predictive, or an end of its 5–95% range'),
});

export const RiskCompareBody = z.object({ scenarios: z.array(z.unknown()).min(2, 'give at least two scenarios').max(5, 'at most 5 scenarios') }).strict();

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

/** The report of a scenario, from the API's cache (bucket `risk`: the last few per data version); the same run asked twice is run once. */
function run(read: ReadDeps, s: RiskScenario): Promise<RiskReport> {
  const index = read.index();
  return read.cache.memo(index, 'risk', JSON.stringify(s), () => {
    const built = buildRiskSpec(index, s);
    return serverRiskPool.run(built.spec, built.seed).then((summary) => riskReport(built, summary));
  });
}

async function answer<T>(p: () => Promise<T>): Promise<T> {
  try {
    return await p();
  } catch (e) {
    if (e instanceof ServerBusyError) throw new HttpError(503, e.message, 'samples');
    throw e;
  }
}

/** The risk routes, mounted at /api. */
export function riskRoutes(read: ReadDeps): Hono {
  const app = new Hono();
  app.get('/risk', async (c) => {
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
    return c.json(await answer(() => run(read, s)));
  });

  app.post('/risk', async (c) => {
    const s = scenarioOf(await jsonBody(c));
    return c.json(await answer(() => run(read, s)));
  });

  app.post('/risk/compare', async (c) => {
    const b = parse(RiskCompareBody, await jsonBody(c));
    const scenarios = b.scenarios.map((x, i) => scenarioOf(x, `scenarios.${i}`));
    const reports: RiskReport[] = [];
    for (const s of scenarios) reports.push(await answer(() => run(read, s)));
    const named = reports.map((r, i) => ({ ...r, name: r.name ?? `scenario ${i + 1}` }));
    return c.json({ comparison: compareRisk(named), reports: named });
  });
  return app;
}
