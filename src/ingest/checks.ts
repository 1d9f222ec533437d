/**
 * The per-record checks of an import (schema, cited source, plausible range) and the keys no import may repeat, shared
 * by `validateBatch` (a whole batch in memory) and the streamed path (stream.ts: one record at a time, the repeated-key
 * check in SQL on the staging tables), so both give the same error, naming file, line, record and field.
 */
import {
  GOVERNANCE_RANGES,
  GovernanceSchema,
  GroupingMemberSchema,
  ImportError,
  ObservationSchema,
  PricePointSchema,
  PRICE_RANGE,
  observationRange,
  TRADE_FLOW_RANGES,
  TradeFlowSchema,
  type Governance,
  type GroupingMember,
  type Observation,
  type PlausibleRange,
  type PricePoint,
  type TradeFlow,
} from '../model/schema.ts';
import { recordOrigin } from './kit.ts';

export type Origin = { file: string; line: number | null };

/** Where a record came from, for messages: its file and line when the importer recorded them, else the import's file. */
export function originOf(file: string, record: object): Origin {
  return recordOrigin(record) ?? { file, line: null };
}

export const describeOrigin = (o: Origin, file: string) => (o.line !== null ? `${o.file === file ? '' : `${o.file}:`}line ${o.line}` : 'no line recorded');

/** A number outside its plausible range: an ImportError naming file, line, record and field. */
function checkRange(at: Origin, label: string, field: string, value: number | null, range: PlausibleRange): void {
  if (value === null || (value >= range.min && value <= range.max)) return;
  throw new ImportError(
    at.file,
    at.line,
    `${label} ${field}`,
    `${value} is outside the plausible range ${range.min}..${range.max} (${range.why}); nothing imported`,
  );
}

function schemaCheck(
  schema: { safeParse: (x: unknown) => { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } },
  x: unknown,
  at: Origin,
  what: string,
) {
  const r = schema.safeParse(x);
  if (!r.success) throw new ImportError(at.file, at.line, `${what} ${r.error!.issues[0].path.join('.')}`, r.error!.issues[0].message);
}

function sourceCheck(ids: ReadonlySet<string> | null, sourceId: string, at: Origin, what: string) {
  if (ids && !ids.has(sourceId)) throw new ImportError(at.file, at.line, `${what} sourceId`, `cites source "${sourceId}" not in this import`);
}

export const obsLabel = (o: Observation) =>
  `${o.materialId} ${o.stage} ${o.measure} ${o.countryId} ${o.year}${o.scenario ? ` ${o.scenario}` : ''}${o.sector ? ` ${o.sector}` : ''}`;
export const govLabel = (g: Governance) => `${g.countryId} ${g.indicator} ${g.year}`;
export const groupingLabel = (g: GroupingMember) => `${g.groupId} ${g.countryId}`;
export const tradeLabel = (t: TradeFlow) =>
  `${t.reporterId} ${t.flow} ${t.partnerId} ${t.materialId} HS ${t.hsCode} ${t.year}${t.month ? `-${String(t.month).padStart(2, '0')}` : ''}`;
export const priceLabel = (p: PricePoint) => `${p.materialId} ${p.series} ${p.year}`;

/**
 * One check per record kind: `i` is the record's 0-based number in the import, `ids` the import's source ids (null
 * when they are known only at the end: the streamed path checks cited sources in SQL).
 */
