import { describe, expect, it } from 'vitest';
import { DatasetIndex } from '../../../src/engine/dataset.ts';
import type { Governance, Observation, Source } from '../../../src/model/schema.ts';
import {
  Sampler,
  assertNoNaN,
  band,
  doeClass,
  economicImportance,
  hhiWgiT,
  isCritical,
  mulberry32,
  ranks,
  resolveAssessor,
  runCriticality,
  scoreBand,
  supplyRisk,
  useShareTable,
} from '../../../src/engine/criticality/index.ts';

describe('EU JRC formulas (hand-computed)', () => {
  it('HHI_WGI,t = Σ s²·WGI·t with shares as fractions', () => {
    // 0.9²·6·1 + 0.1²·2·0.8 = 4.86 + 0.016
    expect(
      hhiWgiT([
        { countryId: 'A', share: 0.9, wgi: 6, t: 1 },
        { countryId: 'B', share: 0.1, wgi: 2, t: 0.8 },
      ]),
    ).toBeCloseTo(4.876, 12);
  });
  it('SR = [HHI_GS·IR/2 + HHI_EU·(1−IR/2)]·(1−EoL)·SI', () => {
    // [5·0.4 + 3·0.6]·0.9·0.95 = 3.8·0.855 = 3.249
    expect(supplyRisk({ hhiGlobal: 5, hhiSourcing: 3, ir: 0.8, eolRir: 0.1, siSr: 0.95 })).toBeCloseTo(3.249, 12);
    // IR = 0 → sourcing only; IR = 1 → half/half
    expect(supplyRisk({ hhiGlobal: 5, hhiSourcing: 3, ir: 0, eolRir: 0, siSr: 1 })).toBe(3);
    expect(supplyRisk({ hhiGlobal: 5, hhiSourcing: 3, ir: 1, eolRir: 0, siSr: 1 })).toBe(4);
  });
  it('EI = Σ A·Q / max Q · 10 · SI_EI', () => {
    // (0.75·77000 + 0.25·89422)/204200·10 = 3.9229...
    expect(
      economicImportance(
        [
          { share: 0.75, valueAdded: 77000 },
          { share: 0.25, valueAdded: 89422 },
        ],
        204200,
        1,
      ),
    ).toBeCloseTo(80105.5 / 20420, 10);
  });
  it('critical only when both thresholds are met; undetermined when an input is missing', () => {
    expect(isCritical(1.0, 2.8)).toBe(true);
    expect(isCritical(0.99, 5)).toBe(false);
    expect(isCritical(3, 2.79)).toBe(false);
    expect(isCritical(3, null)).toBeNull();
    expect(isCritical(0.5, null)).toBe(false);
  });
});

describe('helpers', () => {
  it('ranks: 1 = highest, ties share, nulls unranked', () => {
    expect(ranks([3, 5, null, 3])).toEqual([2, 1, null, 2]);
  });
  it('ranks = 1 + how many score strictly higher, on random scores with ties and gaps', () => {
    const rnd = mulberry32(7);
    for (let trial = 0; trial < 50; trial++) {
      const values = Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => (rnd() < 0.2 ? null : Math.floor(rnd() * 10) / 2));
      const byCount = values.map((v) => (v === null ? null : 1 + values.filter((w) => w !== null && w > v).length));
      expect(ranks(values)).toEqual(byCount);
    }
  });
  it('seeded sampler is reproducible and draws a key once per iteration', () => {
    const draw = () => {
      const s = new Sampler(mulberry32(42));
      const out: number[] = [];
      for (let i = 0; i < 5; i++) {
        s.next();
        const a = s.value({ key: 'k', value: 1, u: { kind: 'uniform', min: 0, max: 1 } });
        expect(s.value({ key: 'k', value: 1, u: { kind: 'uniform', min: 0, max: 1 } })).toBe(a);
        out.push(a);
      }
      return out;
    };
    expect(draw()).toEqual(draw());
    expect(new Sampler().value({ key: 'k', value: 0.7, u: { kind: 'uniform', min: 0, max: 1 } })).toBe(0.7);
  });
  it('band ignores non-finite samples and never returns NaN', () => {
    expect(band([])).toBeNull();
    expect(band([Number.NaN, 1, 2, 3])).toMatchObject({ p50: 2, samples: 3 });
  });
  it('DOE bands and classes', () => {
    expect(scoreBand(1499, [1500, 2500, 5000])).toBe(1);
    expect(scoreBand(2500, [1500, 2500, 5000])).toBe(3);
    expect(scoreBand(9000, [1500, 2500, 5000])).toBe(4);
    expect(doeClass(3, 3.5)).toBe('critical');
    expect(doeClass(2.5, 2.6)).toBe('near-critical');
    expect(doeClass(3.5, 2)).toBe('near-critical');
    expect(doeClass(2, 2)).toBe('not critical');
    expect(doeClass(null, 4)).toBeNull();
  });
  it('use-share table: value added by majority, duplicates dropped, "Other" unallocated', () => {
    const t = useShareTable([
      { material: 'X', materialId: 'gallium', application: 'a', share: 0.5, naceSector: 'C26', valueAddedMEur: 100 },
      { material: 'X', materialId: 'gallium', application: 'a', share: 0.5, naceSector: 'C26', valueAddedMEur: 100 },
      { material: 'X', materialId: 'gallium', application: 'b', share: 0.3, naceSector: 'C27', valueAddedMEur: 200 },
      { material: 'Y', materialId: 'cobalt', application: 'c', share: 1, naceSector: 'C27', valueAddedMEur: 50 },
      { material: 'Y', materialId: 'cobalt', application: 'd', share: 0.2, naceSector: 'C27', valueAddedMEur: 200 },
      { material: 'X', materialId: 'gallium', application: 'Other', share: 0.2, naceSector: null, valueAddedMEur: null },
    ]);
    expect(t.valueAdded.get('C27')).toBe(200);
    expect(t.maxValueAdded).toBe(200);
    expect(t.byMaterial.get('gallium')).toHaveLength(2);
    expect(t.unallocated.get('gallium')).toBeCloseTo(0.2);
    expect(t.warnings.some((w) => w.includes('duplicate'))).toBe(true);
    expect(t.warnings.some((w) => w.includes('C27'))).toBe(true);
  });
});

