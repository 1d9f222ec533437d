/**
 * Optimisation API (HiGHS; model in docs/optimisation.md). POST with a JSON body, validated with zod; run in a worker
 * thread (./workers/optimise-pool.ts) so a solve never blocks the event loop.
 *
 *   POST /api/optimise/stockpile    {materials, budget, budgetKind, year, holderShare, scenarioSource, seed, samples, prices, …}
 *   POST /api/optimise/coordinated  {materials, holders: [{id, shortfallShare, budget}], sharing, …}
 *   POST /api/optimise/portfolio    {materials, objective, budget, options: [{id, kind, countryId, cost, tonnesPerYear}]}
 *   POST /api/optimise/coalition    {bloc, materials, target, reading, stage, year, exclude, costs}
 *
 * ?format=csv|xlsx answers the report's main table instead of JSON (src/report/tables/optimise.ts, the table the CLI's
 * --format csv prints).
 *
 * Bad input → 400 naming the field; unknown material, country or cell → 404; a problem with no answer (infeasible:
 * e.g. an unreachable coverage target, minimum stocks over the budget) → 422 saying what made it so; busy → 503.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Context } from 'hono';
import type { OptimiseReport, OptimiseRequest } from '../engine/optimise/index.ts';
import { optimiseTable } from '../report/tables.ts';
import { downloadTable } from './download.ts';
import { RISK_SAMPLES_MAX } from '../engine/optimise/from-risk.ts';
import { HttpError } from './app.ts';
import { Dataset, DemandScenario, Iso3, SupplyStage, TableFormat, groupOf, jsonBody, material, parse } from './params.ts';
import type { ReadDeps } from './deps.ts';
import { optimisePool } from './workers/optimise-pool.ts';
import { ServerBusyError } from './workers/pool.ts';

const materialList = z.array(z.string().min(1).max(100)).min(1).max(20);
const amount = z.number().finite().min(0);
const perMaterial = z.record(z.string().min(1).max(100), z.number().finite().min(0));

export const ShortfallScenariosBody = z.object({
  materials: materialList,
  scenarios: z
    .array(
      z.object({
        weight: z.number().finite().min(0).max(1),
        shortfallTonnes: z.array(z.number().finite().min(0)).max(20),
        durationDays: z.number().finite().positive().max(36_500),
        label: z.string().max(200).optional(),
        disrupted: z.array(Iso3).max(50).optional(),
      }),
    )
    .min(1)
    .max(10_000),
  origin: z.string().max(200).optional(),
});

const scenarioFields = {
  materials: materialList,
  stage: SupplyStage.default('refining'),
  year: z.number().int().min(1900).max(2100).default(2024),
  dataset: Dataset.optional(),
  demandScenario: DemandScenario.optional(),
  scenarios: ShortfallScenariosBody.optional().describe(
    'per-scenario shortfalls (the Monte Carlo shape); default: the Monte Carlo engine (stockpile, coordinated) or the stress-derived stand-in (portfolio)',
  ),
  probability: z.number().finite().positive().max(1).optional().describe('stand-in: probability of each export-ban scenario (default 0.05)'),
  topSuppliers: z.number().int().min(1).max(10).optional(),
  durationDays: z.number().finite().positive().max(3650).optional(),
};
/** Stockpile and coordinated: Monte Carlo scenarios by default, the stress stand-in on request. */
const sourceFields = {
  scenarioSource: z
    .enum(['risk', 'stress'])
    .optional()
    .describe('risk (default): Monte Carlo disruption engine; stress: the stress-derived stand-in. The answer names it in scenarios.source'),
  seed: z.number().int().min(0).max(0xffffffff).optional().describe('Monte Carlo seed (default 1); reported in scenarios.seed'),
  samples: z.number().int().min(1).max(RISK_SAMPLES_MAX).optional().describe(`Monte Carlo year-long draws (default 2,000, at most ${RISK_SAMPLES_MAX})`),
};
const termFields = {
  prices: perMaterial.optional().describe('price per tonne by material (money budgets; prices are not in the knowledge base)'),
  shortfallCosts: perMaterial.optional(),
  triggerShare: z.number().finite().min(0).max(1).optional(),
  maxReleaseShare: z.number().finite().positive().max(100).optional(),
};

export const StockpileBody = z.object({
  ...scenarioFields,
  ...sourceFields,
  ...termFields,
  budget: amount,
  budgetKind: z.enum(['tonnes', 'money']).default('tonnes'),
  currency: z.string().max(10).optional(),
  holderShare: z.number().finite().positive().max(1).optional(),
  minStock: perMaterial.optional(),
});

export const CoordinatedBody = z.object({
  ...scenarioFields,
  ...sourceFields,
  ...termFields,
  holders: z
    .array(
      z.object({
        id: z.string().min(1).max(40),
        shortfallShare: z.union([z.number().finite(), z.array(z.number().finite()).max(20)]),
        budget: amount.optional(),
        burdenShare: z.number().finite().min(0).max(1).optional(),
      }),
    )
    .min(2)
    .max(12),
  totalBudget: amount.optional(),
  budgetKind: z.enum(['tonnes', 'money']).default('tonnes'),
  currency: z.string().max(10).optional(),
  sharing: z.number().finite().min(0).max(1).default(0.5),
  participation: z.boolean().default(true),
});

