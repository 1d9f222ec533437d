/** Full search results (`#/search?q=cobalt`), grouped by kind, each a link to the page that answers it. */
import { useApi, qs } from '../api.ts';
import type { Route } from '../router.ts';
import { Status } from '../components/Status.tsx';
import { hitHref, KIND_LABEL, type SearchHit } from '../components/GlobalSearch.tsx';

export function Search({ route }: { route: Route }) {
  const q = route.query.get('q') ?? '';
  const res = useApi<{ hits: SearchHit[] }>(q.trim() ? `api/search${qs({ q: q.trim(), limit: 100 })}` : null);
  if (!q.trim())
    return (
      <section>
        <h1>Search</h1>
        <p className="lede">Type a material, country, grouping (MSP, G7, EU27), trade measure or agreement in the search box above.</p>
      </section>
    );
  if (res.state !== 'ok') return <Status res={res} what="the search results" />;
  const kinds = [...new Set(res.data.hits.map((h) => h.kind))];
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search: “{q}”</h1>
      {res.data.hits.length === 0 ? (
        <p className="note" role="status">
          Nothing matches “{q}”. Try a material (cobalt), a country (Germany or DEU), a grouping (MSP) or a measure (export ban).
        </p>
      ) : (
        kinds.map((k) => (
          <div className="panel" key={k}>
            <h2>
              {KIND_LABEL[k]}s ({res.data.hits.filter((h) => h.kind === k).length})
            </h2>
            <ul className="hits" data-testid={`hits-${k}`}>
              {res.data.hits
                .filter((h) => h.kind === k)
                .map((h) => (
                  <li key={h.id}>
                    <a href={hitHref(h)}>{h.label}</a> <span className="small">{h.detail}</span>
                  </li>
                ))}
            </ul>
          </div>
        ))
      )}
    </section>
  );
}
