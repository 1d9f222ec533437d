import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importWgi } from '../../src/ingest/wgi.ts';
import { parseCsv } from '../../src/ingest/csv.ts';
import { resolveCountry } from '../../src/model/countries.ts';
import { wgiScaled, WGI_INDICATORS } from '../../src/engine/governance.ts';
import { GovernanceSchema, ImportError, type ImportBatch } from '../../src/model/schema.ts';
import { BINARY_JUNK, expectResultOrImportError, fixturePath, expectValidBatch, mutate, rng, tempDir, writeTemp, removeTempDirs } from './malformed.ts';

// 40 of the 32,100 rows: the first 20 (".." rows, a quoted name), Netherlands Antilles, China and DR Congo 2023 (all six
// indicators, scientific notation) and the non-ISO codes (PROVENANCE.md)
const FILE = fixturePath('wb-wgi/wgi_2024_update_1996_2023.csv');

let batch: ImportBatch;
beforeAll(async () => {
  batch = await importWgi(FILE);
});

describe('importWgi on the excerpt', () => {
  it('reads every row with an estimate, each one schema-valid, and counts what it skips', () => {
    expectValidBatch(batch);
    for (const g of batch.governance!) GovernanceSchema.parse(g);
    // 40 rows = 34 imported + 3 ".." rows (American Samoa, Anguilla, Aruba 1996) + 3 Netherlands Antilles rows with estimates
    expect(batch.governance).toHaveLength(34);
    expect(batch.observations).toHaveLength(0);
    expect(batch.warnings).toEqual([
      '3 rows without an estimate ("..") skipped',
      'economy ANT (Netherlands Antilles (former)) has no country id (no current ISO code); 3 rows not imported',
    ]);
  });

  it('resolves every economy except the Netherlands Antilles, including the non-ISO WGI codes', () => {
    const table = parseCsv(readFileSync(FILE, 'utf8'), FILE);
    const codes = new Set(table.rows.map((r) => r.cells[1]));
    expect(codes.size).toBe(27);
    expect([...codes].filter((c) => !resolveCountry(c))).toEqual(['ANT']);
    const ids = new Set(batch.governance!.map((g) => g.countryId));
    expect(ids.size).toBe(23); // 27 codes less ANT and the three with ".." only
    expect(batch.governance!.find((g) => g.countryId === 'BHS')!.estimate).toBeCloseTo(1.1568101644515991, 12); // "Bahamas, The"
    for (const [code, iso] of [
      ['ZAR', 'COD'],
      ['ROM', 'ROU'],
      ['ADO', 'AND'],
      ['KSV', 'XKX'],
      ['TMP', 'TLS'],
      ['WBG', 'PSE'],
    ]) {
      expect(ids.has(iso), `${code} -> ${iso}`).toBe(true);
      expect(ids.has(code)).toBe(false);
    }
  });

  it('has China 2023 political stability with its standard error and percentile rank', () => {
    const pv = batch.governance!.find((g) => g.countryId === 'CHN' && g.year === 2023 && g.indicator === 'pv')!;
    expect(pv.estimate).toBeCloseTo(-0.513097, 6);
    expect(pv.stdErr).toBeCloseTo(0.208098, 6);
    expect(pv.percentileRank).toBeCloseTo(25.118, 3);
  });

  it('reads scientific notation and gives a 0..10 scaled WGI for every complete country-year', () => {
    const cc = batch.governance!.find((g) => g.countryId === 'CHN' && g.year === 2023 && g.indicator === 'cc')!;
    expect(cc.estimate).toBeCloseTo(-5.3701046854257584e-3, 15); // published as -5.3701046854257584E-3
    const byCountryYear = new Map<string, Partial<Record<(typeof WGI_INDICATORS)[number], number>>>();
    for (const g of batch.governance!) {
      const k = `${g.countryId} ${g.year}`;
      byCountryYear.set(k, { ...byCountryYear.get(k), [g.indicator]: g.estimate });
    }
    const complete = [...byCountryYear].filter(([, v]) => wgiScaled(v) !== null).map(([k]) => k);
    expect(complete.sort()).toEqual(['CHN 2023', 'COD 2023']);
    for (const k of complete) {
      const s = wgiScaled(byCountryYear.get(k)!)!;
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(10);
    }
    expect(wgiScaled(byCountryYear.get('CHN 2023')!)).toBeGreaterThan(5); // weaker than the WGI mean of zero
    expect(wgiScaled(byCountryYear.get('COD 2023')!)).toBeGreaterThan(wgiScaled(byCountryYear.get('CHN 2023')!)!);
  });
});

