/**
 * Small helpers shared by the file importers, so every failure on malformed input surfaces as an `ImportError`
 * naming file, line and field, and never as a raw `Error` from fs, the CSV reader, JSON.parse or zod.
 */
import { readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { ImportError } from '../model/schema.ts';
import { CsvSyntaxError, parseCsvRecords, type CsvRow, type CsvTable } from './csv.ts';
import { streamCsvRecords } from './csv-stream.ts';

/**
 * Largest input a row-by-row import reads (stream.ts: WGI, consumption, China exports, Comtrade), in bytes: 64 MB unless
 * $CHOKEPOINT_IMPORT_MAX_MB says otherwise. Their JS heap does not grow with the file (npm run test:memory holds a 20 MB
 * file under a 4x heap cap); the limit bounds DuckDB's staging copy (~7-19x the file in resident memory).
 */
export function maxImportBytes(): number {
  const mb = Number(process.env.CHOKEPOINT_IMPORT_MAX_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 64) * 1024 * 1024;
}

/**
 * Largest input a kind read whole reads (the published-table kinds: USGS world, salient and NIR tables, EU CRM, IEA
 * explorer JSON, policy trackers, groupings): 16 MB unless $CHOKEPOINT_WHOLE_IMPORT_MAX_MB says otherwise.
 * These hold the file, its parsed rows and its records at once, ~11-12x the file (a 28.6 MB WGI CSV read whole grew the
 * process by 11x), so the limit is what bounds their memory: ~200 MB. Their real files are one per edition and small
 * (the largest, the IEA policy tracker CSV, is 1.3 MB): 16 MB is 12x headroom.
 */
export function maxWholeImportBytes(): number {
  const mb = Number(process.env.CHOKEPOINT_WHOLE_IMPORT_MAX_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 16) * 1024 * 1024;
}

/**
 * Largest registry file read: 4 MB, about 45x the curated seed. A YAML document tree takes ~38x its text in memory
 * (a 140 MB registry file once ran the process out of memory), so this keeps a registry import near 150 MB.
 */
export const REGISTRY_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Size limit for kinds that stream into the store through DuckDB's own reader (BACI): their memory does not grow with
 * the file, so the limit is the disk's, not the heap's. $CHOKEPOINT_STREAM_IMPORT_MAX_MB, default 16 GB.
 */
export function maxStreamedImportBytes(): number {
  const mb = Number(process.env.CHOKEPOINT_STREAM_IMPORT_MAX_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 16 * 1024) * 1024 * 1024;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;

/**
 * Refuse, before reading a byte, what an import must never read: a device, FIFO or socket (/dev/zero never ends,
 * a FIFO blocks) and a file over the size limit. Returns the file's size.
 */
export function assertReadableInput(file: string, limit = maxImportBytes(), limitNote = 'set CHOKEPOINT_IMPORT_MAX_MB to raise the limit'): number {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw new ImportError(file, null, null, `cannot read: ${(e as Error).message}`);
  }
  if (!st.isFile()) throw new ImportError(file, null, null, 'not a regular file (a device, FIFO or socket?); nothing read');
  if (st.size > limit) {
    throw new ImportError(file, null, null, `file is ${mb(st.size)}, over the import limit of ${mb(limit)}; nothing read (${limitNote})`);
  }
  return st.size;
}

/** Read a file as text; invalid UTF-8 becomes U+FFFD, so binary junk fails later with a line and field. */
export function readText(file: string, encoding: 'utf-8' | 'latin1' = 'utf-8'): string {
  assertReadableInput(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new ImportError(file, null, null, `cannot read: ${(e as Error).message}`);
  }
  return new TextDecoder(encoding).decode(bytes);
}

/** Append in place without spreading: `xs.push(...ys)` overflows the call stack once ys has ~10^5-10^6 items. */
export function append<T>(into: T[], items: readonly T[]): T[] {
  for (const x of items) into.push(x);
  return into;
}

/**
 * Where an output record was read: set by `checked`, read by validateBatch so a plausibility or duplicate error can
 * name the file and line. A WeakMap keeps records as plain data (no extra field to store or compare).
 */
const recordOrigins = new WeakMap<object, { file: string; line: number }>();

export function recordOrigin(record: object): { file: string; line: number } | undefined {
  return recordOrigins.get(record);
}

export function setRecordOrigin(record: object, file: string, line: number): void {
  recordOrigins.set(record, { file, line });
}

/** Parse CSV text with a header row; blank rows are dropped, line numbers stay true to the file. */
export function readCsv(file: string, text: string): CsvTable {
  let records: CsvRow[];
  try {
    records = parseCsvRecords(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new ImportError(file, e.line, null, e.message);
    throw e;
  }
  const nonBlank = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (nonBlank.length === 0) throw new ImportError(file, null, null, 'empty file (no header row)');
  const [head, ...rows] = nonBlank;
  return { header: head.cells.map((h) => h.trim()), rows };
}

/**
 * Column positions for the named columns; throws if one is missing. Rows must have the header's width,
 * checked here once so importers can index cells freely.
 */
export function columns<K extends string>(file: string, table: CsvTable, names: readonly K[]): Record<K, number> {
  const missing = names.filter((n) => !table.header.includes(n));
  if (missing.length) throw new ImportError(file, 1, missing[0], `missing column(s): ${missing.join(', ')}; header is: ${table.header.join(', ')}`);
  for (const row of table.rows) {
    if (row.cells.length !== table.header.length) {
      throw new ImportError(file, row.line, null, `expected ${table.header.length} fields, found ${row.cells.length}`);
    }
  }
  return Object.fromEntries(names.map((n) => [n, table.header.indexOf(n)])) as Record<K, number>;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Strict decimal number (plain or scientific notation); `Number('')` and `Number(' 0x1 ')` would be too lenient. */
export function parseNumber(raw: string): number | null {
  const s = raw.trim();
  if (!NUMBER.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** A number from a CSV cell or an ImportError naming the line and column. */
export function numberCell(file: string, line: number, field: string, raw: string): number {
  const v = parseNumber(raw);
  if (v === null) throw new ImportError(file, line, field, `expected a number, found "${raw}"`);
  return v;
}

/** Validate one output record; a record that fails its schema is an import error, not a silent drop. */
export function checked<S extends z.ZodType>(schema: S, value: z.input<S>, file: string, line: number | null, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ImportError(file, line, [what, ...issue.path.map(String)].join('.'), issue.message);
  }
  if (line !== null && r.data && typeof r.data === 'object') setRecordOrigin(r.data as object, file, line);
  return r.data;
}

/** A CSV read record by record: the header, the named columns' positions, and the data rows in chunks. */
export interface CsvStream<K extends string> {
  header: string[];
  col: Record<K, number>;
  /** Header position of an optional column, -1 when absent. */
  opt: (name: string) => number;
  /** Data rows in file order, blank rows dropped, each of the header's width (else an ImportError naming the line). */
  rows: AsyncGenerator<CsvRow>;
}

/**
 * `readCsv` + `columns` without holding the file: the header is read first (missing columns refused before any data
 * row), then rows arrive a chunk at a time (streamCsvRecords). Errors are the same ImportErrors, with file and line.
 */
export async function streamCsv<K extends string>(file: string, names: readonly K[], limit?: number): Promise<CsvStream<K>> {
  assertReadableInput(file, limit);
  const chunks = streamCsvRecords(file);
  const next = async (): Promise<IteratorResult<CsvRow[]>> => {
    try {
      return await chunks.next();
    } catch (e) {
      if (e instanceof CsvSyntaxError) throw new ImportError(file, e.line, null, e.message);
      const code = (e as NodeJS.ErrnoException).code;
      if (code) throw new ImportError(file, null, null, `cannot read: ${(e as Error).message}`);
      throw e;
    }
  };
  const blank = (r: CsvRow) => !r.cells.some((c) => c.trim() !== '');
  let first: CsvRow[] = [];
  let head: CsvRow | undefined;
  while (!head) {
    const r = await next();
    if (r.done) throw new ImportError(file, null, null, 'empty file (no header row)');
    const i = r.value.findIndex((x) => !blank(x));
    if (i >= 0) {
      head = r.value[i];
      first = r.value.slice(i + 1);
    }
  }
  const header = head.cells.map((h) => h.trim());
  const missing = names.filter((n) => !header.includes(n));
  if (missing.length) {
    await chunks.return(undefined);
    throw new ImportError(file, 1, missing[0], `missing column(s): ${missing.join(', ')}; header is: ${header.join(', ')}`);
  }
  async function* rows(): AsyncGenerator<CsvRow> {
    try {
      let batch = first;
      // `first` is captured by this generator: let go of it, or the file's first chunk of rows stays in memory to the end
      first = [];
      for (;;) {
        for (const row of batch) {
          if (blank(row)) continue;
          if (row.cells.length !== header.length) throw new ImportError(file, row.line, null, `expected ${header.length} fields, found ${row.cells.length}`);
          yield row;
        }
        const r = await next();
        if (r.done) return;
        batch = r.value;
      }
    } finally {
      await chunks.return(undefined);
    }
  }
  return {
    header,
    col: Object.fromEntries(names.map((n) => [n, header.indexOf(n)])) as Record<K, number>,
    opt: (name) => header.indexOf(name),
    rows: rows(),
  };
}
