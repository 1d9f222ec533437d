/**
 * Where the checks that need whole public source folders find them: $CHOKEPOINT_SHARED_DATA, else ../shared/data
 * beside the repository. Only `npm run test:sources` (vitest.sources.config.ts) uses this; `npm test` runs from the
 * repository alone (small excerpts under test/fixtures and the bundled dataset).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_DATA = resolve(process.env.CHOKEPOINT_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data', import.meta.url)));

/** Absolute path of a file or folder under the public source folders. */
export const sharedData = (rel: string): string => resolve(SHARED_DATA, rel);

/** Vitest global setup of test:sources: say plainly what is needed instead of failing file by file. */
export default function requireSharedData(): void {
  if (!existsSync(SHARED_DATA)) {
    throw new Error(
      `npm run test:sources needs the public source folders (USGS MCS, IEA, WGI, EU CRM, trade samples) at ${SHARED_DATA}. ` +
        'Put the shared data folder beside the repository (../shared/data) or set CHOKEPOINT_SHARED_DATA=/path/to/data. ' +
        '`npm test` does not need them.',
    );
  }
}
