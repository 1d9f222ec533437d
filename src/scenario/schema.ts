/**
 * Stress-test scenario file (YAML or JSON), version 1. A scenario fully describes a run, so a result can be re-run
 * and shared. Example:
 *
 *   version: 1
 *   name: Indonesia nickel ore export ban, 2035
 *   material: nickel
 *   year: 2035
 *   stage: mining
 *   demandScenario: STEPS        # IEA demand scenario for projection years (STEPS | APS | NZE)
 *   demandScope: battery-grade   # optional: another demand series of the cell (default: the one with a grand total)
 *   tradeYear: 2022              # optional: year of the customs data used for importers' losses (default: latest ≤ year)
 *   shock: { exclude: [IDN], mode: export_ban, fraction: 1, durationMonths: 12 }
 *   stockpile: { policy: japan-60 }   # or { days: 90 } or { tonnes: 5000, holder: JPN }
 *   parameters: { demandElasticity: { low: -0.5, central: -0.3, high: -0.1 }, sources: { demandElasticity: "…" } }
 *
 * `exclude` entries: ISO3 codes, grouping ids from the knowledge base (EU27, G7, OECD, MSP …), `non-<group>` (every
 * supplier outside the group), `A+B` unions (`CHN+RUS`), or `largest` (N-1).
 */
import { z } from 'zod';
import { STOCKPILE_POLICY_IDS, STRESS_DEFAULTS } from './query.ts';

export const SCENARIO_VERSION = 1;

const RangeSchema = z.object({ low: z.number().finite(), central: z.number().finite(), high: z.number().finite() }).strict();

export const ParameterOverridesSchema = z
  .object({
    demandElasticity: RangeSchema.refine((r) => r.low <= 0 && r.central <= 0 && r.high <= 0, 'demand elasticities must be ≤ 0').optional(),
    supplyElasticity: RangeSchema.refine((r) => r.low >= 0 && r.central >= 0 && r.high >= 0, 'supply elasticities must be ≥ 0').optional(),
    spareCapacityShare: RangeSchema.refine((r) => [r.low, r.central, r.high].every((x) => x >= 0 && x <= 1), 'shares must be within 0..1').optional(),
    spareLeadMonths: z.number().min(0).max(120).optional(),
    rampUpSharePerYear: RangeSchema.refine(
      (r) => [r.low, r.central, r.high].every((x) => x >= 0 && x <= 10),
      'ramp-up must be within 0..10 per year',
    ).optional(),
    recyclingRampSharePerYear: RangeSchema.refine(
      (r) => [r.low, r.central, r.high].every((x) => x >= 0 && x <= 10),
      'recycling ramp-up must be within 0..10 per year',
    ).optional(),
    domesticConsumptionShare: z
      .record(
        z.string().regex(/^[A-Za-z]{3}$/, 'ISO3 code'),
        z.object({ value: z.number().min(0).max(1), source: z.string().min(1, 'give the source of the share') }).strict(),
      )
      .optional(),
    // Bounds: a scenario names countries (~250 exist); the API accepts scenarios from anyone, so lists are capped.
    flowRules: z
      .array(
        z
          .object({
            from: z.string().regex(/^[A-Za-z]{3}$/),
            to: z
              .array(z.string().regex(/^[A-Za-z]{3}$/))
              .min(1)
              .max(250),
            note: z.string().min(1),
            source: z.string().optional(),
          })
          .strict(),
      )
      .max(500)
      .optional(),
    replaceFlowRules: z.boolean().optional(),
    sources: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    version: z.literal(SCENARIO_VERSION),
    name: z.string().optional(),
    description: z.string().optional(),
    material: z.string().min(1).max(100),
    year: z.number().int().min(1900).max(2100),
    stage: z.enum(['mining', 'refining']).default(STRESS_DEFAULTS.stage),
    dataset: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .optional(),
    supplyScenario: z.string().optional(),
    demandScenario: z.string().default(STRESS_DEFAULTS.demandScenario),
    /** Which demand series (scope) to compare with, e.g. "battery-grade"; default: the one with a published grand total. */
    demandScope: z.string().optional(),
    /** Year of the customs data whose export destinations say which importers lose supply (default: latest ≤ year);
     * e.g. 2022 for China's gallium destinations before its August 2023 export controls. */
    tradeYear: z.number().int().min(1900).max(2100).optional(),
    shock: z
      .object({
        exclude: z.array(z.string().min(1).max(100)).min(1, 'name at least one country, grouping or "largest"').max(250, 'at most 250 entries'),
        mode: z.enum(['export_ban', 'outage']).default(STRESS_DEFAULTS.mode),
        fraction: z.number().min(0).max(1).default(STRESS_DEFAULTS.fraction),
        durationMonths: z.number().positive().max(120).default(STRESS_DEFAULTS.months),
      })
      .strict(),
    stockpile: z
      .object({
        holder: z.string().optional(), // 'world' (all affected consumers, default) or ISO3
        tonnes: z.number().nonnegative().max(1e10).optional(),
        days: z.number().nonnegative().max(3650, 'at most 3650 days (10 years)').optional(),
        policy: z.enum(STOCKPILE_POLICY_IDS).optional(),
      })
      .strict()
      .refine((s) => [s.tonnes, s.days, s.policy].filter((x) => x !== undefined).length <= 1, 'give only one of tonnes, days or policy')
      .optional(),
    parameters: ParameterOverridesSchema.optional(),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
