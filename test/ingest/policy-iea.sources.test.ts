/** Checks that need the whole IEA policy tracker extract (npm run test:sources); the excerpt tests are in policy-iea.test.ts. */
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

  it('merges the per-country rows of the arrangements the excerpt leaves out', () => {
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
    expect(batch.warnings[1]).toMatch(/^10 trade-measure policies name no known material in their labels, title or description: not imported .*line 583 "Updated List of European Waste/);
    expect(batch.warnings[2]).toMatch(/^22 technology\/tag labels of trade-measure policies are not material names, ignored: Materials use and efficiency technologies/);
    expect(batch.warnings[3]).toMatch(/^3 international arrangements name fewer than two resolvable parties .*"European Raw Materials Alliance" \(EU27\).*"Saudi Arabia - Vale-Minerals Agreement" \(SAU\)$/);
    expect(batch.warnings[4]).toBe('1 policies have status Ended but no usable yearEnded: end date left empty: line 277 "Canada-Japan Sectoral Working Group on Critical Minerals"');
    expect(batch.warnings).toHaveLength(5);
  });
});
