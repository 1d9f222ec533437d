/**
 * One way into the store file for a process: every read and write goes through a StoreGate.
 *
 * DuckDB lets several processes open a file read-only, or one process open it read-write, never both
 * (https://duckdb.org/docs/stable/connect/concurrency). So that the CLI works beside a running server:
 * - reads open the file read-only (a CLI read and the server's reads share the file);
 * - writes are serialised in the process (one at a time, after the reads in flight) and open it read-write only for
 *   the write, then close it, so another process waiting to read or write gets in quickly;
 * - a process that keeps the gate (the server) closes the file after `idleCloseMs` without use, and notices writes
 *   made by other processes from the file's size and modification time (`changedOnDisk`).
 * Inside one process, the gate holds at most one DuckDB instance on the file: POSIX locks do not protect a process
 * from itself, so two instances in one process could both write.
 *
 * The gate offers the Store's methods (StoreApi), each run as one read or one write.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Store, type ImportSummary, type RegistryKind } from './store.ts';
import { StoreBusyError, StoreReadOnlyError, storeWriteFailure } from './errors.ts';
import type { StagedResult, StagingArea } from './staged.ts';

export { StoreBusyError, StoreReadOnlyError, StoreWriteError } from './errors.ts';
import type { ImportBatch, Source, Stage } from '../model/schema.ts';
import type { CustomsImportsQuery } from './customs-imports.ts';

/** What the rest of the program may ask of a store: the same methods on a Store and on a StoreGate. */
export type StoreApi = Pick<
  Store,
  | 'path'
  | 'meta'
  | 'setMeta'
  | 'applyBatch'
  | 'importBaci'
  | 'importStaged'
  | 'lastImport'
  | 'importLog'
  | 'metaAll'
  | 'registryRecords'
  | 'upsertUserRecords'
  | 'removeRegistryRecord'
  | 'alertRules'
  | 'putAlertRule'
  | 'deleteAlertRule'
  | 'recordAlerts'
  | 'storedAlerts'
  | 'counts'
  | 'sources'
  | 'sourceRecords'
  | 'readObservations'
  | 'readGovernance'
  | 'readGroupings'
  | 'readTradeTable'
  | 'readPrices'
  | 'readSeriesSummary'
  | 'readSeriesDetail'
  | 'readSeriesFigures'
  | 'readImportCodes'
  | 'readImportCodesOf'
  | 'readCustomsImports'
  | 'readDeclaredTrade'
>;

/**
 * Size and modification time of a store file and its write-ahead log: changes whenever any process writes the store.
 * The server compares it to notice another process's writes; `data build` to notice them during a build.
 */
