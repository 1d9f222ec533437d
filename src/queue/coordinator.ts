/**
 * Distributed Monte Carlo run: the coordinator side. Stores the spec once in Redis (keyed by its SHA-256), enqueues
 * one BullMQ job per shard (the job names the spec by that key), waits for the shards with progress, checks each
 * result (shard-protocol.ts: spec key, seed, sample range, engine probe) and merges them into the summary
 * `runMonteCarlo(spec, seed)` gives in one thread.
 *
 * Retries: a shard whose worker throws is retried `attempts` times with exponential backoff; a shard whose worker
 * dies is recovered by BullMQ's stalled-job check on the remaining workers once its lock expires. A result that fails
 * the checks fails the run (a retry would reach the same mismatched worker). Whatever ends the run, its jobs are
 * removed from the queue.
 */
import { randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import { specKey, type RiskSpec } from '../engine/risk/model.ts';
import { mergeSummaries, RiskInputError, shardRange, summariseRange, validateSpec, type RiskSummary } from '../engine/risk/montecarlo.ts';
import { connectRedis, redactUrl } from './redis.ts';
import { QUEUE_NAME, QUEUE_PREFIX, SPEC_TTL_SECONDS, sha256Hex, specRedisKey, verifyShardResult, ShardMismatchError, type ShardJob } from './shard-protocol.ts';

export interface DistributedProgress {
  shardsDone: number;
  shardCount: number;
  /** Workers connected to the queue (any run). */
  workers: number;
  /** Shards put back in the queue after their worker died (stalled). */
  recovered: number;
}

export interface DistributedOptions {
  redisUrl: string;
  /** Number of shards (default: about one per 5,000 samples, 4..256, never more than samples). */
  shards?: number;
  /** Tries per shard when its worker throws (default 3). */
  attempts?: number;
  /** Give up after this long (default: no limit). */
  timeoutMs?: number;
  onProgress?: (p: DistributedProgress) => void;
  signal?: AbortSignal;
}

export interface ShardReport {
  shardIndex: number;
  samples: [number, number];
  worker: string;
  ms: number;
  attempts: number;
}

export interface DistributedRun {
  summary: RiskSummary;
  runId: string;
  shards: ShardReport[];
  recovered: number;
  wallMs: number;
}

/** A run that could not finish: no worker, timeout, a shard out of tries. Message says which. */
export class DistributedRunError extends Error {}

export function defaultShardCount(samples: number): number {
  return Math.max(1, Math.min(samples, Math.max(4, Math.min(256, Math.ceil(samples / 5_000)))));
}

export async function runDistributed(spec: RiskSpec, seed: number, opts: DistributedOptions): Promise<DistributedRun> {
  validateSpec(spec);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RiskInputError('seed', `seed must be a whole number within 0..4294967295, got ${seed}`);
  const shardCount = opts.shards ?? defaultShardCount(spec.samples);
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > spec.samples)
    throw new RiskInputError('shards', `shards must be a whole number within 1..${spec.samples} (the samples), got ${shardCount}`);
  const t0 = performance.now();
  const text = JSON.stringify(spec);
  const specRef = sha256Hex(text);
  const key = specKey(spec);
  const runId = randomUUID();

  const redis = await connectRedis(opts.redisUrl, { failFast: true, name: `chokepoint-coordinator-${process.pid}` });
  const eventsRedis = redis.duplicate();
  eventsRedis.on('error', () => {});
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix: QUEUE_PREFIX });
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsRedis, prefix: QUEUE_PREFIX });
  // one 'closing' listener per shard waiting (Job.waitUntilFinished)
  queue.setMaxListeners(shardCount + 16);
  const jobIds: string[] = [];
  let recovered = 0;
  try {
    await events.waitUntilReady();
    // the spec once, for every shard; NX keeps an identical stored copy (same hash ⇒ same text), EX refreshes its life
    await redis.set(specRedisKey(specRef), text, 'EX', SPEC_TTL_SECONDS, 'NX');
    await redis.expire(specRedisKey(specRef), SPEC_TTL_SECONDS);

    const jobs: ShardJob[] = Array.from({ length: shardCount }, (_, shardIndex) => ({
      runId,
      specRef,
      specKey: key,
      seed,
      samples: spec.samples,
      shardIndex,
      shardCount,
    }));
    const ours = new Set(jobs.map((j) => `${runId}-${j.shardIndex}`));
    events.on('stalled', ({ jobId }) => {
      if (ours.has(jobId)) recovered++;
    });
    const added = await queue.addBulk(
      jobs.map((data) => ({
        name: 'shard',
        data,
        opts: {
          jobId: `${runId}-${data.shardIndex}`,
          attempts: opts.attempts ?? 3,
          backoff: { type: 'exponential', delay: 1_000 },
          // removed by this coordinator when the run ends; these only clear what a killed coordinator left
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
    jobIds.push(...added.map((j) => j.id!));

    let done = 0;
    let workers = (await queue.getWorkersCount().catch(() => 0)) as number;
    const progress = () => opts.onProgress?.({ shardsDone: done, shardCount, workers, recovered });
    progress();
    const workerPoll = setInterval(() => {
      void queue
        .getWorkersCount()
        .then((n) => {
          workers = n;
          progress();
        })
        .catch(() => {});
    }, 2_000);

    let timer: NodeJS.Timeout | undefined;
    const failure = new Promise<never>((_, reject) => {
      if (opts.timeoutMs)
        timer = setTimeout(
          () =>
            reject(
              new DistributedRunError(
                `${shardCount - done} of ${shardCount} shards unfinished after ${Math.round(opts.timeoutMs! / 1000)} s (${workers} worker(s) connected to ${redactUrl(opts.redisUrl)}; start more with "chokepoint worker --redis ${redactUrl(opts.redisUrl)}")`,
              ),
            ),
          opts.timeoutMs,
        );
      if (opts.signal?.aborted) reject(new DistributedRunError('run cancelled'));
      opts.signal?.addEventListener('abort', () => reject(new DistributedRunError('run cancelled')), { once: true });
    });
    failure.catch(() => {}); // settled after the run may be; the race below reports it when it matters

    const reports: ShardReport[] = [];
    const summaries: RiskSummary[] = [];
    const one = async (job: Job, data: ShardJob) => {
      let raw: unknown;
      try {
        raw = await job.waitUntilFinished(events);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new DistributedRunError(`shard ${data.shardIndex} failed after its tries: ${reason}`);
      }
      const range = shardRange(spec.samples, data.shardIndex, shardCount);
      // the worker's probe sample, computed here: it must give the same bits
      const r = verifyShardResult(data, range, raw, (j) => summariseRange(spec, seed, j, j + 1));
      const fresh = await Job.fromId(queue, job.id!);
      summaries.push(r.summary);
      reports.push({ shardIndex: data.shardIndex, samples: range, worker: r.worker, ms: r.ms, attempts: fresh?.attemptsStarted ?? fresh?.attemptsMade ?? 1 });
      done++;
      progress();
    };
    const all = Promise.all(added.map((job, i) => one(job, jobs[i])));
    all.catch(() => {}); // the race below reports the first failure; later ones are of a run already given up
    try {
      await Promise.race([all, failure]);
    } finally {
      clearInterval(workerPoll);
      clearTimeout(timer);
    }

    const summary = mergeSummaries(summaries);
    if (summary.ranges.length !== 1 || summary.ranges[0][0] !== 0 || summary.ranges[0][1] !== spec.samples)
      throw new DistributedRunError(`merged shards cover samples ${JSON.stringify(summary.ranges)}, not 0..${spec.samples - 1}`);
    reports.sort((a, b) => a.shardIndex - b.shardIndex);
    return { summary, runId, shards: reports, recovered, wallMs: Math.round(performance.now() - t0) };
  } catch (e) {
    if (e instanceof ShardMismatchError) throw new DistributedRunError(`result rejected: ${e.message}`);
    throw e;
  } finally {
    // a finished, failed or cancelled run leaves nothing in the queue (a shard still running is removed when done)
    for (const id of jobIds) await queue.remove(id).catch(() => 0);
    await events.close().catch(() => {});
    await queue.close().catch(() => {});
    eventsRedis.disconnect();
    redis.disconnect();
  }
}
