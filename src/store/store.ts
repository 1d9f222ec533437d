/**
 * Embedded store: one DuckDB file (default under the user data directory), versioned schema.
 * Writes go through `applyBatch`, one transaction per import: either every row of a file lands or none does.
 * Re-importing a file replaces the rows of its sources, so the same file twice leaves the same state.
 */
import { readTradeTable } from './trade-table.ts';
import { readCustomsImports, readDeclaredTrade, type CustomsImportsQuery } from './customs-imports.ts';
import type { DeclaredTrade, ImporterCustoms, ImporterCustomsGap } from '../engine/importer/importers.ts';
import type { TradeTable } from '../engine/trade-table.ts';
import { DuckDBInstance, listValue, type DuckDBConnection, type DuckDBAppender } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { storeWriteFailure } from './errors.ts';
import { importBaciFile, type BaciImportOptions } from './baci.ts';
import { importStagedRows, type StagedResult, type StagingArea } from './staged.ts';
import type {
  Basis,
  GroupingMember,
  Governance,
  ImportBatch,
  Measure,
  Observation,
  PricePoint,
  PriceUnit,
  Source,
  Stage,
  TradeFlow,
  ValueStatus,
} from '../model/schema.ts';

/**
 * 2: table trade_flows (bilateral trade by HS code).
 * 3: table registry (agreements, trade measures, projects as validated JSON records), alert_rules and alerts.
 * 4: table prices (annual prices per material and series, each edition's row kept: USGS salient statistics).
 * 5: tables series_summary and series_share (concentration of every series, computed in SQL: src/store/summary.ts),
 *    refreshed by every import that changes observations.
 * Older stores are migrated in place: the new tables are added (and the summary computed from the observations held).
 */
export const SCHEMA_VERSION = 5;

import { readSeriesDetail, readSeriesFigures, readSeriesSummary, refreshSeriesSummary, SUMMARY_DDL } from './summary.ts';
import type { PanelSeries } from '../engine/series-panel.ts';
import type { SeriesDetail, SeriesSummary } from '../engine/concentration-summary.ts';

export { StoreWriteError } from './errors.ts';

export type RegistryKind = 'agreement' | 'measure' | 'project';

const DDL = [
  `create table if not exists meta (key varchar primary key, value varchar)`,
  `create table if not exists sources (
     id varchar primary key, dataset varchar not null, edition_year integer not null, publisher varchar not null,
     title varchar not null, edition varchar not null, "table" varchar, licence varchar not null, url varchar,
     file varchar, caveat varchar)`,
  `create table if not exists observations (
     material_id varchar not null, stage varchar not null, measure varchar not null, country_id varchar not null,
     year integer not null, value double, unit varchar not null, basis varchar not null, status varchar not null,
     estimated boolean not null, scenario varchar, sector varchar, detail varchar, note varchar, source_id varchar not null)`,
  `create table if not exists governance (
     country_id varchar not null, year integer not null, indicator varchar not null, estimate double not null,
     std_err double, percentile_rank double, source_id varchar not null)`,
  `create table if not exists groupings (
     group_id varchar not null, group_name varchar not null, country_id varchar not null, as_of varchar, source_id varchar not null)`,
  `create table if not exists trade_flows (
     reporter_id varchar not null, partner_id varchar not null, flow varchar not null, material_id varchar not null,
     hs_code varchar not null, year integer not null, month integer, quantity_kg double, value_usd double,
     product_scope varchar, source_id varchar not null)`,
  `create table if not exists registry (
     kind varchar not null, id varchar not null, record varchar not null, source_id varchar not null,
     primary key (kind, id, source_id))`,
  `create table if not exists alert_rules (id varchar primary key, rule varchar not null, created_at timestamp not null default current_timestamp)`,
  `create table if not exists alerts (
     key varchar primary key, rule_id varchar not null, alert varchar not null, first_seen timestamp not null,
     last_seen timestamp not null, active boolean not null)`,
  `create table if not exists prices (
     material_id varchar not null, series varchar not null, year integer not null, value double, low double, high double,
     unit varchar not null, usd_per_tonne double, basis varchar not null, market varchar, status varchar not null,
     estimated boolean not null, edition integer not null, detail varchar not null, note varchar, source_id varchar not null)`,
  `create table if not exists imports (
     kind varchar not null, file varchar not null, sha256 varchar not null, observations integer not null,
     source_ids varchar not null, imported_at timestamp not null default current_timestamp)`,
];

