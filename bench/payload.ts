/**
 * Bytes over the wire for a cold load of dashboard pages: headless Debian chromium (playwright-core) against the real
 * server and the built web/dist, one fresh browser context (empty cache) per page. Counts each response's body as
 * received (encoded: compressed when the server compressed it) and as decoded, by kind (JS, JSON, CSS, other), and
 * names the encodings seen. Uses the bundled knowledge base (the test fixture if no bundle); run `npm run build:web`
 * first. `npx tsx bench/payload.ts`
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../src/report/chromium.ts';
import { startTestServer } from '../test/web/server.ts';

const PAGES: Array<[string, string, string]> = [
  ['first load (overview)', '#/', '[data-testid=overview-table] tbody tr'],
  ['criticality (EU 2023, all methods)', '#/criticality', '[data-testid=crit-table] tbody tr'],
];

interface Tally {
  encoded: number;
  decoded: number;
  requests: number;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function benchPayload(): Promise<void> {
  if (!chromiumAvailable()) {
    console.log(`skipped: no chromium at ${CHROMIUM_PATH}`);
    return;
  }
  if (!existsSync(fileURLToPath(new URL('../web/dist/index.html', import.meta.url)))) {
    console.log('skipped: web/dist not built (npm run build:web)');
    return;
  }
  const server = await startTestServer();
  const browser = await launchChromium();
  try {
    console.log(`knowledge base: ${server.kind}; cold cache per page; encoded = bytes received, decoded = after decompression`);
    console.log(`${'page'.padEnd(36)} ${'kind'.padEnd(6)} ${'requests'.padStart(8)} ${'encoded'.padStart(10)} ${'decoded'.padStart(10)}  encodings`);
    for (const [name, hash, ready] of PAGES) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const tally = new Map<string, Tally>();
      const encodings = new Set<string>();
      const pending: Array<Promise<void>> = [];
      page.on('requestfinished', (req) =>
        pending.push(
          (async () => {
            const res = await req.response();
            if (!res) return;
            const sizes = await req.sizes();
            const body = await res.body().catch(() => Buffer.alloc(0));
            const type = res.headers()['content-type'] ?? '';
            const kind = /javascript/.test(type) ? 'JS' : /json/.test(type) ? 'JSON' : /css/.test(type) ? 'CSS' : 'other';
            const t = tally.get(kind) ?? { encoded: 0, decoded: 0, requests: 0 };
            t.encoded += sizes.responseBodySize;
            t.decoded += body.length;
            t.requests++;
            tally.set(kind, t);
            encodings.add(res.headers()['content-encoding'] ?? 'identity');
          })(),
        ),
      );
      await page.goto(server.url + hash);
      await page.waitForSelector(ready, { timeout: 120_000 });
      await page.waitForLoadState('networkidle');
      await Promise.all(pending);
      const total: Tally = { encoded: 0, decoded: 0, requests: 0 };
      for (const kind of ['JS', 'JSON', 'CSS', 'other']) {
        const t = tally.get(kind);
        if (!t) continue;
        total.encoded += t.encoded;
        total.decoded += t.decoded;
        total.requests += t.requests;
        console.log(`${name.padEnd(36)} ${kind.padEnd(6)} ${String(t.requests).padStart(8)} ${kb(t.encoded).padStart(10)} ${kb(t.decoded).padStart(10)}`);
      }
      console.log(
        `${name.padEnd(36)} ${'total'.padEnd(6)} ${String(total.requests).padStart(8)} ${kb(total.encoded).padStart(10)} ${kb(total.decoded).padStart(10)}  ${[...encodings].join(', ')}`,
      );
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPayload();
