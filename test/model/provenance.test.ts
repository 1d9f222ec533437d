/**
 * One citation record (src/model/provenance.ts): text computed from the fields in one place, curated documents cited
 * by id, and merging by source id (what the dashboard did by splitting strings before).
 */
import { describe, expect, it } from 'vitest';
import { citation, citationText, cite, citeDocument, defaultCitation, mergeCitations, noteCitation } from '../../src/model/provenance.ts';
import { CURATED_DOCUMENTS, DOCS } from '../../src/data/criticality-parameters.ts';
import type { Source } from '../../src/model/schema.ts';

const usgs: Source = {
  id: 'usgs-mcs-2025-world',
  dataset: 'usgs-mcs',
  editionYear: 2025,
  publisher: 'U.S. Geological Survey',
  title: 'Mineral Commodity Summaries 2025 Data Release',
  edition: 'MCS2025',
  table: 'World mine production',
  licence: 'public domain',
  url: 'https://doi.org/10.5066/P13XCP3R',
  file: null,
  caveat: null,
};

describe('citation', () => {
  it('computes the text from the fields: publisher, edition, table, locator — series', () => {
    const c = cite(usgs, 'Mine production', 'Cobalt');
    expect(c).toMatchObject({ sourceId: 'usgs-mcs-2025-world', series: 'Cobalt: Mine production', status: 'data', locator: null });
    expect(c.text).toBe('U.S. Geological Survey, MCS2025, World mine production — Cobalt: Mine production');
    expect(citationText(c)).toBe(c.text);
    expect(cite(usgs).text).toBe('U.S. Geological Survey, MCS2025, World mine production');
  });

  it('cites a curated document by id with its locator, and keeps the text the methods printed before', () => {
    const c = citeDocument(DOCS.jrc2017);
    expect(c).toMatchObject({ sourceId: 'jrc2017', status: 'published', url: 'https://doi.org/10.2873/769526' });
    // before: `${document}, ${locator}` with document = "Blengini G.A. et al. (2017), Methodology …"
    expect(c.text).toBe(
      'Blengini G.A. et al. (2017), Methodology for establishing the EU list of critical raw materials — Guidelines, European Commission, JRC, ' +
        'Sections 3 (economic importance) and 4 (supply risk), equations for EI, SR and HHI_WGI,t; thresholds EI ≥ 2.8, SR ≥ 1.0',
    );
    expect(new Set(CURATED_DOCUMENTS.map((d) => d.id)).size).toBe(CURATED_DOCUMENTS.length);
    for (const [key, d] of Object.entries(DOCS)) expect(d.id).toBe(key);
  });

  it('defaults and free-text sources carry their status', () => {
    expect(defaultCitation('no published value')).toMatchObject({ status: 'default', text: 'default — no published value' });
    expect(defaultCitation().text).toBe('default');
    expect(noteCitation('X 2020')).toMatchObject({ status: 'published', text: 'X 2020' });
  });

  it('merges citations of one source into one, listing the series (no string splitting)', () => {
    const a = cite(usgs, 'Mine production', 'Cobalt');
    const b = cite(usgs, 'Mine production', 'Nickel');
    const other = citation({ sourceId: 'iea-cm-2025', publisher: 'IEA', edition: 'Global Critical Minerals Outlook 2025', status: 'data' });
    const merged = mergeCitations([a, b, a, other]);
    expect(merged.map((c) => c.sourceId)).toEqual(['usgs-mcs-2025-world', 'iea-cm-2025']);
    expect(merged[0].text).toBe('U.S. Geological Survey, MCS2025, World mine production — Cobalt: Mine production; Nickel: Mine production');
    const many = mergeCitations(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((m) => cite(usgs, 'x', m)));
    expect(many[0].series).toBe('7 series');
    expect(mergeCitations([a, a])).toEqual([a]);
  });
});
