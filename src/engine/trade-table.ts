/**
 * Bilateral trade flows held column by column: one typed array per field, country, HS code, material, source and
 * product-scope strings as codes into small dictionaries, rows grouped by material (dataset order within a material).
 *
 * Why: a server holding trade flows as one JS object each spent ~700 MB of heap and 12 s of CPU to load 1M flows, and
 * copied them again to every worker thread (9 s before a first criticality answer); 10M flows ran out of memory. Here a
 * flow costs 30–40 bytes, and the arrays live in SharedArrayBuffers, so sending a dataset to a worker thread shares them
 * instead of copying. Analyses ask for the flows of one material (optionally only those touching some countries), and
 * only those are made into `TradeFlow` objects.
 */
import type { TradeFlow } from '../model/schema.ts';

type Codes = Uint16Array | Uint32Array;

export interface TradeTable {
  readonly length: number;
  readonly dict: {
    readonly country: readonly string[];
    readonly hs: readonly string[];
    readonly source: readonly string[];
    /** Index 0 is null (no product scope). */
    readonly scope: readonly (string | null)[];
  };
  readonly reporter: Codes;
  readonly partner: Codes;
  readonly hs: Codes;
  readonly source: Codes;
  readonly scope: Codes;
  /** 0 export, 1 import. */
  readonly flow: Uint8Array;
  readonly year: Uint16Array;
  /** 1–12, 0 for annual figures. */
  readonly month: Uint8Array;
  /** NaN for a quantity or value not reported. */
  readonly quantityKg: Float64Array;
  readonly valueUsd: Float64Array;
  /** Rows [start, end) of each material. */
  readonly ranges: Readonly<Record<string, readonly [number, number]>>;
  /**
   * Set when only some materials' flows were read (a CLI command's scope): those materials, and whether the store holds
   * any flow at all. Asking for another material's flows is then an error, not an empty answer: a command whose scope
   * left out flows it needs would otherwise report "no trade" where there is some.
   */
  readonly partial?: {
    readonly materials: readonly string[];
    /** Other materials of which only the flows touching these countries (reporter or partner) were read. */
    readonly touching?: Readonly<Record<string, readonly string[]>>;
    /** Every material's flows touching these countries were read. */
    readonly touchingAll?: readonly string[];
    readonly storeHasFlows: boolean;
  };
}

/**
 * Whether `t` holds every flow asked for: all of `materialId`'s, or those touching `touching` (of `materialId`, or of
 * every material when no material is named: which materials some countries trade).
 */
export function tradeReadCovers(t: TradeTable, materialId?: string, touching?: ReadonlySet<string>): boolean {
  const p = t.partial;
  // no country asked for: no flow (whatever was read)
  if (!p || touching?.size === 0) return true;
  if (materialId !== undefined && p.materials.includes(materialId)) return true;
  if (!touching) return false;
  const read = new Set([...(materialId !== undefined ? (p.touching?.[materialId] ?? []) : []), ...(p.touchingAll ?? [])]);
  return [...touching].every((c) => read.has(c));
}

/**
 * The flows asked for are in `t`: all of `materialId`'s, or those touching `touching` (all of them, or none exist). Else
 * a scope left them out, and that is a bug.
 */
export function assertTradeRead(t: TradeTable, what: string, materialId?: string, touching?: ReadonlySet<string>): void {
  const p = t.partial;
  if (!p || tradeReadCovers(t, materialId, touching)) return;
  const held = [
    ...(p.materials.length ? [`those of ${p.materials.join(', ')}`] : []),
    ...Object.entries(p.touching ?? {}).map(([m, cs]) => `those of ${m} touching ${cs.join(', ')}`),
    ...(p.touchingAll?.length ? [`those of every material touching ${p.touchingAll.join(', ')}`] : []),
  ];
  const asked = `${materialId ? `of ${materialId}` : 'of every material'}${touching ? ` touching ${[...touching].join(', ')}` : ''}`;
  throw new Error(
    `${what}: trade flows ${asked} were not read (${held.length ? `only ${held.join('; ')}` : 'none'}); the command's data scope must include them`,
  );
}

/** A table with no flow: what a read of nothing gives (with `partial`: what was asked for, and that it was not read). */
export function emptyTradeTable(partial?: TradeTable['partial']): TradeTable {
  return allocateTradeTable(0, { country: [], hs: [], source: [], scope: [null] }, {}, partial);
}

/** Typed arrays over SharedArrayBuffers (shared, not copied, when posted to a worker thread). */
const shared = {
  codes: (n: number, dictSize: number): Codes =>
    dictSize <= 0xffff ? new Uint16Array(new SharedArrayBuffer(2 * n)) : new Uint32Array(new SharedArrayBuffer(4 * n)),
  u8: (n: number) => new Uint8Array(new SharedArrayBuffer(n)),
  u16: (n: number) => new Uint16Array(new SharedArrayBuffer(2 * n)),
  f64: (n: number) => new Float64Array(new SharedArrayBuffer(8 * n)),
};

