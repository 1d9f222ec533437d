/**
 * README.md and docs/*.md command examples as golden tests: each `$ npx chokepoint …` with output shown under it is run
 * against the bundled data (the real CLI, bin/chokepoint.js, in a child process, on one temporary store built once), and
 * the shown lines must be the real ones (rule: test/docs/golden.ts). A failure names the doc, the block, the command
 * and the first line that differs. When a doc is wrong, fix the doc to the real output, never the other way round.
 *
 * The real CLI rather than buildProgram() in-process: the examples include error messages (main()'s mapping, stderr,
 * exit code) and every command opens its own knowledge base anyway, so a child process costs little more and shows
 * exactly what a user sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { bundledStore, runCli } from '../store/cli.ts';
import { compareOutput, docExamples, extractExamples, shellWords } from './golden.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const withOutput = docExamples(ROOT).filter((e) => e.shown.length);
const examples = withOutput.filter((e) => !e.needsOutsideData);
/** Examples that need a public source folder imported first (not in the repository): listed, asserted, not run. */
const NEED_OUTSIDE_DATA = [
  'README.md: chokepoint importer EU27 --material gallium',
  'README.md: chokepoint importers --material graphite --year 2024 --supplier CHN',
  'docs/importer.md: chokepoint importer EU27 --material gallium',
];

let store: Awaited<ReturnType<typeof bundledStore>>;

beforeAll(async () => {
  store = await bundledStore('cp-golden-');
}, 320_000);

afterAll(() => store?.remove());

describe('the comparison rule', () => {
  const ex = (doc: string) => extractExamples('x.md', doc)[0].shown;
  it('reads commands, comments and shown output from fenced blocks', () => {
    const all = extractExamples('x.md', 'text\n```text\n$ npx chokepoint a --b "c d"   # note\nout 1\n\n$ chokepoint e\n```\n$ chokepoint outside\n');
    expect(all.map((e) => [e.args, e.shown.map((s) => s.text), e.block, e.line])).toEqual([
      [['a', '--b', 'c d'], ['out 1'], 1, 3],
      [['e'], [], 1, 6],
    ]);
    expect(shellWords("x 'y z'#k # c")).toEqual(['x', 'y z#k']);
  });
  it('"…" alone omits lines; everything else must match, first line to last', () => {
    const shown = ex('```\n$ chokepoint x\na\n…\nd\n```');
    expect(compareOutput(shown, 'a\nb\nc\nd\n')).toBeNull();
    expect(compareOutput(shown, 'a\nd')).toBeNull();
    expect(compareOutput(shown, 'a\nb\nc\nd\ne')).toMatch(/goes on to line 5: "e"/);
    expect(compareOutput(shown, 'a\nb\nc\nx')).toMatch(/doc line 5 shows "d"; real line 4: "x"/);
    expect(compareOutput(shown, 'A\nb\nd')).toMatch(/doc line 3 shows "a"; real line 1: "A"/);
    expect(compareOutput(ex('```\n$ chokepoint x\na\nb\n```'), 'a\nb\nc')).toMatch(/real output has 3/);
    expect(compareOutput(ex('```\n$ chokepoint x\na\n...\n```'), 'a\nb\nc')).toBeNull();
    expect(compareOutput(ex('```\n$ chokepoint x\na\n…\nc\n…\n```'), 'a\nb\nx\n')).toMatch(/doc line 5 shows "c"/);
  });
  it('timestamps read <time>, trailing spaces are ignored, record dates are compared', () => {
    const shown = ex('```\n$ chokepoint x\n2025-01-02 10:11  warning\n2023-07-03  measure\n```');
    expect(compareOutput(shown, '2026-12-05 07:09  warning   \n2023-07-03  measure')).toBeNull();
    expect(compareOutput(shown, '2026-12-05 07:09  warning\n2023-07-04  measure')).toMatch(/doc line 4/);
  });
});

describe('README and docs examples = real output on the bundled data', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThan(5);
  });
  it('examples that need a source folder outside the repository are the listed ones (they are not run here)', () => {
    expect(withOutput.filter((e) => e.needsOutsideData).map((e) => `${e.file}: ${e.command.replace(/^npx /, '')}`)).toEqual(NEED_OUTSIDE_DATA);
  });
  for (const e of examples) {
    it(`${e.file} block ${e.block} (line ${e.line}): $ chokepoint ${e.args.join(' ')}`, async () => {
      const r = await runCli([...e.args, '--db', store.db], { timeoutMs: 400_000 });
      const real = r.code === 0 ? r.stdout : r.stderr;
      const diff = compareOutput(e.shown, real);
      if (diff) expect.fail(`${e.file}, block ${e.block}, command at line ${e.line} ("$ chokepoint ${e.args.join(' ')}", exit ${r.code}): ${diff}`);
    }, 420_000);
  }
});
