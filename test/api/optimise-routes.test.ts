/**
 * Optimisation API: each route answers through the worker pool with the engine's figures; bad input is 400 naming the
 * field, unknown names 404, infeasible problems 422 saying why. Fixture knowledge base (test/api/fixture.ts): cobalt
 * refining 2023 = CHN 170,000 t, FIN 10,000, CAN 4,000, JPN 3,000, other 13,000; demand 180,000 t; MSP = AUS, CAN, FIN, JPN.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { optimiseStockpile } from '../../src/engine/optimise/stockpile.ts';
import { fixtureKb } from './fixture.ts';

const app = createApp(fixtureKb());
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const post = async (path: string, body: unknown) => {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: async (): Promise<Json> => res.json() };
};

const scenarios = {
  materials: ['cobalt', 'nickel'],
  scenarios: [
    { weight: 0.1, shortfallTonnes: [1000, 0], durationDays: 180, label: 'A' },
    { weight: 0.05, shortfallTonnes: [3000, 2000], durationDays: 365, label: 'B' },
  ],
  origin: 'test',
};

describe('POST /api/optimise/*', { timeout: 120_000 }, () => {
  it('stockpile with given scenarios: the engine’s answer, through the worker', async () => {
    const res = await post('/api/optimise/stockpile', { materials: ['Cobalt', 'nickel'], scenarios, budget: 2500, budgetKind: 'tonnes' });
    expect(res.status).toBe(200);
    const body = await res.json();
    const direct = await optimiseStockpile({ scenarios, budget: { kind: 'tonnes', amount: 2500 } });
    expect(body.kind).toBe('stockpile');
    expect(body.scenarios.origin).toBe('test');
    expect(body.result.expectedShortfallCostWith).toBeCloseTo(direct.expectedShortfallCostWith, 6);
    body.result.materials.forEach((m: { stockTonnes: number }, i: number) => expect(m.stockTonnes).toBeCloseTo(direct.materials[i].stockTonnes, 6));
  });

  it('stockpile from the stress-derived stand-in, labelled as such', async () => {
    const res = await post('/api/optimise/stockpile', { materials: ['cobalt'], year: 2023, budget: 5000, holderShare: 0.5, scenarioSource: 'stress' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.scenarios.origin).toBe('stress-derived N-1 stand-in');
    expect(body.scenarios).toMatchObject({ source: 'stress', seed: null });
    expect(body.scenarios.notes[0]).toMatch(/stress-engine stand-in \(scenario source "stress"/);
    expect(body.result.materials[0].stockTonnes).toBeGreaterThan(0);
    expect(body.sources.length).toBeGreaterThan(0);
  });

  it('stockpile from Monte Carlo scenarios by default: source and seed in the answer, the same answer for the same seed', async () => {
    const ask = () => post('/api/optimise/stockpile', { materials: ['cobalt'], year: 2023, budget: 5000, holderShare: 0.5, seed: 11, samples: 300 });
    const res = await ask();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.scenarios).toMatchObject({ source: 'risk', seed: 11, samples: 300 });
    const again = await (await ask()).json();
    expect(again.result).toMatchObject({ expectedShortfallCostWith: body.result.expectedShortfallCostWith, spent: body.result.spent });
    const bad = await post('/api/optimise/stockpile', { materials: ['cobalt'], budget: 10, samples: 20_001 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/samples/);
    const mixed = await post('/api/optimise/stockpile', { materials: ['cobalt'], budget: 10, probability: 0.1 });
    expect(mixed.status).toBe(400);
    expect((await mixed.json()).error).toMatch(/stand-in only/);
  });

  it('coalition: MSP needs China to reach 20% of cobalt refining demand; without China it is infeasible and says why', async () => {
    const ok = await post('/api/optimise/coalition', { bloc: 'MSP', materials: ['cobalt'], year: 2023, target: 0.2 });
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.result.partners.map((p: { countryId: string }) => p.countryId)).toEqual(['CHN']);
    expect(body.result.rows[0].checkedByCoalitionN1).toBeCloseTo(187_000 / 180_000, 12);
    // FIN alone has 10,000 ÷ 180,000 = 5.6%; 7% needs CAN (4,000 t) or JPN (3,000 t): JPN is the cheaper at the stated costs.
    const fin = await (
      await post('/api/optimise/coalition', { bloc: 'FIN', materials: ['cobalt'], year: 2023, target: 0.07, costs: { CAN: 2, JPN: 1, CHN: 5 } })
    ).json();
    expect(fin.result.partners).toEqual([{ countryId: 'JPN', country: 'Japan', cost: 1 }]);
    expect(fin.result.rows[0].after).toBeCloseTo(13_000 / 180_000, 12);
    expect(fin.result.rows[0].checkedByCoalitionN1).toBeCloseTo(fin.result.rows[0].after, 12);
    const no = await post('/api/optimise/coalition', { bloc: 'MSP', materials: ['cobalt'], year: 2023, target: 0.2, exclude: ['CHN'] });
    expect(no.status).toBe(422);
    expect((await no.json()).error).toMatch(/no coalition reaches 20\.0% .*cobalt: 9\.4% with every candidate in/);
  });

  it('coordinated and portfolio answer', async () => {
    const co = await post('/api/optimise/coordinated', {
      materials: ['cobalt', 'nickel'],
      scenarios,
      holders: [
        { id: 'A', shortfallShare: 0.6, budget: 500 },
        { id: 'B', shortfallShare: 0.4, budget: 1500 },
      ],
      sharing: 1,
    });
    expect(co.status).toBe(200);
    const cb = await co.json();
    expect(cb.result.gainOfCooperation).toBeGreaterThanOrEqual(0);
    const pf = await post('/api/optimise/portfolio', {
      materials: ['cobalt'],
      year: 2023,
      objective: 'n1-coverage',
      budget: 10,
      options: [
        { id: 'fin-refinery', kind: 'project', countryId: 'FIN', cost: 6, tonnesPerYear: { cobalt: 20000 } },
        { id: 'chn-offtake', kind: 'offtake', countryId: 'CHN', cost: 2, tonnesPerYear: { cobalt: 50000 } },
        {
          id: 'jpn-floor',
          kind: 'offtake',
          countryId: 'JPN',
          cost: 1,
          tonnesPerYear: { cobalt: 5000 },
          priceFloor: { floorPerTonne: 30000, volumeTonnesPerYear: 5000, years: 5 },
        },
      ],
    });
    expect(pf.status).toBe(200);
    const pb = await pf.json();
    // China is the largest refiner: an offtake there is lost with it under N-1, so the Finnish project is the choice.
    expect(pb.result.chosen).toEqual(['fin-refinery']);
    expect(pb.result.gaps.join(' ')).toMatch(/jpn-floor: no price history/);
  });

  it('bad input: 400 naming the field, 404 for an unknown material, 400 for a zero budget, 422 for infeasible minimum stocks', async () => {
    const bad = await post('/api/optimise/stockpile', { materials: ['cobalt'], budget: -1 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).field).toBe('budget');
    expect((await post('/api/optimise/stockpile', '{not json')).status).toBe(400);
    const unknown = await post('/api/optimise/stockpile', { materials: ['cobolt'], budget: 10 });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatch(/unknown material "cobolt"/);
    const zero = await post('/api/optimise/stockpile', { materials: ['cobalt', 'nickel'], scenarios, budget: 0 });
    expect(zero.status).toBe(400);
    expect((await zero.json()).error).toMatch(/budget is 0/);
    const inf = await post('/api/optimise/stockpile', { materials: ['cobalt', 'nickel'], scenarios, budget: 100, minStock: { cobalt: 80, nickel: 50 } });
    expect(inf.status).toBe(422);
    expect((await inf.json()).error).toMatch(/minimum stocks \(cobalt 80 t, nickel 50 t\) cost 130 t, more than the budget of 100/);
    const money = await post('/api/optimise/stockpile', { materials: ['cobalt', 'nickel'], scenarios, budget: 100, budgetKind: 'money' });
    expect(money.status).toBe(400);
    expect((await money.json()).error).toMatch(/price per tonne .* cobalt, nickel/);
  });
});
