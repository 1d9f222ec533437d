import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover, importPath, IMPORTERS } from '../../src/ingest/index.ts';
import { gtaTypeOf, importGtaInterventions } from '../../src/ingest/policy/gta.ts';
import type { TradeMeasure } from '../../src/model/registry.ts';
import { ImportError, type ImportBatch } from '../../src/model/schema.ts';
import { Store } from '../../src/store/store.ts';
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

// synthetic file in the format of the extract (PROVENANCE.md): 18 invented records, 16 trade controls and 2 subsidies,
// with ids 900001-900018. Checks of the real records are in policy-gta.sources.test.ts.
const FOLDER = fixturePath('gta-cm-interventions');
const FILE = join(FOLDER, 'gta-interventions.json');

let batch: ImportBatch;
let measures: TradeMeasure[];
beforeAll(async () => {
  batch = await importGtaInterventions(FOLDER);
  measures = batch.measures!;
});
const byId = (id: string) => measures.find((m) => m.id === id)!;

describe('importGtaInterventions on the synthetic extract', () => {
  it('turns the 16 Trade Control records into 20 measures (SACU duty: one per member), one GTA source', () => {
    expectValidRegistryBatch(batch);
    expect(batch.kind).toBe('gta');
    expect(measures).toHaveLength(20);
    expect(new Set(measures.map((m) => m.id.split('-')[1])).size).toBe(16);
    expect(batch.sources).toEqual([
      expect.objectContaining({
        id: 'gta-cm-interventions',
        dataset: 'gta',
        licence: 'GTA terms; verify before redistribution',
        editionYear: 2026,
        edition: 'extract, interventions dated 2009-01-01 to 2026-04-30',
      }),
    ]);
    expect(batch.sources[0].caveat).toContain('GTA terms; verify before redistribution');
    expect(batch.sources[0].caveat).toContain('not bundled');
  });

  it('has the synthetic Indonesian export bans with their dates', () => {
    const bans = measures.filter((m) => m.countryId === 'IDN' && m.measureType === 'ban' && m.direction === 'export');
    expect(bans.map((m) => [m.id, m.effective])).toEqual([
      ['gta-900003', '2025-08-01'],
      ['gta-900011', '2020-01-01'],
      ['gta-900012', '2017-02-01'],
      ['gta-900014', '2017-02-01'],
    ]);
    expect(byId('gta-900011')).toMatchObject({
      title: 'Indonesia: Synthetic: nickel ore export ban brought forward',
      materials: ['nickel'],
      stages: ['mining'],
      announced: null,
      targets: [],
      url: 'https://globaltradealert.org/intervention/900011',
    });
    expect(byId('gta-900011').summary).toBe('Synthetic record: the export of low-grade nickel ore is prohibited starting from 1 January 2020.');
    // the tag (Copper) plus the materials the title names
    expect([...byId('gta-900003').materials].sort()).toEqual(['copper', 'lead', 'zinc']);
    expect(measures.filter((m) => m.countryId === 'IDN')).toHaveLength(5); // the bans and a licence requirement
  });

  it('maps intervention types to direction and measure type', () => {
    expect(byId('gta-900004')).toMatchObject({
      countryId: 'CHN',
      direction: 'export',
      measureType: 'licence',
      materials: ['rare-earths'],
      effective: '2025-03-15',
    });
    expect(byId('gta-900017')).toMatchObject({ countryId: 'RUS', measureType: 'tax', materials: ['nickel'] });
    expect(byId('gta-900015')).toMatchObject({ countryId: 'GTM', measureType: 'quota' });
    expect(byId('gta-900010')).toMatchObject({ countryId: 'IND', direction: 'import', measureType: 'other', materials: ['copper', 'aluminium'] });
    expect(byId('gta-900018')).toMatchObject({ countryId: 'CHN', direction: 'import', measureType: 'tax' });
    expect(gtaTypeOf('Export-related non-tariff measure, nes')).toEqual({ direction: 'export', measureType: 'other' });
    expect(gtaTypeOf('Import ban')).toEqual({ direction: 'import', measureType: 'ban' });
  });

  it('imports one measure per implementer, an all-EU act once as EU27, with the targets the title names', () => {
    expect(measures.filter((m) => m.id.startsWith('gta-900006-')).map((m) => m.countryId)).toEqual(['BWA', 'SWZ', 'LSO', 'NAM', 'ZAF']);
    expect(byId('gta-900008')).toMatchObject({ countryId: 'EU27', direction: 'export', measureType: 'ban', targets: ['RUS'] });
    expect(byId('gta-900009')).toMatchObject({ countryId: 'EU27', targets: ['RUS'] });
    expect(byId('gta-900007')).toMatchObject({
      countryId: 'USA',
      direction: 'import',
      measureType: 'ban',
      targets: ['RUS'],
      materials: ['copper', 'nickel', 'aluminium'],
    });
    expect(byId('gta-900005').targets).toEqual(['CHN']);
    // the title adds what the HS-code tags miss: the neodymium export tariff is tagged Lithium
    expect(byId('gta-900016').materials).toEqual(['lithium', 'neodymium', 'rare-earths']);
  });

  it('reports subsidies, EU acts and doubtful mineral tags in counted warnings', () => {
    expect(batch.warnings[0]).toBe('2 subsidy records not imported: not trade measures');
    expect(batch.warnings[1]).toMatch(/^8 trade controls carry mineral tags their title and description never mention .*: kept as tagged, check them: /);
    expect(batch.warnings[1]).toContain('900016 "China: Synthetic: neodymium (a rare earth) export tariff raised" tagged Lithium');
    expect(batch.warnings[1]).toContain(
      '900018 "China: Synthetic: import VAT raised on several mineral products" tagged Cobalt, Copper, Graphite, Lithium, Manganese, Nickel',
    );
    expect(batch.warnings[1]).not.toMatch(/900011|900017/); // tags their text names
    expect(batch.warnings[2]).toBe('2 interventions list all 27 EU member states as implementers: imported once each as an EU27 measure: 900008; 900009');
    expect(batch.warnings).toHaveLength(3);
  });

  it('strips the HTML of descriptions', () => {
    for (const m of measures) {
      expect(m.summary).not.toBeNull();
      expect(m.summary!).not.toMatch(/<\/?(p|div|span)\b|&nbsp;|<br/);
    }
    expect(byId('gta-900006-zaf').summary).toBe('Synthetic record: the common external tariff on copper sulphates rises from 0% to 10%.');
    expect(byId('gta-900017').summary).toContain('export duty of 7%');
  });
});

