/**
 * Runs Monte Carlo shards on worker threads (all cores for the CLI and the benchmark; the server keeps one core for its
 * event loop). A run is cut into shards of consecutive samples, the shards are spread over the workers and their
 * summaries merged (`mergeSummaries`): the result is the same for any number of workers or shards, because each
 * sample has its own random stream and the summaries hold integer sums (tested).
 *
 * Bounds (server): runs queue one at a time, at most QUEUE_MAX waiting (more → ServerBusyError, 503), and a run longer
 * than TIME_BUDGET_MS stops its workers (503). The same shard protocol suits a distributed queue: a job = (spec, seed,
 * shardIndex, shardCount), a result = a summary.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mergeSummaries, RiskInputError, validateSpec, type RiskSummary } from '../../engine/risk/montecarlo.ts';
import type { RiskSpec } from '../../engine/risk/model.ts';
import { QUEUE_MAX, ServerBusyError, TIME_BUDGET_MS } from './pool.ts';
import type { RiskWorkerReply, RiskWorkerRequest } from './risk-worker.ts';

const WORKER_TS = fileURLToPath(new URL('./risk-worker.ts', import.meta.url));
const BUNDLED_WORKER = typeof __dirname === 'string' ? join(__dirname, 'risk-worker.cjs') : null;
const BOOTSTRAP = `
  const { register } = await import('tsx/esm/api');
  register();
  await import(${JSON.stringify(pathToFileURL(WORKER_TS).href)});
`;

interface Pending {
  resolve: (s: RiskSummary) => void;
  reject: (e: Error) => void;
}

export class RiskPool {
  private workers: Worker[] = [];
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private chain: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(readonly size: number = availableParallelism()) {}

  private spawn(): Worker {
    const w = BUNDLED_WORKER && existsSync(BUNDLED_WORKER) ? new Worker(BUNDLED_WORKER) : new Worker(BOOTSTRAP, { eval: true });
    w.unref();
    w.on('message', (m: RiskWorkerReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.summary);
      else p.reject(new RiskInputError(m.error.field, m.error.message));
    });
    w.on('error', (e) => this.failAll(e));
    w.on('exit', () => {
      this.workers = this.workers.filter((x) => x !== w);
      if (this.pending.size) this.failAll(new Error('risk worker stopped'));
    });
    return w;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private shard(w: Worker, req: Omit<RiskWorkerRequest, 'id'>): Promise<RiskSummary> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, ...req } satisfies RiskWorkerRequest);
    });
  }

  /** Start the workers now (so a timed run does not include thread start-up). */
  async warm(): Promise<void> {
    while (this.workers.length < this.size) this.workers.push(this.spawn());
  }

  /** Run every sample of `spec` on the pool; one run at a time, others queue (at most QUEUE_MAX). */
  run(spec: RiskSpec, seed: number, opts: { shards?: number; timeBudgetMs?: number } = {}): Promise<RiskSummary> {
    if (this.waiting >= QUEUE_MAX)
      return Promise.reject(new ServerBusyError(`${this.waiting + 1} Monte Carlo runs are already waiting (at most ${QUEUE_MAX}); try again shortly`));
    this.waiting++;
    const job = this.chain.then(() => {
      this.waiting--;
      return this.runNow(spec, seed, opts);
    });
    this.chain = job.catch(() => undefined);
    return job;
  }

  private async runNow(spec: RiskSpec, seed: number, opts: { shards?: number; timeBudgetMs?: number }): Promise<RiskSummary> {
    validateSpec(spec);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      throw new RiskInputError('seed', `seed must be a whole number within 0..4294967295, got ${seed}`);
    await this.warm();
    const shardCount = Math.max(1, Math.min(spec.samples, opts.shards ?? this.size));
    const budget = opts.timeBudgetMs ?? TIME_BUDGET_MS;
    let next = 0;
    const results: RiskSummary[] = [];
    const lane = async (w: Worker) => {
      while (next < shardCount) {
        const shardIndex = next++;
        results.push(await this.shard(w, { spec, seed, shardIndex, shardCount }));
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new ServerBusyError(`the Monte Carlo run took longer than its time budget (${budget / 1000} s) and was stopped; ask for fewer samples or materials`),
        );
        void this.close();
      }, budget);
    });
    try {
      await Promise.race([Promise.all(this.workers.map(lane)), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return mergeSummaries(results);
  }

  /** Stop the workers (they are restarted by the next run). */
  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    this.failAll(new Error('risk pool closed'));
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

/** The server's pool: one core stays with the event loop. */
export const serverRiskPool = new RiskPool(Math.max(1, availableParallelism() - 1));
