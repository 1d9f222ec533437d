/**
 * The published-figure harness: summary statistics, the cause rule and the rendered text, on a small comparison built
 * here (the EU 2023 comparison on the bundle is asserted in test/engine/criticality/eu-2023-acceptance.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { citeDocument } from '../../src/model/provenance.ts';
import { PUBLISHED_CHECKS } from '../../src/report/published/index.ts';
import { EU_CHECKS } from '../../src/report/published/eu-2023.ts';
import { renderComparison, rowsWithoutCause, summarise } from '../../src/report/published/render.ts';
import type { PublishedComparison } from '../../src/report/published/types.ts';

const doc = { id: 'x', publisher: 'Publisher', edition: 'Edition 2023', locator: 'Table 1', url: null, licence: null };
const comparison = (rows: PublishedComparison['rows']): PublishedComparison => ({
  id: 'demo',
  title: 'Demo table',
  source: citeDocument(doc),
  tolerance: { abs: 0.3, text: '±0.3' },
  rows,
  notes: ['a note'],
});

describe('published comparison summary', () => {
  const c = comparison([
    { key: 'a', published: 1, ours: 1.1, within: true },
    { key: 'b', published: 2, ours: 3, within: false, cause: 'defaults' },
    { key: 'c', published: 1, ours: 0.5, within: false, cause: 'stage' },
    { key: 'd', published: 1, ours: null, within: null, cause: 'not computed' },
  ]);

  it('counts within / comparable and gaps, and MAE and bias over numeric comparable rows', () => {
    const s = summarise(c);
    expect([s.within, s.comparable, s.gaps]).toEqual([1, 3, 1]);
    expect(s.mae).toBeCloseTo((0.1 + 1 + 0.5) / 3, 10);
    expect(s.bias).toBeCloseTo((0.1 + 1 - 0.5) / 3, 10);
    expect(s.worst.map((r) => r.key)).toEqual(['b', 'c']);
  });

  it('a row off or not comparable without a cause is reported', () => {
    expect(rowsWithoutCause(c)).toEqual([]);
    const bad = comparison([{ key: 'e', published: 1, ours: 2, within: false }]);
    expect(rowsWithoutCause(bad).map((r) => r.key)).toEqual(['e']);
    expect(renderComparison(bad)).toMatch(/NO CAUSE GIVEN/);
  });

  it('renders title, source, tolerance, counts, worst rows with causes and gaps', () => {
    const text = renderComparison(c);
    expect(text).toMatch(/== Demo table \[demo\]/);
    expect(text).toMatch(/source: Publisher/);
    expect(text).toMatch(/tolerance: ±0.3/);
    expect(text).toMatch(/within tolerance: 1 \/ 3 comparable \(1 gaps\) {3}MAE 0.53 {3}mean bias 0.20/);
    expect(text).toMatch(/- b: published 2, ours 3 — defaults/);
    expect(text).toMatch(/gaps: d/);
  });

  it('with no numeric rows MAE and bias are absent, not NaN', () => {
    const s = summarise(comparison([{ key: 'f', published: 'true', ours: 'false', within: false, cause: 'x' }]));
    expect([s.mae, s.bias]).toEqual([null, null]);
  });

  it('the harness runs the EU 2023 checks', () => {
    for (const check of EU_CHECKS) expect(PUBLISHED_CHECKS).toContain(check);
  });
});
