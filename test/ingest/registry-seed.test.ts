import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRegistry, REGISTRY_SEED_FILE } from '../../src/ingest/registry.ts';
import { AgreementSchema, measureInEffect, ProjectSchema, TradeMeasureSchema, type Agreement, type TradeMeasure } from '../../src/model/registry.ts';
import { ImportError, SourceSchema, type ImportBatch } from '../../src/model/schema.ts';

let batch: ImportBatch;
beforeAll(() => {
  batch = parseRegistry(readFileSync(REGISTRY_SEED_FILE, 'utf8'), REGISTRY_SEED_FILE);
});

const measure = (id: string): TradeMeasure => {
  const m = batch.measures!.find((x) => x.id === id);
  expect(m, `measure ${id}`).toBeDefined();
  return m!;
};
const agreement = (id: string): Agreement => {
  const a = batch.agreements!.find((x) => x.id === id);
  expect(a, `agreement ${id}`).toBeDefined();
  return a!;
};

describe('the curated registry seed', () => {
  it('parses without warnings, every record schema-valid and citing a listed source', () => {
    expect(batch.warnings).toEqual([]);
    for (const s of batch.sources) SourceSchema.parse(s);
    for (const a of batch.agreements!) AgreementSchema.parse(a);
    for (const m of batch.measures!) TradeMeasureSchema.parse(m);
    for (const p of batch.projects!) ProjectSchema.parse(p);
    const ids = new Set(batch.sources.map((s) => s.id));
    for (const r of [...batch.agreements!, ...batch.measures!, ...batch.projects!]) expect(ids.has(r.sourceId), r.id).toBe(true);
    expect(batch.sources.every((s) => s.dataset === 'registry')).toBe(true);
    expect(batch.agreements!.length + batch.measures!.length + batch.projects!.length).toBeGreaterThanOrEqual(35);
  });

  it('cites every source it lists and gives each record either a url or an explicit null', () => {
    const cited = new Set([...batch.agreements!, ...batch.measures!, ...batch.projects!].map((r) => r.sourceId));
    expect(batch.sources.filter((s) => !cited.has(s.id)).map((s) => s.id)).toEqual([]);
    for (const r of [...batch.agreements!, ...batch.measures!, ...batch.projects!]) expect(r.url === null || /^https?:\/\//.test(r.url), r.id).toBe(true);
  });

  it("has China's gallium and germanium licensing of 2023", () => {
    const m = measure('chn-gallium-germanium-2023');
    expect(m).toMatchObject({
      countryId: 'CHN',
      direction: 'export',
      measureType: 'licence',
      announced: '2023-07-03',
      effective: '2023-08-01',
      suspended: null,
    });
    expect(m.materials).toEqual(['gallium', 'germanium']);
    expect(m.stages).toContain('refining');
    expect(m.hsCodes).toContain('8112929010'); // gallium metal, per the announcement
  });

  it("has China's graphite licensing of 2023, replacing the 2006 temporary controls", () => {
    const m = measure('chn-graphite-2023');
    expect(m).toMatchObject({ countryId: 'CHN', measureType: 'licence', announced: '2023-10-20', effective: '2023-12-01' });
    expect(m.materials).toEqual(['graphite']);
    expect(m.stages).toEqual(expect.arrayContaining(['mining', 'intermediate']));
    expect(measure('chn-graphite-temporary-controls-2006').ended).toBe('2023-12-01');
  });

  it("has China's antimony licensing of 2024 and the 2024 ban on exports to the US, suspended in November 2025", () => {
    expect(measure('chn-antimony-2024')).toMatchObject({ materials: ['antimony'], announced: '2024-08-15', effective: '2024-09-15' });
    const ban = measure('chn-dual-use-ban-usa-2024');
    expect(ban).toMatchObject({ measureType: 'ban', targets: ['USA'], effective: '2024-12-03', suspended: '2025-11-09' });
    expect(ban.materials).toEqual(expect.arrayContaining(['gallium', 'germanium', 'antimony']));
  });

  it("has China's 2025 rare-earth controls: seven elements in April, the October package suspended", () => {
    const april = measure('chn-medium-heavy-rare-earths-2025');
    expect(april).toMatchObject({ announced: '2025-04-04', effective: '2025-04-04', suspended: null, measureType: 'licence' });
    expect(april.materials).toEqual(
      expect.arrayContaining(['samarium', 'gadolinium', 'terbium', 'dysprosium', 'lutetium', 'scandium', 'yttrium', 'rare-earths']),
    );
    const extraterritorial = measure('chn-rare-earth-extraterritorial-2025');
    expect(extraterritorial).toMatchObject({ announced: '2025-10-09', suspended: '2025-11-07' });
    for (const id of ['chn-superhard-materials-2025', 'chn-rare-earth-equipment-materials-2025', 'chn-ho-er-tm-eu-yb-2025', 'chn-battery-anode-items-2025']) {
      const m = measure(id);
      expect(m.announced).toBe('2025-10-09');
      expect(m.effective).toBe('2025-11-08');
      // suspended by Announcement No. 70 the day before it was due: it never applied, and the suspension runs to 2026-11-10
      expect(m, id).toMatchObject({ suspended: '2025-11-07', suspendedUntil: '2026-11-10' });
      expect(measureInEffect(m, '2025-12-01'), id).toBe(false);
    }
    expect(measure('chn-rare-earth-export-quotas').ended).toBe('2015-01-01');
  });

  it("has Indonesia's 2020 nickel ore export ban after the 2014 ban and the 2017 relaxation", () => {
    expect(measure('idn-nickel-ore-export-ban-2020')).toMatchObject({
      countryId: 'IDN',
      measureType: 'ban',
      materials: ['nickel'],
      stages: ['mining'],
      effective: '2020-01-01',
      ended: null,
    });
    expect(measure('idn-ore-export-ban-2014')).toMatchObject({ effective: '2014-01-12', ended: '2017-01' });
    expect(measure('idn-low-grade-nickel-ore-exports-2017').ended).toBe('2020-01-01');
  });

  it('has the Minerals Security Partnership and the US-Ukraine Reconstruction Investment Fund', () => {
    const msp = agreement('msp-2022');
    expect(msp).toMatchObject({ type: 'cooperative', signed: '2022-06-14' });
    expect(msp.parties).toEqual(expect.arrayContaining(['USA', 'JPN', 'EU27']));
    const urif = agreement('us-ukr-reconstruction-investment-fund-2025');
    expect(urif).toMatchObject({ type: 'investment_fund', parties: ['USA', 'UKR'], signed: '2025-04-30' });
    expect(agreement('us-jpn-cma-2023')).toMatchObject({ type: 'binding', signed: '2023-03-28' });
  });

  it('links projects only to agreements of the file', () => {
    const ids = new Set(batch.agreements!.map((a) => a.id));
    for (const p of batch.projects!) for (const a of p.agreementIds) expect(ids.has(a), `${p.id} -> ${a}`).toBe(true);
  });
});

// A small valid registry; each malformed-input test changes one thing in it.
const VALID = `version: 1
sources:
  - id: src-a
    dataset: registry
    editionYear: 2023
    publisher: "Ministry"
    title: "A document"
    edition: "No. 1"
    table: null
    licence: "official document; facts"
    url: null
    file: null
    caveat: null
measures:
  - id: m-one
    title: "Export licence on gallium"
    countryId: CHN
    direction: export
    measureType: licence
    materials: [gallium]
    stages: [refining]
    hsCodes: []
    targets: []
    announced: "2023-07-03"
    effective: "2023-08-01"
    suspended: null
    ended: null
    summary: null
    url: null
    sourceId: src-a
`;

/** Parse text that must fail; return the ImportError. */
function importError(text: string): ImportError {
  try {
    parseRegistry(text, 'my.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('parseRegistry on malformed input', () => {
  it('accepts the valid base document', () => {
    const b = parseRegistry(VALID, 'my.yaml');
    expect(b.measures).toHaveLength(1);
    expect(b.warnings).toEqual([]);
  });

  it('rejects a bad date, naming the line and the field', () => {
    const text = VALID.replace('effective: "2023-08-01"', 'effective: "2023-13-01"');
    const e = importError(text);
    expect(e.line).toBe(lineOf(text, '2023-13-01'));
    expect(e.field).toBe('measures[0] (m-one).effective');
    expect(e.reason).toMatch(/YYYY, YYYY-MM or YYYY-MM-DD/);
    expect(e.message).toContain(`my.yaml:${e.line}`);
  });

  it('rejects an unknown material and suggests the closest ids', () => {
    const text = VALID.replace('materials: [gallium]', 'materials: [galium]');
    const e = importError(text);
    expect(e.line).toBe(lineOf(text, 'galium'));
    expect(e.field).toBe('measures[0] (m-one).materials');
    expect(e.reason).toMatch(/unknown material "galium"; did you mean .*gallium/);
  });

  it('rejects an unknown party', () => {
    const text = VALID.replace('targets: []', 'targets: [XYZ]');
    const e = importError(text);
    expect(e.line).toBe(lineOf(text, 'XYZ'));
    expect(e.field).toBe('measures[0] (m-one).targets');
    expect(e.reason).toMatch(/unknown country or grouping "XYZ"/);
  });

  it('rejects a record citing a source the file does not list', () => {
    const text = VALID.replace('sourceId: src-a', 'sourceId: src-missing');
    const e = importError(text);
    expect(e.line).toBe(lineOf(text, 'src-missing'));
    expect(e.field).toBe('measures[0] (m-one).sourceId');
    expect(e.reason).toMatch(/cites source "src-missing" not listed in sources/);
  });

  it('rejects a duplicate id', () => {
    const record = VALID.slice(VALID.indexOf('  - id: m-one'));
    const text = VALID + record;
    const e = importError(text);
    const second = text.split('\n').findIndex((l, i) => l.includes('- id: m-one') && i + 1 > lineOf(text, '- id: m-one')) + 1;
    expect(e.line).toBe(second);
    expect(e.field).toBe('measures[1] (m-one).id');
    expect(e.reason).toMatch(/duplicate id "m-one" in measures/);
  });

  it('accepts a measure suspended before it took effect (it never applied), rejects one suspended before it was announced', () => {
    expect(parseRegistry(VALID.replace('suspended: null', 'suspended: "2023-07-15"'), 'my.yaml').measures![0].suspended).toBe('2023-07-15');
    const text = VALID.replace('suspended: null', 'suspended: "2023-06-15"');
    const e = importError(text);
    expect(e.field).toBe('measures[0] (m-one).suspended');
    expect(e.line).toBe(lineOf(text, '2023-06-15'));
  });

  it('rejects text that is not valid YAML', () => {
    const text = VALID.replace('materials: [gallium]', 'materials: [gallium');
    const e = importError(text);
    expect(e.reason).toMatch(/not valid JSON\/YAML/);
    expect(e.message).toContain('my.yaml');
  });

  it('names the line of a YAML syntax error', () => {
    const text = VALID.replace('materials: [gallium]', 'materials: [gallium');
    const e = importError(text);
    expect(e.line).not.toBeNull();
    expect(e.line!).toBeGreaterThanOrEqual(lineOf(text, 'materials: [gallium'));
  });
});
