/**
 * GeoPolRisk as the USA, 2023, on the bundled dataset plus a folder of UN Comtrade CSV, loaded the way
 * `chokepoint data import comtrade <folder>` loads it (into a store, here in memory). Shared by the `npm test` check on
 * the committed excerpt and the `npm run test:sources` check on the full sample.
 */
import { DatasetIndex } from '../../../src/engine/dataset.ts';
import { importComtrade } from '../../../src/ingest/comtrade.ts';
import { BUNDLE_DIR } from '../../../src/ingest/bundle.ts';
import { importPath } from '../../../src/ingest/index.ts';
import { loadDataset } from '../../../src/store/load.ts';
import { Store } from '../../../src/store/store.ts';
import { runCriticality } from '../../../src/engine/criticality/index.ts';
import type { TradeFlow } from '../../../src/model/schema.ts';

export async function geoPolRiskAsUsa(comtradeFolder: string, materials: string[]): Promise<{ rep: ReturnType<typeof runCriticality>; flows: TradeFlow[] }> {
  const store = await Store.open(':memory:');
  try {
    await importPath(store, 'bundle', BUNDLE_DIR);
    await importPath(store, 'comtrade', comtradeFolder);
    const index = new DatasetIndex(await loadDataset(store));
    const rep = runCriticality(index, { method: 'geopolrisk', as: 'USA', year: 2023, materials, samples: 200, seed: 1 });
    return { rep, flows: (await importComtrade(comtradeFolder)).tradeFlows! };
  } finally {
    store.close();
  }
}
