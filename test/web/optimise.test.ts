/**
 * Optimisation page in a real browser: the coalition builder form posts to the API and shows the same partners and
 * coverage; an unreachable target shows the server's reason. The coordinated-stockpile and portfolio forms show the API's
 * per-partner and per-material answers; a bad option shows the server's validation message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserSession, hasChromium, openBrowserSession, type TestServer } from './browser.ts';

const chromiumHere = hasChromium('optimisation browser tests');

describe.skipIf(!chromiumHere)('optimisation page in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    ({ server, browser, page } = await openBrowserSession(errors));
  }, 180_000);
  afterAll(() => closeBrowserSession({ server, browser }));

  const callApi = async (path: string, body: unknown): Promise<any> =>
    (
      await fetch(server.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(server.token ? { authorization: `Bearer ${server.token}` } : {}) },
        body: JSON.stringify(body),
      })
    ).json();

  it('coalition builder: the table shows the API’s answer; an unreachable target shows why', async () => {
    const fixture = server.kind !== 'bundle';
    const body = fixture
      ? { bloc: 'MSP', materials: 'cobalt', year: '2023', target: '0.2', exclude: '' }
      : { bloc: 'G7', materials: 'cobalt, lithium', year: '2035', target: '0.1', exclude: 'CHN' };
    const api: any = await (
      await fetch(server.url + 'api/optimise/coalition', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(server.token ? { authorization: `Bearer ${server.token}` } : {}) },
        body: JSON.stringify({
          bloc: body.bloc,
          materials: body.materials.split(',').map((s) => s.trim()),
          year: Number(body.year),
          target: Number(body.target),
          ...(body.exclude ? { exclude: [body.exclude] } : {}),
        }),
      })
    ).json();
    await page.goto(server.url + '#/optimise');
    const form = page.locator('section[aria-labelledby=opt-coalition] form');
    await form.getByLabel('Bloc').fill(body.bloc);
    await form.getByLabel('Materials').fill(body.materials);
    await form.getByLabel('Year').fill(body.year);
    await form.getByLabel('Target (0–1)').fill(body.target);
    await form.getByLabel('May not join').fill(body.exclude);
    await form.getByRole('button', { name: 'Solve' }).click();
    const table = page.getByRole('region', { name: 'coalition builder result' });
    await table.waitFor({ timeout: 60_000 });
    const cells = await table.locator('tbody tr td:nth-child(3)').allInnerTexts();
    expect(cells).toEqual(api.result.rows.map((r: { after: number }) => `${(r.after * 100).toFixed(1)}%`));
    for (const p of api.result.partners) await expect(page.locator('section[aria-labelledby=opt-coalition]').innerText()).resolves.toContain(p.countryId);

    await form.getByLabel('Target (0–1)').fill('0.99');
    await form.getByLabel('May not join').fill('CHN');
    await form.getByRole('button', { name: 'Solve' }).click();
    await expect(page.getByRole('alert').first().innerText({ timeout: 60_000 })).resolves.toMatch(/422: target: no coalition reaches 99\.0%/);
    expect(errors.filter((e) => !/422/.test(e))).toEqual([]);
  }, 180_000);

  it('coordinated stockpiles: the per-partner table shows the API’s alone vs pooled answer', async () => {
    const year = server.kind !== 'bundle' ? '2023' : '2024';
    const api = await callApi('api/optimise/coordinated', {
      materials: ['cobalt'],
      year: Number(year),
      holders: [
        { id: 'A', shortfallShare: 0.6, budget: 300 },
        { id: 'B', shortfallShare: 0.4, budget: 1200 },
      ],
      budgetKind: 'tonnes',
      sharing: 1,
      scenarioSource: 'risk',
      seed: 7,
      samples: 2000,
    });
    expect(api.result.holders).toHaveLength(2);
    await page.goto(server.url + '#/optimise');
    const section = page.locator('section[aria-labelledby=opt-coordinated]');
    const form = section.locator('form');
    await form.getByRole('button', { name: 'Remove partner 3' }).click();
    await form.getByLabel('Partner 1 id').fill('A');
    await form.getByLabel('Partner 1 shortfall share').fill('0.6');
    await form.getByLabel('Partner 1 budget (t)').fill('300');
    await form.getByLabel('Partner 2 id').fill('B');
    await form.getByLabel('Partner 2 shortfall share').fill('0.4');
    await form.getByLabel('Partner 2 budget (t)').fill('1200');
    await form.getByLabel('Materials').fill('cobalt');
    await form.getByLabel('Year').fill(year);
    await form.getByLabel('Sharing share (0–1)').fill('1');
    await form.getByLabel('Monte Carlo seed').fill('7');
    await form.getByRole('button', { name: 'Solve' }).click();
    const table = page.getByRole('region', { name: 'coordinated stockpiles result' });
    await table.waitFor({ timeout: 120_000 });
    const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
    expect(await table.locator('tbody tr th').allInnerTexts()).toEqual(['A', 'B']);
    expect(await table.locator('tbody tr td:nth-child(3)').allInnerTexts()).toEqual(api.result.holders.map((h: any) => fmt(h.alone.expectedShortfallCost)));
    expect(await table.locator('tbody tr td:nth-child(4)').allInnerTexts()).toEqual(api.result.holders.map((h: any) => fmt(h.pooled.expectedShortfallCost)));
    await expect(section.innerText()).resolves.toContain(`gain of cooperation ${fmt(api.result.gainOfCooperation)} t`);
    await expect(section.innerText()).resolves.toContain('Sources');
    expect(errors).toEqual([]);
  }, 240_000);

  it('portfolio: the worked example’s options give the API’s choice and coverage; a bad option shows the server’s message', async () => {
    const year = server.kind !== 'bundle' ? '2023' : '2024';
    await page.goto(server.url + '#/optimise');
    const section = page.locator('section[aria-labelledby=opt-portfolio]');
    const form = section.locator('form');
    const options = JSON.parse(await form.getByLabel('Options (JSON)').inputValue());
    expect(options.map((o: { id: string }) => o.id)).toEqual(['fin-refinery', 'chn-offtake', 'jpn-floor']);
    const api = await callApi('api/optimise/portfolio', { objective: 'n1-coverage', budget: 50, materials: ['cobalt'], year: Number(year), options });
    expect(api.result.perMaterial).toHaveLength(1);
    await form.getByLabel('Budget', { exact: true }).fill('50');
    await form.getByLabel('Materials').fill('cobalt');
    await form.getByLabel('Year').fill(year);
    await form.getByRole('button', { name: 'Solve' }).click();
    const table = page.getByRole('region', { name: 'portfolio result' });
    await table.waitFor({ timeout: 120_000 });
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect(await table.locator('tbody tr td:nth-child(3)').allInnerTexts()).toEqual(api.result.perMaterial.map((m: any) => pct(m.after)));
    await expect(section.innerText()).resolves.toContain(`Chosen: ${api.result.chosen.length ? api.result.chosen.join(', ') : 'none'}`);
    await expect(page.getByRole('region', { name: 'price floor costs' }).innerText()).resolves.toContain('jpn-floor');

    await form.getByLabel('Options (JSON)').fill(JSON.stringify([{ id: 'x', kind: 'mine', countryId: 'FIN', cost: 1, tonnesPerYear: { cobalt: 1 } }]));
    await form.getByRole('button', { name: 'Solve' }).click();
    await expect(section.getByRole('alert').innerText({ timeout: 60_000 })).resolves.toMatch(/^400: .*options\.0\.kind/);
    expect(errors.filter((e) => !/400/.test(e))).toEqual([]);
  }, 240_000);
});