export function storeFileFingerprint(path: string): string {
  const part = (p: string) => {
    try {
      const st = statSync(p);
      return `${st.size}:${st.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  return `${part(path)}|${part(`${path}.wal`)}`;
}

/** Written beside the store by `chokepoint serve`, so other processes can say which server holds the file. */
export const serverInfoPath = (storePath: string) => `${storePath}.server.json`;

export interface ServerInfo {
  pid: number;
  url: string;
  startedAt: string;
}

function runningServer(storePath: string): ServerInfo | null {
  try {
    const info = JSON.parse(readFileSync(serverInfoPath(storePath), 'utf8')) as ServerInfo;
    process.kill(info.pid, 0); // throws when no such process
    return info;
  } catch {
    return null;
  }
}

const LOCK_RE = /Could not set lock on file|Conflicting lock/i;

function busyError(path: string, wanted: 'read' | 'write', message: string): StoreBusyError {
  const pid = Number(/PID (\d+)/.exec(message)?.[1] ?? NaN);
  const holderPid = Number.isFinite(pid) ? pid : null;
  const server = runningServer(path);
  const holder =
    server && server.pid === holderPid
      ? `the Chokepoint server at ${server.url} (pid ${server.pid})`
      : `another process${holderPid ? ` (pid ${holderPid})` : ''}`;
  const hint =
    wanted === 'read'
      ? `the store ${path} is being written by ${holder}; try again in a moment.`
      : server && server.pid === holderPid
        ? `the store ${path} is in use by ${holder}, so this command cannot write to it. ` +
          `Make the change through the server (dashboard or API), or stop the server and run the command again. Reads work beside the server.`
        : `the store ${path} is in use by ${holder}; wait for it to finish, or give another store with --db.`;
  return new StoreBusyError(path, holderPid, wanted, hint);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface GateOptions {
  /** Close the file after this many ms without use (a server); null keeps it open until close() (a CLI command). */
  idleCloseMs?: number | null;
  /** How long to wait for another process to release the file before giving up. */
  lockWaitMs?: number;
}

export class StoreGate implements StoreApi {
  private store: Store | null = null;
  private mode: 'read' | 'write' | null = null;
  private opening: Promise<void> | null = null;
  private readers = 0;
  private writer = false;
  private waitingWriters = 0;
  private wake: Array<() => void> = [];
  private writeChain: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly idleCloseMs: number | null;
  private readonly lockWaitMs: number;
  /** Size and mtime of the file after this process last read or wrote it. */
  private knownFingerprint = '';

  constructor(
    readonly path: string,
    opts: GateOptions = {},
  ) {
    this.idleCloseMs = path === ':memory:' ? null : (opts.idleCloseMs ?? null);
    this.lockWaitMs = opts.lockWaitMs ?? 5_000;
  }

  /** Run `fn` with the store open for reading (read-only when the file exists). Reads run concurrently. */
  async read<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    while (this.writer || this.waitingWriters > 0) await this.waitTurn();
    this.readers++;
    try {
      const store = await this.ensureOpen('read');
      return await fn(store);
    } finally {
      this.readers--;
      this.signal();
      this.scheduleIdleClose();
    }
  }

  /**
   * Run `fn` with the store open read-write, alone: after the reads in flight, before the reads that arrive later, one
   * write at a time. A file-backed store is closed after the write, which releases the lock for other processes.
   */
  write<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.waitingWriters++;
      try {
        while (this.readers > 0) await this.waitTurn();
      } finally {
        this.waitingWriters--;
      }
      this.writer = true;
      let failed = false;
      try {
        const store = await this.ensureOpen('write');
        return await fn(store);
      } catch (e) {
        failed = true;
        // Statements outside a transaction (setMeta, putAlertRule …) fail on a full disk too: same clear message.
        throw e instanceof StoreBusyError || e instanceof StoreReadOnlyError ? e : storeWriteFailure(this.path, e);
      } finally {
        // After a failed file write DuckDB may have invalidated the instance: the next use opens the file afresh.
        if (this.path !== ':memory:' && (this.idleCloseMs !== null || (failed && this.store))) this.release();
        else this.rememberFingerprint();
        this.writer = false;
        this.signal();
        this.scheduleIdleClose();
      }
    };
    const p = this.writeChain.then(run, run);
    this.writeChain = p.catch(() => undefined);
    return p;
  }

  /** True when another process changed the file since this gate last used it (a server then reloads its index). */
  changedOnDisk(): boolean {
    if (this.path === ':memory:' || this.writer || this.mode === 'write') return false;
    return storeFileFingerprint(this.path) !== this.knownFingerprint;
  }

  close(): void {
    this.closed = true;
    this.release();
  }

  private rememberFingerprint(): void {
    if (this.path !== ':memory:') this.knownFingerprint = storeFileFingerprint(this.path);
  }

  private waitTurn(): Promise<void> {
    return new Promise((r) => this.wake.push(r));
  }

  private signal(): void {
    for (const w of this.wake.splice(0)) w();
  }

  private scheduleIdleClose(): void {
    if (this.idleCloseMs === null || this.readers > 0 || this.writer || !this.store) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.readers === 0 && !this.writer && this.waitingWriters === 0) this.release();
    }, this.idleCloseMs);
    this.idleTimer.unref();
  }

  private release(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.store) {
      this.store.close();
      this.store = null;
      this.mode = null;
    }
    this.rememberFingerprint();
  }

  private async ensureOpen(wanted: 'read' | 'write'): Promise<Store> {
    if (this.closed) throw new Error(`store ${this.path} is closed`);
    while (this.opening) await this.opening;
    if (this.store && (this.mode === 'write' || wanted === 'read')) return this.store;
    const open = async () => {
      if (this.store) this.release(); // read-only → read-write: only one instance per process
      const readOnly = wanted === 'read' && this.path !== ':memory:' && existsSync(this.path);
      this.store = await this.openWithRetry(readOnly ? 'read' : 'write');
      this.mode = readOnly ? 'read' : 'write';
      this.rememberFingerprint();
    };
    this.opening = open().finally(() => (this.opening = null));
    await this.opening;
    return this.store!;
  }

  private async openWithRetry(mode: 'read' | 'write'): Promise<Store> {
    const deadline = Date.now() + this.lockWaitMs;
    for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
      try {
        return await Store.open(this.path, { readOnly: mode === 'read' });
      } catch (e) {
        const msg = (e as Error).message ?? '';
        if (LOCK_RE.test(msg)) {
          if (Date.now() + wait > deadline) throw busyError(this.path, mode, msg);
          await sleep(wait);
          continue;
        }
        if (mode === 'write' && /Permission denied|Read-only file system|EACCES|EROFS/i.test(msg)) {
          throw new StoreReadOnlyError(
            `the store ${this.path} cannot be written (${msg.replace(/^IO Error: /, '')}); reading it works, changing it needs write permission on the file and its folder.`,
          );
        }
        throw e;
      }
    }
  }

  // StoreApi: each method is one read or one write.
  meta = (key: string) => this.read((s) => s.meta(key));
  setMeta = (key: string, value: string) => this.write((s) => s.setMeta(key, value));
  applyBatch = (batch: ImportBatch, contentHash: string): Promise<ImportSummary> => this.write((s) => s.applyBatch(batch, contentHash));
  importBaci = (file: string, contentHash: string, opts: { replace?: boolean } = {}): Promise<ImportSummary> =>
    this.write((s) => s.importBaci(file, contentHash, opts));
  importStaged = (kind: string, file: string, contentHash: string, fill: (area: StagingArea) => Promise<StagedResult>): Promise<ImportSummary> =>
    this.write((s) => s.importStaged(kind, file, contentHash, fill));
  lastImport = (kind: string, file: string) => this.read((s) => s.lastImport(kind, file));
  importLog = () => this.read((s) => s.importLog());
  metaAll = () => this.read((s) => s.metaAll());
  registryRecords = (kind?: RegistryKind) => this.read((s) => s.registryRecords(kind));
  upsertUserRecords = (rows: Array<[RegistryKind, { id: string; sourceId: string }]>, source: Source) => this.write((s) => s.upsertUserRecords(rows, source));
  removeRegistryRecord = (kind: RegistryKind, id: string, sourceId: string) => this.write((s) => s.removeRegistryRecord(kind, id, sourceId));
  alertRules = () => this.read((s) => s.alertRules());
  putAlertRule = (id: string, rule: unknown) => this.write((s) => s.putAlertRule(id, rule));
  deleteAlertRule = (id: string) => this.write((s) => s.deleteAlertRule(id));
  recordAlerts = (ruleIds: string[], seen: Array<{ key: string; ruleId: string; alert: unknown }>) => this.write((s) => s.recordAlerts(ruleIds, seen));
  storedAlerts = () => this.read((s) => s.storedAlerts());
  counts = () => this.read((s) => s.counts());
  sources = () => this.read((s) => s.sources());
  sourceRecords = () => this.read((s) => s.sourceRecords());
  readObservations = (materialIds?: string[], stages?: Stage[]) => this.read((s) => s.readObservations(materialIds, stages));
  readGovernance = () => this.read((s) => s.readGovernance());
  readGroupings = () => this.read((s) => s.readGroupings());
  readTradeTable = (materialIds?: string[], touching?: Readonly<Record<string, readonly string[]>>, touchingAll?: readonly string[]) =>
    this.read((s) => s.readTradeTable(materialIds, touching, touchingAll));
  readPrices = (materialIds?: string[]) => this.read((s) => s.readPrices(materialIds));
  readSeriesSummary = (filter: { stages?: Stage[]; materials?: string[] } = {}) => this.read((s) => s.readSeriesSummary(filter));
  readSeriesDetail = (ids: number[]) => this.read((s) => s.readSeriesDetail(ids));
  readSeriesFigures = (filter: { stages?: Stage[]; materials?: string[] } = {}) => this.read((s) => s.readSeriesFigures(filter));
  readImportCodes = (materialId: string) => this.read((s) => s.readImportCodes(materialId));
  readImportCodesOf = (reporterId: string) => this.read((s) => s.readImportCodesOf(reporterId));
  readCustomsImports = (q: CustomsImportsQuery) => this.read((s) => s.readCustomsImports(q));
  readDeclaredTrade = (q: Omit<CustomsImportsQuery, 'excludedCodes'>) => this.read((s) => s.readDeclaredTrade(q));
}
