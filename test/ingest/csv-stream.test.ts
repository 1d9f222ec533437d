/**
 * The streamed CSV reader (csv-stream.ts streamCsvRecords) against the whole-text reader: same records, cells and line
 * numbers for any cut of the file into chunks, including cuts inside quoted cells, between CR and LF, inside a
 * multi-byte character and right after a quote.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsvRecords, type CsvRow } from '../../src/ingest/csv.ts';
import { streamCsvRecords } from '../../src/ingest/csv-stream.ts';
import { mulberry32 } from '../../src/engine/criticality/common.ts';
import { removeTempDirs, tempDir, writeTemp } from './malformed.ts';

afterAll(removeTempDirs);

async function streamed(file: string, chunk: number): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const rows of streamCsvRecords(file, chunk)) for (const r of rows) out.push(r);
  return out;
}

const PIECES = ['a', 'bb', '1.5', '', '"q,uoted"', '"two\nlines"', '"say ""hi"""', 'ü€', '"x"y', 'a"b', '"\r\n"', ' '];

function randomCsv(rand: () => number): string {
  const lines: string[] = [];
  const rows = 1 + Math.floor(rand() * 12);
  for (let r = 0; r < rows; r++) {
    const cells = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => PIECES[Math.floor(rand() * PIECES.length)]);
    lines.push(cells.join(','));
  }
  const eol = rand() < 0.5 ? '\n' : '\r\n';
  return (rand() < 0.2 ? '\uFEFF' : '') + lines.join(eol) + (rand() < 0.7 ? eol : '');
}

describe('streamCsvRecords', () => {
  it('equals parseCsvRecords for 150 random files at chunk sizes 1..7 and 64 KB', async () => {
    const rand = mulberry32(11);
    const dir = tempDir();
    for (let n = 0; n < 150; n++) {
      const text = randomCsv(rand);
      const file = writeTemp(dir, `f${n}.csv`, text);
      let whole: CsvRow[] | Error;
      try {
        whole = parseCsvRecords(text);
      } catch (e) {
        whole = e as Error;
      }
      for (const chunk of [1, 2, 3, 5, 7, 65536]) {
        const got = await streamed(file, chunk).catch((e: Error) => e);
        if (whole instanceof Error) expect(got, `${JSON.stringify(text)} chunk ${chunk}`).toBeInstanceOf(Error);
        else expect(got, `${JSON.stringify(text)} chunk ${chunk}`).toEqual(whole);
      }
    }
  });

  it('an unterminated quote at the end is an error naming the line where its record starts', async () => {
    const file = writeTemp(tempDir(), 'cut.csv', 'a,b\n1,2\n3,"cut off\nhere');
    const e = await streamed(file, 4).catch((x) => x);
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/unterminated quoted field/);
  });
});
