/**
 * Runs criticality off the server's event loop (issue: GET /api/criticality?samples=2000 blocked every other request for
 * 30-43 s). One worker thread (the machine this targets has 2 cores: one for the event loop, one for the work) holds a
 * copy of the dataset, sent once per index version; requests queue in front of it. Bounds: at most QUEUE_MAX waiting
 * (more → ServerBusyError, 503) and TIME_BUDGET_MS per run (longer → the worker is stopped and replaced, 503).
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DatasetIndex } from '../../engine/dataset.ts';
import { CriticalityError, type CriticalityOptions, type CriticalityReport } from '../../engine/criticality/index.ts';
import type { WorkerReply, WorkerRequest } from './criticality-worker.ts';

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

/** What differs between the worker pools: the worker module, the messages and the words in refusals. */
export interface DatasetPoolSpec<Input, Report, Reply extends { id: number; ok: boolean }> {
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
  runMessage(id: number, version: number, input: Input): unknown;
  /** The report of a successful reply, or the error a failed one stands for. */
  settle(reply: Reply): { report: Report } | { error: Error };
}

const versions = new WeakMap<DatasetIndex, number>();
let nextVersion = 1;
let nextJob = 1;

interface Job<Input, Report> {
  id: number;
  index: DatasetIndex;
  input: Input;
  resolve: (r: Report) => void;
  reject: (e: Error) => void;
}

/**
 * One worker thread holding a copy of the dataset (sent once per index version), runs queued in front of it; bounds as
 * described above. Criticality and the optimisations each have one (the solver is single-threaded wasm).
 */
export class DatasetWorkerPool<Input, Report, Reply extends { id: number; ok: boolean }> {
  private worker: Worker | null = null;
  private loadedVersion = -1;
  private running: (Job<Input, Report> & { timer: NodeJS.Timeout }) | null = null;
  private readonly queue: Job<Input, Report>[] = [];
  private readonly bundled: string | null;
  private readonly bootstrap: string;

  constructor(private readonly spec: DatasetPoolSpec<Input, Report, Reply>) {
    // From the bundled CLI (dist/cli.cjs) the worker is dist/<name>.cjs, built with it. From the TypeScript sources
    // (tests, tsx) the worker runs them through tsx: the bootstrap registers tsx, then imports the worker module.
    this.bundled = typeof __dirname === 'string' ? join(__dirname, `${spec.bundledName}.cjs`) : null;
    this.bootstrap = `
  const { register } = await import('tsx/esm/api');
  register();
  await import(${JSON.stringify(pathToFileURL(fileURLToPath(spec.workerModule)).href)});
`;
  }

  run(index: DatasetIndex, input: Input): Promise<Report> {
    if (this.queue.length >= QUEUE_MAX) {
      return Promise.reject(
        new ServerBusyError(`${this.queue.length + 1} ${this.spec.queued} already waiting (at most ${QUEUE_MAX}); try again shortly`, this.spec.busyField),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: nextJob++, index, input, resolve, reject });
      this.next();
    });
  }

  private spawn(): Worker {
    const w = this.bundled && existsSync(this.bundled) ? new Worker(this.bundled) : new Worker(this.bootstrap, { eval: true });
    w.unref();
    w.on('message', (m: Reply) => this.finish(m));
    w.on('error', (e) => this.fail(e));
    w.on('exit', () => {
      if (this.worker === w) {
        this.worker = null;
        this.loadedVersion = -1;
        if (this.running) this.fail(new Error(`${this.spec.worker} stopped`));
      }
    });
    return w;
  }

  private next(): void {
    if (this.running || !this.queue.length) return;
    const job = this.queue.shift()!;
    this.worker ??= this.spawn();
    let v = versions.get(job.index);
    if (v === undefined) versions.set(job.index, (v = nextVersion++));
    if (this.loadedVersion !== v) {
      this.worker.postMessage({ type: 'load', version: v, dataset: job.index.data });
      this.loadedVersion = v;
    }
    const timer = setTimeout(() => {
      const w = this.worker;
      this.worker = null;
      this.loadedVersion = -1;
      this.fail(
        new ServerBusyError(
          `${this.spec.run} took longer than its time budget (${TIME_BUDGET_MS / 1000} s) and was stopped; ask for ${this.spec.smaller}`,
          this.spec.busyField,
        ),
      );
      void w?.terminate();
    }, TIME_BUDGET_MS);
    this.running = { ...job, timer };
    this.worker.postMessage(this.spec.runMessage(job.id, v, job.input));
  }

  private finish(m: Reply): void {
    const job = this.running;
    if (!job || job.id !== m.id) return;
    clearTimeout(job.timer);
    this.running = null;
    const out = this.spec.settle(m);
    if ('report' in out) job.resolve(out.report);
    else job.reject(out.error);
    this.next();
  }

  private fail(e: Error): void {
    const job = this.running;
    if (!job) return;
    clearTimeout(job.timer);
    this.running = null;
    job.reject(e);
    this.next();
  }
}

export const criticalityPool = new DatasetWorkerPool<CriticalityOptions, CriticalityReport, WorkerReply>({
  workerModule: new URL('./criticality-worker.ts', import.meta.url),
  bundledName: 'criticality-worker',
  queued: 'criticality runs are',
  run: 'the criticality run',
  worker: 'criticality worker',
  smaller: 'fewer samples or materials',
  runMessage: (id, version, opts) => ({ type: 'run', id, version, opts }) satisfies WorkerRequest,
  settle: (m) =>
    m.ok
      ? { report: m.report as CriticalityReport }
      : {
          error: m.error.kind === 'input' ? new CriticalityError(m.error.field ?? 'query', m.error.message, m.error.inputKind) : new Error(m.error.message),
        },
});
