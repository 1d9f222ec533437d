/**
 * One citation record for every figure, input and parameter (observations, criticality inputs, stress-test
 * parameters, curated documents), after owid/etl's `Origin`: the fields are structured, and the display text is
 * computed from them here, in one place. Nothing downstream parses `text` back: group by `sourceId`, read `series`.
 *
 * `status` says what the cited value is (the vocabulary of the criticality inputs, also used for scenario parameters):
 *  data      — read from the knowledge base (an imported source file)
 *  published — a curated published value (a document in src/data/criticality-parameters.ts) of the same edition
 *  proxy     — a published value of another edition or scope
 *  derived   — computed from data by a documented rule
 *  default   — unknown; an explicit default was applied (the reason is in `series`)
 *  missing   — unknown and no defensible default
 */
import type { Source } from './schema.ts';

export const CITATION_STATUSES = ['data', 'published', 'proxy', 'derived', 'default', 'missing'] as const;
export type CitationStatus = (typeof CITATION_STATUSES)[number];

export interface Citation {
  sourceId: string; // 'usgs-mcs-2025-world', a document id such as 'jrc2017', 'default' or 'note'
  publisher: string; // 'U.S. Geological Survey'; for a document its authors or issuing body
  edition: string | null; // 'MCS2025'; for a document its title and year
  table: string | null; // 'World mine production, refinery production and reserves'
  series: string | null; // 'Cobalt: Mine production, cobalt content' (what in the table); for a default, the reason
  locator: string | null; // 'Annex 1, Table 3' (where in a document)
  url: string | null;
  licence: string | null;
  caveat: string | null; // shown beside the text, not part of it
  status: CitationStatus;
  /** Display text, computed by `citationText` when the record is made; never parsed. */
  text: string;
}

export type CitationFields = Omit<Citation, 'text'>;

/** "publisher, edition, table, locator — series": the one display form (CLI, API, XLSX, briefing, dashboard). */
export function citationText(c: CitationFields): string {
  const head = [c.publisher, c.edition, c.table, c.locator].filter((x) => !!x).join(', ');
  return c.series ? `${head} — ${c.series}` : head;
}

/** The source without the series ("publisher, edition, table"): a footer for a table of many series. */
export const sourceText = (c: CitationFields): string => citationText({ ...c, series: null });

/** Make a citation from its fields; the only place `text` is set. */
export function citation(fields: Partial<CitationFields> & Pick<CitationFields, 'sourceId' | 'publisher' | 'status'>): Citation {
  const c: CitationFields = {
    edition: null,
    table: null,
    series: null,
    locator: null,
    url: null,
    licence: null,
    caveat: null,
    ...fields,
  };
  return { ...c, text: citationText(c) };
}

/** Cite an imported source, optionally naming the series ("Cobalt: Mine production"). */
export function cite(source: Source, detail?: string | null, materialName?: string, status: CitationStatus = 'data'): Citation {
  const series = [materialName, detail].filter(Boolean).join(': ');
  return citation({
    sourceId: source.id,
    publisher: source.publisher,
    edition: source.edition,
    table: source.table,
    series: series || null,
    url: source.url,
    licence: source.licence,
    caveat: source.caveat,
    status,
  });
}

/** A curated document (a method paper, a regulation, a study): cited by id with its own locator. */
export interface CuratedDocument {
  id: string;
  publisher: string; // authors or issuing body, with the year
  edition: string; // title
  locator: string; // where in the document the values are
  url: string | null;
  licence: string | null;
}

export function citeDocument(doc: CuratedDocument, status: CitationStatus = 'published', series: string | null = null): Citation {
  return citation({
    sourceId: doc.id,
    publisher: doc.publisher,
    edition: doc.edition,
    locator: doc.locator,
    url: doc.url,
    licence: doc.licence,
    series,
    status,
  });
}

/** An explicit default (no published value); `reason` says why and where it is documented. */
export function defaultCitation(reason: string | null = null): Citation {
  return citation({ sourceId: 'default', publisher: 'default', series: reason, status: 'default' });
}

/** A source given as free text (a scenario file's `source:`, a rule's legal reference), kept as written. */
export function noteCitation(text: string, status: CitationStatus = 'published'): Citation {
  return citation({ sourceId: `note:${text}`, publisher: text, status });
}

/** Identity of a citation for de-duplication: the same source, series and locator. */
export const citationKey = (c: Citation): string => JSON.stringify([c.sourceId, c.series, c.locator, c.status]);

/** Distinct citations in order of first use. */
export function distinctCitations(cs: Iterable<Citation | null | undefined>): Citation[] {
  const out = new Map<string, Citation>();
  for (const c of cs) if (c && !out.has(citationKey(c))) out.set(citationKey(c), c);
  return [...out.values()];
}

/**
 * One citation per source: a source cited for several series (IEA "Copper: refining supply", "Lithium: …") keeps
 * its common fields and lists the series (up to `maxSeries`; beyond that, their number).
 */
export function mergeCitations(cs: Iterable<Citation>, maxSeries = 6): Citation[] {
  const by = new Map<string, Citation[]>();
  for (const c of cs) by.set(c.sourceId, [...(by.get(c.sourceId) ?? []), c]);
  return [...by.values()].map((list) => {
    const series = [...new Set(list.map((c) => c.series).filter((s): s is string => !!s))];
    const locators = [...new Set(list.map((c) => c.locator).filter((s): s is string => !!s))];
    if (series.length <= 1 && locators.length <= 1) return list[0];
    const { text: _t, ...first } = list[0];
    return citation({
      ...first,
      series: series.length === 0 ? null : series.length <= maxSeries ? series.join('; ') : `${series.length} series`,
      locator: locators.length ? locators.join('; ') : null,
    });
  });
}

/** A source id with no source record (not loaded): cited by id, status missing. */
export function unknownSourceCitation(sourceId: string, what = `source ${sourceId} (not loaded)`): Citation {
  return citation({ sourceId, publisher: what, status: 'missing', caveat: 'source record missing from the store' });
}

/** The short form for a table cell: "publisher, edition". */
export const shortCitationText = (c: Pick<Citation, 'publisher' | 'edition'>): string => [c.publisher, c.edition].filter((x) => !!x).join(', ');