// --- a small fixture knowledge base --------------------------------------------------------------------------

const SRC: Source[] = [
  {
    id: 'eu-crm-2023',
    dataset: 'eu-crm',
    editionYear: 2023,
    publisher: 'EC',
    title: 'CRM 2023',
    edition: '2023',
    table: 'supply',
    licence: 'CC BY 4.0',
    url: null,
    file: null,
    caveat: null,
  },
  {
    id: 'wgi',
    dataset: 'wgi',
    editionYear: 2024,
    publisher: 'World Bank',
    title: 'WGI',
    edition: '2024',
    table: null,
    licence: 'CC BY 4.0',
    url: null,
    file: null,
    caveat: null,
  },
  {
    id: 'usgs',
    dataset: 'usgs-mcs',
    editionYear: 2025,
    publisher: 'USGS',
    title: 'MCS',
    edition: 'MCS2025',
    table: 'salient',
    licence: 'public domain',
    url: null,
    file: null,
    caveat: null,
  },
];
const share = (materialId: string, stage: 'mining' | 'refining', detail: 'global' | 'eu_sourcing', countryId: string, s: number, t = 1): Observation[] => {
  const base = {
    materialId,
    stage,
    countryId,
    year: 2023,
    basis: 'ratio' as const,
    status: 'reported' as const,
    estimated: false,
    scenario: null,
    sector: null,
    detail,
    note: null,
    sourceId: 'eu-crm-2023',
  };
  return [
    { ...base, measure: 'supply_share', value: s, unit: 'fraction' },
    { ...base, measure: 'trade_variable_t', value: t, unit: 'index' },
  ];
};
const gov = (countryId: string, est: number): Governance[] =>
  [2017, 2018, 2019, 2020, 2021].flatMap((year) =>
    (['va', 'pv', 'ge', 'rq', 'rl', 'cc'] as const).map((indicator) => ({
      countryId,
      year,
      indicator,
      estimate: est,
      stdErr: 0.2,
      percentileRank: null,
      sourceId: 'wgi',
    })),
  );

function fixture(): DatasetIndex {
  const observations: Observation[] = [
    // "gallium": refining, CHN 90 % (WGI est -0.5 → scaled 6), DEU 10 % (est 1.5 → 2, t 0.8); EU sourcing CHN 60 %, DEU 40 %
    ...share('gallium', 'refining', 'global', 'CHN', 0.9),
    ...share('gallium', 'refining', 'global', 'DEU', 0.1, 0.8),
    ...share('gallium', 'refining', 'eu_sourcing', 'CHN', 0.6),
    ...share('gallium', 'refining', 'eu_sourcing', 'DEU', 0.4, 0.8),
    // "cobalt": mining only, no EU sourcing; one producer (ATA) without WGI
    ...share('cobalt', 'mining', 'global', 'COD', 0.7, 1.1),
    ...share('cobalt', 'mining', 'global', 'ATA', 0.3),
    {
      materialId: 'gallium',
      stage: 'end_use',
      measure: 'net_import_reliance',
      countryId: 'USA',
      year: 2023,
      value: 100,
      unit: 'percent',
      basis: 'ratio',
      status: 'reported',
      estimated: false,
      scenario: null,
      sector: null,
      detail: null,
      note: null,
      sourceId: 'usgs',
    },
  ];
  return new DatasetIndex({
    observations,
    sources: new Map(SRC.map((s) => [s.id, s])),
    governance: [...gov('CHN', -0.5), ...gov('DEU', 1.5), ...gov('COD', -1.5), ...gov('USA', 1), ...gov('JPN', 1.25)],
    groupings: [],
  });
}

