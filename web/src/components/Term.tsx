/** A term on a page, linked to its glossary entry (#/glossary?term=<id>): `<Term id="hhi">HHI</Term>`. */
import type { ReactNode } from 'react';
import { href } from '../router.ts';
import { GLOSSARY } from '../glossary.ts';

export function Term({ id, children }: { id: string; children?: ReactNode }) {
  const e = GLOSSARY.find((g) => g.id === id);
  // An unknown id is a programming error: say so on the page rather than link nowhere.
  if (!e)
    return (
      <span className="term-missing">
        {children} (no glossary entry “{id}”)
      </span>
    );
  return (
    <a className="term" href={href('/glossary', { term: id })} title={`${e.term}: ${e.definition}`} data-term={id}>
      {children ?? e.term}
    </a>
  );
}
