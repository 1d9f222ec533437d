/**
 * Opens the store, makes sure the bundled dataset is in it (first run, or a newer bundle shipped), and
 * builds the in-memory index analytics run on. Shared by the CLI and the HTTP server.
 *
 * Start-up does only the work asked for: the bundle and the registry seed are hashed and compared with what the
 * store recorded at their last import, and re-read only when they changed; a command about one material reads only
 * that material's rows (`scope`). Every store access goes through a StoreGate, so the CLI can read while a server
 * holds the same store (see gate.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetIndex, mergeTradeAsked, newTradeAsked, tradeAskedHeldBy, tradeCoversAsked } from '../engine/dataset.ts';
import { emptyTradeTable } from '../engine/trade-table.ts';
import { BUNDLE_DIR } from '../ingest/bundle.ts';
import { contentHash, importPath, unchangedImport } from '../ingest/index.ts';
import { loadDataset, readAskedTrade, type DatasetScope } from './load.ts';
import { defaultStorePath, lastImportOf, SCHEMA_VERSION, type ImportSummary } from './store.ts';
import { StoreGate, StoreReadOnlyError, StoreWriteError, type GateOptions, type StoreApi } from './gate.ts';
import { REGISTRY_SEED_FILE } from '../ingest/registry.ts';
import { summaryConcentrationSweep, summaryN1Sweep, summarySeriesPanel } from './summary.ts';
import { storeImporters } from './customs-imports.ts';
import type { ImportersQuery, ImportersReport } from '../engine/importer/importers.ts';
import type { SeriesPanelOptions, SeriesPanelRow } from '../engine/series-panel.ts';
import type { N1Row, N1SweepOptions } from '../engine/stress/sweep.ts';
import type { ConcentrationRow, SweepOptions } from '../engine/concentration-report.ts';
import { ensureStarterRules, evaluateAlerts, type Evaluation } from './alerts.ts';

export interface KnowledgeBase {
  store: StoreGate;
  index: DatasetIndex;
  /** What the index holds: everything, or the rows of some materials (a one-material CLI command). */
  scope: DatasetScope;
  bundle: ImportSummary | null;
  /** The curated registry seed (src/data/registry/seed.yaml), imported with the bundle. */
  registrySeed: ImportSummary | null;
  /**
   * Set when the store file cannot be written and the bundled data shipped with this version could not be added: the
   * knowledge base serves what the store holds, and this says so (the CLI and server print it).
   */
  staleReadOnly: string | null;
  /** Alert evaluation run at open because the bundle or seed changed the store (null when nothing changed). */
  openEvaluation: Evaluation | null;
  /**
   * The concentration sweep read from the store's series summary (src/store/summary.ts): needs no observation in JS, so it
   * works whatever `scope` the index holds; the same rows as `concentrationSweep` on the whole index.
   */
  concentrationSweep(opts: SweepOptions): Promise<ConcentrationRow[]>;
  /** The N-1 sweep with supply from the series summary; demand and own use from the index (end-use rows suffice). */
  n1Sweep(opts: N1SweepOptions): Promise<N1Row[]>;
  /** Every published series of the cells asked for, side by side (src/engine/series-panel.ts), from the series summary. */
  seriesPanel(opts: SeriesPanelOptions): Promise<SeriesPanelRow[]>;
  /** Every importer of a material at a stage (src/engine/importer/importers.ts), its customs figures from one SQL pass. */
  importers(q: ImportersQuery): Promise<ImportersReport>;
  reload(): Promise<void>;
  /**
   * With `tradeOnDemand`: read the trade flows a computation on `seen` asked for and did not find, and replace the index
   * with one holding them (the same observations; memos and caches start again). Whether the index changed. Asks of an
   * index that a reload has since replaced are dropped: the next run on the new data asks again.
   */
  growTrade(seen: DatasetIndex): Promise<boolean>;
  /** Reload the index when another process (a CLI import beside the server) changed the store file. */
  refreshIfChanged(): Promise<boolean>;
  /** Re-read the store and evaluate the alert rules: call after every import. */
  afterImport(): Promise<Evaluation>;
  close(): void;
}

