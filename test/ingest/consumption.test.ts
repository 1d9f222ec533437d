/**
 * Consumption importer (src/ingest/consumption.ts): reads the fixture (units converted, basis and source kept) and
 * refuses bad input — unknown unit, mixed bases, missing year, unknown country, missing source — naming file, line
 * and field; nothing is returned for a refused file (the store write is all-or-nothing).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importConsumption } from '../../src/ingest/consumption.ts';
import { ImportError } from '../../src/model/schema.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/consumption/usgs-mcs-2025-us-consumption.csv');
const text = readFileSync(FIXTURE, 'utf-8');
const dir = mkdtempSync(join(tmpdir(), 'consumption-'));
const variant = (name: string, edit: (lines: string[]) => string[]) => {
  const p = join(dir, name);
  writeFileSync(p, edit(text.trimEnd().split('\n')).join('\n') + '\n');
  return p;
};
const refused = async (p: string, line: number, field: string, reason: RegExp) => {
  const e = await importConsumption(p).catch((x) => x);
  expect(e).toBeInstanceOf(ImportError);
  expect(e.file).toBe(p);
  expect(e.line).toBe(line);
  expect(e.field).toBe(field);
  expect(e.reason).toMatch(reason);
};

describe('consumption importer', () => {
  it('reads the fixture: tonnes, basis, method and source on every row', async () => {
    const b = await importConsumption(FIXTURE);
    expect(b.observations).toHaveLength(3);
    const co24 = b.observations.find((o) => o.materialId === 'cobalt' && o.year === 2024)!;
    expect(co24).toMatchObject({
      countryId: 'USA',
      measure: 'consumption',
      stage: 'end_use',
      value: 8500,
      unit: 't',
      basis: 'contained',
      detail: 'apparent consumption',
    });
    expect(b.sources).toHaveLength(1);
    expect(b.sources[0]).toMatchObject({ dataset: 'consumption', publisher: 'U.S. Geological Survey', url: 'https://doi.org/10.5066/P13XCP3R' });
  });

  it('refuses an unknown unit', async () => {
    await refused(
      variant('unit.csv', (l) => [...l.slice(0, 2), l[2].replace(',8.5,kt,', ',8.5,lbs,'), l[3]]),
      3,
      'unit',
      /unknown unit "lbs"/,
    );
  });
  it('refuses mixed bases within a series', async () => {
    await refused(
      variant('basis.csv', (l) => [...l.slice(0, 2), l[2].replace(',contained,', ',gross_weight,'), l[3]]),
      3,
      'basis',
      /mixed bases: USA cobalt end_use is "contained" on line 2/,
    );
  });
  it('refuses a missing year', async () => {
    await refused(
      variant('year.csv', (l) => [l[0], l[1], l[2], l[3].replace(',2024,', ',,')]),
      4,
      'year',
      /missing year/,
    );
  });
  it('refuses an unknown country, a missing source and an unknown basis', async () => {
    await refused(
      variant('country.csv', (l) => [l[0], l[1].replace(/^USA,/, 'XXQ,')]),
      2,
      'country',
      /not a country/,
    );
    await refused(
      variant('source.csv', (l) => [l[0], l[1].replace('https://doi.org/10.5066/P13XCP3R', '')]),
      2,
      'url',
      /every figure names its source/,
    );
    await refused(
      variant('basis2.csv', (l) => [l[0], l[1].replace(',contained,', ',tonnes,')]),
      2,
      'basis',
      /unknown basis/,
    );
  });
});
