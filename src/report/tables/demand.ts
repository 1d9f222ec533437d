/**
 * Demand tables: consumption by country × material × year (`chokepoint demand`, GET /api/demand) and stockpile days of
 * cover under N-1 (`chokepoint demand cover`, GET /api/demand/cover). Figures in tonnes and fractions, the method,
 * basis and source of each row, and the gap where there is no figure; the terminal view formats the same rows.
 */
import type { ConsumptionRow } from '../../engine/demand/table.ts';
import type { CoverRow } from '../../scenario/cover.ts';
import { flatTable, type DataTable } from './define.ts';

const joined = (xs: readonly string[]) => (xs.length ? xs.join('; ') : null);

/** Consumption by country: tonnes and share of world demand with their range, or the gap. */
export function demandTable(rows: readonly ConsumptionRow[]): DataTable {
  const conversions = [...new Set(rows.map((r) => r.conversion).filter((c): c is string => !!c))];
  return flatTable(
    {
      id: `demand-${rows[0]?.year ?? ''}`,
      title: 'Consumption by country',
      notes: ['tonnes_low/high = world demand × share low/high; a gap is stated in the gap column, never filled', ...conversions],
    },
    [
      { key: 'countryId', value: (r) => r.countryId },
      { key: 'country', value: (r) => r.country },
      { key: 'material', value: (r) => r.materialId },
      { key: 'year', kind: 'number', value: (r) => r.year },
      { key: 'demandScenario', value: (r) => r.demandScenario },
      { key: 'demandScope', value: (r) => r.demandScope },
      { key: 'demandBasis', value: (r) => r.demandBasis },
      { key: 'worldDemandTonnes', kind: 'number', value: (r) => r.demandTonnes },
      { key: 'tonnes', kind: 'number', value: (r) => r.tonnes },
      { key: 'tonnesLow', kind: 'number', value: (r) => (r.low === null ? null : r.low * r.demandTonnes) },
      { key: 'tonnesHigh', kind: 'number', value: (r) => (r.high === null ? null : r.high * r.demandTonnes) },
      { key: 'share', kind: 'share', value: (r) => r.share },
      { key: 'shareLow', kind: 'share', value: (r) => r.low },
      { key: 'shareHigh', kind: 'share', value: (r) => r.high },
      { key: 'method', value: (r) => r.method },
      { key: 'basis', value: (r) => r.basis },
      { key: 'estimate', value: (r) => r.estimate },
      { key: 'assumed', value: (r) => r.assumed },
      { key: 'conversion', value: (r) => r.conversion },
      { key: 'gap', value: (r) => r.gap },
      { key: 'source', value: (r) => r.source },
      { key: 'sourceIds', value: (r) => joined(r.sources.map((s) => s.id)) },
    ],
    rows,
  );
}

/** Stockpile days of cover by holder under N-1 (the largest supplier removed). */
export function coverTable(rows: readonly CoverRow[]): DataTable {
  return flatTable(
    {
      id: `demand-cover-${rows[0]?.year ?? ''}`,
      title: 'Stockpile days of cover under N-1',
      notes: [
        "days of cover = stockpile ÷ the holder's daily loss in month 1, no recovery; the holder loses pro rata to its consumption",
        ...new Set(rows.flatMap((r) => [...r.gaps, ...(r.note ? [`${r.material}: ${r.note}`] : [])])),
      ],
    },
    [
      { key: 'holder', value: (r) => r.holder },
      { key: 'holderName', value: (r) => r.holderName },
      { key: 'material', value: (r) => r.materialId },
      { key: 'stage', value: (r) => r.stage },
      { key: 'year', kind: 'number', value: (r) => r.year },
      { key: 'removed', value: (r) => r.removed.join('+') },
      { key: 'demandTonnes', kind: 'number', value: (r) => r.demandTonnes },
      { key: 'demandScope', value: (r) => r.demandScope },
      { key: 'lostShare', kind: 'share', value: (r) => r.lostShare },
      { key: 'holderConsumptionTonnes', kind: 'number', value: (r) => r.holderConsumptionTonnes },
      { key: 'holderConsumptionLow', kind: 'number', value: (r) => r.holderConsumptionLow },
      { key: 'holderConsumptionHigh', kind: 'number', value: (r) => r.holderConsumptionHigh },
      { key: 'consumptionMethod', value: (r) => r.consumptionMethod },
      { key: 'consumptionAssumed', value: (r) => r.consumptionAssumed },
      { key: 'stockpileDays', kind: 'number', value: (r) => r.stockpileDays },
      { key: 'stockpileTonnes', kind: 'number', value: (r) => r.stockpileTonnes },
      { key: 'daysOfCover', kind: 'number', value: (r) => r.daysOfCover },
      { key: 'exhaustedMonth', kind: 'number', value: (r) => r.exhaustedMonth },
      { key: 'gaps', value: (r) => joined(r.gaps) },
      { key: 'note', value: (r) => r.note },
      { key: 'consumptionSource', value: (r) => r.consumptionSource },
    ],
    rows,
  );
}
