/**
 * Opens the store, makes sure the bundled dataset is in it (first run, or a newer bundle shipped), and
 * builds the in-memory index analytics run on. Shared by the CLI and the HTTP server.
 */
import { DatasetIndex } from '../engine/dataset.ts';
import { BUNDLE_DIR } from '../ingest/bundle.ts';
import { importPath } from '../ingest/index.ts';
import { loadDataset } from './load.ts';
import { defaultStorePath, Store, type ImportSummary } from './store.ts';

export interface KnowledgeBase {
  store: Store;
  index: DatasetIndex;
  bundle: ImportSummary | null;
  reload(): Promise<void>;
  close(): void;
}

export async function openKnowledgeBase(opts: { dbPath?: string; bundled?: boolean } = {}): Promise<KnowledgeBase> {
  const store = await Store.open(opts.dbPath ?? defaultStorePath());
  let bundle: ImportSummary | null = null;
  if (opts.bundled !== false) bundle = await importPath(store, 'bundle', BUNDLE_DIR);
  const kb: KnowledgeBase = {
    store,
    index: new DatasetIndex(await loadDataset(store)),
    bundle,
    async reload() {
      kb.index = new DatasetIndex(await loadDataset(store));
    },
    close: () => store.close(),
  };
  return kb;
}
