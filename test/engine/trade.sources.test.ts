/**
 * China's gallium export ban with the real USGS MCS 2025 world table and China's customs exports by destination
 * (../shared/data/trade-china-cm-exports: UN Comtrade-derived tables without a licence to redistribute, so neither
 * bundled nor excerpted under test/fixtures).
 */
import { describe, expect, it } from 'vitest';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { importUsgsWorld } from '../../src/ingest/usgs/world.ts';
import { importChinaExports } from '../../src/ingest/china-exports.ts';
import { runScenario, scenarioFromFlags } from '../../src/scenario/run.ts';
import { sharedData } from '../sources/shared-data.ts';

describe('China gallium export ban with the real USGS MCS 2025 and China customs files', () => {
  it("allocates the 750 t to China's 2024 destinations of HS 811292, conserving the tonnes", async () => {
    const batches = [
      await importUsgsWorld(sharedData('usgs-mcs-2025/world/MCS2025_World_Data.csv')),
      await importChinaExports(sharedData('trade-china-cm-exports')),
    ];
    const index = new DatasetIndex({
      observations: batches.flatMap((b) => b.observations),
      sources: new Map(batches.flatMap((b) => b.sources).map((s) => [s.id, s])),
      governance: [],
      groupings: [],
      tradeFlows: batches.flatMap((b) => b.tradeFlows ?? []),
    });
    const r = runScenario(index, scenarioFromFlags({ material: 'gallium', stage: 'refining', year: 2024, exclude: ['CHN'] }));
    const e = r.importerExposure[0];
    expect(e.lostTonnes).toBe(750);
    expect(e.tradeYear).toBe(2024);
    expect(e.hsCodes).toEqual(['811292']);
    expect(e.importers.reduce((a, x) => a + x.lostTonnes, 0)).toBeCloseTo(750, 6);
    expect(e.importers.slice(0, 2).map((x) => x.countryId)).toEqual(['HKG', 'KOR']);
    expect(e.source.sourceId).toBe('china-cm-exports-2024');
  });
});