export interface OpenOptions extends GateOptions {
  dbPath?: string;
  bundled?: boolean;
  scope?: DatasetScope;
  /**
   * Read no trade flow at open; read a material's flows when a computation first asks for them (`growTrade`), and keep
   * them for this data version. The server uses it: JS holds the flows requests asked for, not every flow in the store.
   */
  tradeOnDemand?: boolean;
}

/**
 * Size and modification time of the bundled inputs. When they match what the store recorded at the last bundle import,
 * the recorded content hashes are used instead of hashing 5 MB again at every command; any change means a re-hash.
 */
function bundledInputsStat(): string {
  const files = [
    ...readdirSync(BUNDLE_DIR)
      .sort()
      .map((f) => join(BUNDLE_DIR, f)),
    REGISTRY_SEED_FILE,
  ];
  return files
    .map((f) => {
      const st = statSync(f);
      return `${f}:${st.size}:${st.mtimeMs}`;
    })
    .join('|');
}

/**
 * What the store says about the bundled inputs, in one read: their hashes (recorded ones when size and mtime match,
 * else computed), whether the store holds this bundle and seed, and their last imports. As before, a bundled source the
 * user replaced with their own import (say, groupings) stays replaced: only a new bundle re-imports.
 */
async function bundledInputsState(store: StoreApi, stat: string) {
  const [meta, log] = [await store.metaAll(), await store.importLog()];
  let hashes = { bundleHash: '', seedHash: '' };
  const recorded = meta.get('bundled_inputs');
  const r = recorded ? (JSON.parse(recorded) as { stat: string; bundleHash: string; seedHash: string }) : null;
  if (r && r.stat === stat) hashes = r;
  else hashes = { bundleHash: contentHash(BUNDLE_DIR), seedHash: contentHash(REGISTRY_SEED_FILE) };
  // By what they are, not where this clone sits: a store shared by two checkouts (or a moved one) knows them too.
  const bundleLast = lastImportOf(log, 'bundle', () => true);
  const seedLast = lastImportOf(log, 'registry', (f) => f.replace(/\\/g, '/').endsWith('src/data/registry/seed.yaml'));
  const current =
    meta.get('schema_version') === String(SCHEMA_VERSION) &&
    Boolean(meta.get('starter_rules')) &&
    bundleLast?.sha256 === hashes.bundleHash &&
    seedLast?.sha256 === hashes.seedHash;
  return { ...hashes, current, bundleLast, seedLast };
}

