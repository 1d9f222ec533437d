/**
 * `chokepoint worker`: takes Monte Carlo shard jobs from the Redis queue (BullMQ) and returns their summaries.
 *
 * A shard is computed in slices of ~50 ms with a yield to the event loop between them, so BullMQ can renew the job's
 * lock while the shard runs: a worker that dies (killed, host lost) stops renewing, its lock expires after
 * `lockDurationMs`, and another worker's stalled-job check puts the shard back in the queue. Slices are merged with
 * `mergeSummaries`, which is exact, so slicing does not change the result.
 */
import { hostname } from 'node:os';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { specKey, type RiskSpec } from '../engine/risk/model.ts';
import { iterateSamples, mergeSummaries, RiskInputError, shardRange, summariseRange, validateSpec, type RiskSummary } from '../engine/risk/montecarlo.ts';
import { connectRedis } from './redis.ts';
import { PROBE_SEARCH, QUEUE_NAME, QUEUE_PREFIX, sha256Hex, shardJobSchema, specRedisKey, encodeShardResult, type ShardReturn } from './shard-protocol.ts';

export interface QueueWorkerOptions {
  redisUrl: string;
  /** Shards computed at once by this process (each on the same thread, sliced): 1 unless shards wait on I/O. */
  concurrency?: number;
  /** How long a shard's lock lasts without renewal: a dead worker's shard is retried this long (up to 2×) after. */
  lockDurationMs?: number;
  /** A shard may stall (its worker die) this many times before it fails. */
  maxStalledCount?: number;
  log?: (line: string) => void;
  /** Test hook: called before each slice. */
  onSlice?: (job: ShardJobInfo) => void;
}

export interface ShardJobInfo {
  runId: string;
  shardIndex: number;
  shardCount: number;
  done: number;
  of: number;
}

export const DEFAULT_LOCK_MS = 30_000;
const SLICE_TARGET_MS = 50;

export interface QueueWorker {
  name: string;
  /** Stop taking shards; the running one finishes first unless `force`. */
  close(force?: boolean): Promise<void>;
}

/** Load (and cache) a spec by its hash, checking the hash of the text read and the spec key the job names. */
async function loadSpec(redis: Redis, cache: Map<string, RiskSpec>, ref: string, key: string): Promise<RiskSpec> {
  let spec = cache.get(ref);
  if (!spec) {
    const text = await redis.get(specRedisKey(ref));
    if (text === null) throw new UnrecoverableError(`spec ${ref.slice(0, 12)}… is not in Redis (expired or deleted): start the run again`);
    if (sha256Hex(text) !== ref) throw new UnrecoverableError(`spec ${ref.slice(0, 12)}… in Redis does not match its hash`);
    spec = JSON.parse(text) as RiskSpec;
    if (cache.size >= 4) cache.delete(cache.keys().next().value!);
    cache.set(ref, spec);
  }
  if (specKey(spec) !== key) throw new UnrecoverableError(`spec ${ref.slice(0, 12)}… has key ${specKey(spec)} here, the job says ${key}`);
  return spec;
}

/** The summary of the first of the shard's first PROBE_SEARCH samples with a loss (else of its first sample). */
function probeSample(spec: RiskSpec, seed: number, from: number, to: number): RiskSummary {
  let pick = from;
  // one compiled pass over the candidates (iterateSamples), then the summary of the one picked
  for (const s of iterateSamples(spec, seed, from, Math.min(to, from + PROBE_SEARCH)))
    if (s.materials.some((m) => m.lostTonnes > 0)) {
      pick = s.index;
      break;
    }
  return summariseRange(spec, seed, pick, pick + 1);
}

export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorker> {
  const log = opts.log ?? (() => {});
  const name = `${hostname()}:${process.pid}`;
  const redis = await connectRedis(opts.redisUrl, { failFast: false, name: `chokepoint-worker-${process.pid}` });
  const specs = new Map<string, RiskSpec>();
  const lockDuration = opts.lockDurationMs ?? DEFAULT_LOCK_MS;

  const processShard = async (job: Job): Promise<ShardReturn> => {
    const parsed = shardJobSchema.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`malformed shard job ${job.id}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
    const d = parsed.data;
    const t0 = performance.now();
    const spec = await loadSpec(redis, specs, d.specRef, d.specKey);
    let range: [number, number];
    try {
      validateSpec(spec);
      if (spec.samples !== d.samples) throw new RiskInputError('samples', `the spec has ${spec.samples} samples, the job says ${d.samples}`);
      range = shardRange(spec.samples, d.shardIndex, d.shardCount);
    } catch (e) {
      // the same spec fails the same way on every worker: no retry
      if (e instanceof RiskInputError) throw new UnrecoverableError(e.message);
      throw e;
    }
    const [from, to] = range;
    log(`shard ${d.shardIndex + 1}/${d.shardCount} of run ${d.runId.slice(0, 8)} (samples ${from}..${to - 1}, attempt ${job.attemptsMade + 1})`);
    let acc: RiskSummary | null = null;
    let slice = 64;
    let lastProgress = performance.now();
    for (let i = from; i < to;) {
      opts.onSlice?.({ runId: d.runId, shardIndex: d.shardIndex, shardCount: d.shardCount, done: i - from, of: to - from });
      const end = Math.min(to, i + slice);
      const s0 = performance.now();
      const part = summariseRange(spec, d.seed, i, end);
      acc = acc ? mergeSummaries([acc, part]) : part;
      const took = performance.now() - s0;
      // aim each slice at ~50 ms: long enough to cost little, short enough for lock renewal to run on time
      slice = Math.max(1, Math.min(1 << 20, Math.round((slice * SLICE_TARGET_MS) / Math.max(1, took))));
      i = end;
      if (performance.now() - lastProgress > 1_000) {
        lastProgress = performance.now();
        await job.updateProgress(Math.round(((i - from) / (to - from)) * 100));
      }
      await yieldToLoop();
    }
    const summary = acc ?? summariseRange(spec, d.seed, from, to);
    const probe = probeSample(spec, d.seed, from, to);
    return encodeShardResult({ summary, probe, worker: name, ms: Math.round(performance.now() - t0) });
  };

  const worker = new Worker(QUEUE_NAME, processShard, {
    connection: redis,
    prefix: QUEUE_PREFIX,
    name,
    concurrency: opts.concurrency ?? 1,
    lockDuration,
    stalledInterval: Math.max(1_000, Math.round(lockDuration / 2)),
    maxStalledCount: opts.maxStalledCount ?? 3,
    autorun: true,
  });
  worker.on('failed', (job, err) => log(`shard job ${job?.id ?? '?'} failed: ${err.message}`));
  worker.on('error', (err) => log(`queue error: ${err.message}`));
  await worker.waitUntilReady();
  log(`worker ${name} connected to the shard queue (lock ${lockDuration / 1000} s)`);
  return {
    name,
    async close(force = false) {
      await worker.close(force);
      redis.disconnect();
    },
  };
}