/** Default store location: $CHOKEPOINT_HOME, else $XDG_DATA_HOME/chokepoint, else ~/.local/share/chokepoint. */
export function defaultStorePath(): string {
  if (process.env.CHOKEPOINT_DB) return process.env.CHOKEPOINT_DB;
  const base = process.env.CHOKEPOINT_HOME ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'chokepoint');
  return join(base, 'chokepoint.duckdb');
}

export interface ImportSummary {
  kind: string;
  file: string;
  sourceIds: string[];
  observations: number;
  governance: number;
  groupings: number;
  tradeFlows: number;
  registry: number; // agreements + measures + projects
  prices: number;
  unchanged: boolean; // true when this exact content was already imported
  warnings: string[];
}

export interface ImportLogRow {
  kind: string;
  file: string;
  sha256: string;
  sourceIds: string[];
  observations: number;
  /** When the import was recorded (ISO 8601, the store's clock, UTC). */
  importedAt: string;
}

export interface LastImport {
  sha256: string;
  sourceIds: string[];
  observations: number;
  /** Another import has since replaced rows of one of its sources. */
  superseded: boolean;
}

/**
 * The newest import of this kind from this file in an import log; `superseded` when another import has since replaced
 * rows of one of its sources. `importPath` compares the hash before reading the file, so the same content is not parsed
 * again.
 */
/**
 * imported_at as ISO 8601 UTC. The column holds wall time in the session's time zone (current_timestamp cast to a
 * timestamp); read back as timestamptz it is an instant again (microseconds since the epoch).
 */
function importedAtIso(v: unknown): string {
  const micros = (v as { micros?: unknown } | null)?.micros;
  return typeof micros === 'bigint' ? new Date(Number(micros / 1000n)).toISOString() : String(v);
}

export function lastImportOf(log: ImportLogRow[], kind: string, file: string | ((file: string) => boolean)): LastImport | null {
  const sameFile = typeof file === 'string' ? (f: string) => f === file : file;
  let last = -1;
  log.forEach((x, i) => x.kind === kind && sameFile(x.file) && (last = i));
  if (last < 0) return null;
  const mine = new Set(log[last].sourceIds);
  const superseded = log.slice(last + 1).some((x) => x.sourceIds.some((id) => mine.has(id)));
  const { sha256, sourceIds, observations } = log[last];
  return { sha256, sourceIds, observations, superseded };
}

