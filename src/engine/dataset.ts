/**
 * In-memory view of the knowledge base that analytics run on (plain data, no I/O), with an index by
 * material/stage/measure/year and the rule that picks one consistent series where sources or editions overlap.
 *
 * Series choice, in order (each step only when several candidates remain):
 *  1. the dataset asked for (`dataset`), else USGS MCS before the IEA for historical years (USGS covers every
 *     commodity and publishes country detail; the IEA is used for its projections and for stages USGS lacks);
 *  2. a series with country figures before one whose countries are all withheld / not available (MCS2023 lists
 *     germanium 2021 as NA where MCS2022 had figures);
 *  3. the newest edition (later editions revise earlier years);
 *  4. the basis asked for, else contained > oxide > refined > gross weight > ore > concentrate > compound > unspecified;
 *  5. the scenario asked for (projections), else the base case;
 *  6. the candidate with the most country entries.
 * The alternatives not chosen are returned so a user can see and select them.
 */
import type { Registry } from '../model/registry.ts';
import {
  isAggregateEntity,
  type Basis,
  type GroupingMember,
  type Governance,
  type Measure,
  type Observation,
  type PricePoint,
  type Source,
  type Stage,
  type TradeFlow,
} from '../model/schema.ts';
import { materialsTradedBy, tradeFlowsOfMaterial, tradeReadCovers, tradeTableFrom, type TradeTable } from './trade-table.ts';

export interface Dataset {
  observations: Observation[];
  sources: Map<string, Source>;
  governance: Governance[];
  groupings: GroupingMember[];
  /**
   * Bilateral trade by HS code (user-imported customs files), as a list (tests, small inputs) or as the column table the
   * store reads (`tradeTable`, trade-table.ts); at most one of the two. Optional because most analyses do not need it.
   */
  tradeFlows?: TradeFlow[];
  tradeTable?: TradeTable;
  /** Instead of flows: note which flows are asked for and answer none (the first pass of `withAskedTrade`, src/store/load.ts). */
  tradeAsked?: TradeAsked;
  /** Agreements, trade measures and projects (minerals-diplomacy registry). */
  registry?: Registry;
  /** Annual prices, every edition's row (engine/prices.ts picks the newest per year). */
  prices?: PricePoint[];
}

/**
 * The trade flows a computation asked for that its table did not hold (a pass of `withAskedTrade`): every flow of some
 * materials, those of others touching some countries, and every material's flows touching some countries (which
 * materials they trade). `missed`: this pass asked for something not held, so its answers are not final.
 */
export interface TradeAsked {
  whole: Set<string>;
  touching: Map<string, Set<string>>;
  touchingAll: Set<string>;
  missed: boolean;
}

export const newTradeAsked = (): TradeAsked => ({
  whole: new Set(),
  touching: new Map(),
  touchingAll: new Set(),
  missed: false,
});

/** Add the asks of `from` to `into`. */
export function mergeTradeAsked(into: TradeAsked, from: TradeAsked): void {
  for (const m of from.whole) into.whole.add(m);
  for (const [m, cs] of from.touching) {
    let mine = into.touching.get(m);
    if (!mine) into.touching.set(m, (mine = new Set()));
    for (const c of cs) mine.add(c);
  }
  for (const c of from.touchingAll) into.touchingAll.add(c);
}

/** What a table read for some flows holds (its `partial`), as asks: what reading it again with more must include. */
export function tradeAskedHeldBy(t: TradeTable): TradeAsked {
  const p = t.partial;
  if (!p) throw new Error('tradeAskedHeldBy: the table holds every flow');
  return {
    whole: new Set(p.materials),
    touching: new Map(Object.entries(p.touching ?? {}).map(([m, cs]) => [m, new Set(cs)])),
    touchingAll: new Set(p.touchingAll),
    missed: false,
  };
}

/** `t` holds every flow `asked` names. */
export function tradeCoversAsked(t: TradeTable, asked: TradeAsked): boolean {
  return (
    [...asked.whole].every((m) => tradeReadCovers(t, m)) &&
    [...asked.touching].every(([m, cs]) => tradeReadCovers(t, m, cs)) &&
    tradeReadCovers(t, undefined, asked.touchingAll)
  );
}

