/**
 * Global search in the header: type a material, country, grouping, measure or agreement; suggestions come from
 * GET /api/search as you type, Enter opens the full result list (`#/search?q=`). Every hit is a link to the page that
 * answers it, so any answer is at most two clicks from any page.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { getJson, qs } from '../api.ts';
import { href, navigate } from '../router.ts';
import type { SearchHit } from '../../../src/engine/search.ts';

export type { SearchHit };

const PAGE_PATH: Record<string, string> = { crma: '/crma', country: '/country' };

/** The dashboard URL that answers a hit. */
export function hitHref(h: SearchHit): string {
  switch (h.kind) {
    case 'page':
      return href(PAGE_PATH[h.id] ?? `/${h.id}`);
    case 'material':
      return href(`/material/${h.id}`);
    case 'country':
      return href(`/country/${h.id}`);
    case 'grouping':
      return href(`/group/${h.id}`);
    case 'importer':
      return href(`/importer/${h.id}`);
    case 'measure':
      return href('/timeline', { material: h.materialId, country: h.countryId });
    case 'agreement':
      return h.groupId ? href(`/group/${h.groupId}`) : h.countryId ? href(`/country/${h.countryId}`) : href('/timeline', { material: h.materialId });
    case 'project':
      return href('/coalitions', { deal: h.id });
  }
}

export const KIND_LABEL: Record<SearchHit['kind'], string> = {
  page: 'page',
  material: 'material',
  country: 'country',
  grouping: 'grouping',
  importer: 'importer',
  measure: 'trade measure',
  agreement: 'agreement',
  project: 'project',
};

export function GlobalSearch() {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const box = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const term = q.trim();
    if (term.length < 2) {
      setHits([]);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      getJson<{ hits: SearchHit[] }>(`api/search${qs({ q: term, limit: 8 })}`).then(
        (r) => live && setHits(r.hits),
        () => live && setHits([]),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [q]);
  useEffect(() => {
    // Close the suggestions when focus or a click leaves the search box.
    const onDown = (e: Event) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('focusin', onDown);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('focusin', onDown);
    };
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!q.trim()) return;
    setOpen(false);
    navigate('/search', { q: q.trim() });
  };
  const shown = open && q.trim().length >= 2;
  return (
    <form role="search" className="global-search" onSubmit={submit} ref={box}>
      <label htmlFor="global-q" className="visually-hidden">
        Search materials, countries, groupings, measures and agreements
      </label>
      <input
        id="global-q"
        type="search"
        value={q}
        placeholder="Search: cobalt, Germany, MSP, CRMA…"
        autoComplete="off"
        aria-describedby={`${listId}-count`}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
      />
      <button type="submit">Search</button>
      <span id={`${listId}-count`} className="visually-hidden" aria-live="polite">
        {shown ? `${hits.length} suggestions` : ''}
      </span>
      {shown && hits.length ? (
        <ul className="search-suggest" id={listId} data-testid="search-suggest">
          {hits.map((h) => (
            <li key={`${h.kind}:${h.id}`}>
              <a href={hitHref(h)} onClick={() => setOpen(false)}>
                <span className="hit-kind">{KIND_LABEL[h.kind]}</span> {h.label}
                <span className="hit-detail">{h.detail}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
