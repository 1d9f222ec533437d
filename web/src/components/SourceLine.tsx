import type { Citation } from '../api.ts';

/** The source line every figure carries: full citation, linked where the source has a URL. */
export function SourceLine({ sources, label = 'Source', note }: { sources: Citation[]; label?: string; note?: string }) {
  const uniq = [...new Map(sources.map((s) => [s.sourceId, s])).values()];
  if (!uniq.length) return <p className="source">Source: none recorded.</p>;
  return (
    <p className="source" data-testid="source-line">
      {uniq.length > 1 ? `${label}s: ` : `${label}: `}
      {uniq.map((s, i) => (
        <span key={s.sourceId}>
          {i > 0 && '; '}
          {s.url ? (
            <a href={s.url} target="_blank" rel="noreferrer">
              {s.text}
            </a>
          ) : (
            s.text
          )}
          {s.caveat ? ` (${s.caveat})` : ''}
        </span>
      ))}
      {note ? <span className="source-note"> {note}</span> : null}
    </p>
  );
}

/**
 * One citation per source: a source cited for several series (IEA "— Copper: refining supply", "— Lithium: …") keeps its
 * common text and lists the series (up to six; beyond that, their number), so a multi-material table does not show one
 * material's table name only.
 */
export function mergeSources(cs: Citation[]): Citation[] {
  const by = new Map<string, Citation[]>();
  for (const c of cs) by.set(c.sourceId, [...(by.get(c.sourceId) ?? []), c]);
  return [...by.values()].map((list) => {
    const texts = [...new Set(list.map((c) => c.text))];
    if (texts.length === 1) return list[0];
    const head = list[0].text.split(' — ')[0];
    const tails = [...new Set(texts.map((t) => t.split(' — ').slice(1).join(' — ')).filter(Boolean))];
    return { ...list[0], text: `${head} — ${tails.length <= 6 ? tails.join('; ') : `${tails.length} series`}` };
  });
}
