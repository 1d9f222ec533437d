/**
 * Middle powers the literature names (issue 16): Kazakhstan as a producer, Korea as a processing hub, Morocco as a
 * phosphate producer, Türkiye as a corridor convener. On the bundled data, each gets its role for the reason the
 * literature gives, from the rule's evidence, or the role is missing for a stated data gap, never by a lowered threshold.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetIndex } from '../../../src/engine/dataset.ts';
import { countryRoles, FEEDSTOCK, ROLE_PARAMETERS } from '../../../src/engine/coalition/roles.ts';
import { bundledIndex } from '../bundled-index.ts';

let ix: DatasetIndex;
beforeAll(async () => {
  ix = await bundledIndex();
}, 300_000);

const role = (c: string, r: string) => countryRoles(ix, c).find((x) => x.role === r);

describe('middle-power roles of the literature', () => {
  it('Kazakhstan: producer anchor — it mines chromite and holds over a fifth of world chromite reserves (USGS)', () => {
    const a = role('KAZ', 'producer_anchor');
    expect(a, 'KAZ producer anchor').toBeDefined();
    const cr = a!.evidence.find((e) => e.materialId === 'chromium' && e.stage === 'reserves')!;
    expect(cr.share!).toBeGreaterThanOrEqual(ROLE_PARAMETERS.anchorMinReserveShare);
    expect(cr.miningShare!).toBeGreaterThan(0.05);
    expect(cr.sourceIds.every((s) => s.startsWith('usgs-mcs-'))).toBe(true);
    expect(a!.rule).toMatch(/world reserves/);
    // the rule needs mining, not only reserves: with the reserves threshold above its share, the role goes
    expect(countryRoles(ix, 'KAZ', { parameters: { anchorMinReserveShare: 0.99 } }).some((x) => x.role === 'producer_anchor')).toBe(false);
  });

  it('Korea: processing hub — it refines a sixth of the world indium from zinc concentrates it does not mine', () => {
    expect(FEEDSTOCK.indium).toBe('zinc');
    const h = role('KOR', 'processing_hub');
    expect(h, 'KOR processing hub').toBeDefined();
    const ind = h!.evidence.find((e) => e.materialId === 'indium')!;
    expect(ind.refiningShare!).toBeGreaterThan(0.1);
    expect(ind.miningShare).toBeNull(); // not listed among zinc miners
    expect(ind.text).toMatch(/zinc \(feedstock\) mining not listed \(at most the smallest listed producer/);
  });

  it('Morocco: producer anchor — phosphate rock, two thirds of world reserves and a top-3 miner', () => {
    const a = role('MAR', 'producer_anchor');
    expect(a, 'MAR producer anchor').toBeDefined();
    const ph = a!.evidence.find((e) => e.materialId === 'phosphate-rock')!;
    expect(ph.share!).toBeGreaterThan(0.5);
    expect(ph.stage).toBe('reserves');
    // Cobalt refining (named in the literature) is integrated with its own mines: the EU CRM 2023 supply shares
    // (2016-2020) give Morocco 1.7% of refined and 1.6% of mined cobalt — below the hub's 5% and with no margin over
    // its mining, so no processing-hub role; the producer role carries it.
    const share = (stage: string) =>
      ix.observationsOf('cobalt').find((o) => o.countryId === 'MAR' && o.stage === stage && o.measure === 'supply_share')!.value!;
    expect(share('refining')).toBeLessThan(ROLE_PARAMETERS.hubMinRefiningShare);
    expect(share('refining') - share('mining')).toBeLessThan(ROLE_PARAMETERS.hubMarginPts);
    expect(role('MAR', 'processing_hub')).toBeUndefined();
  });

  it('Türkiye: a producer anchor (boron); the corridor-convener role needs registry agreements, which hold none for it', () => {
    expect(role('TUR', 'producer_anchor')!.evidence[0].materialId).toBe('boron');
    const reg = ix.data.registry!;
    expect(reg.agreements.filter((a) => a.parties.includes('TUR'))).toHaveLength(0);
    expect(role('TUR', 'corridor_convener')).toBeUndefined();
  });
});