describe('importWgi on malformed input', () => {
  afterAll(removeTempDirs);
  const dir = tempDir();
  const original = readFileSync(FILE);
  const text = original.toString('utf8');
  const lines = text.split('\n');
  const header = lines[0];
  const validate = (b: ImportBatch) => expectValidBatch(b);
  const expectImportError = async (name: string, content: string | Uint8Array, line?: number, field?: string) => {
    const file = writeTemp(dir, name, content);
    const r = await expectResultOrImportError(() => importWgi(file), file, validate);
    expect(r).toBeInstanceOf(ImportError);
    if (line !== undefined) expect((r as ImportError).line).toBe(line);
    if (field !== undefined) expect((r as ImportError).field).toBe(field);
  };
  const withRow = (row: string) => [header, lines[1], row].join('\n');

  it('rejects empty, binary and unreadable input', async () => {
    await expectImportError('empty.csv', '');
    await expectImportError('junk.csv', BINARY_JUNK);
    const missing = `${dir}/missing.csv`;
    expect(await expectResultOrImportError(() => importWgi(missing), missing, validate)).toBeInstanceOf(ImportError);
  });

  it('names the line and field of a wrong type, a short row, a bad indicator or a duplicate', async () => {
    await expectImportError('text-estimate.csv', withRow('CHNpv2023,CHN,China,2023,pv,high,0.2,8,25,16,40'), 3, 'estimate');
    await expectImportError('text-year.csv', withRow('CHNpv2023,CHN,China,twenty,pv,-0.5,0.2,8,25,16,40'), 3, 'year');
    await expectImportError('short-row.csv', withRow('CHNpv2023,CHN,China,2023,pv,-0.5'), 3);
    await expectImportError('bad-indicator.csv', withRow('CHNxx2023,CHN,China,2023,xx,-0.5,0.2,8,25,16,40'), 3, 'indicator');
    await expectImportError('duplicate.csv', [header, lines[1], lines[1]].join('\n'), 3, 'code');
    await expectImportError('truncated-quote.csv', `${header}\n${lines[1]}\nBHScc1996,BHS,"Bahamas, The`, 3);
  });

  it('rejects a file without the estimate column, naming the column', async () => {
    const drop = (l: string) =>
      l
        .split(',')
        .filter((_, i) => i !== 5)
        .join(',');
    await expectImportError('no-estimate.csv', lines.map(drop).join('\n'), 1, 'estimate');
  });

  it('warns about economies it cannot resolve instead of guessing', async () => {
    const file = writeTemp(dir, 'unknown.csv', withRow('XYZpv2023,XYZ,Nowhere,2023,pv,-0.5,0.2,8,25,16,40'));
    const b = await importWgi(file);
    expectValidBatch(b);
    expect(b.governance).toHaveLength(1);
    expect(b.warnings).toEqual(['economy XYZ (Nowhere) has no country id (no current ISO code); 1 rows not imported']);
  });

  it('survives 200 random truncations and byte flips of the excerpt', async () => {
    // the excerpt has the real columns, quoting, ".." rows, scientific notation and non-ISO codes
    const sample = new Uint8Array(original);
    const rand = rng(1996);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 200; i++) {
      const file = writeTemp(dir, `mutant-${i}.csv`, mutate(sample, rand));
      const r = await expectResultOrImportError(() => importWgi(file), file, validate);
      outcomes[r === 'ok' ? 'ok' : 'error']++;
    }
    console.log(`WGI mutations: ${outcomes.ok} valid batches, ${outcomes.error} ImportErrors`);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });
});
