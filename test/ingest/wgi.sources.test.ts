/** Checks that need the whole WGI 2024-update file (npm run test:sources); the excerpt tests are in wgi.test.ts. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { importWgi } from '../../src/ingest/wgi.ts';
import { parseCsv } from '../../src/ingest/csv.ts';
import { resolveCountry } from '../../src/model/countries.ts';
import { wgiScaled, WGI_INDICATORS } from '../../src/engine/governance.ts';
import { GovernanceSchema, type ImportBatch } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidBatch } from './malformed.ts';

const FILE = sharedData('wb-wgi/wgi_2024_update_1996_2023.csv');

let batch: ImportBatch;
beforeAll(async () => {
  batch = await importWgi(FILE);
});

describe('importWgi on the whole file', () => {
  it('reads every row with an estimate, each one schema-valid, and counts what it skips', () => {
    expectValidBatch(batch);
    for (const g of batch.governance!) GovernanceSchema.parse(g);
    // 32,100 rows = 30,914 imported + 1,126 ".." rows + 60 Netherlands Antilles rows with estimates
    expect(batch.governance).toHaveLength(30_914);
    expect(batch.warnings).toEqual([
      '1126 rows without an estimate ("..") skipped',
      'economy ANT (Netherlands Antilles (former)) has no country id (no current ISO code); 60 rows not imported',
    ]);
  });

  it('resolves all 214 economies except the Netherlands Antilles', () => {
    const table = parseCsv(readFileSync(FILE, 'utf8'), FILE);
    const codes = new Set(table.rows.map((r) => r.cells[1]));
    expect(codes.size).toBe(214);
    expect([...codes].filter((c) => !resolveCountry(c))).toEqual(['ANT']);
    expect(new Set(batch.governance!.map((g) => g.countryId)).size).toBe(213);
  });

  it('gives a 0..10 scaled WGI for every complete country-year', () => {
    const byCountryYear = new Map<string, Partial<Record<(typeof WGI_INDICATORS)[number], number>>>();
    for (const g of batch.governance!) {
      const k = `${g.countryId} ${g.year}`;
      byCountryYear.set(k, { ...byCountryYear.get(k), [g.indicator]: g.estimate });
    }
    const scaled = [...byCountryYear.values()].map(wgiScaled).filter((s): s is number => s !== null);
    expect(scaled.length).toBeGreaterThan(5000);
    expect(scaled.every((s) => s >= 0 && s <= 10)).toBe(true);
  });
});
