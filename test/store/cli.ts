/** Run the real `chokepoint` command (bin/chokepoint.js) in a child process, as a user would, for store-level tests. */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/chokepoint.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Exit code, stdout and stderr of one command; `env` adds to this process's environment. */
export function runCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; as?: { uid: number; gid: number } } = {}): Promise<CliResult> {
  const options: ExecFileOptions = { timeout: opts.timeoutMs ?? 90_000, env: { ...process.env, ...opts.env }, maxBuffer: 16 << 20, ...(opts.as ?? {}) };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], options, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

/**
 * A temporary store built from the bundled data by the real CLI (its first command builds it): `db` for `--db`,
 * `remove()` in afterAll. For tests that run many commands on one store.
 */
export async function bundledStore(prefix: string): Promise<{ dir: string; db: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = join(dir, 'store.duckdb');
  const warm = await runCli(['materials', '--db', db], { timeoutMs: 300_000 });
  if (warm.code !== 0) throw new Error(`building the bundled store failed (exit ${warm.code}): ${warm.stderr}`);
  return { dir, db, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
