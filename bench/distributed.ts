/**
 * Distributed Monte Carlo through the Redis queue vs local worker threads, on this machine: the battery basket,
 * 100,000 samples, the same seed. The queue run uses as many `chokepoint worker` processes as the pool has threads,
 * on a loopback redis-server, so the difference is the queue's cost (job round trips, spec and result transfer,
 * checks), not more hardware. Both summaries must be identical (checked). Needs Debian's redis-server; without it
 * this benchmark says so and is left out.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openKnowledgeBase } from '../src/store/knowledge-base.ts';
import { buildRiskSpec, validateRiskScenario } from '../src/scenario/risk-build.ts';
import { RiskPool } from '../src/api/workers/risk-pool.ts';
import { defaultShardCount, runDistributed } from '../src/queue/coordinator.ts';
import { startRedis } from '../test/queue/redis-server.ts';

const SAMPLES = 100_000;
const BIN = fileURLToPath(new URL('../bin/chokepoint.js', import.meta.url));

export async function benchDistributed(): Promise<void> {
  let redis;
  try {
    redis = await startRedis();
  } catch (e) {
    console.log(`left out: ${(e as Error).message}`);
    return;
  }
  const cores = availableParallelism();
  const workers: ChildProcess[] = [];
  const pool = new RiskPool(cores);
  try {
    const kb = await openKnowledgeBase({ dbPath: ':memory:' });
    const index = kb.index;
    kb.close();
    spawnSync(process.execPath, [BIN, '--help']); // build dist/cli.cjs once if stale
    for (let i = 0; i < cores; i++) {
      const w = spawn(process.execPath, [BIN, 'worker', '--redis', redis.url, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
      workers.push(w);
    }
    const warm = buildRiskSpec(index, validateRiskScenario({ version: 1, kind: 'risk', basket: 'battery', samples: 2_000, seed: 2 }));
    await pool.run(warm.spec, 2);
    await runDistributed(warm.spec, 2, { redisUrl: redis.url, shards: cores * 2 }); // workers connected and warm
    const built = buildRiskSpec(index, validateRiskScenario({ version: 1, kind: 'risk', basket: 'battery', samples: SAMPLES, seed: 1 }));
    const t0 = performance.now();
    const local = await pool.run(built.spec, built.seed);
    const tLocal = performance.now() - t0;
    for (const shards of [defaultShardCount(SAMPLES), 100]) {
      const t1 = performance.now();
      const run = await runDistributed(built.spec, built.seed, { redisUrl: redis.url, shards });
      const tQueue = performance.now() - t1;
      const same = isDeepStrictEqual(run.summary, local);
      console.log(
        `battery basket, ${SAMPLES.toLocaleString('en')} samples: queue ${shards} shards on ${cores} worker processes ${(tQueue / 1000).toFixed(2)} s` +
          ` (${(shards / (tQueue / 1000)).toFixed(1)} shards/s, ${Math.round(SAMPLES / (tQueue / 1000)).toLocaleString('en')} samples/s)` +
          ` vs ${cores} local threads ${(tLocal / 1000).toFixed(2)} s (${Math.round(SAMPLES / (tLocal / 1000)).toLocaleString('en')} samples/s);` +
          ` queue overhead ${(tQueue / tLocal).toFixed(2)}×; identical summaries: ${same ? 'yes' : 'NO'}`,
      );
      if (!same) process.exitCode = 1;
    }
  } finally {
    await pool.close();
    for (const w of workers) w.kill('SIGTERM');
    await redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDistributed();
