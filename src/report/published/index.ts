/** Every published comparison the harness runs (`npm run check:published`), one module per published table. */
import { EU_CHECKS } from './eu-2023.ts';
import type { PublishedCheck } from './types.ts';

export const PUBLISHED_CHECKS: PublishedCheck[] = [...EU_CHECKS];
