/**
 * Table downloads for the analysis routes: a `DataTable` (src/report/tables/) as CSV (`flatCsv`, the bytes the CLI's
 * --format csv prints) or as an Excel workbook (XLSX, one sheet with the rows and its sources and notes, via
 * src/report/export.ts), so every table the dashboard shows exports both ways.
 */
import type { Context } from 'hono';
import { tablesToXlsx } from '../report/export.ts';
import type { Citation } from '../model/provenance.ts';
import { flatCsv, type Cell, type DataTable } from '../report/tables.ts';

export type DownloadFormat = 'csv' | 'xlsx';

/** One table as CSV or XLSX, named `name` (default: the table's id). */
export async function downloadTable(c: Context, format: DownloadFormat, table: DataTable, name: string = table.id) {
  if (format === 'csv') {
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="${name}.csv"`);
    return c.body(flatCsv(table));
  }
  const buf = await tablesToXlsx([{ ...table, id: table.id.slice(0, 31) }]);
  c.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  c.header('content-disposition', `attachment; filename="${name}.xlsx"`);
  return c.body(new Uint8Array(buf));
}

/** Ad-hoc flat rows (a route with no CLI twin) as a table: columns from the first row's keys. */
export async function downloadRows(
  c: Context,
  format: DownloadFormat,
  rows: Record<string, unknown>[],
  name: string,
  sources: Citation[] = [],
  notes: string[] = [],
) {
  const columns = rows.length ? Object.keys(rows[0]) : [];
  const cell = (v: unknown): Cell =>
    v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'yes' : 'no') : JSON.stringify(v);
  const table: DataTable = {
    id: name.slice(0, 31),
    title: name,
    columns: columns.map((k) => ({ key: k, header: k })),
    rows: rows.map((r) => Object.fromEntries(columns.map((k) => [k, format === 'csv' ? (r[k] as Cell) : cell(r[k])]))),
    sources: [...new Map(sources.map((s) => [s.sourceId, s])).values()],
    notes,
  };
  return downloadTable(c, format, table, name);
}
