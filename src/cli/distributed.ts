/**
 * `chokepoint risk … --redis redis://host:6379`: the run's shards go to the Redis queue and are computed by
 * `chokepoint worker` processes on any host (docs/distributed.md) instead of this machine's threads. Same result for
 * the same seed; progress on stderr, the report on stdout as for a local run.
 */
import { Option } from 'commander';
import type { RiskSpec } from '../engine/risk/model.ts';
import type { RiskSummary } from '../engine/risk/montecarlo.ts';
import { intArg, numArg, UserError } from './options.ts';

export interface DistributedFlags {
  redis?: string;
  shards?: number;
  queueTimeout?: number;
}

export const redisOption = () =>
  new Option('--redis <url>', 'run the shards on `chokepoint worker` processes through this Redis (redis://host:6379) instead of local threads');
export const shardsOption = () => new Option('--shards <n>', 'with --redis: number of shards (default: one per 5,000 samples, 4..256)').argParser(intArg);
export const queueTimeoutOption = () =>
  new Option('--queue-timeout <s>', 'with --redis: give up when the shards are not all done after this many seconds').argParser(numArg);

/** Run a built spec through the queue, reporting progress on stderr. */
export async function runOnQueue(spec: RiskSpec, seed: number, o: DistributedFlags): Promise<RiskSummary> {
  const { parseRedisUrl, RedisConfigError, redactUrl } = await import('../queue/redis.ts');
  const { runDistributed, DistributedRunError } = await import('../queue/coordinator.ts');
  if (o.queueTimeout !== undefined && !(o.queueTimeout > 0)) throw new UserError(`--queue-timeout must be a positive number of seconds, got ${o.queueTimeout}`);
  const tty = process.stderr.isTTY;
  let lastLine = '';
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const url = parseRedisUrl(o.redis!);
    const run = await runDistributed(spec, seed, {
      redisUrl: url,
      shards: o.shards,
      timeoutMs: o.queueTimeout ? o.queueTimeout * 1000 : undefined,
      signal: abort.signal,
      onProgress: (p) => {
        const line = `shards ${p.shardsDone}/${p.shardCount} · ${p.workers} worker(s) on ${redactUrl(url)}${p.recovered ? ` · ${p.recovered} recovered from a stopped worker` : ''}${p.workers ? '' : ' — start some: chokepoint worker --redis …'}`;
        if (line === lastLine) return;
        lastLine = line;
        process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      },
    });
    const hosts = new Set(run.shards.map((s) => s.worker));
    process.stderr.write(
      `${tty ? '\r\x1b[2K' : ''}distributed run ${run.runId.slice(0, 8)}: ${run.shards.length} shards on ${hosts.size} worker process(es) in ${(run.wallMs / 1000).toFixed(1)} s${run.recovered ? `, ${run.recovered} shard(s) redone after a worker stopped` : ''}; every result checked against spec ${run.summary.specKey}\n`,
    );
    return run.summary;
  } catch (e) {
    if (tty && lastLine) process.stderr.write('\n');
    if (e instanceof RedisConfigError) throw new UserError(e.message);
    // a run that could not finish (shard out of tries, timeout, a refused result) is not a typo: exit 1 with its message
    if (e instanceof DistributedRunError) throw e;
    throw e;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
