/**
 * The stress query (src/scenario/query.ts) is the one flat form of a run used by the dashboard URL, GET /api/stress and
 * every "Stress test" link. Round trip: scenario → query → API → the same scenario; the query writes every default out;
 * filling defaults into a full query changes nothing; and the defaults are the schema's and the engine's.
 */
import { describe, expect, it } from 'vitest';
import { STRESS_DEFAULTS, STRESS_QUERY_KEYS, stressHref, stressQuery, stressQueryDefaults, stressQueryString, stressRun } from '../../src/scenario/query.ts';
import { scenarioFromFlags } from '../../src/scenario/run.ts';
import { validateScenario } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/schema.ts';
import { galliumStressApp } from './gallium-app.ts';

const app = galliumStressApp();

const SCENARIOS: Scenario[] = [
  validateScenario(scenarioFromFlags({ material: 'gallium', year: 2024, exclude: ['CHN'] })),
  validateScenario(
    scenarioFromFlags({
      material: 'gallium',
      year: 2024,
      n1: true,
      exclude: ['RUS'],
      mode: 'outage',
      fraction: 0.333,
      months: 6,
      stockpileTonnes: 50,
      holder: 'JPN',
    }),
  ),
  validateScenario(
    scenarioFromFlags({
      material: 'gallium',
      stage: 'refining',
      year: 2024,
      exclude: ['CHN', 'RUS'],
      stockpileDays: 0,
      demandScenario: 'APS',
      demandScope: 'primary',
      tradeYear: 2022,
      dataset: 'usgs-mcs',
    }),
  ),
  validateScenario(scenarioFromFlags({ material: 'gallium', year: 2024, exclude: ['CHN'], stockpilePolicy: 'high-risk-180' })),
];

describe('stress query', () => {
  it('writes every input out, defaults included', () => {
    const q = stressQuery(SCENARIOS[0]);
    expect(q).toEqual({
      material: 'gallium',
      stage: 'refining',
      year: '2024',
      exclude: 'CHN',
      mode: 'export_ban',
      fraction: '1',
      months: '12',
      stockpilePolicy: 'japan-60',
      holder: 'world',
      demandScenario: 'STEPS',
    });
    expect(stressHref(SCENARIOS[0])).toBe(
      '#/stress?material=gallium&stage=refining&year=2024&exclude=CHN&mode=export_ban&fraction=1&months=12&stockpilePolicy=japan-60&holder=world&demandScenario=STEPS',
    );
    expect(stressQuery(stressRun({ material: 'gallium', year: 2024, exclude: ['CHN'] }))).toEqual(q);
    for (const s of SCENARIOS) expect(stressQueryDefaults(stressQuery(s))).toEqual(stressQuery(s));
  });

  it('fills the same defaults as the scenario schema and the API', () => {
    const parsed = validateScenario({ version: 1, material: 'gallium', year: 2024, shock: { exclude: ['CHN'] } });
    expect(parsed.stage).toBe(STRESS_DEFAULTS.stage);
    expect(parsed.demandScenario).toBe(STRESS_DEFAULTS.demandScenario);
    expect(parsed.shock).toEqual({ exclude: ['CHN'], mode: STRESS_DEFAULTS.mode, fraction: STRESS_DEFAULTS.fraction, durationMonths: STRESS_DEFAULTS.months });
    expect(stressQueryDefaults({ material: 'gallium', year: '2024', exclude: 'CHN' })).toEqual(stressQuery(SCENARIOS[0]));
    // an amount replaces the default policy; it is not added to it
    expect(stressQueryDefaults({ material: 'gallium', year: '2024', exclude: 'CHN', stockpileDays: '0' }).stockpilePolicy).toBeUndefined();
  });

  it('round trip: scenario → query → GET /api/stress → the same scenario (the stockpile default made explicit)', async () => {
    for (const s of SCENARIOS) {
      const qs = stressQueryString(stressQuery(s));
      expect(qs.split('&').map((kv) => kv.split('=')[0])).toEqual(STRESS_QUERY_KEYS.filter((k) => qs.includes(`${k}=`)));
      const r = await app.request(`/api/stress?${qs}`);
      expect(r.status, qs).toBe(200);
      const ran = ((await r.json()) as { scenario: Scenario }).scenario;
      const expected = {
        ...s,
        stockpile: { ...(s.stockpile ?? { policy: STRESS_DEFAULTS.stockpilePolicy }), holder: s.stockpile?.holder ?? STRESS_DEFAULTS.holder },
      };
      expect(ran).toEqual(expected);
      expect(stressQuery(ran)).toEqual(stressQuery(s));
    }
  });

  it('two stockpile inputs at once are refused, naming the field', async () => {
    const r = await app.request('/api/stress?material=gallium&year=2024&exclude=CHN&stockpileDays=30&stockpilePolicy=japan-60');
    expect(r.status).toBe(400);
    expect(((await r.json()) as { field: string }).field).toBe('stockpilePolicy');
  });

  it("the supplier chips get the stress engine's series, shares by the one function", async () => {
    const r = await app.request('/api/stress/supply?material=gallium&stage=refining&year=2024');
    expect(r.status).toBe(200);
    const body = (await r.json()) as { row: { shares: Array<{ countryId: string; share: number }> } };
    const run = (await (await app.request(`/api/stress?${stressQueryString(stressQuery(SCENARIOS[0]))}`)).json()) as {
      excluded: Array<{ countryId: string; share: number }>;
    };
    expect(body.row.shares[0].countryId).toBe('CHN');
    expect(body.row.shares[0].share).toBe(run.excluded[0].share);
  });
});
