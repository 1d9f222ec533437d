/**
 * `chokepoint worker --redis redis://host:6379 [--concurrency N]`: computes Monte Carlo shards for any coordinator
 * (`chokepoint risk … --redis …`) that uses the same Redis. Start one per core on as many hosts as you like
 * (docs/distributed.md). With --concurrency N this process starts N worker processes and restarts one that dies.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Command } from 'commander';
import { intArg, numArg, UserError } from './options.ts';

const CHILD_ENV = 'CHOKEPOINT_WORKER_CHILD';

interface WorkerFlags {
  redis?: string;
  concurrency: number;
  lockSeconds: number;
  quiet?: boolean;
}

const stamp = () => new Date().toISOString().slice(11, 19);

/** One worker in this process until SIGINT/SIGTERM (the running shard finishes first; a second signal stops at once). */
async function runOne(url: string, o: WorkerFlags, print: (s: string) => void): Promise<void> {
  const { startQueueWorker } = await import('../queue/worker.ts');
  const log = o.quiet ? () => {} : (line: string) => print(`${stamp()} ${line}`);
  const w = await startQueueWorker({ redisUrl: url, lockDurationMs: Math.round(o.lockSeconds * 1000), log });
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) process.exit(1);
      stopping = true;
      log(`worker ${w.name} stopping after its current shard`);
      void w.close().finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // a child of `--concurrency N` ends with its parent, even one killed with SIGKILL (its IPC channel closes)
    if (process.env[CHILD_ENV]) process.on('disconnect', stop);
  });
}

/** N worker processes: each is this command with --concurrency 1; one that dies is restarted after 2 s. */
async function runMany(url: string, o: WorkerFlags, print: (s: string) => void): Promise<void> {
  const args = ['worker', '--redis', url, '--concurrency', '1', '--lock-seconds', String(o.lockSeconds), ...(o.quiet ? ['--quiet'] : [])];
  const children = new Set<ChildProcess>();
  let stopping = false;
  const start = () => {
    const c = fork(process.argv[1], args, { env: { ...process.env, [CHILD_ENV]: '1' }, stdio: 'inherit' });
    children.add(c);
    c.on('exit', (code, signal) => {
      children.delete(c);
      if (stopping) return;
      print(`${stamp()} worker process ${c.pid} ended (${signal ?? `exit ${code}`}); starting another in 2 s`);
      setTimeout(() => !stopping && start(), 2_000);
    });
  };
  for (let i = 0; i < o.concurrency; i++) start();
  await new Promise<void>((resolve) => {
    const stop = (sig: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      for (const c of children) c.kill(sig);
      const check = setInterval(() => {
        if (!children.size) {
          clearInterval(check);
          resolve();
        }
      }, 100);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

export function registerWorkerCommands(program: Command, print: (s: string) => void): void {
  program
    .command('worker')
    .description('compute Monte Carlo shards from a Redis queue, for `chokepoint risk --redis` runs on any host (docs/distributed.md)')
    .option('--redis <url>', 'Redis URL, e.g. redis://10.0.0.5:6379 (default $CHOKEPOINT_REDIS)', process.env.CHOKEPOINT_REDIS)
    .option('--concurrency <n>', 'worker processes on this host (one per core)', intArg, 1)
    .option('--lock-seconds <s>', "a dead worker's shard goes back to the queue this long after it stopped renewing its lock", numArg, 30)
    .option('-q, --quiet', 'no log line per shard')
    .action(async (o: WorkerFlags) => {
      if (!o.redis) throw new UserError('give --redis redis://host:6379 (or set CHOKEPOINT_REDIS)');
      if (!(o.concurrency >= 1 && o.concurrency <= 256)) throw new UserError(`--concurrency must be 1..256, got ${o.concurrency}`);
      if (!(o.lockSeconds >= 1 && o.lockSeconds <= 3600)) throw new UserError(`--lock-seconds must be 1..3600, got ${o.lockSeconds}`);
      const { parseRedisUrl, RedisConfigError } = await import('../queue/redis.ts');
      let url: string;
      try {
        url = parseRedisUrl(o.redis);
      } catch (e) {
        if (e instanceof RedisConfigError) throw new UserError(e.message);
        throw e;
      }
      if (o.concurrency > 1) await runMany(url, o, print);
      else await runOne(url, o, print);
      process.exit(0);
    });
}
