/** Reads the whole knowledge base out of the store into the in-memory Dataset the engine works on. */
import { DatasetIndex, newTradeAsked, type Dataset, type TradeAsked } from '../engine/dataset.ts';
import { emptyTradeTable, type TradeTable } from '../engine/trade-table.ts';
import type { Source, Stage } from '../model/schema.ts';
import type { StoreApi } from './gate.ts';
import { emptyRegistry, type Agreement, type Project, type Registry, type TradeMeasure } from '../model/registry.ts';

/** Source of records entered by the user through `chokepoint registry add` or the API. */
export const USER_REGISTRY_SOURCE_ID = 'user-registry';

/**
 * What to read. A command about one material reads only its observations and trade flows (with every source, grouping
 * and registry record); analyses across materials read everything. Governance (WGI) is read unless left out.
 * `stages` limits observations (not trade flows or prices) to some stages.
 */
export interface DatasetScope {
  materials?: string[];
  /** Only the observations of these stages (a sweep that reads supply from the series summary needs only end-use rows). */
  stages?: Stage[];
  governance?: boolean;
  /**
   * Trade flows read into JS: false none (a command whose trade figures come from SQL over the store), a list those of
   * these materials only (all observations, one material's trade: a stress test), else those of `materials`. What was
   * left out is refused if asked for (TradeTable.partial), never answered as "no trade".
   */
  trade?: boolean | string[];
}

export async function loadDataset(store: StoreApi, scope: DatasetScope = {}): Promise<Dataset> {
  const sourceList = await store.sourceRecords();
  const sources = new Map(sourceList.map((s) => [s.id, s]));
  const [observations, governance, groupings, tradeTable, registry] = [
    await store.readObservations(scope.materials, scope.stages),
    scope.governance === false ? [] : await store.readGovernance(),
    await store.readGroupings(),
    // columns, not an object per flow: millions of customs rows fit, and worker threads share them (trade-table.ts)
    await store.readTradeTable(scope.trade === false ? [] : Array.isArray(scope.trade) ? scope.trade : scope.materials),
    await loadRegistry(store, sources),
  ];
  const prices = await store.readPrices(scope.materials);
  return { observations, sources, governance, groupings, tradeTable, registry, prices };
}

/**
 * Registry records by kind. The same id from several sources: a user-entered record (source `user-registry`)
 * overrides the imported one; otherwise the newest edition of the citing source wins.
 */
export async function loadRegistry(store: Pick<StoreApi, 'registryRecords'>, sources: Map<string, Source>): Promise<Registry> {
  const rows = await store.registryRecords();
  const rank = (sourceId: string) => (sourceId === USER_REGISTRY_SOURCE_ID ? Number.MAX_SAFE_INTEGER : (sources.get(sourceId)?.editionYear ?? 0));
  const pick = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const k = `${r.kind}|${r.id}`;
    const prev = pick.get(k);
    if (!prev || rank(r.sourceId) > rank(prev.sourceId)) pick.set(k, r);
  }
  const reg = emptyRegistry();
  for (const r of pick.values()) {
    if (r.kind === 'agreement') reg.agreements.push(r.record as Agreement);
    else if (r.kind === 'measure') reg.measures.push(r.record as TradeMeasure);
    else reg.projects.push(r.record as Project);
  }
  return reg;
}

/** Every flow `asked` names (cumulative asks: what was read before is read again with the rest). */
export function readAskedTrade(store: Pick<StoreApi, 'readTradeTable'>, asked: TradeAsked): Promise<TradeTable> {
  return store.readTradeTable([...asked.whole], Object.fromEntries([...asked.touching].map(([m, cs]) => [m, [...cs]])), [...asked.touchingAll]);
}

/**
 * Run a computation with only the trade flows it asks for. `base` holds the command's observations and no flow
 * (`trade: false`). `compute` runs on those data with the flows read so far; each ask the table does not hold (a
 * material's flows, those touching some countries, or which materials some countries trade) is noted and answered with
 * none. If a run asked for anything not held, those flows are read from the store (added to the earlier ones) and
 * `compute` runs again; the first run that asked for nothing missing gives the result, so every answer it used came from
 * complete data. Asks that depend on flows (an importer's hubs are its partners) take one more run each. `compute` must
 * be pure: it runs at least twice when the store holds flows.
 */
export async function withAskedTrade<T>(
  store: Pick<StoreApi, 'readTradeTable'>,
  base: DatasetIndex,
  compute: (index: DatasetIndex) => T | Promise<T>,
  maxRuns = 6,
): Promise<T> {
  // a store without flows: nothing to read, and nothing left out
  if (!base.hasTradeFlows()) return compute(base.withTrade(emptyTradeTable()));
  const asked = newTradeAsked();
  let tradeTable = emptyTradeTable({ materials: [], storeHasFlows: true });
  for (let run = 1; run <= maxRuns; run++) {
    asked.missed = false;
    const result = await compute(base.withTrade(tradeTable, asked));
    if (!asked.missed) return result;
    tradeTable = await readAskedTrade(store, asked);
  }
  throw new Error(`withAskedTrade: the computation still asked for trade flows not read after ${maxRuns} runs`);
}
