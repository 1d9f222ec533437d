import { describe, expect, it } from 'vitest';
import { CRMA_THRESHOLD, STRATEGIC_RAW_MATERIALS, crmaReport } from '../../../src/engine/coalition/index.ts';
import { getMaterial } from '../../../src/model/materials.ts';
import { fixtureIndex } from './fixture.ts';
import { EU_PARAMETERS } from '../../../src/data/criticality-parameters.ts';

const ix = fixtureIndex();
const rep = crmaReport(ix);
const row = (m: string, stage: string, basis: string, dataset: string) =>
  rep.test65.find((r) => r.materialId === m && r.stage === stage && r.basis === basis && r.dataset === dataset);

describe('strategic raw materials (Annex I, Regulation (EU) 2024/1252)', () => {
  it('lists the 17 items and maps every one to existing material ids', () => {
    expect(STRATEGIC_RAW_MATERIALS).toHaveLength(17);
    expect(STRATEGIC_RAW_MATERIALS.map((s) => s.annexItem).join('')).toBe('abcdefghijklmnopq');
    for (const s of STRATEGIC_RAW_MATERIALS) for (const id of s.materialIds) expect(getMaterial(id), id).toBeDefined();
    for (const name of ['Lithium — battery grade', 'Nickel — battery grade', 'Manganese — battery grade', 'Boron — metallurgy grade']) {
      expect(STRATEGIC_RAW_MATERIALS.find((s) => s.name === name)!.caveat).toMatch(/Grade not distinguished/);
    }
  });
});

describe('65% test (Art. 5(1)(b))', () => {
  it('gallium: EU sourcing CHN 70% and global CHN 90% / 700/750 fail, with inputs and sources', () => {
    const s = row('gallium', 'refining', 'eu_sourcing', 'eu-crm')!;
    expect(s.status).toBe('fail');
    expect(s.topThirdCountry).toMatchObject({ countryId: 'CHN', share: 0.7 });
    expect(s.eu27Share).toBeCloseTo(0.2, 12); // DEU, an EU member, is not a third country
    expect(s.inputs.shares.find((x) => x.countryId === 'DEU')!.eu27).toBe(true);
    expect(s.source.sourceId).toBe('eucrm');
    expect(row('gallium', 'refining', 'global', 'eu-crm')!.topThirdCountry!.share).toBeCloseTo(0.9, 12);
    const usgs = row('gallium', 'refining', 'global', 'usgs-mcs')!;
    expect(usgs.status).toBe('fail');
    expect(usgs.topThirdCountry!.share).toBeCloseTo(700 / 750, 12);
    expect(usgs.inputs.withheld).toEqual(['JPN']);
    expect(rep.flags).toContainEqual(expect.objectContaining({ materialId: 'gallium', basis: 'eu_sourcing', countryId: 'CHN' }));
  });
  it('passes below the threshold; the top third country skips EU members', () => {
    const w = row('tungsten', 'mining', 'global', 'eu-crm')!;
    expect(w.status).toBe('pass');
    expect(w.topThirdCountry!.share).toBeLessThanOrEqual(CRMA_THRESHOLD);
    const co = row('cobalt', 'refining', 'eu_sourcing', 'eu-crm')!;
    expect(co.topThirdCountry).toMatchObject({ countryId: 'CHN', share: 0.05 }); // FIN and BEL are EU27
    expect(co.status).toBe('pass');
    expect(row('cobalt', 'refining', 'global', 'iea-cm')!.topThirdCountry!.share).toBeCloseTo(0.75, 12);
  });
  it('a series of listed countries only (no world total, no residual) cannot confirm a fail', () => {
    const b = row('boron', 'mining', 'global', 'usgs-mcs')!;
    expect(b.topThirdCountry!.share).toBeCloseTo(0.9, 12);
    expect(b.status).toBe('indeterminate');
    expect(row('boron', 'mining', 'eu_sourcing', 'eu-crm')!.status).toBe('fail'); // TUR 99% of EU sourcing
  });
});

describe('2030 benchmarks (Art. 5(1)(a))', () => {
  const bm = (m: string, b: string) => rep.benchmarks.find((r) => r.materialId === m && r.benchmark === b)!;
  it('a lower-bound proxy at or above the target means the benchmark is met (tungsten: AUT 10% of world mining)', () => {
    const t = bm('tungsten', 'extraction');
    expect(t.status).toBe('met');
    expect(t.proxies[0]).toMatchObject({ proxy: 'eu27_share_of_global_production', reading: 'lower bound', meetsTarget: true });
    expect(t.proxies[0].value).toBeCloseTo(0.1, 12);
  });
  it("EU member states' share of EU sourcing as an approximation (cobalt processing 90% ≥ 40%)", () => {
    const c = bm('cobalt', 'processing');
    expect(c.status).toBe('meets_on_approximation');
    expect(c.proxies.find((p) => p.proxy === 'eu27_share_of_eu_sourcing')!.value).toBeCloseTo(0.9, 12);
    expect(c.proxies.find((p) => p.dataset === 'iea-cm')!.value).toBeCloseTo(0.1, 12); // FIN 20/200
    expect(c.proxies.every((p) => p.why.length > 50)).toBe(true);
  });
  it('recycling: EoL-RIR where known (gallium 0%, 2020 value), else a stated gap', () => {
    const g = bm('gallium', 'recycling');
    expect(g.proxies[0]).toMatchObject({ proxy: 'eol_rir', value: 0, year: 2020, meetsTarget: false });
    expect(g.status).toBe('below_on_approximation');
    // tungsten: EU 2020 EoL-RIR 42 % (COM(2020) 474 Annex 1) meets the 25 % benchmark on that approximation
    const t = bm('tungsten', 'recycling');
    expect(t.proxies[0]).toMatchObject({ proxy: 'eol_rir', value: 0.42, year: 2020, meetsTarget: true });
    expect(t.status).toBe('meets_on_approximation');
    // without an EoL-RIR the benchmark is a stated gap
    for (const b of rep.benchmarks.filter((x) => x.benchmark === 'recycling')) {
      const held = !!EU_PARAMETERS[b.materialId]?.eolRir;
      expect(b.status === 'no_data', b.materialId).toBe(!held);
      if (!held) expect(b.gaps[0], b.materialId).toMatch(/not assessed/);
    }
  });
  it('only lower bounds, all below: inconclusive', () => {
    expect(bm('boron', 'extraction').status).toBe('below_on_approximation'); // EU sourcing 0% (TUR 99%)
    const lith = crmaReport(ix, { year: 2030, materials: ['lithium'] });
    expect(lith.test65.map((r) => `${r.dataset} ${r.year} ${r.scenario}`)).toEqual(['iea-cm 2030 base']);
    expect(lith.benchmarks.find((b) => b.benchmark === 'processing')!.status).toBe('inconclusive');
  });
  it('reports materials that are not strategic', () => {
    expect(crmaReport(ix, { materials: ['gold'] }).gaps.join(' ')).toMatch(/Not strategic raw materials.*gold/);
  });
});
