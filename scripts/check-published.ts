/**
 * Published-figure harness: opens the bundled dataset (as `chokepoint` does on first run, in memory) and prints every
 * comparison in src/report/published (title, source, tolerance, count within tolerance, MAE, bias, worst rows and
 * their causes).   npm run check:published [-- --all]
 * Exit code 1 when a row beyond tolerance carries no cause.
 */
import { openKnowledgeBase } from '../src/store/knowledge-base.ts';
import { PUBLISHED_CHECKS } from '../src/report/published/index.ts';
import { renderPublishedReport } from '../src/report/published/render.ts';

const kb = await openKnowledgeBase({ dbPath: ':memory:' });
try {
  const { text, missingCauses } = await renderPublishedReport(kb.index, PUBLISHED_CHECKS, { all: process.argv.includes('--all') });
  console.log(text);
  if (missingCauses) {
    console.error(`\n${missingCauses} row(s) beyond tolerance without a cause`);
    process.exitCode = 1;
  }
} finally {
  kb.close();
}
