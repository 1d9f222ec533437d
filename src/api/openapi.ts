/** OpenAPI 3.1 document, generated from the same zod schemas that validate requests, and a browsable HTML rendering at /docs. */
import { ConcentrationAllQuery, ConcentrationQuery, ExportQuery, FlowsQuery, OverviewQuery, PricesQuery, ReportQuery, SeriesPanelQuery } from './app.ts';
import { N1Query, StressQuery, StressSupplyQuery } from './stress-routes.ts';
import { DemandCoverQuery, DemandQuery } from './demand-routes.ts';
import { CriticalityQuery, CriticalityYearsQuery } from './criticality-routes.ts';
import { RiskQuery } from './risk-routes.ts';
import { coalitionOpenApiPaths } from './coalition-openapi.ts';
import { optimiseOpenApiPaths } from './optimise-openapi.ts';
import { AlertsQuery, MeasureScenarioQuery, RegistryListQuery, TimelineQuery } from './registry-routes.ts';
import { DealsQuery, SearchQuery } from './search-routes.ts';
import { jsonResponse as json, queryParams } from './params.ts';
import { ImporterQuery, ImportersQuery } from './importer-routes.ts';

const errors = { '400': json('invalid input: the message names the field'), '404': json('unknown material or no data') };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'material id or any alias' };
const pathParam = (name: string, description: string, values?: string[]) => ({
  name,
  in: 'path',
  required: true,
  schema: values ? { type: 'string', enum: values } : { type: 'string' },
  description,
});
const kindParam = pathParam('kind', 'record kind', ['measures', 'agreements', 'projects']);
const recordParam = pathParam('id', 'registry record id');
const jsonBody = (description: string) => ({ required: true, description, content: { 'application/json': { schema: { type: 'object' } } } });
const readOnly = { '405': json('read-only knowledge base (no store): edits are not possible') };
/** JSON by default, or the result's table as CSV or XLSX (format=csv|xlsx). */
const tableOrJson = (description: string) => ({
  description,
  content: {
    'application/json': { schema: { type: 'object' } },
    'text/csv': { schema: { type: 'string' } },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
  },
});
const download = (types: string[]) => ({
  description: 'file download',
  content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
});

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chokepoint API',
      version: '0.1.0',
      description:
        'Critical-minerals supply concentration, profiles, flows, stress tests, exports and briefings. Every figure carries its source (publisher, edition, table), unit and basis. Bad input gets 400 with a message naming the field.',
    },
    paths: {
      '/api/health': {
        get: {
          summary:
            'liveness and dataset size, and data as of: the newest edition of each loaded dataset, the latest historical year observed and when the store last recorded an import',
          responses: { '200': json('ok, observations, sources, materials, dataAsOf') },
        },
      },
      '/api/materials': { get: { summary: 'materials with data, their stages and years', responses: { '200': json('materials') } } },
      '/api/materials/{id}': {
        get: {
          summary: 'material profile: stages, top producers, reserves, trend, net import reliance, demand, sources',
          parameters: [idParam],
          responses: { '200': json('profile'), ...errors },
        },
      },
      '/api/materials/{id}/prices': {
        get: {
          summary:
            'annual price series of a material (USGS salient statistics): unit, basis, market, newest edition per year with revisions, y/y change, rolling range',
          parameters: [idParam, ...queryParams(PricesQuery)],
          responses: {
            '200': tableOrJson('materialId, window, series (years, sources, summary), method, gaps; format=csv|xlsx: one row per series and year'),
            ...errors,
          },
        },
      },
      '/api/materials/{id}/flows': {
        get: {
          summary: 'mine → refine → end-use flows (Sankey); refiners draw on world mine supply pro rata after domestic ore',
          parameters: [idParam, ...queryParams(FlowsQuery)],
          responses: { '200': json('nodes, links, assumptions, sources'), ...errors },
        },
      },
      '/api/concentration': {
        get: {
          summary: 'concentration of one material at one stage and year (format=csv for the country shares)',
          parameters: queryParams(ConcentrationQuery),
          responses: { '200': json('concentration row with country shares'), ...errors },
        },
      },
      '/api/concentration/all': {
        get: {
          summary: 'concentration of every material at a stage',
          parameters: queryParams(ConcentrationAllQuery),
          responses: { '200': json('rows'), ...errors },
        },
      },
      '/api/concentration/series': {
        get: {
          summary:
            'what each source says: every published series (publisher, basis, scenario) of a stage, with HHI, top-3 and gross N-1; rank 1 is the series headlines use (format=csv)',
          parameters: queryParams(SeriesPanelQuery),
          responses: { '200': json('stage, notes, rows'), ...errors },
        },
      },
      '/api/overview': {
        get: {
          summary: 'every material, mining and refining side by side (HHI, top-3, largest supplier, China share, change)',
          parameters: queryParams(OverviewQuery),
          responses: { '200': json('table'), ...errors },
        },
      },
      '/api/export': {
        get: {
          summary: 'download a table as CSV or XLSX (table=material: every table of a material, XLSX)',
          parameters: queryParams(ExportQuery),
          responses: { '200': download(['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']), ...errors },
        },
      },
      '/api/report/{id}': {
        get: {
          summary: 'material briefing with charts, tables and sources (md, html, or pdf when chromium is installed)',
          parameters: [idParam, ...queryParams(ReportQuery)],
          responses: {
            '200': download(['text/markdown', 'text/html', 'application/pdf']),
            ...errors,
            '503': json(
              'format=pdf only: chromium not installed; or the PDF line is full (1 rendering + 2 waiting: Retry-After header, error names the limit); or a render passed its 60 s budget',
            ),
          },
        },
      },
      '/api/stress': {
        get: {
          summary: 'stress test: remove countries or groupings (or the largest supplier) at a stage and year',
          parameters: queryParams(StressQuery),
          responses: { '200': json('stress report: coverage, shortfall, price range, days of cover, assumptions, sources'), ...errors },
        },
        post: {
          summary:
            'stress test from a version-1 scenario document (the same JSON/YAML the CLI reads); at most 250 shock.exclude entries, 500 flow rules, stockpile ≤ 3650 days or 1e10 t, body ≤ 2 MB',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { '200': json('stress report'), ...errors },
        },
      },
      '/api/stress/supply': {
        get: {
          summary: "the supply series (with shares) the stress engine uses for a cell: the dashboard's supplier chips",
          parameters: queryParams(StressSupplyQuery),
          responses: { '200': json('dataset, reason, concentration row'), ...errors },
        },
      },
      '/api/stress/n1': {
        get: {
          summary:
            "N-1 sweep: coverage without the largest supplier, vs world demand and netted (IEA-style: demand on the supply's basis less the removed country's own use, with its range and source)",
          parameters: queryParams(N1Query),
          responses: { '200': tableOrJson('rows; format=csv|xlsx: the table chokepoint stress --n1 --all --format csv prints'), ...errors },
        },
      },
      '/api/demand': {
        get: {
          summary: 'consumption by country × material × year: apparent consumption or sourced allocation, with basis, range and sources, or the gap',
          parameters: queryParams(DemandQuery),
          responses: { '200': tableOrJson('rows; format=csv|xlsx: the table chokepoint demand --format csv prints'), ...errors },
        },
      },
      '/api/demand/cover': {
        get: {
          summary:
            'stockpile days of cover under N-1 for holders (default JPN, KOR, DEU, EU27, USA) on the six IEA minerals, with holder consumption and its source',
          parameters: queryParams(DemandCoverQuery),
          responses: { '200': tableOrJson('rows; format=csv|xlsx: the table chokepoint demand cover --format csv prints'), ...errors },
        },
      },
      '/api/importer/{id}': {
        get: {
          summary:
            'importer exposure of a country (ISO3) or a bloc (EU27 …) by material × stage: consumption, imports by supplier (customs; a bloc counts extra-bloc trade only; a labelled proxy where no customs data is loaded), import dependence, indirect exposure through processing hubs, registry measures with status, and the stress test to run (format=csv for one row per material × stage)',
          parameters: [pathParam('id', 'ISO3 country code or grouping id, e.g. DEU or EU27'), ...queryParams(ImporterQuery)],
          responses: { '200': json('importer, members, rows, gaps, sources'), ...errors },
        },
      },
      '/api/importers': {
        get: {
          summary:
            'every importer of one material at one stage from the customs data loaded (BACI, Comtrade): imports (customs product weight), top suppliers, the share from one supplier (default the largest producer), own production, and GeoPolRisk per importer; importers with imports but no usable year listed as gaps (format=csv|xlsx for the table chokepoint importers prints)',
          parameters: queryParams(ImportersQuery),
          responses: { '200': tableOrJson('materialId, stage, year, supplier, rows, gaps, notes'), ...errors },
        },
      },
      '/api/sources': {
        get: {
          summary: 'loaded sources with editions, licences and row counts, and the curated documents the methods cite',
          responses: { '200': json('sources, documents') },
        },
      },
      '/api/criticality': {
        get: {
          summary:
            'criticality by the EU JRC, DOE 2023-style, USGS 2022-style and GeoPolRisk methods for an assessing country or bloc, with every input, its status and source (format=csv for one row per material)',
          parameters: queryParams(CriticalityQuery),
          responses: { '200': json('results per method, comparison, defaults, messages'), ...errors },
        },
      },
      '/api/criticality/years': {
        get: {
          summary:
            'the years with criticality results per method for an assessor (materials scored by each), the default year a view opens on and the rule that picks it, and the methods with no result in any loaded year',
          parameters: queryParams(CriticalityYearsQuery),
          responses: { '200': json('years, defaultYear, rule, noResults'), ...errors },
        },
      },
      '/api/risk': {
        get: {
          summary:
            'Monte Carlo over export-control disruptions for materials or a basket (battery, magnet, defence): shortfall distributions (mean, p50–p99, CVaR 95%), days short, price percentiles, by stage, country and sector, and the likelihood of every unit (prior, evidence, posterior, range). Model: docs/risk.md',
          parameters: queryParams(RiskQuery),
          responses: { '200': json('risk report'), ...errors, '503': json('too many runs waiting, or the run exceeded its time budget') },
        },
        post: {
          summary: 'Monte Carlo from a risk scenario document (kind: risk, version 1; the same JSON/YAML the CLI reads); samples ≤ 200,000, body ≤ 2 MB',
          requestBody: jsonBody('risk scenario document'),
          responses: { '200': json('risk report'), ...errors, '503': json('too many runs waiting, or the run exceeded its time budget') },
        },
      },
      '/api/risk/compare': {
        post: {
          summary: 'two to five risk scenario documents side by side (the first is the baseline): { scenarios: [doc, …] } → comparison rows and the reports',
          requestBody: jsonBody('{ scenarios: [risk scenario document, …] }'),
          responses: { '200': json('comparison and reports'), ...errors, '503': json('too many runs waiting, or the run exceeded its time budget') },
        },
      },
      '/api/registry/{kind}': {
        get: {
          summary: 'registry records (measures, agreements, projects) with their sources, filtered by material (groups included) and country',
          parameters: [kindParam, ...queryParams(RegistryListQuery)],
          responses: { '200': json('records'), ...errors },
        },
      },
      '/api/registry/{kind}/{id}': {
        get: { summary: 'one registry record with its source', parameters: [kindParam, recordParam], responses: { '200': json('record'), ...errors } },
        delete: {
          summary: 'remove a user-entered record (imported records cannot be removed: override them)',
          parameters: [kindParam, recordParam],
          responses: { '200': json('removed'), ...errors, ...readOnly },
        },
      },
      '/api/registry': {
        post: {
          summary: 'add or replace user records ({agreements?, measures?, projects?}); validated like an imported registry file, all or nothing',
          requestBody: jsonBody('registry records without sourceId'),
          responses: { '201': json('added'), ...errors, ...readOnly },
        },
      },
      '/api/registry/measures/{id}/scenario': {
        get: {
          summary: 'the stress-test scenario a trade measure implies, and the dashboard URL that runs it',
          parameters: [recordParam, ...queryParams(MeasureScenarioQuery)],
          responses: { '200': json('scenario, notes, stressUrl'), ...errors },
        },
      },
      '/api/registry/measures/{id}/stress': {
        get: {
          summary: 'run the stress test a trade measure implies (one step from measure to result)',
          parameters: [recordParam, ...queryParams(MeasureScenarioQuery)],
          responses: { '200': json('scenario, notes, stress report'), ...errors },
        },
      },
      '/api/timeline': {
        get: {
          summary: 'dated trade measures and agreements, oldest first, with sources',
          parameters: queryParams(TimelineQuery),
          responses: { '200': json('events'), ...errors },
        },
      },
      '/api/search': {
        get: {
          summary: 'global search: materials, countries, groupings, trade measures, agreements, projects and analysis pages, best match first',
          parameters: queryParams(SearchQuery),
          responses: { '200': json('hits'), ...errors },
        },
      },
      '/api/deals': {
        get: {
          summary: "a grouping's deals (e.g. group=MSP): agreements founding, running or naming it, and the projects linked to them, with sources",
          parameters: queryParams(DealsQuery),
          responses: { '200': json('members, agreements, projects'), ...errors },
        },
      },
      '/api/alerts': {
        get: {
          summary: 'alert feed (active, or all with all=true), with sources',
          parameters: queryParams(AlertsQuery),
          responses: { '200': json('alerts'), ...errors },
        },
      },
      '/api/alerts/rules': {
        get: { summary: 'alert rules', responses: { '200': json('rules') } },
        post: {
          summary: 'add or replace an alert rule (kinds: concentration_rise, new_measure, coverage_below, indicator, price_move) and evaluate it',
          requestBody: jsonBody('alert rule'),
          responses: { '201': json('rule and its alerts'), ...errors, ...readOnly },
        },
      },
      '/api/alerts/rules/{id}': {
        delete: {
          summary: 'delete a rule and its alerts',
          parameters: [pathParam('id', 'rule id')],
          responses: { '200': json('removed'), ...errors, ...readOnly },
        },
      },
      ...coalitionOpenApiPaths,
      ...optimiseOpenApiPaths,
      '/api/alerts/evaluate': { post: { summary: 'evaluate every rule now', responses: { '200': json('evaluation'), ...readOnly } } },
    },
  };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

