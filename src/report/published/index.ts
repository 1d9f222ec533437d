/** Every published comparison the harness runs (`npm run check:published`), one module per published table. */
import type { PublishedCheck } from './types.ts';

export const PUBLISHED_CHECKS: PublishedCheck[] = [];
