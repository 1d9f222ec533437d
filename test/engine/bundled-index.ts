/**
 * The bundled dataset (src/data/bundle, in the repository) loaded the way `chokepoint` loads it on first run: imported
 * with the registry seed into a store (here in memory), then indexed. Acceptance checks against published numbers run
 * on this in `npm test`, so a fresh clone checks them without ../shared/data.
 */
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { openKnowledgeBase } from '../../src/store/knowledge-base.ts';

export async function bundledIndex(): Promise<DatasetIndex> {
  const kb = await openKnowledgeBase({ dbPath: ':memory:' });
  try {
    return kb.index;
  } finally {
    kb.close();
  }
}
