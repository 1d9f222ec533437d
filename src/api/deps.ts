/**
 * What the API's route modules depend on, typed: every sub-app gets `ReadDeps`; only the write routes (registry
 * records, alert rules) get `WriteDeps`, the store's single-writer path. `createApp` builds both once from the knowledge
 * base it is given, and mounting decides what a server can do: with no store (a fixture) the write routes are not
 * mounted and a write gets 405.
 */
import type { SeriesPanelOptions, SeriesPanelRow } from '../engine/series-panel.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import type { StoreApi } from '../store/gate.ts';
import type { ConcentrationRow, SweepOptions } from '../engine/concentration-report.ts';
import type { N1Row, N1SweepOptions } from '../engine/stress/sweep.ts';
import { IndexCache } from './cache.ts';
import type { ImportersQuery, ImportersReport } from '../engine/importer/importers.ts';

/**
 * Sweeps a store-backed knowledge base answers from its SQL series summary (src/store/summary.ts), cached per data
 * version. A fixture without a store leaves them out and the routes sweep the index: the same rows (test/store/summary.test.ts).
 */
export interface SummarySweeps {
  concentrationSweep?(opts: SweepOptions): Promise<ConcentrationRow[]>;
  n1Sweep?(opts: N1SweepOptions): Promise<N1Row[]>;
  seriesPanel?(opts: SeriesPanelOptions): Promise<SeriesPanelRow[]>;
  /** Every importer of a material at a stage, customs figures from one SQL pass (src/store/customs-imports.ts). */
  importers?(q: ImportersQuery): Promise<ImportersReport>;
}

export interface ReadDeps extends SummarySweeps {
  /** The current index: read on every request, so a reload (a new data version) is picked up. */
  index(): DatasetIndex;
  /** Imported sources with row counts (`/api/sources`). */
  sources(): Promise<unknown[]>;
  /** The one cache, keyed by data version (./cache.ts). */
  cache: IndexCache;
}

export interface WriteDeps {
  /** The store behind its gate (src/store/gate.ts): one writer at a time. Alert feeds are read from it too. */
  store: StoreApi;
  /** Re-read the store and evaluate the alert rules after a write. */
  afterImport(): Promise<unknown>;
}

/** A knowledge base without a store (tests, fixtures): reads only. */
export interface ReadOnlyKnowledgeBase extends SummarySweeps {
  index: DatasetIndex;
  /** `importLog` (when the store keeps one) dates the data for the "data as of" signal. */
  store: { sources(): Promise<unknown[]>; importLog?(): Promise<Array<{ importedAt: string }>> };
  /** Reload the index when another process (a CLI import) changed the store; absent for fixtures. */
  refreshIfChanged?(): Promise<boolean>;
  /** A knowledge base reading trade flows on demand: read what a run on `seen` asked for (see createApp's reruns). */
  growTrade?(seen: DatasetIndex): Promise<boolean>;
  afterImport?: undefined;
}

/** A store-backed knowledge base (`openKnowledgeBase()`): reads and writes. */
export interface StoreKnowledgeBase extends SummarySweeps {
  index: DatasetIndex;
  store: StoreApi;
  refreshIfChanged?(): Promise<boolean>;
  /** A knowledge base reading trade flows on demand: read what a run on `seen` asked for (see createApp's reruns). */
  growTrade?(seen: DatasetIndex): Promise<boolean>;
  afterImport(): Promise<unknown>;
}

/** What `createApp` takes. `KnowledgeBase` is a `StoreKnowledgeBase`; tests pass a fixture. */
export type ApiKnowledgeBase = ReadOnlyKnowledgeBase | StoreKnowledgeBase;

/** Read dependencies with a new cache: `index` is called on every request, so a reload is seen. */
export function readDeps(index: () => DatasetIndex, sources: () => Promise<unknown[]> = async () => [], sweeps: SummarySweeps = {}): ReadDeps {
  return { index, sources, cache: new IndexCache(), ...sweeps };
}

/** Write dependencies of a store-backed knowledge base; null for one without a store. */
export function writeDeps(kb: ApiKnowledgeBase): WriteDeps | null {
  return kb.afterImport ? { store: kb.store, afterImport: () => kb.afterImport() } : null;
}
