/**
 * Summary statistics and the plain-text report of the published-figure comparisons (`npm run check:published`).
 */
import type { DatasetIndex } from '../../engine/dataset.ts';
import type { PublishedCheck, PublishedComparison, PublishedRow } from './types.ts';

export interface PublishedSummary {
  id: string;
  within: number;
  comparable: number;
  gaps: number;
  /** Mean absolute error and mean bias (ours − published) over numeric comparable rows; null when none. */
  mae: number | null;
  bias: number | null;
  worst: PublishedRow[];
}

const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export function summarise(c: PublishedComparison, worstN = 8): PublishedSummary {
  const comparable = c.rows.filter((r) => r.within !== null);
  const numeric = comparable.filter((r) => num(r.ours) && num(r.published));
  const diffs = numeric.map((r) => (r.ours as number) - (r.published as number));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const worst = [...comparable.filter((r) => r.within === false)].sort((a, b) => {
    const d = (r: PublishedRow) => (num(r.ours) && num(r.published) ? Math.abs(r.ours - r.published) : 0);
    return d(b) - d(a);
  });
  return {
    id: c.id,
    within: comparable.filter((r) => r.within === true).length,
    comparable: comparable.length,
    gaps: c.rows.length - comparable.length,
    mae: mean(diffs.map(Math.abs)),
    bias: mean(diffs),
    worst: worst.slice(0, worstN),
  };
}

/** Rows beyond tolerance or not comparable without a cause: the harness treats them as errors. */
export function rowsWithoutCause(c: PublishedComparison): PublishedRow[] {
  return c.rows.filter((r) => r.within !== true && !r.cause);
}

const f2 = (x: number | null) => (x === null ? '—' : x.toFixed(2));

export function renderComparison(c: PublishedComparison, opts: { worst?: number; all?: boolean } = {}): string {
  const s = summarise(c, opts.worst ?? 8);
  const lines = [
    `== ${c.title} [${c.id}]`,
    `   source: ${c.source.text}`,
    `   tolerance: ${c.tolerance.text}`,
    `   within tolerance: ${s.within} / ${s.comparable} comparable (${s.gaps} gaps)   MAE ${f2(s.mae)}   mean bias ${f2(s.bias)}`,
  ];
  const shown = opts.all ? c.rows.filter((r) => r.within !== true) : s.worst;
  if (shown.length) lines.push(opts.all ? '   rows beyond tolerance or not comparable:' : '   worst rows:');
  for (const r of shown) lines.push(`   - ${r.key}: published ${r.published ?? '—'}, ours ${r.ours ?? '—'} — ${r.cause ?? 'NO CAUSE GIVEN'}`);
  if (!opts.all) {
    const gaps = c.rows.filter((r) => r.within === null);
    if (gaps.length) lines.push(`   gaps: ${gaps.map((r) => r.key).join(', ')}`);
  }
  for (const n of c.notes) lines.push(`   note: ${n}`);
  return lines.join('\n');
}

/** Runs every check on the index and renders them; `missingCauses` counts rows that lack a required cause. */
export async function renderPublishedReport(
  index: DatasetIndex,
  checks: PublishedCheck[],
  opts: { worst?: number; all?: boolean } = {},
): Promise<{ text: string; comparisons: PublishedComparison[]; missingCauses: number }> {
  const comparisons: PublishedComparison[] = [];
  for (const check of checks) comparisons.push(await check(index));
  const text = comparisons.map((c) => renderComparison(c, opts)).join('\n\n');
  const missingCauses = comparisons.reduce((a, c) => a + rowsWithoutCause(c).length, 0);
  return { text, comparisons, missingCauses };
}
