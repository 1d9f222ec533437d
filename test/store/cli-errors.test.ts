/** An unexpected failure in the CLI prints "chokepoint: <message>" and exits 1: no stack trace unless CHOKEPOINT_DEBUG=1. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { env });

const STACK_LINE = /\n\s+at .+\(|\n\s+at .+:\d+:\d+/;

describe('an unexpected failure in the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cp-bad-'));
    writeFileSync(join(dir, 'not-a-store.duckdb'), 'this is not a DuckDB file\n'.repeat(400));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints "chokepoint: <message>" and exits 1; the stack only with CHOKEPOINT_DEBUG=1', async () => {
    const args = ['concentration', '--material', 'cobalt', '--db', join(dir, 'not-a-store.duckdb')];
    const r = await cli(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^chokepoint: .*not a valid DuckDB database file/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toMatch(/^Error: /m); // no stack (DuckDB's native errors carry a one-line one)
    expect(r.stderr).toContain('CHOKEPOINT_DEBUG=1');
    const d = await cli(args, { CHOKEPOINT_DEBUG: '1' });
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/^chokepoint: .*not a valid DuckDB database file/);
    expect(d.stderr).toMatch(/^Error: .*not a valid DuckDB database file/m);
  }, 120_000);
});
