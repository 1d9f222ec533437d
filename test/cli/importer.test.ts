/** `chokepoint importer` on the API fixture (DRC cobalt exports, MSP grouping): table, JSON equal to the engine, CSV equal to the API. */
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerImporterCommands } from '../../src/cli/importer.ts';
import { cliInputErrorMessage } from '../../src/cli/main.ts';
import { createApp } from '../../src/api/app.ts';
import { importerExposure } from '../../src/engine/importer/exposure.ts';
import { InputError } from '../../src/model/errors.ts';
import { fixtureKb, TRADE_FLOWS } from '../api/fixture.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { contentFactor } from '../../src/data/hs-content.ts';
import type { TradeFlow } from '../../src/model/schema.ts';

const kb = fixtureKb();

async function run(args: string[], index = kb.index): Promise<string> {
  const out: string[] = [];
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerImporterCommands(
    program,
    (s) => out.push(s),
    async (_o, fn) => fn(index),
  );
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    throw e instanceof InputError ? new Error(cliInputErrorMessage(e)) : e;
  }
  return out.join('\n');
}

describe('chokepoint importer', () => {
  it('table: suppliers, proxy label, gaps and the stress command', async () => {
    const t = await run(['importer', 'MSP', '--material', 'cobalt', '--year', '2023']);
    expect(t).toMatch(/^Minerals Security Partnership \(MSP\): 4 members, extra-bloc imports only/);
    expect(t).toMatch(/Cobalt\s+refining\s+2023\s+.*MIRROR\(COD\) COD 100\.0%/);
    expect(t).toMatch(/recorded imports: 20,000 t \(customs net weight\)/);
    expect(t).toMatch(/Cobalt\s+mining\s+2023\s+.*PROXY COD/);
    expect(t).toMatch(/stress test: chokepoint stress --material cobalt --stage mining --year 2023 --exclude COD/);
    expect(t).toMatch(/GAP: no customs or trade flows loaded for MSP's mining-stage cobalt imports/);
    expect(t).toMatch(/source: UN Comtrade, 2023, exports by HS code — Cobalt: exports by partner, 2023, HS 282200/);
  });
  it('JSON is the engine result; CSV equals the API CSV byte for byte', async () => {
    const j = JSON.parse(await run(['importer', 'FIN', '-m', 'cobalt', '-y', '2023', '-f', 'json']));
    expect(j).toEqual(JSON.parse(JSON.stringify(importerExposure(kb.index, { importer: 'FIN', materials: ['cobalt'], year: 2023, on: j.on }))));
    const csv = await run(['importer', 'FIN', '-m', 'cobalt', '-y', '2023', '-f', 'csv']);
    const api = await (await createApp(kb).request('/api/importer/FIN?material=cobalt&year=2023&format=csv')).text();
    expect(csv + '\n').toBe(api);
  });
  it('import dependence on the production basis: cobalt oxide tonnes converted to contained cobalt, the factor cited', async () => {
    // Finland declares 12,000 t of cobalt oxides and hydroxides in from the DRC and 2,000 t out to Sweden; it refines 10,000 t
    const fin = (flow: 'import' | 'export', partnerId: string, tonnes: number): TradeFlow => ({
      ...TRADE_FLOWS[0],
      reporterId: 'FIN',
      partnerId,
      flow,
      quantityKg: tonnes * 1000,
    });
    const index = new DatasetIndex({ ...kb.index.data, tradeFlows: [...TRADE_FLOWS, fin('import', 'COD', 12_000), fin('export', 'SWE', 2_000)] });
    const t = await run(['importer', 'FIN', '-m', 'cobalt', '-y', '2023'], index);
    const co = contentFactor('282200', 'cobalt', 'contained').factor!;
    const at = (f: number) => (12_000 * f) / (10_000 + 10_000 * f);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect(t).toContain(`import dependence: ${pct(at(co.central))}, ${pct(at(co.low))}–${pct(at(co.high))} over the conversion ranges`);
    // 12,000 t × 73.42 % = 8,810.76 t in, 2,000 t × 73.42 % = 1,468.46 t out
    expect(t).toContain('apparent consumption: 17,342 t contained = production 10,000 t + imports 8,810.76 t − exports 1,468.46 t');
    expect(t).toMatch(/conversion: HS 282200 × 0\.7342 \(0\.6340–0\.7865\) → contained — IUPAC Commission on Isotopic Abundances and Atomic Weights \(2021\)/);
  });
  it('an unknown importer says what was meant', async () => {
    await expect(run(['importer', 'MPS'])).rejects.toThrow(/unknown importer "MPS". Did you mean: MSP/);
  });
});
