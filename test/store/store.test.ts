import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION, Store } from '../../src/store/store.ts';
import { importPath } from '../../src/ingest/index.ts';
import { loadDataset } from '../../src/store/load.ts';
import { ImportError, type Observation, type Source } from '../../src/model/schema.ts';
import { writeBundle } from '../../src/ingest/bundle.ts';

const source: Source = {
  id: 'test-src',
  dataset: 'test',
  editionYear: 2025,
  publisher: 'Test publisher',
  title: 'Test',
  edition: 'T1',
  table: 'T',
  licence: 'public domain',
  url: null,
  file: null,
  caveat: null,
};
const obs = (countryId: string, value: number | null): Observation => ({
  materialId: 'cobalt',
  stage: 'mining',
  measure: 'production',
  countryId,
  year: 2024,
  value,
  unit: 't',
  basis: 'contained',
  status: value === null ? 'withheld' : 'reported',
  estimated: true,
  scenario: null,
  sector: null,
  detail: 'Mine production, "quoted", with comma',
  note: null,
  sourceId: 'test-src',
});

describe('store: atomic, idempotent imports', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-store-'));
    store = await Store.open(':memory:');
    writeBundle(dir, [{ kind: 't', file: 'x', sources: [source], observations: [obs('COD', 220000), obs('USA', null), obs('WLD', 290000)], warnings: [] }], {
      description: 'test',
      inputs: [],
    });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips a bundle: what is written is what is read back', async () => {
    const s = await importPath(store, 'bundle', dir);
    expect(s.observations).toBe(3);
    const ds = await loadDataset(store);
    expect(ds.observations).toHaveLength(3);
    expect(ds.observations.find((o) => o.countryId === 'USA')).toEqual(obs('USA', null));
    expect(ds.observations.find((o) => o.countryId === 'COD')?.detail).toBe('Mine production, "quoted", with comma');
    expect(ds.sources.get('test-src')).toEqual(source);
  });

  it('reads back every text column as written: nulls, empty strings and separators in free text', async () => {
    const rows: Observation[] = [
      { ...obs('CHN', 1), scenario: 'STEPS', sector: 'Electric vehicles', detail: null, note: 'a note' },
      { ...obs('JPN', 2), scenario: '', sector: '', detail: '', note: '' },
      { ...obs('KOR', 3), detail: 'free text with \u001f and \u001e inside', note: null, stage: 'end_use', measure: 'demand' },
      { ...obs('DEU', null), estimated: false },
    ];
    await store.applyBatch({ kind: 't', file: 'y', sources: [source], observations: rows, warnings: [] }, 'hash-text');
    const back = await store.readObservations();
    const key = (o: Observation) => o.countryId;
    expect([...back].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...rows].sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('re-importing the same content changes nothing', async () => {
    await importPath(store, 'bundle', dir);
    const before = await store.counts();
    const again = await importPath(store, 'bundle', dir);
    expect(again.unchanged).toBe(true);
    expect(await store.counts()).toEqual(before);
  });

  it('a malformed file is rejected with file, line and field, and the store is unchanged', async () => {
    await importPath(store, 'bundle', dir);
    const before = await store.counts();
    const file = join(dir, 'observations.csv');
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[1]).toContain(',COD,');
    lines[1] = lines[1].replace(',220000,', ',22x000,');
    writeFileSync(file, lines.join('\n'));
    const err = await importPath(store, 'bundle', dir).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.message).toContain('observations.csv:2');
    expect(err.field).toBe('value');
    expect(await store.counts()).toEqual(before);
  });

  it('a failure in the middle of a write rolls back everything', async () => {
    await importPath(store, 'bundle', dir);
    const before = await store.counts();
    const broken = {
      kind: 'bundle',
      file: 'x',
      sources: [source],
      observations: [obs('COD', 1), { ...obs('CHN', 2), year: 'bad' as unknown as number }],
      warnings: [],
    };
    await expect(store.applyBatch(broken, 'hash-2')).rejects.toThrow();
    expect(await store.counts()).toEqual(before);
    const ds = await loadDataset(store);
    expect(ds.observations.find((o) => o.countryId === 'COD')?.value).toBe(220000);
  });

  it('migrates a schema-version-1 store in place (adds the trade_flows table) and keeps its rows', async () => {
    const file = join(dir, 'v1.duckdb');
    const v1 = await Store.open(file);
    await importPath(v1, 'bundle', dir);
    await v1.conn.run('drop table trade_flows');
    await v1.setMeta('schema_version', '1');
    v1.close();
    const v2 = await Store.open(file);
    try {
      expect(await v2.meta('schema_version')).toBe(String(SCHEMA_VERSION));
      expect((await v2.counts()).trade_flows).toBe(0);
      expect((await v2.counts()).observations).toBe(3);
    } finally {
      v2.close();
    }
  });

  it('rejects truncated or unknown-column bundles', async () => {
    writeFileSync(join(dir, 'observations.csv'), 'materialId,stage\ncobalt,mining\n');
    await expect(importPath(store, 'bundle', dir)).rejects.toThrow(/observations\.csv:1 \[measure\]: missing column/);
    writeFileSync(join(dir, 'observations.csv'), readFileSync(join(dir, 'groupings.csv'), 'utf8') + '"unterminated');
    await expect(importPath(store, 'bundle', dir)).rejects.toBeInstanceOf(ImportError);
    expect((await store.counts()).observations).toBe(0);
  });
});
