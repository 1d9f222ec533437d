/** Every published comparison the harness runs (`npm run check:published`), one module per published table. */
import { EU_CHECKS } from './eu-2023.ts';
import type { PublishedCheck } from './types.ts';
import { ieaTop3Check } from './iea-top3.ts';
import { ieaN1Check } from './iea-n1.ts';
import { ieaTrendCheck } from './iea-trend.ts';
import { usgsSharesCheck } from './usgs-shares.ts';

export const PUBLISHED_CHECKS: PublishedCheck[] = [...EU_CHECKS, ieaTop3Check, ieaN1Check, ieaTrendCheck, usgsSharesCheck];
