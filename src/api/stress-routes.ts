/**
 * Stress-test API:
 *   GET  /api/stress?material=nickel&stage=mining&year=2035&exclude=IDN[&n1=true&mode=&fraction=&months=&stockpilePolicy=|stockpileDays=|stockpileTonnes=&holder=&demandScenario=&demandScope=&tradeYear=&dataset=]
 *        the query the dashboard URL carries (`src/scenario/query.ts`); omitted values take `STRESS_DEFAULTS`
 *   POST /api/stress            body: a version-1 scenario (JSON) — the same document `chokepoint stress --scenario` reads
 *   GET  /api/stress/supply?material=&stage=&year=[&demandScenario=&demandScope=&dataset=]   the supply series (and its
 *        shares, by the one share function) the stress engine uses for that cell: the dashboard's supplier chips
 *   GET  /api/stress/n1?stage=refining&year=2035[&material=&all=true&format=json|csv|xlsx]   N-1 sweep (largest supplier, or
 *        every country), with the netted (own-use) reading; csv|xlsx: the table `stress --n1 --all --format csv` prints
 * Input is validated with zod; bad input is a 400 naming the field, unknown material / no data a 404.
 */
import { InputError } from '../model/errors.ts';
import { Hono } from 'hono';
import { z } from 'zod';
import { validateScenario, ScenarioError } from '../scenario/load.ts';
import { scenarioFromFlags, ScenarioRunError, type StressReport } from '../scenario/run.ts';
import type { Scenario } from '../scenario/schema.ts';
import { STOCKPILE_POLICY_IDS, STRESS_DEFAULTS } from '../scenario/query.ts';
import { stressSupplyChoice } from '../engine/stress/inputs.ts';
import { concentrationRow } from '../engine/concentration-report.ts';
import { Dataset, DemandScenario, Flag, MaterialName, SupplyStage, TableFormat, Year, jsonBody, material, parse } from './params.ts';
import { downloadTable } from './download.ts';
import { n1Table } from '../report/tables.ts';
import type { N1Row } from '../engine/stress/sweep.ts';
import type { ReadDeps } from './deps.ts';
import { analysisPool } from './workers/analysis-pool.ts';

/** Upper bounds on what a request may ask for (each is stated in the schema, so /openapi.json and /docs show it). */
export const STRESS_LIMITS = { excludeItems: 60, excludeChars: 300, stockpileDays: 3650, stockpileTonnes: 1e10 } as const;

export const StressQuery = z.object({
  material: MaterialName,
  stage: SupplyStage.default(STRESS_DEFAULTS.stage),
  year: Year,
  exclude: z
    .string()
    .max(STRESS_LIMITS.excludeChars)
    .regex(/^[A-Za-z0-9+,_ -]+$/, 'comma-separated ISO3 codes or grouping ids')
    .refine((s) => s.split(',').length <= STRESS_LIMITS.excludeItems, `at most ${STRESS_LIMITS.excludeItems} comma-separated entries`)
    .describe(
      `comma-separated ISO3 codes, grouping ids, non-<group>, A+B or largest; at most ${STRESS_LIMITS.excludeItems} entries, ${STRESS_LIMITS.excludeChars} characters`,
    )
    .optional(),
  n1: Flag.optional(),
  mode: z.enum(['export_ban', 'outage']).optional(),
  fraction: z.coerce.number().min(0).max(1).optional(),
  months: z.coerce.number().positive().max(120).optional(),
  stockpileDays: z.coerce.number().nonnegative().max(STRESS_LIMITS.stockpileDays).optional(),
  stockpileTonnes: z.coerce.number().nonnegative().max(STRESS_LIMITS.stockpileTonnes).optional(),
  stockpilePolicy: z.enum(STOCKPILE_POLICY_IDS).optional(),
  holder: z
    .string()
    .regex(/^[A-Za-z]{3}$|^EU27$|^world$/, 'ISO3 code, EU27 or "world"')
    .optional(),
  demandScenario: DemandScenario.default(STRESS_DEFAULTS.demandScenario),
  demandScope: z.string().max(80).optional(),
  tradeYear: Year.optional(),
  dataset: Dataset.optional(),
});

