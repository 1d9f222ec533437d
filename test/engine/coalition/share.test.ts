import { describe, expect, it } from 'vitest';
import { CoalitionError, coalitionShare, coalitionShareTable, resolveCoalition, supplyShares } from '../../../src/engine/coalition/index.ts';
import { fixtureIndex } from './fixture.ts';

const ix = fixtureIndex();

describe('resolveCoalition', () => {
  it('resolves a grouping, leaves the EU aggregate out unless asked, and accepts ISO3 lists', () => {
    const msp = resolveCoalition(ix, 'MSP');
    expect(msp.members).toEqual(['AUS', 'CAN', 'FIN', 'JPN', 'USA']);
    expect(msp.notes.join(' ')).toMatch(/European Union \(X-EU\)/);
    expect(msp.sources[0].sourceId).toBe('grp');
    const wide = resolveCoalition(ix, 'msp', { expandEu: true });
    expect(wide.members).toEqual(['AUS', 'AUT', 'BEL', 'CAN', 'DEU', 'FIN', 'FRA', 'JPN', 'SWE', 'USA']);
    expect(resolveCoalition(ix, 'CHN+idn').members).toEqual(['CHN', 'IDN']);
    expect(resolveCoalition(ix, ['CHN', 'IDN']).members).toEqual(['CHN', 'IDN']);
    expect(resolveCoalition(ix, 'G7+AUS').members).toEqual(['AUS', 'DEU', 'FRA', 'JPN', 'USA']);
    expect(resolveCoalition(ix, 'EU').members).toContain('AUT');
  });
  it('rejects unknown tokens naming the field', () => {
    expect(() => resolveCoalition(ix, 'ATLANTIS')).toThrow(CoalitionError);
    try {
      resolveCoalition(ix, 'AUS+ATLANTIS');
    } catch (e) {
      expect((e as CoalitionError).field).toBe('group');
      expect((e as Error).message).toMatch(/ATLANTIS/);
    }
  });
});

describe('coalitionShare (hand-computed)', () => {
  it('cobalt refining 2024: MSP = (FIN 20 + JPN 10 + USA 10) / 200; the IEA residual is unallocated, not outside', () => {
    const r = coalitionShare(ix, { materialId: 'cobalt', stage: 'refining', year: 2024, members: 'MSP' })!;
    expect(r.insideShare).toBeCloseTo(40 / 200, 12);
    expect(r.outsideShare).toBeCloseTo(155 / 200, 12);
    expect(r.unallocatedShare).toBeCloseTo(5 / 200, 12);
    expect(r.insideShare + r.outsideShare + r.unallocatedShare).toBeCloseTo(1, 12);
    expect(r.insideShareRange).toEqual([r.insideShare, r.insideShare + r.unallocatedShare]);
    expect(r.membersPresent.map((m) => m.countryId)).toEqual(['FIN', 'JPN', 'USA']);
    expect(r.membersNotListed).toEqual(['AUS', 'CAN']);
    expect(r.largestOutside).toMatchObject({ countryId: 'CHN', share: 0.75 });
    expect(r.gaps.join(' ')).toMatch(/IEA "Rest of world".*between 20\.0% and 22\.5%/);
    expect(r.source).toMatchObject({ sourceId: 'iea', url: 'https://example.org/iea' });
    expect(r.dataset).toBe('iea-cm');
  });

  it('never counts an aggregate ("X-" group, OTH) as inside or outside', () => {
    const r = coalitionShare(ix, { materialId: 'nickel', stage: 'refining', year: 2024, members: 'MSP' })!;
    expect(r.insideShare).toBeCloseTo(0.1, 12); // JPN 10
    expect(r.outsideShare).toBeCloseTo(0.8, 12); // IDN 50 + CHN 30
    expect(r.unallocatedShare).toBeCloseTo(0.1, 12); // X-BEL+LUX 5 + OTH 5
    expect(r.outside.map((c) => c.countryId)).toEqual(['IDN', 'CHN']);
  });

  it('a withheld member figure is a stated gap (inside share is a lower bound)', () => {
    const r = coalitionShare(ix, { materialId: 'gallium', stage: 'refining', year: 2024, members: 'MSP' })!;
    expect(r.membersWithheld).toEqual(['JPN']);
    expect(r.insideShare).toBe(0);
    expect(r.outsideShare).toBeCloseTo(705 / 750, 12);
    expect(r.unallocatedShare).toBeCloseTo(45 / 750, 12);
    expect(r.gaps.join(' ')).toMatch(/withheld.*JPN.*lower bound/);
  });

  it('EU CRM share tables: published shares, with the unlisted remainder unallocated; expandEu counts DEU', () => {
    const r = coalitionShare(ix, { materialId: 'gallium', stage: 'refining', year: 2023, members: 'MSP', measure: 'supply_share', detail: 'global' })!;
    expect(r.totalBasis).toBe('shares_of_one');
    expect(r.insideShare).toBeCloseTo(0.05, 12); // JPN
    expect(r.outsideShare).toBeCloseTo(0.93, 12); // CHN + DEU
    expect(r.unallocatedShare).toBeCloseTo(0.02, 12);
    const wide = coalitionShare(ix, {
      materialId: 'gallium',
      stage: 'refining',
      year: 2023,
      members: 'MSP',
      measure: 'supply_share',
      detail: 'global',
      expandEu: true,
    })!;
    expect(wide.insideShare).toBeCloseTo(0.08, 12);
    const sourcing = coalitionShare(ix, {
      materialId: 'gallium',
      stage: 'refining',
      year: 2023,
      members: 'EU27',
      measure: 'supply_share',
      detail: 'eu_sourcing',
    })!;
    expect(sourcing.insideShare).toBeCloseTo(0.2, 12);
  });

  it('custom lists and projections', () => {
    const r = coalitionShare(ix, { materialId: 'cobalt', stage: 'refining', year: 2030, members: 'CHN+IDN', dataset: 'iea-cm' })!;
    expect(r.scenario).toBe('base');
    expect(r.insideShare).toBeCloseTo(240 / 300, 12);
    expect(coalitionShare(ix, { materialId: 'cobalt', stage: 'refining', year: 2019, members: 'MSP' })).toBeNull();
  });

  it('supplyShares states an incomplete series (no world total, no residual)', () => {
    const s = supplyShares(ix, { materialId: 'boron', stage: 'mining', year: 2024 })!;
    expect(s.complete).toBe(false);
    expect(s.notes.join(' ')).toMatch(/listed countries/);
  });
});

describe('coalitionShareTable', () => {
  it('sweeps materials × years and lists the cells without data', () => {
    const t = coalitionShareTable(ix, 'MSP', { materials: ['cobalt', 'lithium'], stages: ['refining'], years: [2024, 2030], dataset: 'iea-cm' });
    expect(t.rows.map((r) => `${r.materialId} ${r.year}`)).toEqual(['cobalt 2024', 'cobalt 2030', 'lithium 2030']);
    expect(t.missing).toEqual([{ materialId: 'lithium', stage: 'refining', year: 2024 }]);
    expect(t.rows[1].insideShare).toBeCloseTo(40 / 300, 12); // FIN 20 + JPN 20
    for (const r of t.rows) expect(r.insideShare + r.outsideShare + r.unallocatedShare).toBeCloseTo(1, 9);
  });
});
