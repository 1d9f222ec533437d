import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGroupings } from '../../src/ingest/groupings.ts';
import { GroupingMemberSchema, ImportError, type ImportBatch } from '../../src/model/schema.ts';
import { BINARY_JUNK, expectResultOrImportError, fixturePath, expectValidBatch, mutate, removeTempDirs, rng, tempDir, writeTemp } from './malformed.ts';

// an excerpt of 39 of the 126 rows: every MSP, G7 and CMMI member, a few of each other group (PROVENANCE.md)
const FILE = fixturePath('country-groupings/country_groupings.csv');

let batch: ImportBatch;
beforeAll(async () => {
  batch = await importGroupings(FILE);
});
const members = (groupId: string) => batch.groupings!.filter((g) => g.groupId === groupId).map((g) => g.countryId);

describe('importGroupings on the excerpt', () => {
  it('reads every membership, each schema-valid, without warnings', () => {
    expectValidBatch(batch);
    for (const g of batch.groupings!) GroupingMemberSchema.parse(g);
    expect(batch.groupings).toHaveLength(39);
    expect(batch.warnings).toEqual([]);
    expect(batch.sources.map((s) => s.id)).toEqual(['chokepoint-groupings-2026']);
  });

  it('has the complete groups of the excerpt at their published sizes', () => {
    const sizes = Object.fromEntries(['G7', 'MSP', 'CMMI'].map((g) => [g, members(g).length]));
    expect(sizes).toEqual({ G7: 7, MSP: 15, CMMI: 3 });
  });

  it('lists the EU as an MSP member in its own right (X-EU), beside 14 countries', () => {
    expect(members('MSP').sort()).toEqual(['AUS', 'CAN', 'DEU', 'EST', 'FIN', 'FRA', 'GBR', 'IND', 'ITA', 'JPN', 'KOR', 'NOR', 'SWE', 'USA', 'X-EU']);
    expect(members('EU27')).not.toContain('GBR');
    expect(members('EU27')).toContain('HRV');
  });

  it('keeps the date of each list from the free-text as_of', () => {
    const asOf = (groupId: string) => batch.groupings!.find((g) => g.groupId === groupId)!.asOf;
    expect(asOf('EU27')).toBe('2020-02-01');
    expect(asOf('OECD')).toBe('2024');
    expect(asOf('MSP')).toBe('2026-03');
  });
});

describe('importGroupings on malformed input', () => {
  afterAll(removeTempDirs);
  const dir = tempDir();
  const original = readFileSync(FILE);
  const lines = original.toString('utf8').split('\n');
  const validate = (b: ImportBatch) => expectValidBatch(b);
  const run = async (name: string, content: string | Uint8Array) => {
    const file = writeTemp(dir, name, content);
    return { file, r: await expectResultOrImportError(() => importGroupings(file), file, validate) };
  };

  it('rejects empty, binary, unreadable and truncated files', async () => {
    expect((await run('empty.csv', '')).r).toBeInstanceOf(ImportError);
    expect((await run('junk.csv', BINARY_JUNK)).r).toBeInstanceOf(ImportError);
    expect(
      (await run('quote.csv', `${lines.slice(0, 14).join('\n')}\nMSP,Minerals Security Partnership,AUS,Australia,country,2026,"sauravafripoli`)).r,
    ).toBeInstanceOf(ImportError);
    const missing = `${dir}/missing.csv`;
    expect(await expectResultOrImportError(() => importGroupings(missing), missing, validate)).toBeInstanceOf(ImportError);
  });

  it('names the missing column, or the line of a short row', async () => {
    const noIso = lines.map((l) => l.replace(/^([^,]*,[^,]*),[^,]*,/, '$1,')).join('\n');
    expect(((await run('no-iso3.csv', noIso)).r as ImportError).field).toBe('iso3');
    const short = (await run('short.csv', `${lines.slice(0, 3).join('\n')}\nG7,Group of Seven,USA`)).r as ImportError;
    expect(short.line).toBe(4);
  });

  it('warns about codes that do not resolve and about repeated members', async () => {
    const b = await importGroupings(writeTemp(dir, 'odd.csv', [lines[0], lines[1], lines[1], 'G7,Group of Seven,ZZZ,Nowhere,country,2024,,'].join('\n')));
    expectValidBatch(b);
    expect(b.groupings).toHaveLength(1);
    expect(b.warnings).toEqual([
      'line 3: EU27 lists AUT twice; second row not imported',
      'line 4: G7 member "ZZZ" does not resolve to a country id; not imported',
    ]);
  });

  it('survives 200 random truncations and byte flips of the excerpt', async () => {
    const rand = rng(2026);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 200; i++) outcomes[(await run(`mutant-${i}.csv`, mutate(original, rand))).r === 'ok' ? 'ok' : 'error']++;
    console.log(`groupings mutations: ${outcomes.ok} valid batches, ${outcomes.error} ImportErrors`);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });
});
