/**
 * The bundled dataset (src/data/bundle) is what the importers read from the public source files today, so the
 * acceptance checks that `npm test` runs on the bundle (published IEA, USGS and EU figures) hold on the sources too.
 * Fails when a source file or an importer changed without `npm run bundle:build`.
 */
import { describe, expect, it } from 'vitest';
import { importBundle, ManifestSchema, BUNDLE_DIR } from '../../src/ingest/bundle.ts';
import { contentHash, importerFor } from '../../src/ingest/index.ts';
import type { ImportBatch } from '../../src/model/schema.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData } from './shared-data.ts';

// scripts/build-bundle.ts keeps governance from this year on
const GOVERNANCE_FROM_YEAR = 2010;

const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(BUNDLE_DIR, 'manifest.json'), 'utf8')));
const rowKey = (o: object) => JSON.stringify(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
const keys = (rows: object[]) => rows.map(rowKey).sort();

describe('bundled dataset vs the public source files', () => {
  it.each(manifest.inputs.map((i) => [i.kind, i.path, i.sha256]))('%s %s: same bytes as when the bundle was built', (_kind, path, sha256) => {
    expect(contentHash(sharedData(path))).toBe(sha256);
  });

  it("re-importing every input gives the bundle's sources, observations, governance, groupings and prices", async () => {
    const bundle = await importBundle();
    const batches: ImportBatch[] = [];
    for (const i of manifest.inputs) batches.push(await importerFor(i.kind).run(sharedData(i.path)));
    const sources = batches.flatMap((b) => b.sources);
    expect(keys(bundle.sources)).toEqual(keys(sources));
    const observations = batches.flatMap((b) => b.observations);
    expect(bundle.observations.length).toBe(observations.length);
    expect(keys(bundle.observations)).toEqual(keys(observations));
    expect(keys(bundle.governance ?? [])).toEqual(keys(batches.flatMap((b) => b.governance ?? []).filter((g) => g.year >= GOVERNANCE_FROM_YEAR)));
    expect(keys(bundle.groupings ?? [])).toEqual(keys(batches.flatMap((b) => b.groupings ?? [])));
    expect(keys(bundle.prices ?? [])).toEqual(keys(batches.flatMap((b) => b.prices ?? [])));
  });
});
