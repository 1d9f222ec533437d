/**
 * What a coordinator and a `chokepoint worker` agree on, with no I/O: the Redis key of a stored spec, a shard job's
 * data, a shard's result, and the checks the coordinator makes before merging a result (issue 13 part 4).
 *
 * Identity: the spec is stored once under the SHA-256 of its JSON text (the worker checks the hash of what it read and
 * recomputes `specKey`); a result must carry the run's spec key and seed, cover exactly the shard's sample range, have
 * the sketch scales this engine gives the spec, and reproduce bit for bit one sample of the shard (one with a loss when
 * there is one early in the shard), which the coordinator recomputes locally: a worker running another engine version
 * fails that check. Merging
 * (`mergeSummaries`) then refuses overlapping ranges, and the merged run must cover every sample once.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { RiskSummary } from '../engine/risk/montecarlo.ts';

/** BullMQ queue name and key prefix: every key this feature writes starts with `chokepoint:`. */
export const QUEUE_NAME = 'risk-shards';
export const QUEUE_PREFIX = 'chokepoint';
export const specRedisKey = (specRef: string) => `${QUEUE_PREFIX}:risk-spec:${specRef}`;
/** A stored spec lives this long after the last run that used it (a worker picking up a shard later still finds it). */
export const SPEC_TTL_SECONDS = 7 * 24 * 3600;

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export const shardJobSchema = z.object({
  runId: z.string().regex(/^[0-9a-f-]{36}$/),
  /** SHA-256 (hex) of the spec's JSON text: its Redis key is specRedisKey(specRef). */
  specRef: z.string().regex(/^[0-9a-f]{64}$/),
  /** `specKey(spec)`: the identity the engine writes into every summary. */
  specKey: z.string().min(1).max(64),
  seed: z.number().int().min(0).max(0xffffffff),
  samples: z.number().int().min(1),
  shardIndex: z.number().int().min(0),
  shardCount: z.number().int().min(1),
});
export type ShardJob = z.infer<typeof shardJobSchema>;

const count = z.number().int().min(0);
// a plain loop, not z.array(count): a battery-basket summary has ~150k entries, which zod checks 50× slower
const counts = z.custom<number[]>((v) => Array.isArray(v) && v.every((x) => Number.isSafeInteger(x) && x >= 0), 'expected an array of whole numbers ≥ 0');
const sketchSchema = z.object({
  scale: z.number().positive(),
  count,
  zeros: count,
  overflow: count,
  sumQ: count,
  sumSqQ: count,
  bins: counts,
  binSumQ: counts,
});
const summarySchema = z.object({
  kind: z.literal('chokepoint-risk-summary'),
  specKey: z.string(),
  seed: z.number().int(),
  samples: z.number().int(),
  ranges: z.array(z.tuple([count, count])),
  materials: z.array(
    z.object({
      materialId: z.string(),
      lost: sketchSchema,
      gap: sketchSchema,
      shortfall: sketchSchema,
      daysShort: sketchSchema,
      priceChange: sketchSchema,
      peakLostShare: sketchSchema,
      withheldOreQ: count,
      countryLossQ: counts,
      countryHits: counts,
    }),
  ),
  basket: z.object({ shortfallShare: sketchSchema, daysShort: sketchSchema }).nullable(),
});

export const shardResultSchema = z.object({
  summary: summarySchema,
  /** The summary of one sample of the shard alone (one with a loss, when the first PROBE_SEARCH have one): the
   * coordinator recomputes it to check that the worker's engine gives the same numbers. */
  probe: summarySchema,
  /** BullMQ worker name: host:pid. */
  worker: z.string(),
  /** Wall time of the shard on the worker, ms. */
  ms: z.number().min(0),
});
export interface ShardResult {
  summary: RiskSummary;
  probe: RiskSummary;
  worker: string;
  ms: number;
}

/**
 * What a worker returns to BullMQ: the summaries gzipped (base64). Histograms are mostly zero bins, so this is ~20×
 * smaller than the JSON, which Redis keeps twice (the job and the event stream).
 */
export interface ShardReturn {
  worker: string;
  ms: number;
  /** base64 of gzip of JSON {summary, probe}. */
  payload: string;
}

export function encodeShardResult(r: ShardResult): ShardReturn {
  return { worker: r.worker, ms: r.ms, payload: gzipSync(JSON.stringify({ summary: r.summary, probe: r.probe }), { level: 1 }).toString('base64') };
}

const MAX_RESULT_BYTES = 512 * 1024 * 1024;

/** The result object a ShardReturn carries (not yet checked), or a message saying why it cannot be read. */
export function decodeShardResult(raw: unknown): unknown {
  const r = raw as Partial<ShardReturn> | null;
  if (!r || typeof r !== 'object' || typeof r.payload !== 'string') throw new Error('no payload');
  const text = gunzipSync(Buffer.from(r.payload, 'base64'), { maxOutputLength: MAX_RESULT_BYTES }).toString('utf8');
  return { ...(JSON.parse(text) as object), worker: r.worker, ms: r.ms };
}

