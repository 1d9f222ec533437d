/** The criticality comparison as a table: the CSV columns of src/engine/criticality/csv.ts, for the XLSX download. */
import { CRITICALITY_CSV_COLUMNS, criticalityCsvRow } from '../../engine/criticality/csv.ts';
import type { ComparisonRow } from '../../engine/criticality/index.ts';
import type { Citation } from '../../model/provenance.ts';
import { uniqueSources, type DataTable } from './define.ts';

export function criticalityTable(rows: ComparisonRow[], id: string, sources: Citation[] = []): DataTable {
  return {
    id,
    title: 'Criticality by method, one row per material',
    columns: CRITICALITY_CSV_COLUMNS.map((key) => ({ key, header: key })),
    rows: rows.map(criticalityCsvRow),
    sources: uniqueSources(sources),
    notes: [],
  };
}
