/**
 * Issue 17's importer question in a real browser on the bundled data: "How exposed is Germany / the EU to a Chinese
 * gallium export ban, and who else loses?" — from the overview, within three clicks, the answer on screen equal to the
 * API's (GET /api/importer/{id}, GET /api/stress). The bundle has no customs data, so the page must state that gap and
 * label its supplier mix as a proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserSession, fetchJson, hasChromium, openBrowserSession, SHOTS, type TestServer } from './browser.ts';
import { pct, quantity } from '../../web/src/format.ts';

const chromiumHere = hasChromium('importer browser tests');

describe.skipIf(!chromiumHere)('importer exposure in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const api = (path: string) => fetchJson(server, path);

  beforeAll(async () => {
    ({ server, browser, page } = await openBrowserSession(errors));
  }, 180_000);
  afterAll(() => closeBrowserSession({ server, browser }));

  it('"How exposed is Germany / the EU to a Chinese gallium export ban, and who else loses?" — three clicks from the overview', async () => {
    if (server.kind !== 'bundle') return;
    const eu = await api('api/importer/EU27');
    const row = eu.rows.find((r: any) => r.materialId === 'gallium' && r.stage === 'refining');
    expect(row.imports.suppliers[0].countryId).toBe('CHN');
    expect(row.stress.exclude).toEqual(['CHN']);

    await page.goto(server.url + '#/');
    await page.waitForSelector('[data-testid=overview-table] tbody tr', { timeout: 60_000 });
    let clicks = 0;
    clicks++;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Importers' }).click();
    await page.waitForSelector('[data-testid=importer-picker]');
    clicks++; // choosing the bloc in the selector
    await page.selectOption('[data-testid=importer-picker]', 'EU27');
    await page.waitForFunction(`location.hash.startsWith('#/importer/EU27')`);
    const tr = page.locator('[data-testid=row-gallium-refining]');
    await tr.waitFor({ timeout: 60_000 });

    // How exposed: the row equals the API's, and the proxy and the gap are said, not hidden
    expect(await tr.locator('[data-testid=top-supplier]').innerText()).toBe(row.imports.suppliers[0].country);
    expect(await tr.locator('[data-testid=top-share]').innerText()).toBe(pct(row.imports.suppliers[0].share));
    expect(await tr.locator('[data-testid=basis]').innerText()).toBe(
      row.imports.basis === 'proxy'
        ? 'PROXY: world output'
        : row.imports.basis === 'mirror'
          ? `mirror (exporters): ${row.imports.reporters.join(', ')} only`
          : 'customs',
    );
    expect(await tr.locator('[data-testid=dependence]').innerText()).toBe(row.dependence ? pct(row.dependence.ratio) : 'gap');
    const measures = await tr.locator('[data-testid=measures-count]').innerText();
    expect(row.measures.length).toBeGreaterThan(0);
    const counted = measures.split(', ').reduce((a, x) => a + Number(x.split(' ')[0]), 0);
    expect(counted).toBe(row.measures.length);
    expect(await tr.locator('[data-testid=own-use]').innerText()).toBe(row.consumption ? quantity(row.consumption.tonnes, 't') : 'gap');
    if (!eu.customsLoaded) expect(await page.locator('[data-testid=importer-gaps]').innerText()).toContain(eu.gaps[eu.gaps.length - 1]);
    await page.screenshot({ path: SHOTS + 'importer-eu27.png', fullPage: false });

    // Who else loses: the stress test the row offers (China stopped), its result equal to the API's
    clicks++;
    await tr.locator('[data-testid=stress-button]').click();
    await page.waitForFunction(`location.hash.startsWith('#/stress') && location.hash.includes('exclude=CHN') && location.hash.includes('material=gallium')`);
    await page.waitForSelector('[data-testid=stress-removed]', { timeout: 60_000 });
    const hash = (await page.evaluate('location.hash')) as string;
    const rep = await api(`api/stress?${hash.split('?')[1]}`);
    expect(await page.locator('[data-testid=stress-removed]').innerText()).toBe(pct(rep.excluded.reduce((s: number, x: any) => s + x.share, 0)));
    if (rep.importerExposure.length) {
      const first = page.locator('[data-testid=importer-table] tbody tr').first();
      expect(await first.locator('th').innerText()).toBe(rep.importerExposure[0].importers[0].country);
    } else {
      // customs data is not bundled: which importers lose China's exports is a stated gap, never a guess
      expect(rep.gaps.join(' ')).toMatch(/No exports-by-destination data for CHN/);
      expect(await page.getByText(/No exports-by-destination data for CHN/).count()).toBeGreaterThan(0);
    }
    expect(clicks).toBeLessThanOrEqual(3);
    await page.screenshot({ path: SHOTS + 'importer-eu27-stress.png', fullPage: false });
  }, 240_000);

  it('Germany: linked from its country page and the global search; the detail panel equals the API', async () => {
    if (server.kind !== 'bundle') return;
    const de = await api('api/importer/DEU?material=gallium');
    const row = de.rows.find((r: any) => r.stage === 'refining');
    await page.goto(server.url + '#/country/DEU');
    await page.waitForSelector('[data-testid=importer-link]', { timeout: 60_000 });
    await page.locator('[data-testid=importer-link]').click();
    await page.waitForFunction(`location.hash === '#/importer/DEU'`);
    await page.locator('#global-q').fill('Germany');
    await page.waitForSelector('[data-testid=search-suggest] li');
    expect(await page.locator('[data-testid=search-suggest] a', { hasText: /importer\s+Germany: importer exposure/ }).count()).toBe(1);
    await page.goto(server.url + '#/importer/DEU?material=gallium');
    await page.waitForSelector('[data-testid=importer-detail] [data-testid=supplier-chart] svg', { timeout: 60_000 });
    expect(await page.locator('h1').innerText()).toContain('(DEU) as an importer');
    expect(await page.locator('[data-testid=row-gallium-refining] [data-testid=top-share]').innerText()).toBe(pct(row.imports.suppliers[0].share));
    if (row.customsGap) expect(await page.locator('[data-testid=detail-gap]').innerText()).toBe(`Gap: ${row.customsGap}.`);
    expect(await page.locator('[data-testid=detail-stress]').getAttribute('href')).toContain('exclude=CHN');
    expect(await page.locator('[data-testid=importer-detail] [data-testid=source-line]').first().innerText()).toContain(row.imports.source.text);
    const box = page.locator('.chart-box', { has: page.locator('[data-testid=supplier-chart]') });
    expect(await box.getByRole('button', { name: /as SVG$/ }).count()).toBe(1);
    expect(errors).toEqual([]);
  }, 240_000);
});
