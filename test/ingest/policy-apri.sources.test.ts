/** Checks that need the whole APRI map data (npm run test:sources); the synthetic-file tests are in policy-apri.test.ts. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importApriPartnerships } from '../../src/ingest/policy/apri.ts';
import type { ImportBatch } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidRegistryBatch } from './malformed.ts';

const FOLDER = sharedData('apri-cm-partnerships');

let batch: ImportBatch;
beforeAll(async () => {
  batch = await importApriPartnerships(FOLDER);
});

describe('importApriPartnerships on the whole map data', () => {
  it('reads 9 blocs and 97 bilateral agreements (82 entries, nested agreement lists expanded), all registry-valid', () => {
    expectValidRegistryBatch(batch);
    expect(batch.agreements).toHaveLength(106);
    expect(batch.agreements!.filter((a) => a.id.startsWith('apri-bloc-'))).toHaveLength(9);
  });

  it('lists the real blocs: the MSP with its members and the EU as EU27, Lobito without AfDB and AFC', () => {
    const byId = (id: string) => batch.agreements!.find((a) => a.id === id)!;
    const msp = byId('apri-bloc-minerals-security-partnership');
    expect(msp).toMatchObject({
      title: 'Minerals Security Partnership',
      type: 'cooperative',
      signed: '2022',
      url: 'https://www.state.gov/minerals-security-partnership/',
    });
    expect([...msp.parties].sort()).toEqual(['AUS', 'CAN', 'DEU', 'EST', 'EU27', 'FIN', 'FRA', 'GBR', 'IND', 'ITA', 'JPN', 'KOR', 'NOR', 'SWE', 'USA']);
    expect(byId('apri-bloc-conference-on-critical-materials-and-minerals').parties).toEqual(['AUS', 'CAN', 'JPN', 'USA', 'EU27']);
    expect(byId('apri-bloc-brics-geological-platform').parties).toHaveLength(9);
    expect(byId('apri-bloc-lobito-corridor-project').parties).toEqual(['USA', 'AGO', 'COD', 'ZMB', 'EU27']);
  });

  it('reads the real bilateral agreements with their dates, materials and links', () => {
    const between = (a: string, b: string) => batch.agreements!.filter((x) => x.parties.length === 2 && x.parties[0] === a && x.parties[1] === b);
    const euZaf = between('EU27', 'ZAF');
    expect(euZaf).toHaveLength(1);
    expect(euZaf[0]).toMatchObject({
      title: 'EU–South Africa: MoU on a strategic partnership on sustainable minerals and metals value chains',
      signed: '2025-11-19',
      materials: ['pgm', 'manganese', 'rare-earths', 'vanadium', 'chromium', 'titanium'],
      url: 'https://resourcecontracts.org/contract/ocds-591adf-7893160858/download/pdf',
    });
    expect(between('RUS', 'ZWE')).toHaveLength(4);
    expect(between('CHN', 'ZAF').map((a) => a.signed)).toEqual(['2007-09-24', '2008-11-10', '2010-08-01']);
    expect(between('IND', 'TZA')[0].signed).toBe('2023-04');
    expect(between('CHN', 'DZA')[0].signed).toBe('2014-02');
    expect(between('KOR', 'NGA')[0].signed).toBe('2006');
    expect(between('ITA', 'LBY')[0].url).toBe(
      'https://www.agenzianova.com/en/news/la-missione-di-urso-in-libia-focus-su-industria-materie-prime-e-rinnovabili/',
    );
    expect(between('CUB', 'ZAF')[0].url).toBe('https://pmg.org.za/files/201014Bilateral_agreements2020.rtf');
    expect(between('USA', 'GIN')[0].materials).toEqual(['bauxite', 'iron-ore', 'phosphate-rock', 'cobalt']);
    expect(between('RUS', 'NAM')[0].type).toBe('binding');
    expect(between('ARE', 'KEN')[0].type).toBe('investment_fund');
  });

  it('types every agreement from its wording', () => {
    const types = batch.agreements!.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.type]: (acc[a.type] ?? 0) + 1 }), {});
    expect(types).toEqual({ cooperative: 102, investment_fund: 3, binding: 1 });
  });

  it('warns about exactly what it did not read', () => {
    expect(batch.warnings).toEqual([
      'numberPartner.json not read: it counts the partnerships of bilateralPartner.json',
      '2 bloc members are not countries (development banks, companies) or do not resolve: dropped from the parties: Lobito Corridor Project: "AfDB"; Lobito Corridor Project: "AFC"',
      '1 phrases of the minerals field name no known material: ignored: EU–South Africa: "Also covers all non-fossil fuel minerals"',
    ]);
  });

  it('reads either file alone, with the same ids', async () => {
    const multi = await importApriPartnerships(join(FOLDER, 'multiPartner.json'));
    const bilateral = await importApriPartnerships(join(FOLDER, 'bilateralPartner.json'));
    expect(multi.agreements).toHaveLength(9);
    expect(bilateral.agreements).toHaveLength(97);
    expect([...multi.agreements!, ...bilateral.agreements!].map((a) => a.id)).toEqual(batch.agreements!.map((a) => a.id));
  });
});