export const RECORD_CHECKS = {
  observation(file: string, o: Observation, i: number, ids: ReadonlySet<string> | null): void {
    const at = originOf(file, o);
    schemaCheck(ObservationSchema, o, at, `observation #${i + 1}`);
    sourceCheck(ids, o.sourceId, at, `observation #${i + 1}`);
    const range = observationRange(o.measure, o.unit);
    if (!range)
      throw new ImportError(
        at.file,
        at.line,
        `observation #${i + 1} (${obsLabel(o)}) unit`,
        `no plausible range is stated for unit "${o.unit}" (${o.measure}); add one in src/model/schema.ts`,
      );
    checkRange(at, `observation #${i + 1} (${obsLabel(o)})`, 'value', o.value, range);
  },
  governance(file: string, g: Governance, i: number, ids: ReadonlySet<string> | null): void {
    const at = originOf(file, g);
    schemaCheck(GovernanceSchema, g, at, `governance #${i + 1}`);
    sourceCheck(ids, g.sourceId, at, `governance #${i + 1}`);
    for (const field of ['estimate', 'stdErr', 'percentileRank', 'year'] as const)
      checkRange(at, `governance #${i + 1} (${govLabel(g)})`, field, g[field], GOVERNANCE_RANGES[field]);
  },
  grouping(file: string, g: GroupingMember, i: number, ids: ReadonlySet<string> | null): void {
    const at = originOf(file, g);
    schemaCheck(GroupingMemberSchema, g, at, `grouping #${i + 1}`);
    sourceCheck(ids, g.sourceId, at, `grouping #${i + 1}`);
  },
  tradeFlow(file: string, t: TradeFlow, i: number, ids: ReadonlySet<string> | null): void {
    const at = originOf(file, t);
    schemaCheck(TradeFlowSchema, t, at, `trade flow #${i + 1}`);
    sourceCheck(ids, t.sourceId, at, `trade flow #${i + 1}`);
    for (const field of ['quantityKg', 'valueUsd'] as const)
      checkRange(at, `trade flow #${i + 1} (${tradeLabel(t)})`, field, t[field], TRADE_FLOW_RANGES[field]);
  },
  price(file: string, p: PricePoint, i: number, ids: ReadonlySet<string> | null): void {
    const at = originOf(file, p);
    schemaCheck(PricePointSchema, p, at, `price #${i + 1}`);
    sourceCheck(ids, p.sourceId, at, `price #${i + 1}`);
    const label = `price #${i + 1} (${priceLabel(p)})`;
    checkRange(at, label, 'usdPerTonne', p.usdPerTonne, PRICE_RANGE);
    for (const field of ['value', 'low', 'high'] as const)
      checkRange(at, label, field, p[field], { min: 0, max: PRICE_RANGE.max, why: 'a price is not negative' });
  },
};

/**
 * The key no import may hold twice, per table: the record fields (for a batch in memory) and the store columns (for
 * the staging tables), in the same order. Two records with the same key would be summed or double-counted downstream
 * (a duplicated USGS row took cobalt from 290,000 t to 580,000 t).
 */
export const UNIQUE_KEYS = {
  observations: {
    what: 'observation',
    fields: ['materialId', 'stage', 'measure', 'countryId', 'year', 'unit', 'basis', 'scenario', 'sector', 'detail', 'sourceId'],
    label: obsLabel,
  },
  governance: { what: 'governance', fields: ['countryId', 'year', 'indicator', 'sourceId'], label: govLabel },
  groupings: { what: 'grouping', fields: ['groupId', 'countryId', 'sourceId'], label: groupingLabel },
  trade_flows: { what: 'trade flow', fields: ['reporterId', 'partnerId', 'flow', 'materialId', 'hsCode', 'year', 'month', 'sourceId'], label: tradeLabel },
  prices: { what: 'price', fields: ['materialId', 'series', 'year', 'sourceId'], label: priceLabel },
} as const satisfies Record<string, { what: string; fields: readonly string[]; label: (x: never) => string }>;

export const snakeCase = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camelCase = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A store row (snake_case columns) as a record (camelCase fields), for labels in messages. */
export function recordFromRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [camelCase(k), typeof v === 'bigint' ? Number(v) : v]));
}

/** The error for a key seen twice: names the second record and the first one's line. */
export function duplicateError(file: string, what: string, label: string, i: number, at: Origin, j: number, firstAt: Origin): ImportError {
  return new ImportError(
    at.file,
    at.line,
    `${what} #${i + 1} (${label})`,
    `duplicate of ${what} #${j + 1} (${describeOrigin(firstAt, file)}): same ${what} key twice in one import; nothing imported`,
  );
}