describe('importGtaInterventions on malformed input', () => {
  afterAll(removeTempDirs);
  const dir = tempDir();
  const original = readFileSync(FILE);
  const root = JSON.parse(original.toString('utf8')) as { interventions: Array<Record<string, unknown>> };
  const at = (id: string) => root.interventions.findIndex((x) => x.id === id);
  const withRecord = (i: number, patch: Record<string, unknown>) => {
    const copy = structuredClone(root);
    copy.interventions[i] = { ...copy.interventions[i], ...patch };
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete copy.interventions[i][k];
    return JSON.stringify(copy);
  };
  const run = async (name: string, content: string | Uint8Array) => {
    const file = writeTemp(dir, name, content);
    return { file, r: await expectResultOrImportError(() => importGtaInterventions(file), file, expectValidRegistryBatch) };
  };

  it('names the line of a JSON syntax error', async () => {
    const { file, r } = await run('syntax.json', '{"interventions": [\n{"id": "1",\n"title": }\n]}');
    const e = r as ImportError;
    expect(e).toBeInstanceOf(ImportError);
    expect(e.line).toBe(3);
    expect(e.message).toContain(`${file}:3`);
    expect(e.message).toMatch(/not valid JSON/);
  });

  it('names the record index, id and field of a wrong type or missing field', async () => {
    const e1 = (await run('minerals.json', withRecord(at('900004'), { minerals: 'Rare Earths' }))).r as ImportError;
    expect(e1.field).toBe(`interventions[${at('900004')}] (id 900004).minerals`);
    expect(e1.message).toMatch(/found string/);
    const e2 = (await run('deal.json', withRecord(at('900006'), { dealType: undefined }))).r as ImportError;
    expect(e2.field).toBe(`interventions[${at('900006')}] (id 900006).dealType`);
    const e3 = (await run('date.json', withRecord(at('900007'), { dateISO: 'Apr 10, 2024' }))).r as ImportError;
    expect(e3.field).toBe(`interventions[${at('900007')}] (id 900007).dateISO`);
    const e4 = (await run('impl.json', withRecord(0, { implementers: [5] }))).r as ImportError;
    expect(e4.field).toBe('interventions[0] (id 900001).implementers[0]');
    expect(e4.message).toContain(dir);
  });

  it('rejects a wrong root, duplicate ids, empty, binary and missing files', async () => {
    expect(((await run('root.json', '[]')).r as ImportError).field).toBe('$');
    expect(((await run('root2.json', '{"interventions": {}}')).r as ImportError).field).toBe('$.interventions');
    const dup = structuredClone(root);
    dup.interventions.push(dup.interventions[3]);
    const e = (await run('dup.json', JSON.stringify(dup))).r as ImportError;
    expect(e.field).toBe(`interventions[${root.interventions.length}] (id ${root.interventions[3].id}).id`);
    expect((await run('empty.json', '')).r).toBeInstanceOf(ImportError);
    expect((await run('junk.json', BINARY_JUNK)).r).toBeInstanceOf(ImportError);
    const missing = join(dir, 'missing.json');
    expect(await expectResultOrImportError(() => importGtaInterventions(missing), missing, expectValidRegistryBatch)).toBeInstanceOf(ImportError);
  });

  it('warns about implementers and minerals it cannot resolve', async () => {
    const b = await importGtaInterventions(
      writeTemp(dir, 'odd.json', withRecord(at('900006'), { implementers: ['Atlantis', 'Botswana'], minerals: ['Copper', 'Unobtainium'] })),
    );
    expect(b.measures!.filter((m) => m.id.startsWith('gta-900006')).map((m) => m.id)).toEqual(['gta-900006']);
    expect(b.warnings).toContain('1 implementers do not resolve to a known country: left out: 900006: "Atlantis"');
    expect(b.warnings).toContain('1 mineral tags are not known materials: ignored: 900006: "Unobtainium"');
  });

  it('survives random byte flips and structural changes', async () => {
    const rand = rng(11);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 30; i++) outcomes[(await run(`bytes-${i}.json`, mutate(original, rand))).r === 'ok' ? 'ok' : 'error']++;
    for (let i = 0; i < 60; i++) outcomes[(await run(`struct-${i}.json`, JSON.stringify(mutateJson(root, rand)))).r === 'ok' ? 'ok' : 'error']++;
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  }, 60_000);
});

