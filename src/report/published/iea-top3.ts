/** The IEA's own "Top 3 share" row (Data Explorer 2025) against top-3 shares computed from the loaded IEA country rows. */
import { IEA_DOCS, IEA_TOP3_SHARE_2025 } from '../../data/published-iea.ts';
import { citeDocument } from '../../model/provenance.ts';
import { concentrationRow } from '../../engine/concentration-report.ts';
import type { DatasetIndex } from '../../engine/dataset.ts';
import type { PublishedComparison, PublishedRow } from './types.ts';

const TOLERANCE = 0.005; // half a percentage point

export function ieaTop3Check(index: DatasetIndex): PublishedComparison {
  const rows: PublishedRow[] = IEA_TOP3_SHARE_2025.flatMap(({ materialId, stage, top3Share }) =>
    Object.entries(top3Share).map(([y, published]): PublishedRow => {
      const year = Number(y);
      const key = `${materialId} ${stage} top-3 ${year}`;
      const r = concentrationRow(index, { materialId, stage, year, dataset: 'iea-cm' });
      if (!r) return { key, published, ours: null, within: null, cause: 'no IEA country rows loaded for this cell' };
      const within = Math.abs(r.top3Share - published) <= TOLERANCE;
      return {
        key,
        published,
        ours: r.top3Share,
        within,
        ...(within
          ? {}
          : {
              cause:
                `our top three (${r.shares
                  .slice(0, 3)
                  .map((s) => s.countryId)
                  .join(', ')}) over the IEA total; ${r.totalBasis.replace(/_/g, ' ')}` +
                (r.unallocatedShare > 0 ? `, ${(r.unallocatedShare * 100).toFixed(1)}% not attributed to a named country` : ''),
            }),
      };
    }),
  );
  return {
    id: 'iea-top3-2025',
    title: 'IEA Data Explorer 2025 "Top 3 share" (mining and refining) vs our top-3 share of the same rows',
    source: citeDocument(IEA_DOCS.explorer2025, 'published'),
    tolerance: { abs: TOLERANCE, text: '±0.5 percentage points' },
    rows,
    notes: [],
  };
}
