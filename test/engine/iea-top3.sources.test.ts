/**
 * The committed excerpt of the IEA "Top 3 share" row (test/fixtures/engine-iea-top3-share, used by iea-top3.test.ts on
 * the bundle) is the row in the IEA file (../shared/data/iea-critical-minerals). That the bundle's IEA figures are the
 * file's is checked for every bundled source by test/sources/bundle.sources.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readIeaPublishedTop3 } from '../../src/ingest/iea.ts';
import { sharedData } from '../sources/shared-data.ts';

const IEA_FILE = sharedData('iea-critical-minerals/iea_cm_data_explorer_2025_processed.json');
const IEA_TOP3_EXCERPT = fileURLToPath(new URL('../fixtures/engine-iea-top3-share/iea_cm_top3_share_2025.json', import.meta.url));

describe('IEA "Top 3 share" excerpt vs the IEA file', () => {
  it("the excerpt is the file's row, all 48 cells, values unchanged", async () => {
    const fromFile = await readIeaPublishedTop3(IEA_FILE);
    expect(fromFile).toHaveLength(48);
    expect(await readIeaPublishedTop3(IEA_TOP3_EXCERPT)).toEqual(fromFile);
  });
});
