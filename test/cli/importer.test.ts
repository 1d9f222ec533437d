/** `chokepoint importer` on the API fixture (DRC cobalt exports, MSP grouping): table, JSON equal to the engine, CSV equal to the API. */
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerImporterCommands } from '../../src/cli/importer.ts';
import { cliInputErrorMessage } from '../../src/cli/main.ts';
import { createApp } from '../../src/api/app.ts';
import { importerExposure } from '../../src/engine/importer/exposure.ts';
import { InputError } from '../../src/model/errors.ts';
import { fixtureKb } from '../api/fixture.ts';

const kb = fixtureKb();

async function run(args: string[]): Promise<string> {
  const out: string[] = [];
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerImporterCommands(
    program,
    (s) => out.push(s),
    async (_o, fn) => fn(kb.index),
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
  it('an unknown importer says what was meant', async () => {
    await expect(run(['importer', 'MPS'])).rejects.toThrow(/unknown importer "MPS". Did you mean: MSP/);
  });
});
