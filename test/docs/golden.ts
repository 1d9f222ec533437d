/**
 * Golden documentation examples: the `$ npx chokepoint …` (or `$ chokepoint …`) commands in README.md and docs/*.md,
 * each with the output shown under it, and the rule that compares shown with real output.
 *
 * The rule:
 * - A command is a line of a fenced block starting with `$ npx chokepoint ` or `$ chokepoint ` (at column 0); a trailing
 *   `# comment` is not part of it. Its shown output is the block's lines up to the next command or the end of the block,
 *   trailing blank lines dropped. A command with no shown output is not run (nothing to compare).
 * - The real output is stdout when the command exits 0, else stderr (the error message a user sees).
 * - Lines compare exactly, after trailing spaces are dropped and timestamps (YYYY-MM-DD HH:MM[:SS[.sss]][Z], also with
 *   `T`) on either side read `<time>`: the time a store was built changes by run, dates of records do not.
 * - "as of YYYY-MM-DD" (the day a command reads registry statuses on) reads `as of <today>` on either side.
 * - A shown line that is only `…` (or `...`) stands for zero or more omitted lines; anywhere else the shown lines are the
 *   real lines in order, from the first line to the last.
 * - An example after a `data import` of a file outside the repository (e.g. `../shared/data/…`) in the same block needs
 *   that file: it is not run by `npm test` (the repository alone); `needsOutsideData` names it, and the golden test
 *   lists every such example and asserts the list, so a new one is a deliberate change.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DocExample {
  file: string; // relative to the repository root
  block: number; // 1-based number of the fenced block in the file
  line: number; // 1-based line of the command
  command: string; // as written, without `$ ` and the comment
  args: string[]; // after `chokepoint`
  /** The file outside the repository an earlier `data import` of the same block read, when there is one. */
  needsOutsideData: string | null;
  shown: Array<{ text: string; line: number }>;
}

const COMMAND = /^\$ (?:npx )?chokepoint(?: |$)/;

/** Words of a command line as a POSIX shell splits them (quotes, no expansion), up to an unquoted ` #`. */
export function shellWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'" || ch === '"') {
      const end = s.indexOf(ch, i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${s}`);
      cur += s.slice(i + 1, end);
      has = true;
      i = end;
    } else if (/\s/.test(ch)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else if (ch === '#' && !has) break;
    else {
      cur += ch;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

export function extractExamples(file: string, text: string): DocExample[] {
  const lines = text.split('\n');
  const out: DocExample[] = [];
  let inBlock = false;
  let block = 0;
  let cur: DocExample | null = null;
  let outside: string | null = null; // a file outside the repository imported earlier in this block
  const close = () => {
    if (!cur) return;
    while (cur.shown.length && cur.shown[cur.shown.length - 1].text.trim() === '') cur.shown.pop();
    out.push(cur);
    cur = null;
  };
  lines.forEach((raw, i) => {
    if (/^```/.test(raw)) {
      if (inBlock) close();
      else {
        block++;
        outside = null;
      }
      inBlock = !inBlock;
      return;
    }
    if (!inBlock) return;
    if (COMMAND.test(raw)) {
      close();
      const words = shellWords(raw.slice(2));
      const args = words.slice(words[0] === 'npx' ? 2 : 1);
      cur = { file, block, line: i + 1, command: words.join(' '), args, shown: [], needsOutsideData: outside };
      const path = args[0] === 'data' && args[1] === 'import' ? args.slice(3).find((a) => !a.startsWith('-')) : undefined;
      if (path && (path.startsWith('../') || path.startsWith('/'))) outside = path;
    } else if (cur) cur.shown.push({ text: raw, line: i + 1 });
  });
  close();
  return out;
}

/** Every example of README.md and docs/*.md under `root`. */
export function docExamples(root: string): DocExample[] {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
  return files.flatMap((f) => extractExamples(f, readFileSync(join(root, f), 'utf8')));
}

const TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?/g;
const AS_OF = /as of \d{4}-\d{2}-\d{2}/g;
export const normalise = (s: string): string => s.replace(TIME, '<time>').replace(AS_OF, 'as of <today>').trimEnd();
const isGap = (s: string) => /^(…|\.\.\.)$/.test(s.trim());

/**
 * Compare shown with real lines; null when they agree, else the first difference: the shown line (with its line in the
 * doc) and the real line it was compared with (or that the real output ended).
 */
export function compareOutput(shown: DocExample['shown'], realText: string): string | null {
  const real = realText.split('\n').map(normalise);
  while (real.length && real[real.length - 1] === '') real.pop();
  // segments of literal lines between gaps
  const segments: Array<Array<{ text: string; line: number }>> = [[]];
  for (const s of shown) {
    if (isGap(s.text)) segments.push([]);
    else segments[segments.length - 1].push({ text: normalise(s.text), line: s.line });
  }
  const last = segments.length - 1;
  const matchAt = (seg: (typeof segments)[number], at: number) => seg.every((s, k) => real[at + k] === s.text);
  const firstDiff = (seg: (typeof segments)[number], at: number) => {
    const k = seg.findIndex((s, j) => real[at + j] !== s.text);
    const got = at + k < real.length ? `real line ${at + k + 1}: ${JSON.stringify(real[at + k])}` : `the real output ended after ${real.length} lines`;
    return `doc line ${seg[k].line} shows ${JSON.stringify(seg[k].text)}; ${got}`;
  };
  let pos = 0;
  for (let i = 0; i <= last; i++) {
    const seg = segments[i];
    if (i === 0) {
      // anchored at the first real line
      if (!matchAt(seg, 0)) return firstDiff(seg, 0);
      pos = seg.length;
      if (last === 0 && pos !== real.length)
        return `the doc shows ${seg.length} lines (to doc line ${seg[seg.length - 1]?.line ?? '?'}) but the real output has ${real.length}; next real line ${pos + 1}: ${JSON.stringify(real[pos])} (mark omitted lines with a line "…")`;
      continue;
    }
    if (i === last) {
      // anchored at the last real line (a block ending in "…" has an empty last segment)
      const at = real.length - seg.length;
      if (at < pos || !matchAt(seg, at)) {
        // say where the best partial match fails
        const best = findBest(seg, pos);
        const cand = real[best] === seg[0].text ? best : Math.max(pos, real.length - seg.length);
        if (seg.every((s, k) => real[cand + k] === s.text))
          return `after "…": doc lines ${seg[0].line}-${seg[seg.length - 1].line} are real lines ${cand + 1}-${cand + seg.length}, but the real output goes on to line ${real.length}: ${JSON.stringify(real[cand + seg.length])} (end the block with "…" or show the last lines)`;
        return `after "…": ${firstDiff(seg, cand)} (the lines after the last "…" must be the real output's last lines)`;
      }
      return null;
    }
    let found = -1;
    for (let at = pos; at + seg.length <= real.length; at++)
      if (matchAt(seg, at)) {
        found = at;
        break;
      }
    if (found < 0) return `after "…": ${firstDiff(seg, findBest(seg, pos))}`;
    pos = found + seg.length;
  }
  return null;

  function findBest(seg: Array<{ text: string; line: number }>, from: number): number {
    // the position from `from` where the most leading lines of the segment match (where it differs is then informative)
    let best = from;
    let bestLen = -1;
    for (let at = from; at < Math.max(real.length, from + 1); at++) {
      let k = 0;
      while (k < seg.length && real[at + k] === seg[k].text) k++;
      if (k > bestLen) {
        bestLen = k;
        best = at;
      }
    }
    return best;
  }
}
