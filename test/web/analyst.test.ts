/**
 * The analyst's questions of issue 17, played in a real browser on the bundled data, counting clicks from the overview:
 * each answer must be on screen within three. Also: every route at phone width (390 px) without sideways page scroll,
 * axe-core over every route (0 critical, 0 serious), chart export (PNG and SVG with title and source stamped on), alert
 * severities that discriminate, and the briefing's summary fitting one printed page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { closeBrowserSession, fetchJson, hasChromium, openBrowserSession, SHOTS, type TestServer } from './browser.ts';
import { fixed, quantity } from '../../web/src/format.ts';

const chromiumHere = hasChromium('analyst browser tests');

/** Every route of the dashboard with what marks it as loaded. */
const ROUTES: Array<[string, string]> = [
  ['#/', '[data-testid=overview-table] tbody tr'],
  ['#/material/cobalt', '[data-testid=kpi-mining-hhi]'],
  ['#/stress?material=cobalt&stage=refining', 'form'],
  ['#/criticality', '[data-testid=crit-table] tbody tr'],
  ['#/crma', '[data-testid=crma-table] tbody tr'],
  ['#/country', 'h1'],
  ['#/country/IDN', 'h1'],
  ['#/timeline?material=gallium', '[data-testid=measures-table]'],
  ['#/coalitions', 'h1'],
  ['#/alerts', 'h1'],
  ['#/sources', 'h1'],
  ['#/group/MSP', '[data-testid=deals-table] tbody tr'],
  ['#/search?q=cobalt', '[data-testid=hits-material]'],
  ['#/importer/EU27?material=gallium', '[data-testid=importer-detail] [data-testid=supplier-chart] svg'],
  ['#/glossary', '[data-testid=glossary]'],
  ['#/criticality?as=USA', '[data-testid=crit-top] [data-testid=crit-why]'],
  ['#/material/lithium?scenario=APS', '[data-testid=outlook-chart] svg'],
];

