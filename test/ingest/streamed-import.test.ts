/**
 * Streamed imports (src/ingest/stream.ts, src/store/staged.ts): records checked one by one and staged in batches,
 * the file-wide checks in SQL, one transaction. A bad record anywhere (after several staged batches) leaves the store
 * as it was; a repeated key names both records and lines across batches; the rows stored equal those of the
 * in-memory path (run + validateBatch + applyBatch).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { importerFor, importPath, validateBatch } from '../../src/ingest/index.ts';
import { setRecordOrigin } from '../../src/ingest/kit.ts';
import { importStreamed, STAGE_BATCH, type StreamImporter } from '../../src/ingest/stream.ts';
import { ImportError, type Governance } from '../../src/model/schema.ts';
import { WGI_SOURCE } from '../../src/ingest/wgi.ts';
import { Store } from '../../src/store/store.ts';
import { StoreGate } from '../../src/store/gate.ts';
import { COUNTRIES } from '../../src/model/countries.ts';
import { join } from 'node:path';
import { fixturePath, removeTempDirs, tempDir } from './malformed.ts';

afterAll(removeTempDirs);

const N = STAGE_BATCH * 3 + 17;
const COUNTRY_IDS = COUNTRIES.filter((c) => c.kind === 'country')
  .slice(0, 30)
  .map((c) => c.id);
const INDICATORS = ['va', 'pv', 'ge', 'rq', 'rl', 'cc'] as const;

/** N governance records from a pretend file, line = index + 2; `tweak` may change record i. */
function synthetic(tweak: (g: Governance, i: number) => Governance = (g) => g): StreamImporter {
  return async (path, out) => {
    for (let i = 0; i < N; i++) {
      const g = tweak(
        {
          countryId: COUNTRY_IDS[i % 30],
          indicator: INDICATORS[Math.floor(i / 30) % 6],
          year: 1900 + Math.floor(i / 180),
          estimate: 0.5,
          stdErr: 0.1,
          percentileRank: 50,
          sourceId: WGI_SOURCE.id,
        },
        i,
      );
      setRecordOrigin(g, path, i + 2);
      await out.governance(g);
    }
    return { sources: [WGI_SOURCE], warnings: [] };
  };
}

async function withWgi<T>(fn: (store: Store, before: Record<string, number>) => Promise<T>): Promise<T> {
  const store = await Store.open(':memory:');
  try {
    await importPath(store, 'wgi', fixturePath('wb-wgi/wgi_2024_update_1996_2023.csv'));
    return await fn(store, await store.counts());
  } finally {
    store.close();
  }
}

const tempTables = async (store: Store) =>
  (await store.conn.runAndReadAll("select count(*) from duckdb_tables() where temporary and table_name like 'stage_%'")).getRows()[0][0];

describe('streamed import', () => {
  it('a value out of range in the last batch: an error with file, line and field; the store as it was', async () => {
    await withWgi(async (store, before) => {
      const e = await importStreamed(
        store,
        'wgi',
        'big.csv',
        'h1',
        synthetic((g, i) => (i === N - 3 ? { ...g, estimate: 9 } : g)),
        {},
      ).catch((x) => x);
      expect(e).toBeInstanceOf(ImportError);
      expect(e.file).toBe('big.csv');
      expect(e.line).toBe(N - 1);
      expect(e.field).toMatch(new RegExp(`^governance #${N - 2} \\(\\w{3} \\w\\w \\d{4}\\) estimate$`));
      expect(await store.counts()).toEqual(before);
      expect(Number(await tempTables(store))).toBe(0);
    });
  }, 120_000);

  it('a key repeated two batches apart names both records and lines (checked in SQL on the staging table)', async () => {
    await withWgi(async (store, before) => {
      const at = STAGE_BATCH * 2 + 5;
      const dup = synthetic((g, i) => (i === at ? { ...g, countryId: COUNTRY_IDS[0], indicator: 'va', year: 1900 } : g));
      const e = await importStreamed(store, 'wgi', 'dup.csv', 'h2', dup).catch((x) => x);
      expect(e).toBeInstanceOf(ImportError);
      expect(e.line).toBe(at + 2);
      expect(e.field).toBe(`governance #${at + 1} (${COUNTRY_IDS[0]} va 1900)`);
      expect(e.message).toContain('duplicate of governance #1 (line 2)');
      expect(await store.counts()).toEqual(before);
    });
  }, 120_000);

  it('a record citing a source outside the import is refused; a good file replaces the source in one go', async () => {
    await withWgi(async (store, before) => {
      const e = await importStreamed(
        store,
        'wgi',
        'src.csv',
        'h3',
        synthetic((g, i) => (i === 7 ? { ...g, sourceId: 'other' } : g)),
      ).catch((x) => x);
      expect(e.message).toMatch(/governance #8 sourceId.*cites source "other"/);
      expect(await store.counts()).toEqual(before);
      const r = await importStreamed(store, 'wgi', 'ok.csv', 'h4', synthetic());
      expect(r.governance).toBe(N);
      expect((await store.counts()).governance).toBe(N);
    });
  }, 120_000);

  it('stores the same rows as the in-memory path', async () => {
    const file = fixturePath('wb-wgi/wgi_2024_update_1996_2023.csv');
    const a = await Store.open(':memory:');
    const b = await Store.open(':memory:');
    try {
      await importPath(a, 'wgi', file);
      const batch = await importerFor('wgi').run(file);
      validateBatch(batch);
      await b.applyBatch(batch, 'x');
      const rows = async (s: Store) => (await s.readGovernance()).map((g) => JSON.stringify(g)).sort();
      expect(await rows(a)).toEqual(await rows(b));
      expect((await a.counts()).governance).toBeGreaterThan(20);
    } finally {
      a.close();
      b.close();
    }
  });

  it('runs through a StoreGate (the server and CLI path): one write holds the staging tables, then reads see the rows', async () => {
    const dir = tempDir();
    const gate = new StoreGate(join(dir, 'kb.duckdb'));
    try {
      const file = fixturePath('consumption/usgs-mcs-2025-us-consumption.csv');
      const r = await importPath(gate, 'consumption', file);
      expect(r.observations).toBeGreaterThan(0);
      expect((await gate.counts()).observations).toBe(r.observations);
      expect((await importPath(gate, 'consumption', file)).unchanged).toBe(true);
    } finally {
      gate.close();
    }
  });
});
