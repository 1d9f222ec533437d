import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apriTypeOf, importApriPartnerships } from '../../src/ingest/policy/apri.ts';
import type { Agreement } from '../../src/model/registry.ts';
import { ImportError, type ImportBatch } from '../../src/model/schema.ts';
import {
  BINARY_JUNK,
  expectResultOrImportError,
  expectValidRegistryBatch,
  fixturePath,
  mutate,
  mutateJson,
  removeTempDirs,
  rng,
  tempDir,
  writeTemp,
} from './malformed.ts';

// synthetic files in the format of the map data (PROVENANCE.md): 4 invented blocs and 17 bilateral entries with the
// quirks below, texts starting "Synthetic". Checks of the real agreements are in policy-apri.sources.test.ts.
const FOLDER = fixturePath('apri-cm-partnerships');
const MULTI = join(FOLDER, 'multiPartner.json');
const BILATERAL = join(FOLDER, 'bilateralPartner.json');

let batch: ImportBatch;
let agreements: Agreement[];
beforeAll(async () => {
  batch = await importApriPartnerships(FOLDER);
  agreements = batch.agreements!;
});
const byId = (id: string) => agreements.find((a) => a.id === id)!;
const between = (a: string, b: string) => agreements.filter((x) => x.parties.length === 2 && x.parties[0] === a && x.parties[1] === b);