export interface SeriesQuery {
  materialId: string;
  stage: Stage;
  measure?: Measure; // default 'production' ('reserves' for the reserves stage)
  year: number;
  dataset?: string;
  basis?: Basis;
  scenario?: string;
}

export interface Series {
  materialId: string;
  stage: Stage;
  measure: Measure;
  year: number;
  basis: Basis;
  unit: string;
  scenario: string | null;
  source: Source;
  entries: Observation[];
}

export interface SeriesChoice {
  series: Series | null;
  alternatives: Array<Pick<Series, 'basis' | 'unit' | 'scenario' | 'year'> & { sourceId: string; entries: number }>;
}

const BASIS_ORDER: Basis[] = ['contained', 'oxide', 'refined', 'gross_weight', 'ore', 'concentrate', 'compound', 'lce', 'unspecified', 'value', 'ratio'];
const DATASET_ORDER = ['usgs-mcs', 'iea-cm', 'eu-crm'];

export const defaultMeasure = (stage: Stage): Measure => (stage === 'reserves' ? 'reserves' : 'production');

const key = (m: string, st: string, me: string, y: number) => `${m}|${st}|${me}|${y}`;

export class DatasetIndex {
  private readonly byKey: Map<string, Observation[]>;
  private readonly yearsByMaterialStage: Map<string, Set<number>>;
  private readonly byMaterial: Map<string, Observation[]>;
  private trade: TradeTable | null = null;
  private readonly memos = new Map<string, unknown>();
  readonly materials: Set<string>;
  /** The series of one cell (observations grouped by source, basis, unit and scenario), built once per cell. */
  private readonly seriesByCell: Map<string, Series[]>;

  /** `sameObservations`: an index over the same observations whose maps are shared (`withTrade`), not rebuilt. */
  constructor(
    readonly data: Dataset,
    sameObservations?: DatasetIndex,
  ) {
    if (sameObservations) {
      if (sameObservations.data.observations !== data.observations) throw new Error('DatasetIndex: shared maps need the same observations');
      ({ byKey: this.byKey, yearsByMaterialStage: this.yearsByMaterialStage, byMaterial: this.byMaterial, materials: this.materials } = sameObservations);
      this.seriesByCell = sameObservations.seriesByCell;
      return;
    }
    this.byKey = new Map();
    this.yearsByMaterialStage = new Map();
    this.byMaterial = new Map();
    this.materials = new Set();
    this.seriesByCell = new Map();
    for (const o of data.observations) {
      let mine = this.byMaterial.get(o.materialId);
      if (!mine) this.byMaterial.set(o.materialId, (mine = []));
      mine.push(o);
      const k = key(o.materialId, o.stage, o.measure, o.year);
      let list = this.byKey.get(k);
      if (!list) this.byKey.set(k, (list = []));
      list.push(o);
      if (o.measure === 'production' || o.measure === 'reserves') {
        this.materials.add(o.materialId);
        const ms = `${o.materialId}|${o.stage}`;
        let ys = this.yearsByMaterialStage.get(ms);
        if (!ys) this.yearsByMaterialStage.set(ms, (ys = new Set()));
        ys.add(o.year);
      }
    }
  }

