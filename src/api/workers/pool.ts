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
export class ServerBusyError extends Error {}

// From the bundled CLI (dist/cli.cjs) the worker is dist/criticality-worker.cjs, built with it. From the TypeScript
// sources (tests, tsx) the worker runs them through tsx: the bootstrap registers tsx, then imports the worker module.
const WORKER_TS = fileURLToPath(new URL('./criticality-worker.ts', import.meta.url));
const BUNDLED_WORKER = typeof __dirname === 'string' ? join(__dirname, 'criticality-worker.cjs') : null;
const BOOTSTRAP = `
  const { register } = await import('tsx/esm/api');
  register();
  await import(${JSON.stringify(pathToFileURL(WORKER_TS).href)});
`;

interface Job {
  id: number;
  index: DatasetIndex;
  opts: CriticalityOptions;
  resolve: (r: CriticalityReport) => void;
  reject: (e: Error) => void;
}

const versions = new WeakMap<DatasetIndex, number>();
let nextVersion = 1;
let nextJob = 1;

class CriticalityPool {
  private worker: Worker | null = null;
  private loadedVersion = -1;
  private running: (Job & { timer: NodeJS.Timeout }) | null = null;
  private readonly queue: Job[] = [];

  run(index: DatasetIndex, opts: CriticalityOptions): Promise<CriticalityReport> {
    if (this.queue.length >= QUEUE_MAX) {
      return Promise.reject(new ServerBusyError(`${this.queue.length + 1} criticality runs are already waiting (at most ${QUEUE_MAX}); try again shortly`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: nextJob++, index, opts, resolve, reject });
      this.next();
    });
  }

  private spawn(): Worker {
    const w = BUNDLED_WORKER && existsSync(BUNDLED_WORKER) ? new Worker(BUNDLED_WORKER) : new Worker(BOOTSTRAP, { eval: true });
    w.unref();
    w.on('message', (m: WorkerReply) => this.finish(m));
    w.on('error', (e) => this.fail(e));
    w.on('exit', () => {
      if (this.worker === w) {
        this.worker = null;
        this.loadedVersion = -1;
        if (this.running) this.fail(new Error('criticality worker stopped'));
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
      this.worker.postMessage({ type: 'load', version: v, dataset: job.index.data } satisfies WorkerRequest);
      this.loadedVersion = v;
    }
    const timer = setTimeout(() => {
      const w = this.worker;
      this.worker = null;
      this.loadedVersion = -1;
      this.fail(
        new ServerBusyError(
          `the criticality run took longer than its time budget (${TIME_BUDGET_MS / 1000} s) and was stopped; ask for fewer samples or materials`,
        ),
      );
      void w?.terminate();
    }, TIME_BUDGET_MS);
    this.running = { ...job, timer };
    this.worker.postMessage({ type: 'run', id: job.id, version: v, opts: job.opts } satisfies WorkerRequest);
  }

  private finish(m: WorkerReply): void {
    const job = this.running;
    if (!job || job.id !== m.id) return;
    clearTimeout(job.timer);
    this.running = null;
    if (m.ok) job.resolve(m.report as CriticalityReport);
    else job.reject(m.error.kind === 'input' ? new CriticalityError(m.error.field ?? 'query', m.error.message, m.error.inputKind) : new Error(m.error.message));
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

export const criticalityPool = new CriticalityPool();
