/**
 * The CSV reader of csv.ts over a file read a chunk at a time (streamed imports, issue 11). Kept apart from csv.ts,
 * which the engine and the report layer use for output and which does no I/O.
 */
import { open } from 'node:fs/promises';
import { parseCsvChunk, type CsvRow } from './csv.ts';

/**
 * Where a streamed CSV may be cut: after the last line break that is not inside a quoted cell. Follows the reader's
 * rules (a quote opens a quoted cell only at the start of a cell; "" inside one is a literal quote), so a cut never
 * splits a record. Keeps its state between calls; `pos` is where scanning resumes in the pending text.
 */
class CutFinder {
  pos = 0;
  private quoted = false;
  private cellStart = true;

  /** Scan `text` from `pos`; returns the index just after the last safe line break, or -1. */
  scan(text: string, final: boolean): number {
    let cut = -1;
    const n = text.length;
    let i = this.pos;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.quoted) {
        if (c !== 34) continue;
        if (i + 1 >= n && !final) break; // a quote at the end: "" or a closing quote? wait for more text
        if (text.charCodeAt(i + 1) === 34) i++;
        else this.quoted = false;
      } else if (c === 34 && this.cellStart) {
        this.quoted = true;
        this.cellStart = false;
      } else if (c === 10) {
        cut = i + 1;
        this.cellStart = true;
      } else {
        this.cellStart = c === 44 || c === 13;
      }
    }
    this.pos = i;
    return cut;
  }
}

/**
 * Parsed records weigh about 20 times their text in the heap (an array and a string per cell): a 1 MB chunk held
 * 15-20 MB, so a streamed import of a 20 MB file ran at the edge of an 80 MB heap. 256 kB reads as fast.
 */
export const CSV_CHUNK_BYTES = 256 * 1024;

/**
 * Read a CSV file record by record, about `chunkBytes` at a time: memory holds one chunk and its records, never the
 * file. Same records, cells and line numbers as parseCsvRecords over the whole text (test/ingest/csv-stream.test.ts).
 * Blank rows are kept, as parseCsvRecords keeps them. Invalid UTF-8 becomes U+FFFD.
 */
export async function* streamCsvRecords(file: string, chunkBytes = CSV_CHUNK_BYTES): AsyncGenerator<CsvRow[]> {
  const fh = await open(file, 'r');
  try {
    const decoder = new TextDecoder('utf-8');
    const buf = Buffer.allocUnsafe(chunkBytes);
    const finder = new CutFinder();
    let pending = '';
    let line = 1;
    let first = true;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      const final = bytesRead === 0;
      pending += final ? decoder.decode() : decoder.decode(buf.subarray(0, bytesRead), { stream: true });
      if (first && pending.length) {
        if (pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
        first = false;
      }
      const cut = final ? pending.length : finder.scan(pending, false);
      if (cut > 0) {
        const { rows, nextLine } = parseCsvChunk(cut === pending.length ? pending : pending.slice(0, cut), line);
        line = nextLine;
        pending = cut === pending.length ? '' : pending.slice(cut);
        finder.pos -= cut;
        if (finder.pos < 0) finder.pos = 0;
        if (rows.length) yield rows;
      }
      if (final) return;
    }
  } finally {
    await fh.close();
  }
}
