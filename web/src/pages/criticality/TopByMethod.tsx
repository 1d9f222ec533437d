/**
 * "Most critical material by each method, and why do they disagree?": for every method of the run, the material ranked
 * first, with the tie-breaking rule stated and applied, the materials sharing first place, and for the one named the
 * inputs that drive each method's score (fetched as that material's detail: the same run as the table).
 */
import { useState } from 'react';
import { useApi, qs } from '../../api.ts';
import { fixed } from '../../format.ts';
import type { ComparisonRow, Method } from '../../../../src/engine/criticality/index.ts';
import { METHOD_NAME, isNum, type CriticalityDetail, type CriticalityResponse } from './common.ts';
import { DriversList, methodDrivers } from './Why.tsx';

export const TIE_BREAK_RULE =
  'Materials with the same score share the rank (1 = most critical). Among those sharing first place, the one named is the one with the best (lowest) mean rank over the other methods that rank it; materials no other method ranks come after; then alphabetical order.';

/** The score each method ranks by (the table's columns). */
export const methodScore = (c: ComparisonRow, m: Method): number | null =>
  m === 'eu' ? (c.eu?.sr ?? null) : m === 'doe' ? (c.doe?.supplyRisk ?? null) : m === 'usgs' ? (c.usgs?.partialScore ?? null) : (c.geopolrisk?.score ?? null);

const SCORE_NAME: Record<Method, string> = { eu: 'SR', doe: 'supply risk (short term)', usgs: 'DP·TE', geopolrisk: 'score' };
const SCORE_DIGITS: Record<Method, number> = { eu: 2, doe: 1, usgs: 2, geopolrisk: 3 };

export interface Top {
  method: Method;
  /** The material named first after the tie-break; null when the method ranks nothing. */
  first: ComparisonRow | null;
  /** Every material sharing rank 1, in tie-break order (first included). */
  tied: ComparisonRow[];
}

/** Rank-1 materials of a method, ordered by TIE_BREAK_RULE. */
export function topOf(r: CriticalityResponse, m: Method): Top {
  const others = r.methods.filter((x) => x !== m);
  const meanOther = (c: ComparisonRow): number => {
    const rs = others.map((x) => c.ranks[x]).filter(isNum);
    return rs.length ? rs.reduce((a, b) => a + b, 0) / rs.length : Infinity;
  };
  const tied = r.comparison.filter((c) => c.ranks[m] === 1).sort((a, b) => meanOther(a) - meanOther(b) || a.material.localeCompare(b.material));
  return { method: m, first: tied[0] ?? null, tied };
}

function Why({ id, apiParams }: { id: string; apiParams: Record<string, string | null> }) {
  const res = useApi<CriticalityDetail>(`api/criticality${qs({ ...apiParams, detail: id })}`);
  if (res.state === 'loading') return <span className="muted small">loading the inputs…</span>;
  if (res.state === 'error') return <span role="alert">{res.error}</span>;
  const row = res.data.comparison.find((c) => c.materialId === id);
  return <DriversList items={methodDrivers(res.data, id)} ranks={row?.ranks} />;
}

/**
 * The drivers of one material, fetched when opened: the first method's material opens with the page (one request beside
 * the summary), the others on demand, so the page's first load stays small.
 */
function WhyDetails({ row, apiParams, open }: { row: ComparisonRow; apiParams: Record<string, string | null>; open: boolean }) {
  const [shown, setShown] = useState(open);
  return (
    <details open={open} onToggle={(e) => setShown((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>What drives each method’s score for {row.material}</summary>
      {row.driver && <p className="small">Largest difference between the methods’ ranks: {row.driver}.</p>}
      {shown && <Why id={row.materialId} apiParams={apiParams} />}
    </details>
  );
}

export function TopByMethod({ r, apiParams, onShow }: { r: CriticalityResponse; apiParams: Record<string, string | null>; onShow: (id: string) => void }) {
  const tops = r.methods.map((m) => topOf(r, m));
  // The same material first by several methods: its drivers are shown once, at its first mention.
  const firstMention = new Map<string, Method>();
  for (const t of tops) if (t.first && !firstMention.has(t.first.materialId)) firstMention.set(t.first.materialId, t.method);
  const openFor = tops.find((t) => t.first)?.method;
  return (
    <section className="panel" aria-labelledby="crit-top-title" data-testid="crit-top">
      <h3 id="crit-top-title">
        Most critical for {r.assessor.label}, {r.year}, by each method — and why they disagree
      </h3>
      <p className="muted small" data-testid="tie-break-rule">
        Tie-break: {TIE_BREAK_RULE}
      </p>
      <ul className="top-list">
        {tops.map((t) => (
          <li key={t.method} data-method={t.method} data-testid={`crit-top-${t.method}`}>
            <strong>{METHOD_NAME[t.method]}:</strong>{' '}
            {t.first ? (
              <>
                <span data-testid="top-material">{t.first.material}</span> ({SCORE_NAME[t.method]}{' '}
                <span data-testid="top-score">{fixed(methodScore(t.first, t.method), SCORE_DIGITS[t.method])}</span>)
                {t.tied.length > 1 ? (
                  <span data-testid="top-tied">
                    {' '}
                    — {t.tied.length} materials share first place; in tie-break order: {t.tied.map((c) => c.material).join(', ')}
                  </span>
                ) : (
                  ''
                )}{' '}
                <button type="button" className="btn small" onClick={() => onShow(t.first!.materialId)} aria-label={`Show all inputs of ${t.first.material}`}>
                  all inputs
                </button>
                {firstMention.get(t.first.materialId) === t.method ? (
                  <WhyDetails key={`${r.assessor.id}|${r.year}|${t.first.materialId}`} row={t.first} apiParams={apiParams} open={t.method === openFor} />
                ) : (
                  <span className="muted small"> (its drivers: under {METHOD_NAME[firstMention.get(t.first.materialId)!]} above)</span>
                )}
              </>
            ) : (
              <span>no material ranked (no scores for this assessor and year: see the messages below)</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