export class Store {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly path: string,
    readonly readOnly = false,
  ) {}

  /**
   * Open (creating if needed) a store. `:memory:` gives a throwaway store, used by tests and benchmarks.
   * `readOnly` opens an existing file without taking the write lock (other processes may read it too) and without
   * migrating it; most code reaches the store through a StoreGate (gate.ts), which chooses the mode.
   */
  static async open(path: string = defaultStorePath(), opts: { readOnly?: boolean } = {}): Promise<Store> {
    if (path !== ':memory:' && !opts.readOnly) mkdirSync(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path, opts.readOnly ? { access_mode: 'READ_ONLY' } : {});
    try {
      const conn = await instance.connect();
      const store = new Store(instance, conn, path, Boolean(opts.readOnly));
      if (!opts.readOnly) await store.migrate();
      return store;
    } catch (e) {
      instance.closeSync();
      throw e;
    }
  }

  private async migrate(): Promise<void> {
    for (const sql of [...DDL, ...SUMMARY_DDL]) await this.conn.run(sql);
    const v = await this.meta('schema_version');
    // 1 → 2 → 3 → 4 → 5: the tables each version adds are created above; 5's summary is computed from what the store holds
    if (v === null || [1, 2, 3, 4].includes(Number(v))) {
      await this.transaction(async () => {
        if (v !== null) await refreshSeriesSummary(this.conn);
        await this.setMeta('schema_version', String(SCHEMA_VERSION));
      });
    } else if (Number(v) !== SCHEMA_VERSION) {
      throw new Error(`store ${this.path} has schema version ${v}, this Chokepoint expects ${SCHEMA_VERSION}: delete the file or run "chokepoint data reset"`);
    }
  }

  async meta(key: string): Promise<string | null> {
    const r = await this.conn.runAndReadAll('select value from meta where key = $1', [key]).catch((e: Error) => {
      if (this.readOnly && /does not exist/.test(e.message)) return null; // a read-only open of a file never initialised
      throw e;
    });
    if (!r) return null;
    const rows = r.getRows();
    return rows.length ? String(rows[0][0]) : null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.conn.run('insert or replace into meta values ($1, $2)', [key, value]);
  }

  /**
   * Run `fn` in one transaction. When a statement or the commit fails, DuckDB may already have aborted the transaction
   * (a failed commit always has), so `rollback` then fails with "no transaction is active": that must never hide the
   * real error, which is what the caller gets (as a StoreWriteError when the disk is full or not writable).
   */
  private async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.conn.run('begin transaction');
    try {
      const result = await fn();
      await this.conn.run('commit');
      return result;
    } catch (e) {
      try {
        await this.conn.run('rollback');
      } catch (rollbackError) {
        // Already rolled back by DuckDB: expected. Anything else is secondary to the error that caused it.
        if (!/no transaction is active/i.test((rollbackError as Error).message ?? '') && e instanceof Error) {
          (e as Error & { rollbackError?: unknown }).rollbackError = rollbackError;
        }
      }
      throw storeWriteFailure(this.path, e);
    }
  }

  /** Write one importer's batch atomically. On any error the transaction is rolled back and the store is unchanged. */
  async applyBatch(batch: ImportBatch, contentHash: string): Promise<ImportSummary> {
    const sourceIds = batch.sources.map((s) => s.id);
    const summary: ImportSummary = {
      kind: batch.kind,
      file: batch.file,
      sourceIds,
      observations: batch.observations.length,
      governance: batch.governance?.length ?? 0,
      groupings: batch.groupings?.length ?? 0,
      tradeFlows: batch.tradeFlows?.length ?? 0,
      registry: (batch.agreements?.length ?? 0) + (batch.measures?.length ?? 0) + (batch.projects?.length ?? 0),
      prices: batch.prices?.length ?? 0,
      unchanged: false,
      warnings: batch.warnings,
    };
    const prev = await this.conn.runAndReadAll('select sha256 from imports where kind = $1 and source_ids = $2 order by imported_at desc, rowid desc limit 1', [
      batch.kind,
      sourceIds.join(','),
    ]);
    if (prev.getRows()[0]?.[0] === contentHash) return { ...summary, unchanged: true };

    await this.transaction(async () => {
      const ids = `(${sourceIds.map((s) => `'${s.replace(/'/g, "''")}'`).join(',') || "''"})`;
      let observationsChanged = batch.observations.length > 0;
      for (const t of ['observations', 'governance', 'groupings', 'trade_flows', 'registry', 'prices']) {
        const r = await this.conn.run(`delete from ${t} where source_id in ${ids}`);
        if (t === 'observations' && r.rowsChanged > 0) observationsChanged = true;
      }
      await this.conn.run(`delete from sources where id in ${ids}`);
      await this.appendSources(batch.sources);
      await this.appendObservations(batch.observations);
      if (batch.governance?.length) await this.appendGovernance(batch.governance);
      if (batch.groupings?.length) await this.appendGroupings(batch.groupings);
      if (batch.tradeFlows?.length) await this.appendTradeFlows(batch.tradeFlows);
      if (batch.prices?.length) await this.appendPrices(batch.prices);
      // The summary changes with the observations, in the same transaction: never one without the other.
      if (observationsChanged) await refreshSeriesSummary(this.conn);
      await this.appendRegistry('agreement', batch.agreements ?? []);
      await this.appendRegistry('measure', batch.measures ?? []);
      await this.appendRegistry('project', batch.projects ?? []);
      await this.conn.run('insert into imports (kind, file, sha256, observations, source_ids) values ($1, $2, $3, $4, $5)', [
        batch.kind,
        batch.file,
        contentHash,
        batch.observations.length,
        sourceIds.join(','),
      ]);
    });
    return summary;
  }

  /**
   * Import a CEPII BACI file through DuckDB's CSV reader (src/store/baci.ts): validated in SQL, one transaction,
   * memory bounded by DuckDB rather than by JS objects.
   */
  async importBaci(file: string, contentHash: string, opts: BaciImportOptions = {}): Promise<ImportSummary> {
    return importBaciFile(this.conn, (fn) => this.transaction(fn), file, contentHash, opts);
  }

  /**
   * A streamed import (src/store/staged.ts): `fill` reads the file row by row into staging tables and checks it; when it
   * returns, one transaction replaces the rows of its sources. Any error leaves the store as it was.
   */
  async importStaged(kind: string, file: string, contentHash: string, fill: (area: StagingArea) => Promise<StagedResult>): Promise<ImportSummary> {
    return importStagedRows(
      {
        conn: this.conn,
        transaction: (fn) => this.transaction(fn),
        appendSources: (rows) => this.appendSources(rows),
        append: (table, rows, into, extra) => {
          const r = rows as never;
          if (table === 'observations') return this.appendObservations(r, into, extra);
          if (table === 'governance') return this.appendGovernance(r, into, extra);
          if (table === 'groupings') return this.appendGroupings(r, into, extra);
          if (table === 'trade_flows') return this.appendTradeFlows(r, into, extra);
          return this.appendPrices(r, into, extra);
        },
        heldRows: async () =>
          new Map((await this.sources()).map((s) => [s.id, s.observations + s.governance + s.groupings + s.tradeFlows + s.registry + s.prices])),
      },
      kind,
      file,
      contentHash,
      fill,
    );
  }

  private async withAppender(table: string, fill: (a: DuckDBAppender) => void): Promise<void> {
    const a = await this.conn.createAppender(table);
    try {
      fill(a);
    } finally {
      a.closeSync();
    }
  }

  private async appendSources(rows: Source[]): Promise<void> {
    await this.withAppender('sources', (a) => {
      for (const s of rows) {
        a.appendVarchar(s.id);
        a.appendVarchar(s.dataset);
        a.appendInteger(s.editionYear);
        a.appendVarchar(s.publisher);
        a.appendVarchar(s.title);
        a.appendVarchar(s.edition);
        str(a, s.table);
        a.appendVarchar(s.licence);
        str(a, s.url);
        str(a, s.file);
        str(a, s.caveat);
        a.endRow();
      }
    });
  }

  async appendObservations(rows: readonly Observation[], into = 'observations', extra?: RowExtra): Promise<void> {
    await this.withAppender(into, (a) => {
      for (let i = 0; i < rows.length; i++) {
        const o = rows[i];
        a.appendVarchar(o.materialId);
        a.appendVarchar(o.stage);
        a.appendVarchar(o.measure);
        a.appendVarchar(o.countryId);
        a.appendInteger(o.year);
        if (o.value === null) a.appendNull();
        else a.appendDouble(o.value);
        a.appendVarchar(o.unit);
        a.appendVarchar(o.basis);
        a.appendVarchar(o.status);
        a.appendBoolean(o.estimated);
        str(a, o.scenario);
        str(a, o.sector);
        str(a, o.detail);
        str(a, o.note);
        a.appendVarchar(o.sourceId);
        extra?.(a, i);
        a.endRow();
      }
    });
  }

  async appendGovernance(rows: readonly Governance[], into = 'governance', extra?: RowExtra): Promise<void> {
    await this.withAppender(into, (a) => {
      for (let i = 0; i < rows.length; i++) {
        const g = rows[i];
        a.appendVarchar(g.countryId);
        a.appendInteger(g.year);
        a.appendVarchar(g.indicator);
        a.appendDouble(g.estimate);
        num(a, g.stdErr);
        num(a, g.percentileRank);
        a.appendVarchar(g.sourceId);
        extra?.(a, i);
        a.endRow();
      }
    });
  }

  async appendGroupings(rows: readonly GroupingMember[], into = 'groupings', extra?: RowExtra): Promise<void> {
    await this.withAppender(into, (a) => {
      for (let i = 0; i < rows.length; i++) {
        const g = rows[i];
        a.appendVarchar(g.groupId);
        a.appendVarchar(g.groupName);
        a.appendVarchar(g.countryId);
        str(a, g.asOf);
        a.appendVarchar(g.sourceId);
        extra?.(a, i);
        a.endRow();
      }
    });
  }

  async appendTradeFlows(rows: readonly TradeFlow[], into = 'trade_flows', extra?: RowExtra): Promise<void> {
    await this.withAppender(into, (a) => {
      for (let i = 0; i < rows.length; i++) {
        const t = rows[i];
        a.appendVarchar(t.reporterId);
        a.appendVarchar(t.partnerId);
        a.appendVarchar(t.flow);
        a.appendVarchar(t.materialId);
        a.appendVarchar(t.hsCode);
        a.appendInteger(t.year);
        if (t.month === null) a.appendNull();
        else a.appendInteger(t.month);
        num(a, t.quantityKg);
        num(a, t.valueUsd);
        str(a, t.productScope);
        a.appendVarchar(t.sourceId);
        extra?.(a, i);
        a.endRow();
      }
    });
  }

  async appendPrices(rows: readonly PricePoint[], into = 'prices', extra?: RowExtra): Promise<void> {
    await this.withAppender(into, (a) => {
      for (let i = 0; i < rows.length; i++) {
        const p = rows[i];
        a.appendVarchar(p.materialId);
        a.appendVarchar(p.series);
        a.appendInteger(p.year);
        num(a, p.value);
        num(a, p.low);
        num(a, p.high);
        a.appendVarchar(p.unit);
        num(a, p.usdPerTonne);
        a.appendVarchar(p.basis);
        str(a, p.market);
        a.appendVarchar(p.status);
        a.appendBoolean(p.estimated);
        a.appendInteger(p.edition);
        a.appendVarchar(p.detail);
        str(a, p.note);
        a.appendVarchar(p.sourceId);
        extra?.(a, i);
        a.endRow();
      }
    });
  }

  /** Annual prices, all or of some materials; every edition's row (readers pick the newest, engine/prices.ts). */
  async readPrices(materialIds?: string[]): Promise<PricePoint[]> {
    if (materialIds && !materialIds.length) return [];
    const r = await this.conn.runAndReadAll(
      `select material_id, series, year, value, low, high, unit, usd_per_tonne, basis, market, status, estimated, edition, detail, note, source_id
       from prices ${materialIds ? 'where list_contains($1::varchar[], material_id)' : ''} order by material_id, series, year, edition`,
      materialIds ? [listValue(materialIds)] : [],
    );
    const n = (v: unknown) => (v === null ? null : Number(v));
    return r.getRows().map((x) => ({
      materialId: String(x[0]),
      series: String(x[1]),
      year: Number(x[2]),
      value: n(x[3]),
      low: n(x[4]),
      high: n(x[5]),
      unit: x[6] as PriceUnit,
      usdPerTonne: n(x[7]),
      basis: String(x[8]),
      market: (x[9] as string | null) ?? null,
      status: x[10] as ValueStatus,
      estimated: Boolean(x[11]),
      edition: Number(x[12]),
      detail: String(x[13]),
      note: (x[14] as string | null) ?? null,
      sourceId: String(x[15]),
    }));
  }

  private async appendRegistry(kind: RegistryKind, rows: Array<{ id: string; sourceId: string }>): Promise<void> {
    if (!rows.length) return;
    await this.withAppender('registry', (a) => {
      for (const r of rows) {
        a.appendVarchar(kind);
        a.appendVarchar(r.id);
        a.appendVarchar(JSON.stringify(r));
        a.appendVarchar(r.sourceId);
        a.endRow();
      }
    });
  }

  /** Registry records as stored (validated at write time), in id order. */
  async registryRecords(kind?: RegistryKind): Promise<Array<{ kind: RegistryKind; id: string; sourceId: string; record: unknown }>> {
    const r = await this.conn.runAndReadAll(
      `select kind, id, source_id, record from registry ${kind ? 'where kind = $1' : ''} order by kind, id, source_id`,
      kind ? [kind] : [],
    );
    return r.getRows().map((x) => ({ kind: x[0] as RegistryKind, id: String(x[1]), sourceId: String(x[2]), record: JSON.parse(String(x[3])) }));
  }

  /**
   * Add or replace user-entered registry records (source `user-registry`), creating that source on first use.
   * One transaction: a failure leaves the store as it was.
   */
  async upsertUserRecords(rows: Array<[RegistryKind, { id: string; sourceId: string }]>, source: Source): Promise<void> {
    await this.transaction(async () => {
      await this.conn.run('delete from sources where id = $1', [source.id]);
      await this.appendSources([source]);
      for (const [kind, record] of rows) {
        await this.conn.run('delete from registry where kind = $1 and id = $2 and source_id = $3', [kind, record.id, source.id]);
        await this.appendRegistry(kind, [record]);
      }
    });
  }

  /** Remove one record of a source; returns whether a row was removed. */
  async removeRegistryRecord(kind: RegistryKind, id: string, sourceId: string): Promise<boolean> {
    const r = await this.conn.runAndReadAll('delete from registry where kind = $1 and id = $2 and source_id = $3 returning id', [kind, id, sourceId]);
    return r.getRows().length > 0;
  }

  async alertRules(): Promise<Array<{ id: string; rule: unknown; createdAt: string }>> {
    const r = await this.conn.runAndReadAll('select id, rule, created_at from alert_rules order by created_at, id');
    return r.getRows().map((x) => ({ id: String(x[0]), rule: JSON.parse(String(x[1])), createdAt: String(x[2]) }));
  }

  async putAlertRule(id: string, rule: unknown): Promise<void> {
    await this.conn.run('insert or replace into alert_rules (id, rule) values ($1, $2)', [id, JSON.stringify(rule)]);
  }

  /** Deletes a rule and its alerts; returns whether the rule existed. */
  async deleteAlertRule(id: string): Promise<boolean> {
    await this.conn.run('delete from alerts where rule_id = $1', [id]);
    const r = await this.conn.runAndReadAll('delete from alert_rules where id = $1 returning id', [id]);
    return r.getRows().length > 0;
  }

  /**
   * Record one evaluation: alerts seen now are inserted (first_seen = now) or refreshed (last_seen = now, active);
   * stored alerts of the evaluated rules that were not seen now become inactive. One transaction.
   */
  async recordAlerts(ruleIds: string[], seen: Array<{ key: string; ruleId: string; alert: unknown }>): Promise<void> {
    await this.transaction(async () => {
      const now = new Date().toISOString();
      // Set-based, not a statement per alert: an evaluation of the starter rules stores ~50 alerts.
      if (ruleIds.length) await this.conn.run('update alerts set active = false where list_contains($1::varchar[], rule_id)', [listValue(ruleIds)]);
      await this.conn.run('create or replace temp table seen_alerts (key varchar, rule_id varchar, alert varchar)');
      await this.withAppender('seen_alerts', (a) => {
        for (const s of seen) {
          a.appendVarchar(s.key);
          a.appendVarchar(s.ruleId);
          a.appendVarchar(JSON.stringify(s.alert));
          a.endRow();
        }
      });
      await this.conn.run(
        `insert into alerts (key, rule_id, alert, first_seen, last_seen, active)
         select key, any_value(rule_id), any_value(alert), $1::timestamp, $1::timestamp, true from seen_alerts group by key
         on conflict (key) do update set alert = excluded.alert, last_seen = excluded.last_seen, active = true`,
        [now],
      );
      await this.conn.run('drop table seen_alerts');
    });
  }

  async storedAlerts(): Promise<Array<{ key: string; ruleId: string; alert: unknown; firstSeen: string; lastSeen: string; active: boolean }>> {
    const r = await this.conn.runAndReadAll('select key, rule_id, alert, first_seen, last_seen, active from alerts order by first_seen desc, key');
    return r.getRows().map((x) => ({
      key: String(x[0]),
      ruleId: String(x[1]),
      alert: JSON.parse(String(x[2])),
      firstSeen: String(x[3]),
      lastSeen: String(x[4]),
      active: Boolean(x[5]),
    }));
  }

  /** Row counts of every table; used by tests to prove a failed import changed nothing. */
  async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of ['sources', 'observations', 'governance', 'groupings', 'trade_flows', 'registry', 'prices', 'alert_rules', 'alerts', 'imports']) {
      const r = await this.conn.runAndReadAll(`select count(*) from ${t}`);
      out[t] = Number(r.getRows()[0][0]);
    }
    return out;
  }

  async sources(): Promise<
    Array<Source & { observations: number; governance: number; groupings: number; tradeFlows: number; registry: number; prices: number }>
  > {
    const r = await this.conn.runAndReadAll(`
      select s.*, 
        (select count(*) from observations o where o.source_id = s.id) as n_obs,
        (select count(*) from governance g where g.source_id = s.id) as n_gov,
        (select count(*) from groupings g where g.source_id = s.id) as n_grp,
        (select count(*) from trade_flows t where t.source_id = s.id) as n_trade,
        (select count(*) from registry r where r.source_id = s.id) as n_reg,
        (select count(*) from prices p where p.source_id = s.id) as n_prices
      from sources s order by s.dataset, s.edition_year desc, s.id`);
    return r.getRowObjectsJS().map((x: Record<string, unknown>) => ({
      id: String(x.id),
      dataset: String(x.dataset),
      editionYear: Number(x.edition_year),
      publisher: String(x.publisher),
      title: String(x.title),
      edition: String(x.edition),
      table: (x.table as string | null) ?? null,
      licence: String(x.licence),
      url: (x.url as string | null) ?? null,
      file: (x.file as string | null) ?? null,
      caveat: (x.caveat as string | null) ?? null,
      observations: Number(x.n_obs),
      governance: Number(x.n_gov),
      groupings: Number(x.n_grp),
      tradeFlows: Number(x.n_trade),
      registry: Number(x.n_reg),
      prices: Number(x.n_prices),
    }));
  }

  /**
   * The newest import of this kind from this file; `superseded` when another import has since replaced rows of one of
   * its sources. `importPath` compares the hash before reading the file, so the same content is not parsed again.
   */
  async lastImport(kind: string, file: string): Promise<LastImport | null> {
    return lastImportOf(await this.importLog(), kind, file);
  }

  /** Every import recorded, oldest first. */
  async importLog(): Promise<ImportLogRow[]> {
    const r = await this.conn.runAndReadAll(
      'select kind, file, sha256, source_ids, observations, imported_at::timestamptz from imports order by imported_at, rowid',
    );
    return r.getRows().map((x) => ({
      kind: String(x[0]),
      file: String(x[1]),
      sha256: String(x[2]),
      sourceIds: String(x[3]).split(',').filter(Boolean),
      observations: Number(x[4]),
      importedAt: importedAtIso(x[5]),
    }));
  }

  /** Every meta key (schema version, starter rules, bundled input hashes): one query at start instead of several. */
  async metaAll(): Promise<Map<string, string>> {
    const r = await this.conn.runAndReadAll('select key, value from meta').catch((e: Error) => {
      if (this.readOnly && /does not exist/.test(e.message)) return null; // a read-only open of a file never initialised
      throw e;
    });
    return new Map((r?.getRows() ?? []).map((x) => [String(x[0]), String(x[1])]));
  }

  /** Source records without row counts (what the in-memory dataset keeps). */
  async sourceRecords(): Promise<Source[]> {
    const r = await this.conn.runAndReadAll(
      'select id, dataset, edition_year, publisher, title, edition, "table", licence, url, file, caveat from sources order by dataset, edition_year desc, id',
    );
    return r.getRows().map((x) => ({
      id: String(x[0]),
      dataset: String(x[1]),
      editionYear: Number(x[2]),
      publisher: String(x[3]),
      title: String(x[4]),
      edition: String(x[5]),
      table: (x[6] as string | null) ?? null,
      licence: String(x[7]),
      url: (x[8] as string | null) ?? null,
      file: (x[9] as string | null) ?? null,
      caveat: (x[10] as string | null) ?? null,
    }));
  }

  /** Observations, all or of some materials only (a command about one material reads only its rows). */
  async readObservations(materialIds?: string[], stages?: Stage[]): Promise<Observation[]> {
    if ((materialIds && !materialIds.length) || (stages && !stages.length)) return [];
    const where: string[] = [];
    const params: ReturnType<typeof listValue>[] = [];
    if (materialIds) {
      params.push(listValue(materialIds));
      where.push(`list_contains($${params.length}::varchar[], material_id)`);
    }
    if (stages) {
      params.push(listValue(stages));
      where.push(`list_contains($${params.length}::varchar[], stage)`);
    }
    // The ten text columns that repeat along a series travel as one joined string (chr(31) between, chr(30) for null),
    // split once per distinct value; columns are read whole (getColumnsJS), not row by row. Decoding strings was most of
    // the read (bench/enduse-load.ts).
    const r = await this.conn.runAndReadAll(
      `select concat_ws(chr(31), material_id, stage, measure, unit, basis, status, coalesce(scenario, chr(30)), coalesce(sector, chr(30)),
              source_id, coalesce(detail, chr(30))),
              country_id, year, value, estimated, note
       from observations ${where.length ? `where ${where.join(' and ')}` : ''}`,
      params,
    );
    const c = r.getColumnsJS() as unknown[][];
    const n = r.currentRowCount;
    const out: Observation[] = new Array(n);
    const texts = new Map<string, string[]>();
    const orNull = (x: string) => (x === '\u001e' ? null : x);
    for (let i = 0; i < n; i++) {
      const joined = c[0][i] as string;
      let t = texts.get(joined);
      if (!t) {
        // detail (free text) last: it keeps any separator it holds
        const [m, st, me, u, b, status, scenario, sector, source, ...detail] = joined.split('\u001f');
        t = [m, st, me, u, b, status, scenario, sector, source, detail.join('\u001f')];
        texts.set(joined, t);
      }
      const v = c[3][i] as number | null;
      out[i] = {
        materialId: t[0],
        stage: t[1] as Stage,
        measure: t[2] as Measure,
        countryId: c[1][i] as string,
        year: Number(c[2][i]),
        value: v === null ? null : Number(v),
        unit: t[3],
        basis: t[4] as Basis,
        status: t[5] as ValueStatus,
        estimated: Boolean(c[4][i]),
        scenario: orNull(t[6]),
        sector: orNull(t[7]),
        detail: orNull(t[9]),
        note: (c[5][i] as string | null) ?? null,
        sourceId: t[8],
      };
    }
    return out;
  }

  /** Series summary rows (src/store/summary.ts) of some stages and materials. */
  async readSeriesSummary(filter: { stages?: Stage[]; materials?: string[] } = {}): Promise<SeriesSummary[]> {
    return readSeriesSummary(this.conn, filter);
  }

  /** The by-source panel's figures of every series of some stages and materials (src/store/summary.ts). */
  async readSeriesFigures(filter: { stages?: Stage[]; materials?: string[] } = {}): Promise<PanelSeries[]> {
    return readSeriesFigures(this.conn, filter);
  }

  /** Country shares and gaps of some summary series, by id. */
  async readSeriesDetail(ids: number[]): Promise<Map<number, SeriesDetail>> {
    return readSeriesDetail(this.conn, ids);
  }

  async readGovernance(): Promise<Governance[]> {
    const r = await this.conn.runAndReadAll('select country_id, year, indicator, estimate, std_err, percentile_rank, source_id from governance');
    return r.getRows().map((x) => ({
      countryId: x[0] as string,
      year: Number(x[1]),
      indicator: x[2] as Governance['indicator'],
      estimate: Number(x[3]),
      stdErr: x[4] === null ? null : Number(x[4]),
      percentileRank: x[5] === null ? null : Number(x[5]),
      sourceId: x[6] as string,
    }));
  }

  async readGroupings(): Promise<GroupingMember[]> {
    const r = await this.conn.runAndReadAll('select group_id, group_name, country_id, as_of, source_id from groupings');
    return r.getRows().map((x) => ({
      groupId: x[0] as string,
      groupName: x[1] as string,
      countryId: x[2] as string,
      asOf: (x[3] as string | null) ?? null,
      sourceId: x[4] as string,
    }));
  }

  /** The HS codes a material's import declarations use. */
  async readImportCodes(materialId: string): Promise<string[]> {
    const r = await this.conn.runAndReadAll(`select distinct hs_code from trade_flows where material_id = $1 and flow = 'import' order by 1`, [materialId]);
    return r.getRows().map((x) => x[0] as string);
  }

  /**
   * The HS codes of one reporter's import declarations, per material it declares imports of (any partner, any year),
   * and whether the store holds any trade flow: `tradeDataStatus` for every material at once.
   */
  async readImportCodesOf(reporterId: string): Promise<{ storeHasFlows: boolean; byMaterial: Record<string, string[]> }> {
    const any = await this.conn.runAndReadAll('select exists(select 1 from trade_flows)');
    const r = await this.conn.runAndReadAll(
      `select material_id, list(distinct hs_code order by hs_code) from trade_flows where reporter_id = $1 and flow = 'import' group by 1 order by 1`,
      [reporterId],
    );
    return {
      storeHasFlows: Boolean(any.getRowsJS()[0][0]),
      byMaterial: Object.fromEntries((r.getRowsJS() as Array<[string, string[]]>).map(([m, codes]) => [m, [...codes]])),
    };
  }

  /** Every importer's customs imports of a material at one stage, in one SQL pass (src/store/customs-imports.ts). */
  readCustomsImports(q: CustomsImportsQuery): Promise<{ rows: ImporterCustoms[]; gaps: ImporterCustomsGap[] }> {
    return readCustomsImports(this.conn, q);
  }

  /** Every importer's own declarations for apparent consumption, summed per HS code (src/store/customs-imports.ts). */
  readDeclaredTrade(q: Omit<CustomsImportsQuery, 'excludedCodes'>): Promise<DeclaredTrade[]> {
    return readDeclaredTrade(this.conn, q);
  }

  /** Trade flows as a column table (what analyses load: see src/engine/trade-table.ts). */
  async readTradeTable(materialIds?: string[], touching?: Readonly<Record<string, readonly string[]>>, touchingAll?: readonly string[]): Promise<TradeTable> {
    // A connection of its own: the rows are streamed, and a read on the shared connection meanwhile (a server reading
    // flows while it answers other requests) would end that stream early.
    const conn = await this.instance.connect();
    try {
      return await readTradeTable(conn, materialIds, touching, touchingAll);
    } finally {
      conn.disconnectSync();
    }
  }

  async readTradeFlows(materialIds?: string[]): Promise<TradeFlow[]> {
    if (materialIds && !materialIds.length) return [];
    const r = await this.conn.runAndReadAll(
      `select reporter_id, partner_id, flow, material_id, hs_code, year, month, quantity_kg, value_usd, product_scope, source_id from trade_flows
       ${materialIds ? 'where list_contains($1::varchar[], material_id)' : ''}`,
      materialIds ? [listValue(materialIds)] : [],
    );
    return r.getRows().map((x) => ({
      reporterId: x[0] as string,
      partnerId: x[1] as string,
      flow: x[2] as TradeFlow['flow'],
      materialId: x[3] as string,
      hsCode: x[4] as string,
      year: Number(x[5]),
      month: x[6] === null ? null : Number(x[6]),
      quantityKg: x[7] === null ? null : Number(x[7]),
      valueUsd: x[8] === null ? null : Number(x[8]),
      productScope: (x[9] as string | null) ?? null,
      sourceId: x[10] as string,
    }));
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** Extra columns a staging table has after the table's own (origin file and line), appended per row. */
export type RowExtra = (a: DuckDBAppender, row: number) => void;

function str(a: DuckDBAppender, v: string | null): void {
  if (v === null) a.appendNull();
  else a.appendVarchar(v);
}
function num(a: DuckDBAppender, v: number | null): void {
  if (v === null) a.appendNull();
  else a.appendDouble(v);
}
