/**
 * Worker pools: long work runs off the server's event loop (issue: GET /api/criticality?samples=2000 blocked every other
 * request for 30-43 s). `WorkerPool` is the one spawn/bootstrap, queue and time-budget code: criticality and the
 * optimisations use a `DatasetWorkerPool` (one worker thread holding a copy of the dataset, sent once per index
 * version; the machine this targets has 2 cores: one for the event loop, one for the work), the Monte Carlo runs a
 * `RiskPool` (./risk-pool.ts: several workers, a run cut into shards). Bounds: at most QUEUE_MAX waiting (more →
 * ServerBusyError, 503) and TIME_BUDGET_MS per run (longer → the workers are stopped and replaced, 503).
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DatasetIndex } from '../../engine/dataset.ts';
import { CriticalityError, type CriticalityOptions, type CriticalityReport, type YearCoverage } from '../../engine/criticality/index.ts';
import type { CriticalityAnswer, CriticalityJob } from './criticality-worker.ts';
import { InputError, type InputErrorKind } from '../../model/errors.ts';
import type { DatasetWorkerReply, DatasetWorkerRequest } from './dataset-worker.ts';
import { mergeTradeAsked, type Dataset } from '../../engine/dataset.ts';

export const QUEUE_MAX = 8;
export const TIME_BUDGET_MS = Number(process.env.CHOKEPOINT_WORK_BUDGET_MS ?? 120_000);

/** Too much queued or a run over its time budget: the API answers 503 with this message. */
export class ServerBusyError extends Error {
  /** The request parameter to change (the API error body's `field`): what makes a run long. */
  constructor(
    message: string,
    readonly field: string = 'samples',
  ) {
    super(message);
  }
}

/** What differs between the worker pools: the worker module and the words in refusals. */
export interface PoolSpec {
  /** The worker's TypeScript module (tests, tsx) and the file built beside the CLI bundle (dist/<name>.cjs). */
  workerModule: URL;
  bundledName: string;
  /** 'criticality runs are' / 'optimisation runs are' (the queue-full message); 'the criticality run' (time budget). */
  queued: string;
  run: string;
  worker: string;
  /** What to ask for instead when a run exceeds the time budget. */
  smaller: string;
  /** The `field` of a 503 (queue full, over budget); 'samples' unless said. */
  busyField?: string;
}

/** A pool that keeps a dataset in its worker (./dataset-worker.ts): how a worker's input error is rebuilt. */
export interface DatasetPoolSpec extends PoolSpec {
  /** The pool's own InputError class for a worker's input error (default: InputError itself). */
  inputError?(field: string | null, message: string, kind: InputErrorKind, where: 'parameter' | 'file'): InputError;
}

const versions = new WeakMap<DatasetIndex, number>();
let nextVersion = 1;
let nextMessage = 1;

/** The data version of an index: the number a worker's copy of the dataset is known by. */
function dataVersion(index: DatasetIndex): number {
  let v = versions.get(index);
  if (v === undefined) versions.set(index, (v = nextVersion++));
  return v;
}

const TRADE_FIELDS = new Set<string>(['tradeTable', 'tradeFlows', 'tradeAsked']);
/** `b` is `a` with other trade flows (`DatasetIndex.withTrade`): every other field the same object. */
function sameButTrade(a: Dataset, b: Dataset): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => !TRADE_FIELDS.has(k)));
  return [...keys].every((k) => a[k as keyof Dataset] === b[k as keyof Dataset]);
}

/** One worker thread of a pool, the dataset version it holds, and the replies it owes. */
export interface PoolWorker {
  worker: Worker;
  loadedVersion: number;
  /** The dataset it holds a copy of: what a trade-only update builds on. */
  loadedData?: Dataset;
  pending: Map<number, { resolve: (reply: never) => void; reject: (e: Error) => void }>;
}

/**
 * Worker threads started from one module, and runs queued in front of them: one run at a time (a run may use every
 * worker, as the Monte Carlo shards do), at most QUEUE_MAX waiting (more → ServerBusyError), and a run longer than its
 * time budget stops the workers (ServerBusyError; they are restarted by the next run).
 */
