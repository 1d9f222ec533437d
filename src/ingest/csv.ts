/**
 * Small RFC-4180 CSV reader shared by all importers: handles quotes, embedded newlines, CRLF, a UTF-8 BOM,
 * and reports 1-based physical line numbers so errors can name the line. Rows that are entirely empty
 * (USGS files pad with ",,,,,," lines) are dropped but line numbering stays true to the file.
 */
export interface CsvRow {
  line: number; // 1-based line number where the record starts
  cells: string[];
}
export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Cells are sliced out of the text rather than built a character at a time: `cell += ch` leaves a rope of one
 * cons-string per character, which made a 100 MB file take 12-38x its size in memory.
 */
export function parseCsvRecords(text: string): CsvRow[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseCsvChunk(text, 1).rows;
}

/**
 * Parse a piece of a CSV that ends at a record boundary (or the end of the file), its first line numbered `firstLine`.
 * Returns the records and the number the next piece's first line has, so a streamed file keeps true line numbers.
 */
export function parseCsvChunk(text: string, firstLine: number): { rows: CsvRow[]; nextLine: number } {
  const out: CsvRow[] = [];
  const n = text.length;
  let cells: string[] = [];
  let line = firstLine;
  let recordLine = firstLine;
  let i = 0;
  let atRecordStart = true;
  while (i < n || !atRecordStart) {
    atRecordStart = false;
    let cell: string;
    if (text.charCodeAt(i) === 34 /* " */) {
      // quoted cell: runs to the next lone quote; "" is a literal quote; newlines inside count as lines
      const parts: string[] = [];
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) throw new CsvSyntaxError(recordLine, 'unterminated quoted field (file truncated?)');
        for (let k = text.indexOf('\n', from); k >= 0 && k < q; k = text.indexOf('\n', k + 1)) line++;
        parts.push(text.slice(from, q));
        if (text.charCodeAt(q + 1) === 34) {
          parts.push('"');
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // text after the closing quote up to the delimiter is kept, as the character reader did
      let j = i;
      while (j < n && text.charCodeAt(j) !== 44 && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      if (j > i) parts.push(text.slice(i, j));
      i = j;
      cell = parts.length === 1 ? parts[0] : parts.join('');
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      cell = text.slice(i, j);
      i = j;
    }
    cells.push(cell);
    const c = i < n ? text.charCodeAt(i) : -1;
    if (c === 44) {
      i++;
      if (i >= n) {
        // a trailing comma at the end of the text: one more empty cell, then the record ends
        cells.push('');
        out.push({ line: recordLine, cells });
        break;
      }
      continue;
    }
    out.push({ line: recordLine, cells });
    cells = [];
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 13 || c === 10) {
      i++;
      line++;
      recordLine = line;
    }
    atRecordStart = true;
  }
  return { rows: out, nextLine: line };
}

/** Parse a CSV with a header row. Blank rows are dropped; ragged rows are kept (importers validate width). */
export function parseCsv(text: string, file: string): CsvTable {
  let records: CsvRow[];
  try {
    records = parseCsvRecords(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new Error(`${file}:${e.line}: ${e.message}`);
    throw e;
  }
  const nonBlank = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (nonBlank.length === 0) throw new Error(`${file}: empty file (no header row)`);
  const [head, ...rows] = nonBlank;
  return { header: head.cells.map((h) => h.trim()), rows };
}

/** Quote a cell for CSV output (RFC 4180). */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Serialise rows of plain objects to CSV with the given columns. */
export function toCsv<T extends Record<string, unknown>>(rows: T[], columns: (keyof T & string)[]): string {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(','));
  return lines.join('\n') + '\n';
}
