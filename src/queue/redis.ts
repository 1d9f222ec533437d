/** Redis connections for the shard queue: one URL syntax, a clear error when Redis cannot be reached. */
import { Redis } from 'ioredis';

/** A --redis value that is not a Redis URL, or a Redis that does not answer: the CLI reports it as a user error. */
export class RedisConfigError extends Error {}

/** Check a redis:// or rediss:// URL (host, port 1..65535, optional /db) and return it normalised. */
export function parseRedisUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new RedisConfigError(`--redis must be a URL like redis://host:6379, got "${raw}"`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new RedisConfigError(`--redis must start with redis:// or rediss://, got "${raw}"`);
  if (!u.hostname) throw new RedisConfigError(`--redis has no host: "${raw}"`);
  if (u.port && !(Number(u.port) >= 1 && Number(u.port) <= 65535)) throw new RedisConfigError(`--redis port must be 1..65535, got "${u.port}"`);
  if (u.pathname && u.pathname !== '/' && !/^\/\d{1,2}$/.test(u.pathname))
    throw new RedisConfigError(`--redis path must be a database number (redis://host:6379/0), got "${u.pathname}"`);
  return u.toString();
}

/** The URL without its password, for messages. */
export const redactUrl = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

/**
 * A connection for BullMQ (maxRetriesPerRequest null, as BullMQ requires). `failFast`: the first connection must
 * succeed within `connectTimeoutMs` or this rejects (the coordinator); otherwise it retries for ever (a worker outlives
 * a Redis restart).
 */
export async function connectRedis(url: string, opts: { failFast: boolean; connectTimeoutMs?: number; name?: string }): Promise<Redis> {
  const timeout = opts.connectTimeoutMs ?? 10_000;
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    connectionName: opts.name,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(200 * times, 2_000),
  });
  // ioredis emits 'error' on every failed (re)connect; the state is reported through connect() and the commands.
  redis.on('error', () => {});
  if (!opts.failFast) {
    void redis.connect().catch(() => {});
    return redis;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new RedisConfigError(`cannot reach Redis at ${redactUrl(url)} within ${timeout / 1000} s`)), timeout);
      }),
    ]);
    await redis.ping();
    return redis;
  } catch (e) {
    redis.disconnect();
    if (e instanceof RedisConfigError) throw e;
    throw new RedisConfigError(`cannot reach Redis at ${redactUrl(url)}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    clearTimeout(timer);
  }
}
