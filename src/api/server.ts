/** `npm start`: the API and the dashboard (web/dist, built by `npm run build:web`) on one localhost port. */
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { createApp, type ApiKnowledgeBase } from './app.ts';

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
    app.get('/', (c) => c.text('Dashboard not built: run "npm run build:web" (npm start does it for you). The API is at /api, docs at /docs and /openapi.json.'));
  }
}

export interface RunningServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

/** Listen on host:port (port 0 = any free port) and resolve once listening. */
export function listen(app: Hono, port: number, host: string): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      resolve({ port: info.port, close: () => new Promise<void>((r) => server.close(() => r())) });
    });
    server.on('error', reject);
  });
}

export async function startServer(opts: { port: number; host: string; dbPath?: string; kb?: ApiKnowledgeBase; quiet?: boolean }): Promise<RunningServer> {
  const t0 = performance.now();
  // Imported lazily: a server given a knowledge base (tests, fixtures) never loads the store and importers.
  const kb = opts.kb ?? (await (await import('../store/knowledge-base.ts')).openKnowledgeBase({ dbPath: opts.dbPath }));
  const app = createApp(kb);
  mountDashboard(app);
  const { port, close } = await listen(app, opts.port, opts.host);
  const url = `http://${opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host}:${port}/`;
  if (!opts.quiet) {
    console.log(
      `Chokepoint: ${kb.index.data.observations.length.toLocaleString('en-US')} observations from ${kb.index.data.sources.size} sources, ` +
        `${kb.index.materials.size} materials (ready in ${Math.round(performance.now() - t0)} ms)`,
    );
    console.log(`Dashboard: ${url}   API docs: ${url}docs   OpenAPI: ${url}openapi.json`);
  }
  return {
    url,
    port,
    close: async () => {
      await close();
      if (!opts.kb) (kb as { close?: () => void }).close?.();
    },
  };
}