/** An empty table with room for `length` rows and the dictionaries given (filled by `setTradeRow`). */
export function allocateTradeTable(
  length: number,
  dict: TradeTable['dict'],
  ranges: Record<string, readonly [number, number]>,
  partial?: TradeTable['partial'],
): TradeTable {
  return {
    ...(partial ? { partial } : {}),
    length,
    dict,
    reporter: shared.codes(length, dict.country.length),
    partner: shared.codes(length, dict.country.length),
    hs: shared.codes(length, dict.hs.length),
    source: shared.codes(length, dict.source.length),
    scope: shared.codes(length, dict.scope.length),
    flow: shared.u8(length),
    year: shared.u16(length),
    month: shared.u8(length),
    quantityKg: shared.f64(length),
    valueUsd: shared.f64(length),
    ranges,
  };
}

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

/** The table of a list of flows (tests, small imports): grouped by material, list order kept within a material. */
export function tradeTableFrom(flows: readonly TradeFlow[]): TradeTable {
  const byMaterial = new Map<string, TradeFlow[]>();
  for (const f of flows) {
    let list = byMaterial.get(f.materialId);
    if (!list) byMaterial.set(f.materialId, (list = []));
    list.push(f);
  }
  const dict = {
    country: sortedUnique(flows.flatMap((f) => [f.reporterId, f.partnerId])),
    hs: sortedUnique(flows.map((f) => f.hsCode)),
    source: sortedUnique(flows.map((f) => f.sourceId)),
    scope: [null, ...sortedUnique(flows.flatMap((f) => (f.productScope === null ? [] : [f.productScope])))],
  };
  const ranges: Record<string, [number, number]> = {};
  let at = 0;
  for (const m of [...byMaterial.keys()].sort()) {
    ranges[m] = [at, at + byMaterial.get(m)!.length];
    at += byMaterial.get(m)!.length;
  }
  const t = allocateTradeTable(flows.length, dict, ranges);
  const code = (list: readonly (string | null)[]) => new Map(list.map((v, i) => [v, i]));
  const c = { country: code(dict.country), hs: code(dict.hs), source: code(dict.source), scope: code(dict.scope) };
  for (const [m, [start]] of Object.entries(ranges)) {
    byMaterial.get(m)!.forEach((f, i) => {
      const r = start + i;
      t.reporter[r] = c.country.get(f.reporterId)!;
      t.partner[r] = c.country.get(f.partnerId)!;
      t.hs[r] = c.hs.get(f.hsCode)!;
      t.source[r] = c.source.get(f.sourceId)!;
      t.scope[r] = c.scope.get(f.productScope)!;
      t.flow[r] = f.flow === 'import' ? 1 : 0;
      t.year[r] = f.year;
      t.month[r] = f.month ?? 0;
      t.quantityKg[r] = f.quantityKg ?? NaN;
      t.valueUsd[r] = f.valueUsd ?? NaN;
    });
  }
  return t;
}

/** Row `r` as a TradeFlow. */
export function tradeFlowAt(t: TradeTable, materialId: string, r: number): TradeFlow {
  const q = t.quantityKg[r];
  const v = t.valueUsd[r];
  return {
    reporterId: t.dict.country[t.reporter[r]],
    partnerId: t.dict.country[t.partner[r]],
    flow: t.flow[r] === 1 ? 'import' : 'export',
    materialId,
    hsCode: t.dict.hs[t.hs[r]],
    year: t.year[r],
    month: t.month[r] === 0 ? null : t.month[r],
    quantityKg: Number.isNaN(q) ? null : q,
    valueUsd: Number.isNaN(v) ? null : v,
    productScope: t.dict.scope[t.scope[r]],
    sourceId: t.dict.source[t.source[r]],
  };
}

/**
 * Flows of one material, in dataset order; with `touching`, only those whose reporter or partner is one of those
 * countries (the others are never made into objects).
 */
export function tradeFlowsOfMaterial(t: TradeTable, materialId: string, touching?: ReadonlySet<string>): TradeFlow[] {
  assertTradeRead(t, 'tradeFlowsOf', materialId, touching);
  const range = t.ranges[materialId];
  if (!range) return [];
  const out: TradeFlow[] = [];
  if (!touching) {
    for (let r = range[0]; r < range[1]; r++) out.push(tradeFlowAt(t, materialId, r));
    return out;
  }
  const want = new Uint8Array(t.dict.country.length);
  let any = false;
  t.dict.country.forEach((c, i) => {
    if (touching.has(c)) {
      want[i] = 1;
      any = true;
    }
  });
  if (!any) return out;
  for (let r = range[0]; r < range[1]; r++) if (want[t.reporter[r]] || want[t.partner[r]]) out.push(tradeFlowAt(t, materialId, r));
  return out;
}

/** Materials with at least one flow whose reporter or partner is one of `countries`, sorted. */
export function materialsTradedBy(t: TradeTable, countries: ReadonlySet<string>): string[] {
  assertTradeRead(t, 'materialsTradedBy', undefined, countries);
  const want = new Uint8Array(t.dict.country.length);
  t.dict.country.forEach((c, i) => (want[i] = countries.has(c) ? 1 : 0));
  const out: string[] = [];
  for (const [m, [start, end]] of Object.entries(t.ranges)) {
    for (let r = start; r < end; r++) {
      if (want[t.reporter[r]] || want[t.partner[r]]) {
        out.push(m);
        break;
      }
    }
  }
  return out.sort();
}
