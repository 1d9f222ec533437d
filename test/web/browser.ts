/**
 * What every browser test file shares: whether Debian's chromium is there (a test file fails saying what to install when
 * not, or skips when CHOKEPOINT_SKIP_BROWSER=1), the
 * screenshot folder, one session per file — the test server (bundled knowledge base, else the fixture) and a chromium
 * page whose script errors are collected — and a JSON fetch that asserts the status. web/dist is built once per run by
 * test/web/build-once.ts (vitest globalSetup).
 */
import { expect } from 'vitest';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../../src/report/chromium.ts';
import { startTestServer } from './server.ts';

export const SHOTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

/**
 * Whether the browser tests can run. Without Debian's chromium the test file fails with what to install (no silent
 * skip); CHOKEPOINT_SKIP_BROWSER=1 skips them on purpose, saying so.
 */
export function hasChromium(what: string): boolean {
  if (chromiumAvailable()) return true;
  const how = `no chromium at ${CHROMIUM_PATH} (Debian: apt-get install -y chromium; .ci/run installs it)`;
  if (process.env.CHOKEPOINT_SKIP_BROWSER === '1') {
    console.warn(`SKIPPING ${what} (CHOKEPOINT_SKIP_BROWSER=1): ${how}.`);
    return false;
  }
  throw new Error(`${what} need a browser: ${how}. To skip them on purpose, set CHOKEPOINT_SKIP_BROWSER=1.`);
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

export interface BrowserSession {
  server: TestServer;
  browser: Browser;
  page: Page;
}

/**
 * Start the server and a 1400×900 page. Page errors always go to `errors`; console errors too when `consoleError`
 * accepts their text (omit it to ignore console messages).
 */
export async function openBrowserSession(errors: string[], consoleError?: (text: string) => boolean): Promise<BrowserSession> {
  const server = await startTestServer();
  const browser = await launchChromium();
  // Playwright's waitForFunction polls its predicate with eval, which the server's Content-Security-Policy forbids; the
  // pages themselves are checked under that policy in dashboard.test.ts ("… under the server's CSP").
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
  // What a user does once: open the link printed at start, which gives this browser the write cookie.
  if (server.token) await page.goto(`${server.url}?token=${server.token}`);
  page.on('pageerror', (e) => errors.push(e.message));
  if (consoleError) page.on('console', (m) => m.type() === 'error' && consoleError(m.text()) && errors.push(m.text()));
  mkdirSync(SHOTS, { recursive: true });
  return { server, browser, page };
}

export async function closeBrowserSession(s: Partial<BrowserSession>): Promise<void> {
  await s.browser?.close();
  await s.server?.close();
}

/** GET a JSON route of the test server and assert its status. */
export async function fetchJson(server: TestServer, path: string, status = 200): Promise<any> {
  const r = await fetch(server.url + path);
  expect(r.status, path).toBe(status);
  return r.json();
}