  /**
   * A derived value computed once per index: the index never changes, so a pure function of it and of `key` (world
   * demand of a material and year, say) can be shared by every caller, as sweeps across materials and stages ask for the
   * same ones many times. What is memoised must be treated as read-only (callers copy before changing).
   */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = compute();
    this.memos.set(key, v);
    return v;
  }

  source(id: string): Source {
    const s = this.data.sources.get(id);
    if (!s) throw new Error(`observation cites unknown source ${id}`);
    return s;
  }

  /** Years with production (or reserves) data for a material at a stage, ascending. */
  years(materialId: string, stage: Stage): number[] {
    return [...(this.yearsByMaterialStage.get(`${materialId}|${stage}`) ?? [])].sort((a, b) => a - b);
  }

  /** Stages with data for a material. */
  stages(materialId: string): Stage[] {
    const out: Stage[] = [];
    for (const st of ['reserves', 'mining', 'refining', 'intermediate', 'end_use'] as Stage[]) {
      if (this.yearsByMaterialStage.has(`${materialId}|${st}`)) out.push(st);
    }
    return out;
  }

  /**
   * Every observation of a material, in dataset order (the same rows, in the same order, as filtering
   * `data.observations` by material): per-material lookups cost the material's rows, not the whole dataset.
   */
  observationsOf(materialId: string): readonly Observation[] {
    return this.byMaterial.get(materialId) ?? [];
  }

  /** The trade flows as a column table (a list given in `data.tradeFlows` is turned into one on first use). */
  private tradeTable(): TradeTable {
    if (!this.trade) {
      if (this.data.tradeTable && this.data.tradeFlows?.length) throw new Error('a dataset holds trade flows as a list or as a table, not both');
      this.trade = this.data.tradeTable ?? tradeTableFrom(this.data.tradeFlows ?? []);
    }
    return this.trade;
  }

  /**
   * The same data with other trade flows: the observation maps are shared, not rebuilt (a pass of `withAskedTrade`, a
   * server reading flows as requests ask for them). Memos start empty, as they may depend on the flows.
   */
  withTrade(tradeTable: TradeTable, tradeAsked?: TradeAsked): DatasetIndex {
    const { tradeFlows: _list, tradeTable: _table, tradeAsked: _asked, ...data } = this.data;
    return new DatasetIndex({ ...data, tradeTable, ...(tradeAsked ? { tradeAsked } : {}) }, this);
  }

  /** A computation on this index asked for trade flows it does not hold (`data.tradeAsked`): its answers are not final. */
  tradeMissed(): boolean {
    return this.data.tradeAsked?.missed === true;
  }

  /** The knowledge base holds trade flows (those of some materials only may have been read: `TradeTable.partial`). */
  hasTradeFlows(): boolean {
    const t = this.tradeTable();
    return t.partial ? t.partial.storeHasFlows : t.length > 0;
  }

  /**
   * Trade flows of a material, in dataset order. With `touching`, only flows whose reporter or partner is one of those
   * countries: what an assessor's imports or an exporter's destinations need, without making every flow an object.
   */
  tradeFlowsOf(materialId: string, touching?: Iterable<string>): readonly TradeFlow[] {
    const asked = this.data.tradeAsked;
    const want = touching === undefined || touching instanceof Set ? touching : new Set(touching);
    if (asked && !tradeReadCovers(this.tradeTable(), materialId, want)) {
      asked.missed = true;
      if (want === undefined) asked.whole.add(materialId);
      else {
        let cs = asked.touching.get(materialId);
        if (!cs) asked.touching.set(materialId, (cs = new Set()));
        for (const c of want) cs.add(c);
      }
      return [];
    }
    if (want === undefined) return this.memo(`tradeFlowsOf|${materialId}`, () => tradeFlowsOfMaterial(this.tradeTable(), materialId));
    return tradeFlowsOfMaterial(this.tradeTable(), materialId, want);
  }

  /** Materials with a trade flow reported by or with one of `countries`. */
  materialsTradedBy(countries: Iterable<string>): string[] {
    const want = countries instanceof Set ? countries : new Set(countries);
    const asked = this.data.tradeAsked;
    if (asked && !tradeReadCovers(this.tradeTable(), undefined, want)) {
      asked.missed = true;
      for (const c of want) asked.touchingAll.add(c);
      return [];
    }
    return materialsTradedBy(this.tradeTable(), want);
  }

  rows(materialId: string, stage: Stage, measure: Measure, year: number): Observation[] {
    return this.byKey.get(key(materialId, stage, measure, year)) ?? [];
  }

  private cellSeries(materialId: string, stage: Stage, measure: Measure, year: number): Series[] {
    const k = key(materialId, stage, measure, year);
    let series = this.seriesByCell.get(k);
    if (series) return series;
    const groups = new Map<string, Observation[]>();
    for (const o of this.rows(materialId, stage, measure, year)) {
      const g = `${o.sourceId}|${o.basis}|${o.unit}|${o.scenario ?? ''}`;
      let list = groups.get(g);
      if (!list) groups.set(g, (list = []));
      list.push(o);
    }
    series = [...groups.values()].map((entries) => ({
      materialId,
      stage,
      measure,
      year,
      basis: entries[0].basis,
      unit: entries[0].unit,
      scenario: entries[0].scenario,
      source: this.source(entries[0].sourceId),
      entries,
    }));
    this.seriesByCell.set(k, series);
    return series;
  }

  /** All candidate series for a query, best first (see the rules at the top of this file). */
  candidates(q: SeriesQuery): Series[] {
    const measure = q.measure ?? defaultMeasure(q.stage);
    return rankCandidates(this.cellSeries(q.materialId, q.stage, measure, q.year), q, describeSeries);
  }

  pick(q: SeriesQuery): SeriesChoice {
    return pickCandidate((x) => this.candidates(x), q, describeSeries);
  }

  /** Members of a grouping (EU27, G7, OECD, MSP...), as ISO3 ids. */
  groupMembers(groupId: string): string[] {
    return this.data.groupings.filter((g) => g.groupId.toLowerCase() === groupId.toLowerCase()).map((g) => g.countryId);
  }
}

