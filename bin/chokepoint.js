#!/usr/bin/env node
// Entry point for `chokepoint` / `npx chokepoint`: runs the CLI compiled to dist/cli.mjs (built by `npm ci`, rebuilt
// here when a file under src/ changed since), so no TypeScript is compiled at run time.
import { buildCli, cliBundleStale, CLI_BUNDLE } from '../scripts/build-cli.mjs';
import { pathToFileURL } from 'node:url';

if (cliBundleStale()) await buildCli();
const { main } = await import(pathToFileURL(CLI_BUNDLE).href);
await main(process.argv);
