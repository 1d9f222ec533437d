#!/usr/bin/env node
// Entry point for `chokepoint` / `npx chokepoint`: runs the CLI compiled to dist/cli.cjs (built by `npm ci`, rebuilt
// here when a file under src/ changed since), so no TypeScript is compiled at run time. V8's code cache for it is kept
// in dist/.v8-cache by v8-compile-cache.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildCli, cliBundleStale, CLI_BUNDLE } from '../scripts/build-cli.mjs';

if (cliBundleStale()) await buildCli();
// The bundle's identifiers are minified: a debug run maps stack traces back to src/ through dist/cli.cjs.map.
if (process.env.CHOKEPOINT_DEBUG === '1') process.setSourceMapsEnabled(true);
process.env.V8_COMPILE_CACHE_CACHE_DIR ??= fileURLToPath(new URL('../dist/.v8-cache', import.meta.url));
const require = createRequire(import.meta.url);
require('v8-compile-cache');
const { main } = require(CLI_BUNDLE);
await main(process.argv);
