/**
 * The CLI loads only the module of the command it runs (COMMAND_MODULES in src/cli/main.ts, for startup CPU): the table
 * must name exactly the top-level commands each module registers, or a command would be missing from its own run.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, COMMAND_MODULES, commandOf, OWN_COMMANDS } from '../../src/cli/main.ts';

const names = async (command?: string) => (await buildProgram(command, () => {})).commands.map((c) => c.name());

describe('CLI command modules', () => {
  it('without a command every command is registered, each once', async () => {
    const all = await names();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...OWN_COMMANDS, ...COMMAND_MODULES.flatMap((m) => m.commands), 'worker'].sort());
  });

  it.each(COMMAND_MODULES.flatMap((m) => m.commands.map((c) => [c, m.commands] as const)))(
    '`%s` registers its own module only, which defines exactly %j',
    async (command, commands) => {
      expect((await names(command)).filter((n) => !OWN_COMMANDS.includes(n))).toEqual([...commands]);
    },
  );

  it("the program's own commands load no module; an unknown command loads every one (for the error and the help)", async () => {
    expect(await names('concentration')).toEqual([...OWN_COMMANDS]);
    expect((await names('nosuch')).length).toBe((await names()).length);
  });

  it('finds the command after node and the script, skipping options', () => {
    expect(commandOf(['node', 'chokepoint', 'stress', '--material', 'cobalt'])).toBe('stress');
    expect(commandOf(['node', 'chokepoint', '--help'])).toBeUndefined();
  });
});