describe.skipIf(!chromiumHere)('analyst questions in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const api = (path: string) => fetchJson(server, path);

  beforeAll(async () => {
    ({ server, browser, page } = await openBrowserSession(errors));
  }, 180_000);
  afterAll(() => closeBrowserSession({ server, browser }));

  /** Start on the overview, as an analyst opening the dashboard; `click` counts every click made. */
  async function start(p: Page = page) {
    await p.goto(server.url + '#/');
    await p.waitForSelector('[data-testid=overview-table] tbody tr', { timeout: 60_000 });
    let clicks = 0;
    return {
      click: async (selector: string | ReturnType<Page['locator']>) => {
        clicks++;
        await (typeof selector === 'string' ? p.locator(selector).first() : selector).click();
      },
      clicks: () => clicks,
    };
  }
  const searchFor = async (q: string, p: Page = page) => {
    await p.locator('#global-q').fill(q); // typing is not a click
    await p.waitForSelector('[data-testid=search-suggest] li');
  };

  it('Q4 "Which deals does the Minerals Security Partnership involve?" — search, one click', async () => {
    if (server.kind !== 'bundle') return;
    const deals = await api('api/deals?group=MSP');
    expect(deals.projects.length).toBeGreaterThan(0);
    const s = await start();
    await searchFor('MSP');
    await s.click(page.locator('[data-testid=search-suggest] a', { hasText: /^grouping\s+Minerals Security Partnership \(MSP\)/ }));
    await page.waitForSelector('[data-testid=deals-table] tbody tr');
    const rows = page.locator('[data-testid=deals-table] tbody tr');
    expect(await rows.count()).toBe(deals.agreements.length + deals.projects.length);
    const table = await page.locator('[data-testid=deals-table]').innerText();
    for (const name of ['Minerals Security Partnership', 'FORGE', 'Kabanga', 'Balama', 'Chvaletice']) expect(table).toContain(name);
    expect(s.clicks()).toBeLessThanOrEqual(3);
    await page.screenshot({ path: SHOTS + 'q4-msp-deals.png', fullPage: false });
  }, 120_000);

  it('Q3 "Which strategic materials fail the CRMA 65% test?" — one click on its own route', async () => {
    if (server.kind !== 'bundle') return;
    const crma = await api('api/coalition/crma');
    const failing = [...new Set(crma.test65.filter((r: any) => r.status === 'fail').map((r: any) => r.material))] as string[];
    expect(failing.length).toBeGreaterThan(0);
    const s = await start();
    await s.click(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'CRMA test' }));
    await page.waitForSelector('[data-testid=crma-table] tbody tr');
    const summary = await page.locator('[data-testid=crma-summary]').innerText();
    for (const m of failing) expect(summary).toContain(m);
    // The answer is at the top of the page, not screens down.
    const top = (await page.evaluate(`document.querySelector('[data-testid=crma-summary]').getBoundingClientRect().top + window.scrollY`)) as number;
    expect(top).toBeLessThan(1200);
    expect(s.clicks()).toBeLessThanOrEqual(3);
    await page.screenshot({ path: SHOTS + 'q3-crma.png', fullPage: false });
  }, 120_000);

  it('Q6 "A one-page briefing on cobalt for a minister" — two clicks; summary first, one printed page, registry measures in it', async () => {
    if (server.kind !== 'bundle') return;
    const s = await start();
    await searchFor('cobalt');
    await s.click(page.locator('[data-testid=search-suggest] a', { hasText: /^material\s+Cobalt/ }));
    await page.waitForSelector('[data-testid=kpi-mining-hhi]');
    const link = page.getByRole('link', { name: 'Briefing (PDF)' });
    expect(await link.count()).toBe(1);
    s.clicks(); // opening the PDF is the second click; the test fetches what it opens
    const href = new URL((await link.getAttribute('href'))!, server.url);
    const pdf = Buffer.from(await (await fetch(href)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    writeFileSync(SHOTS + 'cobalt-briefing-summary.pdf', pdf);
    expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThanOrEqual(2); // summary page + annex
    // The summary, printed on A4 with the PDF's margins (186 mm × 269 mm at 96 dpi), fits one page.
    const html = await (await fetch(new URL(href.pathname + '?format=html', server.url))).text();
    const print = await browser.newPage({ viewport: { width: 703, height: 1017 } });
    await print.setContent(html);
    await print.emulateMedia({ media: 'print' });
    const h = await print.locator('[data-testid=briefing-summary]').evaluate((el) => el.getBoundingClientRect().height);
    const text = await print.locator('[data-testid=briefing-summary]').innerText();
    await print.close();
    expect(h).toBeLessThanOrEqual(1017);
    expect(text).toMatch(/DR Congo supplies \d+\.\d% of the world's mined cobalt/);
    expect(text).toContain('DRC: cobalt export quotas');
    expect(text).toContain('One series per stage throughout');
    expect(s.clicks() + 1).toBeLessThanOrEqual(3);
  }, 180_000);

  it('Q2 "Nickel if Indonesia bans exports" — search the measure, then its stress test: the result in two clicks', async () => {
    if (server.kind !== 'bundle') return;
    const s = await start();
    const id = 'idn-nickel-ore-export-ban-2020';
    await searchFor('Indonesia nickel ore export ban');
    await s.click(page.locator('[data-testid=search-suggest] a', { hasText: /trade measure.*nickel ore/i }).first());
    await page.waitForFunction(`location.hash.startsWith('#/timeline')`);
    await page.waitForSelector(`[data-testid=measures-table] tr[data-measure="${id}"]`);
    await s.click(`[data-testid=measures-table] tr[data-measure="${id}"] [data-testid="stress-${id}"]`);
    await page.waitForFunction(`location.hash.startsWith('#/stress') && location.hash.includes('exclude=IDN')`);
    await page.waitForSelector('[data-testid=stress-removed]', { timeout: 60_000 });
    expect(await page.locator('[data-testid=stress-removed]').innerText()).toMatch(/^\d+\.\d%$/);
    expect(s.clicks()).toBeLessThanOrEqual(3);
  }, 120_000);

  it('a country page is in the navigation and one search away', async () => {
    const s = await start();
    await searchFor('Germany');
    await s.click(page.locator('[data-testid=search-suggest] a', { hasText: /country\s+Germany/ }));
    await page.waitForFunction(`location.hash === '#/country/DEU'`);
    await page.waitForSelector('h1');
    expect(await page.locator('h1').first().innerText()).toContain('DEU');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Countries' }).count()).toBe(1);
    expect(s.clicks()).toBeLessThanOrEqual(2);
  }, 120_000);

  it('alerts: severities discriminate and say which rule set them; statuses are read from dates', async () => {
    if (server.kind !== 'bundle') return;
    const { alerts } = await api('api/alerts');
    const sev = new Set(alerts.map((a: any) => a.severity));
    expect(sev.size).toBeGreaterThan(1);
    await page.goto(server.url + '#/alerts');
    await page.waitForSelector('[data-testid=alerts-table] tbody tr');
    const counts = await page.locator('[data-testid=severity-counts]').innerText();
    for (const s of ['critical', 'warning', 'info']) expect(counts).toContain(`${alerts.filter((a: any) => a.severity === s).length} ${s}`);
    expect(await page.locator('[data-testid=severity-rules]').count()).toBe(1);
    const { measures } = await api('api/registry/measures?material=gallium&country=CHN');
    const usBan = measures.find((m: any) => m.id === 'chn-dual-use-ban-usa-2024');
    const today = new Date().toISOString().slice(0, 10);
    if (today >= '2026-11-27') expect(usBan.status).toMatch(/^in effect again since 2026-11-27/);
    else expect(usBan.status).toBe('suspended 2025-11-09 until 2026-11-27');
  }, 120_000);

  it('chart export: PNG and SVG with title, units and source stamped on', async () => {
    await page.goto(server.url + '#/material/cobalt');
    await page.waitForSelector('[data-testid=trend-chart] svg');
    const box = page.locator('.chart-box', { has: page.locator('[data-testid=trend-chart]') });
    const [svgDl] = await Promise.all([page.waitForEvent('download'), box.getByRole('button', { name: /as SVG$/ }).click()]);
    const svg = readFileSync((await svgDl.path())!, 'utf8');
    expect(svgDl.suggestedFilename()).toMatch(/\.svg$/);
    expect(svg).toContain('top-3 share and HHI by year');
    expect(svg).toMatch(/Source: .*(U\.S\. Geological Survey|International Energy Agency)/);
    expect(svg).toMatch(/Units: /);
    const [pngDl] = await Promise.all([page.waitForEvent('download'), box.getByRole('button', { name: /as PNG$/ }).click()]);
    const png = readFileSync((await pngDl.path())!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    writeFileSync(SHOTS + 'chart-export-trend.png', png);
    // Every chart on the page has both buttons.
    const charts = await page.locator('.chart-box, figure.map, svg.sankey').count();
    expect(await page.getByRole('button', { name: /as PNG$/ }).count()).toBeGreaterThanOrEqual(charts > 0 ? 1 : 0);
  }, 120_000);

  it('Q1 "Most critical material for the USA by each method, and why do they disagree?" — two clicks, answer equals the API', async () => {
    const years = await api('api/criticality/years?as=USA&method=all');
    expect(years.defaultYear).not.toBeNull();
    const s = await start();
    await s.click(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Criticality' }));
    await s.click(page.getByRole('link', { name: 'United States' }));
    await page.waitForSelector('[data-testid=crit-top] [data-testid=crit-why]', { timeout: 120_000 });
    expect(s.clicks()).toBeLessThanOrEqual(3);
    // The year is the API's default, stated with its rule.
    expect(await page.locator('[data-testid=crit-default-year]').innerText()).toBe(String(years.defaultYear));
    expect(await page.locator('[data-testid=crit-year-note]').innerText()).toContain(years.rule);
    const rep = await api(`api/criticality?method=all&as=USA&year=${years.defaultYear}&samples=100&view=summary`);
    if (server.kind === 'bundle') expect(rep.doe.filter((d: any) => d.shortTerm.class !== null).length).toBeGreaterThan(0);
    // The tie-break, applied here independently: rank 1, then the best mean rank over the other methods, then the name.
    const score: Record<string, (c: any) => number | null> = {
      eu: (c) => c.eu?.sr ?? null,
      doe: (c) => c.doe?.supplyRisk ?? null,
      usgs: (c) => c.usgs?.partialScore ?? null,
      geopolrisk: (c) => c.geopolrisk?.score ?? null,
    };
    const digits: Record<string, number> = { eu: 2, doe: 1, usgs: 2, geopolrisk: 3 };
    expect(await page.locator('[data-testid=tie-break-rule]').innerText()).toMatch(/mean rank over the other methods/);
    for (const m of rep.methods as string[]) {
      const li = page.locator(`[data-testid=crit-top-${m}]`);
      const tied = rep.comparison.filter((c: any) => c.ranks[m] === 1);
      if (!tied.length) {
        expect(await li.innerText()).toContain('no material ranked');
        continue;
      }
      const mean = (c: any) => {
        const rs = (rep.methods as string[])
          .filter((x) => x !== m)
          .map((x) => c.ranks[x])
          .filter((x: any) => typeof x === 'number');
        return rs.length ? rs.reduce((a: number, b: number) => a + b, 0) / rs.length : Infinity;
      };
      tied.sort((a: any, b: any) => mean(a) - mean(b) || a.material.localeCompare(b.material));
      expect(await li.locator('[data-testid=top-material]').innerText(), m).toBe(tied[0].material);
      expect(await li.locator('[data-testid=top-score]').innerText(), m).toBe(fixed(score[m](tied[0]), digits[m]));
      if (tied.length > 1) expect(await li.locator('[data-testid=top-tied]').innerText()).toContain(`${tied.length} materials share first place`);
    }
    // Why: each method's drivers for the material named first by the EU method, from its inputs.
    const why = page.locator('[data-testid=crit-top] [data-testid=crit-why]').first();
    for (const m of rep.methods as string[]) expect(await why.locator(`li[data-method=${m}]`).count(), m).toBe(1);
    const euNamed = (await page.locator('[data-testid=crit-top-eu] [data-testid=top-material]').allInnerTexts())[0];
    const topEu = rep.comparison.find((c: any) => c.material === euNamed);
    if (server.kind === 'bundle' && topEu) {
      const detail = await api(`api/criticality?method=all&as=USA&year=${years.defaultYear}&samples=100&detail=${topEu.materialId}`);
      const e = detail.eu[0];
      const st = e.stages.find((x: any) => x.stage === e.bottleneck);
      expect(await why.locator('li[data-method=eu]').innerText()).toContain(`${st.topRisk[0].countryId} `);
    }
    // The EU bands: points outside their band are marked with the reason given, never hidden.
    const outside = rep.comparison.filter((c: any) => c.eu?.srBand && (c.eu.sr < c.eu.srBand.p5 || c.eu.sr > c.eu.srBand.p95));
    if (outside.length) expect(await page.locator('[data-testid=band-outside]').innerText()).toContain(`for ${outside.length} of`);
    else expect(await page.locator('[data-testid=band-outside]').count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toMatch(/--year|NaN|undefined/);
    await page.screenshot({ path: SHOTS + 'q1-usa-criticality.png', fullPage: false });
  }, 240_000);

  it('the glossary is one click from every page; terms link to their entry', async () => {
    for (const [route, ready] of ROUTES) {
      await page.goto(server.url + route);
      await page.waitForSelector(ready, { timeout: 120_000 });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Glossary' }).click();
      await page.waitForSelector('[data-testid=glossary]');
      expect(new URL(page.url()).hash, route).toBe('#/glossary');
    }
    // Every entry: definition, formula, method source and its repository doc.
    const entries = page.locator('[data-testid=glossary] article');
    expect(await entries.count()).toBeGreaterThanOrEqual(15);
    for (const id of [
      'hhi',
      'hhi-normalised',
      'top3',
      'n1',
      'n1-netted',
      'sr-ei',
      'eol-rir',
      'substitution',
      'geopolrisk',
      'import-reliance',
      'cvar',
      'days-of-cover',
      'basis',
    ]) {
      const t = await page.locator(`#g-${id}`).innerText();
      expect(t, id).toMatch(/Formula:/);
      expect(t, id).toMatch(/Method source:/);
      expect(t, id).toMatch(/docs\/[a-z-]+\.md/);
    }
    // A term on a page opens its entry.
    await page.goto(server.url + '#/material/cobalt');
    await page.waitForSelector('[data-testid=kpi-mining-hhi]');
    await page.locator('[data-testid=kpi-mining] a[data-term=hhi]').click();
    await page.waitForFunction(`location.hash === '#/glossary?term=hhi'`);
    await page.waitForFunction(`document.activeElement && document.activeElement.id === 'g-hhi'`);
  }, 300_000);

  it('data as of: the header names the newest loaded edition and the import date, linking to the sources', async () => {
    const health = await api('api/health');
    await start();
    const asOf = page.locator('[data-testid=data-as-of]');
    await asOf.waitFor();
    expect(await asOf.isVisible()).toBe(true);
    const text = await asOf.innerText();
    const newest = health.dataAsOf.newestEditions[0];
    expect(text).toContain(newest.edition);
    if (health.dataAsOf.latestDataYear !== null) expect(text).toContain(`data to ${health.dataAsOf.latestDataYear}`);
    expect(text).toContain(health.dataAsOf.lastImportedAt ? health.dataAsOf.lastImportedAt.slice(0, 10) : 'date not recorded');
    expect(await asOf.locator('a').getAttribute('href')).toBe('#/sources');
  }, 120_000);

  it("IEA outlook: the scenario switch redraws the chart with that scenario's series; scenarios not loaded are named", async () => {
    const p = await api('api/materials/lithium');
    const loaded = ['STEPS', 'APS', 'NZE'].filter((s) => p.demand.some((d: any) => d.scenario === s));
    await page.goto(server.url + '#/material/lithium');
    await page.waitForSelector('[data-testid=outlook-chart] svg');
    const note = await page.locator('[data-testid=scenario-note]').innerText();
    for (const s of ['STEPS', 'APS', 'NZE'].filter((x) => !loaded.includes(x))) expect(note).toContain(s);
    if (p.stages.some((s: any) => s.trend.some((r: any) => r.scenario === 'base'))) expect(note).toMatch(/base case only/);
    const buttons = page.locator('[data-testid=scenario-switch] button');
    expect(await buttons.allInnerTexts()).toEqual(loaded);
    if (loaded.length < 2) return;
    const total = (sc: string) => p.demand.filter((d: any) => d.scenario === sc && d.sector === 'Total').sort((a: any, b: any) => a.year - b.year);
    const chart = page.locator('[data-testid=outlook-chart]');
    const before = (await chart.getAttribute('aria-label'))!;
    expect(before).toContain(`${loaded[0]} scenario`);
    for (const d of total(loaded[0])) expect(before).toContain(`${d.year} ${quantity(d.value, d.unit)}`);
    await buttons.filter({ hasText: loaded[1] }).click();
    await page.waitForFunction(`location.hash.includes('scenario=${loaded[1]}')`);
    await page.waitForFunction(`(document.querySelector('[data-testid=outlook-chart]')?.getAttribute('aria-label') ?? '').includes('${loaded[1]} scenario')`);
    const after = (await chart.getAttribute('aria-label'))!;
    for (const d of total(loaded[1])) expect(after).toContain(`${d.year} ${quantity(d.value, d.unit)}`);
    expect(after).not.toBe(before);
    expect(await buttons.filter({ hasText: loaded[1] }).getAttribute('aria-pressed')).toBe('true');
  }, 120_000);

  it('every route at phone width (390 px): no sideways page scroll', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    phone.on('pageerror', (e) => errors.push(e.message));
    try {
      const wide: string[] = [];
      for (const [route, ready] of ROUTES) {
        await phone.goto(server.url + route);
        await phone.waitForSelector(ready, { timeout: 60_000 });
        await phone.waitForTimeout(300); // charts lay out after data arrives
        const overflow = (await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
        if (overflow > 1) wide.push(`${route}: ${overflow} px`);
      }
      await phone.goto(server.url + '#/timeline?material=gallium');
      await phone.waitForSelector('[data-testid=measures-table]');
      await phone.screenshot({ path: SHOTS + 'timeline-phone.png', fullPage: false });
      expect(wide).toEqual([]);
    } finally {
      await phone.close();
    }
  }, 300_000);

  it('axe-core over every route: 0 critical, 0 serious', async () => {
    const found: string[] = [];
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true }); // AxeBuilder needs a context's page
    const page = await ctx.newPage();
    for (const [route, ready] of ROUTES) {
      await page.goto(server.url + route);
      await page.waitForSelector(ready, { timeout: 60_000 });
      await page.waitForTimeout(300);
      const r = await new AxeBuilder({ page: page as never }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      for (const v of r.violations)
        if (v.impact === 'critical' || v.impact === 'serious') found.push(`${route} ${v.impact} ${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')}`);
    }
    await ctx.close();
    expect(found).toEqual([]);
    expect(errors).toEqual([]);
  }, 900_000); // 17 routes, each loaded then scanned: up to about 50 s a route on a loaded 2-core machine
});
