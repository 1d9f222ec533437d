/** `npm start`: the API and the dashboard (web/dist, built by `npm run build:web`) on one localhost port. */
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { serverInfoPath, type ServerInfo } from '../store/gate.ts';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { createApp, type ApiKnowledgeBase } from './app.ts';
import { loadOrCreateToken } from './security.ts';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Serve the built dashboard (single-page app with hash routing) from web/dist, after the API routes. */
export function mountDashboard(app: Hono): void {
  if (existsSync(WEB_DIST)) {
    const root = relative(process.cwd(), WEB_DIST) || '.';
    // Hashed file names under assets/ never change: cache for a year. index.html names the current ones: revalidate.
    app.use('/*', async (c, next) => {
      await next();
      if (c.res.status === 200) c.header('cache-control', c.req.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    });
    // precompressed: the .br/.gz written beside each file by the build (web/vite.config.ts), when the browser accepts it.
    app.use('/*', serveStatic({ root, precompressed: true }));
    app.get('/', serveStatic({ root, path: 'index.html', precompressed: true }));
  } else {
    app.get('/', (c) =>
      c.text('Dashboard not built: run "npm run build:web" (npm start does it for you). The API is at /api, docs at /docs and /openapi.json.'),
    );
  }
}

export interface RunningServer {
  url: string;
  port: number;
  /** The write token (null for a read-only server). */
  token: string | null;
  close: () => Promise<void>;
}

/** Listen on host:port (port 0 = any free port) and resolve once listening. */
export function listen(
  app: Hono | ((req: Request) => Response | Promise<Response>),
  port: number,
  host: string,
): Promise<{ port: number; close: () => Promise<void> }> {
  const fetch = typeof app === 'function' ? app : app.fetch;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: host }, (info: AddressInfo) => {
      resolve({ port: info.port, close: () => new Promise<void>((r) => server.close(() => r())) });
    });
    server.on('error', reject);
  });
}

export async function startServer(opts: {
  port: number;
  host: string;
  dbPath?: string;
  kb?: ApiKnowledgeBase;
  quiet?: boolean;
  readOnly?: boolean;
}): Promise<RunningServer> {
  const t0 = performance.now();
  // Imported lazily: a server given a knowledge base (tests, fixtures) never loads the store and importers.
  // The server closes the store file after 1 s without use, so CLI commands can read and write it beside the server.
  // Trade flows are read as requests ask for them (a material's flows once per data version), not all at start.
  const kb =
    opts.kb ??
    (await (
      await import('../store/knowledge-base.ts')
    ).openKnowledgeBase({ dbPath: opts.dbPath, idleCloseMs: 1_000, lockWaitMs: 10_000, tradeOnDemand: true }));
  const storePath = (kb.store as { path?: string }).path;
  // Every write needs the store's token (made at first start, kept beside the store with mode 0600); --read-only has none.
  const notes: string[] = [];
  const staleReadOnly = (kb as { staleReadOnly?: string | null }).staleReadOnly;
  if (staleReadOnly) notes.push(`Note: ${staleReadOnly}.`);
  let secret: ReturnType<typeof loadOrCreateToken> | null = null;
  let readOnlyReason: string | undefined;
  if (!opts.readOnly) {
    try {
      secret = loadOrCreateToken(storePath ?? ':memory:');
    } catch (e) {
      // The store's folder cannot be written (permissions, read-only medium): serve reads, refuse every write.
      if (!/EACCES|EROFS|EPERM/.test((e as NodeJS.ErrnoException).code ?? '')) throw e;
      readOnlyReason = `the folder of the store ${storePath} cannot be written, so no write token could be kept there`;
      notes.push(
        `Read-only: the folder of ${storePath} cannot be written (${(e as Error).message}), so the write token cannot be kept there; every write is refused.`,
      );
    }
  }
  // The Host check needs the port, known once listening (port 0 = any free port): build the app then.
  let app: Hono | null = null;
  const { port, close } = await listen((req) => (app ? app.fetch(req) : new Response('starting', { status: 503 })), opts.port, opts.host);
  app = createApp(kb, { security: { token: secret?.token ?? null, host: opts.host, port, tokenFile: secret?.file ?? null, readOnlyReason } });
  mountDashboard(app);
  // Load exceljs (~0.8 s of the event loop) 2 s after start, not on the first XLSX request; unref: never keeps the
  // process up.
  setTimeout(() => void import('../report/export.ts').then((m) => m.loadExcelJs()).catch(() => undefined), 2_000).unref();
  const url = `http://${opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host}:${port}/`;
  // Lets a CLI command that finds the store busy say which server holds it (src/store/gate.ts).
  const infoFile = storePath && storePath !== ':memory:' ? serverInfoPath(storePath) : null;
  let infoWritten = false;
  if (infoFile) {
    try {
      writeFileSync(infoFile, JSON.stringify({ pid: process.pid, url, startedAt: new Date().toISOString() } satisfies ServerInfo));
      infoWritten = true;
    } catch {
      // A read-only folder: other processes only lose the server's name in their "store busy" message.
    }
  }
  if (!opts.quiet) {
    console.log(
      `Chokepoint: ${kb.index.data.observations.length.toLocaleString('en-US')} observations from ${kb.index.data.sources.size} sources, ` +
        `${kb.index.materials.size} materials (ready in ${Math.round(performance.now() - t0)} ms)`,
    );
    console.log(`Dashboard: ${url}   API docs: ${url}docs   OpenAPI: ${url}openapi.json`);
    for (const n of notes) console.log(n);
    if (!secret && opts.readOnly) console.log('Read-only: started with --read-only, so every write is refused.');
    else if (secret) {
      console.log(`Editing (registry, alert rules) needs the write token. Open ${url}?token=${secret.token} once in your browser,`);
      console.log(`or send "Authorization: Bearer <token>" to the API${secret.file ? `; the token is kept in ${secret.file} (mode 0600)` : ''}.`);
    }
  }
  return {
    url,
    port,
    token: secret?.token ?? null,
    close: async () => {
      await close();
      if (infoFile && infoWritten) rmSync(infoFile, { force: true });
      if (!opts.kb) (kb as { close?: () => void }).close?.();
    },
  };
}
