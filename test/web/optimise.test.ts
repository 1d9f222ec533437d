/**
 * Optimisation page in a real browser: the coalition builder form posts to the API and shows the same partners and
 * coverage; an unreachable target shows the server's reason.
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
    await expect(page.getByRole('alert').first().innerText({ timeout: 60_000 })).resolves.toMatch(/422: no coalition reaches 99\.0%/);
    expect(errors.filter((e) => !/422/.test(e))).toEqual([]);
  }, 180_000);
});
