/**
 * GeoPolRisk as the USA on the bundle plus the whole UN Comtrade sample (../shared/data/trade-comtrade-cmm-sample), and
 * the committed 8-row excerpt (test/fixtures/engine-comtrade-cmm-sample) checked against it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { printReport } from '../../../src/cli/criticality.ts';
import { assertNoNaN } from '../../../src/engine/criticality/index.ts';
import { sharedData } from '../../sources/shared-data.ts';
import { geoPolRiskAsUsa } from './geopolrisk-usa.ts';

const SAMPLE = sharedData('trade-comtrade-cmm-sample');
const EXCERPT = fileURLToPath(new URL('../../fixtures/engine-comtrade-cmm-sample', import.meta.url));
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('GeoPolRisk as the USA on the bundle + UN Comtrade sample', async () => {
  const { rep, flows } = await geoPolRiskAsUsa(SAMPLE, ['cobalt', 'gallium', 'graphite', 'lithium', 'nickel', 'copper']);

  it('prints the inputs (chokepoint criticality --method geopolrisk --as USA --inputs)', () => {
    const out: string[] = [];
    printReport((s) => out.push(s), rep, 'table', true);
    console.log(out.join('\n'));
    assertNoNaN(rep);
  });

  it('cobalt: partners as in the sample, F_A from the World rows', () => {
    const co = rep.geopolrisk.find((r) => r.materialId === 'cobalt')!;
    const st = co.stages.find((s) => s.stage === co.stage)!;
    const inSample = flows.filter((f) => f.reporterId === 'USA' && f.flow === 'import' && f.materialId === 'cobalt' && f.year === 2023);
    const partners = [...new Set(inSample.filter((f) => f.partnerId !== 'WLD').map((f) => f.partnerId))].sort();
    expect(st.customs!.partners.map((p) => p.countryId).sort()).toEqual(partners);
    expect(partners).toEqual(['CHN']);
    const kg = (p: string) => inSample.filter((f) => f.partnerId === p).reduce((a, f) => a + f.quantityKg!, 0);
    expect(st.customs!.partners[0].tonnes).toBeCloseTo(kg('CHN') / 1000, 3); // 54,150 + 113,785 kg
    expect(st.customs!.totalImports).toBeCloseTo(kg('WLD') / 1000, 3); // 1,391,479 + 10,199,605 kg
  });

  it('every material computed stays within [0, HHI] and names the sample as its source', () => {
    for (const r of rep.geopolrisk) {
      for (const s of r.stages) {
        expect(s.score, `${r.materialId} ${s.stage}`).toBeGreaterThanOrEqual(0);
        expect(s.score, `${r.materialId} ${s.stage}`).toBeLessThanOrEqual(s.hhi);
        expect(s.customs!.partners.map((p) => p.countryId)).toEqual(['CHN']); // the sample's only partner country
      }
      if (r.score !== null)
        expect(r.inputs.find((i) => i.input === 'imports by partner f_Ai (customs)' && i.value !== null)!.source.text).toMatch(/UN Comtrade/);
    }
  });

  it('the committed excerpt is verbatim lines of the sample, and scores cobalt, gallium and graphite as the sample does', async () => {
    const files = readdirSync(EXCERPT).filter((f) => f.endsWith('.csv'));
    expect(files.sort()).toEqual(['cobalt_trade_data.csv', 'gallium_trade_data.csv', 'graphite_trade_data.csv']);
    for (const f of files) {
      const full = lines(join(SAMPLE, f));
      const cut = lines(join(EXCERPT, f));
      expect(cut[0], `${f} header`).toBe(full[0]);
      for (const l of cut.slice(1)) expect(full, f).toContain(l);
    }
    const excerpt = (await geoPolRiskAsUsa(EXCERPT, ['cobalt', 'gallium', 'graphite'])).rep;
    for (const m of ['cobalt', 'gallium', 'graphite']) {
      const a = excerpt.geopolrisk.find((r) => r.materialId === m)!;
      const b = rep.geopolrisk.find((r) => r.materialId === m)!;
      expect([a.stage, a.score], m).toEqual([b.stage, b.score]);
    }
  });
});
