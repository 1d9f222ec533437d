/**
 * Concurrent writers through the API (issue: overlapping transactions on one shared DuckDB connection rolled back each
 * other's work and answered 500 while saving). Through the StoreGate every write runs alone: every 2xx is in the
 * store, and there are no 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { StoreGate } from '../../src/store/gate.ts';
import { loadDataset } from '../../src/store/load.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { evaluateAlerts } from '../../src/store/alerts.ts';
import type { KnowledgeBase } from '../../src/store/knowledge-base.ts';
import { GROUPINGS, OBSERVATIONS, SOURCES } from './fixture.ts';

describe('20 concurrent mixed writes', () => {
  let store: StoreGate;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    store = new StoreGate(':memory:');
    await store.applyBatch({ kind: 'fixture', file: 'fixture', sources: SOURCES, observations: OBSERVATIONS, groupings: GROUPINGS, warnings: [] }, 'h1');
    const kb = { store, index: new DatasetIndex(await loadDataset(store)) } as unknown as KnowledgeBase;
    kb.reload = async () => void (kb.index = new DatasetIndex(await loadDataset(store)));
    kb.afterImport = async () => (await kb.reload(), evaluateAlerts(store, kb.index));
    app = createApp(kb);
  });
  afterAll(() => store.close());

  const measure = (i: number) => ({
    id: `conc-measure-${i}`,
    title: `Concurrent test measure ${i}`,
    countryId: 'COD',
    direction: 'export',
    measureType: 'licence',
    materials: ['cobalt'],
    stages: ['mining'],
    hsCodes: [],
    targets: [],
    announced: '2025-01-01',
    effective: '2025-02-01',
    suspended: null,
    ended: null,
    summary: null,
    url: `https://example.org/m${i}`,
  });
  const post = async (path: string, body: unknown): Promise<Response> =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('every 2xx is stored, no 5xx', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      i % 3 === 0
        ? post('/api/alerts/rules', { id: `conc-rule-${i}`, kind: 'new_measure', materials: ['cobalt'] }).then((r) => ({
            kind: 'rule',
            id: `conc-rule-${i}`,
            status: r.status,
          }))
        : i % 5 === 1
          ? post('/api/alerts/evaluate', {}).then((r) => ({ kind: 'evaluate', id: '', status: r.status }))
          : post('/api/registry', { measures: [measure(i)] }).then((r) => ({ kind: 'measure', id: `conc-measure-${i}`, status: r.status })),
    );
    const results = await Promise.all(writes);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    const rules = new Set((await store.alertRules()).map((r) => r.id));
    const records = new Set((await store.registryRecords('measure')).map((r) => r.id));
    for (const r of results) {
      if (r.kind === 'rule') expect(rules.has(r.id), r.id).toBe(true);
      if (r.kind === 'measure') expect(records.has(r.id), r.id).toBe(true);
    }
    // the index the API answers from holds every stored measure
    const listed = await (await app.request('/api/registry/measures')).json();
    for (const r of results.filter((x) => x.kind === 'measure')) expect(JSON.stringify(listed)).toContain(r.id);
  });
});