/**
 * What the series choice rule looks at in one candidate series: plain data, so a candidate can be a Series (its
 * observations in memory) or a row of the store's series summary (src/store/summary.ts). One rule for both.
 */
export interface CandidateFacts {
  sourceId: string;
  dataset: string;
  editionYear: number;
  /** Some entry is a named country with a value (not withheld / not available). */
  hasCountryFigures: boolean;
  basis: Basis;
  unit: string;
  scenario: string | null;
  year: number;
  entries: number;
}

export const describeSeries = (s: Series): CandidateFacts => ({
  sourceId: s.source.id,
  dataset: s.source.dataset,
  editionYear: s.source.editionYear,
  hasCountryFigures: s.entries.some((e) => e.value !== null && !isAggregateEntity(e.countryId)),
  basis: s.basis,
  unit: s.unit,
  scenario: s.scenario,
  year: s.year,
  entries: s.entries.length,
});

/**
 * The candidates of one cell that match the query's filters, best first (the rules at the top of this file). `cell` is in
 * first-appearance order (ties keep it: the sort is stable).
 */
export function rankCandidates<T>(cell: readonly T[], q: SeriesQuery, facts: (t: T) => CandidateFacts): T[] {
  const rank = (s: CandidateFacts): number[] => [
    q.dataset ? (s.dataset === q.dataset ? 0 : 1) : orderOf(DATASET_ORDER, s.dataset),
    s.hasCountryFigures ? 0 : 1,
    -s.editionYear,
    q.basis ? (s.basis === q.basis ? 0 : 1) : orderOf(BASIS_ORDER, s.basis),
    q.scenario ? (s.scenario === q.scenario ? 0 : 1) : s.scenario === null || s.scenario === 'base' ? 0 : 1,
    -s.entries,
  ];
  // Each series ranked once (not once per comparison), then sorted.
  return cell
    .map((t) => ({ t, f: facts(t) }))
    .filter(({ f }) => (!q.dataset || f.dataset === q.dataset) && (!q.basis || f.basis === q.basis) && (!q.scenario || f.scenario === q.scenario))
    .map((x) => ({ ...x, r: rank(x.f) }))
    .sort((a, b) => compareVectors(a.r, b.r) || a.f.sourceId.localeCompare(b.f.sourceId))
    .map((x) => x.t);
}

/** The chosen candidate and the alternatives a user can select instead (the cell's other series, filters ignored). */
export function pickCandidate<T>(
  candidates: (q: SeriesQuery) => T[],
  q: SeriesQuery,
  facts: (t: T) => CandidateFacts,
): { series: T | null; alternatives: SeriesChoice['alternatives'] } {
  const ranked = candidates(q);
  const [series = null] = ranked;
  // Alternatives ignore the filters so the user sees what else exists for the cell (the same list when none is set).
  const all = q.dataset || q.basis || q.scenario ? candidates({ materialId: q.materialId, stage: q.stage, measure: q.measure, year: q.year }) : ranked;
  const chosen = series === null ? null : facts(series);
  const alternatives = all
    .filter((s) => s !== series)
    .map(facts)
    .filter((f) => !(chosen && f.sourceId === chosen.sourceId && f.basis === chosen.basis && f.scenario === chosen.scenario))
    .map((f) => ({ sourceId: f.sourceId, basis: f.basis, unit: f.unit, scenario: f.scenario, year: f.year, entries: f.entries }));
  return { series, alternatives };
}

function orderOf(order: string[], v: string): number {
  const i = order.indexOf(v);
  return i < 0 ? order.length : i;
}

function compareVectors(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
