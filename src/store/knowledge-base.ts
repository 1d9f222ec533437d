/**
 * Opens the store, makes sure the bundled dataset is in it (first run, or a newer bundle shipped), and
 * builds the in-memory index analytics run on. Shared by the CLI and the HTTP server.
 */
import { DatasetIndex } from '../engine/dataset.ts';
import { BUNDLE_DIR } from '../ingest/bundle.ts';
import { importPath } from '../ingest/index.ts';
import { loadDataset } from './load.ts';
import { defaultStorePath, Store, type ImportSummary } from './store.ts';
import { REGISTRY_SEED_FILE } from '../ingest/registry.ts';
import { ensureStarterRules, evaluateAlerts, type Evaluation } from './alerts.ts';

export interface KnowledgeBase {
  store: Store;
  index: DatasetIndex;
  bundle: ImportSummary | null;
  /** The curated registry seed (src/data/registry/seed.yaml), imported with the bundle. */
  registrySeed: ImportSummary | null;
  /** Alert evaluation run at open because the bundle or seed changed the store (null when nothing changed). */
  openEvaluation: Evaluation | null;
  reload(): Promise<void>;
  /** Re-read the store and evaluate the alert rules: call after every import. */
  afterImport(): Promise<Evaluation>;
  close(): void;
}

export async function openKnowledgeBase(opts: { dbPath?: string; bundled?: boolean } = {}): Promise<KnowledgeBase> {
  const store = await Store.open(opts.dbPath ?? defaultStorePath());
  let bundle: ImportSummary | null = null;
  let registrySeed: ImportSummary | null = null;
  if (opts.bundled !== false) {
    bundle = await importPath(store, 'bundle', BUNDLE_DIR);
    registrySeed = await importPath(store, 'registry', REGISTRY_SEED_FILE);
    await ensureStarterRules(store);
  }
  const kb: KnowledgeBase = {
    store,
    index: new DatasetIndex(await loadDataset(store)),
    bundle,
    registrySeed,
    openEvaluation: null,
    async reload() {
      kb.index = new DatasetIndex(await loadDataset(store));
    },
    async afterImport() {
      await kb.reload();
      return evaluateAlerts(store, kb.index);
    },
    close: () => store.close(),
  };
  // A new bundle or seed is a data import like any other: evaluate the rules on it.
  if ((bundle && !bundle.unchanged) || (registrySeed && !registrySeed.unchanged)) kb.openEvaluation = await evaluateAlerts(store, kb.index);
  return kb;
}