/** A worker's result that must not be merged: the run fails with this message (no retry: the same worker would send it again). */
export class ShardMismatchError extends Error {
  constructor(
    readonly shardIndex: number,
    readonly worker: string,
    message: string,
  ) {
    super(`shard ${shardIndex} from worker ${worker}: ${message}`);
    this.name = 'ShardMismatchError';
  }
}

/** Every sketch of a summary with the same scales and bin counts as the reference (same engine, same spec). */
function sameShape(a: RiskSummary, b: RiskSummary): string | null {
  if (a.materials.length !== b.materials.length) return `${a.materials.length} materials, expected ${b.materials.length}`;
  const keys = ['lost', 'gap', 'shortfall', 'daysShort', 'priceChange', 'peakLostShare'] as const;
  for (let i = 0; i < a.materials.length; i++) {
    const x = a.materials[i];
    const y = b.materials[i];
    if (x.materialId !== y.materialId) return `material ${i} is ${x.materialId}, expected ${y.materialId}`;
    for (const k of keys)
      if (x[k].scale !== y[k].scale || x[k].bins.length !== y[k].bins.length || x[k].binSumQ.length !== y[k].bins.length)
        return `${x.materialId}.${k} has scale ${x[k].scale} / ${x[k].bins.length} bins, expected ${y[k].scale} / ${y[k].bins.length}`;
    if (x.countryLossQ.length !== y.countryLossQ.length || x.countryHits.length !== y.countryHits.length)
      return `${x.materialId} has ${x.countryLossQ.length} countries, expected ${y.countryLossQ.length}`;
  }
  if (!a.basket !== !b.basket) return a.basket ? 'a basket reading the spec does not have' : 'no basket reading';
  if (a.basket && b.basket)
    for (const k of ['shortfallShare', 'daysShort'] as const)
      if (a.basket[k].scale !== b.basket[k].scale || a.basket[k].bins.length !== b.basket[k].bins.length)
        return `basket.${k} has scale ${a.basket[k].scale}, expected ${b.basket[k].scale}`;
  return null;
}

/** How far into its shard a worker looks for a sample with a loss to use as the probe. */
export const PROBE_SEARCH = 64;

/**
 * Check a worker's returned value (a ShardReturn) for shard `job.shardIndex` covering `range`. `probeAt(j)` is this
 * engine's summary of sample j alone (summariseRange(spec, seed, j, j + 1)): the worker's probe, a sample of the shard
 * with a loss when one is among its first PROBE_SEARCH samples, must equal it bit for bit. Returns the parsed result
 * or throws ShardMismatchError.
 */
export function verifyShardResult(job: ShardJob, range: [number, number], raw: unknown, probeAt: (sample: number) => RiskSummary): ShardResult {
  const worker = typeof (raw as { worker?: unknown })?.worker === 'string' ? (raw as { worker: string }).worker : 'unknown';
  let decoded: unknown;
  try {
    decoded = decodeShardResult(raw);
  } catch (e) {
    throw new ShardMismatchError(job.shardIndex, worker, `unreadable result (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = shardResultSchema.safeParse(decoded);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ShardMismatchError(job.shardIndex, worker, `malformed result at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const r = parsed.data as ShardResult;
  const fail = (msg: string): never => {
    throw new ShardMismatchError(job.shardIndex, r.worker, msg);
  };
  const s = r.summary;
  if (s.specKey !== job.specKey) fail(`spec key ${s.specKey}, expected ${job.specKey} (the worker ran another spec)`);
  if (s.seed !== job.seed) fail(`seed ${s.seed}, expected ${job.seed}`);
  if (s.samples !== job.samples) fail(`${s.samples} samples in the run, expected ${job.samples}`);
  if (range[1] <= range[0]) fail('empty shard');
  if (!isDeepStrictEqual(s.ranges, [range])) fail(`covers samples ${JSON.stringify(s.ranges)}, expected ${JSON.stringify([range])}`);
  const p = r.probe.ranges;
  if (p.length !== 1 || p[0][1] !== p[0][0] + 1 || p[0][0] < range[0] || p[0][0] >= Math.min(range[1], range[0] + PROBE_SEARCH))
    fail(`probe covers samples ${JSON.stringify(p)}, expected one of the shard's first ${PROBE_SEARCH}`);
  const local = probeAt(p[0][0]);
  const shape = sameShape(s, local);
  if (shape) fail(`${shape} (another engine version?)`);
  const n = range[1] - range[0];
  for (const m of s.materials) if (m.lost.count !== n) fail(`${m.materialId} counts ${m.lost.count} samples, expected ${n}`);
  if (!isDeepStrictEqual(r.probe, local))
    fail(`its result for sample ${p[0][0]} differs from this machine's: the worker runs another version of the engine (update chokepoint there)`);
  return r;
}
