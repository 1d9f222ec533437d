/**
 * The CLI and a running server on the same store file (DuckDB lets one process write, or several read): a CLI read
 * answers while the server runs; a CLI import either lands (the server then answers from it) or, while the server is
 * using the file, is refused with a message naming the server, and nothing is lost either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/store/knowledge-base.ts';

const cli = (args: string[]) => runCli(args);

/** A registry file with its own source, so importing it adds to the bundled data instead of replacing any. */
const REGISTRY = `version: 1
sources:
  - { id: beside-test-src, dataset: registry, editionYear: 2026, publisher: Test ministry, title: Announcements, edition: "2026", table: null, licence: facts, url: "https://example.org/t", file: null, caveat: null }
measures:
  - { id: beside-test-measure, title: Test export licence on cobalt, countryId: COD, direction: export, measureType: licence, materials: [cobalt], stages: [mining], hsCodes: [], targets: [], announced: "2026-01-05", effective: "2026-02-01", suspended: null, ended: null, summary: null, url: "https://example.org/cod", sourceId: beside-test-src }
`;

describe('CLI beside a running server on the same store', () => {
  let dir: string;
  let db: string;
  let server: RunningServer;
  let kb: KnowledgeBase;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-beside-'));
    db = join(dir, 'store.duckdb');
    // What `chokepoint serve` opens: the gate closes the file after 1 s without use.
    kb = await openKnowledgeBase({ dbPath: db, idleCloseMs: 1_000, lockWaitMs: 10_000 });
    server = await startServer({ port: 0, host: '127.0.0.1', kb, quiet: true });
    writeFileSync(join(dir, 'registry.yaml'), REGISTRY);
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    kb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sourceIds = async () => ((await (await fetch(`${server.url}api/sources`)).json()) as { sources: Array<{ id: string }> }).sources.map((s) => s.id);

  it('a CLI read answers while the server is serving', async () => {
    const api = (await (await fetch(`${server.url}api/concentration?material=cobalt&stage=mining&year=2024`)).json()) as { hhiPoints: number };
    const r = await cli(['concentration', '--material', 'cobalt', '--stage', 'mining', '--year', '2024', '--format', 'json', '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [row] = JSON.parse(r.stdout);
    expect(row.hhiPoints).toBe(api.hhiPoints);
    expect(row.largest.countryId).toBe('COD');
  });

  it('a CLI import while the server is using the store is refused with a message naming the server; nothing changes', async () => {
    const before = await kb.store.counts();
    // Keep the server's read open for longer than the CLI waits (3 s) for the file.
    let release!: () => void;
    const held = kb.store.read(() => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 100));
    const r = await cli(['data', 'import', 'registry', join(dir, 'registry.yaml'), '--db', db]);
    release();
    await held;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`in use by the Chokepoint server at ${server.url.replace(/[/.]/g, '\\$&')} \\(pid ${process.pid}\\)`));
    expect(r.stderr).toMatch(/through the server|stop the server/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await kb.store.counts()).toEqual(before);
  });

  it('a CLI import when the server is idle lands, and the server answers from it', async () => {
    await new Promise((r) => setTimeout(r, 1_500)); // the server lets go of the file after 1 s idle
    const bundled = await sourceIds();
    expect(bundled).not.toContain('beside-test-src');
    const r = await cli(['data', 'import', 'registry', join(dir, 'registry.yaml'), '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/imported .* 1 registry records from beside-test-src/);
    expect((await sourceIds()).sort()).toEqual([...bundled, 'beside-test-src'].sort());
    // the bundled data is still there
    const health = (await (await fetch(`${server.url}api/health`)).json()) as { observations: number };
    expect(health.observations).toBeGreaterThan(20_000);
  });
});
