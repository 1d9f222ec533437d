/**
 * PDF export is bounded: one render at a time, a short line behind it, 503 with Retry-After beyond it, and a time
 * budget per render. Most tests stub the renderer (a promise the test resolves), so the line is held open for as long
 * as the test needs; one test renders real PDFs with chromium through the same route.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.ts';
import { PdfQueue } from '../../src/report/pdf-queue.ts';
import { chromiumAvailable, CHROMIUM_PATH } from '../../src/report/chromium.ts';
import { fixtureKb } from './fixture.ts';

/** A renderer that holds every render until `release()`; records what it was asked to print. */
function heldRenderer() {
  const started: string[] = [];
  const waiters: Array<() => void> = [];
  let released = false;
  const render = async (html: string) => {
    started.push(html);
    if (!released) await new Promise<void>((r) => waiters.push(r));
    return Buffer.from(`%PDF-stub ${html.length}`);
  };
  const release = () => {
    released = true;
    for (const w of waiters.splice(0)) w();
  };
  return { render, release, started };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('PDF export queue', () => {
  it('renders one at a time with two waiting; more concurrent requests get 503 with Retry-After naming the limit', async () => {
    const held = heldRenderer();
    const queue = new PdfQueue({ running: 1, waiting: 2, timeoutMs: 30_000 });
    const app = createApp(fixtureKb(), { pdf: { queue, render: held.render } });
    const pending = Array.from({ length: 7 }, () => app.request('/api/report/cobalt?format=pdf'));
    await tick();
    expect(queue.running).toBe(1);
    expect(queue.waiting).toBe(2);
    expect(held.started).toHaveLength(1); // only one render started; the other two wait for it

    held.release();
    const responses = await Promise.all(pending);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 503, 503, 503, 503]);
    for (const r of responses) {
      if (r.status === 200) {
        expect(r.headers.get('content-type')).toBe('application/pdf');
        expect((await r.text()).startsWith('%PDF-stub')).toBe(true);
      } else {
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
        const body = (await r.json()) as { error: string; field: string; limit: { running: number; waiting: number } };
        expect(body.field).toBe('format');
        expect(body.limit).toEqual({ running: 1, waiting: 2 });
        expect(body.error).toMatch(/PDF export is busy: 1 PDF rendering and 2 waiting/);
      }
    }
    expect(held.started).toHaveLength(3);
    // The line drained: the next request is served again.
    expect(queue.running + queue.waiting).toBe(0);
    expect((await app.request('/api/report/cobalt?format=pdf')).status).toBe(200);
  });

  it('a render past its time budget is stopped (its signal aborts) and answered 503; the next render gets the slot', async () => {
    const queue = new PdfQueue({ running: 1, waiting: 2, timeoutMs: 200 });
    let aborted = 0;
    let calls = 0;
    const render = (_html: string, signal: AbortSignal) =>
      new Promise<Buffer>((resolve, reject) => {
        calls++;
        if (calls === 1) {
          signal.addEventListener('abort', () => {
            aborted++;
            reject(new Error('browser closed'));
          });
        } else resolve(Buffer.from('%PDF-ok'));
      });
    const app = createApp(fixtureKb(), { pdf: { queue, render } });
    const [slow, next] = await Promise.all([app.request('/api/report/cobalt?format=pdf'), app.request('/api/report/nickel?format=pdf')]);
    expect(slow.status).toBe(503);
    expect(((await slow.json()) as { error: string }).error).toMatch(/took longer than its 200 ms budget and was stopped/);
    expect(aborted).toBe(1);
    expect(next.status).toBe(200);
    expect(await next.text()).toBe('%PDF-ok');
    expect(queue.running + queue.waiting).toBe(0);
  });

  it('a failing render frees its slot and is a 500, not a stuck queue', async () => {
    const queue = new PdfQueue({ running: 1, waiting: 0, timeoutMs: 30_000 });
    let n = 0;
    const render = async () => {
      if (n++ === 0) throw new Error('chromium crashed');
      return Buffer.from('%PDF-ok');
    };
    const app = createApp(fixtureKb(), { pdf: { queue, render } });
    const origError = console.error;
    console.error = () => undefined; // the app logs the unexpected error; keep the test output clean
    try {
      expect((await app.request('/api/report/cobalt?format=pdf')).status).toBe(500);
    } finally {
      console.error = origError;
    }
    expect((await app.request('/api/report/cobalt?format=pdf')).status).toBe(200);
  });

  const chromiumHere = chromiumAvailable();
  if (!chromiumHere) console.warn(`SKIPPING real-PDF queue test: no chromium at ${CHROMIUM_PATH} (Debian: apt-get install -y chromium).`);
  it.skipIf(!chromiumHere)(
    'real chromium: concurrent requests beyond the line get 503; the admitted ones are real PDFs',
    async () => {
      const queue = new PdfQueue({ running: 1, waiting: 1, timeoutMs: 60_000 });
      const app = createApp(fixtureKb(), { pdf: { queue } });
      const responses = await Promise.all(Array.from({ length: 4 }, () => app.request('/api/report/cobalt?format=pdf')));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 503, 503]);
      for (const r of responses.filter((x) => x.status === 200)) {
        const buf = Buffer.from(await r.arrayBuffer());
        expect(buf.subarray(0, 5).toString()).toBe('%PDF-');
        expect(buf.length).toBeGreaterThan(10_000);
      }
    },
    120_000,
  );
});
