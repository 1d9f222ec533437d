import type { Citation } from '../api.ts';
import { shortSource } from '../format.ts';

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

/** A citation's short text in a table cell, linked where the source has a URL (the rule SourceLine follows). */
export function ShortSourceLink({ source }: { source: Citation }) {
  return source.url ? (
    <a href={source.url} target="_blank" rel="noreferrer">
      {shortSource(source)}
    </a>
  ) : (
    <>{shortSource(source)}</>
  );
}
