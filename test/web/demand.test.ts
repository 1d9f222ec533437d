/**
 * Issue 14's stockpile question in a real browser on the bundled data: "If China stops exporting refined cobalt, how
 * many days does Japan's 60-day stockpile last, and how sure is Japan's use?" — two clicks from the overview, the
 * answer on screen equal to the API's (GET /api/demand/cover, GET /api/demand), proxies marked, nothing invented.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserSession, fetchJson, hasChromium, openBrowserSession, SHOTS, type TestServer } from './browser.ts';
import { int, pct, quantity } from '../../web/src/format.ts';

const chromiumHere = hasChromium('demand browser tests');

describe.skipIf(!chromiumHere)('demand and stockpile cover in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const api = (path: string) => fetchJson(server, path);

  beforeAll(async () => {
    ({ server, browser, page } = await openBrowserSession(errors));
  }, 180_000);
  afterAll(() => closeBrowserSession({ server, browser }));

  it('days of cover for five holders × six minerals, a cell’s detail and who consumes, equal to the API', async () => {
    if (server.kind !== 'bundle') return;
    const cover = await api('api/demand/cover?year=2035&stockpilePolicy=japan-60');
    expect(cover.rows).toHaveLength(30);
    const jpn = cover.rows.find((r: any) => r.holder === 'JPN' && r.materialId === 'cobalt');

    await page.goto(server.url + '#/');
    await page.waitForSelector('[data-testid=overview-table] tbody tr', { timeout: 60_000 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Demand' }).click();
    await page.waitForSelector('[data-testid=cover-grid] tbody tr', { timeout: 60_000 });
    expect(await page.locator('[data-testid=cover-grid] tbody tr').count()).toBe(5);
    // Every cell prints what the API says: days (or "nothing lost") and the holder's use (or "gap"), * when assumed.
    for (const r of cover.rows) {
      const text = await page.locator(`[data-testid=cover-${r.holder}-${r.materialId}]`).innerText();
      expect(text, `${r.holder} ${r.materialId}`).toContain(r.daysOfCover === null ? 'nothing lost' : `${int(r.daysOfCover)} d`);
      expect(text).toContain(r.holderConsumptionTonnes === null ? 'use: gap' : `${quantity(r.holderConsumptionTonnes, 't')}/yr`);
      expect(text.includes('*')).toBe(r.consumptionAssumed);
    }
    await page.locator('[data-testid=cover-JPN-cobalt]').click();
    await page.waitForFunction(`location.hash.includes('focus=JPN') && location.hash.includes('material=cobalt')`);
    const detail = page.locator('[data-testid=cover-detail]');
    await detail.waitFor();
    expect(await detail.locator('h2').innerText()).toContain(`${int(jpn.daysOfCover)} days of cover`);
    expect(await detail.locator('[data-testid=cover-consumption]').innerText()).toContain(quantity(jpn.holderConsumptionTonnes, 't'));
    expect(await detail.innerText()).toContain(jpn.consumptionSource);

    const use = await api('api/demand?year=2035&material=cobalt');
    const who = page.locator('[data-testid=who-consumes]');
    await who.locator('[data-testid=use-JPN]').waitFor({ timeout: 60_000 });
    const jpnUse = use.rows.find((r: any) => r.countryId === 'JPN');
    const tr = who.locator('[data-testid=use-JPN]');
    expect(await tr.locator('td').nth(0).innerText()).toBe(pct(jpnUse.share));
    expect(await tr.locator('td').nth(1).innerText()).toBe(quantity(jpnUse.tonnes, 't'));
    expect(await tr.innerText()).toContain(jpnUse.assumed ? 'partly assumed' : jpnUse.method);
    // the figure's notes (a share carried forward, why customs were not used …) are shown with its source
    expect(await tr.locator('[data-testid=use-note]').allInnerTexts()).toEqual(jpnUse.notes);
    await page.screenshot({ path: SHOTS + 'demand-cover.png', fullPage: true });

    // Another mineral from the panel's own selector: the URL follows, the table equals the API's nickel rows.
    await page.selectOption('[data-testid=who-material]', 'nickel');
    await page.waitForFunction(`location.hash.includes('material=nickel')`);
    const ni = await api('api/demand?year=2035&material=nickel');
    const kor = ni.rows.find((r: any) => r.countryId === 'KOR');
    await page.waitForFunction(`document.querySelector('[data-testid=who-consumes] h2')?.textContent?.includes('nickel')`);
    const korRow = page.locator('[data-testid=who-consumes] [data-testid=use-KOR]');
    await korRow.waitFor({ timeout: 60_000 });
    expect(await korRow.locator('td').nth(1).innerText()).toBe(quantity(kor.tonnes, 't'));
    expect(errors).toEqual([]);
  }, 180_000);
});
