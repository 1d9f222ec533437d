/** Checks that need the whole country_groupings.csv (npm run test:sources); the excerpt tests are in groupings.test.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { importGroupings } from '../../src/ingest/groupings.ts';
import { GroupingMemberSchema, type ImportBatch } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidBatch } from './malformed.ts';

const FILE = sharedData('country-groupings/country_groupings.csv');

let batch: ImportBatch;
beforeAll(async () => {
  batch = await importGroupings(FILE);
});
const members = (groupId: string) => batch.groupings!.filter((g) => g.groupId === groupId).map((g) => g.countryId);

describe('importGroupings on the whole file', () => {
  it('reads all 126 memberships, each schema-valid, without warnings', () => {
    expectValidBatch(batch);
    for (const g of batch.groupings!) GroupingMemberSchema.parse(g);
    expect(batch.groupings).toHaveLength(126);
    expect(batch.warnings).toEqual([]);
  });

  it('has the published group sizes', () => {
    const sizes = Object.fromEntries(['EU27', 'G7', 'OECD', 'MSP', 'IPEF_CMD', 'BRICS_GP', 'SCMA', 'ERGI', 'CMMI'].map((g) => [g, members(g).length]));
    expect(sizes).toEqual({ EU27: 27, G7: 7, OECD: 38, MSP: 15, IPEF_CMD: 14, BRICS_GP: 9, SCMA: 8, ERGI: 5, CMMI: 3 });
    expect(members('EU27')).not.toContain('GBR');
  });
});
