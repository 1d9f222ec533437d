/**
 * A throwaway redis-server for integration tests: loopback only, a free port, no persistence. Fails (never skips) when
 * Debian's redis-server is not installed, saying how to install it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export function redisServerBinary(): string {
  for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) if (existsSync(p)) return p;
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error(
    'redis-server is not installed: the distributed Monte Carlo integration test needs it. Install Debian\'s package: "apt-get install -y redis-server" (.ci/run does this).',
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RedisHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisHandle> {
  const bin = redisServerBinary();
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const proc: ChildProcess = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const up = await new Promise<boolean>((resolve) => {
      const deadline = Date.now() + 15_000;
      const tick = () => {
        if (proc.exitCode !== null) return resolve(false);
        const ping = spawnSync(process.execPath, [
          '-e',
          `require('net').connect(${port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`,
        ]);
        if (ping.status === 0) return resolve(true);
        if (Date.now() > deadline) return resolve(false);
        setTimeout(tick, 100);
      };
      tick();
    });
    if (up)
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: () =>
          new Promise<void>((resolve) => {
            if (proc.exitCode !== null) return resolve();
            proc.once('exit', () => resolve());
            proc.kill('SIGTERM');
          }),
      };
    proc.kill('SIGKILL');
    if (attempt === 2) throw new Error(`redis-server did not start on port ${port}: ${out.trim()}`);
  }
  throw new Error('unreachable');
}
