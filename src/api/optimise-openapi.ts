/**
 * OpenAPI 3.1 path entries of the optimisation routes (src/api/optimise-routes.ts), built from the zod schemas that
 * validate the bodies. Merged into `openApiDocument().paths`.
 */
import { z } from 'zod';
import { jsonResponse as json, queryParams } from './params.ts';
import { CoalitionBody, CoordinatedBody, OptimiseQuery, PortfolioBody, StockpileBody } from './optimise-routes.ts';

const bodyOf = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } },
});
/** format=json (default) answers the whole report; csv or xlsx its main table, the one the CLI's --format csv prints. */
const formatParams = queryParams(OptimiseQuery);
const responses = (ok: string) => ({
  '200': {
    description: `${ok}; format=csv|xlsx: the main table`,
    content: {
      'application/json': { schema: { type: 'object' } },
      'text/csv': { schema: { type: 'string' } },
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
    },
  },
  '400': json('invalid input: the message and `field` name the parameter'),
  '404': json('unknown material, country or grouping, or no data for the cell'),
  '422': json('the problem has no answer (infeasible): the message says what made it so'),
  '503': json('too many runs waiting, or a run over its time budget'),
});

export const optimiseOpenApiPaths = {
  '/api/optimise/stockpile': {
    post: {
      summary:
        'stockpile allocation across materials for one holder under a budget (tonnes, or money with prices): two-stage stochastic LP minimising expected shortfall cost over the scenarios (default: Monte Carlo disruption engine, scenarioSource risk, seed, samples ≤ 20,000; or the stress stand-in, scenarioSource stress), with release rules (trigger, drawdown rate); HiGHS',
      parameters: formatParams,
      requestBody: bodyOf(StockpileBody),
      responses: responses(
        'request, scenarios (source, seed, samples, origin, labels, notes), result (stock per material, expected shortfall with / without, marginal value of budget, model size), sources',
      ),
    },
  },
  '/api/optimise/coordinated': {
    post: {
      summary:
        'coordinated stockpiles among partners: each partner alone against the pooled arrangement with burden sharing, emergency sharing and participation (nobody worse off); the gain of cooperation; scenarios from the Monte Carlo engine by default (scenarioSource, seed, samples) or the stress stand-in',
      parameters: formatParams,
      requestBody: bodyOf(CoordinatedBody),
      responses: responses(
        'scenarios (source, seed, samples, notes); per partner: budget, alone and pooled expected shortfall cost, stocks, shared / received; totals and the gain of cooperation',
      ),
    },
  },
  '/api/optimise/portfolio': {
    post: {
      summary:
        'diversification / offtake portfolio: which suppliers, projects and offtakes (price floors costed against a price history, or left out with the gap stated) to back under a budget, maximising worst-material N-1 coverage or minimising expected shortfall (MIP)',
      parameters: formatParams,
      requestBody: bodyOf(PortfolioBody),
      responses: responses('chosen options, spend, value before / after per material, price-floor costs, options left out and why, gaps'),
    },
  },
  '/api/optimise/coalition': {
    post: {
      summary:
        "coalition builder: the smallest (or cheapest, by stated cost) set of partner countries bringing a bloc's coverage of world demand to a target for every material of a basket (MIP); checked against coalition N-1",
      parameters: formatParams,
      requestBody: bodyOf(CoalitionBody),
      responses: responses('partners, cost, per material: coverage before / after and the coalition N-1 check, assumptions, gaps, sources'),
    },
  },
};
