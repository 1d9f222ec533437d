/**
 * OpenAPI 3.1 path entries of the coalition routes (src/api/coalition-routes.ts), built from the same zod schemas that
 * validate the requests. Merge into `openApiDocument().paths` with `...coalitionOpenApiPaths`.
 */
import { jsonResponse as json, queryParams } from './params.ts';
import { CoalitionN1Query, CoalitionShareQuery, CountryQuery, CrmaQuery, DealQuery, RolesQuery } from './coalition-routes.ts';

const jsonOrCsv = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } },
});
const errors = {
  '400': json('invalid input: the message and `field` name the parameter'),
  '404': json('unknown material, country, grouping member or project, or no data for the cell'),
};

export const coalitionOpenApiPaths = {
  '/api/coalition/share': {
    get: {
      summary:
        'share of a stage\'s supply inside a grouping (MSP, G7, EU27, ISO3 list A+B), outside it and unattributed ("rest of world"), per material and year; format=csv for a flat table',
      parameters: queryParams(CoalitionShareQuery),
      responses: { '200': jsonOrCsv('coalition, rows (inside / outside / unallocated shares, members present, gaps, source), missing cells'), ...errors },
    },
  },
  '/api/coalition/n1': {
    get: {
      summary:
        'coalition N-1: supply left if the largest outside supplier, or every non-member, stops exporting (self-sufficiency vs world demand and vs member consumption where known); runs the stress engine',
      parameters: queryParams(CoalitionN1Query),
      responses: { '200': jsonOrCsv('coalition and one result per material with assumptions, gaps and sources'), ...errors },
    },
  },
  '/api/coalition/crma': {
    get: {
      summary:
        'EU Critical Raw Materials Act (Regulation (EU) 2024/1252, Art. 5(1)): 65% single-third-country test per strategic raw material × stage × basis, and the 2030 extraction / processing / recycling benchmarks on stated proxies',
      parameters: queryParams(CrmaQuery),
      responses: { '200': jsonOrCsv('test65 rows with inputs, flags, benchmarks with proxies, notes, gaps, sources'), ...errors },
    },
  },
  '/api/coalition/deal': {
    get: {
      summary:
        '"what if this deal delivers": add a registry project\'s (project=) or an ad-hoc (country, material, stage, tonnes, basis) capacity and compare top-supplier share, HHI, coalition share and N-1 coverage before / after; LCE is converted to lithium content (× 0.1878), other basis mismatches are refused',
      parameters: queryParams(DealQuery),
      responses: { '200': jsonOrCsv('project, series, before, after, change, assumptions, gaps, sources'), ...errors },
    },
  },
  '/api/coalition/roles': {
    get: {
      summary:
        'middle-power roles (producer anchor, processing hub, value-capture climber, corridor convener) derived from the data, with the rule and the evidence per country',
      parameters: queryParams(RolesQuery),
      responses: { '200': jsonOrCsv('parameters, rules, countries with roles and evidence, gaps, sources'), ...errors },
    },
  },
  '/api/country/{iso3}': {
    get: {
      summary:
        'country profile: production shares by material and stage (latest year), IEA projections, memberships, agreements, trade measures, projects, roles',
      parameters: [
        { name: 'iso3', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z]{3}$' }, description: 'ISO3 country code' },
        ...queryParams(CountryQuery),
      ],
      responses: { '200': json('profile'), ...errors },
    },
  },
};
