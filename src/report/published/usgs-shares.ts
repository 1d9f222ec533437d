/** USGS MCS 2025's stated 2024 shares (largest producer) against the shares computed from the loaded USGS rows. */
import { USGS_MCS_2025_DOC, USGS_MCS_2025_SHARES } from '../../data/published-usgs.ts';
import { citeDocument } from '../../model/provenance.ts';
import { concentrationRow } from '../../engine/concentration-report.ts';
import type { DatasetIndex } from '../../engine/dataset.ts';
import type { PublishedComparison, PublishedRow } from './types.ts';

export function usgsSharesCheck(index: DatasetIndex): PublishedComparison {
  const rows: PublishedRow[] = USGS_MCS_2025_SHARES.map(({ materialId, stage, countryId, words, value, band }) => {
    const key = `${countryId} share of ${materialId} ${stage} 2024`;
    const r = concentrationRow(index, { materialId, stage, year: 2024, dataset: 'usgs-mcs' });
    if (!r || !r.source.sourceId.startsWith('usgs-mcs-2025'))
      return { key, published: value, ours: null, within: null, cause: 'no USGS MCS 2025 series for 2024 loaded' };
    const s = r.shares.find((x) => x.countryId === countryId);
    if (!s) return { key, published: value, ours: null, within: null, cause: `${countryId} not listed in the series (${r.source.sourceId})` };
    const within = s.share >= band[0] && s.share <= band[1];
    return {
      key,
      published: value,
      ours: s.share,
      within,
      ...(within ? {} : { cause: `USGS says "${words}"; ours ${(s.share * 100).toFixed(1)}% of a ${r.totalBasis.replace(/_/g, ' ')} of ${r.total} ${r.unit}` }),
    };
  });
  return {
    id: 'usgs-mcs-2025-shares',
    title: 'USGS MCS 2025: largest producer shares of 2024 production stated in the text vs computed from the loaded rows',
    source: citeDocument(USGS_MCS_2025_DOC),
    tolerance: { abs: 0.03, text: '"about X%" read as ±3 points; "~98%" as at least 98%' },
    rows,
    notes: [],
  };
}
