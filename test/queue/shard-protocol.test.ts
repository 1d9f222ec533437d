/**
 * The distributed run's checks without Redis (the queue itself: test/queue/distributed.integration.test.ts): what a
 * coordinator accepts from a worker, the --redis URL syntax, and a clear error when Redis does not answer.
 */
import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { specKey } from '../../src/engine/risk/model.ts';
import { mergeSummaries, runMonteCarlo, shardRange, summariseRange, type RiskSummary } from '../../src/engine/risk/montecarlo.ts';
import {
  PROBE_SEARCH,
  ShardMismatchError,
  encodeShardResult,
  sha256Hex,
  verifyShardResult,
  type ShardJob,
  type ShardReturn,
} from '../../src/queue/shard-protocol.ts';
import { connectRedis, parseRedisUrl, redactUrl, RedisConfigError } from '../../src/queue/redis.ts';
import { defaultShardCount, runDistributed } from '../../src/queue/coordinator.ts';
import { freePort } from './redis-server.ts';
import { specOf } from '../engine/risk/helpers.ts';

const spec = specOf(
  [
    {
      id: 'x',
      mining: null,
      refining: [
        ['CHN', 600],
        ['IDN', 250],
        ['OTH', 50],
      ],
    },
  ],
  (c) => (c === 'CHN' ? 0.3 : 0.1),
  { samples: 1_000, severity: { low: 0.2, high: 1 }, durationMonths: { min: 2, max: 18 } },
);
const seed = 9;
const shardCount = 4;
const job = (shardIndex: number): ShardJob => ({
  runId: '00000000-0000-4000-8000-000000000000',
  specRef: sha256Hex(JSON.stringify(spec)),
  specKey: specKey(spec),
  seed,
  samples: spec.samples,
  shardIndex,
  shardCount,
});
const probeAt = (j: number) => summariseRange(spec, seed, j, j + 1);
/** What an honest worker returns for shard i (its probe: the first of its first samples with a loss). */
function honest(i: number, over: { summary?: RiskSummary; probe?: RiskSummary; worker?: string } = {}): ShardReturn {
  const [from, to] = shardRange(spec.samples, i, shardCount);
  let probe = probeAt(from);
  for (let j = from; j < from + PROBE_SEARCH; j++)
    if (probeAt(j).materials[0].lost.zeros === 0) {
      probe = probeAt(j);
      break;
    }
  return encodeShardResult({ summary: summariseRange(spec, seed, from, to), probe, worker: 'host:1', ms: 3, ...over });
}
const check = (i: number, raw: unknown) => verifyShardResult(job(i), shardRange(spec.samples, i, shardCount), raw, probeAt);

describe('shard results a coordinator accepts', () => {
  it('honest shards pass and merge to the single-thread run', () => {
    const parts = [3, 1, 0, 2].map((i) => check(i, honest(i)).summary);
    expect(mergeSummaries(parts)).toEqual(runMonteCarlo(spec, seed));
  });

  it('refuses another spec, another seed, another range, a tampered probe and unreadable payloads', () => {
    const [from, to] = shardRange(spec.samples, 1, shardCount);
    const other = { ...spec, correlation: 0.5 };
    // the honest probe's sample, computed by an engine that draws otherwise
    const tampered = () => {
      const j = (JSON.parse(gunzipSync(Buffer.from(honest(1).payload, 'base64')).toString()) as { probe: RiskSummary }).probe.ranges[0][0];
      return summariseRange({ ...spec, severity: { low: 0.5, high: 1 } }, seed, j, j + 1);
    };
    const cases: Array<[ShardReturn | unknown, RegExp]> = [
      [honest(1, { summary: summariseRange(other, seed, from, to) }), /spec key .* \(the worker ran another spec\)/],
      [honest(1, { summary: summariseRange(spec, seed + 1, from, to) }), /seed 10, expected 9/],
      [honest(1, { summary: summariseRange(spec, seed, from, to - 1) }), /covers samples/],
      [honest(0), /covers samples/], // shard 0's result sent for shard 1
      [honest(1, { probe: { ...tampered(), specKey: specKey(spec) } }), /another version of the engine/],
      [honest(1, { probe: probeAt(to) }), /probe covers samples/],
      [{ worker: 'host:1', ms: 1, payload: 'not gzip' }, /unreadable result/],
      [{ ...encodeShardResult({ summary: { kind: 'x' } as unknown as RiskSummary, probe: probeAt(from), worker: 'w', ms: 1 }) }, /malformed result at summary/],
      [null, /unreadable result/],
    ];
    for (const [raw, message] of cases) expect(() => check(1, raw), String(message)).toThrow(message);
    expect(() => check(1, null)).toThrow(ShardMismatchError);
  });

  it('a sample count that does not match the shard is refused', () => {
    const [from, to] = shardRange(spec.samples, 2, shardCount);
    const s = summariseRange(spec, seed, from, to);
    s.materials[0].lost.count += 1;
    expect(() => check(2, honest(2, { summary: s }))).toThrow(/counts 251 samples, expected 250/);
  });
});

describe('Redis URL and connection', () => {
  it('accepts redis:// and rediss:// with a database number, refuses the rest', () => {
    expect(parseRedisUrl('redis://10.0.0.5:6379')).toBe('redis://10.0.0.5:6379');
    expect(parseRedisUrl('rediss://user:pw@cache.example:6380/2')).toBe('rediss://user:pw@cache.example:6380/2');
    expect(redactUrl('redis://user:secret@h:1/0')).toBe('redis://user:***@h:1/0');
    expect(() => parseRedisUrl('localhost:6379')).toThrow(RedisConfigError);
    expect(() => parseRedisUrl('http://h:6379')).toThrow(/redis:\/\//);
    expect(() => parseRedisUrl('redis://h:6379/queue')).toThrow(/database number/);
  });

  it('a coordinator fails fast, naming the address, when nothing listens there', async () => {
    const port = await freePort();
    await expect(connectRedis(`redis://127.0.0.1:${port}`, { failFast: true, connectTimeoutMs: 3_000 })).rejects.toThrow(
      new RegExp(`cannot reach Redis at redis://127.0.0.1:${port}`),
    );
    await expect(runDistributed(spec, seed, { redisUrl: `redis://127.0.0.1:${port}` })).rejects.toThrow(/cannot reach Redis/);
  });

  it('checks the run before touching Redis: bad seed, more shards than samples', async () => {
    await expect(runDistributed(spec, -1, { redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow(/seed/);
    await expect(runDistributed(spec, 1, { redisUrl: 'redis://127.0.0.1:1', shards: spec.samples + 1 })).rejects.toThrow(/shards must be/);
    expect(defaultShardCount(3)).toBe(3);
    expect(defaultShardCount(1_000)).toBe(4);
    expect(defaultShardCount(1_000_000)).toBe(200);
    expect(defaultShardCount(10_000_000)).toBe(256);
  });
});
