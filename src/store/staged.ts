/**
 * Streamed imports (issue 11): an importer that reads its file row by row writes its records, in batches, into temp
 * staging tables of the store's own shape plus the origin (file, line) of each row; validation needing the whole file
 * (a key twice, cited sources) runs in SQL on the staging tables; one transaction then replaces the rows of the
 * import's sources from them. The JS heap holds one batch, never the file: memory no longer grows with the file's rows.
 * The temp tables live on the writing connection and are dropped afterwards, whatever happens. The model is
 * src/store/baci.ts, where DuckDB itself reads the file.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { GroupingMember, Governance, Observation, PricePoint, Source, TradeFlow } from '../model/schema.ts';
import type { ImportSummary, RowExtra } from './store.ts';

export type StagedTable = 'observations' | 'governance' | 'groupings' | 'trade_flows' | 'prices';
export const STAGED_TABLES: readonly StagedTable[] = ['observations', 'governance', 'groupings', 'trade_flows', 'prices'];

export interface StagedRecords {
  observations: Observation;
  governance: Governance;
  groupings: GroupingMember;
  trade_flows: TradeFlow;
  prices: PricePoint;
}

export interface Origin {
  file: string;
  line: number | null;
}

/** The second occurrence of a key in a staging table (1-based record numbers in append order), with both origins. */
export interface StagedDuplicate {
  ord: number;
  firstOrd: number;
  at: Origin;
  firstAt: Origin;
  /** the row's columns, by their store names (snake_case) */
  row: Record<string, unknown>;
}

/** What a streamed importer may do with the store while it reads (one write connection, inside the write lock). */
export interface StagingArea {
  append<T extends StagedTable>(table: T, rows: ReadonlyArray<StagedRecords[T]>, origins: readonly Origin[]): Promise<void>;
  /** The first record (in append order) whose key columns repeat an earlier record's. */
  firstDuplicate(table: StagedTable, key: readonly string[]): Promise<StagedDuplicate | null>;
  /** The first record citing a source id not in `ids`. */
  firstUnknownSource(table: StagedTable, ids: readonly string[]): Promise<{ ord: number; at: Origin; sourceId: string } | null>;
  /** Rows the store holds now, by source id (every table). */
  heldRows(): Promise<Map<string, number>>;
}

/** What the importer hands back once every row is staged and checked: the rows' sources and its warnings. */
export interface StagedResult {
  sources: Source[];
  warnings: string[];
  /** rows staged per table */
  counts: Record<StagedTable, number>;
}

export interface StagedStore {
  conn: DuckDBConnection;
  transaction: <T>(fn: () => Promise<T>) => Promise<T>;
  appendSources: (rows: Source[]) => Promise<void>;
  append: <T extends StagedTable>(table: T, rows: ReadonlyArray<StagedRecords[T]>, into: string, extra: RowExtra) => Promise<void>;
  heldRows: () => Promise<Map<string, number>>;
}

const stage = (t: StagedTable) => `stage_${t}`;
const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Run `fill` against fresh staging tables; if it returns, commit the staged rows in one transaction. */
export async function importStagedRows(
  s: StagedStore,
  kind: string,
  file: string,
  contentHash: string,
  fill: (area: StagingArea) => Promise<StagedResult>,
): Promise<ImportSummary> {
  const columns = new Map<StagedTable, string[]>();
  try {
    for (const t of STAGED_TABLES) {
      await s.conn.run(`create or replace temp table ${stage(t)} as select *, null::varchar as origin_file, null::integer as origin_line from ${t} limit 0`);
      const cols = (await s.conn.runAndReadAll(`select column_name from information_schema.columns where table_name = '${t}' order by ordinal_position`))
        .getRows()
        .map((r) => String(r[0]));
      columns.set(t, cols);
    }
    const origin = (r: readonly unknown[], i: number): Origin => ({ file: String(r[i]), line: r[i + 1] === null ? null : Number(r[i + 1]) });
    const area: StagingArea = {
      append: async (table, rows, origins) => {
        if (!rows.length) return;
        await s.append(table, rows, stage(table), (a: DuckDBAppender, i: number) => {
          a.appendVarchar(origins[i].file);
          if (origins[i].line === null) a.appendNull();
          else a.appendInteger(origins[i].line!);
        });
      },
      firstDuplicate: async (table, key) => {
        const k = key.map((c) => `coalesce(${c}::varchar, '')`).join(', ');
        // First the keys' 64-bit hashes seen twice (a small hash table, not one of whole keys), then the exact key
        // among those rows only: normally none.
        const twice = await s.conn.runAndReadAll(`select count(*) from (select hash(${k}) from ${stage(table)} group by 1 having count(*) > 1)`);
        if (Number(twice.getRows()[0][0]) === 0) return null;
        const r = await s.conn.runAndReadAll(
          `with numbered as (select *, rowid + 1 as ord from ${stage(table)}
                             where hash(${k}) in (select hash(${k}) from ${stage(table)} group by 1 having count(*) > 1)),
                ranked as (select *, row_number() over w as rn, first_value(ord) over w as first_ord from numbered window w as (partition by ${k} order by ord))
           select r.ord, r.first_ord, r.origin_file, r.origin_line, f.origin_file, f.origin_line, ${columns
             .get(table)!
             .map((c) => `r.${c}`)
             .join(', ')}
           from ranked r join numbered f on f.ord = r.first_ord where r.rn = 2 order by r.ord limit 1`,
        );
        const row = r.getRows()[0];
        if (!row) return null;
        const cols = columns.get(table)!;
        return {
          ord: Number(row[0]),
          firstOrd: Number(row[1]),
          at: origin(row, 2),
          firstAt: origin(row, 4),
          row: Object.fromEntries(cols.map((c, i) => [c, row[6 + i]])),
        };
      },
      firstUnknownSource: async (table, ids) => {
        const r = await s.conn.runAndReadAll(
          `select rowid + 1, origin_file, origin_line, source_id from ${stage(table)} where source_id not in (${ids.map(sqlString).join(', ') || "''"}) order by rowid limit 1`,
        );
        const row = r.getRows()[0];
        return row ? { ord: Number(row[0]), at: origin(row, 1), sourceId: String(row[3]) } : null;
      },
      heldRows: s.heldRows,
    };
    const result = await fill(area);
    const sourceIds = result.sources.map((x) => x.id);
    const ids = `(${sourceIds.map(sqlString).join(',') || "''"})`;
    await s.transaction(async () => {
      for (const t of [...STAGED_TABLES, 'registry']) await s.conn.run(`delete from ${t} where source_id in ${ids}`);
      await s.conn.run(`delete from sources where id in ${ids}`);
      await s.appendSources(result.sources);
      for (const t of STAGED_TABLES) {
        if (!result.counts[t]) continue;
        const cols = columns.get(t)!.join(', ');
        await s.conn.run(`insert into ${t} (${cols}) select ${cols} from ${stage(t)} order by rowid`);
      }
      await s.conn.run('insert into imports (kind, file, sha256, observations, source_ids) values ($1, $2, $3, $4, $5)', [
        kind,
        file,
        contentHash,
        result.counts.observations,
        sourceIds.join(','),
      ]);
    });
    return {
      kind,
      file,
      sourceIds,
      observations: result.counts.observations,
      governance: result.counts.governance,
      groupings: result.counts.groupings,
      tradeFlows: result.counts.trade_flows,
      registry: 0,
      prices: result.counts.prices,
      unchanged: false,
      warnings: result.warnings,
    };
  } finally {
    for (const t of STAGED_TABLES) await s.conn.run(`drop table if exists ${stage(t)}`).catch(() => undefined);
  }
}
