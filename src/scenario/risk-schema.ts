/**
 * Risk scenario file (YAML or JSON), `kind: risk`, version 1: a Monte Carlo run over export-control disruptions for
 * one material, several, or a basket. Every model parameter is here, with its default written in docs/risk.md, so a
 * run can be re-run and compared (baseline vs policy). Example:
 *
 *   version: 1
 *   kind: risk
 *   name: Battery basket, 60-day stockpile
 *   basket: battery            # or materials: [gallium]
 *   year: 2024
 *   samples: 100000
 *   seed: 1
 *   correlation: 0.5           # share of a unit's latent variance that is its country's shock
 *   severity: { low: 0.25, high: 1 }
 *   durationMonths: { min: 3, max: 24 }
 *   stockpile: { days: 60 }    # or { policy: japan-60 }; default none
 *   likelihood:
 *     windowStartYear: 2010
 *     overrides: [{ country: CHN, material: gallium, stage: refining, annualProbability: 0.5, source: "…" }]
 *   parameters: { spareCapacityShare: { low: 0.1, central: 0.05, high: 0 } }   # the stress-test overrides
 */
import { z } from 'zod';
import { ParameterOverridesSchema } from './schema.ts';
import { STOCKPILE_POLICY_IDS } from './query.ts';
import { LIKELIHOOD_DEFAULTS } from '../engine/risk/likelihood.ts';

/** Upper bound of samples in a scenario file (CLI); the API caps lower (API_MAX_SAMPLES). */
export const MAX_SAMPLES = 2_000_000;
export const API_MAX_SAMPLES = 200_000;

export const RISK_DEFAULTS = {
  year: 2024,
  samples: 10_000,
  seed: 1,
  correlation: 0.5,
  severity: { low: 0.25, high: 1 },
  durationMonths: { min: 3, max: 24 },
  demandScenario: 'STEPS',
} as const;

const iso3 = z.string().regex(/^[A-Za-z]{3}$/, 'ISO3 code');

export const LikelihoodOverridesSchema = z
  .object({
    windowStartYear: z.number().int().min(1900).max(2100).optional(),
    windowEndYear: z.number().int().min(1900).max(2100).optional(),
    priorWeightYears: z.number().min(0).max(1000).optional(),
    measureTypes: z
      .array(z.enum(['ban', 'licence', 'quota', 'tax', 'other']))
      .min(1)
      .optional(),
    includeNeverApplied: z.boolean().optional(),
    governance: z.boolean().optional(),
    majorShare: z.number().min(0).max(1).optional(),
    use: z.enum(['central', 'low', 'high']).optional(),
    overrides: z
      .array(
        z
          .object({
            country: iso3,
            material: z.string().min(1).max(100).optional(),
            stage: z.enum(['mining', 'refining']).optional(),
            annualProbability: z.number().min(0).max(1),
            source: z.string().min(1, 'give the source of the probability'),
          })
          .strict(),
      )
      .max(1000)
      .optional(),
  })
  .strict()
  .refine(
    (l) => (l.windowStartYear ?? LIKELIHOOD_DEFAULTS.windowStartYear) <= (l.windowEndYear ?? LIKELIHOOD_DEFAULTS.windowEndYear),
    'windowStartYear must not be after windowEndYear',
  );

export const RiskScenarioSchema = z
  .object({
    version: z.literal(1),
    kind: z.literal('risk'),
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    materials: z.array(z.string().min(1).max(100)).min(1, 'name at least one material').max(30, 'at most 30 materials').optional(),
    basket: z.string().min(1).max(50).optional(),
    year: z.number().int().min(1900).max(2100).default(RISK_DEFAULTS.year),
    dataset: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .optional(),
    demandScenario: z.string().max(20).default(RISK_DEFAULTS.demandScenario),
    samples: z
      .number()
      .int('samples must be a whole number')
      .min(1, 'samples must be at least 1')
      .max(MAX_SAMPLES, `at most ${MAX_SAMPLES.toLocaleString('en')} samples`)
      .default(RISK_DEFAULTS.samples),
    seed: z.number().int().min(0).max(0xffffffff).default(RISK_DEFAULTS.seed),
    correlation: z.number().min(0).max(1).default(RISK_DEFAULTS.correlation),
    severity: z
      .object({ low: z.number().min(0).max(1), high: z.number().min(0).max(1) })
      .strict()
      .refine((s) => s.low <= s.high, 'severity.low must not exceed severity.high')
      .default(RISK_DEFAULTS.severity),
    durationMonths: z
      .object({ min: z.number().int().min(1).max(120), max: z.number().int().min(1).max(120) })
      .strict()
      .refine((d) => d.min <= d.max, 'durationMonths.min must not exceed durationMonths.max')
      .default(RISK_DEFAULTS.durationMonths),
    stockpile: z
      .object({ days: z.number().min(0).max(3650).optional(), policy: z.enum(STOCKPILE_POLICY_IDS).optional() })
      .strict()
      .refine((s) => !(s.days !== undefined && s.policy !== undefined), 'give only one of days or policy')
      .optional(),
    likelihood: LikelihoodOverridesSchema.optional(),
    parameters: ParameterOverridesSchema.optional(),
    /** Sources of the scalar overrides above (correlation, severity, durationMonths), shown beside them. */
    sources: z.record(z.string(), z.string()).optional(),
  })
  .strict()
  .refine((s) => (s.materials ? 1 : 0) + (s.basket ? 1 : 0) === 1, { message: 'give either materials or basket (one of them)', path: ['materials'] });

export type RiskScenario = z.infer<typeof RiskScenarioSchema>;
export type RiskScenarioInput = z.input<typeof RiskScenarioSchema>;