describe('importApriPartnerships on the synthetic map data', () => {
  it('reads 4 blocs and 22 bilateral agreements (17 entries, nested agreement lists expanded), one APRI source', () => {
    expectValidRegistryBatch(batch);
    expect(batch.kind).toBe('apri');
    expect(agreements).toHaveLength(4 + 22);
    expect(agreements.filter((a) => a.id.startsWith('apri-bloc-'))).toHaveLength(4);
    expect(batch.sources).toEqual([
      expect.objectContaining({
        id: 'apri-cm-partnerships',
        dataset: 'apri',
        licence: 'none stated; cite APRI; check before redistribution',
        file: 'multiPartner.json, bilateralPartner.json',
        editionYear: 2026,
        edition: 'map data, agreements dated to 2026-01-15',
      }),
    ]);
    expect(batch.sources[0].caveat).toContain('not bundled');
  });

  it('lists a bloc with its member countries and the EU as EU27', () => {
    const msp = byId('apri-bloc-synthetic-minerals-partnership');
    expect(msp).toMatchObject({ title: 'Synthetic Minerals Partnership', type: 'cooperative', signed: '2021', url: 'https://example.org/synthetic/bloc-2' });
    expect([...msp.parties].sort()).toEqual(['AUS', 'CAN', 'DEU', 'EST', 'EU27', 'FIN', 'FRA', 'GBR', 'IND', 'ITA', 'JPN', 'KOR', 'NOR', 'SWE', 'USA']);
    expect(byId('apri-bloc-synthetic-conference-on-critical-materials').parties).toEqual(['AUS', 'CAN', 'JPN', 'USA', 'EU27']);
    expect(byId('apri-bloc-synthetic-geological-platform').parties).toEqual(['RUS', 'ZAF', 'CHN', 'IND', 'ARE', 'EGY', 'BRA', 'ETH', 'IRN']);
  });

  it('drops the non-country bloc members (AfDB, AFC) with a warning', () => {
    expect(byId('apri-bloc-synthetic-corridor-project').parties).toEqual(['USA', 'AGO', 'COD', 'ZMB', 'EU27']);
    expect(batch.warnings).toContain(
      '2 bloc members are not countries (development banks, companies) or do not resolve: dropped from the parties: Synthetic Corridor Project: "AfDB"; Synthetic Corridor Project: "AFC"',
    );
  });

  it('turns bilateral entries into agreements between the partner and the African country', () => {
    const euZaf = between('EU27', 'ZAF');
    expect(euZaf).toHaveLength(1);
    expect(euZaf[0]).toMatchObject({
      type: 'cooperative',
      signed: '2025-05-20',
      materials: ['pgm', 'manganese', 'rare-earths', 'vanadium', 'chromium', 'titanium'],
      url: 'https://example.org/synthetic/agreement-3',
    });
    expect(euZaf[0].title).toBe('EU–South Africa: Synthetic: MoU on a strategic partnership on minerals and metals value chains');
    expect(euZaf[0].id).toBe('apri-eu27-zaf-synthetic-mou-on-a-strategic-partnership-on-minerals-and-metals-value');
    // nested "agreements" arrays: four Russia–Zimbabwe MoUs, three China–South Africa agreements
    expect(between('RUS', 'ZWE')).toHaveLength(4);
    expect(between('CHN', 'ZAF').map((a) => a.signed)).toEqual(['2006-03-14', '2009-05-06', '2011-11-30']);
    // free-text names: East Timor, Ivory Coast, England-free UK, Guinea Bissau
    expect(between('TLS', 'MOZ')).toHaveLength(1);
    expect(between('IND', 'CIV')[0].materials).toEqual(['cobalt', 'copper', 'lithium']);
    expect(between('CHN', 'GNB')).toHaveLength(1);
    expect(between('USA', 'GIN')[0].materials).toEqual(['bauxite', 'iron-ore', 'phosphate-rock', 'cobalt']);
  });

  it('keeps the date precision given and finds a link in sources when linkAgreement is empty', () => {
    expect(between('IND', 'TZA')[0].signed).toBe('2022-09'); // "2022-09-dd"
    expect(between('CHN', 'DZA')[0].signed).toBe('2015-04'); // "2015-04 - and later renewed"
    expect(between('KOR', 'NGA')[0].signed).toBe('2008');
    expect(between('EU27', 'ZMB')[0].signed).toBeNull();
    expect(between('ITA', 'LBY')[0].url).toBe('https://example.org/synthetic/agreement-4');
    // Google redirect links are unwrapped
    expect(between('CUB', 'ZAF')[0].url).toBe('https://example.org/synthetic/agreement-18.rtf');
    expect(between('CUB', 'ZAF')[0].summary).toContain('In force (APRI): No.');
  });

  it('reads the agreement type from the wording', () => {
    expect(between('RUS', 'NAM')[0].type).toBe('binding'); // Intergovernmental Agreement
    expect(between('ARE', 'KEN')[0].type).toBe('investment_fund'); // Bilateral Investment Co-Operation Agreement
    expect(between('KOR', 'NGA')[0].type).toBe('cooperative'); // MoU on Investments
    expect(between('TUR', 'NGA')[0].type).toBe('cooperative'); // Cooperation Agreement on Mining
    expect(apriTypeOf('Offtake agreement for spodumene')).toBe('offtake');
    expect(apriTypeOf('Joint fund for critical minerals')).toBe('investment_fund');
    expect(apriTypeOf('Legally binding agreement on minerals')).toBe('binding');
    const types = agreements.reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.type]: (acc[a.type] ?? 0) + 1 }), {});
    expect(types).toEqual({ cooperative: 24, investment_fund: 1, binding: 1 });
  });

  it('warns about what it did not read', () => {
    expect(batch.warnings).toEqual([
      'numberPartner.json not read: it counts the partnerships of bilateralPartner.json',
      '2 bloc members are not countries (development banks, companies) or do not resolve: dropped from the parties: Synthetic Corridor Project: "AfDB"; Synthetic Corridor Project: "AFC"',
      '1 phrases of the minerals field name no known material: ignored: EU–South Africa: "Also covers all non-fossil fuel minerals"',
    ]);
  });

  it('reads either file alone, with the same ids', async () => {
    const multi = await importApriPartnerships(MULTI);
    const bilateral = await importApriPartnerships(BILATERAL);
    expect(multi.agreements).toHaveLength(4);
    expect(bilateral.agreements).toHaveLength(22);
    expect([...multi.agreements!, ...bilateral.agreements!].map((a) => a.id)).toEqual(agreements.map((a) => a.id));
    expect(multi.sources[0].file).toBe('multiPartner.json');
  });
});

