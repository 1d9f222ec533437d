/**
 * A store the user cannot write (file mode 0444 in a folder of mode 0555, as on a read-only share) opens read-only
 * and serves: CLI reads answer, a CLI write exits 1 with a message naming the store and why, the server starts
 * read-only and answers reads, a write gets 403 saying why.
 *
 * File modes do not stop root, so when the tests run as root the CLI and server run as user `nobody` (Node's spawn
 * with uid/gid 65534); otherwise as the current user, whom the modes do stop. Either way what is proven is the
 * real path: DuckDB is refused write access by the operating system, not by a flag of ours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openKnowledgeBase } from '../../src/store/knowledge-base.ts';
import { Store } from '../../src/store/store.ts';

import { BIN, runCli } from './cli.ts';
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
/** Run as a user the file modes apply to. */
const asUser = asRoot ? { uid: NOBODY, gid: NOBODY } : {};

const cli = (args: string[], opts: { env?: Record<string, string>; unprivileged?: boolean } = {}) =>
  runCli(args, { env: opts.env, as: opts.unprivileged && asRoot ? { uid: NOBODY, gid: NOBODY } : undefined });

const REGISTRY = `version: 1
sources:
  - { id: ro-test-src, dataset: registry, editionYear: 2026, publisher: Test ministry, title: Announcements, edition: "2026", table: null, licence: facts, url: "https://example.org/t", file: null, caveat: null }
measures:
  - { id: ro-test-measure, title: Test export licence on cobalt, countryId: COD, direction: export, measureType: licence, materials: [cobalt], stages: [mining], hsCodes: [], targets: [], announced: "2026-01-05", effective: "2026-02-01", suspended: null, ended: null, summary: null, url: "https://example.org/cod", sourceId: ro-test-src }
`;

const STACK_LINE = /\n\s+at .+\(|\n\s+at .+:\d+:\d+/;

describe('a read-only store opens read-only and serves', () => {
  let dir: string;
  let db: string;
  let server: ChildProcess | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-ro-'));
    db = join(dir, 'store.duckdb');
    const kb = await openKnowledgeBase({ dbPath: db }); // imports the bundle: the store is current
    kb.close();
    writeFileSync(join(dir, 'registry.yaml'), REGISTRY);
    // As the current user first: rebuilds the CLI bundle if src/ changed (the unprivileged user cannot write dist/).
    const warm = await cli(['concentration', '--material', 'cobalt', '--stage', 'mining', '--year', '2024', '--format', 'json', '--db', db]);
    expect(warm.code, warm.stderr).toBe(0);
    chmodSync(db, 0o444);
    chmodSync(join(dir, 'registry.yaml'), 0o444);
    chmodSync(dir, 0o555);
  }, 240_000);

  afterAll(() => {
    server?.kill('SIGTERM');
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a CLI read answers from the read-only store', async () => {
    const mtime = statSync(db).mtimeMs;
    const r = await cli(['concentration', '--material', 'cobalt', '--stage', 'mining', '--year', '2024', '--format', 'json', '--db', db], {
      unprivileged: true,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([{ materialId: 'cobalt', stage: 'mining', year: 2024, source: { publisher: 'U.S. Geological Survey' } }]);
    expect(statSync(db).mtimeMs).toBe(mtime);
  }, 120_000);

  it('a CLI write exits 1 with a message naming the store and why, no stack trace', async () => {
    const r = await cli(['data', 'import', 'registry', join(dir, 'registry.yaml'), '--db', db], { unprivileged: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^chokepoint: the store ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be written \\(.*Permission denied`));
    expect(r.stderr).toContain('reading it works');
    expect(r.stderr).not.toMatch(STACK_LINE);
  }, 120_000);

  it('the server starts read-only: reads answer, a write is refused with 403 saying why', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], { ...asUser, stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out} ${err}`)), 90_000);
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /Dashboard: (http:\/\/\S+)/.exec(out);
        // The notes follow the Dashboard line and may come in a later chunk of the pipe: wait for the last line.
        if (m && /every write is refused/.test(out)) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out} ${err}`)));
    });
    expect(out).toContain('Read-only: the folder of');
    const health = (await (await fetch(`${url}api/health`)).json()) as { ok: boolean; observations: number };
    expect(health.ok).toBe(true);
    expect(health.observations).toBeGreaterThan(1000);
    const w = await fetch(`${url}api/alerts/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url.replace(/\/$/, '') },
      body: JSON.stringify({ id: 'ro', kind: 'new_measure', materials: ['cobalt'] }),
    });
    expect(w.status).toBe(403);
    expect(((await w.json()) as { error: string }).error).toMatch(/read-only: the folder of the store .* cannot be written/);
    expect(err).not.toMatch(STACK_LINE);
  }, 120_000);

  it('a read-only store that predates the bundle still serves what it holds, with a note saying so', async () => {
    server?.kill('SIGTERM'); // releases its read lock
    server = null;
    await new Promise((r) => setTimeout(r, 1_000));
    // Make the stored bundle look older than the shipped one (as after an upgrade); the owner's write bypasses 0444 when
    // root, so open the mode up for a non-root run.
    chmodSync(dir, 0o755);
    chmodSync(db, 0o644);
    const s = await Store.open(db);
    await s.conn.run("update imports set sha256 = 'an-older-bundle' where kind = 'bundle'");
    s.close();
    chmodSync(db, 0o444);
    chmodSync(dir, 0o555);
    const r = await cli(['concentration', '--material', 'cobalt', '--stage', 'mining', '--year', '2024', '--format', 'json', '--db', db], {
      unprivileged: true,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^chokepoint: note: the store .* is read-only, so the data bundled with this version was not added to it; answering from what it holds\n$/,
    );
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ materialId: 'cobalt', year: 2024 });
  }, 120_000);
});
