/**
 * The worked examples of docs/optimisation.md are this test's inputs and expected outputs: it reads each example's JSON
 * block and result table from the doc, runs the engine, and compares. Change a number in the doc and this fails.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optimiseCoordinated, optimiseStockpile } from '../../../src/engine/optimise/stockpile.ts';
import { optimisePortfolio } from '../../../src/engine/optimise/portfolio.ts';
import { optimiseCoalition } from '../../../src/engine/optimise/coalition.ts';

const DOC = readFileSync(new URL('../../../docs/optimisation.md', import.meta.url), 'utf8');

function example(kind: string): any {
  const m = DOC.match(new RegExp(`<!-- example: ${kind} -->\\s*\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``));
  if (!m) throw new Error(`docs/optimisation.md: no example block for ${kind}`);
  return JSON.parse(m[1]);
}
function result(kind: string): Record<string, string> {
  const start = DOC.indexOf(`<!-- result: ${kind} -->`);
  if (start < 0) throw new Error(`docs/optimisation.md: no result table for ${kind}`);
  const rows: Record<string, string> = {};
  for (const line of DOC.slice(start).split('\n').slice(1)) {
    if (!line.startsWith('|')) {
      if (Object.keys(rows).length) break;
      continue;
    }
    const [k, v] = line
      .split('|')
      .slice(1, 3)
      .map((x) => x.trim());
    if (k === 'quantity' || k.startsWith('---')) continue;
    rows[k] = v;
  }
  return rows;
}
const num = (s: string) => Number(s.replace(/,/g, ''));
const close = (actual: number, doc: string) => expect(actual).toBeCloseTo(num(doc), Math.max(0, (doc.split('.')[1] ?? '').length - 1) || 6);

describe('docs/optimisation.md worked examples', { timeout: 60_000 }, () => {
  it('stockpile', async () => {
    const e = example('stockpile');
    const r = await optimiseStockpile(e);
    const want = result('stockpile');
    expect(Object.keys(want)).toHaveLength(4);
    expect(r.materials[0].stockTonnes).toBeCloseTo(num(want['cobalt stock (t)']), 6);
    expect(r.materials[1].stockTonnes).toBeCloseTo(num(want['gallium stock (t)']), 6);
    expect(r.expectedShortfallCostWithout).toBeCloseTo(num(want['expected shortfall cost without stock']), 6);
    expect(r.expectedShortfallCostWith).toBeCloseTo(num(want['expected shortfall cost with stock']), 6);
  });

  it('coordinated', async () => {
    const r = await optimiseCoordinated(example('coordinated'));
    const want = result('coordinated');
    for (const h of r.holders) {
      expect(h.alone.expectedShortfallCost).toBeCloseTo(num(want[`${h.holder} alone`]), 5);
      expect(h.pooled.expectedShortfallCost).toBeCloseTo(num(want[`${h.holder} pooled`]), 5);
    }
    expect(r.gainOfCooperation).toBeCloseTo(num(want['gain of cooperation']), 5);
  });

  it('portfolio', async () => {
    const r = await optimisePortfolio(example('portfolio'));
    const want = result('portfolio');
    expect(r.chosen.join(', ')).toBe(want.chosen);
    expect(r.floorCosts.find((f) => f.option === 'jpn-floor')!.total).toBeCloseTo(num(want['jpn-floor floor cost']), 6);
    expect(r.spent).toBeCloseTo(num(want.spent), 6);
    close(r.valueWithout, want['N-1 coverage before']);
    close(r.value, want['N-1 coverage after']);
  });

  it('coalition', async () => {
    const r = await optimiseCoalition(example('coalition'));
    const want = result('coalition');
    expect(r.partners.join(', ')).toBe(want.partners);
    expect(r.cost).toBe(num(want.cost));
    close(r.coverage[0].before, want['coverage before']);
    close(r.coverage[0].after, want['coverage after']);
  });
});
