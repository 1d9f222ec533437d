/**
 * Server for browser tests and screenshots: the real bundled knowledge base when src/data/bundle exists (loaded into a
 * throwaway store), else the small API-test fixture. Listens on a free loopback port.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import type { ApiKnowledgeBase } from '../../src/api/app.ts';
import { fixtureKb } from '../api/fixture.ts';

export const BUNDLE_MANIFEST = fileURLToPath(new URL('../../src/data/bundle/manifest.json', import.meta.url));

/** The bundled knowledge base in a throwaway store when the bundle exists, else the API-test fixture. */
export async function testKnowledgeBase(opts: { fixture?: boolean } = {}): Promise<{ kb: ApiKnowledgeBase; kind: 'bundle' | 'fixture'; close: () => void }> {
  if (!opts.fixture && existsSync(BUNDLE_MANIFEST)) {
    const { openKnowledgeBase } = await import('../../src/store/knowledge-base.ts');
    const dir = mkdtempSync(join(tmpdir(), 'cp-kb-'));
    const kb = await openKnowledgeBase({ dbPath: join(dir, 'kb.duckdb') });
    return {
      kb,
      kind: 'bundle',
      close: () => {
        kb.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  return { kb: fixtureKb(), kind: 'fixture', close: () => {} };
}

export async function startTestServer(
  opts: { fixture?: boolean; port?: number } = {},
): Promise<RunningServer & { kind: 'bundle' | 'fixture'; kb: ApiKnowledgeBase }> {
  if (!opts.fixture && existsSync(BUNDLE_MANIFEST)) {
    const { openKnowledgeBase } = await import('../../src/store/knowledge-base.ts');
    const dir = mkdtempSync(join(tmpdir(), 'cp-web-'));
    const kb = await openKnowledgeBase({ dbPath: join(dir, 'kb.duckdb') });
    const s = await startServer({ port: opts.port ?? 0, host: '127.0.0.1', kb, quiet: true });
    return {
      ...s,
      kind: 'bundle',
      kb,
      close: async () => {
        await s.close();
        kb.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const kb = fixtureKb();
  const s = await startServer({ port: opts.port ?? 0, host: '127.0.0.1', kb, quiet: true });
  return { ...s, kind: 'fixture', kb };
}

// `npx tsx test/web/server.ts [--fixture] [port]`: serve for manual looking.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 8124);
  const s = await startTestServer({ fixture: process.argv.includes('--fixture'), port });
  console.log(`${s.kind} server at ${s.url}`);
}
