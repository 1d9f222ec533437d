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
import { availableParallelism } from 'node:os';
import { mergeSummaries, RiskInputError, validateSpec, type RiskSummary } from '../../engine/risk/montecarlo.ts';
import type { RiskSpec } from '../../engine/risk/model.ts';
import { WorkerPool } from './pool.ts';
import type { RiskWorkerReply, RiskWorkerRequest } from './risk-worker.ts';

/** Several workers (the pool code of ./pool.ts: spawn, queue, time budget), each run cut into shards spread over them. */
export class RiskPool extends WorkerPool<RiskWorkerReply> {
  constructor(size: number = availableParallelism()) {
    super(
      {
        workerModule: new URL('./risk-worker.ts', import.meta.url),
        bundledName: 'risk-worker',
        queued: 'Monte Carlo runs are',
        run: 'the Monte Carlo run',
        worker: 'risk worker',
        smaller: 'fewer samples or materials',
      },
      size,
    );
  }

  /** Run every sample of `spec` on the pool; one run at a time, others queue (at most QUEUE_MAX). */
  run(spec: RiskSpec, seed: number, opts: { shards?: number; timeBudgetMs?: number } = {}): Promise<RiskSummary> {
    return this.schedule(async () => {
      validateSpec(spec);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
        throw new RiskInputError('seed', `seed must be a whole number within 0..4294967295, got ${seed}`);
      const workers = await this.warm();
      const shardCount = Math.max(1, Math.min(spec.samples, opts.shards ?? this.size));
      let next = 0;
      const results: RiskSummary[] = [];
      const lane = async (w: (typeof workers)[number]) => {
        while (next < shardCount) {
          const shardIndex = next++;
          const id = this.nextId();
          const m = await this.ask(w, id, { id, spec, seed, shardIndex, shardCount } satisfies RiskWorkerRequest);
          if (!m.ok) throw new RiskInputError(m.error.field, m.error.message);
          results.push(m.summary);
        }
      };
      await Promise.all(workers.map(lane));
      return mergeSummaries(results);
    }, opts.timeBudgetMs);
  }
}

/** The server's pool: one core stays with the event loop. */
export const serverRiskPool = new RiskPool(Math.max(1, availableParallelism() - 1));