export async function openKnowledgeBase(opts: OpenOptions = {}): Promise<KnowledgeBase> {
  const gate = new StoreGate(opts.dbPath ?? defaultStorePath(), opts);
  const scope = opts.scope ?? {};
  let bundle: ImportSummary | null = null;
  let registrySeed: ImportSummary | null = null;
  let staleReadOnly: string | null = null;
  try {
    if (opts.bundled !== false) {
      const stat = bundledInputsStat();
      const { bundleHash, seedHash, current, bundleLast, seedLast } = await gate.read((s) => bundledInputsState(s, stat));
      if (!current) {
        // First run, a new bundle or seed, or an older schema: one write, then back to reading.
        try {
          await gate.write(async (s) => {
            // Curated and shipped with the code: a new edition replaces the old one whatever its size.
            bundle = await importPath(s, 'bundle', BUNDLE_DIR, { replace: true });
            registrySeed = await importPath(s, 'registry', REGISTRY_SEED_FILE, { replace: true });
            await ensureStarterRules(s);
            await s.setMeta('bundled_inputs', JSON.stringify({ stat, bundleHash, seedHash }));
          });
        } catch (e) {
          // A read-only store (file or folder permissions, read-only medium) with this schema still serves what it
          // holds; one without data, or from an older schema, cannot be read by this version: the error stands.
          const readOnly = e instanceof StoreReadOnlyError || (e instanceof StoreWriteError && e.reason === 'read_only');
          if (!readOnly || (await gate.meta('schema_version')) !== String(SCHEMA_VERSION)) throw e;
          staleReadOnly = `the store ${gate.path} is read-only, so the data bundled with this version was not added to it; answering from what it holds`;
        }
      } else {
        bundle = unchangedImport('bundle', BUNDLE_DIR, bundleLast!);
        registrySeed = unchangedImport('registry', REGISTRY_SEED_FILE, seedLast!);
      }
    }
  } catch (e) {
    gate.close();
    throw e;
  }
  const load = async () => {
    if (!opts.tradeOnDemand) return new DatasetIndex(await loadDataset(gate, scope));
    const data = await loadDataset(gate, { ...scope, trade: false });
    // a store with no flow: nothing will be asked for that is not there
    if (data.tradeTable?.partial?.storeHasFlows) data.tradeAsked = newTradeAsked();
    else data.tradeTable = emptyTradeTable();
    return new DatasetIndex(data);
  };
  let growing: Promise<unknown> = Promise.resolve();
  const growTrade = (seen: DatasetIndex): Promise<boolean> => {
    const asked = seen.data.tradeAsked;
    if (!asked?.missed) return Promise.resolve(false);
    // one read at a time: a second request that missed the same flows finds them read
    const run = growing.then(async () => {
      const current = kb.index;
      if (current.data.observations !== seen.data.observations) return false;
      // the flows held so far (the table says which) and the new asks, in one read
      const held = current.data.tradeTable!;
      if (tradeCoversAsked(held, asked)) return false;
      const next = tradeAskedHeldBy(held);
      mergeTradeAsked(next, asked);
      const table = await gate.read((s) => readAskedTrade(s, next));
      // a reload while reading: its index starts again from no flow
      if (kb.index !== current) return false;
      sweeps.clear();
      kb.index = current.withTrade(table, newTradeAsked());
      return true;
    });
    growing = run.catch(() => undefined);
    return run;
  };
  // Sweeps by options, for this data version (cleared by every reload); callers get their own copy of the row list.
  const sweeps = new Map<string, Promise<unknown[]>>();
  const cached = async <T>(key: string, run: () => Promise<T[]>): Promise<T[]> => {
    let p = sweeps.get(key) as Promise<T[]> | undefined;
    if (!p) {
      if (sweeps.size > 200) sweeps.clear();
      p = run();
      sweeps.set(key, p);
      p.catch(() => sweeps.delete(key));
    }
    return [...(await p)];
  };
  const kb: KnowledgeBase = {
    store: gate,
    index: await load(),
    scope,
    bundle,
    registrySeed,
    staleReadOnly,
    openEvaluation: null,
    concentrationSweep: (o) => cached(`c|${JSON.stringify(o)}`, () => summaryConcentrationSweep(gate, o)),
    n1Sweep: (o) => cached(`n|${JSON.stringify(o)}`, () => summaryN1Sweep(gate, kb.index, o)),
    seriesPanel: (o) => cached(`p|${JSON.stringify(o)}`, () => summarySeriesPanel(gate, o)),
    importers: async (q) => (await cached(`i|${JSON.stringify(q)}`, async () => [await storeImporters(gate, kb.index, q)]))[0],
    growTrade,
    async reload() {
      sweeps.clear();
      kb.index = await load();
    },
    async refreshIfChanged() {
      if (!gate.changedOnDisk()) return false;
      await kb.reload();
      return true;
    },
    async afterImport() {
      await kb.reload();
      return evaluateAlerts(gate, kb.index);
    },
    close: () => gate.close(),
  };
  // A new bundle or seed is a data import like any other: evaluate the rules on it (on the whole dataset).
  const changed = (x: ImportSummary | null) => x !== null && !x.unchanged;
  if (changed(bundle) || changed(registrySeed)) {
    // on everything, not on what this command's scope read (some materials, stages or trade flows, no WGI)
    const whole = scope.materials === undefined && scope.stages === undefined && scope.governance !== false && (scope.trade ?? true) === true;
    kb.openEvaluation = await evaluateAlerts(gate, whole ? kb.index : new DatasetIndex(await loadDataset(gate)));
  }
  return kb;
}
