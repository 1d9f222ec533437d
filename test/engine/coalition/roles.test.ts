import { describe, expect, it } from 'vitest';
import { CoalitionError, ROLE_PARAMETERS, countryProfile, countryRoles, middlePowerRoles } from '../../../src/engine/coalition/index.ts';
import { fixtureIndex } from './fixture.ts';

const ix = fixtureIndex();
const roleOf = (c: string, opts = {}) => countryRoles(ix, c, opts).map((r) => r.role);

describe('middle-power roles (fixture)', () => {
  it('producer anchor: COD mines 150/200 = 75% of cobalt', () => {
    const r = countryRoles(ix, 'COD').find((x) => x.role === 'producer_anchor')!;
    expect(r.evidence[0]).toMatchObject({ materialId: 'cobalt', stage: 'mining', year: 2024, share: 0.75, rank: 1 });
    expect(r.rule).toMatch(/≥ 20%/);
    expect(roleOf('AUS')).not.toContain('producer_anchor'); // 5%, rank 3 in one material only
    expect(roleOf('AUS', { parameters: { anchorTop3Materials: 1 } })).toContain('producer_anchor');
  });

  it('processing hub: CHN refines 75% of cobalt and is not listed in mining (≤ the 5% residual)', () => {
    const r = countryRoles(ix, 'CHN').find((x) => x.role === 'processing_hub')!;
    const e = r.evidence.find((x) => x.materialId === 'cobalt')!;
    expect(e.refiningShare).toBeCloseTo(0.75, 12);
    expect(e.miningShare).toBeNull();
    expect(e.text).toMatch(/not listed \(at most the 5\.0% unattributed\).*at least 70\.0 points/);
    // FIN refines 10% but could mine up to the 5% residual: margin 5 points < 10, so no hub under the default rule.
    expect(roleOf('FIN')).not.toContain('processing_hub');
    expect(roleOf('FIN', { parameters: { hubMarginPts: 0.04 } })).toContain('processing_hub');
  });

  it('value-capture climber: IDN refining 5/200 = 2.5% (2024) → 40/300 = 13.3% (2030, IEA base case)', () => {
    const r = countryRoles(ix, 'IDN', { parameters: { climbToYear: 2030 } }).find((x) => x.role === 'value_capture_climber')!;
    expect(r.evidence[0]).toMatchObject({ materialId: 'cobalt', fromYear: 2024, year: 2030, projection: true });
    expect(r.evidence[0].fromShare).toBeCloseTo(0.025, 12);
    expect(r.evidence[0].share).toBeCloseTo(40 / 300, 12);
    expect(roleOf('IDN')).not.toContain('value_capture_climber'); // default climbToYear 2035: no data
  });

  it('corridor convener: IDN is party to 3 agreements with counterparties in G7/MSP/EU (USA, JPN) and BRICS (CHN)', () => {
    const r = countryRoles(ix, 'IDN').find((x) => x.role === 'corridor_convener')!;
    expect(r.evidence[0].text).toMatch(/3 agreement\(s\).*2 camp\(s\)/);
    expect(r.evidence.filter((e) => e.agreementId).map((e) => e.agreementId)).toEqual(['idn-usa', 'idn-chn', 'idn-jpn']);
    expect(roleOf('AUS')).not.toContain('corridor_convener'); // one agreement, one hosted project
    expect(roleOf('AUS', { parameters: { convenerMinPartnerProjects: 1 } })).toContain('corridor_convener');
    expect(countryRoles(fixtureIndex({ registry: false }), 'IDN').map((x) => x.role)).not.toContain('corridor_convener');
  });

  it('middlePowerRoles: every country with a role, rules with the parameters, sources, registry gap', () => {
    const rep = middlePowerRoles(ix, { parameters: { climbToYear: 2030 } });
    const ids = rep.countries.map((c) => c.countryId);
    expect(ids).toEqual(expect.arrayContaining(['CHN', 'COD', 'IDN']));
    expect(rep.parameters).toMatchObject({ ...ROLE_PARAMETERS, climbToYear: 2030 });
    expect(rep.rules.value_capture_climber).toMatch(/2024 → 2030/);
    expect(rep.sources.map((s) => s.sourceId)).toEqual(expect.arrayContaining(['iea', 'reg']));
    expect(middlePowerRoles(fixtureIndex({ registry: false })).gaps.join(' ')).toMatch(/registry has no agreements/);
    expect(middlePowerRoles(ix, { countries: ['ARG'] }).countries).toEqual([{ countryId: 'ARG', country: 'Argentina', roles: [] }]);
  });
});

describe('countryProfile', () => {
  it('IDN: shares, memberships, agreements, measures, roles', () => {
    const p = countryProfile(ix, 'idn');
    expect(p.countryId).toBe('IDN');
    expect(p.production.find((x) => x.materialId === 'cobalt' && x.stage === 'mining')).toMatchObject({ share: 0.15, rank: 2, year: 2024 });
    expect(p.memberships.map((m) => m.groupId)).toEqual(['IPEF_CMD']);
    expect(p.agreements.map((a) => a.id)).toEqual(['idn-usa', 'idn-chn', 'idn-jpn']);
    expect(p.measures.map((m) => `${m.id}:${m.relation}`)).toEqual(['idn-ore-ban:imposed']);
    expect(p.roles.map((r) => r.role)).toContain('corridor_convener');
    expect(p.sources.length).toBeGreaterThan(0);
  });
  it('projects as host and partner; groupings that list the EU reach member states', () => {
    expect(countryProfile(ix, 'AUS').projects.map((x) => `${x.id}:${x.relation}`)).toEqual(['aus-li-refinery:host']);
    expect(countryProfile(ix, 'JPN').projects.map((x) => `${x.id}:${x.relation}`)).toEqual(['aus-li-refinery:partner']);
    expect(countryProfile(ix, 'SWE').memberships.map((m) => m.groupId)).toEqual(['EU27']);
  });
  it('unknown country → not_found on iso3', () => {
    try {
      countryProfile(ix, 'XYZ');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CoalitionError);
      expect((e as CoalitionError).field).toBe('iso3');
      expect((e as CoalitionError).kind).toBe('not_found');
    }
  });
});

describe('roles: material scope', () => {
  it('assesses the critical-minerals lists by default; scope all adds every material with data', async () => {
    const { CRITICAL_SCOPE } = await import('../../../src/engine/coalition/roles.ts');
    for (const id of ['gallium', 'cobalt', 'dysprosium', 'copper', 'platinum', 'tin']) expect(CRITICAL_SCOPE.has(id), id).toBe(true);
    for (const id of ['iodine', 'zeolites', 'gemstones']) expect(CRITICAL_SCOPE.has(id), id).toBe(false);
    expect(CRITICAL_SCOPE.has('helium')).toBe(true); // on the EU 2023 list
  });
});
