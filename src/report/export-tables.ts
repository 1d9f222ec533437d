/**
 * Which tables an export holds, written once for `chokepoint export` and GET /api/export: overview (one row per
 * material), shares (one material, stage and year), trend (one material's concentration over time) or material
 * (every table of one material, XLSX only). Bad input is an InputError naming the field, so each edge words it its
 * own way (--material on the command line, material in the API's 400).
 */
import { InputError } from '../model/errors.ts';
import type { Stage } from '../model/schema.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import { concentrationSweep } from '../engine/concentration-report.ts';
import { materialProfile } from '../engine/profile.ts';
import { materialTables, overviewTable, sharesTable, trendTable, type DataTable } from './tables.ts';

export const EXPORT_TABLES = ['overview', 'shares', 'trend', 'material'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export interface ExportSelection {
  table: ExportTable;
  format: 'csv' | 'xlsx';
  /** A material id (already resolved from any alias); required for every table but overview. */
  material?: string;
  stage: Stage;
  year?: number;
  dataset?: string;
}

/** A cache for a computed result by key (the API's per-index cache); by default none. */
export type Memo = <T>(key: string, fn: () => T) => T;
const noMemo: Memo = (_key, fn) => fn();

/** The tables of an export, in sheet order (one for CSV). */
export function exportTables(index: DatasetIndex, q: ExportSelection, memo: Memo = noMemo): DataTable[] {
  if (q.table === 'overview') return [memo(`overview|${q.year ?? ''}|${q.dataset ?? ''}`, () => overviewTable(index, { year: q.year, dataset: q.dataset }))];
  const id = q.material;
  if (!id) throw new InputError('material', `required for table ${q.table}`);
  if (q.table === 'material') {
    if (q.format === 'csv') throw new InputError('format', 'table material holds several tables: use xlsx, or table shares|trend for one CSV');
    return memo(`tables|${id}`, () => materialTables(index, id));
  }
  if (q.table === 'trend') {
    const p = memo(`profile|${id}`, () => materialProfile(index, id));
    return [
      trendTable(
        p.materialId,
        p.name,
        p.stages.filter((s) => s.stage !== 'reserves'),
      ),
    ];
  }
  const rows = memo(`export-shares|${id}|${q.stage}|${q.year ?? ''}|${q.dataset ?? ''}`, () =>
    concentrationSweep(index, { materials: [id], stages: [q.stage], years: q.year ? [q.year] : 'latest', dataset: q.dataset }),
  );
  if (!rows.length)
    throw new InputError(
      'year',
      `no ${q.stage} data by country for ${id}${q.year ? ` in ${q.year}` : ''}${q.dataset ? ` in ${q.dataset}` : ''}; years with data: ${index.years(id, q.stage).join(', ') || 'none'}`,
      'not_found',
    );
  return [sharesTable(rows[0])];
}
