/**
 * Browser test of the registry pages: the gallium, germanium, graphite and rare-earth timelines show China's export
 * controls with the API's dates and sources, a measure's "Stress test" button opens the stress builder with the
 * scenario the API builds and the result renders (one step), and the alert feed matches the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserSession, fetchJson, hasChromium, openBrowserSession, SHOTS, type TestServer } from './browser.ts';

const chromiumHere = hasChromium('registry browser tests');

describe.skipIf(!chromiumHere)('registry pages in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const api = (path: string) => fetchJson(server, path);

  beforeAll(async () => {
    ({ server, browser, page } = await openBrowserSession(errors));
  }, 180_000);
  afterAll(() => closeBrowserSession({ server, browser }));

  it("timelines of gallium, germanium, graphite and rare earths show China's controls with dates and sources", async () => {
    if (server.kind !== 'bundle') return; // the fixture has no registry
    for (const material of ['gallium', 'germanium', 'graphite', 'rare-earths']) {
      const { events } = await api(`api/timeline?material=${material}&country=CHN`);
      const china = events.filter((e: any) => e.recordKind === 'measure');
      expect(china.length, `${material}: China measures in the registry`).toBeGreaterThan(0);
      // every China export measure on the material has a stress test one call away
      const { measures } = await api(`api/registry/measures?material=${material}&country=CHN`);
      const exportsOnly = measures.filter((m: any) => m.direction === 'export' && m.countryId === 'CHN');
      expect(exportsOnly.length).toBeGreaterThan(0);
      for (const m of exportsOnly) {
        const sc = await api(`api/registry/measures/${m.id}/scenario?material=${material}`);
        expect(sc.scenario.shock.exclude, m.id).toEqual(['CHN']);
      }
      await page.goto(server.url + `#/timeline?material=${material}&country=CHN`);
      await page.waitForSelector('[data-testid=timeline-table] tbody tr');
      expect(await page.locator('[data-testid=timeline-table] tbody tr').count()).toBe(events.length);
      for (const e of china) {
        const row = page.locator(`[data-testid=timeline-table] tbody tr[data-record="${e.recordId}"][data-kind="${e.kind}"]`);
        expect(await row.locator('td[data-col=date]').innerText()).toBe(e.date);
      }
      expect(await page.locator('[data-testid=timeline-chart] svg').count()).toBe(1);
      expect(await page.locator('[data-testid=source-line]').first().innerText()).toContain(china[0].source.publisher);
      await page.screenshot({ path: SHOTS + `timeline-${material}.png`, fullPage: false });
    }
  }, 120_000);

  it('a measure starts its stress test in one step', async () => {
    if (server.kind !== 'bundle') return;
    const { measures } = await api('api/registry/measures?material=gallium&country=CHN');
    const m = measures.find((x: any) => x.direction === 'export');
    const sc = await api(`api/registry/measures/${m.id}/scenario?material=gallium`);
    await page.goto(server.url + '#/timeline?material=gallium');
    await page.waitForSelector(`[data-testid=measures-table] tr[data-measure="${m.id}"]`);
    await page.locator(`[data-testid=measures-table] tr[data-measure="${m.id}"] [data-testid="stress-${m.id}"]`).click();
    await page.waitForFunction(`location.hash.startsWith('#/stress') && location.hash.includes('exclude=CHN')`);
    expect(new URL(page.url()).hash).toBe(sc.stressUrl);
    await page.waitForSelector('[data-testid=stress-removed]');
    const q = new URLSearchParams(sc.stressUrl.split('?')[1]);
    const rep = await api(`api/stress?${q.toString()}`);
    const removed = rep.excluded.reduce((s: number, x: any) => s + x.share, 0);
    expect(await page.locator('[data-testid=stress-removed]').innerText()).toBe(`${(removed * 100).toFixed(1)}%`);
    await page.screenshot({ path: SHOTS + 'stress-from-measure.png', fullPage: false });
  }, 60_000);

  it('alert feed equals the API and rules can be added from the form', async () => {
    const before = await api('api/alerts');
    await page.goto(server.url + '#/alerts');
    await page.waitForSelector('[data-testid=rules-table]');
    if (before.alerts.length) expect(await page.locator('[data-testid=alerts-table] tbody tr').count()).toBe(before.alerts.length);
    if (server.kind !== 'bundle') return; // the fixture knowledge base is read-only
    await page.fill('#al-watch-m', 'gallium');
    await page.getByRole('button', { name: 'Add rule' }).first().click();
    await page.waitForSelector('[data-rule="watch-gallium"]');
    const after = await api('api/alerts');
    expect(after.alerts.some((a: any) => a.ruleId === 'watch-gallium')).toBe(true);
    await page.waitForSelector('[data-testid=alerts-table] tbody tr');
    expect(await page.locator('[data-testid=alerts-table] tbody tr').count()).toBe(after.alerts.length);
    await page.screenshot({ path: SHOTS + 'alerts.png', fullPage: false });
    expect(errors).toEqual([]);
  }, 60_000);
});
