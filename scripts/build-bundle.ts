/**
 * Builds the bundled dataset (src/data/bundle) from the public source files: runs every importer over
 * ../shared/data (or the folder given) and writes our normalized table, each row citing its primary source.
 *   npm run bundle:build [-- /path/to/shared/data]
 */
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentHash, discover, importerFor, validateBatch } from '../src/ingest/index.ts';
import { BUNDLE_DIR, writeBundle } from '../src/ingest/bundle.ts';
import type { ImportBatch } from '../src/model/schema.ts';

// Governance before this year is not needed by any method we ship (the EU uses recent WGI averages).
const GOVERNANCE_FROM_YEAR = 2010;

const root = resolve(process.argv[2] ?? fileURLToPath(new URL('../../shared/data', import.meta.url)));
// Customs extracts are not redistributable (UN Comtrade terms; the China exports tables carry no licence): users load
// them into their own store with `chokepoint data import comtrade|china-exports`, and the bundle never contains them.
const NOT_BUNDLED = new Set(['comtrade', 'china-exports', 'iea-policies', 'gta', 'apri']);
const discovered = discover(root);
const runs = discovered.runs.filter((r) => !NOT_BUNDLED.has(r.kind));
const skipped = [
  ...discovered.skipped,
  ...discovered.runs.filter((r) => NOT_BUNDLED.has(r.kind)).map((r) => `${relative(root, r.path)} (${r.kind}: licence does not allow bundling)`),
];
const batches: ImportBatch[] = [];
const inputs: { kind: string; path: string; sha256: string }[] = [];
const seenSources = new Set<string>();
for (const r of runs) {
  const t0 = performance.now();
  const batch = await importerFor(r.kind).run(r.path);
  validateBatch(batch);
  const dup = batch.sources.find((s) => seenSources.has(s.id));
  if (dup) throw new Error(`${r.path}: source id ${dup.id} already produced by another input`);
  batch.sources.forEach((s) => seenSources.add(s.id));
  if (batch.governance) batch.governance = batch.governance.filter((g) => g.year >= GOVERNANCE_FROM_YEAR);
  batches.push(batch);
  inputs.push({ kind: r.kind, path: relative(root, r.path), sha256: contentHash(r.path) });
  console.log(
    `${r.kind.padEnd(12)} ${String(batch.observations.length + (batch.governance?.length ?? 0) + (batch.groupings?.length ?? 0)).padStart(6)} rows ${(performance.now() - t0).toFixed(0).padStart(5)} ms  ${relative(root, r.path)}${batch.warnings.length ? ` (${batch.warnings.length} warnings)` : ''}`,
  );
}
const manifest = writeBundle(BUNDLE_DIR, batches, {
  description:
    'Chokepoint bundled dataset: our normalized table of figures built by scripts/build-bundle.ts from public sources (USGS MCS 2022-2025, IEA Critical Minerals Data Explorer 2025, EU CRM 2023 supply shares, World Bank WGI 2024 update from 2010, country groupings). Each row cites its primary source id; sources.json gives publisher, edition, table, licence and DOI/URL.',
  inputs,
});
console.log(`wrote ${BUNDLE_DIR}: ${JSON.stringify(manifest.counts)}${skipped.length ? `; no importer for: ${skipped.join(', ')}` : ''}`);
