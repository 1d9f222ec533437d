/**
 * Glossary (#/glossary, #/glossary?term=hhi): every term the pages link with <Term>, with its definition, formula, the
 * method source it follows and the repository doc describing our implementation. The linked term is scrolled to and
 * focused.
 */
import { useEffect } from 'react';
import type { Route } from '../router.ts';
import { GLOSSARY, REPO_URL, docUrl } from '../glossary.ts';

export function Glossary({ route }: { route: Route }) {
  const term = route.query.get('term');
  useEffect(() => {
    if (!term) return;
    const el = document.getElementById(`g-${term}`);
    el?.scrollIntoView({ block: 'start' });
    el?.focus({ preventScroll: true });
  }, [term]);
  return (
    <section aria-labelledby="glossary-title">
      <h1 id="glossary-title">Glossary and methods</h1>
      <p className="lede">
        The measures on these pages: a short definition, the formula as Chokepoint computes it, the published method it follows, and the repository document
        that describes the implementation.
        {REPO_URL ? '' : ' The repository address was not given at build time (VITE_REPO_URL), so documents are named by their path in the repository.'}
      </p>
      <div className="glossary" data-testid="glossary">
        {GLOSSARY.map((g) => {
          const url = docUrl(g.doc.file);
          return (
            <article
              key={g.id}
              id={`g-${g.id}`}
              tabIndex={-1}
              className={`panel${term === g.id ? ' current' : ''}`}
              data-term={g.id}
              aria-labelledby={`g-${g.id}-t`}
            >
              <h2 id={`g-${g.id}-t`}>{g.term}</h2>
              <div>
                <p>{g.definition}</p>
                <p>
                  <strong>Formula:</strong> <code className="formula">{g.formula}</code>
                </p>
                <p className="small">
                  <strong>Method source:</strong> {g.source}
                </p>
                <p className="small">
                  <strong>Documentation:</strong> {url ? <a href={url}>docs/{g.doc.file}</a> : <code>docs/{g.doc.file}</code>}, {g.doc.section}
                </p>
              </div>
            </article>
          );
        })}
      </div>
    </section>
  );
}
