/** Every published comparison the harness runs (`npm run check:published`), one module per published table. */
import type { PublishedCheck } from './types.ts';
import { ieaTop3Check } from './iea-top3.ts';
import { ieaN1Check } from './iea-n1.ts';
import { ieaTrendCheck } from './iea-trend.ts';
import { usgsSharesCheck } from './usgs-shares.ts';

export const PUBLISHED_CHECKS: PublishedCheck[] = [];
PUBLISHED_CHECKS.push(ieaTop3Check);
PUBLISHED_CHECKS.push(ieaN1Check);
PUBLISHED_CHECKS.push(ieaTrendCheck);
PUBLISHED_CHECKS.push(usgsSharesCheck);
