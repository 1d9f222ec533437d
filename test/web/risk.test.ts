/**
 * Browser test of the risk page: a basket run shows the API's distributions (table, basket line, charts, likelihoods),
 * and a policy filled in the form shows the comparison the API computes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserSession, fetchJson, hasChromium, openBrowserSession, SHOTS, type TestServer } from './browser.ts';
import { pct } from '../../web/src/format.ts';

const chromiumHere = hasChromium('risk browser tests');

describe.skipIf(!chromiumHere)('risk page in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    ({ server, browser, page } = await openBrowserSession(errors));
  }, 180_000);
  afterAll(() => closeBrowserSession({ server, browser }));

  it('a basket run shows the distributions the API computes, and a policy comparison', async () => {
    if (server.kind !== 'bundle') return; // the fixture has no battery materials with a registry
    const q = 'basket=magnet&year=2024&samples=3000&seed=2&correlation=0.5&stockpileDays=0&use=central';
    const r = await fetchJson(server, `api/risk?${q}`);
    await page.goto(server.url + `#/risk?${q}&policyStockpileDays=90`);
    await page.waitForSelector('[data-testid=risk-table] tbody tr');
    const rows = page.locator('[data-testid=risk-table] tbody tr');
    expect(await rows.count()).toBe(r.materials.length);
    expect(await rows.first().locator('td').first().innerText()).toBe(pct(r.materials[0].shortfallTonnes.probabilityPositive));
    expect(await page.locator('[data-testid=risk-basket]').innerText()).toContain(pct(r.basket.shortfallShare.probabilityPositive));
    expect(await page.locator('[data-testid=risk-shortfall-chart] svg').count()).toBe(1);
    expect(await page.locator('[data-testid=risk-price-chart] svg').count()).toBe(1);
    expect(await page.locator('[data-testid=risk-likelihood-table] tbody tr').count()).toBeGreaterThan(0);
    await page.waitForSelector('[data-testid=risk-compare-table] tbody tr');
    expect(await page.locator('[data-testid=risk-compare-table] thead').innerText()).toContain('policy');
    await page.screenshot({ path: SHOTS + 'risk-magnet.png', fullPage: true });
    expect(errors).toEqual([]);
  }, 180_000);
});
