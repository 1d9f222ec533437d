import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIeaPolicies } from '../../src/ingest/policy/iea-policies.ts';
import type { Agreement, TradeMeasure } from '../../src/model/registry.ts';
import { ImportError, type ImportBatch } from '../../src/model/schema.ts';
import { BINARY_JUNK, expectResultOrImportError, expectValidRegistryBatch, fixturePath, mutate, removeTempDirs, rng, tempDir, writeTemp } from './malformed.ts';

// synthetic file in the format of the tracker extract (PROVENANCE.md): 25 invented policy rows, titles ending
// "(synthetic)": trade measures, international arrangements (per-country rows merged) and the rows behind each warning.
// Checks of the real policies are in policy-iea.sources.test.ts.
const FOLDER = fixturePath('iea-cm-policies');
const FILE = join(FOLDER, 'IEA_CM_Policies.csv');

let batch: ImportBatch;
let measures: TradeMeasure[];
let agreements: Agreement[];
beforeAll(async () => {
  batch = await importIeaPolicies(FOLDER);
  measures = batch.measures!;
  agreements = batch.agreements!;
});
const measure = (title: RegExp, countryId?: string) => measures.filter((m) => title.test(m.title) && (!countryId || m.countryId === countryId));
const agreement = (title: RegExp) => agreements.find((a) => title.test(a.title));