export const StressSupplyQuery = StressQuery.pick({ material: true, stage: true, year: true, demandScenario: true, demandScope: true, dataset: true });

export const N1Query = z.object({
  stage: SupplyStage.optional(),
  year: Year.optional(),
  material: MaterialName.optional(),
  all: Flag.optional(),
  demandScenario: DemandScenario.default('STEPS'),
  format: TableFormat,
});

/**
 * A scenario run in the analysis worker (off the event loop; ./workers/analysis-pool.ts), kept per data version: the
 * same scenario asked again (or while it runs) is answered from the one run, not queued behind it.
 */
export function runStress(read: ReadDeps, scenario: Scenario): Promise<StressReport> {
  const index = read.index();
  return read.cache.memo(index, 'stress', JSON.stringify(scenario), () => analysisPool.run(index, { fn: 'stress', scenario }) as Promise<StressReport>);
}

function run(read: ReadDeps, s: Scenario): Promise<StressReport> {
  return runStress(read, { ...s, material: material(s.material) });
}

/** The stress routes, mounted at /api. */
export function stressRoutes(read: ReadDeps): Hono {
  const app = new Hono();
  app.get('/stress', async (c) => {
    const q = parse(StressQuery, c.req.query());
    if (!q.exclude && !q.n1) throw new InputError('exclude', 'give exclude=<ISO3,group,...> or n1=true');
    if ([q.stockpilePolicy, q.stockpileDays, q.stockpileTonnes].filter((x) => x !== undefined).length > 1) {
      throw new InputError('stockpilePolicy', 'give only one of stockpilePolicy, stockpileDays or stockpileTonnes');
    }
    const s = scenarioFromFlags({
      material: q.material,
      stage: q.stage,
      year: q.year,
      exclude: q.exclude
        ? q.exclude
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean)
        : undefined,
      n1: q.n1,
      mode: q.mode,
      fraction: q.fraction,
      months: q.months,
      stockpileDays: q.stockpileDays,
      stockpileTonnes: q.stockpileTonnes,
      stockpilePolicy: q.stockpilePolicy,
      holder: q.holder,
      demandScenario: q.demandScenario,
      demandScope: q.demandScope,
      tradeYear: q.tradeYear,
      dataset: q.dataset,
    });
    return c.json(await run(read, s));
  });

  app.get('/stress/supply', (c) => {
    const q = parse(StressSupplyQuery, c.req.query());
    const materialId = material(q.material);
    const choice = stressSupplyChoice(read.index(), materialId, q.stage, q.year, {
      dataset: q.dataset,
      demandScenario: q.demandScenario,
      demandScope: q.demandScope,
    });
    const row =
      concentrationRow(read.index(), { materialId, stage: q.stage, year: q.year, dataset: choice.dataset }) ??
      (choice.dataset && !q.dataset ? concentrationRow(read.index(), { materialId, stage: q.stage, year: q.year }) : null);
    if (!row) throw new InputError('year', `no ${q.stage} supply by country for ${q.material} in ${q.year}${q.dataset ? ` (${q.dataset})` : ''}`, 'not_found');
    return c.json({ dataset: choice.dataset ?? null, reason: choice.reason, row });
  });

  app.post('/stress', async (c) => {
    const body = await jsonBody(c, 'expected a JSON scenario document (version 1)');
    return c.json(await run(read, validateScenario(body)));
  });

  app.get('/stress/n1', async (c) => {
    const q = parse(N1Query, c.req.query());
    const opts = {
      materials: q.material ? [material(q.material)] : undefined,
      stages: q.stage ? [q.stage] : undefined,
      years: q.year ? [q.year] : undefined,
      allCountries: q.all ?? false,
      demandScenario: q.demandScenario,
    };
    // Supply from the store's series summary (SQL, cached per data version); a knowledge base without a store sweeps
    // the index in the analysis worker, off the event loop: the same rows (test/store/summary.test.ts).
    const rows: N1Row[] = read.n1Sweep ? await read.n1Sweep(opts) : ((await analysisPool.run(read.index(), { fn: 'n1', opts })) as { rows: N1Row[] }).rows;
    return q.format === 'json' ? c.json({ rows }) : downloadTable(c, q.format, n1Table(rows));
  });
  return app;
}
