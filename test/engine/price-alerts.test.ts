import { describe, expect, it } from 'vitest';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { evaluateRule } from '../../src/engine/alerts.ts';
import { AlertRuleSchema, type AlertRuleInput } from '../../src/model/alerts.ts';
import { GROUPINGS, OBSERVATIONS, PRICES, SOURCES } from '../api/fixture.ts';

// cobalt spot price (USD/lb, MCS2025): 15.7, 24.21, 30.78, 17.2, 17 for 2020-2024
const index = new DatasetIndex({
  observations: OBSERVATIONS,
  sources: new Map(SOURCES.map((s) => [s.id, s])),
  governance: [],
  groupings: GROUPINGS,
  prices: PRICES,
});
const rule = (r: AlertRuleInput) => AlertRuleSchema.parse(r);

describe('price_move alert rule', () => {
  it('fires on the latest year-on-year move only when it reaches the threshold in the asked direction', () => {
    // 2024: 17 / 17.2 - 1 = -1.2 %
    expect(evaluateRule(index, rule({ id: 'p1', kind: 'price_move', percent: 1 }))).toHaveLength(1);
    expect(evaluateRule(index, rule({ id: 'p2', kind: 'price_move', percent: 2 }))).toHaveLength(0);
    expect(evaluateRule(index, rule({ id: 'p3', kind: 'price_move', percent: 1, direction: 'up' }))).toHaveLength(0);
    // 2023: 17.2 / 30.78 - 1 = -44.1 %
    const [a] = evaluateRule(index, rule({ id: 'p4', kind: 'price_move', percent: 40, direction: 'down', year: 2023, materials: ['cobalt'] }));
    expect(a.value).toBeCloseTo(17.2 / 30.78 - 1, 10);
    expect(a.title).toBe('Cobalt price (Spot): -44% in 2023');
    expect(a.detail).toMatch(/Basis: Cobalt, Spot .*Price_Spot_dlb/);
    expect(a.sourceIds).toEqual(['usgs-mcs-2025-salient']);
    expect(a.key).toBe('p4|cobalt|Spot|USD/lb|yoy|2023');
    expect(evaluateRule(index, rule({ id: 'p5', kind: 'price_move', percent: 45, year: 2023 }))).toHaveLength(0);
  });

  it('rolling range: (max - min) / min over the window ending at the latest year', () => {
    // 2022-2024: (30.78 - 17) / 17 = 81 %
    const [r] = evaluateRule(index, rule({ id: 'r1', kind: 'price_move', measure: 'rolling_range', percent: 80 }));
    expect(r.value).toBeCloseTo((30.78 - 17) / 17, 10);
    expect(evaluateRule(index, rule({ id: 'r2', kind: 'price_move', measure: 'rolling_range', percent: 82 }))).toHaveLength(0);
    // a material without prices raises nothing
    expect(evaluateRule(index, rule({ id: 'r3', kind: 'price_move', percent: 1, materials: ['nickel'] }))).toHaveLength(0);
  });

  it('refuses a rule without a positive threshold', () => {
    expect(AlertRuleSchema.safeParse({ id: 'bad', kind: 'price_move', percent: 0 }).success).toBe(false);
    expect(AlertRuleSchema.safeParse({ id: 'bad', kind: 'price_move' }).success).toBe(false);
  });
});
