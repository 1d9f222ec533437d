/** Checks that need the whole APRI map data (npm run test:sources); the excerpt tests are in policy-apri.test.ts. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importApriPartnerships } from '../../src/ingest/policy/apri.ts';
import type { ImportBatch } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidRegistryBatch } from './malformed.ts';

const FOLDER = sharedData('apri-cm-partnerships');

let batch: ImportBatch;
beforeAll(async () => {
  batch = await importApriPartnerships(FOLDER);
});

describe('importApriPartnerships on the whole map data', () => {
  it('reads 9 blocs and 97 bilateral agreements (82 entries, nested agreement lists expanded), all registry-valid', () => {
    expectValidRegistryBatch(batch);
    expect(batch.agreements).toHaveLength(106);
    expect(batch.agreements!.filter((a) => a.id.startsWith('apri-bloc-'))).toHaveLength(9);
  });

  it('types every agreement from its wording', () => {
    const types = batch.agreements!.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.type]: (acc[a.type] ?? 0) + 1 }), {});
    expect(types).toEqual({ cooperative: 102, investment_fund: 3, binding: 1 });
  });

  it('warns about exactly what it did not read', () => {
    expect(batch.warnings).toEqual([
      'numberPartner.json not read: it counts the partnerships of bilateralPartner.json',
      '2 bloc members are not countries (development banks, companies) or do not resolve: dropped from the parties: Lobito Corridor Project: "AfDB"; Lobito Corridor Project: "AFC"',
      '1 phrases of the minerals field name no known material: ignored: EU–South Africa: "Also covers all non-fossil fuel minerals"',
    ]);
  });

  it('reads either file alone, with the same ids', async () => {
    const multi = await importApriPartnerships(join(FOLDER, 'multiPartner.json'));
    const bilateral = await importApriPartnerships(join(FOLDER, 'bilateralPartner.json'));
    expect(multi.agreements).toHaveLength(9);
    expect(bilateral.agreements).toHaveLength(97);
    expect([...multi.agreements!, ...bilateral.agreements!].map((a) => a.id)).toEqual(batch.agreements!.map((a) => a.id));
  });
});