export class WorkerPool<Reply extends { id: number }> {
  private workers: PoolWorker[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private active = 0;
  private readonly bundled: string | null;
  private readonly bootstrap: string;

  constructor(
    protected readonly spec: PoolSpec,
    readonly size = 1,
  ) {
    // From the bundled CLI (dist/cli.cjs) the worker is dist/<name>.cjs, built with it. From the TypeScript sources
    // (tests, tsx) the worker runs them through tsx: the bootstrap registers tsx, then imports the worker module.
    this.bundled = typeof __dirname === 'string' ? join(__dirname, `${spec.bundledName}.cjs`) : null;
    this.bootstrap = `
  const { register } = await import('tsx/esm/api');
  register();
  await import(${JSON.stringify(pathToFileURL(fileURLToPath(spec.workerModule)).href)});
`;
  }

  /** Queue a run: `work` starts when the runs before it are done, within the time budget. */
  protected schedule<T>(work: () => Promise<T>, budgetMs = TIME_BUDGET_MS): Promise<T> {
    // `active` counts the run in progress too: QUEUE_MAX wait behind it.
    if (this.active > QUEUE_MAX)
      return Promise.reject(
        new ServerBusyError(`${this.active} ${this.spec.queued} already waiting (at most ${QUEUE_MAX}); try again shortly`, this.spec.busyField),
      );
    this.active++;
    const job = this.chain.then(() => this.withinBudget(work, budgetMs)).finally(() => this.active--);
    this.chain = job.catch(() => undefined);
    return job;
  }

  private async withinBudget<T>(work: () => Promise<T>, budgetMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new ServerBusyError(
            `${this.spec.run} took longer than its time budget (${budgetMs / 1000} s) and was stopped; ask for ${this.spec.smaller}`,
            this.spec.busyField,
          ),
        );
        void this.close();
      }, budgetMs);
    });
    try {
      return await Promise.race([work(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Send a message to one worker and wait for its reply (matched by id). */
  protected ask(w: PoolWorker, id: number, message: unknown): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      w.pending.set(id, { resolve: resolve as (r: never) => void, reject });
      w.worker.postMessage(message);
    });
  }

  /** A fresh message id. */
  protected nextId(): number {
    return nextMessage++;
  }

  /** Make sure `w` holds the dataset of `index` (sent once per data version); the version to name in run messages. */
  protected load(w: PoolWorker, index: DatasetIndex): number {
    const v = dataVersion(index);
    if (w.loadedVersion !== v) {
      // The same data with more trade flows (a server reading flows on demand): send the flows only (their arrays are
      // shared, not copied), not a new copy of every observation.
      const { tradeTable, tradeAsked } = index.data;
      if (tradeTable && w.loadedData && sameButTrade(w.loadedData, index.data)) w.worker.postMessage({ type: 'trade', version: v, tradeTable, tradeAsked });
      else w.worker.postMessage({ type: 'load', version: v, dataset: index.data });
      w.loadedVersion = v;
      w.loadedData = index.data;
    }
    return v;
  }

  private spawn(): PoolWorker {
    const worker = this.bundled && existsSync(this.bundled) ? new Worker(this.bundled) : new Worker(this.bootstrap, { eval: true });
    const w: PoolWorker = { worker, loadedVersion: -1, pending: new Map() };
    worker.unref();
    worker.on('message', (m: Reply) => {
      const p = w.pending.get(m.id);
      if (!p) return;
      w.pending.delete(m.id);
      p.resolve(m as never);
    });
    worker.on('error', (e) => this.fail(w, e));
    worker.on('exit', () => {
      this.workers = this.workers.filter((x) => x !== w);
      this.fail(w, new Error(`${this.spec.worker} stopped`));
    });
    return w;
  }

  private fail(w: PoolWorker, e: Error): void {
    for (const p of w.pending.values()) p.reject(e);
    w.pending.clear();
  }

  /** Start the workers now (so a timed run does not include thread start-up); the workers of the next run. */
  async warm(): Promise<PoolWorker[]> {
    while (this.workers.length < this.size) this.workers.push(this.spawn());
    return this.workers;
  }

  /** Stop the workers (they are restarted by the next run). */
  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    for (const w of ws) this.fail(w, new Error(`${this.spec.worker} closed`));
    await Promise.all(ws.map((w) => w.worker.terminate()));
  }
}

/**
 * One worker thread holding a copy of the dataset (sent once per index version), runs queued in front of it; bounds as
 * described above. Criticality and the optimisations each have one (the solver is single-threaded wasm).
 */
export class DatasetWorkerPool<Input, Report> extends WorkerPool<DatasetWorkerReply> {
  constructor(private readonly datasetSpec: DatasetPoolSpec) {
    super(datasetSpec, 1);
  }

  run(index: DatasetIndex, input: Input): Promise<Report> {
    return this.schedule(async () => {
      const [w] = await this.warm();
      const version = this.load(w, index);
      const id = this.nextId();
      const m = await this.ask(w, id, { type: 'run', id, version, input } satisfies DatasetWorkerRequest<Input>);
      // the worker's copy missed trade flows: so did this index (the request runs again once they are read)
      const mine = index.data.tradeAsked;
      if (m.tradeAsked && mine) {
        mergeTradeAsked(mine, m.tradeAsked);
        mine.missed = true;
      }
      if (m.ok) return m.report as Report;
      if (m.error.kind === 'other') throw new Error(m.error.message);
      const { field, message, inputKind, where } = m.error;
      throw this.datasetSpec.inputError ? this.datasetSpec.inputError(field, message, inputKind, where) : new InputError(field, message, inputKind, where);
    });
  }
}

export const criticalityPool = new DatasetWorkerPool<CriticalityJob, CriticalityAnswer>({
  workerModule: new URL('./criticality-worker.ts', import.meta.url),
  bundledName: 'criticality-worker',
  queued: 'criticality runs are',
  run: 'the criticality run',
  worker: 'criticality worker',
  smaller: 'fewer samples or materials',
  inputError: (field, message, kind) => new CriticalityError(field ?? 'query', message, kind),
});

/**
 * A criticality run in the worker, answered as the request needs it (./criticality-worker.ts keeps the report): `key`
 * names the run (the options that change the report), as the API's cache does.
 */
export const criticality = {
  report: (index: DatasetIndex, key: string, opts: CriticalityOptions) =>
    criticalityPool.run(index, { key, opts, output: 'report' }) as Promise<CriticalityReport>,
  /** The `view=summary` JSON body, official-list comparison included. */
  summaryJson: (index: DatasetIndex, key: string, opts: CriticalityOptions) => criticalityPool.run(index, { key, opts, output: 'summary' }) as Promise<string>,
  coverage: (index: DatasetIndex, key: string, opts: CriticalityOptions) =>
    criticalityPool.run(index, { key, opts, output: 'coverage' }) as Promise<YearCoverage>,
};
