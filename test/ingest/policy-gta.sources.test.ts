/**
 * Checks that need the whole GTA extract, and the three policy importers on the whole source folders
 * (npm run test:sources); the synthetic-file tests are in policy-gta.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover, importPath } from '../../src/ingest/index.ts';
import { importGtaInterventions } from '../../src/ingest/policy/gta.ts';
import type { TradeMeasure } from '../../src/model/registry.ts';
import type { ImportBatch } from '../../src/model/schema.ts';
import { Store } from '../../src/store/store.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidRegistryBatch } from './malformed.ts';

const FOLDER = sharedData('gta-cm-interventions');

let batch: ImportBatch;
let measures: TradeMeasure[];
beforeAll(async () => {
  batch = await importGtaInterventions(FOLDER);
  measures = batch.measures!;
});

describe('importGtaInterventions on the whole extract', () => {
  it('turns the 38 Trade Control records into 42 measures (SACU duty: one per member), all registry-valid', () => {
    expectValidRegistryBatch(batch);
    expect(measures).toHaveLength(42);
    expect(new Set(measures.map((m) => m.id.split('-')[1])).size).toBe(38);
    expect(measures.filter((m) => m.countryId === 'IDN')).toHaveLength(11);
  });

  it('reports subsidies, EU acts and doubtful mineral tags in counted warnings', () => {
    expect(batch.warnings[0]).toBe('254 subsidy records not imported: not trade measures');
    expect(batch.warnings[1]).toMatch(/^20 trade controls carry mineral tags their title and description never mention .*: kept as tagged, check them: /);
    expect(batch.warnings[2]).toBe('2 interventions list all 27 EU member states as implementers: imported once each as an EU27 measure: 113997; 101502');
    expect(batch.warnings).toHaveLength(3);
  });

  it("has Indonesia's nickel ore export ban with its date, page and text", () => {
    const byId = (id: string) => measures.find((m) => m.id === id)!;
    expect(byId('gta-73888')).toMatchObject({
      title: 'Indonesia: Nickel ore export ban moved forward by two years',
      countryId: 'IDN',
      direction: 'export',
      measureType: 'ban',
      materials: ['nickel'],
      stages: ['mining'],
      announced: null,
      effective: '2020-01-01',
      targets: [],
      url: 'https://globaltradealert.org/intervention/73888',
    });
    expect(byId('gta-73888').summary).toContain('starting from 1 January 2020');
    expect(byId('gta-143978')).toMatchObject({ countryId: 'IDN', effective: '2025-09-06', materials: ['copper', 'zinc', 'lead'] });
    expect(byId('gta-56272').effective).toBe('2017-02-01');
    expect(byId('gta-62370').effective).toBe('2017-02-01');
  });

  it('maps the real intervention types, implementers and targets', () => {
    const byId = (id: string) => measures.find((m) => m.id === id)!;
    expect(byId('gta-144320')).toMatchObject({
      countryId: 'CHN',
      direction: 'export',
      measureType: 'licence',
      materials: ['rare-earths'],
      effective: '2025-04-04',
    });
    expect(byId('gta-14528')).toMatchObject({ countryId: 'RUS', measureType: 'tax', materials: ['nickel'] });
    expect(byId('gta-14118')).toMatchObject({ countryId: 'GTM', measureType: 'quota' });
    expect(byId('gta-84916')).toMatchObject({ countryId: 'IND', direction: 'import', measureType: 'other' });
    expect(byId('gta-19992')).toMatchObject({ direction: 'import', measureType: 'tax' });
    expect(measures.filter((m) => m.id.startsWith('gta-139906-')).map((m) => m.countryId)).toEqual(['BWA', 'SWZ', 'LSO', 'NAM', 'ZAF']);
    expect(byId('gta-113997')).toMatchObject({ countryId: 'EU27', direction: 'export', measureType: 'ban', targets: ['RUS'] });
    expect(byId('gta-101502')).toMatchObject({ countryId: 'EU27', targets: ['RUS'] });
    expect(byId('gta-135454')).toMatchObject({
      countryId: 'USA',
      direction: 'import',
      measureType: 'ban',
      targets: ['RUS'],
      materials: ['copper', 'nickel', 'aluminium'],
    });
    expect(byId('gta-141467').targets).toEqual(['CHN']);
    // China's 2011 neodymium export tariff is tagged Lithium in the extract; the title adds neodymium
    expect(byId('gta-15740').materials).toEqual(['lithium', 'neodymium', 'rare-earths']);
  });

  it('strips the HTML of every description', () => {
    for (const m of measures) expect(m.summary!).not.toMatch(/<\/?p>|&nbsp;/);
  });
});

describe('the three policy importers on the whole source folders, through importPath', () => {
  let store: Store;
  afterAll(() => store?.close());

  it('are discovered in the shared data folder', () => {
    expect(discover(sharedData('.')).runs).toEqual(
      expect.arrayContaining([
        { kind: 'iea-policies', path: sharedData('iea-cm-policies') },
        { kind: 'gta', path: FOLDER },
        { kind: 'apri', path: sharedData('apri-cm-partnerships') },
      ]),
    );
  });

  it('import into one in-memory store: 58 + 42 + 106 registry records from 3 sources', async () => {
    store = await Store.open(':memory:');
    const iea = await importPath(store, 'iea-policies', sharedData('iea-cm-policies'));
    const gta = await importPath(store, 'gta', FOLDER);
    const apri = await importPath(store, 'apri', sharedData('apri-cm-partnerships'));
    expect([iea.registry, gta.registry, apri.registry]).toEqual([27 + 31, 42, 106]);
    const counts = await store.counts();
    expect(counts.registry).toBe(58 + 42 + 106);
    expect(counts.sources).toBe(3);
  });
});
