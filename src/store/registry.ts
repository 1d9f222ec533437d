/**
 * User edits of the minerals-diplomacy registry (CLI `chokepoint registry add|remove`, API POST/DELETE /api/registry).
 * User records live under the source `user-registry`; a user record with the id of an imported record overrides it
 * (src/store/load.ts). Imported records are never edited in place: re-import their file to change them.
 */
import { ImportError, type Source } from '../model/schema.ts';
import { registryFromObject } from '../ingest/registry.ts';
import type { RegistryKind } from './store.ts';
import type { StoreApi as Store } from './gate.ts';
import { USER_REGISTRY_SOURCE_ID } from './load.ts';

export const USER_REGISTRY_SOURCE: Source = {
  id: USER_REGISTRY_SOURCE_ID,
  dataset: 'registry',
  editionYear: new Date().getUTCFullYear(),
  publisher: 'entered by the user of this store',
  title: 'User-entered registry records',
  edition: 'local',
  table: null,
  licence: "the user's own",
  url: null,
  file: null,
  caveat: 'Entered locally; each record gives its primary source in its url and summary.',
};

export const KIND_SECTIONS: Record<RegistryKind, 'agreements' | 'measures' | 'projects'> = {
  agreement: 'agreements',
  measure: 'measures',
  project: 'projects',
};

export interface UserRecordsResult {
  added: Array<{ kind: RegistryKind; id: string; overrides: boolean }>;
  warnings: string[];
}

/**
 * Validate user records exactly like an imported registry file (same schemas, material, party and date checks) and
 * write them; `sourceId` may be omitted (it is set to `user-registry`). All or nothing: one bad record rejects the lot.
 */
export async function addUserRecords(
  store: Store,
  doc: { agreements?: unknown[]; measures?: unknown[]; projects?: unknown[] },
  file: string,
  lineOf?: (path: Array<string | number>) => number | null,
): Promise<UserRecordsResult> {
  const withSource = (xs: unknown[] | undefined) =>
    (xs ?? []).map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? { ...x, sourceId: USER_REGISTRY_SOURCE_ID } : x));
  const total = (doc.agreements?.length ?? 0) + (doc.measures?.length ?? 0) + (doc.projects?.length ?? 0);
  if (!total) throw new ImportError(file, null, null, 'no records: give agreements, measures or projects');
  const batch = registryFromObject(
    {
      version: 1,
      sources: [USER_REGISTRY_SOURCE],
      agreements: withSource(doc.agreements),
      measures: withSource(doc.measures),
      projects: withSource(doc.projects),
    },
    file,
    lineOf,
  );
  const existing = await store.registryRecords();
  const imported = new Set(existing.filter((r) => r.sourceId !== USER_REGISTRY_SOURCE_ID).map((r) => `${r.kind}|${r.id}`));
  const added: UserRecordsResult['added'] = [];
  const rows: Array<[RegistryKind, { id: string; sourceId: string }]> = [
    ...(batch.agreements ?? []).map((r) => ['agreement', r] as [RegistryKind, typeof r]),
    ...(batch.measures ?? []).map((r) => ['measure', r] as [RegistryKind, typeof r]),
    ...(batch.projects ?? []).map((r) => ['project', r] as [RegistryKind, typeof r]),
  ];
  await store.upsertUserRecords(rows, USER_REGISTRY_SOURCE);
  for (const [kind, r] of rows) added.push({ kind, id: r.id, overrides: imported.has(`${kind}|${r.id}`) });
  const noUrl = rows.filter(([, r]) => (r as { url?: string | null }).url == null).map(([, r]) => r.id);
  const warnings = [...batch.warnings];
  if (noUrl.length) warnings.push(`no url given for ${noUrl.join(', ')}: cite the primary source so others can check the record`);
  return { added, warnings };
}