export const PortfolioBody = z.object({
  ...scenarioFields,
  objective: z.enum(['n1-coverage', 'expected-shortfall']).default('n1-coverage'),
  budget: amount,
  shortfallCosts: perMaterial.optional(),
  options: z
    .array(
      z.object({
        id: z.string().min(1).max(100),
        kind: z.enum(['supplier', 'project', 'offtake']),
        countryId: Iso3,
        cost: amount,
        tonnesPerYear: perMaterial,
        priceFloor: z
          .object({
            floorPerTonne: amount,
            volumeTonnesPerYear: amount,
            years: z.number().finite().positive().max(50),
            priceHistory: z
              .array(z.object({ year: z.number().int(), pricePerTonne: amount }))
              .max(200)
              .optional(),
            priceSource: z.string().max(500).optional(),
          })
          .optional(),
      }),
    )
    .min(1)
    .max(40),
});

export const CoalitionBody = z.object({
  bloc: groupOf('a grouping id (G7, MSP, EU27, …), an ISO3 code or a list AUS+CAN', 200),
  materials: materialList,
  target: z.number().finite().positive().max(10),
  reading: z.enum(['self-sufficiency', 'n1']).default('self-sufficiency'),
  stage: SupplyStage.default('refining'),
  year: z.number().int().min(1900).max(2100).default(2024),
  dataset: Dataset.optional(),
  demandScenario: DemandScenario.optional(),
  exclude: z.array(Iso3).max(100).optional(),
  candidates: z.array(Iso3).max(200).optional(),
  costs: z.record(Iso3, z.number().finite().min(0)).optional(),
  costBasis: z.string().max(200).optional(),
  expandEu: z.boolean().optional(),
});

/** The query of every optimisation route: the answer as JSON (the whole report) or its main table as CSV or XLSX. */
export const OptimiseQuery = z.object({ format: TableFormat });

/** Material ids from any alias (404 naming the field for an unknown one), in keys of per-material maps too. */
function resolveMaterials<T extends Record<string, unknown>>(b: T): T {
  const ids = (xs: string[]) => xs.map((x) => material(x));
  const map = (m: unknown) =>
    m && typeof m === 'object' ? Object.fromEntries(Object.entries(m as Record<string, number>).map(([k, v]) => [material(k), v])) : m;
  const out: Record<string, unknown> = { ...b, materials: ids(b.materials as string[]) };
  for (const k of ['prices', 'shortfallCosts', 'minStock']) if (b[k]) out[k] = map(b[k]);
  if (b.scenarios) out.scenarios = { ...(b.scenarios as object), materials: ids((b.scenarios as { materials: string[] }).materials) };
  if (Array.isArray(b.options)) out.options = (b.options as Array<{ tonnesPerYear: object }>).map((o) => ({ ...o, tonnesPerYear: map(o.tonnesPerYear) }));
  return out as T;
}

/** The optimisation routes, mounted at /api. */
export function optimiseRoutes(read: ReadDeps): Hono {
  const app = new Hono();
  const body = (c: Parameters<typeof jsonBody>[0]) => jsonBody(c, 'not valid JSON');
  /** Runs the request (format checked first, so a bad one costs no solve) and answers JSON or the report's table. */
  const run = async (c: Context, request: () => Promise<OptimiseRequest>) => {
    const { format } = parse(OptimiseQuery, c.req.query());
    const req = await request();
    let report: OptimiseReport;
    try {
      report = await optimisePool.run(read.index(), req);
    } catch (e) {
      if (e instanceof ServerBusyError) throw new HttpError(503, e.message, 'request');
      throw e;
    }
    return format === 'json' ? c.json(report) : downloadTable(c, format, optimiseTable(report));
  };
  app.post('/optimise/stockpile', (c) => run(c, async () => ({ kind: 'stockpile', ...resolveMaterials(parse(StockpileBody, await body(c))) })));
  app.post('/optimise/coordinated', (c) => run(c, async () => ({ kind: 'coordinated', ...resolveMaterials(parse(CoordinatedBody, await body(c))) })));
  app.post('/optimise/portfolio', (c) =>
    run(c, async () => {
      const b = resolveMaterials(parse(PortfolioBody, await body(c)));
      return { kind: 'portfolio', ...b, options: b.options.map((o) => ({ ...o, countryId: o.countryId.toUpperCase() })) };
    }),
  );
  app.post('/optimise/coalition', (c) =>
    run(c, async () => {
      const b = resolveMaterials(parse(CoalitionBody, await body(c)));
      return {
        kind: 'coalition',
        ...b,
        exclude: b.exclude?.map((x) => x.toUpperCase()),
        candidates: b.candidates?.map((x) => x.toUpperCase()),
        costs: b.costs ? Object.fromEntries(Object.entries(b.costs).map(([k, v]) => [k.toUpperCase(), v])) : undefined,
      };
    }),
  );
  return app;
}