describe('importIeaPolicies on the synthetic tracker extract', () => {
  it('reads the CSV in the folder: 12 trade measures and 5 agreements, all registry-valid, one IEA source', () => {
    expectValidRegistryBatch(batch);
    expect(batch.kind).toBe('iea-policies');
    expect(batch.file).toBe(FILE);
    expect(batch.observations).toEqual([]);
    expect(measures).toHaveLength(12);
    expect(agreements).toHaveLength(5);
    expect(batch.sources).toHaveLength(1);
    expect(batch.sources[0]).toMatchObject({
      id: 'iea-cm-policy-tracker',
      dataset: 'iea-policies',
      publisher: 'International Energy Agency',
      title: 'Critical Minerals Policy Tracker',
      licence: 'IEA terms of use (attribution; redistribution not verified)',
      file: 'IEA_CM_Policies.csv',
      editionYear: 2026,
      edition: 'extract, records modified up to 2026-01-29',
    });
    expect(batch.sources[0].caveat).toMatch(/third-party extract/i);
    expect(batch.sources[0].caveat).toMatch(/not bundled/);
  });

  it('has the synthetic gallium and germanium export control, effective 1 September 2023, as a licence requirement on refined products', () => {
    const [gaGe] = measure(/Gallium and Germanium/, 'CHN');
    expect(gaGe).toMatchObject({
      countryId: 'CHN',
      direction: 'export',
      measureType: 'licence',
      materials: ['gallium', 'germanium'],
      stages: ['refining'],
      announced: '2023',
      effective: '2023-09-01',
      ended: null,
      targets: [],
    });
    expect(gaGe.id).toBe('iea-chn-export-control-of-items-related-to-gallium-and-germanium-synthetic');
    expect(gaGe.summary).toContain('export licenses');
    expect(gaGe.summary).not.toMatch(/<\/?div>/);
  });

  it('maps bans, quotas, taxes and import measures, dates and stages from the policy text', () => {
    expect(measure(/nickel ore/, 'IDN')[0]).toMatchObject({
      measureType: 'ban',
      direction: 'export',
      materials: ['nickel'],
      stages: ['mining'],
      announced: '2019',
      effective: '2019',
    });
    // DD-MM-YYYY datePromulgated
    expect(measure(/Bauxite Ores/, 'IDN')[0]).toMatchObject({ measureType: 'ban', materials: ['bauxite'], stages: ['mining'], announced: '2022-07-15' });
    // effective date from the description ("starting from November 1, 2025")
    expect(measure(/Cobalt Export Quota System/, 'COD')[0]).toMatchObject({ measureType: 'quota', announced: '2025-08-10', effective: '2025-11-01' });
    // the country a title names after "from" is the implementer, not a target
    expect(measure(/suspension of cobalt export/, 'COD')[0]).toMatchObject({ measureType: 'ban', effective: '2025-03-01', targets: [] });
    // yearEnded of a policy still In force is not an end date
    expect(measure(/Temporary import tax decrease/, 'MEX')[0]).toMatchObject({
      direction: 'import',
      measureType: 'tax',
      materials: ['lithium'],
      announced: '2022-03-21',
      ended: null,
    });
    expect(measure(/Export Controls on Antimony Items/, 'CHN')[0]).toMatchObject({
      measureType: 'licence',
      effective: '2024-10-01',
      stages: ['mining', 'refining'],
    });
    // status Ended + yearEnded → ended; "unrefined" is the mining stage; the multi-line description is read whole
    expect(measure(/unrefined metals/, 'TZA')[0]).toMatchObject({
      ended: '2019',
      stages: ['mining'],
      materials: ['copper'],
      summary: 'Synthetic record: the export of unrefined copper\nconcentrates is banned.',
    });
    // an Announced policy is not yet effective
    expect(measure(/Malaysia's Plan to Ban Rare Earth Exports/, 'MYS')[0]).toMatchObject({
      measureType: 'ban',
      materials: ['rare-earths'],
      announced: '2024',
      effective: null,
    });
    // the destination a title names becomes the target
    expect(measure(/Dual-Use Items to the United States/, 'CHN')[0]).toMatchObject({
      targets: ['USA'],
      measureType: 'ban',
      materials: ['gallium', 'germanium', 'antimony', 'graphite'],
    });
    // "Non-tariff measures" count only when the text names an export control: Announcement No. 99 does, the
    // conflict-minerals law does not
    expect(measure(/Announcement No\. 99 of 2024/, 'CHN')[0].materials).toEqual(['tungsten', 'tin', 'antimony', 'molybdenum', 'germanium']);
    expect(measure(/conflict minerals/)).toEqual([]);
    expect(measures.filter((m) => m.countryId === 'CHN')).toHaveLength(4);
    // a tariff policy whose only label is a technology, not a material: materials from its text
    expect(measure(/Export Benchmark Prices/, 'IDN')[0]).toMatchObject({ measureType: 'tax', materials: ['copper', 'zinc', 'lead'] });
  });

  it('merges the per-country rows of an international arrangement into one agreement, EUR → EU27', () => {
    expect(agreement(/^Canada-EU Raw Materials Partnership/)).toMatchObject({ type: 'cooperative', parties: ['CAN', 'EU27'], signed: '2020' });
    expect(agreement(/^Conference on Battery Materials/)!.parties).toEqual(['JPN', 'AUS', 'USA', 'EU27', 'CAN']);
    // a named bloc with a grouping id: the id is its only party
    expect(agreement(/^Minerals Security Partnership/)!.parties).toEqual(['MSP']);
    expect(agreement(/^Canada-Japan Working Group/)).toMatchObject({ parties: ['CAN', 'JPN'], ended: null }); // Ended, no yearEnded
    // the second party comes from the title
    expect(agreement(/^US - Japan Agreement/)).toMatchObject({ type: 'binding', parties: ['USA', 'JPN'], signed: '2022' });
    expect(agreements.filter((a) => /Canada-EU Raw/.test(a.title))).toHaveLength(1);
    expect(agreement(/Saudi Arabia - Minerals Company/)).toBeUndefined();
  });

  it('reports what it could not import, with counts', () => {
    expect(batch.warnings).toEqual([
      '2 of 25 policies are neither trade measures nor international agreements (strategic plans, permitting, financing, standards …): not imported, the registry holds measures and agreements only',
      '1 trade-measure policies name no known material in their labels, title or description: not imported (a measure needs a material or HS code): line 21 "Updated List of Waste with battery-related waste codes (synthetic)"',
      '1 technology/tag labels of trade-measure policies are not material names, ignored: Materials use and efficiency technologies',
      '2 international arrangements name fewer than two resolvable parties (or parties that are not governments): not imported as agreements: line 3 "European Battery Materials Alliance (synthetic)" (EU27); line 18 "Saudi Arabia - Minerals Company Agreement (synthetic)" (SAU)',
      '1 policies have status Ended but no usable yearEnded: end date left empty: line 10 "Canada-Japan Working Group on Battery Minerals (synthetic)"',
    ]);
  });

  it('gives the same ids on every run and for the file or its folder', async () => {
    const again = await importIeaPolicies(FILE);
    expect(again.measures!.map((m) => m.id)).toEqual(measures.map((m) => m.id));
    expect(again.agreements!.map((a) => a.id)).toEqual(agreements.map((a) => a.id));
    for (const r of [...measures, ...agreements]) expect(r.id).toMatch(/^iea-[a-z0-9][a-z0-9._-]{1,116}$/);
  });
});

