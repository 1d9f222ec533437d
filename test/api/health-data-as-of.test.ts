/**
 * "Data as of" (GET /api/health → dataAsOf): the newest edition of each dataset with observations, the latest historical
 * year, and when the store last recorded an import — from the bundle loaded into a fresh store (so: today), and null
 * for the fixture, which has no store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { testKnowledgeBase } from '../web/server.ts';
import { fixtureKb } from './fixture.ts';

type AsOf = {
  newestEditions: Array<{ dataset: string; sourceId: string; editionYear: number }>;
  latestDataYear: number | null;
  lastImportedAt: string | null;
};

describe('GET /api/health dataAsOf', () => {
  let kb: Awaited<ReturnType<typeof testKnowledgeBase>>;
  const started = Date.now();
  beforeAll(async () => {
    kb = await testKnowledgeBase();
  }, 180_000);
  afterAll(() => kb?.close());

  it('names the newest edition per dataset, the latest historical year and the import time', async () => {
    const res = await createApp(kb.kb).request('/api/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; observations: number; dataAsOf: AsOf };
    expect(body.ok).toBe(true); // the fields that were there stay
    const a = body.dataAsOf;
    const obs = kb.kb.index.data.observations;
    const used = new Set(obs.map((o) => o.sourceId));
    const datasets = new Set([...used].map((id) => kb.kb.index.data.sources.get(id)!.dataset));
    expect(a.newestEditions.map((e) => e.dataset).sort()).toEqual([...datasets].sort());
    for (const e of a.newestEditions) {
      const editions = [...used].map((id) => kb.kb.index.data.sources.get(id)!).filter((s) => s.dataset === e.dataset);
      expect(e.editionYear, e.dataset).toBe(Math.max(...editions.map((s) => s.editionYear)));
    }
    expect(a.newestEditions.map((e) => e.editionYear)).toEqual([...a.newestEditions.map((e) => e.editionYear)].sort((x, y) => y - x));
    const hist = obs.filter((o) => o.scenario === null && o.value !== null).map((o) => o.year);
    expect(a.latestDataYear).toBe(hist.reduce((x, y) => Math.max(x, y), -Infinity));
    if (kb.kind === 'bundle') {
      expect(a.lastImportedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // Imported into a fresh store by this test: within its run (a minute of slack for the clocks).
      expect(Date.parse(a.lastImportedAt!)).toBeGreaterThan(started - 60_000);
      expect(Date.parse(a.lastImportedAt!)).toBeLessThan(Date.now() + 60_000);
    }
  }, 60_000);

  it('no store import log (the fixture): lastImportedAt is null, said as such', async () => {
    const res = await createApp(fixtureKb()).request('/api/health');
    const body = (await res.json()) as { dataAsOf: AsOf };
    expect(body.dataAsOf.lastImportedAt).toBeNull();
    expect(body.dataAsOf.newestEditions.length).toBeGreaterThan(0);
  });
});
