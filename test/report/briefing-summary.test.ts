/**
 * The briefing's one-page summary (issue 17): headline, three numbers, what changed, measures in force from the
 * registry, exposure, options — then the annex; and one source per number: every share the document states for a
 * country equals the share GET /api/concentration gives for the same material, stage and year (bundled data).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { briefingHtml, briefingMarkdown } from '../../src/report/briefing.ts';
import { COUNTRIES } from '../../src/model/countries.ts';
import type { DatasetIndex } from '../../src/engine/dataset.ts';
import type { ConcentrationRow } from '../../src/engine/concentration-report.ts';
import { bundledIndex } from '../engine/bundled-index.ts';

const ON = '2026-12-04';
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('cobalt briefing', () => {
  let index: DatasetIndex;
  let md: string;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    index = await bundledIndex();
    md = briefingMarkdown(index, 'cobalt', ON);
    app = createApp({ index, store: { sources: async () => [] } } as never);
  }, 240_000);

  const api = async (stage: string, year: number): Promise<ConcentrationRow> => {
    const r = await app.request(`/api/concentration?material=cobalt&stage=${stage}&year=${year}`);
    expect(r.status).toBe(200);
    return (await r.json()) as ConcentrationRow;
  };

  it('opens with the one-page summary, then the annex', () => {
    const summaryEnd = md.indexOf('# Annex');
    expect(summaryEnd).toBeGreaterThan(0);
    const summary = md.slice(0, summaryEnd);
    for (const h of ['## Three numbers', '## What changed', '## Measures in force', '## Exposure', '## Options']) expect(summary).toContain(h);
    expect(summary.split('\n')[2]).toMatch(/^\*\*DR Congo supplies \d+\.\d% of the world's mined cobalt/);
    // The DRC's quotas are in force; its 2025 ban is listed as ended, not as in force.
    const inForce = summary.slice(summary.indexOf('## Measures in force'), summary.indexOf('Not in force today'));
    expect(inForce).toContain('DRC: cobalt export quotas');
    expect(inForce).not.toContain('temporary suspension of cobalt exports');
    expect(summary.slice(summary.indexOf('Not in force today'))).toContain('DRC: temporary suspension of cobalt exports');
    expect(summary).toMatch(/One series per stage throughout: mining shares: U\.S\. Geological Survey/);
  });

  it('every share stated for a country equals the API share of the same material, stage and year', async () => {
    const summary = md.slice(0, md.indexOf('# Annex'));
    const keyNumbers = [...summary.matchAll(/- \*\*(\d+\.\d)%\*\* — (.+?), share of world (mining|refining) \((\d{4})e?;/g)];
    expect(keyNumbers.length).toBe(2);
    for (const [, value, country, stage, year] of keyNumbers) {
      const row = await api(stage, Number(year));
      const share = row.shares.find((s) => s.country === country);
      expect(share, `${country} ${stage} ${year}`).toBeDefined();
      expect(`${value}%`).toBe(pct(share!.share));
    }
    // Across the whole document (summary and annex), a country's share takes only the values of the series the
    // key figures use: no second series (e.g. DRC mining 75.9% here and 67% elsewhere).
    const years: Record<string, number> = {};
    for (const [, , , stage, year] of keyNumbers) years[stage] = Number(year);
    const reserves = index.years('cobalt', 'reserves').at(-1)!;
    const allowed = new Map<string, Set<string>>();
    for (const [stage, year] of [...Object.entries(years), ['reserves', reserves] as const]) {
      const row = await api(stage, Number(year));
      for (const s of row.shares) allowed.set(s.country, new Set([...(allowed.get(s.country) ?? []), pct(s.share)]));
    }
    const names = COUNTRIES.filter((c) => c.kind === 'country').map((c) => c.name);
    let checked = 0;
    for (const line of md.split('\n')) {
      if (/share of world/.test(line)) continue; // the key numbers, checked above
      if (/^\| (Mining|Refining|Stage)|^\d+\. /.test(line)) continue; // HHI / top-3 tables, the source list
      const present = names.filter((n) => line.includes(n));
      // "Guinea" inside "Papua New Guinea": keep the longest name only
      for (const n of present.filter((n) => !present.some((o) => o !== n && o.includes(n)))) {
        const re = new RegExp(`${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?: \\(e\\))?[^%|\\n;(]{0,40}?(\\d+\\.\\d)%`, 'g');
        for (const m of line.matchAll(re)) {
          checked++;
          expect(allowed.get(n), `${n} in: ${line}`).toBeDefined();
          expect([...allowed.get(n)!], `${n} in: ${line}`).toContain(`${m[1]}%`);
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('the HTML has the summary as its own printed page before the annex', () => {
    const html = briefingHtml(index, 'cobalt', ON);
    const s = html.indexOf('data-testid="briefing-summary"');
    expect(s).toBeGreaterThan(0);
    expect(html.indexOf('Annex: Cobalt')).toBeGreaterThan(s);
    expect(html).toMatch(/\.summary\{break-after:page[;}]/);
  });
});
