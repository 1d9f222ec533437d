import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { apiErrorResponse } from '../../../src/api/app.ts';
import { criticalityRoutes } from '../../../src/api/criticality-routes.ts';
import { readDeps } from '../../../src/api/deps.ts';
import { DatasetIndex } from '../../../src/engine/dataset.ts';
import type { Observation } from '../../../src/model/schema.ts';
import { EU_USE_SHARES, printReport } from '../../../src/cli/criticality.ts';
import { CRITICALITY_CSV_COLUMNS, runCriticality } from '../../../src/engine/criticality/index.ts';

const o = (countryId: string, measure: Observation['measure'], value: number): Observation => ({
  materialId: 'gallium',
  stage: 'refining',
  measure,
  countryId,
  year: 2023,
  value,
  unit: 'fraction',
  basis: 'ratio',
  status: 'reported',
  estimated: false,
  scenario: null,
  sector: null,
  detail: 'global',
  note: null,
  sourceId: 'eu-crm-2023',
});
const index = new DatasetIndex({
  observations: [
    o('CHN', 'supply_share', 0.9),
    o('CHN', 'trade_variable_t', 1),
    o('JPN', 'supply_share', 0.1),
    o('JPN', 'trade_variable_t', 1),
    // a production row of 2020 (another source): the EU method for the EU must not fall back to it
    { ...o('CHN', 'production', 300), year: 2020, unit: 't', basis: 'contained', detail: null, sourceId: 'usgs-test' },
  ],
  sources: new Map([
    [
      'eu-crm-2023',
      {
        id: 'eu-crm-2023',
        dataset: 'eu-crm',
        editionYear: 2023,
        publisher: 'EC',
        title: 't',
        edition: '2023',
        table: null,
        licence: 'CC BY 4.0',
        url: null,
        file: null,
        caveat: null,
      },
    ],
    [
      'usgs-test',
      {
        id: 'usgs-test',
        dataset: 'usgs-world',
        editionYear: 2022,
        publisher: 'USGS',
        title: 't',
        edition: 'MCS2022',
        table: null,
        licence: 'public domain',
        url: null,
        file: null,
        caveat: null,
      },
    ],
  ]),
  governance: [],
  groupings: [],
});
const app = new Hono();
app.onError(apiErrorResponse); // the API's own mapping of errors
app.route('/api', criticalityRoutes(readDeps(() => index)));

describe('GET /api/criticality', () => {
  it('returns the report as JSON, with WGI defaults named', async () => {
    const res = await app.request('/api/criticality?method=all&as=KOR&year=2023&samples=20');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { assessor: { id: string }; eu: Array<{ messages: string[] }> };
    expect(body.assessor.id).toBe('KOR');
    expect(body.eu[0].messages.join(' ')).toMatch(/no WGI for CHN/);
    expect(JSON.stringify(body)).not.toMatch(/NaN/);
  });
  it('CSV', async () => {
    const res = await app.request('/api/criticality?as=EU&format=csv');
    expect(res.status).toBe(200);
    expect((await res.text()).split('\n')[0]).toMatch(/^material,eu_sr/);
  });
  it('CSV: the API and the CLI give the same header and the same rows for the same query', async () => {
    for (const [as, method] of [
      ['EU', 'all'],
      ['USA', 'all'],
      ['KOR', 'geopolrisk'],
    ] as const) {
      const api = await (await app.request(`/api/criticality?method=${method}&as=${as}&year=2023&samples=20&seed=3&format=csv`)).text();
      const out: string[] = [];
      printReport((s) => out.push(s), runCriticality(index, { method, as, year: 2023, samples: 20, seed: 3, uses: EU_USE_SHARES }), 'csv', false);
      const cli = out.join('\n') + '\n';
      expect(api.split('\n')[0]).toBe(CRITICALITY_CSV_COLUMNS.join(','));
      expect(cli.split('\n')[0]).toBe(api.split('\n')[0]);
      expect(cli).toBe(api);
      expect(api.trim().split('\n')).toHaveLength(2); // header + gallium
    }
    expect(CRITICALITY_CSV_COLUMNS).toEqual(
      expect.arrayContaining(['usgs_dp', 'usgs_te', 'rank_eu', 'rank_geopolrisk', 'spread', 'driver', 'on_official_eu_2023_list', 'defaulted', 'messages']),
    );
  });
  it('400 / 404 naming the field', async () => {
    expect((await app.request('/api/criticality?method=foo')).status).toBe(400);
    const bad = await app.request('/api/criticality?as=Atlantis');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe('as');
    expect((await app.request('/api/criticality?material=unobtainium')).status).toBe(404);
    expect((await app.request('/api/criticality?year=1995')).status).toBe(404);
  });
  it('the EU method for the EU in a year without EU CRM tables: 404 naming the year, not a silent switch to other data', async () => {
    const res = await app.request('/api/criticality?method=eu&as=EU&year=2020');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { field: string; error: string };
    expect(body.field).toBe('year');
    expect(JSON.stringify(body)).toMatch(/EU CRM assessment tables of 2020/);
  });
});
