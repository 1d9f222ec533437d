/**
 * Browser tests: playwright-core drives Debian's chromium (/usr/bin/chromium) against the real server (API + built
 * dashboard). They load the overview, open a material, run a stress test, assert that the numbers on screen equal
 * the API's, check that every figure has a source line, and save screenshots to test-results/.
 * Skipped (with a message) only when chromium is not installed; `.ci/run` installs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { int, pct } from '../../web/src/format.ts';
import { closeBrowserSession, fetchJson, hasChromium, openBrowserSession, SHOTS, type TestServer } from './browser.ts';

const chromiumHere = hasChromium('browser tests');

describe.skipIf(!chromiumHere)('dashboard in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const api = (path: string) => fetchJson(server, path);

  beforeAll(async () => {
    ({ server, browser, page } = await openBrowserSession(errors, () => true));
    console.log(`browser tests against the ${server.kind} knowledge base at ${server.url}`);
  }, 180_000);
  afterAll(() => closeBrowserSession({ server, browser }));

  it("every page runs under the server's Content-Security-Policy (no eval, no inline script, no violation)", async () => {
    const strict = await browser.newPage({ viewport: { width: 1400, height: 900 } }); // no bypassCSP
    const violations: string[] = [];
    strict.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && violations.push(m.text()));
    strict.on('pageerror', (e) => violations.push(e.message));
    try {
      const csp = (await strict.goto(server.url))?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("script-src 'self'");
      for (const [route, selector] of [
        ['#/', '[data-testid=overview-table] tbody tr'],
        ['#/material/cobalt', 'h1'],
        ['#/criticality', '[data-testid=crit-table] tbody tr'],
        ['#/stress?material=cobalt&stage=refining', 'form'],
        ['#/coalitions', 'h1'],
        ['#/timeline', 'h1'],
        ['#/alerts', 'h1'],
      ] as const) {
        await strict.goto(server.url + route);
        await strict.waitForSelector(selector, { timeout: 60_000 });
      }
      await strict.waitForTimeout(500); // late chart renders
      expect(violations).toEqual([]);
    } finally {
      await strict.close();
    }
  }, 180_000);

  it('overview: every material with its concentration figures equal to the API, sortable by keyboard', async () => {
    const ov = await api('api/overview');
    await page.goto(server.url + '#/');
    await page.waitForSelector('[data-testid=overview-table] tbody tr');
    const rows = page.locator('[data-testid=overview-table] tbody tr');
    expect(await rows.count()).toBe(ov.rows.length);
    if (server.kind === 'bundle') expect(ov.rows.length).toBeGreaterThanOrEqual(40);
    // Compare a spread of materials cell by cell.
    const sample = ov.rows.filter((_: unknown, i: number) => i % Math.max(1, Math.floor(ov.rows.length / 8)) === 0);
    for (const r of sample) {
      const row = page.locator(`[data-testid=overview-table] tbody tr[data-row="${r.materialId}"]`);
      const cell = (k: string) => row.locator(`td[data-col="${k}"]`).innerText();
      expect(await row.locator('th').innerText()).toBe(r.material);
      for (const p of ['mining', 'refining']) {
        expect(await cell(`${p}Hhi`), `${r.materialId} ${p} HHI`).toBe(r[`${p}Hhi`] === null ? '—' : int(r[`${p}Hhi`]));
        expect(await cell(`${p}Top3`), `${r.materialId} ${p} top-3`).toBe(pct(r[`${p}Top3`]));
        expect(await cell(`${p}China`), `${r.materialId} ${p} China`).toBe(pct(r[`${p}China`]));
        if (r[`${p}Largest`]) expect(await cell(`${p}Largest`)).toBe(`${r[`${p}Largest`]} ${pct(r[`${p}LargestShare`])}`);
      }
    }
    // Sources listed and linked.
    const srcItems = page.locator('#sources li');
    expect(await srcItems.count()).toBe(ov.sources.length);
    expect(await page.locator('#sources li a').first().getAttribute('href')).toBe(ov.sources[0].url);
    await page.screenshot({ path: SHOTS + 'overview.png', fullPage: false });

    // Sort by mining HHI with the keyboard: focus the header button, press Enter -> descending, highest first.
    await page.locator('button[data-sort-key="miningHhi"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(`location.hash.includes('sort=miningHhi')`);
    const max = ov.rows.filter((r: any) => r.miningHhi !== null).sort((a: any, b: any) => b.miningHhi - a.miningHhi)[0];
    expect(await rows.first().getAttribute('data-row')).toBe(max.materialId);
    expect(await page.locator('th[aria-sort="descending"] button[data-sort-key="miningHhi"]').count()).toBe(1);
    await page.screenshot({ path: SHOTS + 'overview-sorted.png' });
  });

  it('material page: key figures, shares table, map, charts and Sankey, each with a source line', async () => {
    await page.goto(server.url + '#/');
    await page.waitForSelector('[data-testid=overview-table] tbody tr');
    await page.locator('[data-testid=overview-table] tbody tr[data-row="cobalt"] th a').click();
    await page.waitForSelector('[data-testid=kpi-mining-hhi]');
    expect(new URL(page.url()).hash).toBe('#/material/cobalt');
    const mining = await api('api/concentration?material=cobalt&stage=mining');
    expect(await page.locator('[data-testid=kpi-mining-hhi]').innerText()).toBe(int(mining.hhiPoints));
    expect(await page.locator('[data-testid=kpi-mining-top3]').innerText()).toBe(pct(mining.top3Share));
    expect(await page.locator('[data-testid=kpi-mining-china]').innerText()).toBe(pct(mining.chinaShare));
    // The shares table equals the API's shares, country by country.
    const shareRows = page.locator('[data-testid=shares-table] tbody tr[data-country]');
    expect(await shareRows.count()).toBe(mining.shares.length);
    for (const [i, s] of mining.shares.entries()) {
      expect(await shareRows.nth(i).getAttribute('data-country')).toBe(s.countryId);
      expect(await shareRows.nth(i).locator('td[data-col=share]').innerText()).toBe(pct(s.share));
    }
    // Map: every named producer that exists on the 110m atlas is coloured.
    const coloured = await page
      .locator('[data-testid=choropleth] path[data-iso3]')
      .evaluateAll((ps) => ps.filter((p) => p.getAttribute('fill') !== '#e4e4e4').map((p) => p.getAttribute('data-iso3')));
    expect(coloured).toContain(mining.largest.countryId);
    // Charts rendered (ECharts SVG) and the Sankey when both stages exist.
    await page.waitForSelector('[data-testid=producers-chart] svg');
    await page.waitForSelector('[data-testid=trend-chart] svg');
    // Price history: chart and table, one row per series-year the API gives, with the newest edition's figure.
    const prices = await api('api/materials/cobalt/prices');
    expect(prices.series.length).toBeGreaterThan(0);
    await page.waitForSelector('[data-testid=price-chart] svg');
    const priceRows = page.locator('[data-testid=price-table] tbody tr');
    expect(await priceRows.count()).toBe(prices.series.reduce((n: number, s: any) => n + s.years.length, 0));
    expect(await priceRows.first().locator('td').nth(1).innerText()).toBe(prices.series[0].years[0].value.toLocaleString('en-US'));
    // What each source says: one row per published series of the cell (USGS and the IEA), rank 1 = the figures above.
    const bySource = await api(`api/concentration/series?material=cobalt&stage=mining&year=${mining.year}`);
    expect(bySource.rows.length).toBeGreaterThanOrEqual(2);
    await page.waitForSelector('[data-testid=by-source-table] tbody tr');
    const bsRows = page.locator('[data-testid=by-source-table] tbody tr');
    expect(await bsRows.count()).toBe(bySource.rows.length);
    expect(await bsRows.first().getAttribute('data-source')).toBe(mining.source.sourceId);
    expect(await bsRows.first().locator('th').innerText()).toBe('1 (used above)');
    for (const [i, r] of bySource.rows.entries()) expect(await bsRows.nth(i).locator('td[data-col=n1]').innerText()).toBe(pct(r.n1RemainingShare));
    const flows = await fetch(server.url + 'api/materials/cobalt/flows');
    if (flows.status === 200) await page.waitForSelector('[data-testid=sankey] rect');
    // Every figure panel carries a source line; the sources section lists the profile's sources with links.
    const panels = page.locator('section.panel:has(svg)');
    const n = await panels.count();
    expect(n).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < n; i++) expect(await panels.nth(i).locator('[data-testid=source-line]').count(), `panel ${i}`).toBeGreaterThan(0);
    const profile = await api('api/materials/cobalt');
    expect(await page.locator('[data-testid=material-sources] li').count()).toBe(profile.sources.length);
    await page.screenshot({ path: SHOTS + 'material-cobalt.png', fullPage: true });

    // Switch to refining by keyboard-operable buttons; the URL records it (shareable) and the table follows the API.
    await page.getByRole('button', { name: 'Refining', exact: true }).click();
    await page.waitForFunction(`location.hash.includes('stage=refining')`);
    const refining = await api('api/concentration?material=cobalt&stage=refining');
    await page.waitForFunction(`document.querySelectorAll('[data-testid=shares-table] tbody tr[data-country]').length === ${refining.shares.length}`);
    expect(await page.locator('[data-testid=shares-table] tbody tr[data-country] td[data-col=share]').first().innerText()).toBe(pct(refining.shares[0].share));
  });

  it('stress test: the builder runs a scenario from the form and shows the API numbers', async () => {
    const mats = await api('api/materials');
    const co = mats.materials.find((m: any) => m.id === 'cobalt');
    const year = Math.max(...co.stages.find((s: any) => s.stage === 'mining').years.filter((y: number) => y <= new Date().getFullYear()));
    await page.goto(server.url + `#/stress?material=cobalt&stage=mining&year=${year}`);
    await page.waitForSelector('#s-exclude');
    await page.getByLabel('N-1: remove the largest supplier').check();
    await page.selectOption('#s-stock', 'days');
    await page.fill('#s-stock-amount', '60');
    await page.getByRole('button', { name: 'Run stress test' }).click();
    await page.waitForSelector('[data-testid=stress-removed]');
    const hash = new URL(page.url()).hash;
    expect(hash).toContain('n1=true');
    expect(hash).toContain('stockpileDays=60');
    const rep = await api(`api/stress?${hash.split('?')[1]}`); // the URL's query is the request
    const removed = rep.excluded.reduce((s: number, x: any) => s + x.share, 0);
    expect(await page.locator('[data-testid=stress-removed]').innerText()).toBe(pct(removed));
    const cov = rep.coverage.coverageWorldRatio;
    expect(await page.locator('[data-testid=stress-coverage]').innerText()).toBe(cov === null ? '—' : pct(cov, 0));
    // Recycled input (cobalt's EU EoL-RIR): the primary-requirement reading is shown exactly when the API gives it.
    const primary = page.locator('[data-testid=stress-coverage-primary]');
    if (rep.coverage.recycled) expect(await primary.innerText()).toContain(pct(rep.coverage.recycled.coveragePrimaryRatio, 0));
    else expect(await primary.count()).toBe(0);
    const days = rep.stockpile.stockpileDaysOfCover;
    expect(await page.locator('[data-testid=stress-days]').innerText()).toBe(days === null ? '—' : `${Math.round(days)} days`);
    expect(await page.locator('.stress-result [data-testid=source-line]').count()).toBeGreaterThan(0);
    // who loses the removed exporter's supply: the importer table equals the API's allocation where customs data is
    // loaded (API fixture); with the bundle alone (customs data is not bundled) the page states the gap
    if (rep.importerExposure.length) {
      const ex = rep.importerExposure[0];
      const firstRow = page.locator('[data-testid=importer-table] tbody tr').first();
      expect(await firstRow.locator('th').innerText()).toBe(ex.importers[0].country);
      expect(await firstRow.locator('td').nth(0).innerText()).toBe(pct(ex.importers[0].shareOfExports));
    } else {
      expect(rep.gaps.join(' ')).toMatch(/No exports-by-destination data/);
      expect(await page.getByText(/No exports-by-destination data/).count()).toBeGreaterThan(0);
    }
    await page.screenshot({ path: SHOTS + 'stress-cobalt.png', fullPage: true });
  });

  it('exports: PDF briefing (printed by chromium), Markdown briefing, CSV and XLSX behind the page buttons', async () => {
    await page.goto(server.url + '#/material/cobalt');
    await page.waitForSelector('[data-testid=kpi-mining-hhi]');
    for (const name of ['Briefing (Markdown)', 'Briefing (PDF)', 'All tables (XLSX)']) {
      const link = page.getByRole('link', { name });
      const res = await fetch(new URL((await link.getAttribute('href'))!, server.url));
      expect(res.status, name).toBe(200);
      const buf = Buffer.from(await res.arrayBuffer());
      if (name.includes('PDF')) {
        expect(buf.subarray(0, 5).toString()).toBe('%PDF-');
        writeFileSync(SHOTS + 'cobalt-briefing.pdf', buf);
      } else if (name.includes('XLSX')) expect(buf.subarray(0, 2).toString()).toBe('PK');
      else expect(buf.toString()).toContain('## Sources');
    }
    const csv = page.getByRole('link', { name: /as CSV/ }).first();
    const res = await fetch(new URL((await csv.getAttribute('href'))!, server.url));
    expect(res.headers.get('content-type')).toContain('text/csv');
  });

  it('responsive on a phone-sized screen, no script errors', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(server.url + '#/material/cobalt');
    await phone.waitForSelector('[data-testid=kpi-mining-hhi]');
    const overflow = (await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    expect(overflow).toBeLessThanOrEqual(1);
    await phone.screenshot({ path: SHOTS + 'material-phone.png', fullPage: false });
    await phone.close();
    expect(errors).toEqual([]);
  });
});