describe('EU method on a fixture (hand-computed)', () => {
  const uses = [
    { material: 'Gallium', materialId: 'gallium', application: 'ICs', share: 1, naceSector: 'C26', valueAddedMEur: 100 },
    { material: 'Z', materialId: 'zinc', application: 'x', share: 1, naceSector: 'C28', valueAddedMEur: 200 },
  ];

  it('EU assessor: official formula with EU sourcing and derived IR', () => {
    const rep = runCriticality(fixture(), { method: 'eu', as: 'EU', year: 2023, uses });
    const ga = rep.eu.find((r) => r.materialId === 'gallium')!;
    // GS: 0.81·6 + 0.01·2·0.8 = 4.876; EU: 0.36·6 + 0.16·2·0.8 = 2.416; IR = 1 − 0.4 = 0.6
    // SR = (4.876·0.3 + 2.416·0.7)·(1 − 0)·1.0 = 1.4628 + 1.6912 = 3.154 (gallium EoL-RIR 0 of 2020, SI_SR 1.0 of 2017)
    expect(ga.stages[0]).toMatchObject({ stage: 'refining', hhiGlobal: 4.876, hhiSourcing: 2.416, ir: 0.6, sourcing: 'assessor' });
    expect(ga.sr).toBeCloseTo(3.154, 3);
    expect(ga.ei).toBeCloseTo(4.5, 6); // 1·100/200·10·0.9 (SI_EI 0.9, EU 2017 Table 18)
    expect(ga.critical).toBe(true);
    expect(ga.defaulted).not.toContain('SI_SR');
    expect(ga.defaulted).not.toContain('SI_EI');
    expect(ga.inputs.find((i) => i.input === 'EoL-RIR')).toMatchObject({ value: 0, status: 'proxy' });
    expect(ga.inputs.find((i) => i.input === 'SI_SR')).toMatchObject({ value: 1, status: 'proxy', note: expect.stringMatching(/EU 2017 value/) });
    expect(ga.inputs.find((i) => i.input === 'SI_EI')).toMatchObject({ value: 0.9, status: 'proxy' });
  });

  it('missing EU sourcing → global mix stands in; missing WGI and use shares → named messages, never NaN', () => {
    const rep = runCriticality(fixture(), { method: 'all', as: 'EU', year: 2023, uses, samples: 50 });
    assertNoNaN(rep);
    const co = rep.eu.find((r) => r.materialId === 'cobalt')!;
    // GS: 0.49·10·1.1 (COD est -1.5 → 8; clamp? (2.5+1.5)·2 = 8) → 0.49·8·1.1 = 4.312; ATA default WGI 5: 0.09·5 = 0.45 → 4.762
    // EoL-RIR 0.22 (EU 2020 value) → 4.762·0.78 = 3.714
    expect(co.stages[0].sourcing).toBe('global-proxy');
    expect(co.sr).toBeCloseTo(3.714, 3);
    expect(co.messages.join(' ')).toMatch(/Cobalt \[mining\]: no WGI for ATA/);
    expect(co.messages.join(' ')).toMatch(/Cobalt: EI not computed — input "end-use shares" missing/);
    expect(co.critical).toBeNull();
    expect(co.band?.sr?.p5).toBeLessThanOrEqual(co.band!.sr!.p95);
    const gpr = rep.geopolrisk.find((r) => r.materialId === 'cobalt')!;
    expect(gpr.score).toBeNull();
    expect(gpr.messages[0]).toMatch(/import shares by partner/);
  });

  it('viewed as the USA: own production secure, NIR as IR, constructed sourcing, t<1 reset to 1', () => {
    const rep = runCriticality(fixture(), { method: 'eu', as: 'USA', year: 2023, uses });
    const ga = rep.eu.find((r) => r.materialId === 'gallium')!;
    const st = ga.stages[0];
    expect(st.sourcing).toBe('constructed');
    expect(st.ir).toBe(1);
    // GS with t(DEU)=1: 0.81·6 + 0.01·2 = 4.88; sourcing = IR·shares/(1-0) → same 4.88; SR = 4.88
    expect(st.hhiGlobal).toBeCloseTo(4.88, 6);
    expect(ga.sr).toBeCloseTo(4.88, 3);
    expect(ga.inputs.find((i) => i.input === 'import reliance')?.status).toBe('data');
  });

  it('viewed as a custom bloc that produces: own share removed, IR defaulted and listed', () => {
    const rep = runCriticality(fixture(), { method: 'eu', as: 'DEU,JPN', year: 2023, uses });
    const ga = rep.eu.find((r) => r.materialId === 'gallium')!;
    expect(ga.defaulted).toContain('import reliance (refining)');
    // GS own-secure: 0.81·6 = 4.86; sourcing: IR 0.5 · 0.9/0.9 → (0.5)²·1·6 = 1.5; SR = 4.86·0.25 + 1.5·0.75 = 2.34
    expect(ga.sr).toBeCloseTo(2.34, 3);
  });

  it('rejects unknown assessors and years with a message naming the input', () => {
    expect(() => resolveAssessor(fixture(), 'Atlantis')).toThrow(/unknown assessor "Atlantis"/);
    expect(() => runCriticality(fixture(), { method: 'eu', as: 'EU', year: 1999 })).toThrow(/no supply shares or production by country for 1999/);
  });
});
