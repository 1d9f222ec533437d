/**
 * Early-warning rules and the alerts they raise (capability 11). Rules are stored; after every data import (and on
 * demand) each rule is evaluated on the whole knowledge base. An alert is identified by rule and subject (`key`), so
 * re-evaluating the same data does not raise it twice; `firstSeen` says when the condition was first met.
 */
import { z } from 'zod';

const RuleId = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,80}$/, 'lower-case id: letters, digits, ".", "_", "-"');
const Materials = z.array(z.string().regex(/^[a-z0-9-]+$/, 'material id')).default([]); // [] = every material
const MiningOrRefining = z.enum(['mining', 'refining']);

/** Indicators a rule can watch, all per material × stage × year. Shares are fractions (0.65 = 65 %). */
export const INDICATORS = [
  'top_share', // share of the largest supplier
  'top3_share',
  'hhi', // 0-10,000
  'china_share',
  'n1_coverage', // remaining supply without the largest supplier ÷ world demand (IEA N-1)
  'n1_remaining_share', // remaining supply without the largest supplier ÷ supply (no demand needed)
] as const;
export const IndicatorSchema = z.enum(INDICATORS);
export type Indicator = z.infer<typeof IndicatorSchema>;

const Base = {
  id: RuleId,
  name: z.string().min(1).max(200).optional(),
  materials: Materials,
  /** The highest severity this rule may raise; each alert's own severity follows SEVERITY_RULES (src/engine/alerts.ts). */
  severity: z.enum(['info', 'warning', 'critical']).default('warning'),
};

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const AlertRuleSchema = z.discriminatedUnion('kind', [
  /** Concentration up by more than `points` between the two latest historical years with data (or fromYear → toYear). */
  z
    .object({
      ...Base,
      kind: z.literal('concentration_rise'),
      stage: MiningOrRefining.default('refining'),
      indicator: z.enum(['top_share', 'top3_share', 'hhi', 'china_share']).default('top_share'),
      /** Percentage points for shares (5 = +5 pp), HHI points for hhi. */
      points: z.number().positive(),
      fromYear: z.number().int().min(1900).max(2100).optional(),
      toYear: z.number().int().min(1900).max(2100).optional(),
    })
    .strict(),
  /** A trade measure (export control, ban, quota, tax) on a watched material, announced or effective on/after `since`. */
  z
    .object({
      ...Base,
      kind: z.literal('new_measure'),
      since: z
        .string()
        .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'date as YYYY, YYYY-MM or YYYY-MM-DD')
        .optional(),
      countries: z.array(z.string().regex(/^[A-Z][A-Z0-9_+-]{1,30}$/)).default([]), // [] = any imposing country
      direction: z.enum(['export', 'import']).default('export'),
    })
    .strict(),
  /** IEA-style N-1 coverage (remaining supply ÷ demand) below `threshold` for a year (default: every projection year). */
  z
    .object({
      ...Base,
      kind: z.literal('coverage_below'),
      stage: MiningOrRefining.default('refining'),
      threshold: z.number().positive().max(10),
      year: z.number().int().min(1900).max(2100).optional(),
    })
    .strict(),
  /** Any indicator compared with a value, for the latest year with data or a given year. */
  z
    .object({
      ...Base,
      kind: z.literal('indicator'),
      stage: MiningOrRefining.default('refining'),
      indicator: IndicatorSchema,
      op: z.enum(['>', '>=', '<', '<=']),
      value: z.number().finite(),
      year: z.number().int().min(1900).max(2100).optional(),
    })
    .strict(),
  /**
   * A price move: the year-on-year change (or the rolling range over `window` years) of a material's price series at
   * least `percent` % in `direction`, for the latest year with a figure or a given year (engine/prices.ts).
   */
  z
    .object({
      ...Base,
      kind: z.literal('price_move'),
      measure: z.enum(['yoy', 'rolling_range']).default('yoy'),
      percent: z.number().positive().max(100_000),
      direction: z.enum(['up', 'down', 'either']).default('either'),
      window: z.number().int().min(2).max(20).default(3),
      year: z.number().int().min(1900).max(2100).optional(),
    })
    .strict(),
]);
export type AlertRule = z.infer<typeof AlertRuleSchema>;
export type AlertRuleInput = z.input<typeof AlertRuleSchema>;

export interface Alert {
  ruleId: string;
  /** Rule + subject; stable across evaluations of the same data. */
  key: string;
  severity: Severity;
  /** Why this severity: the rule of SEVERITY_RULES that set it, with the alert's own numbers or dates. */
  severityReason: string;
  materialId: string | null;
  stage: string | null;
  year: number | null;
  title: string;
  detail: string;
  value: number | null;
  threshold: number | null;
  /** Sources the figures come from (source ids) and, for measures, the measure id. */
  sourceIds: string[];
  measureId: string | null;
}

export interface StoredAlert extends Alert {
  firstSeen: string; // ISO timestamp
  lastSeen: string;
  active: boolean; // condition still met at the last evaluation
}
