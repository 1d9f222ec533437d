import { describe, expect, it } from 'vitest';
import { CoalitionError, coalitionN1 } from '../../../src/engine/coalition/index.ts';
import { runScenario, scenarioFromFlags } from '../../../src/scenario/run.ts';
import { fixtureIndex } from './fixture.ts';

const ix = fixtureIndex();

describe('coalitionN1 (hand-computed, cobalt refining 2024, IEA demand 250 t)', () => {
  const r = coalitionN1(ix, { materialId: 'cobalt', stage: 'refining', year: 2024, members: 'MSP' });

  it('splits supply into members, outsiders and the unattributed residual', () => {
    expect(r.supply).toMatchObject({ totalTonnes: 200, memberTonnes: 40, outsideTonnes: 155, residualTonnes: 5, dataset: 'iea-cm' });
    expect(r.demand).toMatchObject({ tonnes: 250, proxy: false });
  });

  it("(a) the largest outside supplier (CHN 150) stops: 50 t left, 50/250 = 20% of demand — the stress engine's figure", () => {
    expect(r.largestOutside).toMatchObject({ countryId: 'CHN', tonnes: 150, share: 0.75, remainingTonnes: 50 });
    expect(r.largestOutside!.coverageWorldRatio).toBeCloseTo(0.2, 12);
    expect(r.largestOutside!.remainingSupplyShare).toBeCloseTo(0.25, 12);
    const direct = runScenario(ix, scenarioFromFlags({ material: 'cobalt', stage: 'refining', year: 2024, exclude: ['CHN'] }));
    expect(r.largestOutside!.coverageWorldRatio).toBeCloseTo(direct.coverage.coverageWorldRatio!, 12);
  });

  it('(b) every non-member stops: self-sufficiency 40/250 = 16%, 45/250 = 18% with the residual', () => {
    const b = r.allOutside!;
    expect(b.excluded.map((e) => e.countryId).sort()).toEqual(['CHN', 'IDN']);
    expect(b.excludedTonnes).toBe(155);
    expect(b.selfSufficiencyWorldDemand).toBeCloseTo(40 / 250, 12);
    expect(b.coverageWithResidualWorldDemand).toBeCloseTo(45 / 250, 12);
    expect(b.remainingSupplyShare).toBeCloseTo(45 / 200, 12);
    expect(b.selfSufficiencyMemberConsumption).toBeNull();
    expect(b.memberConsumption.unknownFor).toEqual(['AUS', 'CAN', 'FIN', 'JPN']);
    expect(r.gaps.join(' ')).toMatch(/Member consumption of Cobalt is in the knowledge base for USA only/);
    expect(r.gaps.join(' ')).toMatch(/2\.5% of refining supply is not attributed/);
    expect(r.sources.map((s) => s.sourceId)).toContain('iea');
  });

  it('uses member consumption when every member has it (USA: 10 t refined ÷ 20 t apparent consumption)', () => {
    const u = coalitionN1(ix, { materialId: 'cobalt', stage: 'refining', year: 2024, members: 'USA' });
    expect(u.allOutside!.memberConsumption.tonnes).toBe(20);
    expect(u.allOutside!.selfSufficiencyMemberConsumption).toBeCloseTo(0.5, 12);
    expect(u.allOutside!.memberConsumption.knownFor[0].source.sourceId).toBe('usgs');
  });

  it('nothing to exclude when every named supplier is a member; no data → not_found', () => {
    const all = coalitionN1(ix, { materialId: 'cobalt', stage: 'refining', year: 2024, members: 'CHN+FIN+JPN+USA+IDN' });
    expect(all.largestOutside).toBeNull();
    expect(all.assumptions.join(' ')).toMatch(/nothing to exclude/);
    try {
      coalitionN1(ix, { materialId: 'cobalt', stage: 'refining', year: 1999, members: 'MSP' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CoalitionError);
      expect((e as CoalitionError).kind).toBe('not_found');
      expect((e as CoalitionError).field).toBe('year');
    }
  });
});
