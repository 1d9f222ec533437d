/** Checks that need the whole IEA policy tracker extract (npm run test:sources); the synthetic-file tests are in policy-iea.test.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { importIeaPolicies } from '../../src/ingest/policy/iea-policies.ts';
import type { Agreement, TradeMeasure } from '../../src/model/registry.ts';
import type { ImportBatch } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidRegistryBatch } from './malformed.ts';

const FOLDER = sharedData('iea-cm-policies');

let batch: ImportBatch;
let measures: TradeMeasure[];
let agreements: Agreement[];
beforeAll(async () => {
  batch = await importIeaPolicies(FOLDER);
  measures = batch.measures!;
  agreements = batch.agreements!;
});
const agreement = (title: RegExp) => agreements.find((a) => title.test(a.title));

describe('importIeaPolicies on the whole tracker extract', () => {
  it('reads 27 trade measures and 31 agreements, all registry-valid', () => {
    expectValidRegistryBatch(batch);
    expect(measures).toHaveLength(27);
    expect(agreements).toHaveLength(31);
    expect(measures.filter((m) => m.countryId === 'CHN')).toHaveLength(7);
  });

  it("has China's gallium and germanium export control of 2023, effective 1 August 2023, as a licence requirement on refined products", () => {
    const gaGe = measures.find((m) => m.id === 'iea-chn-announcement-on-the-implementation-of-export-control-of-items-related-to-gallium-and-germanium')!;
    expect(gaGe).toMatchObject({
      countryId: 'CHN',
      direction: 'export',
      measureType: 'licence',
      materials: ['gallium', 'germanium'],
      stages: ['refining'],
      announced: '2023',
      effective: '2023-08-01',
      ended: null,
      targets: [],
    });
    expect(gaGe.summary).toContain('export licenses');
  });

  it('maps the real bans, quotas, taxes and import measures, dates and stages', () => {
    const measure = (title: RegExp, countryId: string) => measures.filter((m) => title.test(m.title) && m.countryId === countryId);
    expect(measure(/nickel ore/, 'IDN')[0]).toMatchObject({
      measureType: 'ban',
      direction: 'export',
      materials: ['nickel'],
      stages: ['mining'],
      announced: '2020',
      effective: '2020',
    });
    expect(measure(/Bauxite Ores/, 'IDN')[0]).toMatchObject({ measureType: 'ban', materials: ['bauxite'], stages: ['mining'], announced: '2023-06-01' });
    expect(measure(/Cobalt Quota System/, 'COD')[0]).toMatchObject({ measureType: 'quota', announced: '2025-09-20', effective: '2025-10-16' });
    expect(measure(/suspension of cobalt export/, 'COD')[0]).toMatchObject({ measureType: 'ban', effective: '2025-02-22', targets: [] });
    expect(measure(/Temporary import tax decrease/, 'MEX')[0]).toMatchObject({ direction: 'import', measureType: 'tax', announced: '2023-08-16' });
    expect(measure(/Antimony and Other Items/, 'CHN')[0]).toMatchObject({ measureType: 'licence', effective: '2024-09-15', stages: ['mining', 'refining'] });
    expect(measure(/unrefined metals in Tanzania/, 'TZA')[0]).toMatchObject({ ended: '2020', stages: ['mining'], materials: ['copper'] });
    expect(measure(/Malaysia's Plan to Ban Rare Earth Exports/, 'MYS')[0]).toMatchObject({
      measureType: 'ban',
      materials: ['rare-earths'],
      announced: '2023',
      effective: null,
    });
    expect(measure(/Dual-Use Items to the United States/, 'CHN')[0]).toMatchObject({
      targets: ['USA'],
      measureType: 'ban',
      materials: ['gallium', 'germanium', 'antimony', 'graphite'],
    });
    expect(measure(/Announcement No\. 10 of 2025/, 'CHN')[0].materials).toEqual(['tungsten', 'tin', 'antimony', 'molybdenum', 'germanium']);
    expect(measures.filter((m) => /conflict minerals/.test(m.title))).toEqual([]);
    expect(measure(/Export Benchmark Prices/, 'IDN')[0].materials).toEqual(['copper', 'gold', 'zinc', 'lead']);
  });

  it('merges the per-country rows of the real arrangements', () => {
    expect(agreement(/^Canada-EU Strategic Partnership/)).toMatchObject({ type: 'cooperative', parties: ['CAN', 'EU27'], signed: '2021' });
    expect(agreement(/^Conference on Critical Materials and Minerals/)!.parties).toEqual(['JPN', 'AUS', 'USA', 'EU27', 'CAN']);
    expect(agreement(/^Minerals Security Partnership/)!.parties).toEqual(['MSP']);
    expect(agreement(/^Canada-Japan Sectoral Working Group/)).toMatchObject({ parties: ['CAN', 'JPN'], ended: null });
    expect(agreement(/^US - Japan Agreement/)).toMatchObject({ type: 'binding', parties: ['USA', 'JPN'], signed: '2023' });
    expect(agreement(/Saudi Arabia - Vale/)).toBeUndefined();
  });

  it('merges the per-country rows of further arrangements', () => {
    expect(agreement(/^Korea-U\.S\. High-Tech/)!.parties).toEqual(['KOR', 'USA']);
    expect(agreement(/^Quad Statement/)!.parties).toEqual(['AUS', 'JPN', 'USA', 'IND']);
    expect(agreement(/^Energy Resource Governance Initiative/)!.parties).toEqual(['ERGI']);
    expect(agreement(/^DRC-US Strategic Partnership Agreement/)).toMatchObject({ type: 'binding', parties: ['USA', 'COD'], signed: '2025-12-04' });
    expect(agreement(/^US-Malaysia Memorandum/)!.type).toBe('cooperative');
    expect(agreements.filter((a) => /Canada-EU Strategic/.test(a.title))).toHaveLength(1);
  });

  it('reports what it could not import, with counts and the original line numbers', () => {
    expect(batch.warnings[0]).toBe(
      '534 of 625 policies are neither trade measures nor international agreements (strategic plans, permitting, financing, standards …): not imported, the registry holds measures and agreements only',
    );
    expect(batch.warnings[1]).toMatch(
      /^10 trade-measure policies name no known material in their labels, title or description: not imported .*line 583 "Updated List of European Waste/,
    );
    expect(batch.warnings[2]).toMatch(
      /^22 technology\/tag labels of trade-measure policies are not material names, ignored: Materials use and efficiency technologies/,
    );
    expect(batch.warnings[3]).toMatch(
      /^3 international arrangements name fewer than two resolvable parties .*"European Raw Materials Alliance" \(EU27\).*"Saudi Arabia - Vale-Minerals Agreement" \(SAU\)$/,
    );
    expect(batch.warnings[4]).toBe(
      '1 policies have status Ended but no usable yearEnded: end date left empty: line 277 "Canada-Japan Sectoral Working Group on Critical Minerals"',
    );
    expect(batch.warnings).toHaveLength(5);
  });
});