describe('importIeaPolicies on malformed input', () => {
  afterAll(removeTempDirs);
  const dir = tempDir();
  const original = readFileSync(FILE);
  const HEADER =
    'title,description,status,year,jurisdiction,source,datePromulgated,yearEnded,learnMore,learnMoreLanguage,dateModified,countries,states,technologies,tags,policyType';
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  interface Row {
    title: string;
    description: string;
    year: string;
    datePromulgated: string;
    countries: string;
    policyType: string;
  }
  const good: Row = {
    title: 'Export ban on nickel ore',
    description: '<p>Bans the export\nof nickel ore.</p>',
    year: '2020',
    datePromulgated: '2020-01-01',
    countries: '[{"iso3":"IDN","name":"Indonesia"}]',
    policyType: '[{"topic":"Critical Minerals","family":"Trade","name":"Export and import ban","category":"Critical minerals"}]',
  };
  const csv = (rows: Array<Partial<Row>>) =>
    [
      HEADER,
      ...rows.map((r0) => {
        const r = { ...good, ...r0 };
        return [
          q(r.title),
          q(r.description),
          'In force',
          r.year,
          'National',
          'International Energy Agency',
          r.datePromulgated,
          '',
          'https://example.org/x',
          'English',
          '1702376850383',
          q(r.countries),
          '[]',
          '[]',
          '[]',
          q(r.policyType),
        ].join(',');
      }),
    ].join('\n');
  const run = async (name: string, content: string | Uint8Array) => {
    const file = writeTemp(dir, name, content);
    return { file, r: await expectResultOrImportError(() => importIeaPolicies(file), file, expectValidRegistryBatch) };
  };
  // record 1 spans lines 2-3 (multi-line description), so record 2 starts on line 4 and record 3 on line 6
  const third = (bad: Partial<Row>) => csv([{}, { title: 'Export ban on bauxite ore' }, bad]);

  it('reads a well-formed small file', async () => {
    const { r } = await run('ok.csv', third({ title: 'Export ban on cobalt ore' }));
    expect(r).toBe('ok');
    const b = await importIeaPolicies(join(dir, 'ok.csv'));
    expect(b.measures!.map((m) => m.id)).toEqual(['iea-idn-export-ban-on-nickel-ore', 'iea-idn-export-ban-on-bauxite-ore', 'iea-idn-export-ban-on-cobalt-ore']);
  });

  it('names file, line and field for bad JSON in a cell', async () => {
    const { file, r } = await run('bad-json.csv', third({ countries: '[{"iso3":"IDN"' }));
    const e = r as ImportError;
    expect(e).toBeInstanceOf(ImportError);
    expect(e.line).toBe(6);
    expect(e.field).toBe('countries');
    expect(e.message).toContain(`${file}:6 [countries]`);
    expect(e.message).toMatch(/not valid JSON/);
  });

  it('names the element and key of a JSON cell with the wrong types', async () => {
    const e1 = (await run('bad-type.csv', third({ policyType: '[{"name": 5}]' }))).r as ImportError;
    expect([e1.line, e1.field]).toEqual([6, 'policyType[0].name']);
    const e2 = (await run('bad-countries.csv', third({ countries: '{"iso3":"IDN"}' }))).r as ImportError;
    expect([e2.line, e2.field]).toEqual([6, 'countries']);
    expect(e2.message).toMatch(/found object/);
  });

  it('rejects a bad year or date, naming the line', async () => {
    const e1 = (await run('bad-year.csv', third({ year: '20x0' }))).r as ImportError;
    expect([e1.line, e1.field]).toEqual([6, 'year']);
    const e2 = (await run('bad-date.csv', third({ datePromulgated: 'soon' }))).r as ImportError;
    expect([e2.line, e2.field]).toEqual([6, 'datePromulgated']);
    expect(e2.message).toContain('"soon"');
  });

  it('names a missing column, and rejects empty, binary, truncated and missing files', async () => {
    const noType = csv([{}])
      .split('\n')
      .map((l) => l.replace(/,("\[\{""topic.*"|policyType)$/, ''))
      .join('\n');
    const e = (await run('no-type.csv', noType)).r as ImportError;
    expect([e.line, e.field]).toEqual([1, 'policyType']);
    expect((await run('empty.csv', '')).r).toBeInstanceOf(ImportError);
    expect((await run('junk.csv', BINARY_JUNK)).r).toBeInstanceOf(ImportError);
    expect((await run('truncated.csv', `${csv([{}])}\n"Export ban,"<p>cut`)).r).toBeInstanceOf(ImportError);
    const missing = join(dir, 'missing.csv');
    expect(await expectResultOrImportError(() => importIeaPolicies(missing), missing, expectValidRegistryBatch)).toBeInstanceOf(ImportError);
    const noCsv = tempDir();
    const e3 = await importIeaPolicies(noCsv).catch((x) => x);
    expect(e3).toBeInstanceOf(ImportError);
    expect(e3.message).toContain('no IEA_CM_Policies.csv');
  });

  it('warns about unknown countries and policies without a material instead of dropping them silently', async () => {
    const b = await importIeaPolicies(
      writeTemp(dir, 'odd.csv', csv([{ countries: '[{"iso3":"ZZZ","name":"Nowhere"}]' }, { title: 'Export ban on things', description: 'Bans exports.' }])),
    );
    expect(b.measures).toEqual([]);
    expect(b.warnings).toContain(
      '1 trade-measure policies name no known material in their labels, title or description: not imported (a measure needs a material or HS code): line 4 "Export ban on things"',
    );
    expect(b.warnings.some((w) => w.startsWith('1 country entries do not resolve') && w.includes('ZZZ (Nowhere)'))).toBe(true);
    expect(b.warnings.some((w) => w.startsWith('1 trade-measure policies have no resolvable country'))).toBe(true);
  });

  it('survives 40 random truncations and byte flips of the synthetic file', async () => {
    const rand = rng(7);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 40; i++) outcomes[(await run(`mutant-${i}.csv`, mutate(original, rand))).r === 'ok' ? 'ok' : 'error']++;
    console.log(`iea-policies mutations: ${outcomes.ok} valid batches, ${outcomes.error} ImportErrors`);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  }, 120_000);
});
