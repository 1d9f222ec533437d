/**
 * A write the disk refuses. DuckDB writes a commit to the store's write-ahead log (<store>.wal) first; making that file
 * a link to /dev/full (every write: ENOSPC, "No space left on device") gives a real full-disk failure on commit without
 * root or a small filesystem. DuckDB aborts the transaction itself when the commit fails, so the old code's `rollback`
 * threw "cannot rollback - no transaction is active" and hid the cause. Checked here: the user gets the disk-full
 * message (store, gate, API), DuckDB's error is kept as `cause`, and the store holds what it held before.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, StoreWriteError } from '../../src/store/store.ts';
import { StoreGate } from '../../src/store/gate.ts';
import { loadDataset } from '../../src/store/load.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { createApp } from '../../src/api/app.ts';
import type { KnowledgeBase } from '../../src/store/knowledge-base.ts';
import { GROUPINGS, OBSERVATIONS, SOURCES } from '../api/fixture.ts';

const DEV_FULL = '/dev/full'; // Linux: a device whose every write fails with ENOSPC
const haveDevFull = existsSync(DEV_FULL);
if (!haveDevFull) console.warn(`SKIPPING full-disk store tests: no ${DEV_FULL} on this system (Linux has it)`);

const batch = (sources = SOURCES, observations = OBSERVATIONS) => ({
  kind: 'fixture',
  file: 'fixture',
  sources,
  observations,
  groupings: GROUPINGS,
  warnings: [],
});

describe.skipIf(!haveDevFull)('a full disk: the real error, a clear message, the store unchanged', () => {
  let dir: string;
  let db: string;
  let before: Record<string, number>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-full-'));
    db = join(dir, 'store.duckdb');
    const s = await Store.open(db);
    await s.applyBatch(batch(), 'h1');
    await s.putAlertRule('r1', { id: 'r1', kind: 'new_measure', materials: ['cobalt'] });
    before = await s.counts();
    s.close(); // checkpoints: the store file holds everything, no .wal is left
    expect(existsSync(`${db}.wal`)).toBe(false);
    symlinkSync(DEV_FULL, `${db}.wal`); // from now on every commit hits a full disk
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const countsNow = async () => {
    rmSync(`${db}.wal`); // the disk has room again
    const s = await Store.open(db, { readOnly: true });
    try {
      return await s.counts();
    } finally {
      s.close();
    }
  };

  it('applyBatch: disk-full message naming the folder, DuckDB error as cause, no "no transaction is active"', async () => {
    const s = await Store.open(db);
    const other = SOURCES.map((x) => ({ ...x, id: `${x.id}-b` }));
    const err = await s
      .applyBatch(
        batch(
          other,
          OBSERVATIONS.map((o) => ({ ...o, sourceId: `${o.sourceId}-b` })),
        ),
        'h2',
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    s.close();
    expect(err).toBeInstanceOf(StoreWriteError);
    const w = err as StoreWriteError;
    expect(w.reason).toBe('disk_full');
    expect(w.message).toContain(`the disk holding ${dir} is full: nothing was written; free space and retry`);
    expect(w.message).not.toMatch(/no transaction is active/);
    expect(String((w.cause as Error).message)).toMatch(/No space left on device/);
    expect(await countsNow()).toEqual(before);
  });

  it('recordAlerts and upsertUserRecords (transactions) and putAlertRule (one statement) through the gate: same message, nothing written', async () => {
    const gate = new StoreGate(db);
    const tries = [
      () => gate.recordAlerts(['r1'], [{ key: 'k1', ruleId: 'r1', alert: { title: 'x' } }]),
      () => gate.upsertUserRecords([['measure', { id: 'm1', sourceId: 'user-registry' }]], { ...SOURCES[0], id: 'user-registry' }),
      () => gate.putAlertRule('r2', { id: 'r2' }),
    ];
    for (const t of tries) {
      const err = await t().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StoreWriteError);
      expect((err as Error).message).toMatch(/is full: nothing was written; free space and retry/);
    }
    // The gate still reads after the failures (it reopened the file).
    expect((await gate.counts()).observations).toBe(before.observations);
    gate.close();
    expect(await countsNow()).toEqual(before);
  });

  it('the API answers 503 with the disk-full message, not "internal error"', async () => {
    const gate = new StoreGate(db);
    const kb = { store: gate, index: new DatasetIndex(await loadDataset(gate)) } as unknown as KnowledgeBase;
    kb.reload = async () => void (kb.index = new DatasetIndex(await loadDataset(gate)));
    kb.afterImport = async () => {
      throw new Error('not reached: the write fails first');
    };
    const app = createApp(kb);
    const r = await app.request('/api/alerts/rules', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'r3', kind: 'new_measure', materials: ['cobalt'] }),
    });
    expect(r.status).toBe(503);
    const body = (await r.json()) as { error: string; field: string };
    expect(body.field).toBe('store');
    expect(body.error).toContain(`the disk holding ${dir} is full`);
    expect((await app.request('/api/sources')).status).toBe(200); // reads still answer
    gate.close();
    expect(await countsNow()).toEqual(before);
  });
});

describe('a statement failing inside a transaction', () => {
  it('surfaces its own error (rollback cannot mask it) and leaves the store unchanged', async () => {
    const s = await Store.open(':memory:');
    await s.applyBatch(batch(), 'h1');
    const before = await s.counts();
    // Two sources with one id: the primary key fails mid-transaction, after the deletes ran.
    const err = await s.applyBatch(batch([SOURCES[0], SOURCES[0]]), 'h2').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/constraint|duplicate key/i);
    expect((err as Error).message).not.toMatch(/no transaction is active/);
    expect(err).not.toBeInstanceOf(StoreWriteError); // not a disk problem: the error as DuckDB gave it
    expect(await s.counts()).toEqual(before);
    s.close();
  });
});
