/**
 * CEPII BACI importer (src/store/baci.ts): a generated file in BACI's layout (test/fixtures/baci, PROVENANCE.md) read by
 * DuckDB's CSV reader into the store, both directions of every flow, "World" rows summed over every partner, warnings
 * for codes without a country or material, errors naming file, line and field with the store unchanged, and GeoPolRisk
 * for an assessor that only BACI covers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPath } from '../../src/ingest/index.ts';
import { BUNDLE_DIR } from '../../src/ingest/bundle.ts';
import { ImportError } from '../../src/model/schema.ts';
import { Store } from '../../src/store/store.ts';
import { loadDataset } from '../../src/store/load.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { customsImports, resolveAssessor, runCriticality } from '../../src/engine/criticality/index.ts';
import { exportDestinations } from '../../src/engine/trade.ts';
import { baciFileInfo } from '../../src/store/baci.ts';
import { removeTempDirs, tempDir } from '../ingest/malformed.ts';

afterAll(removeTempDirs);

const FIXTURE = fileURLToPath(new URL('../fixtures/baci/BACI_HS17_Y2022_V202401-generated.csv', import.meta.url));
const TEXT = readFileSync(FIXTURE, 'utf8');
const LINES = TEXT.trimEnd().split('\n');

/** The fixture with its lines changed, under the same file name in a temp folder. */
function variant(lines: string[]): string {
  const file = join(tempDir(), 'BACI_HS17_Y2022_V202401-generated.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function flows(store: Store, where: string): Promise<Array<Record<string, unknown>>> {
  const r = await store.conn.runAndReadAll(`select * from trade_flows where ${where} order by reporter_id, partner_id, flow, material_id, hs_code`);
  return r.getRowObjectsJS() as Array<Record<string, unknown>>;
}

describe('BACI file into the store', () => {
  it('reads the file name: HS revision, release, source slug', () => {
    expect(baciFileInfo('/x/BACI_HS17_Y2022_V202401.csv')).toEqual({ revision: '17', release: '202401', slug: 'hs17-y2022-v202401' });
    expect(baciFileInfo('trade.csv').revision).toBeNull();
  });

  it('imports both directions, World rows over every partner, warnings for what it skips; a repeat is unchanged', async () => {
    const store = await Store.open(':memory:');
    try {
      const s = await importPath(store, 'baci', FIXTURE);
      expect(s.sourceIds).toEqual(['cepii-baci-hs17-y2022-v202401-generated']);
      // 40 rows: 2 of a product that is not ours (HS 010121), 1 from area 899 (only in Japan's World row); 37 pairs both ways
      const named = await flows(store, "partner_id <> 'WLD'");
      expect(named.length).toBe(37 * 2);
      const world = await flows(store, "partner_id = 'WLD'");
      expect(s.tradeFlows).toBe(named.length + world.length);
      expect(s.warnings.join(' | ')).toMatch(/country code 899 has no ISO3 country/);
      expect(s.warnings.join(' | ')).toMatch(/1 HS code not mapped to a material .*2 rows of 40 skipped/);
      expect(s.warnings.join(' | ')).toMatch(/1 flow without a quantity/);

      // line 3: 2022,180,392,260500,12345.600,1500.250 → Japan imports from the DR Congo, and the DRC's export to Japan
      const [imp] = await flows(store, "reporter_id = 'JPN' and partner_id = 'COD' and hs_code = '260500'");
      expect(imp).toMatchObject({ flow: 'import', material_id: 'cobalt', year: 2022, month: null, quantity_kg: 1_500_250, value_usd: 12_345_600 });
      expect(imp.product_scope).toMatch(/cobalt ores/);
      const [exp] = await flows(store, "reporter_id = 'COD' and partner_id = 'JPN' and hs_code = '260500'");
      expect(exp).toMatchObject({ flow: 'export', quantity_kg: 1_500_250 });
      // Japan's World row for HS 260500: DRC 1,500.25 t + Russia 300.5 t + Australia 150 t + area 899 5 t
      const [w] = await flows(store, "reporter_id = 'JPN' and partner_id = 'WLD' and hs_code = '260500' and flow = 'import'");
      expect(w.quantity_kg).toBeCloseTo(1_955_750, 6);
      // Germany's imports of HS 810520 include a flow without quantity: its World quantity is unknown, its value is not
      const [de] = await flows(store, "reporter_id = 'DEU' and partner_id = 'WLD' and hs_code = '810520' and flow = 'import'");
      expect(de.quantity_kg).toBeNull();
      expect(de.value_usd).toBe(12_000_000);
      // Comtrade-style codes: 842 → USA, 251 → FRA, 699 → IND, 490 → TWN
      expect((await flows(store, "reporter_id in ('USA', 'FRA', 'IND', 'TWN') and partner_id <> 'WLD' and flow = 'export'")).map((x) => x.reporter_id)).toEqual(
        expect.arrayContaining(['IND', 'TWN']),
      );
      expect((await flows(store, "reporter_id = 'USA' and flow = 'import' and partner_id <> 'WLD'")).length).toBe(6);

      const [src] = (await store.sources()).filter((x) => x.id === s.sourceIds[0]);
      expect(src).toMatchObject({ dataset: 'cepii-baci', publisher: 'CEPII', editionYear: 2024, licence: expect.stringMatching(/Etalab/) });
      expect(src.edition).toBe('HS17 release 2024-01, 2022');

      expect((await importPath(store, 'baci', FIXTURE)).unchanged).toBe(true);
    } finally {
      store.close();
    }
  });

  it('bad files are refused with file, line and field, and leave the store as it was', async () => {
    const store = await Store.open(':memory:');
    try {
      await importPath(store, 'baci', FIXTURE);
      const held = await store.counts();
      const refused = async (file: string) => {
        const e = await importPath(store, 'baci', file).catch((x) => x);
        expect(e, String(e)).toBeInstanceOf(ImportError);
        expect(await store.counts()).toEqual(held);
        return e as ImportError;
      };
      const neg = [...LINES];
      neg[6] = neg[6].replace(/,[\d.]+,([\d.]+)$/, ',-5.0,$1');
      const e1 = await refused(variant(neg));
      expect([e1.line, e1.field]).toEqual([7, 'v']);
      expect(e1.message).toMatch(/"-5.0" is not a value in thousand USD, not negative/);

      const word = [...LINES];
      word[10] = word[10].replace(/,[\d.]+$/, ',lots');
      expect(await refused(variant(word))).toMatchObject({ line: 11, field: 'q' });

      const year = [...LINES];
      year[4] = year[4].replace(/^2022/, '20x2');
      expect(await refused(variant(year))).toMatchObject({ line: 5, field: 't' });

      const dup = [...LINES, LINES[3]];
      const e2 = await refused(variant(dup));
      expect(e2.line).toBe(LINES.length + 1);
      expect(e2.message).toMatch(/duplicate flow .* also on line 4/);

      const e3 = await refused(variant(['t,i,j,k,v', ...LINES.slice(1).map((l) => l.replace(/,[^,]+$/, ''))]));
      expect([e3.line, e3.field]).toEqual([1, 'q']);
      expect(e3.message).toMatch(/missing BACI column q \(quantity \(tonnes\)\)/);

      expect((await refused(variant([LINES[0]]))).message).toMatch(/no data rows/);
      const ragged = [...LINES];
      ragged[8] += ',7';
      expect((await refused(variant(ragged))).message).toMatch(/malformed CSV row/);
      // a quarter of the rows: the drop check refuses it
      expect((await refused(variant(LINES.slice(0, 11)))).message).toMatch(/would replace the \d+ rows/);
    } finally {
      store.close();
    }
  }, 60_000);
});

describe('GeoPolRisk from BACI', () => {
  it("assesses Japan's cobalt imports at the extraction and processing stages from the BACI partners", async () => {
    const store = await Store.open(':memory:');
    try {
      await importPath(store, 'bundle', BUNDLE_DIR);
      await importPath(store, 'baci', FIXTURE);
      const index = new DatasetIndex(await loadDataset(store));
      const jpn = resolveAssessor(index, 'JPN');
      const mining = customsImports(index, 'cobalt', 'mining', jpn, 2023);
      expect(mining.reason).toBeNull();
      const m = mining.imports!;
      expect(m.year).toBe(2022);
      expect(m.sourceId).toBe('cepii-baci-hs17-y2022-v202401-generated');
      expect(m.partners.map((p) => p.countryId)).toEqual(['COD', 'RUS', 'AUS']);
      // F_A from the World row: the area without a country is in the total, not among the named partners
      expect(m.codes[0].totalFrom).toBe('world');
      expect(m.totalKg).toBeCloseTo(1_955_750, 6);
      expect(m.unattributedKg).toBeCloseTo(5_000, 6);
      const refining = customsImports(index, 'cobalt', 'refining', jpn, 2023).imports!;
      expect(refining.partners.map((p) => p.countryId)).toEqual(['CHN', 'FIN', 'BEL']);

      const rep = runCriticality(index, { method: 'geopolrisk', as: 'JPN', year: 2023, materials: ['cobalt'] });
      const [cobalt] = rep.geopolrisk;
      expect(cobalt.score).not.toBeNull();
      expect(cobalt.inputs.map((i) => i.source.text).join(' ')).toMatch(/CEPII/);

      const dest = exportDestinations(index.tradeFlowsOf('cobalt'), index.data.sources, 'COD', 'cobalt', 2023)!;
      expect(dest.destinations.map((d) => d.partnerId)).toEqual(['CHN', 'JPN', 'KOR']);
    } finally {
      store.close();
    }
  }, 120_000);
});
