/** Checks that need the whole EU CRM 2023 folder (npm run test:sources); the excerpt tests are in eu-crm.test.ts. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importEuCrm2023, readEuMaterialGroupings, readEuMaterialUseShares } from '../../src/ingest/eu-crm.ts';
import { ObservationSchema, type ImportBatch } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectNoNaN, expectValidBatch } from './malformed.ts';

const DIR = sharedData('eu-crm-2023');
const GLOBAL = 'fact_GlobalSupplyShares_t.csv';
const EU = 'fact_EUSupplyShares_t.csv';

let batch: ImportBatch;
beforeAll(async () => {
  batch = await importEuCrm2023(DIR);
});

function shareSums(detail: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const o of batch.observations.filter((x) => x.measure === 'supply_share' && x.detail === detail)) {
    const k = `${o.materialId} ${o.stage}`;
    sums.set(k, (sums.get(k) ?? 0) + o.value!);
  }
  return sums;
}

describe('importEuCrm2023 on the whole folder', () => {
  it('turns every row of both supply files into a share and a t observation, each schema-valid', () => {
    expectValidBatch(batch);
    for (const o of batch.observations) ObservationSchema.parse(o);
    // 2,561 global + 907 EU-sourcing rows, two observations each
    expect(batch.observations).toHaveLength(2 * (2561 + 907));
    expect(batch.observations.filter((o) => o.detail === 'global' && o.measure === 'supply_share')).toHaveLength(2561);
    expect(batch.observations.filter((o) => o.detail === 'eu_sourcing' && o.measure === 'trade_variable_t')).toHaveLength(907);
    expect(batch.warnings.some((w) => w.includes('not resolved'))).toBe(false);
  });

  it('global shares add up to about 1 per material and stage (rounded transcription; outliers warned)', () => {
    const sums = shareSums('global');
    expect(sums.size).toBe(122);
    const outside = [...sums].filter(([, s]) => s < 0.97 || s > 1.01).map(([k, s]) => `${k} ${s.toFixed(3)}`);
    console.log(`global share sums outside 0.97..1.01 (${outside.length} of ${sums.size}):\n  ${outside.join('\n  ')}`);
    expect([...sums.values()].every((s) => s >= 0.88 && s <= 1.04)).toBe(true);
    expect(outside.length).toBeLessThan(sums.size / 4);
    expect(batch.warnings).toContain(
      `${GLOBAL}: listed shares do not add up to 100% (±5 points) for Nickel E 91.3%, Roundwood E 93.0%, Titanium P 92.0%, Vanadium P 88.7%`,
    );
  });

  it('EU-sourcing shares never exceed 1', () => {
    expect([...shareSums('eu_sourcing').values()].every((s) => s <= 1.012)).toBe(true);
  });

  it('reads the bare "6" share on line 712 of the EU-sourcing file with a warning', () => {
    expect(batch.warnings).toContain(`${EU}:712: share "6" has no % sign; read as 6%`);
  });

  it('imports the EU-sourcing file alone: all 907 rows', async () => {
    const one = await importEuCrm2023(join(DIR, EU));
    expect(one.observations).toHaveLength(2 * 907);
  });
});

describe('EU CRM end-use shares and material groupings, whole files', () => {
  it('reads all 339 end-use shares; every material resolves; only "Other" uses lack a NACE sector', async () => {
    const uses = await readEuMaterialUseShares(DIR);
    expect(uses).toHaveLength(339);
    expectNoNaN(uses);
    expect(uses.every((u) => u.materialId !== null && u.share >= 0 && u.share <= 1)).toBe(true);
    expect(uses.filter((u) => u.naceSector === null).every((u) => /^other/i.test(u.application) && u.valueAddedMEur === null)).toBe(true);
  });

  it('reads all 90 groupings; only the combined "aluminium/bauxite" has no material id', async () => {
    const groups = await readEuMaterialGroupings(join(DIR, 'dimension_ScreenedMatGroupings.csv'));
    expect(groups).toHaveLength(90);
    expect(groups.filter((g) => g.materialId === null).map((g) => g.material)).toEqual(['aluminium/bauxite']);
  });
});
