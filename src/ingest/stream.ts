/**
 * Importers that read their file row by row (issue 11): they hand each record to a `RecordOut` as they make it,
 * instead of returning arrays. Two outs:
 * - `collectBatch` gathers the records into an ImportBatch (the importer's `run`, used by tests, the bundle builder
 *   and `validateBatch`);
 * - `importStreamed` checks each record as it comes (RECORD_CHECKS, the same errors as validateBatch) and writes it, in
 *   batches of STAGE_BATCH, to the store's staging tables (src/store/staged.ts); repeated keys and cited sources are
 *   then checked in SQL, the header-only and sharp-drop refusals applied, and one transaction commits. The heap holds
 *   one chunk of the file and one batch of records, so memory does not grow with the file's rows (the importers' own
 *   per-key maps aside, stated per importer).
 */
import {
  ImportError,
  SourceSchema,
  type Governance,
  type GroupingMember,
  type ImportBatch,
  type Observation,
  type PricePoint,
  type Source,
  type TradeFlow,
} from '../model/schema.ts';
import type { StoreApi } from '../store/gate.ts';
import type { StagedTable, StagingArea } from '../store/staged.ts';
import type { ImportSummary } from '../store/store.ts';
import { duplicateError, originOf, RECORD_CHECKS, recordFromRow, snakeCase, UNIQUE_KEYS, type Origin } from './checks.ts';

export interface RecordOut {
  observation(o: Observation): void | Promise<void>;
  governance(g: Governance): void | Promise<void>;
  grouping(g: GroupingMember): void | Promise<void>;
  tradeFlow(t: TradeFlow): void | Promise<void>;
  price(p: PricePoint): void | Promise<void>;
}

/** What a streamed importer returns once it has read every row: the records' sources and its warnings. */
export interface StreamedImport {
  sources: Source[];
  warnings: string[];
}

export type StreamImporter = (path: string, out: RecordOut) => Promise<StreamedImport>;

/** Run a streamed importer into memory: the ImportBatch its `run` returns. */
export async function collectBatch(kind: string, path: string, importer: StreamImporter): Promise<ImportBatch> {
  const observations: Observation[] = [];
  const governance: Governance[] = [];
  const groupings: GroupingMember[] = [];
  const tradeFlows: TradeFlow[] = [];
  const prices: PricePoint[] = [];
  const r = await importer(path, {
    observation: (x) => void observations.push(x),
    governance: (x) => void governance.push(x),
    grouping: (x) => void groupings.push(x),
    tradeFlow: (x) => void tradeFlows.push(x),
    price: (x) => void prices.push(x),
  });
  return {
    kind,
    file: path,
    sources: r.sources,
    observations,
    ...(governance.length ? { governance } : {}),
    ...(groupings.length ? { groupings } : {}),
    ...(tradeFlows.length ? { tradeFlows } : {}),
    ...(prices.length ? { prices } : {}),
    warnings: r.warnings,
  };
}

/** Records written to the staging tables per round trip. */
export const STAGE_BATCH = 8192;

const TABLE_OF = { observation: 'observations', governance: 'governance', grouping: 'groupings', tradeFlow: 'trade_flows', price: 'prices' } as const;

/**
 * The sharp-drop rule of every import: an import that writes no rows at all, or less than half of the rows its source
 * holds now, is refused unless the user says --replace (a header-only usgs-world file once wiped 3,153 rows, exit 0).
 */
export function refuseSharpDropOf(file: string, counts: ReadonlyMap<string, number>, held: ReadonlyMap<string, number>): void {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0)
    throw new ImportError(
      file,
      null,
      null,
      'the file holds no data rows (only a header?); nothing imported. To empty its source on purpose, import it with --replace',
    );
  for (const [id, now] of counts) {
    const before = held.get(id) ?? 0;
    if (before >= 20 && now < before / 2) {
      throw new ImportError(
        file,
        null,
        null,
        `would replace the ${before.toLocaleString('en-US')} rows of source "${id}" with ${now.toLocaleString('en-US')} (a drop of ${Math.round(100 * (1 - now / before))}%): a truncated or partial file? Nothing imported. If the smaller file is right, import it with --replace`,
      );
    }
  }
}

/** Import a file with a streamed importer into the store: checked row by row, staged in batches, one transaction. */
export async function importStreamed(
  store: StoreApi,
  kind: string,
  path: string,
  contentHash: string,
  importer: StreamImporter,
  opts: { replace?: boolean } = {},
): Promise<ImportSummary> {
  return store.importStaged(kind, path, contentHash, async (area: StagingArea) => {
    const counts: Record<StagedTable, number> = { observations: 0, governance: 0, groupings: 0, trade_flows: 0, prices: 0 };
    const bySource = new Map<string, number>();
    const pending = new Map<StagedTable, { rows: object[]; origins: Origin[] }>();
    let buffered = 0;
    const flush = async () => {
      for (const [table, b] of pending) await area.append(table, b.rows as never, b.origins);
      pending.clear();
      buffered = 0;
    };
    const put =
      <K extends keyof typeof TABLE_OF>(what: K) =>
      (x: Parameters<(typeof RECORD_CHECKS)[K]>[1]): void | Promise<void> => {
        const table = TABLE_OF[what];
        (RECORD_CHECKS[what] as (f: string, x: unknown, i: number, ids: null) => void)(path, x, counts[table], null);
        counts[table]++;
        bySource.set(x.sourceId, (bySource.get(x.sourceId) ?? 0) + 1);
        let b = pending.get(table);
        if (!b) pending.set(table, (b = { rows: [], origins: [] }));
        b.rows.push(x);
        b.origins.push(originOf(path, x));
        if (++buffered >= STAGE_BATCH) return flush();
      };
    const out: RecordOut = {
      observation: put('observation'),
      governance: put('governance'),
      grouping: put('grouping'),
      tradeFlow: put('tradeFlow'),
      price: put('price'),
    };
    const r = await importer(path, out);
    await flush();

    const ids = new Set<string>();
    for (const s of r.sources) {
      const v = SourceSchema.safeParse(s);
      if (!v.success) throw new ImportError(path, null, `source ${s.id}`, v.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      ids.add(s.id);
    }
    for (const table of Object.keys(counts) as StagedTable[]) {
      if (!counts[table]) continue;
      const { what, fields, label } = UNIQUE_KEYS[table];
      const unknown = await area.firstUnknownSource(table, [...ids]);
      if (unknown)
        throw new ImportError(unknown.at.file, unknown.at.line, `${what} #${unknown.ord} sourceId`, `cites source "${unknown.sourceId}" not in this import`);
      const dup = await area.firstDuplicate(table, fields.map(snakeCase));
      if (dup) throw duplicateError(path, what, (label as (x: unknown) => string)(recordFromRow(dup.row)), dup.ord - 1, dup.at, dup.firstOrd - 1, dup.firstAt);
    }
    for (const id of ids) if (!bySource.has(id)) bySource.set(id, 0);
    if (!opts.replace) refuseSharpDropOf(path, bySource, await area.heldRows());
    return { sources: r.sources, warnings: r.warnings, counts };
  });
}
