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

export function parseCsvRecords(text: string): CsvRow[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    cells.push(cell);
    out.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  while (i < n) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell.length === 0) {
      inQuotes = true;
      i++;
      continue;
    }
    if (ch === ',') {
      cells.push(cell);
      cell = '';
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      recordLine = line;
      continue;
    }
    cell += ch;
    i++;
  }
  if (inQuotes) throw new CsvSyntaxError(recordLine, 'unterminated quoted field (file truncated?)');
  if (cell.length > 0 || cells.length > 0) endRecord();
  return out;
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
