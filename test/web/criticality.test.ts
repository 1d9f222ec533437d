/**
 * Browser test of the Criticality page (#/criticality): playwright-core drives Debian's chromium (/usr/bin/chromium)
 * against the real server (API + built dashboard). Checks that the comparison table equals the API's comparison, that
 * the EU matrix is drawn with its labelled threshold lines, that the assessor form updates the URL and the table, and
 * that a bad assessor shows the API's error. Screenshots go to test-results/criticality*.png.
 * Skipped (with a message) only when chromium is not installed; `.ci/run` installs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fixed } from '../../web/src/format.ts';
import { closeBrowserSession, fetchJson, hasChromium, openBrowserSession, SHOTS, type TestServer } from './browser.ts';

const chromiumHere = hasChromium('criticality browser tests');

const VIEW = 'as=EU&year=2023&method=all&samples=0';

describe.skipIf(!chromiumHere)('criticality page in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const api = (path: string, status = 200) => fetchJson(server, path, status);
  const rows = () => page.locator('[data-testid=crit-table] tbody tr');
  const cell = (id: string, col: string) => page.locator(`[data-testid=crit-table] tbody tr[data-row="${id}"] td[data-col="${col}"]`).innerText();

  beforeAll(async () => {
    // The bad-assessor case answers 400 on purpose; chromium logs that as a failed resource load.
    ({ server, browser, page } = await openBrowserSession(errors, (text) => !/status of 400/.test(text)));
    console.log(`criticality browser tests against the ${server.kind} knowledge base at ${server.url}`);
  }, 180_000);
  afterAll(() => closeBrowserSession({ server, browser }));

  it('EU 2023, all methods: table rows and numbers equal the API, matrix with labelled thresholds, sources from the inputs', async () => {
    const rep = await api(`api/criticality?method=all&as=EU&year=2023&samples=0`);
    // What the page fetches: the summary view for the table and matrices, one material's detail when it is opened.
    const fetched: Array<{ url: string; bytes: number }> = [];
    const onResponse = async (r: import('playwright-core').Response) => {
      if (r.url().includes('api/criticality?')) fetched.push({ url: r.url(), bytes: (await r.body()).length });
    };
    page.on('response', onResponse);
    await page.goto(server.url + `#/criticality?${VIEW}`);
    await page.waitForSelector('[data-testid=crit-table] tbody tr');
    // The "most critical by each method" panel opens with the drivers of the first method's first material: that one
    // material's detail of the same run, and no other.
    const detailOf = (f: { url: string }) => new URL(f.url).searchParams.get('detail');
    expect(fetched.filter((f) => !detailOf(f)).map((f) => new URL(f.url).searchParams.get('view'))).toEqual(['summary']);
    expect(fetched[0].bytes).toBeLessThan(JSON.stringify(rep).length * 0.3);
    const firstMethod = (rep.methods as string[]).find((m) => rep.comparison.some((c: any) => c.ranks[m] === 1));
    const firstNamed = await page.locator(`[data-testid=crit-top-${firstMethod}] [data-testid=top-material]`).innerText();
    const topId = rep.comparison.find((c: any) => c.material === firstNamed).materialId;
    await page.waitForSelector('[data-testid=crit-top] [data-testid=crit-why]');
    expect(fetched.filter(detailOf).map(detailOf)).toEqual([topId]);
    expect(await rows().count()).toBe(rep.comparison.length);
    if (server.kind === 'bundle') expect(rep.comparison.length).toBeGreaterThanOrEqual(80);

    // Gallium (and a spread of others) cell by cell, formatted with the dashboard's own helper.
    const ga = rep.comparison.find((c: any) => c.materialId === 'gallium') ?? rep.comparison[0];
    expect(await cell(ga.materialId, 'eu_sr')).toBe(fixed(ga.eu.sr));
    expect(await cell(ga.materialId, 'eu_ei')).toBe(fixed(ga.eu.ei));
    // EI with SI_EI 0.9 (EU 2017 Table 18): 3.92 before the substitution indices were held.
    if (server.kind === 'bundle') expect([fixed(ga.eu.sr), fixed(ga.eu.ei)]).toEqual(['3.84', '3.53']);
    for (const c of rep.comparison.filter((_: unknown, i: number) => i % 11 === 0)) {
      expect(await cell(c.materialId, 'eu_sr'), `${c.materialId} SR`).toBe(fixed(c.eu?.sr));
      expect(await cell(c.materialId, 'eu_ei'), `${c.materialId} EI`).toBe(fixed(c.eu?.ei));
      expect(await cell(c.materialId, 'gpr'), `${c.materialId} GeoPolRisk`).toBe(fixed(c.geopolrisk?.score, 3));
      expect(await cell(c.materialId, 'usgs'), `${c.materialId} DP·TE`).toBe(fixed(c.usgs?.partialScore));
    }
    // No NaN anywhere on the page.
    expect(await page.locator('main').innerText()).not.toMatch(/NaN|undefined/);

    // The EU matrix: an ECharts SVG whose text alternative names the thresholds, and the threshold labels drawn.
    const chart = page.locator('[data-testid=eu-matrix]');
    await page.waitForSelector('[data-testid=eu-matrix] svg');
    const label = (await chart.getAttribute('aria-label')) ?? '';
    expect(label).toContain('SR = 1.0');
    expect(label).toContain('EI = 2.8');
    const svgText = await chart.locator('svg text').allInnerTexts();
    const joined = (await chart.locator('svg').innerHTML()) + svgText.join(' ');
    expect(joined).toContain('SR = 1.0');
    expect(joined).toContain('EI = 2.8');
    // Materials without EI are listed under the chart, not dropped silently.
    const missingEi = rep.eu.filter((e: any) => e.ei === null).map((e: any) => e.material);
    if (missingEi.length) {
      const np = await page.locator('[data-testid=eu-not-plotted]').innerText();
      expect(np).toContain('EI missing');
      for (const n of missingEi.slice(0, 5)) expect(np).toContain(n);
    }
    // DOE: where importance is missing, the API's own message is shown.
    if (rep.doe.some((d: any) => d.shortTerm.importance === null)) {
      // The CLI's "assess with --year N" is offered on the page as a button to open that year.
      const msg = rep.doe.flatMap((d: any) =>
        d.messages.filter((m: string) => /importance/i.test(m)).map((m: string) => m.slice(d.material.length + 2).replace(/;? assess with --year \d{4}/, '')),
      )[0];
      if (msg) expect(await page.locator('[data-testid=doe-note]').innerText()).toContain(msg);
    }
    // Official EU 2023 list comparison.
    if (rep.officialListComparison) {
      expect(await page.locator('[data-testid=official-both]').innerText()).toBe(String(rep.officialListComparison.both.length));
      expect(await page.locator('[data-testid=official-ours]').innerText()).toBe(String(rep.officialListComparison.oursOnly.length));
      expect(await page.locator('[data-testid=official-only]').innerText()).toBe(String(rep.officialListComparison.officialOnly.length));
    }
    // Every chart and the table end with a source line, built from the inputs' sources (WGI, EU CRM 2023 tables).
    for (const id of ['eu-panel', 'doe-panel', 'cmp-panel']) {
      const last = page.locator(`[data-testid=${id}] > :last-child`);
      expect(await last.getAttribute('data-testid'), id).toBe('source-line');
    }
    const src = await page.locator('[data-testid=cmp-panel] [data-testid=source-line]').innerText();
    expect(src).toContain(rep.wgi.source.publisher);
    if (server.kind === 'bundle') {
      expect(src).toContain('World Bank');
      expect(src).toContain('European Commission (JRC)');
    }
    // CSV download link is the API's.
    const csvHref = await page.getByRole('link', { name: 'Download the comparison table as CSV' }).getAttribute('href');
    expect(csvHref).toContain('api/criticality?');
    expect(csvHref).toContain('format=csv');
    const csv = await fetch(server.url + csvHref);
    expect(csv.status).toBe(200);
    expect((await csv.text()).trim().split('\n').length).toBe(rep.comparison.length + 1);
    await page.screenshot({ path: SHOTS + 'criticality.png', fullPage: true });

    // Sort by EU SR with the keyboard, then open gallium's inputs.
    await page.locator('button[data-sort-key="eu_sr"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(`location.hash.includes('sort=eu_sr')`);
    const dir = new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('dir');
    const srs = rep.comparison.map((c: any) => c.eu?.sr).filter((x: any) => x !== null);
    expect(await rows().first().locator('td[data-col=eu_sr]').innerText()).toBe(fixed(dir === 'asc' ? Math.min(...srs) : Math.max(...srs)));
    await page.getByRole('button', { name: `Inputs, sources and messages for ${ga.material}` }).click();
    await page.waitForSelector('[data-testid=crit-detail] [data-testid=crit-inputs] tbody tr');
    expect(new URL(page.url()).hash).toContain(`detail=${ga.materialId}`);
    // Gallium's detail is fetched once: by its panel, or already by the top panel (the same URL, cached).
    expect(fetched.map(detailOf)).toEqual(topId === ga.materialId ? [null, topId] : [null, topId, ga.materialId]);
    page.off('response', onResponse);
    const nInputs = ['eu', 'doe', 'usgs', 'geopolrisk'].reduce((a, m) => a + (rep[m].find((x: any) => x.materialId === ga.materialId)?.inputs.length ?? 0), 0);
    expect(await page.locator('[data-testid=crit-inputs] tbody tr').count()).toBe(nInputs);
    const si = page.locator('[data-testid=crit-inputs] tbody tr[data-input="SI_SR"] td[data-col=status]');
    // The status column says what the API says: gallium's SI_SR is the EU 2017 value, a proxy for 2023.
    const siApi = rep.eu.find((x: any) => x.materialId === ga.materialId)?.inputs.find((i: any) => i.input === 'SI_SR');
    if (await si.count()) expect(await si.first().innerText()).toBe(siApi.status);
    if (server.kind === 'bundle' && ga.materialId === 'gallium') expect(siApi.status).toBe('proxy');
    expect(await page.locator('[data-testid=crit-detail] > :last-child').getAttribute('data-testid')).toBe('source-line');
    await page.locator('[data-testid=crit-detail]').screenshot({ path: SHOTS + 'criticality-detail.png' });
  }, 180_000); // the page's first load on a loaded 2-core machine: years, summary and one detail

  it('switching the assessor to JPN through the form updates the URL and the table', async () => {
    const jpn = await api(`api/criticality?method=all&as=JPN&year=2023&samples=0`);
    await page.goto(server.url + `#/criticality?${VIEW}`);
    await page.waitForSelector('[data-testid=crit-table] tbody tr');
    await page.getByLabel('Assessor').fill('JPN');
    await page.getByRole('button', { name: 'Assess' }).click();
    await page.waitForFunction(`location.hash.includes('as=JPN')`);
    const hash = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
    expect(Object.fromEntries(hash)).toMatchObject({ as: 'JPN', year: '2023', method: 'all', samples: '0' });
    await page.waitForFunction(
      `(document.querySelector('[data-testid=crit-table] caption')?.textContent ?? '').includes(${JSON.stringify(jpn.assessor.label)})`,
    );
    expect(await rows().count()).toBe(jpn.comparison.length);
    const ga = jpn.comparison.find((c: any) => c.materialId === 'gallium') ?? jpn.comparison[0];
    expect(await cell(ga.materialId, 'eu_sr')).toBe(fixed(ga.eu.sr));
    expect(await cell(ga.materialId, 'eu_ei')).toBe(fixed(ga.eu.ei));
    // No official-list comparison outside the EU.
    expect(jpn.officialListComparison).toBeNull();
    expect(await page.locator('[data-testid=official-list]').count()).toBe(0);
    await page.screenshot({ path: SHOTS + 'criticality-jpn.png', fullPage: false });
  });

  it('a bad assessor shows the API error message', async () => {
    const bad = await api(`api/criticality?method=all&as=XYZ&year=2023&samples=0`, 400);
    expect(bad.field).toBe('as');
    await page.goto(server.url + `#/criticality?${VIEW}`);
    await page.waitForSelector('[data-testid=crit-table] tbody tr');
    await page.getByLabel('Assessor').fill('XYZ');
    await page.getByLabel('Assessor').press('Enter');
    await page.waitForFunction(`location.hash.includes('as=XYZ')`);
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(bad.error);
    expect(await page.locator('[data-testid=crit-table]').count()).toBe(0);
    await page.screenshot({ path: SHOTS + 'criticality-error.png', fullPage: false });
    expect(errors).toEqual([]);
  });
});