describe('policy importers through importPath into a store', () => {
  let store: Store;
  afterAll(() => {
    store?.close();
    removeTempDirs();
  });

  it('are registered and discovered', () => {
    for (const kind of ['iea-policies', 'gta', 'apri']) expect(IMPORTERS.find((i) => i.kind === kind)!.description).toMatch(/not bundled: /);
    // test/fixtures is laid out like the source folders, so discovery works on it too
    const { runs } = discover(fixturePath(''));
    expect(runs).toEqual(
      expect.arrayContaining([
        { kind: 'iea-policies', path: fixturePath('iea-cm-policies') },
        { kind: 'gta', path: fixturePath('gta-cm-interventions') },
        { kind: 'apri', path: fixturePath('apri-cm-partnerships') },
      ]),
    );
  });

  it('imports all three into an in-memory store; a malformed file leaves the store unchanged', async () => {
    store = await Store.open(':memory:');
    const iea = await importPath(store, 'iea-policies', fixturePath('iea-cm-policies'));
    const gta = await importPath(store, 'gta', FOLDER);
    const apri = await importPath(store, 'apri', fixturePath('apri-cm-partnerships'));
    expect([iea.registry, gta.registry, apri.registry]).toEqual([12 + 5, 20, 4 + 22]);
    const before = await store.counts();
    expect(before.registry).toBe(17 + 20 + 26);
    expect(before.sources).toBe(3);
    expect((await store.registryRecords('measure')).find((r) => r.id === 'gta-900011')!.record).toMatchObject({ countryId: 'IDN', effective: '2020-01-01' });

    // same source id, broken file: rejected before anything is deleted or written
    const dir = tempDir();
    const broken = structuredClone(JSON.parse(readFileSync(FILE, 'utf8')) as { interventions: Array<Record<string, unknown>> });
    broken.interventions[10].minerals = 'Copper';
    const bad = writeTemp(dir, 'gta-interventions.json', JSON.stringify(broken));
    const err = await importPath(store, 'gta', bad).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.message).toContain(bad);
    expect(err.field).toBe(`interventions[10] (id ${broken.interventions[10].id}).minerals`);
    expect(await store.counts()).toEqual(before);
  });
});
