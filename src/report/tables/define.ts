/**
 * The table model every edge renders: a `DataTable` (columns, rows, sources, notes) built once per result, then written
 * as CSV by the CLI (`--format csv`) and the API (`format=csv`) with `flatCsv`, and as XLSX with `tablesToXlsx`
 * (src/report/export.ts). `flatTable` builds one from a list of fields, each a key and how to read it from a result row,
 * so a table's columns are written in exactly one place.
 */
import { toCsv } from '../../ingest/csv.ts';
import type { Citation } from '../../model/provenance.ts';

export type Cell = string | number | boolean | null;
export interface TableColumn {
  key: string;
  header: string;
  kind?: 'text' | 'number' | 'share' | 'hhi';
}
export interface DataTable {
  id: string; // file name stem
  title: string;
  columns: TableColumn[];
  rows: Record<string, Cell>[];
  sources: Citation[];
  notes: string[];
}

export const uniqueSources = (cs: Citation[]): Citation[] => [...new Map(cs.map((c) => [c.sourceId, c])).values()];

/** One column of a flat table: its key (the CSV header), an optional longer header for XLSX, and its value in a row. */
export interface Field<T> {
  key: string;
  header?: string;
  kind?: TableColumn['kind'];
  value: (row: T) => Cell;
}

/** A `DataTable` from result rows and the fields that flatten them (the header is the key unless given). */
export function flatTable<T>(
  meta: { id: string; title: string; sources?: Citation[]; notes?: string[] },
  fields: readonly Field<T>[],
  items: readonly T[],
): DataTable {
  return {
    id: meta.id,
    title: meta.title,
    columns: fields.map((f) => ({ key: f.key, header: f.header ?? f.key, ...(f.kind ? { kind: f.kind } : {}) })),
    rows: items.map((r) => Object.fromEntries(fields.map((f) => [f.key, f.value(r) ?? null]))),
    sources: uniqueSources(meta.sources ?? []),
    notes: meta.notes ?? [],
  };
}

/**
 * The CSV of a table for `--format csv` and `format=csv`: one header line of column keys (present with no rows), one
 * line per row, a trailing newline. The same bytes from both edges.
 */
export const flatCsv = (t: DataTable): string =>
  toCsv(
    t.rows,
    t.columns.map((c) => c.key),
  );

/** A file-name-safe stem (grouping ids like AUS+CAN stay readable). */
export const fileStem = (s: string): string => s.replace(/[^A-Za-z0-9+_-]/g, '_');
