/**
 * "Who imports it" on the material page, in a real browser (GET /api/importers): on the bundle, which holds no customs
 * data, the panel says what to load; after a BACI file is imported into the running server's store, every importer of
 * cobalt ore is listed with the API's figures, the stage switch asks for refined products, and an importer links to its
 * exposure page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserSession, fetchJson, hasChromium, openBrowserSession, SHOTS, type TestServer } from './browser.ts';
import { fixed, pct, quantity } from '../../web/src/format.ts';
import { importPath } from '../../src/ingest/index.ts';
import type { StoreApi } from '../../src/store/gate.ts';

const chromiumHere = hasChromium('importers browser tests');
const BACI = fileURLToPath(new URL('../fixtures/baci/BACI_HS17_Y2022_V202401-generated.csv', import.meta.url));

describe.skipIf(!chromiumHere)('who imports it, in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    ({ server, browser, page } = await openBrowserSession(errors));
  }, 180_000);
  afterAll(() => closeBrowserSession({ server, browser }));

  it('says what to load without customs data, then lists every importer with the API’s figures once BACI is imported', async () => {
    if (server.kind !== 'bundle') return;
    await page.goto(server.url + '#/material/cobalt');
    await page.waitForSelector('[data-testid=importers-empty]', { timeout: 60_000 });
    expect(await page.locator('[data-testid=importers-empty]').innerText()).toMatch(/chokepoint data import baci/);

    const kb = server.kb as { store: StoreApi; afterImport(): Promise<unknown> };
    await importPath(kb.store, 'baci', BACI);
    await kb.afterImport();
    await page.reload();
    await page.waitForSelector('[data-testid=importers-table] tbody tr', { timeout: 60_000 });
    const t = await fetchJson(server, 'api/importers?material=cobalt&stage=mining');
    const rows = page.locator('[data-testid=importers-table] tbody tr');
    expect(await rows.count()).toBe(t.rows.length);
    expect(t.rows.length).toBe(3);
    for (const [i, r] of t.rows.entries()) {
      const tr = rows.nth(i);
      expect(await tr.getAttribute('data-importer')).toBe(r.importerId);
      expect(await tr.locator('td').nth(1).innerText()).toBe(quantity(r.importsTonnes, 't'));
      expect(await tr.locator('td[data-col=supplier]').innerText()).toBe(pct(r.supplierShare));
      expect(await tr.locator('td[data-col=gpr]').innerText()).toBe(r.geoPolRisk === null ? 'gap' : fixed(r.geoPolRisk, 4));
    }
    expect(await page.locator('[data-testid=importers-panel] [data-testid=source-line]').innerText()).toMatch(/CEPII/);
    await page.waitForSelector('[data-testid=importers-chart] svg');
    await page.locator('[data-testid=importers-panel]').screenshot({ path: `${SHOTS}/material-importers.png` });

    // refined products: BACI's HS 282200/810520 rows, or the stated empty state; never a stale ore table
    await page.getByRole('button', { name: 'Processed (refining)' }).click();
    const refined = await fetchJson(server, 'api/importers?material=cobalt&stage=refining');
    if (refined.rows.length) {
      await page.waitForFunction(`document.querySelectorAll('[data-testid=importers-table] tbody tr').length === ${refined.rows.length}`);
      expect(await rows.first().getAttribute('data-importer')).toBe(refined.rows[0].importerId);
    } else await page.waitForSelector('[data-testid=importers-empty]');

    await page.getByRole('button', { name: 'Ores (mining)' }).click();
    await page.locator(`[data-testid=importers-table] tbody tr[data-importer=JPN] a`).click();
    await page.waitForFunction(`location.hash.startsWith('#/importer/JPN')`);
    expect(errors).toEqual([]);
  }, 240_000);
});
