#!/usr/bin/env node
// Entry point for `chokepoint` / `npx chokepoint`: runs the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
