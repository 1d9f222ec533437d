import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// Everything is bundled (no CDN): the dashboard works offline. `npm run build:web` writes web/dist, which
// `chokepoint serve` (npm start) serves next to the API. In dev (`npx vite --config web/vite.config.ts`),
// /api is proxied to a running `chokepoint serve` on port 8080.
// Every text asset also gets a .br and a .gz beside it (brotli 11, gzip 9: compressed once at build time, at the
// best ratio), which the server sends when the browser accepts them (src/api/server.ts); files under 1 KB stay plain.
export default defineConfig({
  root,
  base: './',
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024, logLevel: 'silent' })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    sourcemap: false,
  },
  server: {
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: { '/api': 'http://127.0.0.1:8080', '/openapi.json': 'http://127.0.0.1:8080', '/docs': 'http://127.0.0.1:8080' },
  },
});
