/**
 * An import replaces its sources' rows, so a header-only or truncated file must not silently wipe a source (issue: a
 * header-only usgs-world file removed 3,153 rows with exit 0; a truncated one was accepted with 1,938 of 3,153 rows).
 * Such imports are refused, naming the file and the drop, and leave the store as it was; --replace accepts them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPath } from '../../src/ingest/index.ts';
import { ImportError } from '../../src/model/schema.ts';
import { Store } from '../../src/store/store.ts';
import { fixturePath, removeTempDirs, tempDir, writeTemp } from './malformed.ts';

afterAll(removeTempDirs);

const KINDS = [
  { kind: 'usgs-world', file: 'usgs-mcs-2025/world/MCS2025_World_Data.csv', name: 'MCS2025_World_Data.csv' },
  { kind: 'wgi', file: 'wb-wgi/wgi_2024_update_1996_2023.csv', name: 'wgi_2024_update_1996_2023.csv' },
];

describe.each(KINDS)('$kind: header-only and truncated files', ({ kind, file, name }) => {
  const text = readFileSync(fixturePath(file), 'utf8');
  const lines = text.split(/\r?\n/);

  it('refuses a header-only file and a file cut to a quarter, store unchanged; --replace accepts the cut file', async () => {
    const store = await Store.open(':memory:');
    try {
      await importPath(store, kind, fixturePath(file));
      const before = await store.counts();
      expect(before.observations + before.governance).toBeGreaterThan(20);

      const headerOnly = writeTemp(tempDir(), name, lines[0] + '\n');
      const e1 = await importPath(store, kind, headerOnly).catch((e) => e);
      expect(e1).toBeInstanceOf(ImportError);
      expect(e1.message).toContain(headerOnly);
      expect(e1.message).toMatch(/no data rows|would replace/);
      expect(await store.counts()).toEqual(before);

      const cut = writeTemp(tempDir(), name, lines.slice(0, Math.ceil(lines.length / 4)).join('\n') + '\n');
      const e2 = await importPath(store, kind, cut).catch((e) => e);
      expect(e2).toBeInstanceOf(ImportError);
      expect(e2.message).toMatch(/would replace the [\d,]+ rows of source .*a drop of \d+%.*--replace/);
      expect(await store.counts()).toEqual(before);

      const accepted = await importPath(store, kind, cut, { replace: true });
      expect(accepted.unchanged).toBe(false);
      const after = await store.counts();
      expect(after.observations + after.governance).toBeLessThan(before.observations + before.governance);
    } finally {
      store.close();
    }
  });
});

it('a first import of a header-only file is refused too (nothing to import)', async () => {
  const store = await Store.open(':memory:');
  try {
    const dir = tempDir();
    const header = readFileSync(fixturePath('wb-wgi/wgi_2024_update_1996_2023.csv'), 'utf8').split(/\r?\n/)[0];
    const e = await importPath(store, 'wgi', writeTemp(dir, 'w.csv', header + '\n')).catch((x) => x);
    expect(e).toBeInstanceOf(ImportError);
    expect((await store.counts()).governance).toBe(0);
    void join;
  } finally {
    store.close();
  }
});
