/**
 * Runs optimisations off the server's event loop, in one worker thread (the same pattern and bounds as ./pool.ts for
 * criticality: a copy of the dataset sent once per index version, at most QUEUE_MAX waiting, TIME_BUDGET_MS per run).
 * Runs are serialised: the wasm solver is single-threaded, and the other core serves the event loop.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DatasetIndex } from '../../engine/dataset.ts';
import { OptimiseError, type OptimiseReport, type OptimiseRequest } from '../../engine/optimise/index.ts';
import { QUEUE_MAX, ServerBusyError, TIME_BUDGET_MS } from './pool.ts';
import type { OptimiseWorkerReply, OptimiseWorkerRequest } from './optimise-worker.ts';

const WORKER_TS = fileURLToPath(new URL('./optimise-worker.ts', import.meta.url));
const BUNDLED_WORKER = typeof __dirname === 'string' ? join(__dirname, 'optimise-worker.cjs') : null;
const BOOTSTRAP = `
  const { register } = await import('tsx/esm/api');
  register();
  await import(${JSON.stringify(pathToFileURL(WORKER_TS).href)});
`;

interface Job {
  id: number;
  index: DatasetIndex;
  request: OptimiseRequest;
  resolve: (r: OptimiseReport) => void;
  reject: (e: Error) => void;
}

const versions = new WeakMap<DatasetIndex, number>();
let nextVersion = 1;
let nextJob = 1;

class OptimisePool {
  private worker: Worker | null = null;
  private loadedVersion = -1;
  private running: (Job & { timer: NodeJS.Timeout }) | null = null;
  private readonly queue: Job[] = [];

  run(index: DatasetIndex, request: OptimiseRequest): Promise<OptimiseReport> {
    if (this.queue.length >= QUEUE_MAX)
      return Promise.reject(new ServerBusyError(`${this.queue.length + 1} optimisation runs are already waiting (at most ${QUEUE_MAX}); try again shortly`));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: nextJob++, index, request, resolve, reject });
      this.next();
    });
  }

  private spawn(): Worker {
    const w = BUNDLED_WORKER && existsSync(BUNDLED_WORKER) ? new Worker(BUNDLED_WORKER) : new Worker(BOOTSTRAP, { eval: true });
    w.unref();
    w.on('message', (m: OptimiseWorkerReply) => this.finish(m));
    w.on('error', (e) => this.fail(e));
    w.on('exit', () => {
      if (this.worker === w) {
        this.worker = null;
        this.loadedVersion = -1;
        if (this.running) this.fail(new Error('optimisation worker stopped'));
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
      this.worker.postMessage({ type: 'load', version: v, dataset: job.index.data } satisfies OptimiseWorkerRequest);
      this.loadedVersion = v;
    }
    const timer = setTimeout(() => {
      const w = this.worker;
      this.worker = null;
      this.loadedVersion = -1;
      this.fail(
        new ServerBusyError(
          `the optimisation took longer than its time budget (${TIME_BUDGET_MS / 1000} s) and was stopped; ask for fewer scenarios or materials`,
        ),
      );
      void w?.terminate();
    }, TIME_BUDGET_MS);
    this.running = { ...job, timer };
    this.worker.postMessage({ type: 'run', id: job.id, version: v, request: job.request } satisfies OptimiseWorkerRequest);
  }

  private finish(m: OptimiseWorkerReply): void {
    const job = this.running;
    if (!job || job.id !== m.id) return;
    clearTimeout(job.timer);
    this.running = null;
    if (m.ok) job.resolve(m.report as OptimiseReport);
    else
      job.reject(
        m.error.kind === 'optimise'
          ? new OptimiseError(m.error.field ?? 'request', m.error.message, (m.error.errorKind ?? 'input') as OptimiseError['kind'])
          : new Error(m.error.message),
      );
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

export const optimisePool = new OptimisePool();
