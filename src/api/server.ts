/** `npm start`: the API and the dashboard (web/dist, built by `npm run build:web`) on one localhost port. */
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { openKnowledgeBase } from '../store/knowledge-base.ts';
import { createApp } from './app.ts';

const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export async function startServer(opts: { port: number; host: string; dbPath?: string }): Promise<{ close: () => void; url: string }> {
  const t0 = performance.now();
  const kb = await openKnowledgeBase({ dbPath: opts.dbPath });
  const app = createApp(kb);
  if (existsSync(WEB_DIST)) {
    const root = relative(process.cwd(), WEB_DIST) || '.';
    app.use('/*', serveStatic({ root }));
    app.get('/*', serveStatic({ root, path: 'index.html' })); // client-side routes
  } else {
    app.get('/', (c) => c.text('Dashboard not built: run "npm run build:web". The API is at /api and /openapi.json.'));
  }
  const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host });
  const url = `http://${opts.host === '0.0.0.0' ? 'localhost' : opts.host}:${opts.port}/`;
  console.log(
    `Chokepoint: ${kb.index.data.observations.length.toLocaleString('en-US')} observations from ${kb.index.data.sources.size} sources, ` +
      `${kb.index.materials.size} materials (store ${kb.store.path}, ready in ${Math.round(performance.now() - t0)} ms)`,
  );
  console.log(`Dashboard: ${url}   API: ${url}api/concentration/all   OpenAPI: ${url}openapi.json`);
  return {
    url,
    close: () => {
      server.close();
      kb.close();
    },
  };
}
