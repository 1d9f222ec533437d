/**
 * Browser test of the stress-test page: open a shared stress URL and check that the inputs the form shows are the inputs
 * the run used — the API request the page sends and the scenario the server echoes back — for a full shared URL with
 * non-default inputs, an old partial URL (the defaults, e.g. the 60-day stockpile, must appear in the form and the URL),
 * and the URL a registry measure's "Stress test" button opens. Then the round trip form → URL → form → same request, and
 * the headline cards (supply removed, supply after propagation, price basis, stockpile cover) against the report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pct, quantity } from '../../web/src/format.ts';
import { stressHref, stressRun } from '../../src/scenario/query.ts';
import { closeBrowserSession, fetchJson, hasChromium, openBrowserSession, SHOTS, type TestServer } from './browser.ts';

const chromiumHere = hasChromium('stress page browser tests');

interface ShownForm {
  material: string;
  stage: string;
  year: string;
  exclude: string;
  n1: boolean;
  mode: string;
  fractionPercent: string;
  months: string;
  stockpile: string;
  stockpileAmount: string | null;
  holder: string;
  demandScenario: string;
  demandScope: string;
  dataset: string;
  tradeYear: string;
}

/** What the form shows, read from the page's controls. */
async function readForm(page: Page): Promise<ShownForm> {
  const v = (sel: string) => page.locator(sel).inputValue();
  return {
    material: await v('#s-material'),
    stage: await page.locator('input[name=stage]:checked').inputValue(),
    year: await v('#s-year'),
    exclude: await v('#s-exclude'),
    n1: await page.locator('#s-n1').isChecked(),
    mode: await v('#s-mode'),
    fractionPercent: await v('#s-fraction'),
    months: await v('#s-months'),
    stockpile: await v('#s-stock'),
    stockpileAmount: (await page.locator('#s-stock-amount').count()) ? await v('#s-stock-amount') : null,
    holder: await v('#s-holder'),
    demandScenario: await v('#s-demand'),
    demandScope: await v('#s-scope'),
    dataset: await v('#s-dataset'),
    tradeYear: await v('#s-trade'),
  };
}

/** The form shown = the request sent = the scenario the server ran = the URL. */
function expectShownIsUsed(form: ShownForm, request: URLSearchParams, report: any, hash: string): void {
  const s = report.scenario;
  const req = (k: string) => request.get(k) ?? '';
  expect(form.material).toBe(req('material'));
  expect(s.material).toBe(form.material);
  expect(form.stage).toBe(req('stage'));
  expect(s.stage).toBe(form.stage);
  expect(form.year).toBe(req('year'));
  expect(String(s.year)).toBe(form.year);
  expect(form.exclude).toBe(req('exclude'));
  expect(form.n1).toBe(req('n1') === 'true');
  expect(s.shock.exclude).toEqual([...(form.n1 ? ['largest'] : []), ...form.exclude.split(',').filter(Boolean)]);
  expect(form.mode).toBe(req('mode'));
  expect(s.shock.mode).toBe(form.mode);
  expect(Number(form.fractionPercent) / 100).toBeCloseTo(Number(req('fraction')), 12);
  expect(s.shock.fraction).toBe(Number(req('fraction')));
  expect(form.months).toBe(req('months'));
  expect(s.shock.durationMonths).toBe(Number(form.months));
  if (form.stockpile === 'days' || form.stockpile === 'tonnes') {
    const key = form.stockpile === 'days' ? 'stockpileDays' : 'stockpileTonnes';
    expect(form.stockpileAmount).toBe(req(key));
    expect(s.stockpile[form.stockpile]).toBe(Number(form.stockpileAmount));
    expect(request.has('stockpilePolicy')).toBe(false);
  } else {
    expect(form.stockpile).toBe(req('stockpilePolicy'));
    expect(s.stockpile.policy).toBe(form.stockpile);
    expect(request.has('stockpileDays') || request.has('stockpileTonnes')).toBe(false);
  }
  expect(form.holder).toBe(req('holder'));
  expect(s.stockpile.holder).toBe(form.holder);
  expect(form.demandScenario).toBe(req('demandScenario'));
  expect(s.demandScenario).toBe(form.demandScenario);
  expect(form.demandScope).toBe(req('demandScope'));
  expect(s.demandScope ?? '').toBe(form.demandScope);
  expect(form.dataset).toBe(req('dataset'));
  expect(s.dataset ?? '').toBe(form.dataset);
  expect(form.tradeYear).toBe(req('tradeYear'));
  expect(s.tradeYear === undefined ? '' : String(s.tradeYear)).toBe(form.tradeYear);
  // the page's URL is the request: copying it reruns exactly this
  expect(hash.split('?')[1]).toBe(request.toString());
}