/** Browsable API docs, rendered server-side from the OpenAPI document (no CDN, works offline). */
export function docsHtml(): string {
  const doc = openApiDocument();
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(
      methods as Record<string, { summary: string; parameters?: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }> }>,
    ).map(([method, op]) => ({ path, method, op })),
  );
  const describe = (s: Record<string, unknown>): string => {
    if (Array.isArray(s.enum)) return s.enum.map(String).join(' | ');
    const parts = [String(s.type ?? 'string')];
    if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`);
    if (s.maximum !== undefined) parts.push(`≤ ${s.maximum}`);
    if (s.maxLength !== undefined) parts.push(`≤ ${s.maxLength} characters`);
    if (s.pattern) parts.push(`pattern ${s.pattern}`);
    if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
    return parts.join(', ') + (s.description ? ` (${s.description})` : '');
  };
  const body = ops
    .map(
      ({ path, method, op }) =>
        `<section><h2><span class="m">${method.toUpperCase()}</span> <code>${esc(path)}</code></h2><p>${esc(op.summary)}</p>${
          op.parameters?.length
            ? `<table><caption>Parameters of ${method.toUpperCase()} ${esc(path)}</caption><thead><tr><th scope="col">name</th><th scope="col">in</th><th scope="col">required</th><th scope="col">schema</th></tr></thead><tbody>${op.parameters
                .map(
                  (p) =>
                    `<tr><th scope="row"><code>${esc(p.name)}</code></th><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td>${esc(describe(p.schema))}</td></tr>`,
                )
                .join('')}</tbody></table>`
            : ''
        }${method === 'get' && !path.includes('{') ? `<p><a href="${esc(path)}">try ${esc(path)}</a></p>` : ''}</section>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Chokepoint API docs</title><style>
body{font:14px/1.5 system-ui,sans-serif;max-width:960px;margin:24px auto;padding:0 16px;color:#1a1a1a}h1{font-size:24px}h2{font-size:16px;margin:20px 0 4px}
.m{display:inline-block;min-width:44px;background:#1f5f8b;color:#fff;border-radius:3px;padding:0 6px;font-size:12px;text-align:center}
table{border-collapse:collapse;width:100%}caption{text-align:left;color:#555;font-size:12px}th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left}section{border-top:1px solid #eee}
a{color:#1f5f8b}</style></head><body><h1>Chokepoint API</h1><p>${esc(doc.info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> · Dashboard: <a href="/">/</a></p>${body}</body></html>`;
}
