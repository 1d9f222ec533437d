/**
 * All-or-nothing multi-file builds (`chokepoint data build`): the imports run on a copy of the store, which replaces
 * the store by one rename only when every import succeeded. A build that fails, or is killed at any point, leaves the
 * store wholly as it was (issue: 15 of 40 killed builds left a mix of old and new sources). A rename is atomic on POSIX
 * file systems; the copy sits beside the store, on the same file system.
 */
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { Store } from './store.ts';
import { StoreGate, StoreBusyError, storeFileFingerprint } from './gate.ts';

export const stagingPath = (storePath: string) => `${storePath}.staging`;

/**
 * Run `build` on a copy of the store at `storePath`; when it returns `commit: true`, the copy replaces the store.
 * The store must have been opened (created, bundle imported) before. Returns what `build` returned and whether the
 * store was replaced.
 */
export async function buildInStaging<T extends { commit: boolean }>(
  storePath: string,
  build: (staging: Store) => Promise<T>,
  opts: { lockWaitMs?: number } = {},
): Promise<T & { replaced: boolean }> {
  const staging = stagingPath(storePath);
  for (const p of [staging, `${staging}.wal`]) rmSync(p, { force: true }); // left by a killed build
  // Fold the write-ahead log into the file, so the copy is the whole store; the write lock keeps other writers out.
  const gate = new StoreGate(storePath, { lockWaitMs: opts.lockWaitMs ?? 3_000 });
  try {
    await gate.write((s) => s.conn.run('checkpoint'));
  } finally {
    gate.close();
  }
  const before = storeFileFingerprint(storePath);
  copyFileSync(storePath, staging);
  let result: T;
  const store = await Store.open(staging);
  try {
    result = await build(store);
  } catch (e) {
    store.close();
    rmSync(staging, { force: true });
    throw e;
  } finally {
    try {
      store.close();
    } catch {
      // closed above
    }
  }
  if (!result.commit) {
    rmSync(staging, { force: true });
    return { ...result, replaced: false };
  }
  if (storeFileFingerprint(storePath) !== before) {
    rmSync(staging, { force: true });
    throw new StoreBusyError(
      storePath,
      null,
      'write',
      `the store ${storePath} was changed by another process during the build; nothing was replaced: run the build again`,
    );
  }
  rmSync(`${storePath}.wal`, { force: true }); // checkpointed above: holds nothing
  renameSync(staging, storePath);
  return { ...result, replaced: true };
}
