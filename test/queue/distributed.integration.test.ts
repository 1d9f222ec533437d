/**
 * Distributed Monte Carlo on a real Redis (issue 13 part 4): three `chokepoint worker` processes, one killed with
 * SIGKILL while it computes a shard; the run completes through BullMQ's stalled-job recovery and the merged summary is
 * identical to the single-thread run for the same seed. Also: a worker whose engine gives other numbers is refused.
 * Needs Debian's redis-server (fails, never skips, without it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runCli } from '../store/cli.ts';
import { startRedis, type RedisHandle } from './redis-server.ts';
import { specOf } from '../engine/risk/helpers.ts';
import { runMonteCarlo, shardRange, summariseRange } from '../../src/engine/risk/montecarlo.ts';
import { runDistributed, DistributedRunError } from '../../src/queue/coordinator.ts';
import { QUEUE_NAME, QUEUE_PREFIX, encodeShardResult, specRedisKey, type ShardJob } from '../../src/queue/shard-protocol.ts';

const P: Record<string, number> = { CHN: 0.3, IDN: 0.1, AUS: 0.02 };
const specFor = (samples: number) =>
  specOf(
    [
      {
        id: 'x',
        mining: [
          ['AUS', 500],
          ['CHN', 300],
          ['OTH', 200],
        ],
        refining: [
          ['CHN', 600],
          ['IDN', 250],
          ['AUS', 100],
          ['OTH', 50],
        ],
      },
      {
        id: 'y',
        mining: null,
        refining: [
          ['CHN', 90],
          ['USA', 10],
        ],
      },
    ],
    (c, m) => (m === 'y' ? 0.2 : (P[c] ?? 0.05)),
    { samples, correlation: 0.6, severity: { low: 0.3, high: 1 }, durationMonths: { min: 3, max: 24 }, basket: { id: 't', name: 'test' } },
  );

interface CliWorker {
  proc: ChildProcess;
  name: string | null;
  log: string;
  connected: Promise<void>;
  /** Resolves with the shard index (0-based) the first time the worker starts one. */
  firstShard: Promise<number>;
}

function startCliWorker(url: string): CliWorker {
  const proc = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--lock-seconds', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const w = { proc, name: null, log: '' } as CliWorker;
  let onConnect: () => void;
  let onShard: (i: number) => void;
  w.connected = new Promise((r) => (onConnect = r));
  w.firstShard = new Promise((r) => (onShard = r));
  const read = (d: Buffer) => {
    w.log += d;
    const c = /worker (\S+) connected/.exec(w.log);
    if (c && !w.name) {
      w.name = c[1];
      onConnect();
    }
    const s = /shard (\d+)\/\d+ of run/.exec(w.log);
    if (s) onShard(Number(s[1]) - 1);
  };
  proc.stdout!.on('data', read);
  proc.stderr!.on('data', read);
  return w;
}

const until = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);

describe('distributed Monte Carlo through Redis (BullMQ)', () => {
  let redis: RedisHandle;
  const workers: CliWorker[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    // build dist/cli.cjs once, before three processes would each find it stale
    const built = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', timeout: 180_000 });
    expect(built.status, built.stderr).toBe(0);
  });

  afterAll(async () => {
    for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
    await redis?.stop();
  });

  it('three workers, one killed mid-shard: the run completes and equals the local run for the seed', async () => {
    for (let i = 0; i < 3; i++) workers.push(startCliWorker(redis.url));
    await until(Promise.all(workers.map((w) => w.connected)), 120_000, `three workers to connect: ${workers.map((w) => w.log).join(' | ')}`);
    const spec = specFor(120_000);
    const seed = 20_261_204;
    const local = runMonteCarlo(spec, seed);

    const [victim, ...rest] = workers;
    // SIGKILL as soon as the victim reports it started a shard: it dies holding the shard's lock
    const killed = victim.firstShard.then((shardIndex) => {
      victim.proc.kill('SIGKILL');
      return shardIndex;
    });
    const progress: number[] = [];
    const run = await runDistributed(spec, seed, { redisUrl: redis.url, shards: 12, timeoutMs: 240_000, onProgress: (p) => progress.push(p.shardsDone) });
    const lostShard = await until(killed, 1_000, 'the victim to take a shard');

    expect(victim.proc.signalCode).toBe('SIGKILL');
    expect(run.summary).toEqual(local);
    // the shard the victim held was redone by a surviving worker, after BullMQ found it stalled
    expect(rest.map((w) => w.name)).toContain(run.shards[lostShard].worker);
    expect(run.recovered).toBeGreaterThanOrEqual(1);
    expect(run.shards.map((s) => s.shardIndex)).toEqual([...Array(12).keys()]);
    expect(progress[progress.length - 1]).toBe(12);
    // the run's jobs are gone from the queue; the spec stays (by hash) for later runs
    const r = new Redis(redis.url);
    try {
      expect(await r.keys(`${QUEUE_PREFIX}:${QUEUE_NAME}:${run.runId}*`)).toEqual([]);
      expect(await r.ttl((await r.keys(specRedisKey('*')))[0])).toBeGreaterThan(0);
    } finally {
      r.disconnect();
    }
  });

  it('chokepoint risk --redis prints the same report as the local run (the surviving workers compute it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-dist-'));
    try {
      const args = ['risk', '--material', 'gallium', '--samples', '20000', '--seed', '3', '--format', 'json', '--db', join(dir, 'store.duckdb')];
      const local = await runCli([...args, '--threads', '1'], { timeoutMs: 240_000 });
      expect(local.code, local.stderr).toBe(0);
      const dist = await runCli([...args, '--redis', redis.url, '--shards', '6'], { timeoutMs: 240_000 });
      expect(dist.code, dist.stderr).toBe(0);
      expect(dist.stderr).toMatch(/distributed run \w+: 6 shards on [12] worker process/);
      expect(JSON.parse(dist.stdout).samples).toBe(20_000);
      expect(dist.stdout).toBe(local.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a worker whose engine gives other numbers is refused, and the run says so', async () => {
    // database 1: the CLI workers above listen on database 0
    const url = `${redis.url}/1`;
    const spec = specFor(2_000);
    const rogueSpec = { ...spec, severity: { low: 0.5, high: 1 } }; // "another engine version": other numbers, same labels
    const conn = new Redis(url, { maxRetriesPerRequest: null });
    const rogue = new Worker(
      QUEUE_NAME,
      async (job) => {
        const d = job.data as ShardJob;
        const [from, to] = shardRange(d.samples, d.shardIndex, d.shardCount);
        const relabel = <T extends { specKey: string }>(s: T) => ({ ...s, specKey: d.specKey });
        return encodeShardResult({
          summary: relabel(summariseRange(rogueSpec, d.seed, from, to)),
          // its first sample with a loss, as an honest worker would pick it
          probe: relabel(
            [...Array(64).keys()]
              .map((k) => summariseRange(rogueSpec, d.seed, from + k, from + k + 1))
              .find((s) => s.materials.some((m) => m.lost.zeros < m.lost.count))!,
          ),
          worker: 'rogue:1',
          ms: 1,
        });
      },
      { connection: conn, prefix: QUEUE_PREFIX },
    );
    try {
      const err = await runDistributed(spec, 5, { redisUrl: url, shards: 2, timeoutMs: 120_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DistributedRunError);
      expect((err as Error).message).toMatch(/rogue:1.*another version of the engine/);
    } finally {
      await rogue.close();
      conn.disconnect();
    }
  });
});
