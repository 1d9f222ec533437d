/**
 * The coalition engine on the bundled knowledge base (USGS MCS 2022-2025, IEA 2025 data explorer, EU CRM 2023, groupings;
 * the registry seed when it ships). Prints the acceptance table: MSP share of refining for the six IEA minerals, 2024 and 2035.
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetIndex } from '../../../src/engine/dataset.ts';
import { importBundle } from '../../../src/ingest/bundle.ts';
import { IEA_SIX, coalitionN1, coalitionShareTable, countryProfile, countryRoles, crmaReport, dealImpact } from '../../../src/engine/coalition/index.ts';
import { runScenario, scenarioFromFlags } from '../../../src/scenario/run.ts';
import type { ImportBatch } from '../../../src/model/schema.ts';

let ix: DatasetIndex;
beforeAll(async () => {
  const batches: ImportBatch[] = [await importBundle()];
  const reg = await import('../../../src/ingest/registry.ts');
  if (existsSync(reg.REGISTRY_SEED_FILE)) batches.push(await reg.importRegistry(reg.REGISTRY_SEED_FILE));
  ix = new DatasetIndex({
    observations: batches.flatMap((b) => b.observations),
    sources: new Map(batches.flatMap((b) => b.sources).map((s) => [s.id, s])),
    governance: batches.flatMap((b) => b.governance ?? []),
    groupings: batches.flatMap((b) => b.groupings ?? []),
    registry: {
      agreements: batches.flatMap((b) => b.agreements ?? []),
      measures: batches.flatMap((b) => b.measures ?? []),
      projects: batches.flatMap((b) => b.projects ?? []),
    },
  });
});

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('MSP share of refining, six IEA minerals, 2024 and 2035 (acceptance)', () => {
  it('computes inside / outside / unallocated and prints the table', () => {
    const msp = coalitionShareTable(ix, 'MSP', { materials: [...IEA_SIX], stages: ['refining'], years: [2024, 2035], dataset: 'iea-cm' });
    const chn = coalitionShareTable(ix, 'CHN', { materials: [...IEA_SIX], stages: ['refining'], years: [2024, 2035], dataset: 'iea-cm' });
    expect(msp.rows).toHaveLength(12);
    expect(msp.missing).toEqual([]);
    const lines = [
      '| mineral | year | MSP inside | outside | unallocated (IEA "Rest of world") | China alone | MSP members listed |',
      '|---|---|---|---|---|---|---|',
    ];
    for (const r of msp.rows) {
      const c = chn.rows.find((x) => x.materialId === r.materialId && x.year === r.year)!;
      for (const v of [r.insideShare, r.outsideShare, r.unallocatedShare]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(r.insideShare + r.outsideShare + r.unallocatedShare).toBeCloseTo(1, 9);
      expect(r.dataset).toBe('iea-cm');
      expect(r.scenario).toBe(r.year === 2035 ? 'base' : null);
      expect(r.insideShare).toBeLessThan(c.insideShare); // China alone outweighs the MSP for every mineral
      lines.push(
        `| ${r.material} | ${r.year} | ${pct(r.insideShare)} | ${pct(r.outsideShare)} | ${pct(r.unallocatedShare)} | ${pct(c.insideShare)} | ${r.membersPresent.map((m) => `${m.countryId} ${pct(m.share)}`).join(', ')} |`,
      );
    }
    console.log(lines.join('\n'));
    const re24 = msp.rows.find((r) => r.materialId === 'rare-earths' && r.year === 2024)!;
    const re35 = msp.rows.find((r) => r.materialId === 'rare-earths' && r.year === 2035)!;
    expect(re24.insideShare).toBeLessThan(0.05); // USA only
    expect(chn.rows.find((r) => r.materialId === 'rare-earths' && r.year === 2024)!.insideShare).toBeGreaterThan(0.85);
    expect(re35.insideShare).toBeGreaterThan(re24.insideShare); // announced US and Australian capacity
    expect(re35.insideShare).toBeLessThan(0.2);
    // copper 2024 by hand: (JPN 1,578 + IND 655 kt) / 26,944 kt
    expect(msp.rows.find((r) => r.materialId === 'copper' && r.year === 2024)!.insideShare).toBeCloseTo((1578 + 655) / 26944, 6);
    // the IEA's "Rest of world" is unallocated, never non-MSP
    expect(msp.rows.find((r) => r.materialId === 'copper' && r.year === 2024)!.unallocatedShare).toBeGreaterThan(0.3);
  });
});

describe('coalition N-1 on the bundled data', () => {
  it("MSP, rare earths 2035: (a) without China = the stress engine's N-1; (b) self-sufficiency well below demand", () => {
    const r = coalitionN1(ix, { materialId: 'rare-earths', stage: 'refining', year: 2035, members: 'MSP' });
    const stress = runScenario(ix, scenarioFromFlags({ material: 'rare-earths', stage: 'refining', year: 2035, n1: true }));
    expect(r.largestOutside!.countryId).toBe('CHN');
    expect(r.largestOutside!.coverageWorldRatio).toBeCloseTo(stress.coverage.coverageWorldRatio!, 12);
    expect(r.allOutside!.selfSufficiencyWorldDemand!).toBeLessThan(r.allOutside!.coverageWithResidualWorldDemand!);
    expect(r.allOutside!.selfSufficiencyWorldDemand!).toBeLessThan(0.15);
    expect(r.demand!.proxy).toBe(false);
  });
});

describe('EU CRMA on the bundled data', () => {
  it('the 65% test flags gallium, rare earths and graphite at processing, and lists its inputs', () => {
    const rep = crmaReport(ix);
    const fail = (m: string, stage: string, dataset?: string) =>
      rep.test65.find((r) => r.materialId === m && r.stage === stage && r.status === 'fail' && (!dataset || r.dataset === dataset));
    const ga = fail('gallium', 'refining', 'eu-crm')!;
    expect(ga.topThirdCountry!.countryId).toBe('CHN');
    expect(ga.inputs.shares.length).toBeGreaterThan(1);
    expect(ga.source.text).toMatch(/European Commission|JRC/);
    expect(fail('gallium', 'refining', 'usgs-mcs')!.topThirdCountry!.share).toBeGreaterThan(0.9);
    expect(fail('rare-earths', 'refining', 'iea-cm')!.topThirdCountry!.share).toBeGreaterThan(0.85);
    expect(fail('neodymium', 'refining', 'eu-crm')!.topThirdCountry!.countryId).toBe('CHN');
    expect(fail('graphite', 'refining', 'iea-cm')!.topThirdCountry!.countryId).toBe('CHN');
    expect(fail('graphite', 'mining', 'usgs-mcs')!.topThirdCountry!.countryId).toBe('CHN');
    expect(fail('magnesium', 'refining')!.topThirdCountry!.countryId).toBe('CHN');
    expect(fail('lithium', 'refining', 'eu-crm')!.basis).toBe('eu_sourcing'); // Chile ~79% of EU sourcing
    expect(rep.test65.find((r) => r.materialId === 'copper' && r.status === 'fail')).toBeUndefined();
    const flagged = [...new Set(rep.flags.map((f) => f.materialId))].sort();
    console.log(`CRMA 65% flags (${rep.flags.length} cells): ${flagged.join(', ')}`);
    expect(rep.benchmarks.find((b) => b.materialId === 'cobalt' && b.benchmark === 'recycling')!.proxies[0].value).toBeCloseTo(0.22, 12);
    expect(rep.benchmarks.filter((b) => b.benchmark === 'recycling' && b.status === 'no_data').length).toBeGreaterThan(5);
  });
});

describe('deal and roles on the bundled data', () => {
  it('+40,000 t LCE of US lithium refining in 2030 lowers the top supplier share and raises the MSP share', () => {
    const d = dealImpact(ix, {
      project: { countryId: 'USA', materialId: 'lithium', stage: 'refining', tonnesPerYear: 40000, basis: 'lce' },
      year: 2030,
      members: 'MSP',
    });
    expect(d.project.addedTonnes).toBeCloseTo(7512, 6);
    expect(d.before.top!.countryId).toBe('CHN');
    expect(d.change.topShare).toBeLessThan(0);
    expect(d.change.hhi).toBeLessThan(0);
    expect(d.change.coalitionShare!).toBeGreaterThan(0);
    expect(d.change.coverageWithoutLargest!).toBeGreaterThan(0);
    expect(d.series.dataset).toBe('iea-cm');
  });

  it('IDN is a producer anchor for nickel; CHN a processing hub', () => {
    const idn = countryRoles(ix, 'IDN');
    const anchor = idn.find((r) => r.role === 'producer_anchor')!;
    expect(anchor.evidence[0]).toMatchObject({ materialId: 'nickel', stage: 'mining', rank: 1 });
    expect(anchor.evidence[0].share!).toBeGreaterThan(0.5);
    const hub = countryRoles(ix, 'CHN').find((r) => r.role === 'processing_hub')!;
    expect(hub.evidence.map((e) => e.materialId)).toEqual(expect.arrayContaining(['graphite', 'rare-earths', 'lithium', 'cobalt']));
    const p = countryProfile(ix, 'IDN');
    expect(p.production[0]).toMatchObject({ materialId: 'nickel', stage: 'mining' });
    expect(p.memberships.map((m) => m.groupId)).toContain('IPEF_CMD');
  });
});
