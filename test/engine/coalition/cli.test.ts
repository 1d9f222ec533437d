import { InputError } from '../../../src/model/errors.ts';
import { cliInputErrorMessage } from '../../../src/cli/main.ts';
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { registerCoalitionCommands } from '../../../src/cli/coalition.ts';
import type { KnowledgeBase } from '../../../src/store/knowledge-base.ts';
import { fixtureIndex } from './fixture.ts';

async function run(args: string[]): Promise<string> {
  const out: string[] = [];
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let closed = 0;
  registerCoalitionCommands(
    program,
    async () => ({ index: fixtureIndex(), close: () => void closed++ }) as unknown as KnowledgeBase,
    (s) => out.push(s),
  );
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    // what main() prints: the CLI's one mapping of input errors
    throw e instanceof InputError ? new Error(cliInputErrorMessage(e)) : e;
  }
  expect(closed).toBe(1);
  return out.join('\n');
}

describe('chokepoint coalition … (CLI)', () => {
  it('share: table with inside / outside / unallocated and sources; CSV; JSON', async () => {
    const t = await run(['coalition', 'share', '--group', 'MSP', '--year', '2024', '--material', 'cobalt']);
    expect(t).toMatch(/Cobalt\s+refining\s+2024\s+20\.0%\s+77\.5%\s+2\.5%/);
    expect(t).toMatch(/SOURCES\n  - International Energy Agency/);
    const csv = await run(['coalition', 'share', '-g', 'MSP', '-y', '2024', '-m', 'cobalt', '-f', 'csv']);
    expect(csv.split('\n')[0]).toMatch(/^coalition,material/);
    const json = JSON.parse(await run(['coalition', 'share', '-g', 'MSP', '-y', '2024', '-m', 'cobalt', '-f', 'json']));
    expect(json.rows[0].insideShare).toBeCloseTo(0.2, 12);
  });
  it('n1, crma, deal, roles, country', async () => {
    expect(await run(['coalition', 'n1', '-g', 'MSP', '-m', 'cobalt', '-y', '2024'])).toMatch(/CHN 75\.0%\s+25\.0%\s+20\.0%\s+16\.0%\s+18\.0%/);
    expect(await run(['coalition', 'crma', '--fails'])).toMatch(/FAIL\s+\(f\) Gallium/);
    const deal = await run([
      'coalition',
      'deal',
      '--country',
      'USA',
      '--material',
      'lithium',
      '--stage',
      'refining',
      '--tonnes',
      '10000',
      '--basis',
      'lce',
      '--group',
      'MSP',
      '--year',
      '2030',
    ]);
    expect(deal).toMatch(/\+1,878 t contained lithium refining/);
    expect(deal).toMatch(/top supplier share\s+CHN 60\.0%\s+CHN 58\.9%/);
    expect(await run(['coalition', 'roles', '--country', 'IDN'])).toMatch(/CORRIDOR CONVENER — rule:/);
    expect(await run(['country', 'COD'])).toMatch(/PRODUCER ANCHOR/);
  });
  it('user errors name the flag', async () => {
    await expect(
      run(['coalition', 'deal', '--country', 'USA', '--material', 'nickel', '--stage', 'refining', '--tonnes', '5', '--basis', 'lce', '--year', '2024']),
    ).rejects.toThrow(/--basis: .*no documented conversion factor/);
    await expect(run(['coalition', 'share', '--group', 'ATLANTIS', '--year', '2024'])).rejects.toThrow(/--group: "ATLANTIS"/);
    await expect(run(['country', 'XYZ'])).rejects.toThrow(/--country: "XYZ" is not an ISO3/);
    await expect(run(['coalition', 'deal', '--year', '2030'])).rejects.toThrow(/give --project/);
  });
});