describe('importApriPartnerships on malformed input', () => {
  afterAll(removeTempDirs);
  const dir = tempDir();
  const multiText = readFileSync(MULTI, 'utf8');
  const bilateralText = readFileSync(BILATERAL, 'utf8');
  const multi = JSON.parse(multiText) as Array<Record<string, unknown>>;
  const bilateral = JSON.parse(bilateralText) as Array<{ nonafrican: unknown; partnership: Array<Record<string, unknown>> }>;
  const run = async (name: string, content: string | Uint8Array) => {
    const file = writeTemp(dir, name, content);
    return { file, r: await expectResultOrImportError(() => importApriPartnerships(file), file, expectValidRegistryBatch) };
  };

  it('names the line of a JSON syntax error', async () => {
    const lines = multiText.split('\n');
    lines[20] = `${lines[20]},,`;
    const { file, r } = await run('multiPartner.json', lines.join('\n'));
    const e = r as ImportError;
    expect(e).toBeInstanceOf(ImportError);
    expect(e.line).toBe(21);
    expect(e.message).toContain(`${file}:21`);
  });

  it('names the bloc and field of a missing or mistyped field', async () => {
    const noMembers = structuredClone(multi);
    delete noMembers[1].members;
    const e1 = (await run('multiPartner.json', JSON.stringify(noMembers))).r as ImportError;
    expect(e1.field).toBe('[1] (Synthetic Minerals Partnership).members');
    expect(e1.message).toContain(join(dir, 'multiPartner.json'));
    const badEu = structuredClone(multi);
    badEu[1].members = { countries: ['USA'], EU: 'all of them' };
    expect(((await run('multiPartner.json', JSON.stringify(badEu))).r as ImportError).field).toBe('[1] (Synthetic Minerals Partnership).members.EU');
  });

  it('names partner, entry and field in bilateral data, including nested agreements', async () => {
    const noType = structuredClone(bilateral);
    delete noType[0].partnership[0].typeAgreement;
    const e1 = (await run('bilateralPartner.json', JSON.stringify(noType))).r as ImportError;
    expect(e1.field).toBe('[0] (EU).partnership[0] (Democratic Republic of the Congo).typeAgreement');
    const badYear = structuredClone(bilateral);
    const russia = badYear.findIndex((p) => p.nonafrican === 'Russia');
    (badYear[russia].partnership[0].agreements as Array<Record<string, unknown>>)[1].year = { y: 2020 };
    const e2 = (await run('bilateralPartner.json', JSON.stringify(badYear))).r as ImportError;
    expect(e2.field).toBe(`[${russia}] (Russia).partnership[0] (Zimbabwe).agreements[1].year`);
    const badPartner = structuredClone(bilateral);
    badPartner[2].nonafrican = 7;
    expect(((await run('bilateralPartner.json', JSON.stringify(badPartner))).r as ImportError).field).toBe('[2].nonafrican');
  });

  it('rejects a wrong root, unknown shapes, empty, binary and missing files and folders', async () => {
    expect(((await run('multiPartner.json', '{"blocs": []}')).r as ImportError).field).toBe('$');
    expect(((await run('other.json', '[{"x": 1}]')).r as ImportError).field).toBe('[0]');
    expect((await run('bilateralPartner.json', '')).r).toBeInstanceOf(ImportError);
    expect((await run('junk.json', BINARY_JUNK)).r).toBeInstanceOf(ImportError);
    const missing = join(dir, 'missing.json');
    expect(await expectResultOrImportError(() => importApriPartnerships(missing), missing, expectValidRegistryBatch)).toBeInstanceOf(ImportError);
    const empty = tempDir();
    const e = await importApriPartnerships(empty).catch((x) => x);
    expect(e).toBeInstanceOf(ImportError);
    expect(e.message).toContain('neither multiPartner.json nor bilateralPartner.json');
  });

  it('warns about partners it cannot resolve instead of dropping them silently', async () => {
    const odd = structuredClone(bilateral);
    odd[1].nonafrican = 'Atlantis';
    const b = await importApriPartnerships(writeTemp(dir, 'bilateralPartner.json', JSON.stringify(odd)));
    expect(b.agreements).toHaveLength(21);
    expect(b.warnings).toContain('1 partnership entries name a partner or African country that does not resolve: not imported: Atlantis–Libya');
  });

  it('survives random byte flips and structural changes', async () => {
    const rand = rng(5);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 40; i++) outcomes[(await run('bilateralPartner.json', mutate(Buffer.from(bilateralText), rand))).r === 'ok' ? 'ok' : 'error']++;
    for (let i = 0; i < 60; i++) outcomes[(await run('bilateralPartner.json', JSON.stringify(mutateJson(bilateral, rand)))).r === 'ok' ? 'ok' : 'error']++;
    for (let i = 0; i < 40; i++) outcomes[(await run('multiPartner.json', JSON.stringify(mutateJson(multi, rand)))).r === 'ok' ? 'ok' : 'error']++;
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  }, 60_000);
});
