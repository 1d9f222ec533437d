/** Registry and alerts in the store: atomic validated imports, user overrides, v2 → v3 migration, alert first/last seen. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION, Store } from '../../src/store/store.ts';
import { importPath } from '../../src/ingest/index.ts';
import { loadDataset } from '../../src/store/load.ts';
import { addUserRecords } from '../../src/store/registry.ts';
import { evaluateAlerts } from '../../src/store/alerts.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { ImportError } from '../../src/model/schema.ts';

const SOURCE = `
sources:
  - { id: t-src, dataset: registry, editionYear: 2023, publisher: Test ministry, title: Test announcement, edition: "2023", table: null, licence: facts, url: null, file: null, caveat: null }`;
const MEASURE = (id: string, extra = '') => `
  - id: ${id}
    title: Export licensing of gallium
    countryId: CHN
    direction: export
    measureType: licence
    materials: [gallium]
    stages: [refining]
    hsCodes: ["811292"]
    targets: []
    announced: "2023-07-03"
    effective: "2023-08-01"
    suspended: null
    ended: null
    summary: null
    url: https://example.org/${id}
    sourceId: t-src${extra}`;

describe('registry in the store', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cp-reg-'));
    store = await Store.open(':memory:');
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('imports a registry file atomically and idempotently; a malformed file names line and field and changes nothing', async () => {
    const good = write('good.yaml', `version: 1${SOURCE}\nmeasures:${MEASURE('cn-ga')}\n`);
    const s = await importPath(store, 'registry', good);
    expect(s.registry).toBe(1);
    expect((await importPath(store, 'registry', good)).unchanged).toBe(true);
    const before = await store.counts();
    const bad = write(
      'bad.yaml',
      `version: 1${SOURCE}\nmeasures:${MEASURE('cn-ga')}${MEASURE('cn-ge').replace('effective: "2023-08-01"', 'effective: "2023-13-01"')}\n`,
    );
    const err = await importPath(store, 'registry', bad).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.message).toMatch(/bad\.yaml:\d+ \[measures\[1\] \(cn-ge\)\.effective\]: date as YYYY/);
    expect(err.line).toBe(31); // the effective: line of the second record
    const unknown = write('unknown.yaml', `version: 1${SOURCE}\nmeasures:${MEASURE('cn-ga').replace('[gallium]', '[galium]')}\n`);
    await expect(importPath(store, 'registry', unknown)).rejects.toThrow(/unknown material "galium"; did you mean gallium/);
    const party = write('party.yaml', `version: 1${SOURCE}\nmeasures:${MEASURE('cn-ga').replace('countryId: CHN', 'countryId: XXX')}\n`);
    await expect(importPath(store, 'registry', party)).rejects.toThrow(/\.countryId\]: unknown country or grouping "XXX"/);
    const cites = write('cites.yaml', `version: 1${SOURCE}\nmeasures:${MEASURE('cn-ga').replace('sourceId: t-src', 'sourceId: other')}\n`);
    await expect(importPath(store, 'registry', cites)).rejects.toThrow(/cites source "other" not listed/);
    const dup = write('dup.yaml', `version: 1${SOURCE}\nmeasures:${MEASURE('cn-ga')}${MEASURE('cn-ga')}\n`);
    await expect(importPath(store, 'registry', dup)).rejects.toThrow(/duplicate id "cn-ga"/);
    await expect(importPath(store, 'registry', write('junk.yaml', 'version: 1\nsources: [\n'))).rejects.toThrow(/not valid JSON\/YAML/);
    expect(await store.counts()).toEqual(before);
  });

  it('user records override imported records of the same id, and are removable; imported ones are not', async () => {
    await importPath(store, 'registry', write('good.yaml', `version: 1${SOURCE}\nmeasures:${MEASURE('cn-ga')}\n`));
    const r = await addUserRecords(
      store,
      { measures: [{ ...(await loadDataset(store)).registry!.measures[0], suspended: '2025-11-09', sourceId: undefined }] },
      'test',
    );
    expect(r.added).toEqual([{ kind: 'measure', id: 'cn-ga', overrides: true }]);
    let reg = (await loadDataset(store)).registry!;
    expect(reg.measures).toHaveLength(1);
    expect(reg.measures[0]).toMatchObject({ id: 'cn-ga', suspended: '2025-11-09', sourceId: 'user-registry' });
    // a bad user record is rejected with the field, and nothing is written
    const before = await store.counts();
    await expect(
      addUserRecords(
        store,
        {
          agreements: [
            { id: 'a1', title: 'x y z', type: 'friendly', parties: ['USA'], materials: [], signed: null, inForce: null, ended: null, summary: null, url: null },
          ],
        },
        'test',
      ),
    ).rejects.toThrow(/agreements\[0\] \(a1\)\.type/);
    await expect(addUserRecords(store, {}, 'test')).rejects.toThrow(/no records/);
    expect(await store.counts()).toEqual(before);
    expect(await store.removeRegistryRecord('measure', 'cn-ga', 'user-registry')).toBe(true);
    reg = (await loadDataset(store)).registry!;
    expect(reg.measures[0].sourceId).toBe('t-src');
    expect(await store.removeRegistryRecord('measure', 'cn-ga', 'user-registry')).toBe(false);
  });

  it('migrates a schema-version-2 store in place (adds registry and alert tables)', async () => {
    const file = join(dir, 'v2.duckdb');
    const v2 = await Store.open(file);
    for (const t of ['registry', 'alert_rules', 'alerts']) await v2.conn.run(`drop table ${t}`);
    await v2.setMeta('schema_version', '2');
    v2.close();
    const v3 = await Store.open(file);
    try {
      expect(await v3.meta('schema_version')).toBe(String(SCHEMA_VERSION));
      expect((await v3.counts()).registry).toBe(0);
    } finally {
      v3.close();
    }
  });

  it('records alerts once, keeps first-seen across evaluations, and marks them inactive when the condition clears', async () => {
    await importPath(store, 'registry', write('good.yaml', `version: 1${SOURCE}\nmeasures:${MEASURE('cn-ga')}\n`));
    await store.putAlertRule('ga-watch', {
      id: 'ga-watch',
      kind: 'new_measure',
      materials: ['gallium'],
      severity: 'critical',
      countries: [],
      direction: 'export',
    });
    await store.putAlertRule('broken', { id: 'broken', kind: 'nope' });
    const index = async () => new DatasetIndex(await loadDataset(store));
    const e1 = await evaluateAlerts(store, await index());
    expect(e1.fresh.map((a) => a.key)).toEqual(['ga-watch|cn-ga']);
    expect(e1.ruleErrors.map((r) => r.id)).toEqual(['broken']);
    const e2 = await evaluateAlerts(store, await index());
    expect(e2.fresh).toEqual([]);
    expect(e2.active[0].firstSeen).toBe(e1.active[0].firstSeen);
    await store.conn.run('delete from registry');
    const e3 = await evaluateAlerts(store, await index());
    expect(e3.active).toEqual([]);
    expect((await store.storedAlerts())[0].active).toBe(false);
  });
});
