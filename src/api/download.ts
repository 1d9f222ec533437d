/**
 * Table downloads for the analysis routes: the same flat rows as CSV or as an Excel workbook (XLSX, one sheet with the
 * rows and a sheet of sources and notes, via src/report/export.ts), so every table the dashboard shows exports both ways.
 */
import type { Context } from 'hono';
import { toCsv } from '../ingest/csv.ts';
import { tablesToXlsx } from '../report/export.ts';
import type { Citation } from '../model/provenance.ts';
import type { DataTable } from '../report/tables.ts';

export type DownloadFormat = 'csv' | 'xlsx';

export async function downloadRows(
  c: Context,
  format: DownloadFormat,
  rows: Record<string, unknown>[],
  name: string,
  sources: Citation[] = [],
  notes: string[] = [],
) {
  const columns = rows.length ? Object.keys(rows[0]) : [];
  if (format === 'csv') {
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="${name}.csv"`);
    return c.body(toCsv(rows, columns));
  }
  const cell = (v: unknown) =>
    v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'yes' : 'no') : JSON.stringify(v);
  const table: DataTable = {
    id: name.slice(0, 31),
    title: name,
    columns: columns.map((k) => ({ key: k, header: k })),
    rows: rows.map((r) => Object.fromEntries(columns.map((k) => [k, cell(r[k])]))) as DataTable['rows'],
    sources: [...new Map(sources.map((s) => [s.sourceId, s])).values()],
    notes,
  };
  const buf = await tablesToXlsx([table]);
  c.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  c.header('content-disposition', `attachment; filename="${name}.xlsx"`);
  return c.body(new Uint8Array(buf));
}