describe.skipIf(!chromiumHere)('stress page: the inputs shown are the inputs used', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const api = (path: string) => fetchJson(server, path);

  beforeAll(async () => {
    ({ server, browser, page } = await openBrowserSession(errors, () => true));
  }, 180_000);
  afterAll(() => closeBrowserSession({ server, browser }));

  /** Open a URL; return the stress request the page sent, the report it got, the form it shows and its final hash. */
  async function open(url: string) {
    const response = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/api/stress'));
    await page.goto(url);
    const res = await response;
    expect(res.status()).toBe(200);
    const report = await res.json();
    await page.waitForSelector('[data-testid=stress-removed]');
    await page.waitForFunction(`location.hash.includes('stockpile')`); // a partial URL is rewritten to the full one
    return { request: new URL(res.url()).searchParams, report, form: await readForm(page), hash: new URL(page.url()).hash };
  }

  it('a shared URL with non-default inputs: the form shows them, the run uses them, the URL stays as shared', async () => {
    const shared = stressHref({
      ...stressRun({ material: 'nickel', stage: 'mining', year: 2035, exclude: ['IDN'], dataset: 'iea-cm', demandScenario: 'APS' }),
      shock: { exclude: ['IDN'], mode: 'outage', fraction: 0.35, durationMonths: 6 },
      stockpile: { days: 30, holder: 'world' },
    });
    const { request, report, form, hash } = await open(server.url + shared);
    expect(form).toMatchObject({
      material: 'nickel',
      stage: 'mining',
      year: '2035',
      exclude: 'IDN',
      n1: false,
      mode: 'outage',
      fractionPercent: '35',
      months: '6',
      stockpile: 'days',
      stockpileAmount: '30',
      holder: 'world',
      demandScenario: 'APS',
      dataset: 'iea-cm',
    });
    expectShownIsUsed(form, request, report, hash);
    expect(hash).toBe(shared);
    expect(errors).toEqual([]);

    // the headline cards are the report's, each with what it measures
    const h = report.headline;
    const text = (id: string) => page.locator(`[data-testid=${id}]`).innerText();
    expect(await text('stress-removed')).toBe(pct(h.supplyRemoved.share));
    expect(await text('stress-after')).toBe(quantity(h.supplyAfterPropagation.afterTonnes, 't'));
    expect(await text('stress-after-coverage')).toBe(`${pct(h.supplyAfterPropagation.coverageWorldRatio)} of demand`);
    expect(await text('stress-price-basis')).toBe(pct(h.priceBasis.lostShare));
    expect(h.priceBasis.lostShare).toBe(report.price.lostSupplyShare);
    expect(await text('measures-after')).toBe(h.supplyAfterPropagation.measures);
    expect(await text('measures-removed')).toBe(h.supplyRemoved.measures);
    expect(await text('stress-days')).toBe(h.stockpileCover.days === null ? '—' : `${Math.round(h.stockpileCover.days)} days`);
    // the supplier chips show the shares the run uses (one share function, the same series)
    const idnChip = page.locator('[data-testid=supplier-chips] button[data-country=IDN]');
    await idnChip.waitFor();
    expect(await idnChip.innerText()).toContain(pct(report.excluded[0].share, 1));
    await page.screenshot({ path: SHOTS + 'stress-shared-url.png', fullPage: true });
  }, 60_000);

  it('an old partial URL: the defaults it leaves out (60-day stockpile, world holder, export ban, 100%, 12 months) show in the form and the URL', async () => {
    const partial = '#/stress?material=nickel&stage=mining&year=2035&exclude=IDN';
    const { request, report, form, hash } = await open(server.url + partial);
    expect(form).toMatchObject({
      mode: 'export_ban',
      fractionPercent: '100',
      months: '12',
      stockpile: 'japan-60',
      stockpileAmount: null,
      holder: 'world',
      demandScenario: 'STEPS',
      dataset: '',
      demandScope: '',
      tradeYear: '',
    });
    expectShownIsUsed(form, request, report, hash);
    expect(hash).toBe(stressHref(stressRun({ material: 'nickel', stage: 'mining', year: 2035, exclude: ['IDN'] })));
    expect(await page.locator('#s-stock option:checked').innerText()).toBe('Japan 60 days (default)');
    expect(report.stockpile.stockpileDaysOfConsumption).toBeCloseTo(60, 6);
    // the ore ban removes 72% of mined supply but 26% of refined supply reaches no consumer: the page says why
    expect(await page.locator('[data-testid=stress-reconciliation]').innerText()).toBe(report.headline.reconciliation);
    expect(report.headline.reconciliation).toMatch(/IDN's own refiners keep their ore/);
    await page.screenshot({ path: SHOTS + 'stress-partial-url.png', fullPage: false });
  }, 60_000);

  it('the URL a registry measure\'s "Stress test" button opens: shown = used', async () => {
    if (server.kind !== 'bundle') return; // the fixture has no registry
    const { measures } = await api('api/registry/measures?material=gallium&country=CHN');
    const m = measures.find((x: any) => x.direction === 'export');
    const sc = await api(`api/registry/measures/${m.id}/scenario?material=gallium`);
    const { request, report, form, hash } = await open(server.url + sc.stressUrl);
    expectShownIsUsed(form, request, report, hash);
    expect(hash).toBe(sc.stressUrl);
    expect(report.scenario.shock.exclude).toEqual(sc.scenario.shock.exclude);
  }, 60_000);

  it('round trip: form → URL → form → the same request; an edit changes only that input', async () => {
    const start = stressHref(stressRun({ material: 'nickel', stage: 'refining', year: 2035, n1: true }));
    const first = await open(server.url + start);
    expectShownIsUsed(first.form, first.request, first.report, first.hash);
    expect(first.report.excluded.map((e: any) => e.countryId)).toEqual(['IDN']);

    // submitting the form unchanged reproduces the URL and the request
    await page.getByRole('button', { name: 'Run stress test' }).click();
    await page.waitForSelector('[data-testid=stress-removed]');
    expect(new URL(page.url()).hash).toBe(first.hash);
    expect(await readForm(page)).toEqual(first.form);

    // one edit: 9 months and 45 days of stockpile; everything else as before
    await page.fill('#s-months', '9');
    await page.selectOption('#s-stock', 'days');
    await page.fill('#s-stock-amount', '45');
    const response = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/api/stress'));
    await page.getByRole('button', { name: 'Run stress test' }).click();
    const res = await response;
    const report = await res.json();
    await page.waitForFunction(`location.hash.includes('months=9')`);
    const second = { request: new URL(res.url()).searchParams, form: await readForm(page), hash: new URL(page.url()).hash };
    expectShownIsUsed(second.form, second.request, report, second.hash);
    const changed = [...new Set([...first.request.keys(), ...second.request.keys()])].filter((k) => first.request.get(k) !== second.request.get(k)).sort();
    expect(changed).toEqual(['months', 'stockpileDays', 'stockpilePolicy']);
    expect(report.stockpile.stockpileDaysOfConsumption).toBeCloseTo(45, 6);
    expect(report.stockpile.months).toHaveLength(9);
    // the chip and the run agree on Indonesia's share of refined nickel 2035 (one share per cell: 46.2%)
    expect(await page.locator('[data-testid=supplier-chips] button[data-country=IDN]').innerText()).toContain(pct(report.excluded[0].share, 1));
    const conc = await api('api/concentration?material=nickel&stage=refining&year=2035&dataset=iea-cm');
    expect(conc.shares.find((s: any) => s.countryId === 'IDN').share).toBe(report.excluded[0].share);
    expect(errors).toEqual([]);
  }, 90_000);
});
