/**
 * Price history table (GET /api/materials/{id}/prices?format=csv|xlsx): one row per series and year, the newest
 * edition's figure with its year-on-year change, rolling range and the figures older editions gave, cited per edition.
 */
import { citation } from '../../model/provenance.ts';
import type { PriceSeries, PriceYear } from '../../engine/prices.ts';
import { flatTable, type DataTable } from './define.ts';

type Line = { s: PriceSeries; y: PriceYear };

/** Every price series of a material, flattened to one row per series and year. */
export function priceTable(materialId: string, series: readonly PriceSeries[], window: number): DataTable {
  const lines: Line[] = series.flatMap((s) => s.years.map((y) => ({ s, y })));
  return flatTable<Line>(
    {
      id: `prices-${materialId}`,
      title: `Prices: ${materialId}`,
      sources: series.flatMap((s) =>
        s.sources.map((x) =>
          citation({
            sourceId: x.id,
            publisher: x.publisher,
            edition: `MCS${x.edition}`,
            table: x.table,
            series: s.details.join(' / '),
            url: x.url,
            status: 'data',
          }),
        ),
      ),
      notes: [
        `newest edition per year, older editions kept as revisions; yoy = (p_t - p_t-1) / p_t-1; rollingRange = (max - min) / min over ${window} years ending at t`,
        ...(series.length ? [] : [`no price series for ${materialId} in the knowledge base`]),
      ],
    },
    [
      { key: 'material', value: (l) => l.s.materialId },
      { key: 'series', value: (l) => l.s.series },
      { key: 'unit', value: (l) => l.s.unit },
      { key: 'market', value: (l) => l.s.market },
      { key: 'basis', value: (l) => l.s.basis },
      { key: 'year', kind: 'number', value: (l) => l.y.year },
      { key: 'estimated', value: (l) => l.y.estimated },
      { key: 'value', kind: 'number', value: (l) => l.y.value },
      { key: 'low', kind: 'number', value: (l) => l.y.low },
      { key: 'high', kind: 'number', value: (l) => l.y.high },
      { key: 'status', value: (l) => l.y.status },
      { key: 'usdPerTonne', kind: 'number', value: (l) => l.y.usdPerTonne },
      { key: 'yoy', kind: 'share', value: (l) => l.y.yoy },
      { key: 'rollingRange', kind: 'share', value: (l) => l.y.rollingRange },
      { key: 'edition', value: (l) => `MCS${l.y.edition}` },
      { key: 'sourceId', value: (l) => l.y.sourceId },
      { key: 'revisions', value: (l) => l.y.revisions.map((r) => `MCS${r.edition}:${r.value ?? 'n/a'}`).join('; ') || null },
      { key: 'note', value: (l) => l.y.note },
    ],
    lines,
  );
}
